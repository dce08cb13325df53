"""The checker refuses what grading cannot handle (issue 16, item 3): options a typed answer
cannot tell apart, and unbounded alternatives, list entries and list answers."""

from __future__ import annotations

import pytest

from bot.content.deckfile import (
    MAX_ALTERNATIVES,
    MAX_ANSWER_ITEMS,
    MAX_LIST_ENTRIES,
    load_deck_bytes,
)
from tests.content.test_deckfile import one_question, problems_of


def choice(answer: str, distractors: list[str], extra: str = "") -> bytes:
    listed = ", ".join(f'"{d}"' for d in distractors)
    return one_question(
        f'    kind: choice\n    prompt: Q ?\n    answer: "{answer}"\n'
        f"    distractors: [{listed}]\n{extra}"
    )


def test_look_alike_options_are_refused_with_their_line() -> None:
    problems = problems_of(choice("Russie", ["la Russie", "Russie.", "Chine"]))
    assert [p.line for p in problems] == [10, 10]  # the « distractors » line
    assert all("ne se distinguent pas" in p.message for p in problems)
    assert "« la Russie » et « Russie »" in problems[0].message


def test_look_alikes_on_separate_lines() -> None:
    data = one_question(
        "    kind: choice\n    prompt: Q ?\n    answer: Russie\n    distractors:\n"
        "      - Chine\n      - RUSSIE.\n"
    )
    (problem,) = problems_of(data)
    assert problem.line == 12 and problem.question_id == "q1"


def test_options_differing_by_a_symbol_stay_distinct() -> None:
    deck = load_deck_bytes(choice("C++", ["C#", "C"]), "x")
    assert deck.questions[0].distractors == ("C#", "C")
    assert load_deck_bytes(choice("+", ["-", "×"]), "x").questions[0].answer == "+"


def test_an_accepted_alternative_naming_a_wrong_option() -> None:
    (problem,) = problems_of(choice("Russie", ["Chine", "Inde"], '    accept: ["la Chine"]\n'))
    assert "retirez-la de « accept »" in problem.message


@pytest.mark.parametrize(
    ("key", "limit"),
    [("accept", MAX_ALTERNATIVES), ("tags", MAX_LIST_ENTRIES)],
)
def test_too_many_entries(key: str, limit: int) -> None:
    items = ", ".join(f'"v{i}"' for i in range(limit + 1))
    data = one_question(
        f"    kind: open\n    prompt: Q ?\n    answer: oui\n    {key}: [{items}]\n"
    )
    (problem,) = problems_of(data)
    assert f"{limit + 1} éléments : {limit} au maximum" in problem.message
    ok = ", ".join(f'"v{i}"' for i in range(limit))
    load_deck_bytes(
        one_question(f"    kind: open\n    prompt: Q ?\n    answer: oui\n    {key}: [{ok}]\n"),
        "x",
    )


def test_too_many_distractors() -> None:
    (problem,) = problems_of(choice("r0", [f"d{i}" for i in range(MAX_LIST_ENTRIES + 1)]))
    assert "au maximum" in problem.message


def test_long_lists_and_long_answers() -> None:
    items = ", ".join(f"pays{i}" for i in range(MAX_ANSWER_ITEMS + 1))
    (problem,) = problems_of(
        one_question(f"    kind: open\n    prompt: Q ?\n    answer: {items}\n")
    )
    assert f"{MAX_ANSWER_ITEMS + 1} éléments" in problem.message
    long = "mot " * 100
    (problem,) = problems_of(
        one_question(f"    kind: open\n    prompt: Q ?\n    answer: {long}\n")
    )
    assert "caractères" in problem.message


def test_too_many_numbers_and_too_much_text_over_the_alternatives() -> None:
    years = " ".join(str(1900 + i) for i in range(11))
    (problem,) = problems_of(
        one_question(f"    kind: open\n    prompt: Q ?\n    answer: {years}\n")
    )
    assert "11 nombres ou dates" in problem.message
    forms = ", ".join(f'"{"mot" + str(i)} {"x" * 250}"' for i in range(20))
    data = one_question(
        f"    kind: open\n    prompt: Q ?\n    answer: oui\n    accept: [{forms}]\n"
    )
    (problem,) = problems_of(data)
    assert "trop longues ensemble" in problem.message
