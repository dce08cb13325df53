"""« je ne sais pas » and roman numerals (issue 16, item 4)."""

from __future__ import annotations

import pytest

from bot.domain.grading import Verdict, grade_answer, is_dont_know


@pytest.mark.parametrize(
    "text", ["je ne sais pas", "Je sais pas !", "jsp", "?", "??", "aucune idée", "I don't know"]
)
def test_dont_know(text: str) -> None:
    assert is_dont_know(text)


@pytest.mark.parametrize("text", ["Paris", "je sais", "2006", "+", "pas"])
def test_not_dont_know(text: str) -> None:
    assert not is_dont_know(text)


@pytest.mark.parametrize(
    ("given", "expected", "verdict"),
    [
        ("Louis 16", "Louis XVI", Verdict.CORRECT),
        ("louis xvi", "Louis XVI", Verdict.CORRECT),
        ("Louis XVI", "Louis 16", Verdict.CORRECT),
        ("Henri IV", "Henri 4", Verdict.CORRECT),
        ("Louis 15", "Louis XVI", Verdict.WRONG),
        ("louis xv", "Louis XVI", Verdict.WRONG),
        ("Charles de Gaulle", "Charles de Gaulle", Verdict.CORRECT),
    ],
)
def test_roman_numerals(given: str, expected: str, verdict: Verdict) -> None:
    assert grade_answer(given, expected).verdict is verdict
