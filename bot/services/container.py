"""The one place that builds the services: both front ends (``bot.tg``, ``bot.console``) and
the command line receive a :class:`Services` and never see the database engine's sessions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.services.classes import ClassGameAccess, ClassService
from bot.services.classroom import ClassroomService
from bot.services.drafts import DraftService
from bot.services.exports import ExportService
from bot.services.game import GameService
from bot.services.importing import ImportService
from bot.services.optimizer import OptimizerService
from bot.services.reminders import ReminderService
from bot.services.stats import StatsService
from bot.services.study import StudyService
from bot.services.users import UserService


@dataclass(frozen=True, slots=True)
class Services:
    """Everything the front ends call; each service owns its transactions."""

    settings: Settings
    users: UserService
    study: StudyService
    importer: ImportService
    stats: StatsService
    reminders: ReminderService
    classroom: ClassroomService
    exports: ExportService
    classes: ClassService
    drafts: DraftService
    games: GameService
    optimizer: OptimizerService

    @classmethod
    def create(cls, settings: Settings, engine: Engine) -> Services:
        sessions = make_session_factory(engine)
        importer = ImportService(sessions)
        return cls(
            settings=settings,
            users=UserService(sessions, settings),
            study=StudyService(sessions),
            importer=importer,
            stats=StatsService(sessions),
            reminders=ReminderService.from_settings(sessions, settings),
            classroom=ClassroomService(sessions),
            exports=ExportService(sessions),
            classes=ClassService(sessions),
            drafts=DraftService(sessions, importer),
            games=GameService(sessions, ClassGameAccess(sessions, settings.teacher_ids)),
            optimizer=OptimizerService(sessions),
        )


def build_services(settings: Settings, engine: Engine) -> Services:
    """The services of one process, on ``engine``."""
    return Services.create(settings, engine)
