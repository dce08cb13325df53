"""The list of the bot's strings, each read from the catalogue as ``bot.<field>``
(``bot/locale/<language>/LC_MESSAGES/messages.po``; :func:`texts_in` builds one language).

A ``str`` field is a ``str.format`` template; a :class:`~bot.i18n.Plural` field is called with
the count (``t.reminder_prompt(3)``) and agrees with it by the catalogue's plural rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.i18n import Catalogue, Plural, catalogue, fill


@dataclass(frozen=True, slots=True)
class Texts:
    language: str
    #: The catalogue the texts come from: numbers, dates and times in the same language.
    catalogue: Catalogue
    language_name: str

    # Commands and help
    command_help: Mapping[str, str]
    help_title: str
    help_teacher_title: str
    help_footer: str
    unknown_command: str
    hint: str
    hint_time: str  # a time typed when nothing was asked (e.g. after a restart): {time}
    teacher_only: str
    error: str
    answer_not_saved: str
    slow_down: str

    # Onboarding
    welcome: str
    step_decks: str
    step_reminder: str
    step_timezone: str
    onboarding_done: str
    no_decks: str

    # Buttons
    btn_continue: str
    btn_start_quiz: str
    btn_stop: str
    btn_true: str
    btn_false: str
    btn_review: str
    btn_later: str
    btn_forget_yes: str
    btn_forget_no: str
    btn_other_zone: str
    btn_other_time: str
    btn_no_reminder: str
    btn_back: str
    btn_set_reminder: str
    btn_set_timezone: str
    btn_set_cards: str
    btn_set_language: str
    btn_set_decks: str

    # Quiz
    question_header: str
    question_new: str
    type_answer: str
    pick_answer: str
    verdict_correct: str
    verdict_close: str
    verdict_partial: str
    verdict_wrong: str
    your_answer: str
    reason_line: str
    source_line: str
    explanation_line: str
    leech: str
    already_answered: str
    stale_question: str
    unknown_question: str
    nothing_to_study: str
    nothing_until: str
    session_summary: Plural  # counts the right answers
    session_empty: str
    session_stopped: str

    # Undo
    undo_done: str
    undo_nothing: str
    undo_too_late: str

    # Settings
    settings_title: str
    reminder_off: str
    reminders_paused_label: str
    ask_reminder: str
    ask_timezone: str
    ask_timezone_typed: str
    ask_time_typed: str
    ask_cards: str
    ask_language: str
    saved: str
    bad_timezone: str
    bad_time: str
    bad_setting: str

    # Decks
    decks_title: str
    deck_line: str
    deck_gone: str

    # Dates
    when_today: str
    when_tomorrow: str
    when_date: str

    # Reminders
    paused: str
    resumed: str
    resumed_no_time: str
    reminder_prompt: Plural
    snoozed: str
    snooze_nothing: str
    snooze_sooner: str
    stats_empty: str
    chart_unavailable: str
    language_changed: str

    # Forget
    forget_confirm: str
    forget_done: str
    forget_cancelled: str

    # Teachers
    upload_refused: str
    upload_wrong_type: str
    upload_too_big: str
    upload_ok: str
    upload_errors: Plural
    reload_ok: str
    class_title: str
    class_hardest: str
    class_hardest_line: str
    class_no_data: str
    class_decks: str
    class_deck_line: str
    class_deck_active: Plural
    class_deck_answers: Plural
    class_deck_idle: str
    btn_class_csv: str
    class_csv_caption: str

    # Desired retention (issue 16)
    btn_set_retention: str
    ask_retention: str
    retention_line: Plural  # counts the questions a day
    retention_personal: str
    retention_default: str
    # Sessions that flow (issue 16)
    btn_more_new: str
    more_new_offer: str
    more_new_granted: Plural
    no_more_new: str
    verdict_dont_know: str
    praise_high: str
    praise_mid: str
    praise_low: str
    old_stop: str
    btn_override: str
    override_done: str
    override_nothing: str
    override_too_late: str
    override_already: str
    class_overridden: str
    class_overridden_line: Plural  # counts the overrides
    btn_ahead: str
    ahead_start: str
    # Never left without the question or the setting asked for (issue 16)
    question_again: str
    media_pick: str
    media_type: str
    media_setting: str
    not_a_time: str
    # The daily prompt tells new questions from reviews (issue 16)
    reminder_prompt_new: Plural  # counts the new questions, when there are no reviews
    reminder_prompt_mixed: str  # {reviews} (reminder_reviews) and {new} (reminder_new)
    reminder_reviews: Plural
    reminder_new: Plural
    # Self-rated cards: the answer revealed, the student rates themself
    btn_reveal: str
    btn_knew: str
    btn_partly: str
    btn_did_not_know: str
    think_answer: str  # the instruction under a self-rated card
    revealed_answer: str  # {answer}
    rate_yourself: str  # the instruction under the revealed answer
    self_knew: str
    self_partly: str
    self_did_not_know: str
    media_reveal: str  # a sticker, a photo… sent to a self-rated card


def texts_in(language: str) -> Texts:
    """The bot's strings in ``language``, from its catalogue."""
    texts = catalogue(language)
    return fill(
        Texts,
        texts,
        "bot",
        language=texts.language,
        catalogue=texts,
        command_help=texts.section("bot.command_help"),
    )
