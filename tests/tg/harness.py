"""What the end-to-end tests share: the bot on a fake Bot API, and small readers.

:func:`bot_running` starts the production wiring (:func:`bot.tg.app.build_application`) with
its base URL pointed at a :class:`FakeTelegram` on 127.0.0.1 and short timings; the fixtures
of ``conftest.py`` (and ``tests/test_commands_doc.py``) are built on it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import make_engine
from bot.db.models import Base, Review, User
from bot.services.container import build_services
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication, Tuning
from tests.support.fake_telegram import FakeTelegram, FakeUser, button_data

TEACHER_ID = 9001
STUDENT_ID = 4242

#: Fast timings: a short long-poll (a wait on database state ends at the next poll at the
#: latest), network retries after 10 ms, the daily job far away (tests run it by hand).
FAST = Tuning(
    poll_timeout=0.25,
    network_retries=3,
    network_base_delay=0.01,
    flood_retries=2,
    reminder_interval=3600.0,
)

JSON = dict[str, Any]


def make_settings(tg: FakeTelegram, db_url: str, questions_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(tg.token),
        telegram_api_url=tg.base_url,
        telegram_file_url=tg.base_file_url,
        database_url=db_url,
        questions_dir=questions_dir,
        teacher_ids=frozenset({TEACHER_ID}),
        max_upload_bytes=4096,
    )


def make_schema(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    return engine


@asynccontextmanager
async def bot_running(
    db_url: str, questions_dir: Path
) -> AsyncIterator[tuple[FakeTelegram, BotApplication]]:
    """The fake Bot API and the bot polling it, on a fresh schema at ``db_url``."""
    async with FakeTelegram() as tg:
        settings = make_settings(tg, db_url, questions_dir)
        engine = make_schema(settings)
        try:
            app = build_application(settings, build_services(settings, engine), tuning=FAST)
            async with running(app):
                yield tg, app
        finally:
            engine.dispose()


def count_reviews(db: sessionmaker[Session]) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(Review)) or 0


def get_user(db: sessionmaker[Session], telegram_id: int) -> User | None:
    with db() as session:
        return session.scalar(select(User).where(User.telegram_id == telegram_id))


def buttons(message: JSON) -> dict[str, str]:
    """Visible text → callback data of a message's inline buttons."""
    markup = message.get("reply_markup") or {}
    return {
        b["text"]: b["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for b in row
        if "callback_data" in b
    }


def has_buttons(message: JSON) -> bool:
    return bool(button_data(message))


def last_id(tg: FakeTelegram, user: FakeUser) -> int:
    """The newest message id in the chat (the bot's next message will be after it)."""
    messages = tg.messages(user.chat_id, include_user=True)
    return max((int(m["message_id"]) for m in messages), default=0)
