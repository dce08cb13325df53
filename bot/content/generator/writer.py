"""Write a deck as a YAML file in format v1, in the layout of ``questions/README.md``.

Two-space indentation, every text in double quotes (``"…"``, with ``\\"`` and ``\\\\``
escaped), lists written inline (``accept: ["…", "…"]``), a blank line between questions. A
file that exists is never overwritten unless ``force`` is given: a teacher's reviewed deck is
not lost by running the generator again.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.deckwriter import dump_deck
from bot.domain.deck import Deck


class OutputExistsError(FileExistsError):
    """The output file exists and ``force`` was not given."""


def deck_to_yaml(deck: Deck, source: str | None = None) -> str:
    """The YAML text of a deck (``source``: the text file, relative to the YAML file), written
    by the one writer of question files (:mod:`bot.content.deckwriter`, also used by the
    drafts reviewed in the chat)."""
    return dump_deck(deck, source=source)


def write_deck_yaml(
    deck: Deck, path: Path, source: str | None = None, *, force: bool = False
) -> None:
    """Write ``deck`` to ``path`` (UTF-8), creating the folder if needed.

    Raises :class:`OutputExistsError` when ``path`` exists and ``force`` is False.
    """
    if path.exists() and not force:
        raise OutputExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(deck_to_yaml(deck, source), encoding="utf-8")
