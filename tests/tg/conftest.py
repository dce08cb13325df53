"""End-to-end fixtures: the real python-telegram-bot Application against a fake Bot API.

Each test gets a fresh database (SQLite file, or a PostgreSQL schema: the ``db_url`` fixture
runs every test on both), a questions folder, the fake Telegram server on 127.0.0.1, and the
bot built by the production wiring with its base URL pointed at the fake and short timings
(see :mod:`tests.tg.harness`). The bot long-polls the fake as it would Telegram. The
questions folder, settings, database and users are shared with ``tests/reliability``
(:mod:`tests.support.bot_fixtures`); this folder sets the plain fake and both engines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine

from bot.config import Settings
from bot.services.container import build_services
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram
from tests.tg.harness import FAST


@pytest.fixture
def bot_db_url(db_url: str) -> str:
    """Every end-to-end test runs on both engines (``db_url``)."""
    return db_url


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def app(bot_settings: Settings, bot_engine: Engine) -> BotApplication:
    return build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)


@pytest.fixture
async def bot(app: BotApplication) -> AsyncIterator[BotApplication]:
    """The bot, started (questions imported, commands published) and polling the fake."""
    async with running(app):
        yield app
