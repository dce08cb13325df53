"""The import report in French: words for the data :class:`~bot.services.importing.ImportReport`
holds, for the teacher who uploaded a file (``bot.tg.handlers.teacher``), ``quizbot import``
(``bot.cli``) and the start-up log. Services return data; the front ends word it."""

from __future__ import annotations

from bot.render.plural import count_fr
from bot.services.importing import DeckReport, DeckStatus, ImportReport

_STATUS_LABELS = {
    DeckStatus.NEW: "nouveau paquet",
    DeckStatus.RESTORED: "paquet rétabli",
    DeckStatus.UPDATED: "paquet mis à jour",
    DeckStatus.RETIRED: "paquet retiré : fichier absent",
}


def describe_deck(deck: DeckReport) -> str:
    """« slug : 12 ajoutées, 1 modifiée, 0 retirée, 40 inchangées »."""
    label = _STATUS_LABELS.get(deck.status)
    name = f"{deck.slug} ({label})" if label else deck.slug
    counts = ", ".join(
        (
            count_fr(deck.added, "ajoutée"),
            count_fr(deck.updated, "modifiée"),
            count_fr(deck.retired, "retirée"),
            count_fr(deck.unchanged, "inchangée"),
        )
    )
    return f"{name} : {counts}"


def describe_import(report: ImportReport) -> str:
    """One French line per deck."""
    if not report.decks:
        return "Aucun paquet de questions."
    return "\n".join(describe_deck(deck) for deck in report.decks)
