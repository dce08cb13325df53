"""Alembic driven from the program: upgrade, and the schema check `quizbot run` does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from alembic import command

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(engine: Engine) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    # env.py uses this connection instead of building its own engine.
    cfg.attributes["engine"] = engine
    return cfg


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str | None

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def describe(self) -> str:
        if self.up_to_date:
            return f"schéma à jour (révision {self.head})"
        return (
            f"schéma en retard (base : {self.current or 'vide'}, attendu : {self.head}) : "
            "lancez `quizbot migrate`"
        )


def schema_status(engine: Engine) -> SchemaStatus:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    return SchemaStatus(current=current, head=head)


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    command.downgrade(alembic_config(engine), revision)
