"""What the study and user services hand to the front ends: frozen values, never ORM rows.

Errors the front ends may catch::

    ServiceError(Exception)
        UserNotFound(ServiceError, LookupError)      no student with that id
        DeckNotFound(ServiceError, LookupError)      no live deck with that slug
        InvalidSetting(ServiceError, ValueError)     a setting refused; ``.field`` names it
        ClassNotFound(ServiceError, LookupError)     no class with that id
        NotTeacherOfClass(ServiceError, PermissionError)  not a teacher of that class
        DraftNotFound(ServiceError, LookupError)     no draft of that teacher with that id

Stale, forged or repeated answers are *not* errors: they come back as an
:class:`AnswerOutcome` whose ``status`` says what happened, and nothing is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.deck import QuestionKind
from bot.domain.grading import Reason, Verdict


class ServiceError(Exception):
    """Base of the errors the services raise on purpose."""


class UserNotFound(ServiceError, LookupError):
    def __init__(self, user_id: int) -> None:
        super().__init__(f"no user with id {user_id}")
        self.user_id = user_id


class DeckNotFound(ServiceError, LookupError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"no deck {slug!r}")
        self.slug = slug


class InvalidSetting(ServiceError, ValueError):
    """``field`` is the keyword given to ``UserService.update`` (``timezone``, …)."""

    def __init__(self, field: str, value: object) -> None:
        super().__init__(f"invalid {field}: {value!r}")
        self.field = field
        self.value = value


class ClassNotFound(ServiceError, LookupError):
    def __init__(self, class_id: int) -> None:
        super().__init__(f"no class with id {class_id}")
        self.class_id = class_id


class NotTeacherOfClass(ServiceError, PermissionError):
    def __init__(self, class_id: int, user_id: int) -> None:
        super().__init__(f"user {user_id} does not teach class {class_id}")
        self.class_id = class_id
        self.user_id = user_id


class DraftNotFound(ServiceError, LookupError):
    def __init__(self, draft_id: int) -> None:
        super().__init__(f"no draft with id {draft_id}")
        self.draft_id = draft_id


class AnswerStatus(StrEnum):
    RECORDED = "recorded"
    #: The same idempotency key was seen before: the first outcome is returned, counted once.
    DUPLICATE = "duplicate"
    #: The token is real but not the current question (a newer one was shown, or it was
    #: already answered under another key).
    STALE = "stale"
    #: Forged token, another student's token, or a choice index that was never shown.
    UNKNOWN = "unknown"
    #: A typed answer while no question is open (nothing recorded).
    NO_QUESTION = "no_question"
    #: A typed answer to a question answered with its buttons (nothing recorded).
    NEEDS_CHOICE = "needs_choice"
    #: A self-rated card's answer shown (nothing recorded): the student rates themself next
    #: (``StudyService.rate_self_and_next``); ``given`` holds the attempt typed, if any.
    REVEALED = "revealed"


class UndoStatus(StrEnum):
    UNDONE = "undone"
    NOTHING = "nothing"  # no answer to undo (none yet, or the last one was already undone)
    TOO_LATE = "too_late"  # the last answer is older than the undo window


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    telegram_id: int | None
    chat_id: int | None
    console_name: str | None
    display_name: str
    language: str
    timezone: str
    reminder_time: dt.time | None
    next_reminder_at: dt.datetime | None
    reminders_paused: bool
    new_cards_per_day: int
    desired_retention: float
    blocked_at: dt.datetime | None
    created_at: dt.datetime
    #: Owner or co-teacher of at least one class (read with the user).
    teaches_a_class: bool = False


@dataclass(frozen=True, slots=True)
class DeckChoiceView:
    slug: str
    title: str
    description: str | None
    language: str
    enabled: bool
    question_count: int


@dataclass(frozen=True, slots=True)
class ShownQuestion:
    """A question as shown; the answer must carry ``token``.

    ``choices`` are the buttons, in the order shown (``answer_choice`` takes an index into
    them, from 0); empty for typed answers. ``prompt`` has a cloze's gap blanked out.
    ``shown_at``: when it was shown (for the response time of an answer).
    """

    token: str
    question_id: int
    deck_slug: str
    deck_title: str
    kind: QuestionKind
    prompt: str
    choices: tuple[str, ...]
    is_new: bool
    practice: bool
    session_answered: int
    session_correct: int
    shown_at: dt.datetime | None = None

    @property
    def self_rated(self) -> bool:
        """A card whose answer is revealed and the student rates themself (no typing
        needed: « Voir la réponse », then « Je savais », « En partie », « Je ne savais pas »)."""
        return self.kind.self_graded


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    """What happened to an answer. Only ``recorded`` and ``duplicate`` carry a verdict."""

    status: AnswerStatus
    verdict: Verdict | None = None
    #: Why (a code and its data): the front ends say it in the student's language.
    reason: Reason | None = None
    given: str | None = None
    correct_answer: str | None = None
    source_sentence: str | None = None
    explanation: str | None = None
    #: The card reached the leech threshold with this answer and was suspended.
    leech_suspended: bool = False
    practice: bool = False
    #: When the card comes back (None for practice answers and refused ones).
    next_due: dt.datetime | None = None
    session_answered: int = 0
    session_correct: int = 0
    #: The student said they did not know (« je ne sais pas », « ? »): show the answer kindly.
    dont_know: bool = False
    #: The showing answered; with ``can_override``, « J'avais raison » applies to it.
    showing_token: str | None = None
    #: A typed answer graded wrong: the student may overrule the grader.
    can_override: bool = False
    #: A self-rated card: the verdict is the student's own (no « J'avais raison »).
    self_rated: bool = False
    #: ``revealed``: the self-rated card, still open (its verdict is still to come).
    card: ShownQuestion | None = None

    @property
    def accepted(self) -> bool:
        """The answer counts (now or the first time it was delivered)."""
        return self.status in (AnswerStatus.RECORDED, AnswerStatus.DUPLICATE)

    @property
    def is_correct(self) -> bool:
        return self.verdict in (Verdict.CORRECT, Verdict.CLOSE)


@dataclass(frozen=True, slots=True)
class UndoOutcome:
    status: UndoStatus
    prompt: str | None = None
    given_answer: str | None = None
    session_answered: int = 0
    session_correct: int = 0


@dataclass(frozen=True, slots=True)
class AnswerStep:
    """An answer and what follows it (``StudyService.answer_…_and_next``).

    A counted answer comes with the next question (``next``) or, when nothing is left, the
    run's summary (the run is closed). ``followed``: a re-delivered answer whose first
    delivery already showed the next question; neither comes again.
    """

    outcome: AnswerOutcome
    next: ShownQuestion | None = None
    summary: SessionSummary | None = None
    followed: bool = False


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A run of questions. ``next_due``: the earliest time ``next_question`` has something
    (``now`` itself when something is waiting; None when nothing is left to study)."""

    answered: int
    correct: int
    next_due: dt.datetime | None
    practice: bool = False
    deck_slug: str | None = None
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    #: New questions wait behind today's limit: « Encore 10 nouvelles ? » would show them.
    more_new: bool = False
    #: Studied cards exist: « Réviser en avance » would show them (as practice).
    review_ahead: bool = False


class OverrideStatus(StrEnum):
    """« J'avais raison »: what became of the request."""

    DONE = "done"  # marked right, rescheduled as if graded right, logged
    NOTHING = "nothing"  # no typed answer graded wrong to overrule
    TOO_LATE = "too_late"  # older than the override window
    ALREADY = "already"  # overruled before


@dataclass(frozen=True, slots=True)
class OverrideOutcome:
    status: OverrideStatus
    prompt: str | None = None
    given_answer: str | None = None
    #: When the card now comes back (None: practice, or a later answer moved it since).
    next_due: dt.datetime | None = None
