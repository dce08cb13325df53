"""v3.9 (gen13): the deck's subject named instead of a common noun for it (« le fleuve » →
« le Rhône », « l'enfant » → « Louis Braille », « sa fille » → « la fille de … »). Invented
texts (``broken.name_main_entity``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.content.generator import broken

if TYPE_CHECKING:
    from spacy.language import Language

_RIVER = (
    "La Dorve et sa vallée\n\n"
    "La Dorve est une rivière longue de 212 kilomètres. Elle naît dans les Vosges.\n\n"
    "À Lunel, la rivière reçoit la Brume. Les villes de la rivière grandissent."
)
_PERSON = (
    "Paul Morin, l'inventeur du télescope à miroir\n\n"
    "Paul Morin est né le 3 mai 1801 à Orgeval. À six ans, l'enfant tomba malade. "
    "Le 4 juin 1840, sa fille aînée, Lucie, partit pour Rome."
)


def _named(nlp: Language, prompt: str, text: str, kind: str = "true_false") -> str:
    gap = prompt.split("{{", 1)[1].split("}}", 1)[0] if "{{" in prompt else ""
    item = broken.Item(kind, prompt, gap, "", text)
    return broken.name_main_entity(item, broken.cached(nlp))


def test_the_main_entity_comes_from_the_title_and_the_first_copula() -> None:
    entity = broken.main_entity(_RIVER)
    assert entity is not None
    assert (entity.name, entity.gender) == ("la Dorve", "Fem")
    assert "rivière" in entity.nouns
    person = broken.main_entity(_PERSON)
    assert person is not None
    assert (person.name, person.gender) == ("Paul Morin", "Masc")
    assert {"enfant", "inventeur"} <= person.nouns


def test_the_class_noun_is_replaced_by_the_name_in_a_cloze(nlp: Language) -> None:
    prompt = "À Lunel, la rivière reçoit {{la Brume}}."
    assert _named(nlp, prompt, _RIVER, "cloze") == "À Lunel, la Dorve reçoit {{la Brume}}."


def test_a_contraction_is_kept_right(nlp: Language) -> None:
    prompt = "Les villes de la rivière grandissent."
    assert _named(nlp, prompt, _RIVER) == "Les villes de la Dorve grandissent."


def test_a_person_is_named_for_a_biography_word(nlp: Language) -> None:
    prompt = "À six ans, l'enfant tomba malade."
    assert _named(nlp, prompt, _PERSON) == "À six ans, Paul Morin tomba malade."


def test_a_possessive_names_its_owner(nlp: Language) -> None:
    prompt = "Le 4 juin 1840, sa fille aînée, {{Lucie}}, partit pour Rome."
    assert (
        _named(nlp, prompt, _PERSON, "cloze")
        == "Le 4 juin 1840, la fille aînée de Paul Morin, {{Lucie}}, partit pour Rome."
    )


def test_the_gap_an_item_that_names_it_and_another_gender_are_left_alone(
    nlp: Language,
) -> None:
    for prompt, kind in (
        ("À Lunel, {{la rivière}} reçoit la Brume.", "cloze"),
        ("À Lunel, la rivière reçoit la Brume, comme la Dorve.", "true_false"),
        ("Le fleuve voisin reçoit la Brume.", "true_false"),
    ):
        assert _named(nlp, prompt, _RIVER, kind) == prompt


def test_a_plural_or_common_title_has_no_main_entity() -> None:
    assert broken.main_entity("Les Alpes, une montagne\n\nLes Alpes sont hautes.") is None
    assert broken.main_entity("La digestion\n\nLa digestion est un processus.") is None
