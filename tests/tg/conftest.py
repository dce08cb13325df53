"""End-to-end fixtures: the real python-telegram-bot Application against a fake Bot API.

Each test gets a fresh database (SQLite file, or a PostgreSQL schema: the ``db_url`` fixture
runs every test on both), a questions folder, the fake Telegram server on 127.0.0.1, and the
bot built by the production wiring (:func:`bot.tg.app.build_application`) with its base URL
pointed at the fake and short timings. The bot long-polls the fake as it would Telegram.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import make_engine, make_session_factory
from bot.db.models import Base, Review, User
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication, Tuning
from tests.support.fake_telegram import FakeTelegram, FakeUser, button_data
from tests.tg.decks import BELARUS

TEACHER_ID = 9001
STUDENT_ID = 4242

#: Fast timings: a short long-poll, network retries after 10 ms, the daily job far away
#: (tests run it by hand).
FAST = Tuning(
    poll_timeout=1.0,
    network_retries=3,
    network_base_delay=0.01,
    flood_retries=2,
    reminder_interval=3600.0,
)

JSON = dict[str, Any]


@pytest.fixture
def deck_yaml() -> str:
    """The questions folder's only file (parametrize ``deck_yaml`` to change it)."""
    return BELARUS


@pytest.fixture
def questions_dir(tmp_path: Path, deck_yaml: str) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "deck.yaml").write_text(deck_yaml, encoding="utf-8")
    return folder


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def bot_settings(tg: FakeTelegram, db_url: str, questions_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=tg.token,
        telegram_api_url=tg.base_url,
        telegram_file_url=tg.base_file_url,
        database_url=db_url,
        questions_dir=questions_dir,
        teacher_ids=frozenset({TEACHER_ID}),
        max_upload_bytes=4096,
    )


@pytest.fixture
def bot_engine(bot_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(bot_settings.database_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(bot_engine: Engine) -> sessionmaker[Session]:
    """Sessions on the bot's database, for looking at what the bot stored."""
    return make_session_factory(bot_engine)


@pytest.fixture
def app(bot_settings: Settings, bot_engine: Engine) -> BotApplication:
    return build_application(bot_settings, bot_engine, tuning=FAST)


@pytest.fixture
async def bot(app: BotApplication) -> AsyncIterator[BotApplication]:
    """The bot, started (questions imported, commands published) and polling the fake."""
    async with running(app):
        yield app


@pytest.fixture
def student(tg: FakeTelegram) -> FakeUser:
    return tg.user(STUDENT_ID, "Léa", "fr")


@pytest.fixture
def teacher(tg: FakeTelegram) -> FakeUser:
    return tg.user(TEACHER_ID, "Mme Martin", "fr")


# --- helpers ---------------------------------------------------------------------------------


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
