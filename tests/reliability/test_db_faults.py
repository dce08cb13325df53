"""The database failing under the bot: SQLite locked by another writer, PostgreSQL connections
dropped (idle, or in the middle of saving an answer), PostgreSQL away for longer.

The bot recovers by itself (the pool invalidating dead connections, and
:func:`bot.tg.concurrency.run_sync` running the service call again); when it cannot, the
student is told in French that the answer was not saved and to try again — the buttons stay,
and the second try counts once.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_engine, make_session_factory
from bot.db.models import Base
from bot.services.container import build_services
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication
from bot.tg.texts import FR
from tests.conftest import PG_ADMIN_URL
from tests.reliability.logs import loud, show, tracebacks
from tests.reliability.support import ErrorSpy, FaultyTelegram
from tests.support.fake_telegram import FakeUser
from tests.tg.harness import FAST, STUDENT_ID, buttons, count_reviews, make_settings


@asynccontextmanager
async def bot_on(
    tg: FaultyTelegram, url: str, questions_dir: Path, **engine_args: Any
) -> AsyncIterator[tuple[BotApplication, ErrorSpy, sessionmaker[Session]]]:
    settings = make_settings(tg, url, questions_dir)
    engine = make_engine(url, **engine_args)
    Base.metadata.create_all(engine)
    try:
        app = build_application(settings, build_services(settings, engine), tuning=FAST)
        spy = ErrorSpy().install(app)
        async with running(app):
            yield app, spy, make_session_factory(engine)
    finally:
        engine.dispose()


async def first_question(student: FakeUser) -> dict[str, Any]:
    student.send_command("/quiz")
    return await student.wait_for_message("principal allié")


# -- SQLite: another writer holds the lock -----------------------------------------------------


@asynccontextmanager
async def sqlite_writer_holding_lock(path: Path) -> AsyncIterator[sqlite3.Connection]:
    """Another process's write transaction (BEGIN IMMEDIATE), held until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE decks SET title = title")
        yield other
        other.execute("COMMIT")
    finally:
        other.close()


async def test_sqlite_locked_briefly_the_answer_is_saved_anyway(
    tg: FaultyTelegram, tmp_path: Path, questions_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bot.sqlite3"
    async with bot_on(tg, f"sqlite:///{path}", questions_dir, sqlite_busy_timeout_ms=200) as (
        _app,
        spy,
        db,
    ):
        student = tg.user(STUDENT_ID, "Léa")
        question = await first_question(student)
        mark = len(caplog.records)
        async with sqlite_writer_holding_lock(path):
            student.press(question, buttons(question)["la Russie"])
            await asyncio.sleep(0.5)  # longer than the busy timeout: the first try fails
        await student.wait_for_message("membre de l'OTAN", timeout=5)
        assert count_reviews(db) == 1
        assert not spy.calls
        assert not loud(caplog, mark), show(loud(caplog, mark))
        assert any("attempts (database was failing)" in r.message for r in caplog.records[mark:])


async def test_sqlite_locked_for_long_the_student_is_asked_to_retry(
    tg: FaultyTelegram, tmp_path: Path, questions_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bot.sqlite3"
    async with bot_on(tg, f"sqlite:///{path}", questions_dir, sqlite_busy_timeout_ms=200) as (
        _app,
        spy,
        db,
    ):
        student = tg.user(STUDENT_ID, "Léa")
        question = await first_question(student)
        mark = len(caplog.records)
        async with sqlite_writer_holding_lock(path):
            press = student.press(question, buttons(question)["la Russie"])
            told = await student.wait_for_message("n'a pas pu être enregistrée", timeout=5)
            answer = await tg.wait_for_callback_answer(press)
        assert told["text"] == FR.answer_not_saved
        assert answer.text is not None and "n'a pas pu être enregistrée" in answer.text
        assert count_reviews(db) == 0
        assert len(spy.calls) == 1
        incidents = loud(caplog, mark)
        assert len(incidents) == 1 and "database unavailable" in incidents[0].message
        assert "database is locked" in incidents[0].message
        assert not tracebacks(caplog, mark), show(tracebacks(caplog, mark))

        # The buttons are still there: the second try counts, once.
        student.press(question, buttons(question)["la Russie"])
        await student.wait_for_message("membre de l'OTAN", timeout=5)
        assert count_reviews(db) == 1


# -- PostgreSQL: connections dropped -----------------------------------------------------------


@pytest.fixture
def pg_bot_url(pg_schema_url: str) -> str:
    """The test schema, with an application_name to find the bot's connections by."""
    name = f"quizbot-test-{uuid.uuid4().hex[:10]}"
    return str(make_url(pg_schema_url).update_query_dict({"application_name": name}))


@pytest.fixture
def pg_admin() -> Iterator[Engine]:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def terminate(admin: Engine, application_name: str) -> int:
    """pg_terminate_backend on every connection of that application; how many there were."""
    with admin.connect() as conn:
        return len(
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid, 2000) FROM pg_stat_activity "
                    "WHERE datname = 'test' AND pid <> pg_backend_pid() "
                    "AND application_name = :name"
                ),
                {"name": application_name},
            ).all()
        )


