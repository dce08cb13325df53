"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL tests use the server on 127.0.0.1:5432 (trust auth, database `test`), each test in
its own schema, dropped afterwards. Without a server they skip with the reason, except when
`CI` is set: then they fail, so that a green CI always means PostgreSQL was exercised.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_engine, make_session_factory
from bot.db.models import Base

#: The end-to-end fixtures shared by tests/tg and tests/reliability.
pytest_plugins = ("tests.support.bot_fixtures",)

# PTB 22 warns (and under -W error raises) when it builds RetryAfter without this opt-in.
os.environ.setdefault("PTB_TIMEDELTA", "true")

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

_pg_state: dict[str, str | None] = {}


def _postgres_unavailable() -> str | None:
    """None when the server answers, else the reason (checked once per run)."""
    if "reason" not in _pg_state:
        try:
            probe = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
            with probe.connect() as conn:
                conn.execute(text("select 1"))
            probe.dispose()
            _pg_state["reason"] = None
        except Exception as exc:  # any failure to connect means "no server"
            _pg_state["reason"] = f"PostgreSQL injoignable sur {PG_ADMIN_URL}: {exc!s:.200}"
    return _pg_state["reason"]


def require_postgres() -> None:
    reason = _postgres_unavailable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set, PostgreSQL tests must run: {reason}")
    pytest.skip(reason)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL schema (search_path set through the URL)."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_ADMIN_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty database on each engine: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh database holding the whole schema (from the models)."""
    eng = make_engine(db_url)
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as s:
        yield s
