"""Counts in the French-only operator texts (``quizbot`` reports, deck summaries): « 0 erreur »,
« 1 erreur », « 2 erreurs ».

Everything a student or a teacher reads in the bot comes from the catalogues
(:mod:`bot.i18n`, plural entries). The command line's reports are French only and stay in
Python; they still pick the form with the French catalogue's own plural rule (its
``Plural-Forms`` header), so no rule is written twice.
"""

from __future__ import annotations

from bot.i18n import catalogue


def plural_fr(word: str) -> str:
    """The regular plural of one French word: ``s`` added, unless it ends in s, x or z."""
    return word if word.endswith(("s", "x", "z")) else word + "s"


def count_fr(n: int, singular: str, plural: str | None = None) -> str:
    """« n word » with the word agreeing by the French catalogue's plural rule.

    ``plural`` defaults to :func:`plural_fr` of ``singular``; give it for an irregular word or
    several words (« carte Anki écrite » → « cartes Anki écrites »).
    """
    forms = (singular, plural if plural is not None else plural_fr(singular))
    return f"{n} {catalogue('fr').choose(n, forms)}"
