"""End-to-end fixtures: the real python-telegram-bot Application against a fake Bot API.

Each test gets a fresh database (SQLite file, or a PostgreSQL schema: the ``db_url`` fixture
runs every test on both), a questions folder, the fake Telegram server on 127.0.0.1, and the
bot built by the production wiring with its base URL pointed at the fake and short timings
(see :mod:`tests.tg.harness`). The bot long-polls the fake as it would Telegram.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.decks import BELARUS
from tests.tg.harness import FAST, STUDENT_ID, TEACHER_ID, make_schema, make_settings


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
    return make_settings(tg, db_url, questions_dir)


@pytest.fixture
def bot_engine(bot_settings: Settings) -> Iterator[Engine]:
    engine = make_schema(bot_settings)
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
