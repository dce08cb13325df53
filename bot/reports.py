"""The import report in French: words for the data :class:`~bot.services.importing.ImportReport`
holds, for the teacher who uploaded a file (``bot.tg.handlers.teacher``), ``quizbot import``
(``bot.cli``) and the start-up log. Services return data; the front ends word it."""

from __future__ import annotations

from bot.services.importing import DeckReport, DeckStatus, ImportReport

_STATUS_LABELS = {
    DeckStatus.NEW: "nouveau paquet",
    DeckStatus.RESTORED: "paquet rétabli",
    DeckStatus.UPDATED: "paquet mis à jour",
    DeckStatus.RETIRED: "paquet retiré : fichier absent",
}


def _count(n: int, singular: str, plural: str) -> str:
    # French: 0 and 1 take the singular.
    return f"{n} {singular if n < 2 else plural}"


def describe_deck(deck: DeckReport) -> str:
    """« slug : 12 ajoutées, 1 modifiée, 0 retirée, 40 inchangées »."""
    label = _STATUS_LABELS.get(deck.status)
    name = f"{deck.slug} ({label})" if label else deck.slug
    counts = ", ".join(
        (
            _count(deck.added, "ajoutée", "ajoutées"),
            _count(deck.updated, "modifiée", "modifiées"),
            _count(deck.retired, "retirée", "retirées"),
            _count(deck.unchanged, "inchangée", "inchangées"),
        )
    )
    return f"{name} : {counts}"


def describe_import(report: ImportReport) -> str:
    """One French line per deck."""
    if not report.decks:
        return "Aucun paquet de questions."
    return "\n".join(describe_deck(deck) for deck in report.decks)
