"""Alembic driven from the program: upgrade, and the schema check `quizbot run` does.

The check runs at every start-up, so it does not import Alembic (which pulls in mako, pygments
and every SQLAlchemy dialect: about 0.3 s). It reads ``alembic_version`` with a plain SELECT
and compares it with the head revision found by reading the migration files' ``revision`` /
``down_revision`` assignments (a test checks both against Alembic's own answer). Alembic is
imported only to migrate.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, column, inspect, select, table

if TYPE_CHECKING:
    from alembic.config import Config

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ROOT / "alembic" / "versions"
#: Alembic's default version table (alembic/env.py does not change it).
VERSION_TABLE = "alembic_version"


class MigrationScriptError(RuntimeError):
    """The migration files do not form one line of revisions with a single head."""


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

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


def _revision_ids(node: ast.expr) -> tuple[str, ...]:
    """``None`` → (), ``"0001"`` → ("0001",), a tuple or list of strings (a merge) → those."""
    value = ast.literal_eval(node)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MigrationScriptError(f"down_revision inattendu : {value!r}")


def script_revisions(versions: Path = VERSIONS) -> dict[str, tuple[str, ...]]:
    """Each migration file's ``revision`` → its ``down_revision`` ids, read without running it."""
    revisions: dict[str, tuple[str, ...]] = {}
    for path in sorted(versions.glob("*.py")):
        names: dict[str, ast.expr] = {}
        for stmt in ast.parse(path.read_bytes(), filename=str(path)).body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target, value = stmt.targets[0], stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                target, value = stmt.target, stmt.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                names[target.id] = value
        if "revision" not in names:
            continue  # not a migration (Alembic skips such files too)
        (revision,) = _revision_ids(names["revision"])
        if revision in revisions:
            raise MigrationScriptError(f"révision {revision} définie deux fois ({path.name})")
        down = names.get("down_revision")
        revisions[revision] = _revision_ids(down) if down is not None else ()
    return revisions


@functools.cache
def head_revision(versions: Path = VERSIONS) -> str | None:
    """The single head: the revision no other one names as its ``down_revision``."""
    revisions = script_revisions(versions)
    if not revisions:
        return None
    named = {down for downs in revisions.values() for down in downs}
    heads = sorted(set(revisions) - named)
    if len(heads) != 1:
        raise MigrationScriptError(f"une seule tête attendue dans {versions}, trouvé : {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """What ``alembic_version`` holds: None without the table or without a row."""
    version = table(VERSION_TABLE, column("version_num"))
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(select(version.c.version_num)).scalars().all()
    if len(rows) > 1:
        raise MigrationScriptError(f"{VERSION_TABLE} contient plusieurs révisions : {rows}")
    return rows[0] if rows else None


def schema_status(engine: Engine) -> SchemaStatus:
    """The database's revision against the code's head, without importing Alembic."""
    return SchemaStatus(current=current_revision(engine), head=head_revision())


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)
