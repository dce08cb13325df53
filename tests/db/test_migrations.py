"""Alembic owns the schema: up, down, up again, and the models match the migrations."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, select, text

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
