"""`quizbot validate` and `quizbot import`, run in-process as a teacher would run them."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

import bot.db.engine
from bot.cli import main
from bot.db.engine import make_engine
from bot.db.models import Base, Deck, Question

VALID = """\
version: 1
deck:
  id: crise-de-suez
  title: "La crise de Suez"
questions:
  - id: nationalisation
    kind: open
    prompt: "En quelle année Nasser nationalise-t-il le canal de Suez ?"
    answer: "1956"
  - id: president-americain
    kind: choice
    prompt: "Quel président américain condamne l'opération ?"
    answer: Dwight Eisenhower
    distractors: ["Harry Truman", "John Kennedy"]
"""

#: Line 9: the second question has no answer.
INVALID = """\
version: 1
deck:
  id: plan-marshall
  title: "Le plan Marshall"
questions:
  - id: annonce
    kind: open
    prompt: "En quelle année le plan Marshall est-il annoncé ?"
  - id: montant
    kind: open
    prompt: "Quel montant ?"
    answer: "13 milliards de dollars"
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A teacher's folder: no `.env`, the database a SQLite file inside it."""
    monkeypatch.chdir(tmp_path)
    for key in ("QUESTIONS_DIR", "AUTO_MIGRATE", "TELEGRAM_BOT_TOKEN", "LOG_LEVEL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'quizbot.sqlite3'}")
    # The CLI leaves its engine to the process's exit; a test must close it.
    engines: list[Engine] = []

    def tracked_engine(url: str, **kwargs: Any) -> Engine:
        engine = make_engine(url, **kwargs)
        engines.append(engine)
        return engine

    monkeypatch.setattr(bot.db.engine, "make_engine", tracked_engine)
    # `main` installs its own root handler: give pytest's back afterwards.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield tmp_path
    root.handlers[:] = handlers
    root.setLevel(level)
    for engine in engines:
        engine.dispose()


def write(folder: Path, name: str, content: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def database(workdir: Path) -> Engine:
    return create_engine(f"sqlite:///{workdir / 'data' / 'quizbot.sqlite3'}")


def rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def test_validate_valid_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(workdir / "questions", "suez.yaml", VALID)

    assert main(["validate", str(path)]) == 0

    out, err = capsys.readouterr()
    assert out == "1 paquet, 2 questions : 1 ouverte, 1 à choix\n"
    assert err == ""
    assert not (workdir / "data").exists()  # validate never opens the database


def test_validate_invalid_file_lists_problems(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workdir / "questions", "suez.yaml", VALID)
    bad = write(workdir / "questions", "marshall.yaml", INVALID)

    assert main(["validate", "questions"]) == 1

    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{Path('questions') / bad.name}:6 [annonce] il manque « answer » (la bonne réponse)"
    ]
    assert err == "1 erreur à corriger.\n"


