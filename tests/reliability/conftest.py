"""Fixtures of the reliability tests: the real Application on a fake Telegram that can fail.

Like ``tests/tg``: a fresh database per test, the production wiring with short timings, the
bot long-polling a fake Bot API on 127.0.0.1 — here :class:`~.support.FaultyTelegram`. Tests
run on SQLite unless they ask for both engines (``@BOTH_ENGINES``): the faults that differ by
engine have their own tests.

Every test's logs are captured down to debug level (httpx quiet, as ``setup_logging`` sets it
in production) and searched for the bot token afterwards: it must never be there.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.config import Settings
from bot.services.container import build_services
from bot.tg import flood
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication
from tests.reliability.support import ErrorSpy, FaultyTelegram
from tests.support.fake_telegram import DEFAULT_TOKEN
from tests.tg.harness import FAST

BOTH_ENGINES = pytest.mark.parametrize(
    "bot_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


class FakeClock:
    """A monotonic clock the test moves by hand (for the flood guard)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def no_token_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Capture everything the bot logs; fail the test if the token shows up in it."""
    quiet = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.WARNING)  # as setup_logging: httpx logs URLs with the token
    caplog.set_level(logging.DEBUG)
    try:
        yield
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)
    leaked = [r for r in caplog.records if DEFAULT_TOKEN in _full_text(r)]
    assert not leaked, f"the bot token is in the logs: {_full_text(leaked[0])[:300]}"


def _full_text(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text


@pytest.fixture
def bot_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite unless parametrized (indirect) with "postgresql"."""
    engine = getattr(request, "param", "sqlite")
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def bot_db_url(bot_url: str) -> str:
    return bot_url


@pytest.fixture
async def tg() -> AsyncIterator[FaultyTelegram]:
    async with FaultyTelegram() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(bot_settings: Settings, bot_engine: Engine, clock: FakeClock) -> BotApplication:
    """The production wiring; the flood guard reads the test's clock."""
    application = build_application(
        bot_settings, build_services(bot_settings, bot_engine), tuning=FAST
    )
    flood.guard_of(application).clock = clock
    return application


@pytest.fixture
def spy(app: BotApplication) -> ErrorSpy:
    """Every call of the error handler (which still runs)."""
    return ErrorSpy().install(app)


@pytest.fixture
async def bot(app: BotApplication, spy: ErrorSpy) -> AsyncIterator[BotApplication]:
    async with running(app):
        yield app
