"""Alembic owns the schema: up, down, up again, and the models match the migrations."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, select, text

from bot.db import migrations
from bot.db.engine import make_engine
from bot.db.models import Base, Review, User

TABLES = {
    "users",
    "decks",
    "questions",
    "deck_choices",
    "cards",
    "study_sessions",
    "presentations",
    "reviews",
    "reminders",
}
#: Revision 0004 (classes and drafts).
CLASS_TABLES = {
    "classes",
    "class_teachers",
    "class_members",
    "class_decks",
    "class_invites",
    "class_chats",
    "drafts",
    "draft_items",
}


def test_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert not migrations.schema_status(engine).up_to_date
        migrations.upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
        assert migrations.schema_status(engine).up_to_date
        migrations.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrations.upgrade(engine)
        assert migrations.schema_status(engine).up_to_date
    finally:
        engine.dispose()


def test_models_match_migrations(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


T0 = dt.datetime(2026, 1, 5, 17, 0, tzinfo=dt.UTC)


def _seed_at_0001(conn: Connection) -> None:
    """A student with an answered question, written with plain SQL as revision 0001 stood."""
    conn.execute(
        text(
            "INSERT INTO users (id, telegram_id, display_name, language, timezone,"
            " reminders_paused, new_cards_per_day, desired_retention, maximum_interval,"
            " created_at)"
            " VALUES (1, 42, 'Léa', 'fr', 'Europe/Paris', false, 10, 0.9, 36500, :t)"
        ),
        {"t": T0},
    )
    conn.execute(
        text(
            "INSERT INTO decks (id, slug, title, language, content_hash, created_at, updated_at)"
            " VALUES (1, 'd', 'D', 'fr', 'h', :t, :t)"
        ),
        {"t": T0},
    )
    conn.execute(
        text(
            "INSERT INTO questions (id, deck_id, key, position, kind, prompt, answer, accept,"
            " distractors, tags, content_hash, created_at, updated_at)"
            " VALUES (1, 1, 'q', 0, 'open', 'En quelle année ?', '2006', '[]', '[]', '[]', 'h',"
            " :t, :t)"
        ),
        {"t": T0},
    )
    conn.execute(
        text(
            "INSERT INTO cards (id, user_id, question_id, state, due, reps, lapses, created_at)"
            " VALUES (1, 1, 1, 2, :t, 1, 0, :t)"
        ),
        {"t": T0},
    )
    for pid, answered in ((1, T0), (2, None)):
        conn.execute(
            text(
                "INSERT INTO presentations (id, token, user_id, card_id, choices, shown_at,"
                " answered_at) VALUES (:id, :tok, 1, 1, '[]', :t, :a)"
            ),
            {"id": pid, "tok": f"tok{pid}", "t": T0, "a": answered},
        )
    conn.execute(
        text(
            "INSERT INTO reviews (id, card_id, user_id, question_id, idempotency_key, rating,"
            " verdict, correct, practice, given_answer, reviewed_at, prev_state, prev_due,"
            " prev_reps, prev_lapses)"
            " VALUES (1, 1, 1, 1, 'k1', 3, 'correct', true, false, '2006', :t, 1, :t, 0, 0)"
        ),
        {"t": T0},
    )


def _counts(conn: Connection) -> dict[str, int]:
    return {
        t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in sorted(TABLES)
    }


def test_real_rows_survive_every_upgrade_and_downgrade(db_url: str) -> None:
    """Data written at the first revision is kept, and linked, through every later one."""
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0001")
        with engine.begin() as conn:
            _seed_at_0001(conn)
            before = _counts(conn)
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert _counts(conn) == before
            assert conn.execute(select(Review.presentation_id)).scalar_one() == 1
            assert conn.execute(select(User.display_name)).scalar_one() == "Léa"
        migrations.downgrade(engine, "0001")
        with engine.connect() as conn:
            assert _counts(conn) == before
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(select(Review.presentation_id)).scalar_one() == 1
    finally:
        engine.dispose()


def test_status_names_the_command_when_behind(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        status = migrations.schema_status(engine)
        assert status.current is None
        assert "quizbot migrate" in status.describe()
    finally:
        engine.dispose()


# --- The start-up check without Alembic (docs/performance.md, « what to change », 9) ---------


def _alembic_status(engine: Engine) -> migrations.SchemaStatus:
    """The check as Alembic itself answers it (what `schema_status` did before)."""
    head = ScriptDirectory.from_config(migrations.alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return migrations.SchemaStatus(current=current, head=head)


def test_head_read_from_the_files_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config(None))  # type: ignore[arg-type]
    assert migrations.head_revision() == script.get_current_head()
    revisions = migrations.script_revisions()
    assert set(revisions) == {rev.revision for rev in script.walk_revisions()}
    for rev in script.walk_revisions():
        down = rev.down_revision
        expected = () if down is None else (down,) if isinstance(down, str) else tuple(down)
        assert revisions[rev.revision] == expected


def test_fast_status_is_alembics_status_empty_at_0001_and_at_head(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        for target in (None, "0001", "head", "base"):
            if target == "base":
                migrations.downgrade(engine, "base")  # the table stays, empty
            elif target is not None:
                migrations.upgrade(engine, target)
            fast, slow = migrations.schema_status(engine), _alembic_status(engine)
            assert fast == slow, target
            assert fast.describe() == slow.describe()
        assert migrations.schema_status(engine) == migrations.SchemaStatus(
            None, migrations.head_revision()
        )
        migrations.upgrade(engine, "0001")
        assert migrations.schema_status(engine).current == "0001"
        assert "quizbot migrate" in migrations.schema_status(engine).describe()
    finally:
        engine.dispose()


def _write(folder: Path, name: str, revision: str, down: str) -> None:
    (folder / name).write_text(
        f'"""A migration."""\nrevision: str = "{revision}"\ndown_revision = {down}\n'
    )


def test_head_of_a_merge_and_of_two_heads(tmp_path: Path) -> None:
    _write(tmp_path, "a.py", "a", "None")
    _write(tmp_path, "b.py", "b", '"a"')
    _write(tmp_path, "c.py", "c", '"a"')
    (tmp_path / "notes.py").write_text("x = 1\n")  # not a migration: ignored
    with pytest.raises(migrations.MigrationScriptError, match="une seule tête"):
        migrations.head_revision(tmp_path)
    _write(tmp_path, "d.py", "d", '("b", "c")')
    migrations.head_revision.cache_clear()
    assert migrations.head_revision(tmp_path) == "d"
    assert migrations.script_revisions(tmp_path)["d"] == ("b", "c")


def test_quizbot_run_checks_the_schema_without_importing_alembic(tmp_path: Path) -> None:
    """In a fresh interpreter, as at start-up: up to date, and Alembic never imported."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    engine = make_engine(url)
    migrations.upgrade(engine)
    engine.dispose()
    code = (
        "import sys\n"
        "import bot.db.migrations as m\n"
        "from bot.cli import _engine\n"
        "from bot.config import load_settings\n"
        "from bot.db.engine import make_engine\n"
        "engine = make_engine(sys.argv[1])\n"
        "status = m.schema_status(engine)\n"
        "engine.dispose()\n"
        "assert status.up_to_date and status.current == m.head_revision(), status\n"
        "with _engine(load_settings(database_url=sys.argv[1], auto_migrate=False)):\n"
        "    pass\n"
        "loaded = sorted(n for n in sys.modules if n.split('.')[0] in ('alembic', 'mako'))\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, url],
        cwd=migrations.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,  # the exit code is asserted with the child's stderr
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_run_refuses_a_schema_behind_and_migrates_sqlite(tmp_path: Path) -> None:
    """`_engine`: behind and no auto-migrate → the command to run; SQLite default → migrated."""
    from bot.cli import CommandError, _engine
    from bot.config import load_settings

    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    engine = make_engine(url)
    migrations.upgrade(engine, "0001")
    engine.dispose()
    with (
        pytest.raises(CommandError, match="quizbot migrate"),
        _engine(load_settings(database_url=url, auto_migrate=False)),
    ):
        pass
    with _engine(load_settings(database_url=url)) as migrated:
        assert migrations.schema_status(migrated).up_to_date


def test_classes_revision_keeps_existing_data_and_downgrades(db_url: str) -> None:
    """0003 → 0004: the students and decks stay as they were (no deck gets a class, so every
    deck stays for everybody); rows in the new tables go away with them on the way down."""
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0003")
        with engine.begin() as conn:
            _seed_at_0001(conn)
            before = _counts(conn)
        migrations.upgrade(engine, "0004")
        assert set(inspect(engine).get_table_names()) >= TABLES | CLASS_TABLES
        with engine.begin() as conn:
            assert _counts(conn) == before
            assert conn.execute(text("SELECT count(*) FROM class_decks")).scalar_one() == 0
            conn.execute(
                text(
                    "INSERT INTO classes (id, name, owner_id, created_at)"
                    " VALUES (1, '3e B', 1, :t)"
                ),
                {"t": T0},
            )
            conn.execute(
                text("INSERT INTO class_members (class_id, user_id, joined_at) VALUES (1, 1, :t)"),
                {"t": T0},
            )
            conn.execute(
                text("INSERT INTO class_decks (class_id, deck_id, assigned_at) VALUES (1, 1, :t)"),
                {"t": T0},
            )
            conn.execute(
                text(
                    "INSERT INTO drafts (id, teacher_id, class_id, slug, title, status,"
                    " source_text, created_at, updated_at)"
                    " VALUES (1, 1, 1, 'd2', 'D2', 'review', 'Un texte.', :t, :t)"
                ),
                {"t": T0},
            )
        migrations.downgrade(engine, "0003")
        assert not set(inspect(engine).get_table_names()) & CLASS_TABLES
        with engine.connect() as conn:
            assert _counts(conn) == before
        migrations.upgrade(engine)
        assert migrations.schema_status(engine).up_to_date
    finally:
        engine.dispose()


def test_student_parameters_revision_keeps_existing_data_and_downgrades(db_url: str) -> None:
    """0007 on the revision before it: every student and answer stays; a fit written after
    the upgrade goes away alone on the way down."""
    script = ScriptDirectory.from_config(migrations.alembic_config(None))  # type: ignore[arg-type]
    before_rev = script.get_revision("0007").down_revision
    assert isinstance(before_rev, str)
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, before_rev)
        with engine.begin() as conn:
            _seed_at_0001(conn)
            before = _counts(conn)
        migrations.upgrade(engine, "0007")
        assert "student_parameters" in inspect(engine).get_table_names()
        with engine.begin() as conn:
            assert _counts(conn) == before
            conn.execute(
                text(
                    "INSERT INTO student_parameters (user_id, parameters, training_items,"
                    " log_loss, default_log_loss, fitted_at) VALUES (1, :p, 80, 0.5, 0.6, :t)"
                ),
                {"p": "[0.1, 0.2]", "t": T0},
            )
        migrations.downgrade(engine, before_rev)
        assert "student_parameters" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert _counts(conn) == before
            assert conn.execute(select(User.display_name)).scalar_one() == "Léa"
        migrations.upgrade(engine)
        assert migrations.schema_status(engine).up_to_date
    finally:
        engine.dispose()


