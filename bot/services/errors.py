"""The failures a service call may end with, as the front ends need to tell them apart.

A service call is one transaction: after a *transient* database failure it either committed
or rolled back, and running it again is safe (answers carry an idempotency key, imports
compare content hashes, a day's prompt is unique per student and day). The rules live in
:mod:`bot.db.errors`; the front ends import them from here, never from ``bot.db``.

An import refused because a question file is invalid raises
:class:`~bot.content.deckfile.DeckFormatError` (every :class:`DeckProblem`, nothing changed);
the front ends catch it from here too, never from ``bot.content.deckfile``.
"""

from bot.content.deckfile import DeckFormatError, DeckProblem
from bot.db.errors import db_error_summary, is_transient_db_error

__all__ = ["DeckFormatError", "DeckProblem", "db_error_summary", "is_transient_db_error"]
