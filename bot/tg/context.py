"""The typed context every handler receives: the services, the settings, and the student.

The services are built once by the wiring (:func:`bot.tg.app.build_application`) and reached
through ``context.study``, ``context.users``… ``bot_data`` only holds that :class:`Services`
bundle and the :class:`Tuning`; ``user_data`` only a cache of what is on the student's screen
(:class:`UserState`). Everything a student does is stored by the services in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.services.classroom import ClassroomService
from bot.services.clock import utcnow
from bot.services.exports import ExportService
from bot.services.importing import ImportService
from bot.services.reminders import ReminderService
from bot.services.stats import StatsService
from bot.services.study import StudyService
from bot.services.users import UserService
from bot.services.views import UserView
from bot.tg.concurrency import run_sync
from bot.tg.texts import Texts, texts_for


@dataclass(frozen=True, slots=True)
class Services:
    """Everything the handlers call; each service owns its transactions."""

    settings: Settings
    users: UserService
    study: StudyService
    importer: ImportService
    stats: StatsService
    reminders: ReminderService
    classroom: ClassroomService
    exports: ExportService

    @classmethod
    def create(cls, settings: Settings, engine: Engine) -> Services:
        sessions = make_session_factory(engine)
        return cls(
            settings=settings,
            users=UserService(sessions, settings),
            study=StudyService(sessions),
            importer=ImportService(sessions),
            stats=StatsService(sessions),
            reminders=ReminderService.from_settings(sessions, settings),
            classroom=ClassroomService(sessions),
            exports=ExportService(sessions),
        )


@dataclass(frozen=True, slots=True)
class Tuning:
    """Timings; the defaults suit production, tests shorten them."""

    poll_timeout: float = 30.0  # long-polling wait of getUpdates, seconds
    network_retries: int = 3
    network_base_delay: float = 0.5  # first pause after a network error, doubled each time
    flood_retries: int = 3  # 429s retried after their retry_after
    reminder_interval: float = 60.0  # the daily-prompt job's period, seconds
    reminder_first: float | None = None  # first run after this many seconds (None: interval)


class BotData:
    """``bot_data``: the services bundle and the timings, set by the wiring after ``build()``."""

    __slots__ = ("_services", "tuning")

    def __init__(self) -> None:
        self._services: Services | None = None
        self.tuning = Tuning()

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the services are set by bot.tg.app.build_application")
        return self._services

    @services.setter
    def services(self, value: Services) -> None:
        self._services = value


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """The question last sent to a student, as sent (to match a typed answer and edit it)."""

    token: str
    message_id: int
    body: str
    typed: bool
    sent_at: dt.datetime


class UserState:
    """``user_data``: a cache of what is on the student's screen, never a source of truth.

    The study service decides (by token) whether an answer counts and which question a typed
    answer is for (``StudyService.current``); this only says which message shows it, to edit
    it with the verdict. Lost on restart (or on another instance): the verdict then comes as
    a new message.
    """

    __slots__ = ("question",)

    def __init__(self) -> None:
        self.question: OpenQuestion | None = None


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

    def is_teacher(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and user.id in self.settings.teacher_ids

    async def student(self, update: Update) -> Student:
        """Register (or refresh) the sender and return them with their language's strings."""
        tg_user, chat = update.effective_user, update.effective_chat
        if tg_user is None or chat is None:
            raise ValueError("an update without a sender has no student")
        user = await run_sync(
            self.users.register_telegram,
            tg_user.id,
            chat.id,
            tg_user.full_name,
            tg_user.language_code,
            utcnow(),
        )
        return Student(user, texts_for(user.language), chat.id)


#: The application as the wiring builds it (ExtBot[int]: the rate limiter's retry argument;
#: PTB's builder does not carry the custom context into the JobQueue's type, hence Any).
BotApplication = Application[
    ExtBot[int], BotContext, UserState, dict[Any, Any], BotData, JobQueue[Any]
]
