"""What the terminal quiz says, in one place: the ``console.*`` keys of the catalogues.

The terminal speaks French (tutoiement), read from ``bot/locale/fr/LC_MESSAGES/messages.po``
at start-up; the English catalogue holds the same keys. The Telegram front end has its own
texts (:mod:`bot.tg.texts`); the two share only the services and the grading reasons
(:meth:`bot.i18n.Catalogue.reason`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.domain.grading import Reason, Verdict
from bot.i18n import catalogue
from bot.services.views import OverrideStatus

_T = catalogue("fr")

#: The terminal's commands, in the order /aide lists them.
COMMANDS: tuple[tuple[str, str], ...] = tuple(
    (name, _T.text(f"console.command.{name.lstrip('/').lower()}"))
    for name in (
        "/stats", "/decks", "/reglages", "/encore", "/jaiRaison", "/annuler", "/aide", "/quitter"
    )
)  # fmt: skip
#: English names, as on Telegram (the README's promise): the same commands.
ENGLISH_NAMES = "/settings, /more, /right, /undo, /help, /quit"

PROMPT = "> "

GREETING = _T.text("console.greeting")
GREETING_PRACTICE = _T.text("console.greeting_practice")
HOW_TO = _T.text("console.how_to")
IMPORT_FAILED = _T.text("console.import_failed")
IMPORT_CONTINUE = _T.text("console.import_continue")
NO_QUESTIONS = _T.text("console.no_questions")
UNKNOWN_DECK = _T.text("console.unknown_deck")
NO_DECK_AVAILABLE = _T.text("console.no_deck_available")
NEW_BADGE = _T.text("console.new_badge")
QUESTION_HEADER = _T.text("console.question_header")
CHOICE_LINE = _T.text("console.choice_line")
EMPTY_ANSWER = _T.text("console.empty_answer")
CHOOSE_NUMBER = _T.text("console.choose_number")
UNKNOWN_COMMAND = _T.text("console.unknown_command")
DONT_KNOW = _T.text("console.dont_know")
EXPECTED = _T.text("console.expected")
SOURCE = _T.text("console.source")
EXPLANATION = _T.text("console.explanation")
PRACTICE_NOTE = _T.text("console.practice_note")
REFUSED = _T.text("console.refused")
UNDONE = _T.text("console.undone")
UNDO_NOTHING = _T.text("console.undo_nothing")
UNDO_TOO_LATE = _T.text("console.undo_too_late")
ALL_DONE = _T.text("console.all_done")
NOTHING_NOW = _T.text("console.nothing_now")
PRACTICE_DONE = _T.text("console.practice_done")
NEXT_DUE = _T.text("console.next_due")
NEXT_DUE_NOW = _T.text("console.next_due_now")
NEXT_DUE_AFTER_PRACTICE = _T.text("console.next_due_after_practice")
MORE_NEW_QUESTION = _T.text("console.more_new_question")
MORE_NEW_GRANTED = _T.text("console.more_new_granted")
NO_MORE_NEW = _T.text("console.no_more_new")
MORE_NEW_HINT = _T.text("console.more_new_hint")
QUESTION_AGAIN = _T.text("console.question_again")
AHEAD_QUESTION = _T.text("console.ahead_question")
AHEAD_START = _T.text("console.ahead_start")
AHEAD_DONE = _T.text("console.ahead_done")
OVERRIDE_HINT = _T.text("console.override_hint")
DECKS_TITLE = _T.text("console.decks_title")
DECK_LINE = _T.text("console.deck_line")
DECKS_HOW_TO = _T.text("console.decks_how_to")
DECK_NUMBER = _T.text("console.deck_number")
SETTINGS = _T.text("console.settings")
SETTINGS_BAD = _T.text("console.settings_bad")
NOTHING_LEFT = _T.text("console.nothing_left")
BYE = _T.text("console.bye")
SESSION_COUNTS = _T.text("console.session_counts")
SUMMARY = _T.text("console.summary")
DECK_ON = "x"
DECK_OFF = " "
NEW_CARDS_WORDS = frozenset({"nouvelles", "nouvelle", "new", "cartes", "questions"})

VERDICTS = {verdict: _T.text(f"console.verdict.{verdict.value}") for verdict in Verdict}
OVERRIDE = {status: _T.text(f"console.override.{status.value}") for status in OverrideStatus}


def help_text() -> str:
    lines = [_T.text("console.help_title")]
    lines += [f"  {name:<10} {what}" for name, what in COMMANDS]
    lines.append(_T.text("console.help_english", names=ENGLISH_NAMES))
    lines.append(_T.text("console.help_answer"))
    return "\n".join(lines)


def leech(lapses: int) -> str:
    return _T.plural("console.leech", lapses)


def reason(why: Reason) -> str:
    """A grading reason, said in the terminal's language."""
    return _T.reason(why)


def questions(n: int) -> str:
    return _T.plural("console.questions", n)


def new_questions(n: int) -> str:
    """« 1 nouvelle question », « 15 nouvelles questions »."""
    return _T.plural("console.new_questions", n)


def summary(answered: int, correct: int) -> str:
    return counts(SUMMARY, answered, correct)


def counts(template: str, answered: int, correct: int) -> str:
    """« Session : 1 réponse, 0 juste. » (each count agrees with its own noun)."""
    return template.format(
        answered=_T.plural("console.answers", answered),
        correct=_T.plural("console.right", correct),
    )


def when(moment: dt.datetime, now: dt.datetime, tz_name: str) -> str:
    """« maintenant », « aujourd'hui à 18 h 05 », « demain à 9 h 00 », « mardi 3 mars à … »."""
    if moment <= now:
        return _T.text("console.when_now")
    zone = ZoneInfo(tz_name)
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    clock = _T.time(local, "format.time_spoken")
    days = (local.date() - today).days
    if days == 0:
        return _T.text("console.when_today", time=clock)
    if days == 1:
        return _T.text("console.when_tomorrow", time=clock)
    style = "format.day" if local.year == today.year else "format.day_year"
    return _T.text("console.when_day", day=_T.date(local.date(), style), time=clock)
