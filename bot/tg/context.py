"""The typed context every handler receives: the services, the settings, and the student.

The services are built once by the wiring (:func:`bot.tg.app.build_application`) and reached
through ``context.study``, ``context.users``… ``bot_data`` only holds that :class:`Services`
bundle and the :class:`Tuning`; ``user_data`` only a cache of what is on the student's screen
(:class:`UserState`). Everything a student does is stored by the services in the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.config import Settings
from bot.services.classes import ClassService
from bot.services.classroom import ClassroomService
from bot.services.clock import utcnow
from bot.services.container import Services
from bot.services.drafts import DraftService
from bot.services.exports import ExportService
from bot.services.game import GameService
from bot.services.importing import ImportService
from bot.services.optimizer import OptimizerService
from bot.services.reminders import ReminderService
from bot.services.stats import StatsService
from bot.services.study import StudyService
from bot.services.users import UserService
from bot.services.views import UserView
from bot.tg.concurrency import run_sync
from bot.tg.texts import Texts, texts_for


@dataclass(frozen=True, slots=True)
class GameTuning:
    """The class game's pace in a group (Telegram: about 20 messages a minute per group)."""

    group_messages: int = 20  # messages at most in any ``group_window``, per group
    group_window: float = 60.0  # seconds
    min_interval: float = 1.0  # seconds between two messages in one chat
    pause: float = 3.0  # after a question's result, before the next poll (time to read)
    grace: float = 1.0  # after a poll's time, for the last votes in flight


@dataclass(frozen=True, slots=True)
class Tuning:
    """Timings; the defaults suit production, tests shorten them."""

    poll_timeout: float = 30.0  # long-polling wait of getUpdates, seconds
    network_retries: int = 3
    network_base_delay: float = 0.5  # first pause after a network error, doubled each time
    flood_retries: int = 3  # 429s retried after their retry_after
    reminder_interval: float = 60.0  # the daily-prompt job's period, seconds
    reminder_first: float | None = None  # first run after this many seconds (None: interval)
    game: GameTuning = GameTuning()  # the class game in groups (bot.tg.handlers.game)
    optimizer_interval: float = 3600.0  # the per-student FSRS fit job's period, seconds
    optimizer_first: float | None = 600.0  # its first run after start-up (None: never)


class BotData:
    """``bot_data``: the services bundle and the timings, set by the wiring after ``build()``."""

    __slots__ = ("_services", "generation", "tuning")

    def __init__(self) -> None:
        self._services: Services | None = None
        self.tuning = Tuning()
        #: The question generator's worker process (bot.tg.handlers.drafts starts it).
        self.generation: Any = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the services are set by bot.tg.app.build_application")
        return self._services

    @services.setter
    def services(self, value: Services) -> None:
        self._services = value


#: How long answers may reuse the student read at the start of a quiz (seconds).
STUDENT_CACHE_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """The question last sent to a student: the message that shows it (to take its buttons
    away when a newer question makes it stale)."""

    token: str
    message_id: int
    #: The showing whose « J'avais raison » that message also carries (a verdict above it).
    override: str | None = None
    #: A self-rated card whose answer the message shows (its buttons are the self-ratings).
    revealed: bool = False


@dataclass(frozen=True, slots=True)
class AwaitedSetting:
    """A setting the bot has just asked for (``kind``: ``"time"`` or ``"zone"``), with buttons
    or a typed prompt (``prompt``): a plain message typed then is taken as its value."""

    kind: str
    onboarding: bool
    prompt: bool = False


class UserState:
    """``user_data``: a per-process cache, never a source of truth.

    ``question``: the message showing the student's open question; the study service decides
    (by token) whether an answer counts and which question a typed answer is for. Lost on
    restart (or on another instance): its buttons then stay until answered. ``question_known``:
    False until this process has shown or looked up the student's open question (until then
    ``question`` None does not mean that none is open).

    ``awaiting``: the setting just asked for (the reminder time, the time zone), until the
    student does anything else (:meth:`BotContext.student` drops it; whoever asks sets it).

    ``student``: who the student is, as read by the last registration, reused by answers
    (:meth:`BotContext.quiz_student`) for a few minutes.
    """

    __slots__ = (
        "awaiting",
        "question",
        "question_known",
        "student",
        "student_key",
        "student_until",
    )

    def __init__(self) -> None:
        self.question: OpenQuestion | None = None
        self.question_known = False
        self.awaiting: AwaitedSetting | None = None
        self.student: Student | None = None
        self.student_key: tuple[int, str] | None = None
        self.student_until = 0.0


