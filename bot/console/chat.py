"""The quiz in a terminal: the same services as the Telegram bot, read from stdin.

``quizbot chat`` (and ``quizbot run`` without a token) lands here. The question files are
imported first, so a newcomer's quiz runs on what is in ``questions/``; invalid files are
listed and the quiz goes on with what the database already holds.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from bot.console import texts
from bot.domain.deck import QuestionKind
from bot.domain.grading import SelfRating
from bot.domain.scheduling import LEECH_LAPSES
from bot.render.stats_text import render_stats
from bot.services.clock import elapsed_ms, utcnow
from bot.services.container import Services
from bot.services.errors import DeckFormatError
from bot.services.views import (
    AnswerOutcome,
    AnswerStatus,
    AnswerStep,
    InvalidSetting,
    SessionSummary,
    ShownQuestion,
    UndoStatus,
    UserView,
)

QUIT_COMMANDS = frozenset({"/quitter", "/q", "/quit", "/exit", "/fin"})
HELP_COMMANDS = frozenset({"/aide", "/help", "/h", "/?"})
#: The same names as Telegram's, French and English (bot.tg.commands).
STATS_COMMANDS = frozenset({"/stats"})
UNDO_COMMANDS = frozenset({"/annuler", "/undo"})
DECKS_COMMANDS = frozenset({"/decks"})
SETTINGS_COMMANDS = frozenset({"/reglages", "/settings"})
MORE_COMMANDS = frozenset({"/encore", "/more"})
OVERRIDE_COMMANDS = frozenset({"/jairaison", "/right"})
YES = frozenset({"o", "oui", "y", "yes", "ok", "d'accord"})
#: What the student may answer to « Tu la savais ? » (a self-rated card), lower-cased, without
#: the final punctuation.
SELF_RATINGS: dict[str, SelfRating] = {
    **dict.fromkeys(
        ("o", "oui", "ouais", "y", "yes", "savais", "je savais", "je la savais", "1"),
        SelfRating.KNEW,
    ),
    **dict.fromkeys(
        ("p", "partie", "en partie", "un peu", "partiellement", "bof", "moyen", "partly", "2"),
        SelfRating.PARTLY,
    ),
    **dict.fromkeys(
        ("n", "non", "no", "nope", "pas du tout", "je ne savais pas", "je savais pas", "3"),
        SelfRating.DID_NOT,
    ),
}


def self_rating(line: str) -> SelfRating | None:
    """« o », « Oui ! », « en partie », « n »… as a self-rating; None when it says none."""
    folded = " ".join(line.casefold().replace("’", "'").split()).rstrip(" .!")
    return SELF_RATINGS.get(folded)


class _Quit(Exception):
    """The student asked to stop."""


def run_chat(
    services: Services,
    *,
    user: str | None = None,
    deck: str | None = None,
    input_fn: Callable[[str], str] = input,
    output: TextIO = sys.stdout,
    now_fn: Callable[[], dt.datetime] = utcnow,
) -> int:
    """Run the quiz until the student quits or nothing is left; the exit code.

    ``deck`` runs one deck in practice mode (the schedule does not move). End of input
    (Ctrl-D) ends cleanly like /quitter; Ctrl-C too, with exit code 130.
    """
    chat = ConsoleChat(services, input_fn=input_fn, output=output, now_fn=now_fn)
    return chat.run(user or getpass.getuser(), deck)


class ConsoleChat:
    def __init__(
        self,
        services: Services,
        *,
        input_fn: Callable[[str], str],
        output: TextIO,
        now_fn: Callable[[], dt.datetime],
    ) -> None:
        self._settings = services.settings
        self._imports = services.importer
        self._users = services.users
        self._study = services.study
        self._statistics = services.stats
        self._input = input_fn
        self._out = output
        self._now = now_fn
        #: The run's summary when its last answer closed it (nothing was left).
        self._ended: SessionSummary | None = None
        #: Answers of the runs closed earlier in this terminal session (extra new cards
        #: start a new run): (answered, correct).
        self._earlier = (0, 0)
        #: « Réviser en avance »: the run goes over studied cards as practice.
        self._ahead = False
        #: The student's language (French until the student is known).
        self._t = texts.FR

    def say(self, text: str = "") -> None:
        print(text, file=self._out, flush=True)

    def run(self, name: str, deck: str | None) -> int:
        self._import_questions()
        user = self._users.register_console(name, self._now())
        self._t = texts.for_language(user.language)
        decks = self._users.decks(user.id)
        if not decks:
            self.say(self._t.no_questions.format(folder=self._settings.questions_dir))
            return 1
        title = None
        if deck is not None:
            title = next((d.title for d in decks if d.slug == deck), None)
            if title is None:
                available = ", ".join(d.slug for d in decks) or self._t.no_deck_available
                self.say(self._t.unknown_deck.format(slug=deck, available=available))
                return 1
        self.say(self._t.greeting.format(name=user.display_name))
        if title is not None:
            self.say(self._t.greeting_practice.format(title=title))
        self.say(self._t.how_to)
        code = 0
        try:
            self._loop(user, deck)
        except (_Quit, EOFError):
            pass
        except KeyboardInterrupt:
            code = 130
        self._goodbye(user)
        return code

    def _import_questions(self) -> None:
        try:
            self._imports.import_paths([self._settings.questions_dir], self._now())
        except DeckFormatError as exc:
            self.say(self._t.import_failed)
            for problem in exc.problems:
                self.say(f"  {problem}")
            self.say(self._t.import_continue)
            self.say()

    def _loop(self, user: UserView, deck: str | None) -> None:
        practice = deck is not None
        shown = self._left_open(user, deck)
        while True:
            if shown is None and self._ended is None:
                shown = self._study.next_question(
                    user.id, self._now(), deck_slug=deck, practice=practice, ahead=self._ahead
                )
            if shown is None:
                if self._nothing_left(user, practice):
                    continue
                return
            self._show(shown)
            shown_at = self._now()
            turn = self._turn(user, shown, shown_at)
            while turn is False:
                turn = self._turn(user, shown, shown_at)
            if isinstance(turn, AnswerStep):
                # The answer came with the next question, as on Telegram; none: run over.
                if turn.next is None and turn.summary is not None:
                    self._ended = turn.summary
                shown = turn.next
            else:
                shown = None

    def _nothing_left(self, user: UserView, practice: bool) -> bool:
        """Nothing to show now: close the run and say so; offer extra new cards when new
        questions wait behind today's limit. True when the student took them (go on)."""
        summary = self._ended or self._study.end_session(user.id, self._now())
        self._ended = summary
        self.say()
        if practice:
            self.say(self._t.practice_done)
            return False
        answered = self._earlier[0] + summary.answered
        self.say(
            self._t.ahead_done
            if self._ahead
            else self._t.all_done
            if answered
            else self._t.nothing_now
        )
        if summary.more_new:
            self.say(self._t.more_new_question)
            if self._input(texts.PROMPT).strip().lower() in YES:
                return self._more_new(user)
        elif summary.review_ahead and not self._ahead:
            self.say(self._t.ahead_question)
            if self._input(texts.PROMPT).strip().lower() in YES:
                return self._review_ahead()
        return False

    def _review_ahead(self) -> bool:
        """« Réviser en avance »: the next run goes over studied cards, as practice."""
        self._carry_over()
        self._ahead = True
        self.say(self._t.ahead_start)
        return True

    def _carry_over(self) -> None:
        """Count the run just closed in the terminal session's totals."""
        summary = self._ended
        if summary is not None:
            self._earlier = (
                self._earlier[0] + summary.answered,
                self._earlier[1] + summary.correct,
            )
            self._ended = None

    def _more_new(self, user: UserView) -> bool:
        """« Encore 10 nouvelles » : True when granted (the run just closed is counted)."""
        granted = self._study.more_new_cards(user.id, self._now())
        if not granted:
            self.say(self._t.no_more_new)
            return False
        self._carry_over()
        self._ahead = False
        self.say(self._t.more_new_granted.format(count=granted))
        return True

    def _left_open(self, user: UserView, deck: str | None) -> ShownQuestion | None:
        """The question a run cut short (the terminal closed, a crash) left unanswered, when
        this run is of the same kind: it is asked again rather than shown anew."""
        shown = self._study.current(user.id)
        if shown is None or shown.practice != (deck is not None):
            return None
        return shown if deck is None or shown.deck_slug == deck else None

    def _turn(
        self, user: UserView, shown: ShownQuestion, shown_at: dt.datetime
    ) -> AnswerStep | bool:
        """Read one line and act on it: the answer's step, True when the next question must
        be asked for (after an undo, or a refused answer), False to read another line."""
        line = self._input(texts.PROMPT).strip()
        if shown.self_rated and not line.startswith("/"):
            return self._self_rated(user, shown, line, shown_at)
        if not line:
            self.say(self._t.empty_answer)
            return False
        if line.startswith("/"):
            return self._command(user, line, shown)
        step = self._answer(user, shown, line, shown_at)
        if step is None:
            return False
        self._report(step.outcome)
        return step if step.outcome.accepted else True

    def _self_rated(
        self, user: UserView, shown: ShownQuestion, attempt: str, shown_at: dt.datetime
    ) -> AnswerStep | bool:
        """A self-rated card: Entrée (or an attempt typed) shows the answer, nothing recorded;
        then « Tu la savais ? » until o, p or n (or a variant), and the verdict is recorded
        with the next question (True: ask for the next question, the card was refused)."""
        revealed = self._study.reveal(user.id, shown.token, attempt=attempt or None)
        if revealed.status is not AnswerStatus.REVEALED:
            self.say(self._t.refused)
            return True
        self._show_answer(revealed)
        while True:
            self.say(self._t.rate_question)
            line = self._input(texts.PROMPT).strip()
            if line.lower() in QUIT_COMMANDS:
                raise _Quit
            rating = self_rating(line)
            if rating is not None:
                break
            self.say(self._t.rate_again)
        now = self._now()
        step = self._study.rate_self_and_next(
            user.id,
            shown.token,
            rating,
            now,
            idempotency_key=f"console:{shown.token}",
            attempt=revealed.given,
            response_ms=elapsed_ms(shown_at, now),
        )
        self._report(step.outcome)
        return step if step.outcome.accepted else True

    def _command(self, user: UserView, line: str, shown: ShownQuestion) -> bool:
        """A command typed while ``shown`` waits for its answer; True when the next question
        must be asked for (after an undo). After help, figures or settings, the question
        waiting is shown again, so the student sees what to answer."""
        command, *args = line.split()
        command = command.lower()
        if command in QUIT_COMMANDS:
            raise _Quit
        if command in HELP_COMMANDS:
            self.say(self._t.help_text())
        elif command in STATS_COMMANDS:
            self._stats(user)
        elif command in DECKS_COMMANDS:
            self._decks(user, args)
        elif command in SETTINGS_COMMANDS:
            self._settings_command(user, args)
        elif command in MORE_COMMANDS:
            self._more_new(user)
        elif command in OVERRIDE_COMMANDS:
            self._override(user)

        elif command in UNDO_COMMANDS:
            undo = self._study.undo_last(user.id, self._now())
            if undo.status is UndoStatus.UNDONE:
                self.say(self._t.undone.format(given=undo.given_answer))
                return True  # ask again: the undone question comes back first
            self.say(
                self._t.undo_too_late
                if undo.status is UndoStatus.TOO_LATE
                else self._t.undo_nothing
            )
            return False
        else:
            self.say(self._t.unknown_command.format(command=command))
            return False
        self._show(shown, again=True)
        return False

    def _override(self, user: UserView) -> None:
        """/jaiRaison: the last typed answer graded wrong counts as right."""
        outcome = self._study.override(user.id, self._now())
        self.say(self._t.override[outcome.status].format(given=outcome.given_answer or ""))

    def _decks(self, user: UserView, args: list[str]) -> None:
        """/decks: the decks, numbered; « /decks 2 » switches the second one on or off."""
        decks = self._users.decks(user.id)
        if args:
            number = int(args[0]) if args[0].isdigit() else 0
            if not 1 <= number <= len(decks):
                self.say(self._t.deck_number.format(count=len(decks)))
                return
            chosen = decks[number - 1]
            self._users.set_deck_enabled(user.id, chosen.slug, not chosen.enabled)
            decks = self._users.decks(user.id)
        self.say(self._t.decks_title)
        for number, deck in enumerate(decks, start=1):
            self.say(
                self._t.deck_line.format(
                    number=number,
                    mark=texts.DECK_ON if deck.enabled else texts.DECK_OFF,
                    title=deck.title,
                    slug=deck.slug,
                    questions=self._t.questions(deck.question_count),
                )
            )
        self.say(self._t.decks_how_to)

    def _settings_command(self, user: UserView, args: list[str]) -> None:
        """/reglages: the settings; « /reglages nouvelles 15 » sets the new cards a day,
        « /reglages langue en » the language."""
        if args:
            word = args[0].lower()
            try:
                if len(args) == 2 and word in texts.NEW_CARDS_WORDS and args[1].isdigit():
                    self._users.update(user.id, self._now(), new_cards_per_day=int(args[1]))
                elif len(args) == 2 and word in texts.LANGUAGE_WORDS:
                    self._users.update(user.id, self._now(), language=args[1].lower())
                else:
                    self.say(self._t.settings_bad)
                    return
            except InvalidSetting:
                self.say(self._t.settings_bad)
                return
        current = self._users.get(user.id)
        self._t = texts.for_language(current.language)
        self.say(
            self._t.settings.format(
                new_cards=self._t.new_questions(current.new_cards_per_day),
                timezone=current.timezone,
                language=current.language,
            )
        )

    def _show(self, shown: ShownQuestion, *, again: bool = False) -> None:
        badge = f" · {self._t.new_badge}" if shown.is_new else ""
        self.say()
        if again:
            self.say(self._t.question_again)
        self.say(self._t.question_header.format(title=shown.deck_title, badge=badge))
        self.say(shown.prompt)
        for number, choice in enumerate(shown.choices, start=1):
            label = choice.capitalize() if shown.kind is QuestionKind.TRUE_FALSE else choice
            self.say(self._t.choice_line.format(number=number, choice=label))
        if shown.self_rated:
            self.say(self._t.reveal_how_to)

    def _answer(
        self, user: UserView, shown: ShownQuestion, line: str, shown_at: dt.datetime
    ) -> AnswerStep | None:
        """The same calls as Telegram's: the answer and the next question in one."""
        now = self._now()
        response_ms = elapsed_ms(shown_at, now)
        key = f"console:{shown.token}"
        if shown.choices and line.isdigit():
            index = int(line) - 1
            if 0 <= index < len(shown.choices):
                return self._study.answer_choice_and_next(
                    user.id, shown.token, index, now, idempotency_key=key, response_ms=response_ms
                )
            # « 1996 » is an option's text, graded as typed; « 7 » of four is a slip.
            if len(line) <= 2 and line not in shown.choices:
                self.say(self._t.choose_number.format(count=len(shown.choices)))
                return None
        return self._study.answer_open_and_next(
            user.id, line, now, token=shown.token, idempotency_key=key, response_ms=response_ms
        )

    def _report(self, outcome: AnswerOutcome) -> None:
        if outcome.verdict is None:
            self.say(self._t.refused)
            return
        if outcome.self_rated:
            # The answer, its source and explanation were shown before the student rated.
            self.say(self._t.self_verdicts[outcome.verdict])
        elif outcome.dont_know:
            self.say(self._t.dont_know)
        else:
            verdict = self._t.verdicts[outcome.verdict]
            self.say(f"{verdict} {self._t.reason(outcome.reason)}" if outcome.reason else verdict)
        if not outcome.self_rated:
            self._show_answer(outcome)
        if outcome.leech_suspended:
            self.say(self._t.leech(LEECH_LAPSES))
        if outcome.practice:
            self.say(self._t.practice_note)
        if outcome.can_override:
            self.say(self._t.override_hint)
        self.say(
            self._t.counts(
                self._t.session_counts, outcome.session_answered, outcome.session_correct
            )
        )

    def _show_answer(self, outcome: AnswerOutcome) -> None:
        """The expected answer, the student's attempt at a self-rated card (only a revealed
        card carries one), its source sentence and explanation."""
        if outcome.correct_answer is not None:
            self.say(self._t.expected.format(answer=outcome.correct_answer))
        if outcome.status is AnswerStatus.REVEALED and outcome.given:
            self.say(self._t.your_attempt.format(given=outcome.given))
        if outcome.source_sentence:
            self.say(self._t.source.format(sentence=outcome.source_sentence))
        if outcome.explanation:
            self.say(self._t.explanation.format(text=outcome.explanation))

    def _stats(self, user: UserView) -> None:
        """The figures of Telegram's /stats, as text (the chart is Telegram's only)."""
        report = self._statistics.student(user.id, self._now())
        self.say(render_stats(report, user.language))

    def _goodbye(self, user: UserView) -> None:
        now = self._now()
        summary = self._ended or self._study.end_session(user.id, now)
        answered = self._earlier[0] + summary.answered
        correct = self._earlier[1] + summary.correct
        self.say()
        if answered:
            self.say(self._t.session_summary(answered, correct))
        if summary.next_due is None:
            self.say(self._t.nothing_left)
        elif summary.next_due <= now:
            self.say(self._t.next_due_after_practice if summary.practice else self._t.next_due_now)
        else:
            self.say(
                self._t.next_due.format(when=self._t.when(summary.next_due, now, user.timezone))
            )
        if summary.more_new and not summary.practice:
            self.say(self._t.more_new_hint)
        self.say(self._t.bye)
