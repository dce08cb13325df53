"""The command line's French counts agree with their number, by the French catalogue's rule
(the bot's own counted texts are plural entries of the catalogues: tests/test_catalogues.py)."""

from __future__ import annotations

import pytest

from bot.render.plural import count_fr, plural_fr


@pytest.mark.parametrize(
    ("n", "expected"), [(0, "0 erreur"), (1, "1 erreur"), (2, "2 erreurs"), (40, "40 erreurs")]
)
def test_count_fr_takes_the_singular_for_zero_and_one(n: int, expected: str) -> None:
    assert count_fr(n, "erreur") == expected


def test_count_fr_words_that_do_not_change_and_irregular_plurals() -> None:
    assert plural_fr("choix") == "choix"
    assert count_fr(3, "fois") == "3 fois"
    assert count_fr(2, "carte Anki écrite", "cartes Anki écrites") == "2 cartes Anki écrites"
    assert count_fr(1, "carte Anki écrite", "cartes Anki écrites") == "1 carte Anki écrite"
