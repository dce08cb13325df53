"""Fixtures shared by the end-to-end tests (``tests/tg``, ``tests/reliability``): the bot's
questions folder, settings, database and two Telegram users.

Registered for the whole suite by ``tests/conftest.py`` (``pytest_plugins``). Each folder's
conftest provides the two things that differ: ``tg`` (the fake Bot API: plain, or one that can
fail) and ``bot_db_url`` (every test on both engines, or SQLite unless a test asks for both).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import make_session_factory
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.decks import BELARUS
from tests.tg.harness import STUDENT_ID, TEACHER_ID, make_schema, make_settings


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
def bot_settings(tg: FakeTelegram, bot_db_url: str, questions_dir: Path) -> Settings:
    return make_settings(tg, bot_db_url, questions_dir)


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
def student(tg: FakeTelegram) -> FakeUser:
    return tg.user(STUDENT_ID, "Léa", "fr")


@pytest.fixture
def teacher(tg: FakeTelegram) -> FakeUser:
    return tg.user(TEACHER_ID, "Mme Martin", "fr")
