"""Multiple choice graded by the option chosen; punctuation-only answers (issue 16, item 3)."""

from __future__ import annotations

import pytest

from bot.domain.deck import Question, QuestionKind
from bot.domain.grading import (
    Verdict,
    grade_answer,
    grade_option,
    grade_typed_choice,
    option_key,
)


def choice(answer: str, *distractors: str, accept: tuple[str, ...] = ()) -> Question:
    return Question(
        key="q",
        kind=QuestionKind.CHOICE,
        prompt="?",
        answer=answer,
        accept=accept,
        distractors=tuple(distractors),
    )


@pytest.mark.parametrize(
    ("same", "text"),
    [(True, t) for t in ("Russie", "la Russie", "Russie.", "RUSSIE", " russie ", "« Russie »")]
    + [(False, t) for t in ("C++", "C#", "Russe", "Biélorussie")],
)
def test_option_keys(same: bool, text: str) -> None:
    assert (option_key(text) == option_key("Russie")) is same


def test_cpp_csharp_and_c_are_three_options() -> None:
    assert len({option_key(o) for o in ("C++", "C#", "C")}) == 3


def test_a_button_is_the_option_itself() -> None:
    q = choice("C++", "C#", "C")
    assert grade_option("C++", q).verdict is Verdict.CORRECT
    assert grade_option("C#", q).verdict is Verdict.WRONG
    assert grade_option("C", q).verdict is Verdict.WRONG


def test_typed_option_text_names_the_option() -> None:
    q = choice("C++", "C#", "C")
    options = ("C", "C#", "C++")
    assert grade_typed_choice("c++", q, options).verdict is Verdict.CORRECT
    assert grade_typed_choice("C#", q, options).verdict is Verdict.WRONG
    assert grade_typed_choice("c", q, options).verdict is Verdict.WRONG


def test_typed_answer_naming_no_option_is_graded_like_an_open_one() -> None:
    q = choice("2 milliards de dollars", "500 millions de dollars", "3 milliards de dollars")
    options = ("500 millions de dollars", "2 milliards de dollars", "3 milliards de dollars")
    ok = grade_typed_choice("2 000 000 000 de dollars", q, options)
    assert ok.verdict is Verdict.CORRECT
    assert grade_typed_choice("deux milliards", q, options).accepted
    assert grade_typed_choice("3 000 000 000", q, options).verdict is Verdict.WRONG
    russia = choice("la Russie", "la Chine", "l'Ukraine")
    shown = ("la Chine", "la Russie", "l'Ukraine")
    assert grade_typed_choice("russie", russia, shown).verdict is Verdict.CORRECT
    assert grade_typed_choice("Rusie", russia, shown).verdict is Verdict.CLOSE  # a typo
    assert grade_typed_choice("chine", russia, shown).verdict is Verdict.WRONG


def test_a_typo_as_close_to_a_wrong_option_is_wrong() -> None:
    q = choice("Malte", "Malta", "Mali")
    assert not grade_typed_choice("Maltr", q, ("Mali", "Malta", "Malte")).accepted
    assert grade_typed_choice("Maltee", q, ("Mali", "Malta", "Malte")).accepted


@pytest.mark.parametrize("kind", [QuestionKind.OPEN, QuestionKind.CHOICE])
def test_an_answer_that_is_only_punctuation_can_be_right(kind: QuestionKind) -> None:
    assert grade_answer("+", "+", kind=kind).verdict is Verdict.CORRECT
    assert grade_answer(" ? ", "?", kind=kind).verdict is Verdict.CORRECT
    assert grade_answer("-", "+", kind=kind).verdict is Verdict.WRONG
    assert grade_answer("?", "Paris", kind=kind).verdict is Verdict.WRONG


def test_choice_typed_grade_answer_keeps_symbols() -> None:
    assert grade_answer("C#", "C++", kind=QuestionKind.CHOICE).verdict is Verdict.WRONG
    assert grade_answer("la russie.", "Russie", kind=QuestionKind.CHOICE).accepted
