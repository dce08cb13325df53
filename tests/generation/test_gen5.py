"""Fourth round of the generator (gen5): patterns that carry concept and cause facts, each shown
on an invented sentence (never a corpus passage) so that the rule, not the text, is tested."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.content.generator import enrich
from bot.content.generator.pipeline import generate_drafts

if TYPE_CHECKING:
    from spacy.language import Language


def _items(nlp: Language, text: str) -> list[tuple[str, str]]:
    # raw: the path itself, forms v3.3 turned off included (test_gen8 tests the gate)
    return [(d.prompt, d.answer) for d in generate_drafts(text, nlp, raw=True)]


def _sentences(nlp: Language, text: str) -> list[str]:
    return [s.text for s in nlp(text).sents]


# --- « N, qui signifie « … » » → « Que signifie N ? » ----------------------------------------


def test_a_quoted_meaning_is_asked(nlp: Language) -> None:
    items = _items(
        nlp,
        "Les marins utilisaient le sigle SOS, qui signifie « sauvez nos âmes », depuis 1906.",
    )
    assert ("Que signifie le sigle SOS ?", "sauvez nos âmes") in items


def test_a_meaning_of_a_word_from_another_language_names_the_word(nlp: Language) -> None:
    items = _items(nlp, "Le mot « démocratie » vient du grec demos, qui signifie « le peuple ».")
    assert ("Que signifie le mot demos ?", "le peuple") in items


def test_a_long_meaning_is_not_asked(nlp: Language) -> None:
    items = _items(
        nlp,
        "Les paysans payaient la dîme, qui signifie « la dixième partie de toutes les récoltes "
        "de blé, de vin et de foin de l'année ».",
    )
    assert not any(p.startswith("Que signifie") for p, _ in items)


def test_a_meaning_after_a_pronoun_is_not_asked(nlp: Language) -> None:
    items = _items(nlp, "Les élèves la nomment ainsi, qui signifie « la grande ».")
    assert not any(p.startswith("Que signifie") for p, _ in items)


# --- a participle remark with its agent → « Par quoi … ? » -------------------------------------


def test_a_participle_remark_with_its_agent_is_asked(nlp: Language) -> None:
    items = _items(nlp, "La salive, fabriquée par le pancréas, contient de l'eau.")
    assert ("Par quoi la salive est-elle fabriquée ?", "le pancréas") in items


def test_an_agent_that_may_be_people_is_not_asked_with_quoi(nlp: Language) -> None:
    for text in (
        "La loi, votée par les électeurs, entre en vigueur.",
        "La statue, sculptée par un ouvrier, orne la place.",
    ):
        assert not any(p.startswith("Par quoi") for p, _ in _items(nlp, text))


def test_a_participle_with_a_vague_subject_is_refused(nlp: Language) -> None:
    items = _items(nlp, "Le traité, signé par Louis Pasteur, est célèbre.")
    assert not any(p.startswith("Par qui") for p, _ in items)


def test_a_participle_that_is_the_predicate_is_not_a_remark(nlp: Language) -> None:
    # no comma closes the participle: it is not a remark on the subject
    items = _items(nlp, "La salive, fabriquée par le pancréas contient de l'eau.")
    assert not any(p.startswith("Par quoi") for p, _ in items)


# --- a defined term: « Qu'est-ce que … ? » when the text offers two other descriptions ------


DEFINED = (
    "Un volcan est une montagne qui rejette de la lave et des gaz. "
    "Le magma remonte par une cheminée qui traverse la croûte terrestre. "
    "Les cendres forment un nuage qui retombe sur les villages voisins."
)


def test_a_defined_term_is_asked_as_a_self_rated_card(nlp: Language) -> None:
    # v3.8 (was a multiple choice whose options were other definitions of the text): the
    # definition is shown whole, the student says whether they knew it
    drafts = generate_drafts(DEFINED, nlp, raw=True)
    card = next(d for d in drafts if d.prompt == "Qu'est-ce qu'un volcan ?")
    assert card.self_rated
    assert card.answer == "Une montagne qui rejette de la lave et des gaz."
    assert card.distractors == () and card.accept == ()
    # one form per term: the « Comment appelle-t-on … ? » of the same sentence is dropped
    assert not any(d.prompt.startswith("Comment appelle-t-on une montagne") for d in drafts)


def test_a_defined_term_needs_no_options_as_a_card(nlp: Language) -> None:
    # v3.8 (was: without options, only its « Comment appelle-t-on … ? » question): a card
    # needs no distractors, so a text with one definition gets it
    items = _items(nlp, "Un volcan est une montagne qui rejette de la lave et des gaz.")
    assert ("Qu'est-ce qu'un volcan ?", "Une montagne qui rejette de la lave et des gaz.") in items
    assert not any(p.startswith("Comment appelle-t-on une montagne") for p, _ in items)


# --- sentences split after an era or a unit --------------------------------------------------


def test_a_sentence_ends_after_the_era_before_a_capital(nlp: Language) -> None:
    assert _sentences(nlp, "Carthage tombe en 146 av. J.-C. Les marchands s'enrichissent.") == [
        "Carthage tombe en 146 av. J.-C.",
        "Les marchands s'enrichissent.",
    ]
    assert len(_sentences(nlp, "En 52 av. J.-C., César gagne à Alésia.")) == 1


def test_a_sentence_ends_after_a_temperature(nlp: Language) -> None:
    assert _sentences(nlp, "L'eau bout à 100 °C. La vapeur monte.") == [
        "L'eau bout à 100 °C.",
        "La vapeur monte.",
    ]
    assert len(_sentences(nlp, "Le prix revient à A. Dupont.")) == 1


# --- a demonstrative opening a cause ---------------------------------------------------------


def test_a_demonstrative_cause_reads_with_the_definite_article() -> None:
    assert enrich._because("ces guerres ruinent les paysans") == (
        "parce que les guerres ruinent les paysans"
    )
    assert enrich._because("cette armée est puissante") == "parce que l'armée est puissante"
    assert enrich._because("ce roi est faible") == "parce que le roi est faible"


# --- « N, appelé ainsi parce que … » → « Pourquoi N est-il appelé ainsi ? » -----------------

NAMED_FOR = (
    "Les pèlerins marchaient vers la cité de Compostelle. Le plus grand temple de la ville "
    "est le temple des Vents, appelé ainsi parce que ses murs sont percés de huit fenêtres. "
    "Les rois aimaient la ville parce que la chasse était abondante. Les marchands partaient "
    "car les routes étaient sûres."
)


def test_a_name_explained_is_asked_as_a_cause(nlp: Language) -> None:
    drafts = generate_drafts(NAMED_FOR, nlp, raw=True)
    prompt = "Pourquoi le temple des Vents est-il appelé ainsi ?"
    why = next(d for d in drafts if d.prompt == prompt)
    # v3.8: a self-rated card with the whole cause (was a choice among other clauses)
    assert why.self_rated
    assert why.answer == "Parce que ses murs sont percés de huit fenêtres."
    assert why.distractors == ()


def test_a_cause_with_another_sentence_s_possessive_is_not_an_option(nlp: Language) -> None:
    drafts = generate_drafts(NAMED_FOR, nlp, raw=True)
    for d in drafts:
        if d.prompt.startswith("Pourquoi") and "temple" not in d.prompt:
            assert all("ses murs" not in x for x in d.distractors)
