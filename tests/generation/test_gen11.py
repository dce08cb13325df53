"""v3.7 (gen11): broken items — a core argument of the source verb lost, an inversion pronoun
of the wrong gender for a person, a question ending on a determiner, a gap or answer that takes
the verb or one bound of a range, « les années » + a year, a definite NP standing for an entity
the text names. Invented sentences (``broken.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.content.generator import broken
from bot.content.generator.pipeline import generate_drafts
from bot.domain.deck import CLOZE_GAP, fill_gaps

if TYPE_CHECKING:
    from spacy.language import Language


def _item(
    kind: str, prompt: str, answer: str = "", source: str = "", text: str = ""
) -> broken.Item:
    return broken.Item(kind, prompt, answer, source, text or source)


def _cloze(prompt: str) -> broken.Item:
    """A cloze item whose source is its own sentence, gap filled."""
    gap = CLOZE_GAP.search(prompt)
    assert gap is not None
    return _item("cloze", prompt, gap[1], fill_gaps(prompt))


def _rules(nlp: Language, item: broken.Item) -> set[str]:
    parse = broken.cached(nlp)
    return {p.rsplit("[", 1)[1].rstrip("]") for p in broken.problems(item, parse)}


# --- core arguments ------------------------------------------------------------------------

_SOURCE = "En 1852, le chimiste Paul Morel découvrit le nickelium grâce à un prisme."


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("En quelle année le chimiste Paul Morel découvrit-il grâce à un prisme ?", "1852"),
        ("Qui découvrit en 1852 grâce à un prisme ?", "Paul Morel"),
    ],
)
def test_a_question_that_lost_the_object_of_its_verb_is_refused(
    nlp: Language, prompt: str, answer: str
) -> None:
    assert "core-args" in _rules(nlp, _item("question", prompt, answer, _SOURCE))


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        ("En quelle année le chimiste Paul Morel découvrit-il le nickelium ?", "1852"),
        ("Qui découvrit le nickelium en 1852 grâce à un prisme ?", "Paul Morel"),
        ("Qu'est-ce que Paul Morel découvrit en 1852 ?", "le nickelium"),
    ],
)
def test_a_question_that_keeps_its_arguments_or_asks_for_one_passes(
    nlp: Language, prompt: str, answer: str
) -> None:
    assert "core-args" not in _rules(nlp, _item("question", prompt, answer, _SOURCE))


def test_an_object_clitic_dropped_from_the_question_is_refused(nlp: Language) -> None:
    source = "En 1981, le maire Jean Dufort la nomme directrice de la Culture."
    prompt = "En quelle année le maire Jean Dufort nomme-t-il directrice de la Culture ?"
    assert "core-args" in _rules(nlp, _item("question", prompt, "1981", source))


# --- inversion pronoun and a person's gender ----------------------------------------------

_TEXT = (
    "Paulette Garnier naît en 1901 à Tours. Elle devient avocate en 1925. "
    "Gaston Ferrand, son rival, bloque toutes ses plaidoiries en 1930."
)


def test_elle_after_a_man_is_refused(nlp: Language) -> None:
    item = _item(
        "question", "En quelle année Gaston Ferrand bloque-t-elle ses plaidoiries ?", "1930"
    )
    item = broken.Item(item.kind, item.prompt, item.answer, "", _TEXT)
    assert "inversion-gender" in _rules(nlp, item)


def test_il_after_a_woman_the_text_calls_elle_is_refused(nlp: Language) -> None:
    item = broken.Item(
        "question", "En quelle année Paulette Garnier devient-il avocate ?", "1925", "", _TEXT
    )
    assert "inversion-gender" in _rules(nlp, item)


@pytest.mark.parametrize(
    "prompt",
    [
        "En quelle année Paulette Garnier devient-elle avocate ?",
        "En quelle année Gaston Ferrand bloque-t-il ses plaidoiries ?",
    ],
)
def test_the_right_pronoun_passes(nlp: Language, prompt: str) -> None:
    item = broken.Item("question", prompt, "1925", "", _TEXT)
    assert "inversion-gender" not in _rules(nlp, item)


def test_a_female_name_the_text_does_not_mark_is_read_from_elle_not_from_a_list() -> None:
    marked = broken._feminine_names("Claude Merlin naît à Lyon. Elle étudie la chimie.")
    assert "Claude Merlin" in marked
    assert not broken._feminine_names("Claude Merlin naît à Lyon. Il étudie la chimie.")


@pytest.mark.parametrize(
    "prompt",
    [
        "En quel mois de quelle année le royaume disparaît-il ce ?",
        "En quelle année la ville perd-elle son ?",
    ],
)
def test_a_question_ending_on_a_determiner_is_refused(nlp: Language, prompt: str) -> None:
    assert "stray-end" in _rules(nlp, _item("question", prompt, "1991"))


def test_qui_est_ce_is_no_stray_determiner(nlp: Language) -> None:
    assert "stray-end" not in _rules(nlp, _item("question", "Quel est ce roi ?", "Louis"))


# --- answer spans --------------------------------------------------------------------------


def test_a_gap_that_takes_the_verb_with_the_name_is_refused(nlp: Language) -> None:
    prompt = "En 1805, le botaniste {{Henri Lavigne découvrit}} à Nantes un cèdre venu du Liban."
    item = _item(
        "cloze", prompt, "Henri Lavigne découvrit", prompt.replace("{{", "").replace("}}", "")
    )
    assert "verb-in-answer" in _rules(nlp, item)


@pytest.mark.parametrize(
    ("prompt", "answer"),
    [
        (
            "Une banque est {{une institution qui prête de l'argent}}.",
            "une institution qui prête de l'argent",
        ),
        ("En 1805, le botaniste {{Henri Lavigne}} planta à Nantes un cèdre.", "Henri Lavigne"),
    ],
)
def test_a_relative_inside_the_answer_or_a_bare_name_passes(
    nlp: Language, prompt: str, answer: str
) -> None:
    source = prompt.replace("{{", "").replace("}}", "")
    assert "verb-in-answer" not in _rules(nlp, _item("cloze", prompt, answer, source))


@pytest.mark.parametrize(
    "prompt",
    [
        "Le nid se trouve à dix ou {{vingt}} mètres du sol.",
        "Le nid se trouve à {{dix}} ou vingt mètres du sol.",
        "La guerre dura de {{1870}} à 1871.",
        "La tour mesure entre 40 et {{50}} mètres.",
    ],
)
def test_a_gap_on_one_bound_of_a_range_is_refused(nlp: Language, prompt: str) -> None:
    assert "range-bound" in _rules(nlp, _cloze(prompt))


@pytest.mark.parametrize(
    "prompt",
    [
        "Le nid se trouve à {{dix ou vingt}} mètres du sol.",
        "Né en 1828 à {{Nantes}}, il voyagea peu.",
        "Il y a {{vingt}} arbres et 3 maisons.",
    ],
)
def test_a_whole_range_or_a_lone_number_passes(nlp: Language, prompt: str) -> None:
    assert "range-bound" not in _rules(nlp, _cloze(prompt))


@pytest.mark.parametrize(
    ("prompt", "refused"),
    [
        ("Depuis les années 1983, la forêt recule.", True),
        ("Depuis les années 1980, la forêt recule.", False),
    ],
)
def test_les_annees_takes_a_decade(nlp: Language, prompt: str, refused: bool) -> None:
    assert ("decade" in _rules(nlp, _item("true_false", prompt))) is refused


# --- a definite NP for a named entity ------------------------------------------------------

_RIVER = (
    "La Vanoise, le plus long fleuve de Savoie, naît dans les Alpes. "
    "Le fleuve traverse ensuite trois vallées."
)


def test_the_class_noun_of_an_apposition_is_repaired_by_the_name(nlp: Language) -> None:
    item = broken.Item("true_false", "Le fleuve traverse ensuite trois vallées.", "", "", _RIVER)
    assert broken.repair(item, broken.cached(nlp)) == "La Vanoise traverse ensuite trois vallées."


def test_a_class_noun_the_text_gives_two_names_is_refused(nlp: Language) -> None:
    text = "Lyon, la ville des Gaules, grandit. Vienne, la ville voisine, décline."
    item = broken.Item("true_false", "En 64, la ville perd ses remparts.", "", "", text)
    assert "main-entity-np" in _rules(nlp, item)
    assert broken.repair(item, broken.cached(nlp)) == item.prompt


def test_a_noun_the_text_gives_no_name_is_left_alone(nlp: Language) -> None:
    item = broken.Item(
        "true_false", "Le fleuve traverse trois vallées.", "", "", "Le fleuve coule."
    )
    assert broken.repair(item, broken.cached(nlp)) == item.prompt
    assert "main-entity-np" not in _rules(nlp, item)


@pytest.mark.parametrize(
    ("prompt", "refused"),
    [
        ("Le chimiste Paul Morel la mit en évidence en 1852 grâce à un prisme.", True),
        ("Le chimiste Paul Morel mit le gaz en évidence en 1852.", False),
        ("La pièce est retirée de l'affiche après dix représentations.", False),
    ],
)
def test_an_object_clitic_before_its_verb_is_vague(
    nlp: Language, prompt: str, refused: bool
) -> None:
    assert ("object-clitic" in _rules(nlp, _item("true_false", prompt))) is refused


def test_the_first_mention_rule_is_measured_but_off() -> None:
    assert "first-mention-np" in broken.RULES
    assert "first-mention-np" not in broken.ON


# --- through the pipeline ------------------------------------------------------------------


def test_no_generated_item_keeps_a_broken_shape(nlp: Language) -> None:
    text = (
        "Le chimiste Paul Morel\n\n"
        "En 1852, le chimiste Paul Morel découvrit le nickelium grâce à un prisme. "
        "Le nid du faucon se trouve à trente ou quarante mètres du sol. "
        "Depuis les années 1970, la forêt recule."
    )
    drafts = generate_drafts(text, nlp, raw=True)
    parse = broken.cached(nlp)
    for d in drafts:
        kind = "cloze" if d.cloze else ("true_false" if d.true_false else "question")
        gap = d.prompt.split("{{")[1].split("}}")[0] if "{{" in d.prompt else ""
        item = broken.Item(kind, d.prompt, gap or d.answer, d.source, text)
        assert not broken.problems(item, parse), d.prompt
    assert not any("années 1976" in d.prompt or "{{quarante}}" in d.prompt for d in drafts)


def test_the_checks_are_deterministic(nlp: Language) -> None:
    item = _item("question", "Qui découvrit en 1852 grâce à un prisme ?", "Paul Morel", _SOURCE)
    assert _rules(nlp, item) == _rules(nlp, item)
