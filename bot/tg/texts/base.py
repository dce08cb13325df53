"""The list of the bot's strings: :mod:`.fr` and :mod:`.en` each build one :class:`Texts`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Texts:
    language: str
    language_name: str

    # Commands and help
    command_help: Mapping[str, str]
    help_title: str
    help_teacher_title: str
    help_footer: str
    unknown_command: str
    hint: str
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
    source_line: str
    explanation_line: str
    leech: str
    already_answered: str
    stale_question: str
    unknown_question: str
    nothing_to_study: str
    nothing_until: str
    session_summary: str
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
    reminder_prompt: str
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
    upload_errors: str
    error_word: str
    error_word_plural: str
    reload_ok: str
    class_title: str
    class_hardest: str
    class_hardest_line: str
    class_no_data: str
    class_decks: str
    class_deck_line: str
    class_deck_idle: str
    btn_class_csv: str
    class_csv_caption: str

    # Desired retention (issue 16)
    btn_set_retention: str
    ask_retention: str
    retention_line: str
    retention_personal: str
    retention_default: str
    # Sessions that flow (issue 16)
    btn_more_new: str
    more_new_offer: str
    more_new_granted: str
    no_more_new: str
    verdict_dont_know: str
    right_one: str
    right_many: str
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
    class_overridden_line: str
    btn_ahead: str
    ahead_start: str
    # Never left without the question or the setting asked for (issue 16)
    question_again: str
    media_pick: str
    media_type: str
    media_setting: str
    not_a_time: str
    # The daily prompt tells new questions from reviews (issue 16)
    reminder_prompt_new_one: str
    reminder_prompt_new_many: str
    reminder_prompt_mixed: str
    reminder_new_one: str
    reminder_new_many: str

    def plural(self, n: int, one: str, many: str) -> str:
        """« 1 question », « 3 questions » (French: 0 takes the singular, English: the plural)."""
        if self.language == "fr":
            return f"{n} {one if n < 2 else many}"
        return f"{n} {one if n == 1 else many}"
