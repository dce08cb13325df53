"""Consistent copies of the database while the bot runs.

SQLite: the online backup API copies pages under a read transaction, so writers may keep
going (WAL) and the copy is a valid database at one instant. PostgreSQL: use `pg_dump`, which
takes a consistent snapshot too (see the README); this module refuses rather than pretend.
The reasons come back as :class:`BackupFailure` codes; ``bot.cli`` words them.
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
    CORRUPT_COPY = "corrupt_copy"  # the copy fails its integrity check


class BackupError(Exception):
    """The backup could not be made: ``failure`` says why, ``detail`` names the file or the
    integrity check's first line."""

    def __init__(self, failure: BackupFailure, detail: str = "") -> None:
        super().__init__(f"{failure.value}: {detail}" if detail else failure.value)
        self.failure = failure
        self.detail = detail


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the SQLite database to `target` (overwritten); returns the copy's size in bytes."""
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
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    dest = sqlite3.connect(partial)
    try:
        source.backup(dest, pages=PAGES_PER_STEP)
        check = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(BackupFailure.CORRUPT_COPY, str(check))
    finally:
        dest.close()
        source.close()
    partial.replace(target)  # the target is either the old copy or a whole new one
    return target.stat().st_size
