"""The import report: words for the data :class:`~bot.services.importing.ImportReport` holds,
for the teacher who uploaded a file (``bot.tg.handlers.teacher``, in the teacher's language),
``quizbot import`` (``bot.cli``) and the start-up log (French). The words are the ``import.*``
entries of the catalogues (:mod:`bot.i18n`). Services return data; the front ends word it."""

from __future__ import annotations

from bot.i18n import catalogue
from bot.services.importing import DeckReport, DeckStatus, ImportReport

#: Statuses worth a word next to the deck's id (``import.status.<value>``).
_NAMED = frozenset({DeckStatus.NEW, DeckStatus.RESTORED, DeckStatus.UPDATED, DeckStatus.RETIRED})


def describe_deck(deck: DeckReport, language: str = "fr") -> str:
    """« slug : 12 ajoutées, 1 modifiée, 0 retirée, 40 inchangées »."""
    t = catalogue(language)
    name = deck.slug
    if deck.status in _NAMED:
        status = t.text(f"import.status.{deck.status.value}")
        name = t.text("import.deck_named", slug=deck.slug, status=status)
    return t.text(
        "import.deck_line",
        name=name,
        added=t.plural("import.added", deck.added),
        updated=t.plural("import.updated", deck.updated),
        retired=t.plural("import.retired", deck.retired),
        unchanged=t.plural("import.unchanged", deck.unchanged),
    )


def describe_import(report: ImportReport, language: str = "fr") -> str:
    """One line per deck."""
    if not report.decks:
        return catalogue(language).text("import.none")
    return "\n".join(describe_deck(deck, language) for deck in report.decks)
