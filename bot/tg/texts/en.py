"""The bot's strings in English (second language): same keys as :mod:`.fr`."""

from __future__ import annotations

from bot.tg.texts.base import Texts

EN = Texts(
    language="en",
    language_name="English",
    # Commands and help
    command_help={
        "start": "get started and set up the bot",
        "quiz": "study now",
        "stats": "see your progress",
        "reglages": "reminder time, time zone, new questions, language",
        "decks": "choose which question decks to study",
        "annuler": "undo your last answer",
        "encore": "10 more new questions today",
        "jairaison": "your last typed answer was right: I'll correct it",
        "pause": "pause the reminders",
        "reprendre": "resume the reminders",
        "oublier": "delete all your data",
        "aide": "show this help",
        "recharger": "reload the questions folder",
        "classe": "your classes: students, decks, invite link, CSV export",
        "quitter": "leave a class",
        "nouvelleclasse": "create a class (e.g. /newclass 3e B)",
        "generer": "make a draft of questions from a text",
        "brouillons": "resume reviewing your drafts",
        "lier": "link a Telegram group to a class (in the group)",
        "jeu": "live class game in the group (quiz polls)",
    },
    help_title="Here is what I can do:",
    help_teacher_title="For teachers:",
    help_footer=(
        "To answer a question, tap a button or type your answer. "
        "Teachers can also send me a .yaml question file."
    ),
    unknown_command="I don't know that command 🤔 Type /help for the list.",
    hint="I'm not expecting an answer right now 🙂 Type /quiz to study or /help to see what I do.",
    teacher_only="This command is for teachers only.",
    error="Oops, something went wrong on my side 😕 Please try again in a moment.",
    answer_not_saved=(
        "⚠️ Your answer could not be saved (a technical problem on my side). "
        "Please try again in a moment: it will only count once."
    ),
    slow_down=(
        "🐢 Easy… You are sending a lot of messages at once: "
        "I am ignoring the next ones for a few seconds."
    ),
    # Onboarding
    welcome=(
        "Hi {name}! 👋\n\n"
        "I help you learn the texts you study in class. I ask you questions, check your "
        "answers while showing you the sentence from the text, and ask each question again at "
        "the right time so that you remember it for good.\n\n"
        "Let's set three little things and off we go!"
    ),
    step_decks=(
        "1/3 · 📚 Which question decks do you want to study? "
        "Tap a deck to tick ✅ or untick ⬜ it, then “Continue”."
    ),
    step_reminder=(
        "2/3 · ⏰ When would you like a short daily reminder? "
        "I only write when there are questions to review."
    ),
    step_timezone="3/3 · 🌍 Which time zone are you in? Pick one, or tap “Other” to type it.",
    onboarding_done=(
        "All set ✅\n"
        "⏰ Reminder: {reminder}\n"
        "🌍 Time zone: {timezone}\n\n"
        "Type /quiz to start, or /help to see everything I can do."
    ),
    no_decks="There are no questions yet: your teacher has to add some. Come back soon!",
    # Buttons
    btn_continue="Continue ➡️",
    btn_start_quiz="▶️ Let's go",
    btn_stop="⏹ Stop",
    btn_true="True",
    btn_false="False",
    btn_review="📚 Review",
    btn_later="⏰ Later",
    btn_forget_yes="Yes, delete everything",
    btn_forget_no="No, keep it",
    btn_other_zone="Other…",
    btn_other_time="Other time…",
    btn_no_reminder="No reminder",
    btn_back="⬅️ Back",
    btn_set_reminder="⏰ Reminder time",
    btn_set_timezone="🌍 Time zone",
    btn_set_cards="🆕 New questions",
    btn_set_language="🗣 Language",
    btn_set_decks="📚 Decks",
    # Quiz
    question_header="📘 {deck}",
    question_new="🆕 new question",
    type_answer="✍️ Type your answer.",
    pick_answer="👇 Pick your answer.",
    verdict_correct="✅ Well done, that's right!",
    verdict_close="👍 Almost! I'll count it. Exact answer: {answer}",
    verdict_partial="🟡 Partly right! The full answer: {answer}",
    verdict_wrong="❌ Not quite! The right answer: {answer}",
    your_answer="Your answer: {given}",
    source_line="📖 In the text: “{source}”",
    explanation_line="💡 {explanation}",
    leech="🧩 This question keeps tripping you up: I'm setting it aside. Ask your teacher!",
    already_answered="Already answered 😉",
    stale_question="This question is no longer open. Type /quiz to go on.",
    unknown_question="I can't find this question 🤔 Type /quiz to get another one.",
    nothing_to_study="Nothing to review right now 🎉",
    nothing_until="Next question to review: {when}.",
    session_summary="🏁 Session over: {correct} out of {answered} {right}.",
    session_empty="🏁 Session over.",
    session_stopped="⏹ Session stopped.",
    # Undo
    undo_done="↩️ I undid your answer to “{prompt}”. This question will come back.",
    undo_nothing="There is nothing to undo.",
    undo_too_late="Too late: an answer can only be undone within 10 minutes.",
    # Settings
    settings_title=(
        "⚙️ Your settings\n"
        "⏰ Reminder: {reminder}\n"
        "🌍 Time zone: {timezone}\n"
        "🆕 New questions per day: {cards}\n"
        "🗣 Language: {language}\n"
        "🎯 Target recall: {retention}%\n\n"
        "What would you like to change?"
    ),
    reminder_off="no reminder",
    reminders_paused_label="{time} (paused)",
    ask_reminder="⏰ When would you like your reminder? (time in your time zone)",
    ask_timezone="🌍 Pick your time zone, or tap “Other” to type it.",
    ask_timezone_typed="Type your time zone, e.g. Europe/Paris, America/Montreal or Africa/Dakar.",
    ask_time_typed="Type the time of your reminder, e.g. 18:30.",
    ask_cards="🆕 How many new questions per day?",
    ask_language="🗣 Which language should I speak?",
    saved="Saved ✅",
    bad_timezone=(
        "I don't know the time zone “{value}” 🤔 "
        "Examples: Europe/Paris, Africa/Dakar, America/Montreal."
    ),
    bad_time="I didn't understand the time “{value}”. Write it like this: 18:30.",
    bad_setting="That setting isn't possible 🤔",
    # Decks
    decks_title="📚 Your question decks. Tap a deck to tick ✅ or untick ⬜ it.",
    deck_line="{mark} {title} ({count})",
    deck_gone="This deck no longer exists.",
    # Dates
    when_today="today at {time}",
    when_tomorrow="tomorrow at {time}",
    when_date="on {date} at {time}",
    # Reminders
    paused="⏸ Reminders paused. Type /resume whenever you want them back.",
    resumed="▶️ Reminders back on: next one {when}.",
    resumed_no_time="▶️ Reminders back on, but you haven't chosen a time: go to /settings.",
    reminder_prompt="📚 You have {count} to review today. Shall we?",
    snoozed="⏰ OK, I'll remind you {when}.",
    snooze_nothing="There is no reminder to put off.",
    snooze_sooner="Your next reminder is already coming {when} 😉",
    stats_empty="📊 No answers yet: type /quiz to start!",
    chart_unavailable="📉 The chart is not available this time; the figures above are up to date.",
    language_changed="Got it, I'll speak English 🇬🇧",
    # Forget
    forget_confirm=(
        "⚠️ Do you really want to delete all your data? Your answers, progress and settings "
        "will be gone for good."
    ),
    forget_done="🗑 Done, I deleted everything. If you want to start again, type /start.",
    forget_cancelled="OK, I won't touch anything 👍",
    # Teachers
    upload_refused="Thanks! But only teachers can send me files 🙂",
    upload_wrong_type="Please send me a .yaml (or .yml) question file.",
    upload_too_big="This file is too big ({size} KB): {max} KB at most.",
    upload_ok="✅ File imported.\n{report}",
    upload_errors="❌ {count}: nothing was imported.",
    error_word="error",
    error_word_plural="errors",
    reload_ok="🔄 Questions reloaded.\n{report}",
    class_title=(
        "👩‍🏫 Your class\n"
        "Active students (last 7 days): {active} out of {total}\n"
        "Answers (last 7 days): {answers}, {accuracy} right"
    ),
    class_hardest="The most missed questions (at least {min} answers):",
    class_hardest_line="{rank}. {prompt} — {rate} % wrong ({answers} answers)",
    class_no_data="Not enough answers yet to spot the hard questions.",
    class_decks="Per deck (last 7 days):",
    class_deck_line="• {deck} — {active} active, {answers} answer(s), {accuracy} right",
    class_deck_idle="• {deck} — no answers",
    btn_class_csv="📄 CSV export",
    class_csv_caption="📄 Class progress on {date}: one row per student and deck.",
    # Desired retention (issue 16)
    btn_set_retention="🎯 Recall",
    ask_retention=(
        "🎯 How many of your answers do you want to get right? Higher means you remember "
        "more, but get more questions each day. With your decks, on average over a month:"
    ),
    retention_line="{mark} {percent}%: about {questions} questions a day (~{minutes} min)",
    retention_personal="🧠 Your reviews are tuned to your memory ({items} answers).",
    retention_default="🧠 After a few weeks of answers, I will tune your reviews to your memory.",
    # Sessions
    btn_more_new="➕ 10 more new ones",
    more_new_offer="You've seen today's new questions. 10 more new ones?",
    more_new_granted="Here come {count} more new questions for today.",
    no_more_new="There are no new questions left in your decks.",
    verdict_dont_know="🤝 No worries, that's how we learn! The answer: {answer}",
    right_one="right",
    right_many="right",
    praise_high="Well done!",
    praise_mid="Not bad, keep going!",
    praise_low="Keep at it: it sticks with practice.",
    old_stop="That button belongs to an older question: the session goes on.",
    btn_override="✋ I was right",
    override_done="✅ Noted: your answer “{given}” counts as right. Your teacher will see it.",
    override_nothing="There is no typed answer marked wrong to correct.",
    override_too_late="Too late for that one: you can say so within the hour.",
    override_already="Already noted for that answer 👍",
    class_overridden="Answers students say were right (“I was right”):",
    class_overridden_line="• {prompt} — expected “{answer}”, {count} times: {examples}",
    btn_ahead="⏩ Review ahead",
    ahead_start="⏩ Questions you've seen, soonest due first: your schedule stays as it is.",
    question_again="🔁 Your current question:",
    media_pick="🙈 I only read text. To answer, tap one of the buttons:",
    media_type="🙈 I only read text. To answer, type your answer:",
    media_setting="🙈 I only read text: type your answer or tap one of the buttons.",
    not_a_time=(
        "“{value}” is not a time 🙂 Type the time of your reminder (e.g. 18:30 or 7:00) "
        "or tap one of the buttons."
    ),
    reminder_prompt_new_one="📚 {count} new question is waiting for you today. Shall we?",
    reminder_prompt_new_many="📚 {count} new questions are waiting for you today. Shall we?",
    reminder_prompt_mixed="📚 Today: {reviews} to review and {new}. Shall we?",
    reminder_new_one="new one",
    reminder_new_many="new ones",
)
