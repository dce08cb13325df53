"""v3.13 (gen17): definitions cut at the end of their own clause, and terms the text describes
in an apposition asked as definition cards. Invented sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.content.generator import enrich, forms, selfrated
from bot.content.generator.pipeline import generate_drafts

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.language import Language
    from spacy.tokens import Span

    from bot.content.generator.model import Draft


def _cards(nlp: Language, sentence: str) -> list[tuple[str, str]]:
    text = f"Titre\n\n{sentence}"
    return [(d.prompt, d.answer) for d in generate_drafts(text, nlp, raw=True) if d.self_rated]


def _sentence_cards(
    nlp: Language, sentence: str, pattern: Callable[[Span, int, str], list[Draft]]
) -> list[tuple[str, str]]:
    sent = next(iter(nlp(sentence).sents))
    return [(d.prompt, d.answer) for d in pattern(sent, 0, "Titre")]


def _appositions(nlp: Language, sentence: str) -> list[tuple[str, str]]:
    return _sentence_cards(nlp, sentence, selfrated.appositions)


@pytest.mark.parametrize(
    ("text", "clipped"),
    [
        (
            "un objet capable d'attirer le fer, tandis qu'un isolant ne conduit pas",
            "un objet capable d'attirer le fer",
        ),
        ("le volume d'air inspiré ; il se mesure en litres", "le volume d'air inspiré"),
        (
            "les vaisseaux qui partent du cœur, et veines ceux qui y ramènent",
            "les vaisseaux qui partent du cœur",
        ),
        ("une roche (du granite)", "une roche"),
        # a colon opens what the definition says, and a comma before « qui » stays in it
        (
            "une personne qui remplit trois conditions : être …",
            "une personne qui remplit trois conditions : être …",
        ),
        ("une boue fertile, qui nourrit les champs", "une boue fertile, qui nourrit les champs"),
    ],
)
def test_a_description_ends_with_its_own_clause(text: str, clipped: str) -> None:
    assert enrich.clip_description(text) == clipped


def test_a_copula_definition_followed_by_a_second_clause_is_a_card(nlp: Language) -> None:
    cards = _cards(
        nlp,
        "Un aimant est un objet capable d'attirer le fer, tandis qu'un isolant ne conduit pas "
        "le courant.",
    )
    assert ("Qu'est-ce qu'un aimant ?", "Un objet capable d'attirer le fer.") in cards


def test_a_negated_copula_defines_nothing(nlp: Language) -> None:
    assert _cards(nlp, "Le corail n'est pas une plante, mais un animal qui vit en colonie.") == []


def test_a_second_definition_with_its_verb_left_out_is_no_card(nlp: Language) -> None:
    cards = _cards(
        nlp,
        "La fusion est un passage à l'état liquide et la solidification un passage à l'état "
        "solide.",
    )
    assert all("solidification un" not in answer for _, answer in cards)


def test_a_term_named_with_on_appelle_keeps_its_description_to_the_semicolon(
    nlp: Language,
) -> None:
    cards = _cards(
        nlp,
        "On appelle estuaire l'embouchure évasée d'un fleuve où pénètre la marée ; la Seine "
        "en possède un.",
    )
    assert cards == [
        (
            "Que désigne le mot « estuaire » ?",
            "L'embouchure évasée d'un fleuve où pénètre la marée.",
        )
    ]


def test_a_named_term_with_a_complement_is_named_whole(nlp: Language) -> None:
    sent = next(
        iter(nlp("On appelle cycle de la roche l'ensemble des transformations des roches.").sents)
    )
    assert [d.answer for d in enrich.named(sent, 0, set())] == ["cycle de la roche"]


def test_a_subject_described_between_commas_is_a_definition_card(nlp: Language) -> None:
    cards = _appositions(
        nlp, "Le sirocco, un vent chaud et sec venu du désert, souffle sur la Sicile au printemps."
    )
    assert cards == [("Qu'est-ce que le sirocco ?", "Un vent chaud et sec venu du désert.")]
    assert forms.form_of("self_rated", "notion", cards[0][0]) == "self_rated qu-est-ce-que"


def test_a_plural_term_is_asked_with_que_sont(nlp: Language) -> None:
    assert _appositions(
        nlp,
        "Les alvéoles, de minuscules sacs d'air situés au bout des bronches, échangent les gaz "
        "avec le sang.",
    ) == [("Que sont les alvéoles ?", "De minuscules sacs d'air situés au bout des bronches.")]


def test_a_description_that_closes_the_sentence_is_a_card(nlp: Language) -> None:
    assert _appositions(
        nlp,
        "Les paysans redoutaient la grêle, une pluie de glaçons qui détruit les récoltes.",
    ) == [("Qu'est-ce que la grêle ?", "Une pluie de glaçons qui détruit les récoltes.")]


@pytest.mark.parametrize(
    "sentence",
    [
        # an enumeration, not a description
        "Le chantier utilisait une grue, une poulie et une brouette.",
        "Le minerai contient le fer, un métal, le cuivre et le zinc.",
        # a clause that starts after the comma
        "Au bout de la ligne, un transformateur abaisse la tension jusqu'à 230 volts.",
        # the noun phrase before the comma is a complement of place
        "Le message fut diffusé depuis la capitale, sur la radio, un appel à résister.",
        # a person, with a title
        "Le journal défend le lieutenant Martin, un officier accusé à tort de trahison.",
        # a plural term for a singular description
        "Les marchands fondent des comptoirs, une situation nouvelle pour la région.",
    ],
)
def test_what_only_looks_like_an_apposition_is_no_card(nlp: Language, sentence: str) -> None:
    assert _appositions(nlp, sentence) == []


def _namings(nlp: Language, sentence: str) -> list[tuple[str, str]]:
    return _sentence_cards(nlp, sentence, selfrated.namings)


@pytest.mark.parametrize(
    ("sentence", "card"),
    [
        (
            "La sécheresse désigne une longue période sans pluie qui assèche les sols.",
            (
                "Qu'est-ce que la sécheresse ?",
                "Une longue période sans pluie qui assèche les sols.",
            ),
        ),
        (
            "On parle de canicule lorsque la chaleur reste très forte plusieurs jours de suite.",
            (
                "Quand parle-t-on de canicule ?",
                "Lorsque la chaleur reste très forte plusieurs jours de suite.",
            ),
        ),
        (
            "Lorsque deux plaques s'écartent l'une de l'autre, on parle de divergence.",
            (
                "Quand parle-t-on de divergence ?",
                "Lorsque deux plaques s'écartent l'une de l'autre.",
            ),
        ),
        (
            "La couche de glace qui recouvre une région entière s'appelle l'inlandsis.",
            ("Qu'est-ce que l'inlandsis ?", "La couche de glace qui recouvre une région entière."),
        ),
        (
            "Les marins emportaient la boussole, que l'on appelle aussi compas, pour trouver le "
            "nord.",
            ("Comment appelle-t-on aussi la boussole ?", "Compas."),
        ),
    ],
)
def test_what_the_text_names_in_so_many_words_is_a_card(
    nlp: Language, sentence: str, card: tuple[str, str]
) -> None:
    assert _namings(nlp, sentence) == [card]


def test_a_name_given_to_a_demonstrative_is_no_card(nlp: Language) -> None:
    # « ce phénomène » is the sentence before: the card would not say what is named
    assert _namings(nlp, "Ce phénomène s'appelle la condensation de la vapeur.") == []
    assert _namings(nlp, "On parle de gel lorsque cette eau se transforme en glace.") == []


@pytest.mark.parametrize(
    ("prompt", "context"),
    [
        ("Le pont de Normandie a 12 arches.", forms.NAMED),
        ("Le pont a 12 arches.", forms.UNNAMED),
        ("En quelle année Volta invente-t-il la pile ?", forms.NAMED),
        ("À quelle date la famille royale fut-elle arrêtée ?", forms.UNNAMED),
        # the gap of a cloze names nothing, nor does the capital that opens a sentence
        ("{{Paris}} compte vingt arrondissements.", forms.UNNAMED),
        ("La ville fut fondée en {{1642}}.", forms.UNNAMED),
        ("La ville fut fondée par {{Maisonneuve}} sur l'île de Montréal.", forms.NAMED),
        ("Que désigne le mot « estuaire » ?", forms.NAMED),
        ("Les troupes entrent dans l'Allemagne vaincue.", forms.NAMED),
    ],
)
def test_an_item_names_what_it_is_about_or_not(prompt: str, context: str) -> None:
    assert forms.context_of(prompt) == context


def test_the_split_gate_turns_a_half_of_a_form_on_or_off() -> None:
    # « true_false nombre vrai » is off, but on when the statement names what it is about
    assert forms.gate("true_false", "nombre", "Le pont a 12 arches.", "vrai")
    assert forms.gate("true_false", "nombre", "Le pont de Normandie a 12 arches.", "vrai") is None
    # « cloze lieu » is on, but off when the sentence names nothing beyond its gap
    assert forms.gate("cloze", "lieu", "Le traité est signé à {{Rome}} en 1957 par six pays.")
    assert forms.gate("cloze", "lieu", "Le traité de l'Élysée est signé à {{Paris}}.") is None