def test_reminder_new_count_revision_keeps_the_outbox_and_downgrades(db_url: str) -> None:
    """0008 on the revision before it: an outbox row stays, its questions read as reviews
    (new_count 0, as it was worded); on the way down only the column goes."""
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0007")
        with engine.begin() as conn:
            _seed_at_0001(conn)
            conn.execute(
                text(
                    "INSERT INTO reminders (user_id, local_date, scheduled_for, claimed_at,"
                    " status, due_count, attempts) VALUES (1, :d, :t, :t, 'sent', 4, 0)"
                ),
                {"d": T0.date(), "t": T0},
            )
            before = _counts(conn)
        migrations.upgrade(engine, "0008")
        with engine.connect() as conn:
            assert _counts(conn) == before
            row = conn.execute(text("SELECT due_count, new_count FROM reminders")).one()
            assert tuple(row) == (4, 0)
        migrations.downgrade(engine, "0007")
        columns = {c["name"] for c in inspect(engine).get_columns("reminders")}
        assert "new_count" not in columns and "due_count" in columns
        with engine.connect() as conn:
            assert _counts(conn) == before
        migrations.upgrade(engine)
        assert migrations.schema_status(engine).up_to_date
    finally:
        engine.dispose()


def test_presentation_attempt_revision_keeps_the_showings_and_downgrades(db_url: str) -> None:
    """0009 on 0008: every showing and answer stays, with no attempt (NULL) for those already
    there; an attempt written after the upgrade goes with the column on the way down, its
    showing stays."""
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0008")
        with engine.begin() as conn:
            _seed_at_0001(conn)
            before = _counts(conn)
        migrations.upgrade(engine, "0009")
        with engine.begin() as conn:
            assert _counts(conn) == before
            rows = conn.execute(text("SELECT token, attempt FROM presentations ORDER BY id"))
            assert [tuple(r) for r in rows] == [("tok1", None), ("tok2", None)]
            conn.execute(text("UPDATE presentations SET attempt = 'la répression' WHERE id = 2"))
            assert conn.execute(text("SELECT given_answer FROM reviews")).scalar_one() == "2006"
        migrations.downgrade(engine, "0008")
        columns = {c["name"] for c in inspect(engine).get_columns("presentations")}
        assert "attempt" not in columns and {"token", "answered_at"} <= columns
        with engine.connect() as conn:
            assert _counts(conn) == before
            tokens = conn.execute(text("SELECT token FROM presentations ORDER BY id"))
            assert list(tokens.scalars()) == ["tok1", "tok2"]
        migrations.upgrade(engine)
        assert migrations.schema_status(engine).up_to_date
    finally:
        engine.dispose()
