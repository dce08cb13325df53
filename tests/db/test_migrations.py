"""Alembic owns the schema: up, down, up again, and the models match the migrations."""

from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, insert, select

from bot.db import migrations
from bot.db.engine import make_engine
from bot.db.models import Base, User

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
        assert TABLES <= set(inspect(engine).get_table_names())
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


def test_rows_survive_downgrade_to_head_and_back(db_url: str) -> None:
    """Only one revision so far: data written at head is still there after a re-upgrade."""
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine)
        with engine.begin() as conn:
            conn.execute(
                insert(User).values(
                    telegram_id=42,
                    display_name="Léa",
                    language="fr",
                    timezone="Europe/Paris",
                    new_cards_per_day=10,
                    desired_retention=0.9,
                    maximum_interval=36500,
                    created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                )
            )
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(select(User.display_name)).scalar_one() == "Léa"
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
