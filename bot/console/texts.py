"""What the terminal quiz says, in one place: the ``console.*`` keys of the catalogues.

The terminal speaks the student's language (French by default, tutoiement; English after
« /reglages langue en »), read from ``bot/locale/<language>/LC_MESSAGES/messages.po``:
:func:`for_language` gives one language's :class:`ConsoleTexts`. The Telegram front end has its own
texts (:mod:`bot.tg.texts`); the two share only the services and the grading reasons
(:meth:`bot.i18n.Catalogue.reason`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from bot.domain.grading import Reason, Verdict
from bot.i18n import Catalogue, catalogue, fill
from bot.services.views import OverrideStatus

#: English names, as on Telegram (the README's promise): the same commands.
ENGLISH_NAMES = "/settings, /more, /right, /undo, /help, /quit"
#: The terminal's commands, in the order /aide lists them.
COMMAND_NAMES = (
    "/stats", "/decks", "/reglages", "/encore", "/jaiRaison", "/annuler", "/aide", "/quitter"
)  # fmt: skip

PROMPT = "> "
DECK_ON = "x"
DECK_OFF = " "
NEW_CARDS_WORDS = frozenset({"nouvelles", "nouvelle", "new", "cartes", "questions"})
LANGUAGE_WORDS = frozenset({"langue", "language", "lang"})


@dataclass(frozen=True, slots=True)
class ConsoleTexts:
    """What the terminal says in one language: each ``str`` field is the ``console.<field>``
    text of its catalogue (:func:`bot.i18n.fill`)."""

    language: str
    _t: Catalogue
    #: (command, what it does), in the order /aide lists them.
    commands: tuple[tuple[str, str], ...]
    verdicts: Mapping[Verdict, str]
    #: A self-rated card's verdict, said back (correct, partial, wrong).
    self_verdicts: Mapping[Verdict, str]
    override: Mapping[OverrideStatus, str]
    greeting: str
    greeting_practice: str
    how_to: str
    import_failed: str
    import_continue: str
    no_questions: str
    unknown_deck: str
    no_deck_available: str
    new_badge: str
    question_header: str
    choice_line: str
    empty_answer: str
    choose_number: str
    unknown_command: str
    dont_know: str
    expected: str
    source: str
    explanation: str
    practice_note: str
    refused: str
    undone: str
    undo_nothing: str
    undo_too_late: str
    all_done: str
    nothing_now: str
    practice_done: str
    next_due: str
    next_due_now: str
    next_due_after_practice: str
    more_new_question: str
    more_new_granted: str
    no_more_new: str
    more_new_hint: str
    question_again: str
    ahead_question: str
    ahead_start: str
    ahead_done: str
    override_hint: str
    decks_title: str
    deck_line: str
    decks_how_to: str
    deck_number: str
    settings: str
    settings_bad: str
    nothing_left: str
    bye: str
    session_counts: str
    summary: str
    reveal_how_to: str
    your_attempt: str
    rate_question: str
    rate_again: str

    def help_text(self) -> str:
        lines = [self._t.text("console.help_title")]
        lines += [f"  {name:<10} {what}" for name, what in self.commands]
        lines.append(self._t.text("console.help_english", names=ENGLISH_NAMES))
        lines.append(self._t.text("console.help_answer"))
        return "\n".join(lines)

    def leech(self, lapses: int) -> str:
        return self._t.plural("console.leech", lapses)

    def reason(self, why: Reason) -> str:
        """A grading reason, said in the terminal's language."""
        return self._t.reason(why)

    def questions(self, n: int) -> str:
        return self._t.plural("console.questions", n)

    def new_questions(self, n: int) -> str:
        """« 1 nouvelle question », « 15 nouvelles questions »."""
        return self._t.plural("console.new_questions", n)

    def session_summary(self, answered: int, correct: int) -> str:
        return self.counts(self.summary, answered, correct)

    def counts(self, template: str, answered: int, correct: int) -> str:
        """« Session : 1 réponse, 0 juste. » (each count agrees with its own noun)."""
        return template.format(
            answered=self._t.plural("console.answers", answered),
            correct=self._t.plural("console.right", correct),
        )

    def when(self, moment: dt.datetime, now: dt.datetime, tz_name: str) -> str:
        """« maintenant », « aujourd'hui à 18 h 05 », « demain à 9 h 00 », « mardi 3 mars à … »."""
        t = self._t
        if moment <= now:
            return t.text("console.when_now")
        zone = ZoneInfo(tz_name)
        local, today = moment.astimezone(zone), now.astimezone(zone).date()
        clock = t.time(local, "format.time_spoken")
        days = (local.date() - today).days
        if days == 0:
            return t.text("console.when_today", time=clock)
        if days == 1:
            return t.text("console.when_tomorrow", time=clock)
        style = "format.day" if local.year == today.year else "format.day_year"
        return t.text("console.when_day", day=t.date(local.date(), style), time=clock)


@cache
def for_language(language: str) -> ConsoleTexts:
    """The terminal's texts in ``language`` (fr or en; French for anything else)."""
    t = catalogue(language if language in ("fr", "en") else "fr")
    return fill(
        ConsoleTexts,
        t,
        "console",
        language=t.language,
        _t=t,
        commands=tuple(
            (name, t.text(f"console.command.{name.lstrip('/').lower()}")) for name in COMMAND_NAMES
        ),
        verdicts={v: t.text(f"console.verdict.{v.value}") for v in Verdict},
        self_verdicts={
            v: t.text(f"console.self_verdict.{v.value}")
            for v in (Verdict.CORRECT, Verdict.PARTIAL, Verdict.WRONG)
        },
        override={s: t.text(f"console.override.{s.value}") for s in OverrideStatus},
    )


#: French, the terminal's default.
FR = for_language("fr")
