"""Counts without « (s) »: « 0 erreur », « 1 erreur », « 2 erreurs »; « 1 day », « 2 days »."""

from __future__ import annotations


def plural_fr(word: str) -> str:
    """The regular plural of one French word: ``s`` added, unless it ends in s, x or z."""
    return word if word.endswith(("s", "x", "z")) else word + "s"


def count_fr(n: int, singular: str, plural: str | None = None) -> str:
    """« n word » with the word agreeing: French takes the singular for 0 and 1.

    ``plural`` defaults to :func:`plural_fr` of ``singular``; give it for an irregular word or
    several words (« carte Anki écrite » → « cartes Anki écrites »).
    """
    if abs(n) < 2:
        return f"{n} {singular}"
    return f"{n} {plural if plural is not None else plural_fr(singular)}"


def count_en(n: int, singular: str, plural: str | None = None) -> str:
    """« n word » in English: the singular for 1 only; ``plural`` defaults to ``singular + s``."""
    if abs(n) == 1:
        return f"{n} {singular}"
    return f"{n} {plural if plural is not None else singular + 's'}"
