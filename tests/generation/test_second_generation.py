"""The second generation's parts: checks, enriched patterns, true/false, ranker, writer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.content.deckfile import load_deck_file
from bot.content.generator import checker, enrich, ranker, truefalse
from bot.content.generator.cli import generate_command
from bot.content.generator.model import AnswerType, Candidate, Draft
from bot.content.generator.writer import OutputExistsError, deck_to_yaml, write_deck_yaml
from bot.domain.deck import Deck, Question, QuestionKind

if TYPE_CHECKING:
    from spacy.language import Language

CTX = checker.TextContext(frozenset({"digestion", "marie curie"}), "")


def _sent(nlp: Language, text: str):  # type: ignore[no-untyped-def]
    return next(iter(nlp(text).sents))


# --- checker ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Qui obtient officiellement % des voix et son adversaire 46,69 % ?",
        "Combien d'environ minutes la lumière du Soleil met-elle pour nous parvenir ?",
        "À quelle date Alexis Saint-Martin, un jeune trappeur canadien fut-il blessé ?",
        "Pourquoi ce phénomène se produit-il ?",
        "En quelle année les cendres de Pierre et Marie Curie ont-ils été transférées "
        "au Panthéon ?",
    ],
)
def test_badly_formed_questions_are_refused(nlp: Language, prompt: str) -> None:
    assert checker.form_problems(prompt, nlp(prompt))


@pytest.mark.parametrize(
    "prompt",
    [
        "Pourquoi le suc gastrique est-il très acide ?",
        "Comment appelle-t-on l'enzyme qui commence à dégrader l'amidon ?",
        "En quelle année le neutron fut-il découvert par James Chadwick ?",
        "Quelles glandes annexes déversent leurs sécrétions ?",
    ],
)
def test_well_formed_questions_pass(nlp: Language, prompt: str) -> None:
    assert checker.form_problems(prompt, nlp(prompt)) == []


def test_a_remark_left_open_is_closed() -> None:
    assert checker.repair(
        "À quelle date Alexis Saint-Martin, un jeune trappeur canadien fut-il blessé ?"
    ) == ("À quelle date Alexis Saint-Martin, un jeune trappeur canadien, fut-il blessé ?")


@pytest.mark.parametrize(
    ("answer", "prompt", "source", "type_", "reason"),
    [
        (
            "Marie Curie",
            "Bouleversé, {{Marie Curie}} cesse presque de publier.",
            "Bouleversé, Marie Curie cesse presque de publier.",
            AnswerType.PERSON,
            "trivial",
        ),
        (
            "deux",
            "À partir de ces {{deux}} substances, on obtient du sucre.",
            "À partir de ces deux substances, on obtient du sucre.",
            AnswerType.COUNT,
            "trivial",
        ),
        (
            "Odes",
            "Il publie les {{Odes}} et Poésies diverses en 1822.",
            "Il publie les Odes et Poésies diverses en 1822.",
            AnswerType.OTHER,
            "fragment",
        ),
        (
            "OSCE",
            "Le pays rejoint l'Organisation pour la sécurité et la coopération en Europe "
            "({{OSCE}}).",
            "…l'Organisation pour la sécurité et la coopération en Europe (OSCE).",
            AnswerType.ORG,
            "giveaway",
        ),
        (
            "l'Europe",
            "Quel continent compte les pays européens ?",
            "Les pays européens.",
            AnswerType.PLACE,
            "giveaway",
        ),
        (
            "XIe",
            "Au {{XIe}} siècle, Bi Sheng fabrique des caractères.",
            "Au XIe siècle, Bi Sheng fabrique des caractères.",
            AnswerType.OTHER,
            "fragment",
        ),
    ],
)
def test_bad_answers_are_refused(
    answer: str, prompt: str, source: str, type_: AnswerType, reason: str
) -> None:
    found = checker.answer_problems(answer, prompt, source, CTX, type_)
    assert any(p.startswith(reason) for p in found), found


def test_a_good_answer_passes() -> None:
    source = "La salive contient une enzyme appelée amylase."
    assert (
        checker.answer_problems(
            "amylase",
            "Comment appelle-t-on l'enzyme de la salive ?",
            source,
            CTX,
            AnswerType.CONCEPT,
        )
        == []
    )


def test_a_sentence_read_alone_names_its_subject(nlp: Language) -> None:
    sent = _sent(nlp, "Elle se déroule dans le tube digestif.")
    assert (
        checker.standalone(sent, "la digestion")
        == "La digestion se déroule dans le tube digestif."
    )
    assert checker.standalone(sent, None) is None
    assert (
        checker.standalone(_sent(nlp, "Il publia ses résultats onze ans plus tard."), "le médecin")
        is None
    )


def test_the_title_gives_the_text_subject() -> None:
    ctx = checker.text_context("La Loire, le plus long fleuve de France\n\nLa Loire coule.", [])
    assert {"loire", "fleuve"} <= ctx.subjects


# --- enriched patterns -----------------------------------------------------------------------


def _prompts(drafts: list[Draft]) -> dict[str, str]:
    return {d.prompt: d.answer for d in drafts}


def test_a_named_term_is_asked(nlp: Language) -> None:
    sent = _sent(
        nlp,
        "La salive humidifie la nourriture et contient une enzyme appelée "
        "amylase, qui commence à dégrader l'amidon.",
    )
    found = _prompts(enrich.named(sent, 0, set()))
    assert found == {"Comment appelle-t-on l'enzyme qui commence à dégrader l'amidon ?": "amylase"}


def test_on_appelle_is_asked(nlp: Language) -> None:
    sent = _sent(
        nlp,
        "On appelle bol alimentaire la boule de nourriture mâchée que la langue "
        "pousse vers le pharynx.",
    )
    found = _prompts(enrich.named(sent, 0, set()))
    assert (
        found[
            "Comment appelle-t-on la boule de nourriture mâchée que la langue pousse vers "
            "le pharynx ?"
        ]
        == "bol alimentaire"
    )


def test_a_definition_asks_for_the_term(nlp: Language) -> None:
    sent = _sent(nlp, "Un affluent est un cours d'eau qui se jette dans un autre cours d'eau.")
    found = _prompts(enrich.definitions(sent, 0, set()))
    assert found == {
        "Comment appelle-t-on un cours d'eau qui se jette dans un autre cours "
        "d'eau ?": "un affluent"
    }


def test_the_texts_own_subject_is_defined_as_a_choice(nlp: Language) -> None:
    sent = _sent(
        nlp,
        "La digestion est l'ensemble des transformations qui réduisent les "
        "aliments en nutriments.",
    )
    drafts = enrich.definitions(sent, 0, {"digestion"})
    assert [(d.prompt, d.pattern) for d in drafts] == [
        ("Qu'est-ce que la digestion ?", "definition-choice")
    ]


def test_a_cause_becomes_pourquoi(nlp: Language) -> None:
    sent = _sent(
        nlp,
        "Le suc gastrique est très acide, car il renferme de l'acide "
        "chlorhydrique : son pH est voisin de 2.",
    )
    drafts = enrich.causes(sent, 0, [])
    assert [(d.prompt, d.answer, d.type) for d in drafts] == [
        (
            "Pourquoi le suc gastrique est-il très acide ?",
            "parce qu'il renferme de l'acide chlorhydrique",
            AnswerType.CAUSE,
        )
    ]


def test_an_enumeration_is_one_list_item(nlp: Language) -> None:
    sent = _sent(
        nlp,
        "Plusieurs glandes annexes déversent leurs sécrétions : les glandes "
        "salivaires, le foie et le pancréas.",
    )
    drafts = enrich.lists(sent, 0, [])
    assert [(d.prompt, d.answer, d.type) for d in drafts] == [
        (
            "Quelles glandes annexes déversent leurs sécrétions ?",
            "les glandes salivaires, le foie et le pancréas",
            AnswerType.LIST,
        )
    ]


# --- true/false ------------------------------------------------------------------------------


def test_a_false_statement_swaps_a_number_for_a_close_one(nlp: Language) -> None:
    text = "Tous les atomes de carbone ont 6 protons dans leur noyau."
    sent = _sent(nlp, text)
    start = next(t.i for t in sent if t.text == "6")
    cand = Candidate(AnswerType.COUNT, "6", "6", start, start + 1, "6", 0, plural=True)
    draft = truefalse.statement(cand, sent, text, [cand])
    assert draft is not None and draft.true_false
    if draft.truth:
        assert draft.prompt == text and draft.answer == "vrai"
    else:
        assert draft.prompt == text.replace("6", "8") and draft.answer == "faux"
    assert truefalse.truth_of(text, "6") is draft.truth  # the same every run


# --- ranker ----------------------------------------------------------------------------------


def test_the_logistic_model_separates_what_it_can() -> None:
    x = [[1.0, float(i % 2)] for i in range(40)]
    y = [i % 2 for i in range(40)]
    w = ranker.fit(x, y, l2=0.1)
    scores = [ranker.predict(w, f) for f in x]
    assert ranker.auc(scores, y) == 1.0
    assert all(0.0 < s < 1.0 for s in scores)


def test_the_shipped_weights_match_the_features() -> None:
    w = ranker.weights()
    assert w is not None and len(w) == len(ranker.FEATURES)


def test_items_are_ordered_by_probability() -> None:
    drafts = [
        Draft(
            True,
            "Le {{6 juin 1822}}, Alexis Saint-Martin est blessé.",
            "6 juin 1822",
            AnswerType.DATE,
            "Le 6 juin 1822, Alexis Saint-Martin est blessé.",
            0,
            "6 juin 1822",
            0.5,
        ),
        Draft(
            False,
            "Qui est blessé le 6 juin 1822 ?",
            "Alexis Saint-Martin",
            AnswerType.PERSON,
            "Le 6 juin 1822, Alexis Saint-Martin est blessé.",
            0,
            "alexis saint-martin",
            0.5,
        ),
    ]
    ordered = ranker.order(drafts, CTX)
    assert [d.confidence for d in ordered] == sorted((d.confidence for d in ordered), reverse=True)
    assert all(0.0 <= d.confidence <= 1.0 for d in ordered)


# --- writer and command ----------------------------------------------------------------------


def _deck() -> Deck:
    return Deck(
        slug="essai",
        title='Un "titre" : test',
        questions=(
            Question(
                key="q1",
                kind=QuestionKind.TRUE_FALSE,
                prompt="La Loire est un fleuve.",
                answer="vrai",
                source="La Loire est un fleuve.",
                tags=("lieu", "vrai-faux"),
                confidence=0.7,
            ),
            Question(
                key="q2",
                kind=QuestionKind.CHOICE,
                prompt="Quel fleuve passe à Nantes ?",
                answer="la Loire",
                distractors=("la Seine", "le Rhône"),
                accept=("Loire",),
                source="La Loire passe à Nantes.",
                confidence=0.5,
            ),
            Question(
                key="q3",
                kind=QuestionKind.OPEN,
                prompt="Quels affluents la Loire reçoit-elle ?",
                answer="le Cher, l'Indre et la Vienne",
                source="…",
                confidence=0.4,
            ),
        ),
        language="fr",
    )


def test_the_writer_uses_the_guides_layout(tmp_path: Path) -> None:
    text = deck_to_yaml(_deck(), source="sources/x.txt")
    assert '  title: "Un \\"titre\\" : test"' in text
    assert '  - id: q2\n    kind: choice\n    prompt: "Quel fleuve passe à Nantes ?"' in text
    assert '    distractors: ["la Seine", "le Rhône"]' in text
    path = tmp_path / "d.yaml"
    write_deck_yaml(_deck(), path)
    loaded = load_deck_file(path)
    assert [q.kind for q in loaded.questions] == [q.kind for q in _deck().questions]
    assert loaded.questions[0].answer == "vrai"


def test_the_writer_never_overwrites_without_force(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("relu par l'enseignant", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_deck_yaml(_deck(), path)
    assert path.read_text(encoding="utf-8") == "relu par l'enseignant"
    write_deck_yaml(_deck(), path, force=True)
    assert load_deck_file(path).slug == "essai"


def test_the_command_refuses_an_existing_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "texte.txt"
    source.write_text("La Loire est le plus long fleuve de France.\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    out.write_text("relu", encoding="utf-8")
    assert generate_command(source, out, None, None, progress=False) == 1
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "relu"


def test_the_command_writes_drafts_outside_questions(
    nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "texte.txt"
    source.write_text(
        "La Loire\n\nLa Loire prend sa source au mont Gerbier-de-Jonc en 1850. "
        "Elle se jette dans l'océan Atlantique.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert generate_command(source, None, None, None, progress=False) == 0
    assert (tmp_path / "brouillons" / "texte.yaml").exists()
    assert not (tmp_path / "questions").exists()
    assert generate_command(source, None, None, None, progress=False, force=True) == 0


def test_quizbot_generate_refuses_an_existing_file_unless_forced(
    nlp: Language, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line as a teacher types it: `quizbot generate texte.txt -o relu.yaml` keeps
    a hand-corrected file; `--force` replaces it."""
    from bot.cli import main

    source = tmp_path / "texte.txt"
    source.write_text(
        "La Loire prend sa source au mont Gerbier-de-Jonc. Elle se jette dans l'océan "
        "Atlantique en 1850.\n",
        encoding="utf-8",
    )
    out = tmp_path / "relu.yaml"
    out.write_text("corrigé à la main", encoding="utf-8")
    assert main(["generate", str(source), "-o", str(out), "--no-progress"]) == 1
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "corrigé à la main"
    assert main(["generate", str(source), "-o", str(out), "--no-progress", "--force"]) == 0
    assert "version: 1" in out.read_text(encoding="utf-8")
