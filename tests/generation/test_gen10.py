"""v3.6 (gen10): an item reads alone — « en » / « y » without antecedent, a gerund with an
object clitic, a subject adjective without its noun, a definite noun phrase that refers back;
a leading connector stripped; no cloze on the span a statement tests. Invented sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.content.generator import alone
from bot.content.generator.model import AnswerType
from bot.content.generator.pipeline import generate_deck, generate_drafts, one_per_fact
from tests.generation.drafts import make_draft

if TYPE_CHECKING:
    from spacy.language import Language


def _problems(nlp: Language, sentence: str, text: str = "", gap: str = "") -> list[str]:
    earlier = alone.earlier_text(text, sentence)
    return alone.problems(nlp(sentence), gap, earlier, sentence, text)


@pytest.mark.parametrize(
    "sentence",
    [
        "Le vieux moulin, bâti en 1720 près de Rennes, en est le plus bel exemple.",
        "Les deux vallées en abritent environ 300 espèces.",
        "Les marchands y vendent du sel chaque semaine.",
    ],
)
def test_a_clitic_en_or_y_before_a_verb_is_vague(nlp: Language, sentence: str) -> None:
    assert any("[en-y]" in p for p in _problems(nlp, sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Le vieux moulin fut bâti en 1720 en Bretagne.",
        "Il y a trois moulins sur la rivière, y compris celui du village.",
        "Combien de moulins y a-t-il sur la rivière en 1720 ?",
        "En traversant la rivière, le meunier perdit son chapeau.",
    ],
)
def test_the_preposition_en_il_y_a_and_a_gerund_are_not(nlp: Language, sentence: str) -> None:
    assert not any("[en-y]" in p for p in _problems(nlp, sentence))


def test_a_gerund_with_an_object_clitic_is_vague(nlp: Language) -> None:
    sentence = "En la comparant à d'autres cartes, Paul Martin retrouva le trésor en 1802."
    assert any("[gerund-clitic]" in p for p in _problems(nlp, sentence))
    plain = "En comparant la carte à d'autres cartes, Paul Martin retrouva le trésor en 1802."
    assert not any("[gerund-clitic]" in p for p in _problems(nlp, plain))


@pytest.mark.parametrize(
    "sentence",
    [
        "Les plus rapides atteignent la côte en deux jours.",
        "Certains longent la côte, où la mer est calme.",
    ],
)
def test_a_subject_without_its_noun_is_vague(nlp: Language, sentence: str) -> None:
    assert any("[substantivised]" in p for p in _problems(nlp, sentence))


def test_a_subject_with_its_noun_reads_alone(nlp: Language) -> None:
    for sentence in (
        "Les navires les plus rapides atteignent la côte en deux jours.",
        "Certains de ces navires longent la côte.",
        "La géologie des volcans est la science qui explique les éruptions.",
    ):
        assert not any("[substantivised]" in p for p in _problems(nlp, sentence))


#: « une compagnie » is introduced once, then referred back to as « la compagnie ».
COMPANY = (
    "En 1700, un drapier de Lyon fonde une compagnie avec son frère. "
    "Les affaires sont difficiles au début. "
    "Pendant dix ans, la compagnie vend du drap dans les foires du royaume."
)


def test_a_definite_subject_that_refers_back_to_one_thing_is_vague(nlp: Language) -> None:
    sentence = "Pendant dix ans, la compagnie vend du drap dans les foires du royaume."
    assert any("[anaphoric-np]" in p for p in _problems(nlp, sentence, COMPANY))


def test_a_kind_introduced_again_and_again_is_not(nlp: Language) -> None:
    text = (
        "On forme une solution en dissolvant du sel dans l'eau. "
        "On dilue une solution en ajoutant de l'eau. "
        "Au-delà de la limite, la solution est dite saturée."
    )
    sentence = "Au-delà de la limite, la solution est dite saturée."
    assert not any("[anaphoric-np]" in p for p in _problems(nlp, sentence, text))


def test_a_predicate_is_no_introduction(nlp: Language) -> None:
    text = "Le pays est une monarchie. Le roi gouverne seul. La monarchie devient parlementaire."
    sentence = "La monarchie devient parlementaire."
    assert not any("[anaphoric-np]" in p for p in _problems(nlp, sentence, text))


def test_a_question_that_lost_the_owner_of_dont_is_vague(nlp: Language) -> None:
    source = "La ligue, dont le siège se trouve à Lyon, réunit douze villes."
    found = alone.problems(nlp("Dans quelle ville le siège se trouve-t-il ?"), "", "", source)
    assert any("[anaphoric-np]" in p for p in found)


def test_an_item_that_keeps_dont_with_its_owner_reads_alone(nlp: Language) -> None:
    source = "La ligue, dont le siège se trouve à Lyon, réunit douze villes."
    assert not any("[anaphoric-np]" in p for p in alone.problems(nlp(source), "", "", source))


def test_a_demonstrative_or_le_meme_without_referent_is_vague(nlp: Language) -> None:
    assert _problems(nlp, "Cette machine pompe l'eau des mines depuis 1712.")
    assert _problems(nlp, "Le même traité fixe la frontière en 1659.")


def test_a_noun_given_by_the_gap_is_no_reference(nlp: Language) -> None:
    sentence = "Cette machine pompe l'eau des mines depuis 1712."
    assert not _problems(nlp, sentence, gap="Cette machine")


@pytest.mark.parametrize(
    ("prompt", "stripped"),
    [
        ("Ensuite, le sucre fond dans l'eau chaude.", "Le sucre fond dans l'eau chaude."),
        (
            "Mais la première pompe fut installée en 1712.",
            "La première pompe fut installée en 1712.",
        ),
        (
            "Enfin, {{la Cour des comptes}} contrôle les dépenses publiques.",
            "{{La Cour des comptes}} contrôle les dépenses publiques.",
        ),
        ("D'abord, au cours de la nuit, la pâte lève.", "Au cours de la nuit, la pâte lève."),
    ],
)
def test_a_leading_connector_is_stripped(prompt: str, stripped: str) -> None:
    assert alone.strip_connector(prompt) == stripped


@pytest.mark.parametrize(
    "prompt",
    [
        "Trois ans plus tard, le sucre fond dans l'eau chaude.",  # a fact, not a connector
        "Alors que le sucre fond, la pâte lève dans le four.",  # part of the clause
        "Ainsi nommé en 1712, le moulin tourne encore.",
        "Puis fond.",  # nothing whole left
    ],
)
def test_a_phrase_that_carries_the_clause_is_kept(prompt: str) -> None:
    assert alone.strip_connector(prompt) == prompt


def test_a_cloze_on_the_span_a_statement_tests_is_dropped() -> None:
    source = "En 1933, la crise touche environ 25 % des ouvriers."
    statement = make_draft(
        "En 1933, la crise touche environ 35 % des ouvriers.",
        "faux",
        AnswerType.PERCENT,
        source,
        truth=False,
        notes=["25 %"],
    )
    same = make_draft(
        "En 1933, la crise touche environ {{25 %}} des ouvriers.",
        "25 %",
        AnswerType.PERCENT,
        source,
        cloze=True,
    )
    other = make_draft(
        "En {{1933}}, la crise touche environ 25 % des ouvriers.",
        "1933",
        AnswerType.YEAR,
        source,
        cloze=True,
    )
    kept = one_per_fact([statement, same, other])
    assert statement in kept
    assert same not in kept
    assert other in kept  # another span of the sentence: its own fact (readers rate it A)


#: Invented text: « en est » and « y » without antecedent, « la troupe » referring back.
TEXT = (
    "Les automates de Vaucanson\n\n"
    "En 1738, Jacques de Vaucanson présente à Paris un canard mécanique qui bat des ailes. "
    "Le Joueur de flûte, construit en 1737 à Grenoble, en est le modèle le plus célèbre. "
    "En 1741, Vaucanson devient inspecteur des manufactures de soie à Lyon. "
    "Il fonde avec trois artisans une troupe de mécaniciens. "
    "Les ouvriers de Lyon accueillent mal ses métiers à tisser. "
    "Pendant dix ans, la troupe parcourt les ateliers de la ville. "
    "Ensuite, en 1745, Vaucanson invente un métier à tisser automatique. "
    "Ses automates furent exposés à Paris en 1746 devant le roi Louis XV. "
    "Le métier de Vaucanson inspira en 1801 Joseph Marie Jacquard."
)


def test_the_pipeline_writes_no_item_that_does_not_read_alone(nlp: Language) -> None:
    drafts = generate_drafts(TEXT, nlp)
    assert drafts  # never an empty deck
    for d in drafts:
        assert " en est " not in d.prompt
        assert "la troupe parcourt" not in d.prompt
        assert not d.prompt.startswith("Ensuite")


def test_the_deck_is_the_same_on_every_run(nlp: Language) -> None:
    first = generate_deck(TEXT, deck_id="vaucanson", title="Vaucanson", nlp=nlp)
    second = generate_deck(TEXT, deck_id="vaucanson", title="Vaucanson", nlp=nlp)
    assert [(q.key, q.prompt) for q in first.questions] == [
        (q.key, q.prompt) for q in second.questions
    ]
