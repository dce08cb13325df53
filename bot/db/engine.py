"""Engine and session factory for SQLite (embedded default) and PostgreSQL (psycopg 3).

Resilience: a PostgreSQL connection the server dropped while idle (restart,
``pg_terminate_backend``, a proxy's idle timeout) fails its first statement; SQLAlchemy then
invalidates every connection of the pool opened before, and the Telegram layer runs the call
again (:func:`bot.tg.concurrency.run_sync`) on a fresh one. No ``pool_pre_ping``: it cost a
round trip on every checkout, i.e. on every update (``docs/performance.md``), for a case the
retry already covers. Connections carry an ``application_name`` (``quizbot`` unless the URL
sets one) so an operator sees them in ``pg_stat_activity``. SQLite waits up to
its busy timeout for another writer before saying "database is locked"; the Telegram layer
then runs the call again (:func:`bot.tg.concurrency.run_sync`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from bot.db.session import SessionFactory

SQLITE_BUSY_TIMEOUT_MS = 5000
DEFAULT_APPLICATION_NAME = "quizbot"
PG_CONNECT_TIMEOUT_S = 10


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, busy_timeout_ms: int) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(
    database_url: str, *, sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **kwargs: Any
) -> Engine:
    """Create the engine; for a SQLite file, create its folder first."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {}).setdefault("timeout", sqlite_busy_timeout_ms / 1000)
        engine = create_engine(url, **kwargs)
        pragmas = functools.partial(_sqlite_pragmas, busy_timeout_ms=sqlite_busy_timeout_ms)
        event.listen(engine, "connect", pragmas)
        return engine
    kwargs.setdefault("pool_size", 5)
    kwargs.setdefault("max_overflow", 10)
    connect_args = kwargs.setdefault("connect_args", {})
    for name, value in (
        ("application_name", DEFAULT_APPLICATION_NAME),
        # An unreachable server fails a request after this long instead of hanging it.
        ("connect_timeout", PG_CONNECT_TIMEOUT_S),
    ):
        if name not in url.query:
            connect_args.setdefault(name, value)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> SessionFactory:
    # expire_on_commit=False: services return values read before commit, after it.
    return sessionmaker(engine, expire_on_commit=False)
