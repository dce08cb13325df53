"""`quizbot backup` copies a SQLite database consistently while another connection writes."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from bot.cli import main
from bot.db.backup import BackupError, BackupFailure, backup_sqlite


def _db(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("create table t (id integer primary key, v text)")
    conn.executemany("insert into t (v) values (?)", [("x" * 200,)] * rows)
    conn.commit()
    conn.close()


def test_backup_while_a_writer_commits(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    _db(source, 20_000)
    stop = threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(source, timeout=10)
        while not stop.is_set():
            conn.execute("insert into t (v) values ('y')")
            conn.commit()
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        size = backup_sqlite(f"sqlite:///{source}", tmp_path / "copy.sqlite3")
    finally:
        stop.set()
        thread.join()
    assert size > 0
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("select count(*) from t where v != 'y'").fetchone()[0] == 20_000
    finally:
        copy.close()


def test_postgres_is_pointed_to_pg_dump() -> None:
    with pytest.raises(BackupError) as excinfo:
        backup_sqlite("postgresql+psycopg://u@h/db", Path("x"))
    assert excinfo.value.failure is BackupFailure.NOT_SQLITE


def test_cli_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _db(tmp_path / "db.sqlite3", 10)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert main(["backup", str(tmp_path / "b" / "copy.sqlite3")]) == 0
    assert "sauvegarde écrite" in capsys.readouterr().out
    assert main(["backup", str(tmp_path / "db.sqlite3")]) == 1
    assert "autre fichier" in capsys.readouterr().err
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/nowhere")
    assert main(["backup", str(tmp_path / "c.sqlite3")]) == 1
    assert "pg_dump" in capsys.readouterr().err