def test_import_then_reimport_then_edit(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(workdir / "questions", "suez.yaml", VALID)

    assert main(["import"]) == 0  # default folder: questions/
    assert capsys.readouterr().out == (
        "crise-de-suez (nouveau paquet) : 2 ajoutées, 0 modifiée, 0 retirée, 0 inchangée\n"
    )
    engine = database(workdir)
    with engine.connect() as conn:
        assert conn.scalar(select(Deck.source_file)) == "questions/suez.yaml"
        assert conn.scalar(select(func.count()).select_from(Question)) == 2
    before = rows(engine)

    assert main(["import", "questions"]) == 0
    assert capsys.readouterr().out == (
        "crise-de-suez : 0 ajoutée, 0 modifiée, 0 retirée, 2 inchangées\n"
    )
    assert rows(engine) == before

    path.write_text(VALID.replace('answer: "1956"', 'answer: "en 1956"'), encoding="utf-8")
    assert main(["import", str(path)]) == 0
    assert capsys.readouterr().out == (
        "crise-de-suez (paquet mis à jour) : 0 ajoutée, 1 modifiée, 0 retirée, 1 inchangée\n"
    )
    engine.dispose()


def test_import_invalid_file_changes_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = workdir / "questions"
    write(questions, "suez.yaml", VALID)
    assert main(["import"]) == 0
    capsys.readouterr()
    engine = database(workdir)
    before = rows(engine)

    write(questions, "suez.yaml", VALID.replace("1956", "1957"))
    write(questions, "marshall.yaml", INVALID)
    assert main(["import"]) == 1

    out, err = capsys.readouterr()
    assert "marshall.yaml:6 [annonce] il manque « answer »" in out
    assert err.endswith("1 erreur : la base n'a pas été modifiée.\n")
    assert rows(engine) == before
    engine.dispose()


def test_import_retires_the_deck_of_a_deleted_file(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = workdir / "questions"
    write(questions, "suez.yaml", VALID)
    fixed = INVALID.replace('annoncé ?"\n', 'annoncé ?"\n    answer: "1947"\n')
    marshall = write(questions, "marshall.yaml", fixed)
    assert main(["import"]) == 0
    capsys.readouterr()

    marshall.unlink()
    assert main(["import"]) == 0

    assert capsys.readouterr().out.splitlines() == [
        "crise-de-suez : 0 ajoutée, 0 modifiée, 0 retirée, 2 inchangées",
        "plan-marshall (paquet retiré : fichier absent) : 0 ajoutée, 0 modifiée, 2 retirées,"
        " 0 inchangée",
    ]


def test_import_empty_folder_is_an_error(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "questions").mkdir()

    assert main(["import"]) == 1

    out, err = capsys.readouterr()
    assert out == (
        "questions aucun fichier de questions (.yaml ou .yml) trouvé : rien n'a été importé ni"
        " retiré\n"
    )
    assert err.endswith("1 erreur : la base n'a pas été modifiée.\n")


def test_import_on_each_engine_after_migrations(
    db_url: str,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Alembic schema (not only the models) takes an import, on SQLite and PostgreSQL."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("AUTO_MIGRATE", "true")
    write(workdir / "questions", "suez.yaml", VALID)

    assert main(["import"]) == 0
    assert main(["import"]) == 0

    assert capsys.readouterr().out.splitlines() == [
        "crise-de-suez (nouveau paquet) : 2 ajoutées, 0 modifiée, 0 retirée, 0 inchangée",
        "crise-de-suez : 0 ajoutée, 0 modifiée, 0 retirée, 2 inchangées",
    ]


@pytest.mark.parametrize("folder", ["cours#2", "100%", "2nde #B%20"])
def test_backup_of_a_database_in_an_odd_folder_is_a_complete_verified_copy(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    folder: str,
) -> None:
    # '#' ends the path of a SQLite URI, '%' starts an escape: the copy was of another file.
    workdir = tmp_path / folder
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.delenv("QUESTIONS_DIR", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{workdir / 'quizbot.sqlite3'}")
    write(workdir / "questions", "suez.yaml", VALID)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        assert main(["import"]) == 0
        before = set(tmp_path.iterdir()), set(workdir.iterdir())
        assert main(["backup", str(workdir / "copie.sqlite3")]) == 0
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert "sauvegarde écrite" in capsys.readouterr().out

    copy = sqlite3.connect(workdir / "copie.sqlite3")
    try:
        assert copy.execute("SELECT count(*) FROM questions").fetchone() == (2,)
        assert copy.execute("SELECT count(*) FROM decks").fetchone() == (1,)
    finally:
        copy.close()
    # Nothing else written, next to the folder or in it, than the copy (and SQLite's own
    # companions of the source, -wal and -shm).
    assert set(tmp_path.iterdir()) == before[0]
    companions = {workdir / "quizbot.sqlite3-wal", workdir / "quizbot.sqlite3-shm"}
    assert set(workdir.iterdir()) - companions == before[1] - companions | {
        workdir / "copie.sqlite3"
    }


def test_backup_refuses_a_copy_that_does_not_match_its_source(tmp_path: Path) -> None:
    from bot.db.backup import BackupError, verify_copy

    source, copy = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for path, rows_ in ((source, 3), (copy, 2)):
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE t (x)")
        db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(rows_)])
        db.commit()
        db.close()
    with pytest.raises(BackupError, match="t : 2 lignes au lieu de 3"):
        verify_copy({"t": 3}, copy)
