"""Consistent copies of the database while the bot runs.

SQLite: the online backup API copies pages under a read transaction, so writers may keep
going (WAL) and the copy is a valid database at one instant; the copy is checked
(``integrity_check`` and the row count of every table) before it replaces the target.
PostgreSQL: use `pg_dump`, which takes a consistent snapshot too (see the README); this module
refuses rather than pretend. The reasons come back as :class:`BackupFailure` codes;
``bot.cli`` words them.
"""

from __future__ import annotations

import sqlite3
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 1024


class BackupFailure(StrEnum):
    NOT_SQLITE = "not_sqlite"  # PostgreSQL: use pg_dump
    NO_DATABASE = "no_database"  # the SQLite file is not there
    SAME_FILE = "same_file"  # the copy would overwrite the database
    EMPTY_DATABASE = "empty_database"  # the file holds no table (not the bot's database)
    CORRUPT_COPY = "corrupt_copy"  # the copy fails its integrity check
    INCOMPLETE_COPY = "incomplete_copy"  # the copy's row counts differ from the database's


class BackupError(Exception):
    """The backup could not be made: ``failure`` says why, ``detail`` names the file, the
    integrity check's first line or the tables whose counts differ."""

    def __init__(self, failure: BackupFailure, detail: str = "") -> None:
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure
        self.detail = detail


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the SQLite database to `target` (overwritten); returns the copy's size in bytes.

    Nothing is left behind on failure: the copy is written next to the target and replaces
    it only once verified.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(BackupFailure.NOT_SQLITE, url.get_backend_name())
    source_path = Path(url.database or "")
    if not source_path.is_file():
        raise BackupError(BackupFailure.NO_DATABASE, str(source_path))
    if target.resolve() == source_path.resolve():
        raise BackupError(BackupFailure.SAME_FILE, str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # A URI, for read-only: `as_uri` percent-encodes the path ('#' or '?' in a folder name
    # otherwise end it, and SQLite opened, and created, another file).
    source = sqlite3.connect(
        f"{source_path.resolve().as_uri()}?mode=ro", uri=True, timeout=30, isolation_level=None
    )
    try:
        # One read transaction for the counts and the copy: the copy is of that snapshot
        # (WAL: writers go on meanwhile), so its rows must match the counts exactly.
        source.execute("BEGIN")
        counts = count_rows(source)
        if not counts:
            raise BackupError(BackupFailure.EMPTY_DATABASE, str(source_path))
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest, pages=PAGES_PER_STEP)
        finally:
            dest.close()
        source.execute("COMMIT")
        verify_copy(counts, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    partial.replace(target)  # the target is either the old copy or a whole new one
    return target.stat().st_size


def count_rows(db: sqlite3.Connection) -> dict[str, int]:
    """Rows of every table of ``db`` (SQLite's own tables aside)."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: db.execute(
            f'SELECT count(*) FROM "{name.replace(chr(34), chr(34) * 2)}"'
        ).fetchone()[0]
        for name in tables
    }


def verify_copy(counts: dict[str, int], copy: Path) -> None:
    """Raise :class:`BackupError` unless ``copy`` passes ``integrity_check`` and holds
    exactly ``counts`` rows per table."""
    db = sqlite3.connect(copy)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(BackupFailure.CORRUPT_COPY, str(check))
        found = count_rows(db)
    finally:
        db.close()
    wrong = [
        f"{name} : {found.get(name, 0)} lignes au lieu de {expected}"
        for name, expected in counts.items()
        if found.get(name) != expected
    ]
    if wrong or set(found) != set(counts):
        raise BackupError(BackupFailure.INCOMPLETE_COPY, ", ".join(wrong or ["tables"]))
