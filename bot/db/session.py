"""The transaction boundary, as the services see it.

A service opens a session from its :data:`SessionFactory`, hands it to its store and commits
(or rolls back); it never builds a statement. These names are the only SQLAlchemy ones a
service may import (``bot/services/ruff.toml`` bans the rest); the engine and the factory are
made by :mod:`bot.db.engine`, in the composition root (:mod:`bot.services.container`).
"""

from __future__ import annotations

from typing import TypeAlias

from sqlalchemy.orm import Session, sessionmaker

#: Opens one session (one transaction) per service call.
SessionFactory: TypeAlias = sessionmaker[Session]

__all__ = ["Session", "SessionFactory", "sessionmaker"]
