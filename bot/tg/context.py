"""The typed context every handler receives: the services, the settings, and the student.

The services are built once by the wiring (:func:`bot.tg.app.build_application`) and reached
through ``context.study``, ``context.users``… ``bot_data`` only holds that :class:`Services`
bundle: everything a student does is stored by the services in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.services.classroom import ClassroomService
from bot.services.clock import utcnow
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

    @classmethod
    def create(cls, settings: Settings, engine: Engine) -> Services:
        sessions = make_session_factory(engine)
        return cls(
            settings=settings,
            users=UserService(sessions, settings),
            study=StudyService(sessions),
            importer=ImportService(sessions),
            stats=StatsService(sessions),
            reminders=ReminderService(sessions, settings),
            classroom=ClassroomService(sessions),
        )


class BotData:
    """``bot_data``: the services bundle, set by the wiring right after ``build()``."""

    __slots__ = ("_services",)

    def __init__(self) -> None:
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the services are set by bot.tg.app.build_application")
        return self._services

    @services.setter
    def services(self, value: Services) -> None:
        self._services = value


@dataclass(frozen=True, slots=True)
class Student:
    """The student behind an update, with the strings of their language."""

    user: UserView
    texts: Texts
    chat_id: int

    @property
    def id(self) -> int:
        return self.user.id


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with typed access to the services."""

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


BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]
