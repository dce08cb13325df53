"""v3.12 (gen16): a form's decision changes only when its record settles it; an acronym spelled
out in lower case, the people of the text's subject and a capitalised adverb taken for a name.
Invented sentences."""

from __future__ import annotations

from bot.content.generator import broken, checker, rounds
from bot.content.generator.model import AnswerType


def test_a_record_that_straddles_the_bar_keeps_the_decision_before() -> None:
    # 306/410 (75 %): its Wilson interval holds 75 %, so neither way is settled
    assert rounds.wilson_lower(306, 410) < rounds.POOLED_BAR < rounds.wilson_upper(306, 410)
    assert not rounds.settled_verdict(306, 410, was_off=False)
    assert rounds.settled_verdict(306, 410, was_off=True)


def test_a_settled_record_decides_whatever_the_decision_before() -> None:
    assert rounds.settled_verdict(57, 88, was_off=False)  # 65 %: upper end under 75 %
    assert not rounds.settled_verdict(196, 214, was_off=True)  # 92 %: lower end above
    assert rounds.settled_verdict(0, 4, was_off=False)  # nobody accepted four
    assert not rounds.settled_verdict(2, 3, was_off=False)  # three ratings settle nothing


def test_the_settled_rule_reads_the_decision_before_and_the_record() -> None:
    items = rounds.pooled()
    off = rounds.decide_settled(items)
    record = rounds.pooled_record(items)
    for form, (a, n) in record.items():
        if rounds.wilson_upper(a, n) < rounds.POOLED_BAR and n >= rounds.FEW:
            assert form in off
        elif rounds.wilson_lower(a, n) >= rounds.POOLED_BAR and n >= rounds.FEW:
            assert form not in off
        else:
            assert (form in off) == (form in rounds.V311_OFF)


_CTX = checker.TextContext(subjects=frozenset({"canada"}), text="")


def test_an_acronym_whose_words_are_in_the_prompt_is_a_giveaway() -> None:
    problems = checker.answer_problems(
        "l'UICPA",
        "En 2016, l'Union internationale de chimie pure et appliquée, {{l'UICPA}}, nomme les "
        "derniers éléments.",
        "",
        _CTX,
        AnswerType.ORG,
    )
    assert any("acronym" in p for p in problems)
    assert not any(
        "acronym" in p
        for p in checker.answer_problems(
            "l'UICPA",
            "En 2016, {{l'UICPA}} nomme les derniers éléments.",
            "",
            _CTX,
            AnswerType.ORG,
        )
    )


def test_the_people_of_the_texts_subject_are_a_trivial_answer() -> None:
    problems = checker.answer_problems(
        "Canadiens", "La plupart des {{Canadiens}} vivent dans le sud.", "", _CTX, AnswerType.OTHER
    )
    assert "trivial: the people of the text's own subject" in problems
    other = checker.answer_problems(
        "Britanniques", "Les {{Britanniques}} arrivent en 1763.", "", _CTX, AnswerType.OTHER
    )
    assert "trivial: the people of the text's own subject" not in other


def test_a_capitalised_adverb_is_no_name_for_a_class_noun() -> None:
    text = "Aujourd'hui, le tableau compte 118 éléments. Rome, la cité éternelle, domine."
    assert dict(broken._class_nouns(text)) == {"cité": "Rome"}


def test_a_gap_that_cuts_a_number_is_a_fragment() -> None:
    for prompt, answer in (
        ("Elle emprunte 10 {{000 euros}} pendant un an.", "000 euros"),
        ("Elle emprunte {{10}} 000 euros pendant un an.", "10"),
    ):
        problems = checker.answer_problems(answer, prompt, "", _CTX, AnswerType.MONEY)
        assert "fragment: part of a number" in problems
    whole = checker.answer_problems(
        "10 000 euros", "Elle emprunte {{10 000 euros}} pendant un an.", "", _CTX, AnswerType.MONEY
    )
    assert "fragment: part of a number" not in whole
