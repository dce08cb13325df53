"""Consistent copies of the database while the bot runs.

SQLite: the online backup API copies pages under a read transaction, so writers may keep
going (WAL) and the copy is a valid database at one instant. PostgreSQL: use `pg_dump`, which
takes a consistent snapshot too (see the README); this module refuses rather than pretend.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 1024


class BackupError(Exception):
    """The backup could not be made; the message says why, for an operator."""


def backup_sqlite(database_url: str, target: Path) -> int:
    """Copy the SQLite database to `target` (overwritten); returns the copy's size in bytes."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "sauvegarde intégrée pour SQLite seulement ; pour PostgreSQL : "
            "pg_dump --format=custom --file=quizbot.dump NOM_DE_LA_BASE"
        )
    source_path = Path(url.database or "")
    if not source_path.is_file():
        raise BackupError(f"base SQLite introuvable : {source_path}")
    if target.resolve() == source_path.resolve():
        raise BackupError("la copie doit aller dans un autre fichier que la base")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    dest = sqlite3.connect(partial)
    try:
        source.backup(dest, pages=PAGES_PER_STEP)
        check = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"copie corrompue : {check}")
    finally:
        dest.close()
        source.close()
    partial.replace(target)  # the target is either the old copy or a whole new one
    return target.stat().st_size
