"""Which database failures are worth running the same transaction again for.

The drivers say it in different ways: SQLAlchemy wraps them (``OperationalError`` for a lost
or refused connection, SQLite's "database is locked", PostgreSQL's serialisation failures
and shutdowns), SQLite also says ``OperationalError`` for bugs ("no such table"), PostgreSQL
gives a SQLSTATE. This module is the only place that knows; the front ends reach it through
:mod:`bot.services.errors`.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc

#: SQLSTATEs that mean "nothing was done, try again": serialisation failure, deadlock,
#: administrator shutdown / crash shutdown / cannot connect now (a PostgreSQL restart).
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "57P01", "57P02", "57P03"})
_SQLITE_TRANSIENT = ("locked", "busy", "unable to open", "disk i/o")

#: A write refused by a constraint: for the services, a unique key taken by a concurrent
#: transaction (two showings creating the same card, the same idempotency key): they read or
#: pick again. The one SQLAlchemy exception a service may name (``bot/services/ruff.toml``).
IntegrityError = sa_exc.IntegrityError

#: What a concurrent content writer can make an import fail with (a unique violation, a lock
#: timeout, a deadlock): the import runs again on the new state.
WRITE_CONFLICTS: tuple[type[sa_exc.DBAPIError], ...] = (
    sa_exc.IntegrityError,
    sa_exc.OperationalError,
)


def is_transient_db_error(error: BaseException) -> bool:
    """A database failure after which the same transaction may simply be run again.

    SQLAlchemy's ``OperationalError`` covers them (a lost or refused connection, SQLite's
    "database is locked", PostgreSQL's serialisation failures and shutdowns); plus any error
    on a connection SQLAlchemy has just invalidated, and the pool's own timeout. Integrity,
    data and programming errors are bugs or bad data: never retried.
    """
    if isinstance(error, sa_exc.TimeoutError):  # no connection free in the pool
        return True
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, sqlite3.OperationalError):
        # SQLite also says OperationalError for "no such table" and syntax errors: bugs.
        message = str(error.orig).lower()
        return any(part in message for part in _SQLITE_TRANSIENT)
    if isinstance(error, sa_exc.OperationalError):
        return True
    return getattr(error.orig, "sqlstate", None) in _TRANSIENT_SQLSTATES


def db_error_summary(error: BaseException) -> str:
    """One line about a database failure: the driver's first line, no SQL, no parameters."""
    orig = getattr(error, "orig", None) or error
    first = (str(orig).strip().splitlines() or [""])[0]
    return f"{type(orig).__name__}: {first}"
