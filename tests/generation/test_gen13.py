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


# --- v3.9: definition cards that are real definitions ----------------------------------------


def test_an_evaluation_is_no_definition() -> None:
    from bot.content.generator.selfrated import refused_definition

    source = "La lutte contre la rouille est un enjeu économique important."
    assert refused_definition(
        "la lutte contre la rouille", "un enjeu économique important", source
    )
    source = "La vallée du Lot est un axe de communication majeur entre deux régions."
    assert refused_definition(
        "la vallée du Lot", "un axe de communication majeur entre deux régions", source
    )


def test_a_broken_or_undefined_term_is_refused_but_not_the_title() -> None:
    from bot.content.generator.selfrated import refused_definition

    source = "On appelle cycle du sel l'ensemble des échanges de sel entre les mers."
    assert refused_definition(
        "cycle du sel l'ensemble", "des échanges de sel entre les mers", source
    )
    source = "La conquête du reste du pays fut menée par un proconsul venu de Rome."
    assert refused_definition("la conquête du reste du pays", "une campagne de huit ans", source)
    source = "La Charte de la Ve Région est le texte qui organise les pouvoirs."
    assert (
        refused_definition(
            "la Charte de la Ve Région",
            "le texte qui organise les pouvoirs",
            source,
            "La Charte de la Ve Région",
        )
        is None
    )


def test_a_past_reported_or_cut_definition_is_refused() -> None:
    from bot.content.generator.selfrated import refused_definition

    past = "Sous l'Ancien Régime, le gallicanisme était la doctrine du royaume."
    assert refused_definition("le gallicanisme", "la doctrine du royaume", past)
    reported = "Un savant montra que le feu est une réaction avec l'oxygène de l'air."
    assert refused_definition("le feu", "une réaction avec l'oxygène de l'air", reported)
    cut = "Les deux siècles de l'Empire forment une longue période de calme, appelée la Pax Nova."
    assert refused_definition("la Pax Nova", "la longue période de calme", cut)


def test_a_real_definition_passes() -> None:
    from bot.content.generator.selfrated import refused_definition

    for term, description, source in (
        (
            "la corrosion",
            "la dégradation d'un métal",
            "La corrosion est la dégradation d'un métal.",
        ),
        (
            "rendement",
            "le rapport entre deux énergies",
            "On appelle rendement le rapport entre deux énergies.",
        ),
        (
            "galvanisation",
            "le dépôt d'une couche de zinc",
            "On dispose de la peinture, le dépôt d'une couche de zinc, appelé galvanisation.",
        ),
        (
            "un séisme ou tremblement de terre",
            "une série de secousses du sol",
            "Un séisme, ou tremblement de terre, est une série de secousses du sol.",
        ),
    ):
        assert refused_definition(term, description, source) is None, term


# --- v3.9: « si bien que » --------------------------------------------------------------------


def _cards(nlp: Language, text: str) -> list[tuple[str, str]]:
    from bot.content.generator.pipeline import generate_drafts

    return [(d.prompt, d.answer) for d in generate_drafts(text, nlp, raw=True) if d.self_rated]


def test_a_consequence_is_asked_and_its_cause_is_the_card(nlp: Language) -> None:
    text = (
        "Le lac de Vassière\n\n"
        "Le lac de Vassière est un lac de montagne. La vieille digue céda brusquement, si bien "
        "que le village de Lornay fut inondé pendant trois semaines."
    )
    cards = _cards(nlp, text)
    assert any(
        p.startswith("Pourquoi le village de Lornay fut-il inondé pendant trois semaines")
        for p, _ in cards
    ), cards


def test_a_consequence_that_goes_on_or_a_possessive_cause_is_no_card(nlp: Language) -> None:
    text = (
        "Le lac de Vassière\n\n"
        "Le lac de Vassière est un lac de montagne. Ses eaux gèlent en hiver, si bien que les "
        "pêcheurs du village de Lornay restent chez eux pendant trois mois."
    )
    assert not any("pêcheurs" in p for p, _ in _cards(nlp, text))


# --- v3.9: a clause that lost its subject ------------------------------------------------------


def test_a_clause_with_no_subject_after_its_opening_phrase_is_refused(nlp: Language) -> None:
    parse = broken.cached(nlp)
    lost = "À Lunel coule vers le sud dans une longue vallée, entre {{les Vosges}} et le Jura."
    item = broken.Item("cloze", lost, "les Vosges", "", lost)
    assert broken.lost_subject(item, parse)
    for kept in (
        "En 1933 fut créée la Compagnie nationale de la Dorve.",
        "À Lunel, la Dorve coule vers le sud entre les Vosges et le Jura.",
    ):
        assert broken.lost_subject(broken.Item("true_false", kept, "", "", kept), parse) is None


def test_a_place_opening_the_sentence_is_not_the_name_of_its_class_noun(nlp: Language) -> None:
    text = _RIVER + " À Lunel, le fleuve voisin reçoit la Brume."
    item = broken.Item("true_false", "Le fleuve coule alors vers le sud.", "", "", text)
    assert broken.repair(item, broken.cached(nlp)) == item.prompt