@dataclass(frozen=True, slots=True)
class Student:
    """The student behind an update, with the strings of their language."""

    user: UserView
    texts: Texts
    chat_id: int

    @property
    def id(self) -> int:
        return self.user.id

    def updated(self, user: UserView) -> Student:
        """The same student after a settings change (the language may have changed)."""
        return Student(user, texts_for(user.language), self.chat_id)


class BotContext(CallbackContext[ExtBot[int], UserState, dict[Any, Any], BotData]):
    """CallbackContext with typed access to the services."""

    @property
    def state(self) -> UserState:
        """The sender's screen cache (a throwaway one for updates without a sender)."""
        return self.user_data if self.user_data is not None else UserState()

    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def users(self) -> UserService:
        return self.services.users

    @property
    def study(self) -> StudyService:
        return self.services.study

    @property
    def importer(self) -> ImportService:
        return self.services.importer

    @property
    def stats(self) -> StatsService:
        return self.services.stats

    @property
    def reminders(self) -> ReminderService:
        return self.services.reminders

    @property
    def classroom(self) -> ClassroomService:
        return self.services.classroom

    @property
    def exports(self) -> ExportService:
        return self.services.exports

    @property
    def classes(self) -> ClassService:
        return self.services.classes

    @property
    def drafts(self) -> DraftService:
        return self.services.drafts

    @property
    def games(self) -> GameService:
        return self.services.games

    @property
    def optimizer(self) -> OptimizerService:
        return self.services.optimizer

    def is_teacher(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and user.id in self.settings.teacher_ids

    async def student(self, update: Update) -> Student:
        """Register (or refresh) the sender and return them with their language's strings."""
        tg_user, chat = update.effective_user, update.effective_chat
        if tg_user is None or chat is None:
            raise ValueError("an update without a sender has no student")
        state = self.user_data
        if state is not None:
            # Any other handler may change the student's settings: the next answer reads again.
            state.student = None
            # Whatever the student does next, the setting asked for is no longer awaited.
            state.awaiting = None
        user = await run_sync(
            self.users.register_telegram,
            tg_user.id,
            # Only a private chat is the student's own: a command in a class group must not
            # move their daily prompt and their quiz into the group.
            chat.id if chat.type == ChatType.PRIVATE else None,
            tg_user.full_name,
            tg_user.language_code,
            utcnow(),
        )
        return Student(user, texts_for(user.language), chat.id)

    async def quiz_student(self, update: Update) -> Student:
        """:meth:`student` for the quiz's own updates (/quiz and answers): a student answering
        question after question is read (and registered) once, then taken from this process's
        cache for up to ``STUDENT_CACHE_SECONDS`` while their chat and name stay the same. Any
        other update of theirs drops the cache (it may change a setting), and so does a
        restart."""
        tg_user, chat, state = update.effective_user, update.effective_chat, self.user_data
        if tg_user is None or chat is None or state is None:
            return await self.student(update)
        state.awaiting = None
        key = (chat.id, tg_user.full_name)
        now = time.monotonic()
        if state.student is not None and state.student_key == key and now < state.student_until:
            return state.student
        student = await self.student(update)
        state.student, state.student_key = student, key
        state.student_until = now + STUDENT_CACHE_SECONDS
        return student


#: The application as the wiring builds it (ExtBot[int]: the rate limiter's retry argument;
#: PTB's builder does not carry the custom context into the JobQueue's type, hence Any).
BotApplication = Application[
    ExtBot[int], BotContext, UserState, dict[Any, Any], BotData, JobQueue[Any]
]
