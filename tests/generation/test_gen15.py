"""v3.11 (gen15): counted enumerations asked as one list (« Quels trois minéraux … ? »), a cause
kept as its multiple choice while its card's form is off. Invented sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.content.generator import enrich, forms, selfrated
from bot.content.generator.model import AnswerType, Draft

if TYPE_CHECKING:
    from spacy.language import Language


def _lists(nlp: Language, sentence: str) -> list[tuple[str, str]]:
    sent = next(iter(nlp(sentence).sents))
    return [(d.prompt, d.answer) for d in enrich.lists(sent, 0, [])]


def test_a_counted_enumeration_is_one_list_question_with_its_number(nlp: Language) -> None:
    drafts = _lists(
        nlp,
        "Pour qu'un feu démarre et se maintienne, trois éléments doivent être réunis : "
        "un combustible, un comburant et une source de chaleur.",
    )
    assert drafts == [
        (
            "Quels trois éléments doivent être réunis pour qu'un feu démarre et se maintienne ?",
            "un combustible, un comburant et une source de chaleur",
        )
    ]
    prompt, _ = drafts[0]
    assert forms.form_of("open", "liste", prompt) == "open list-counted"
    assert forms.gate("open", "liste", prompt) is None  # a new form: no record, not off


def test_an_object_list_is_asked_without_inversion_and_keeps_its_purpose(nlp: Language) -> None:
    assert _lists(
        nlp, "Pour comparer les orages, on utilise deux mesures : la durée et la violence."
    ) == [
        (
            "Quelles sont les deux mesures qu'on utilise pour comparer les orages ?",
            "la durée et la violence",
        )
    ]


def test_side_clauses_are_cut_from_each_item(nlp: Language) -> None:
    drafts = _lists(
        nlp,
        "Une fleur complète comprend quatre sortes de pièces : les sépales, qui protègent le "
        "bouton, les pétales, les étamines et le pistil.",
    )
    assert drafts and drafts[0][1] == "les sépales, les pétales, les étamines et le pistil"


def test_a_count_the_enumeration_does_not_hold_is_refused(nlp: Language) -> None:
    # « trois » announced, two items given: a cut or merged item, never asked as a list of three
    drafts = _lists(
        nlp, "Pour comparer les orages, on utilise trois mesures : la durée et la violence."
    )
    assert not any("trois" in prompt for prompt, _ in drafts)


def test_an_uncounted_list_keeps_its_old_form() -> None:
    assert forms.form_of("open", "liste", "Quelles glandes déversent leurs sécrétions ?") == (
        "open list"
    )


def _cause() -> Draft:
    return Draft(
        False,
        "Pourquoi le pont est-il fermé ?",
        "parce que la rivière a débordé",
        AnswerType.CAUSE,
        "Le pont est fermé parce que la rivière a débordé.",
        0,
        "parce que la riviere a deborde",
        0.8,
        pattern="cause",
    )


def test_a_cause_stays_a_choice_while_its_card_form_is_off() -> None:
    assert "self_rated pourquoi" in forms.OFF
    (kept,) = selfrated.convert([_cause()])
    assert not kept.self_rated
    assert kept.pattern == "cause"
    assert kept.prompt == "Pourquoi le pont est-il fermé ?"
    assert kept.answer == "parce que la rivière a débordé"


def test_a_cause_becomes_a_card_when_its_form_is_on() -> None:
    (card,) = selfrated.convert([_cause()], off=frozenset())
    assert card.self_rated
    assert card.pattern == "cause-card"
    assert card.answer == "Parce que la rivière a débordé."


def _restated(nlp: Language, sentence: str) -> list[tuple[str, str]]:
    sent = next(iter(nlp(sentence).sents))
    return [(d.prompt, d.answer) for d in selfrated.restated(sent, 0)]


def test_a_term_restated_with_c_est_a_dire_becomes_a_definition_card(nlp: Language) -> None:
    assert _restated(
        nlp,
        "Les villageois pratiquaient le troc, c'est-à-dire l'échange direct d'un bien contre "
        "un autre.",
    ) == [("Qu'est-ce que le troc ?", "L'échange direct d'un bien contre un autre.")]


def test_the_definition_stops_where_the_sentence_goes_on(nlp: Language) -> None:
    drafts = _restated(
        nlp,
        "De l'autre, les conseils, c'est-à-dire des assemblées élues d'ouvriers et de soldats, "
        "prennent de plus en plus d'importance.",
    )
    assert drafts == [
        ("Que sont les conseils ?", "Des assemblées élues d'ouvriers et de soldats.")
    ]


def test_an_adjective_or_a_clause_after_c_est_a_dire_is_no_card(nlp: Language) -> None:
    assert (
        _restated(nlp, "Le climat y est équatorial, c'est-à-dire chaud et humide toute l'année.")
        == []
    )
    assert (
        _restated(nlp, "Le Sénat est bicaméral, c'est-à-dire qu'il se compose de deux assemblées.")
        == []
    )


def test_a_definition_cut_inside_its_list_is_no_card(nlp: Language) -> None:
    # « le droit de croire » alone would be a wrong definition of the freedom of conscience
    assert (
        _restated(
            nlp,
            "La loi garantit à chacun la liberté de conscience, c'est-à-dire le droit de croire, "
            "de ne pas croire ou de changer de religion.",
        )
        == []
    )