class DropOnSave:
    """Kills the bot's own connection when it writes a review, ``times`` times."""

    def __init__(self, admin: Engine, times: int) -> None:
        self.admin = admin
        self.times = times
        self.dropped = 0

    def __call__(
        self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        # The answer's writes: the review's INSERT, alone (SQLite) or in the one statement
        # that also claims the showing and updates the card (PostgreSQL).
        if self.dropped >= self.times or "INSERT INTO REVIEWS" not in statement.upper():
            return
        self.dropped += 1
        pid = conn.connection.dbapi_connection.info.backend_pid
        with self.admin.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid, 2000)"), {"pid": pid})


@pytest.mark.postgres
async def test_postgres_idle_connections_dropped_are_replaced(
    tg: FaultyTelegram,
    pg_bot_url: str,
    pg_admin: Engine,
    questions_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    name = make_url(pg_bot_url).query["application_name"]
    async with bot_on(tg, pg_bot_url, questions_dir) as (_app, spy, db):
        student = tg.user(STUDENT_ID, "Léa")
        question = await first_question(student)
        mark = len(caplog.records)
        assert terminate(pg_admin, str(name)) >= 1  # the bot's pooled connections
        student.press(question, buttons(question)["la Russie"])
        await student.wait_for_message("membre de l'OTAN")
        assert count_reviews(db) == 1
        assert not spy.calls
        assert not loud(caplog, mark), show(loud(caplog, mark))


@pytest.mark.postgres
async def test_postgres_connection_dropped_while_saving_an_answer(
    tg: FaultyTelegram,
    pg_bot_url: str,
    pg_admin: Engine,
    questions_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with bot_on(tg, pg_bot_url, questions_dir) as (app, spy, db):
        drop = DropOnSave(pg_admin, times=1)
        bot_engine = app.bot_data.services.study._sessions.kw["bind"]
        event.listen(bot_engine, "before_cursor_execute", drop)
        student = tg.user(STUDENT_ID, "Léa")
        question = await first_question(student)
        mark = len(caplog.records)
        student.press(question, buttons(question)["la Russie"])
        await student.wait_for_message("membre de l'OTAN", timeout=5)
        assert drop.dropped == 1
        assert count_reviews(db) == 1  # saved by the second try, once
        assert not spy.calls
        assert not loud(caplog, mark), show(loud(caplog, mark))


@pytest.mark.postgres
async def test_postgres_gone_for_long_the_student_is_asked_to_retry(
    tg: FaultyTelegram,
    pg_bot_url: str,
    pg_admin: Engine,
    questions_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with bot_on(tg, pg_bot_url, questions_dir) as (app, spy, db):
        drop = DropOnSave(pg_admin, times=3)  # every try of this answer
        bot_engine = app.bot_data.services.study._sessions.kw["bind"]
        event.listen(bot_engine, "before_cursor_execute", drop)
        student = tg.user(STUDENT_ID, "Léa")
        question = await first_question(student)
        mark = len(caplog.records)
        student.press(question, buttons(question)["la Russie"])
        told = await student.wait_for_message("n'a pas pu être enregistrée", timeout=8)
        assert told["text"] == FR.answer_not_saved
        assert count_reviews(db) == 0
        assert len(loud(caplog, mark)) == 1, show(loud(caplog, mark))
        assert not tracebacks(caplog, mark), show(tracebacks(caplog, mark))

        student.press(question, buttons(question)["la Russie"])  # the server is back
        await student.wait_for_message("membre de l'OTAN", timeout=5)
        assert count_reviews(db) == 1
        assert len(spy.calls) == 1
