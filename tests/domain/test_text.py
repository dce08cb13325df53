"""One apostrophe rule for grading, the question-file checks and the generator."""

from __future__ import annotations

from bot.content.generator.normalise import normalise
from bot.domain.deck import blank_gaps
from bot.domain.grading import Verdict, grade_answer
from bot.domain.text import APOSTROPHES, fold_apostrophes


def test_every_apostrophe_folds_to_the_ascii_one() -> None:
    assert {fold_apostrophes(c) for c in APOSTROPHES} == {"'"}
    assert fold_apostrophes("l’Europe l‘Europe lʼEurope") == "l'Europe l'Europe l'Europe"


def test_grading_and_the_generator_fold_the_same_apostrophes() -> None:
    for apostrophe in APOSTROPHES:
        assert grade_answer(f"l{apostrophe}Europe", "l'Europe").verdict is Verdict.CORRECT
    assert normalise("aujourd’hui") == "aujourd'hui"


def test_blank_gaps_blanks_each_gap() -> None:
    assert blank_gaps("En {{2006}}, le {{premier}} ministre.") == "En _____, le _____ ministre."
    assert blank_gaps("Sans trou.") == "Sans trou."
