"""v3.3 (gen8): a question form earns its place on unseen text or is turned off; the ranker
gates above the floor; ratings carry from round to round. Invented sentences only."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from bot.content.generator import carry, forms, ranker, rounds
from bot.content.generator.cli import generate_command
from bot.content.generator.model import AnswerType, Draft
from bot.content.generator.pipeline import _earned, generate_drafts, one_per_fact
from tests.generation.drafts import make_draft

if TYPE_CHECKING:
    from spacy.language import Language

SOURCE = "En 1907, le chimiste Paul Verrier fonde à Lyon la société des teinturiers."


# --- forms ------------------------------------------------------------------------------------


def test_a_question_form_is_its_opening_and_kind() -> None:
    assert forms.form_of("open", "notion", "Qu'est-ce qui colore la laine ?") == (
        "open qu-est-ce-qui"
    )
    assert forms.form_of("open", "notion", "Comment appelle-t-on un pont couvert ?") == (
        "open comment-appelle-t-on"
    )
    assert forms.form_of("choice", "date", "À quelle date le pont s'ouvre-t-il ?") == (
        "choice a-quelle-date"
    )
    assert forms.form_of("open", "lieu", "Où la laine est-elle lavée ?") == "open ou"
    assert forms.form_of("open", "liste", "Qu'est-ce que le fleuve reçoit ?") == "open list"


def test_statements_and_clozes_are_their_answer_type() -> None:
    assert forms.form_of("true_false", "personne", SOURCE, "faux") == "true_false personne faux"
    assert forms.form_of("true_false", "date", SOURCE, "vrai") == "true_false date vrai"
    assert forms.form_of("cloze", "lieu", "fonde à {{Lyon}} la société") == "cloze lieu"


def test_a_draft_has_the_form_of_the_item_it_becomes() -> None:
    statement = make_draft(SOURCE, "vrai", AnswerType.PERSON, truth=True)
    choice = make_draft(
        "En quelle année Paul Verrier fonde-t-il la société ?",
        "1907",
        AnswerType.YEAR,
        SOURCE,
        distractors=("1901", "1905", "1910"),
    )
    assert forms.draft_form(statement) == "true_false personne vrai"
    assert forms.draft_form(choice) == "choice en-quelle-annee"


# --- general shapes ---------------------------------------------------------------------------


def test_a_comma_in_a_question_is_refused_not_inside_a_title() -> None:
    spliced = "En quelle année le pont, long de 80 mètres a-t-il été ouvert ?"
    titled = "En quelle année Paul Verrier publie-t-il « Couleurs, teintes et laines » ?"
    assert forms.shape_refusal("choice", spliced) == "virgule dans la question"
    assert forms.shape_refusal("choice", titled) is None
    assert forms.shape_refusal("true_false", "Le pont, long de 80 mètres, ouvre en 1907.") is None


def test_a_year_question_needs_a_name_that_places_it() -> None:
    assert forms.shape_refusal("choice", "En quelle année un atelier est-il fondé ?")
    assert forms.shape_refusal("choice", "En quelle année est-ce que Paul Verrier fonde …?")
    assert (
        forms.shape_refusal("choice", "En quelle année Paul Verrier fonde-t-il l'atelier ?")
        is None
    )
    assert (
        forms.shape_refusal("choice", "En quelle année l'Ardèche ouvre-t-elle ses ponts ?") is None
    )


def test_forms_turned_off_are_not_written() -> None:
    assert forms.gate("open", "notion", "Qu'est-ce qui colore la laine rouge ?")
    assert forms.gate("true_false", "personne", SOURCE, "vrai")  # v3.10: « faux » is on again
    assert forms.gate("cloze", "personne", "En 1907, {{Paul Verrier}} fonde la société.")
    assert (
        forms.gate("choice", "date", "À quelle date Paul Verrier fonde-t-il l'atelier ?") is None
    )
    # v3.10: « true_false nombre vrai » is off (pooled 61/84); a date statement is not
    assert forms.gate("true_false", "date", "Le pont est achevé en 1907.", "vrai") is None
    assert forms.gate("true_false", "nombre", "Le pont a 12 arches.", "vrai")


def test_the_forms_turned_off_are_those_the_ratings_turn_off() -> None:
    """The shipped list is the rule applied to the committed ratings (not a hand pick); v3.12:
    the settled rule on the pooled record of every rated round (``rounds.decide_settled``);
    v3.13: from v3.12's decision, and split by whether the item names what it is about."""
    assert set(rounds.decide_settled(before=rounds.V312_OFF)) == set(forms.OFF)
    assert rounds.decide_split() == (set(forms.SPLIT_ON), set(forms.SPLIT_OFF))


def test_the_bar_needs_enough_ratings_or_a_hopeless_record() -> None:
    assert rounds.wilson_upper(0, 4) < rounds.BAR  # nobody accepted 4 ratings: off
    assert rounds.wilson_upper(1, 2) > rounds.BAR  # two ratings decide nothing
    assert rounds.wilson_upper(6, 6) > rounds.BAR


def test_a_fact_whose_question_is_off_keeps_its_statement() -> None:
    source = "Le chimiste Paul Verrier fonde la société en 1907."
    question = make_draft(
        "Qui fonde la société en 1907 ?", "Paul Verrier", AnswerType.PERSON, source
    )  # « open qui » (v3.10: « choice qui » is on again)
    statement = make_draft(source, "vrai", AnswerType.YEAR, source, truth=True, notes=["1907"])
    kept = one_per_fact(_earned([question, statement], expected=True))
    assert [d.true_false for d in kept] == [True]


def test_a_cause_is_judged_in_the_form_it_is_written() -> None:
    cause = make_draft(
        "Pourquoi la laine rougit-elle ?",
        "parce que le bain contient de la garance",
        AnswerType.CAUSE,
        "La laine rougit parce que le bain contient de la garance.",
    )
    cause.pattern = "cause"
    # v3.10 turned « choice pourquoi » on again (pooled 33/44); v3.12's settled rule turns it
    # off (57/88: even the upper end of its interval is under 75 %), as the card (33/66)
    assert _earned([cause], expected=True) == []
    assert forms.draft_gate(cause, "choice") == "forme désactivée (choice pourquoi)"
    card = replace(cause, self_rated=True)
    assert forms.draft_gate(card) == "forme désactivée (self_rated pourquoi)"


# --- the ranker's gate ------------------------------------------------------------------------


def _scored(prompt: str, confidence: float, *, cloze: bool = False) -> Draft:
    d = make_draft(prompt, "x", AnswerType.OTHER, cloze=cloze)
    d.confidence = confidence
    return d


def test_the_gate_drops_low_items_but_keeps_the_floor() -> None:
    low = ranker.threshold() - 0.05
    drafts = [
        _scored("Le pont a {{12}} arches.", low, cloze=True),
        _scored("Le pont a 12 arches.", low),
        _scored("Le pont a 14 arches.", low),
    ]
    # 100 words: the floor is 2 non-cloze items, so both statements stay, the cloze goes
    assert ranker.gate(drafts, 100) == drafts[1:]
    # 10 words: one non-cloze item is the floor
    assert ranker.gate(drafts, 10) == drafts[1:2]
    high = _scored("Le pont a {{16}} arches.", ranker.threshold(), cloze=True)
    assert ranker.gate([high], 10) == [high]


def test_the_confidence_is_a_probability_from_the_shipped_calibration() -> None:
    data = ranker._shipped()
    assert len(data["calibration"]) == 2 and 0.0 < data["threshold"] < 1.0
    assert 0.0 < ranker.calibrated(0.5, data["calibration"]) < 1.0


# --- carrying ratings -------------------------------------------------------------------------


def _deck(path: Path, questions: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "deck": {"id": path.stem, "title": "t"}, "questions": questions}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _q(key: str, prompt: str) -> dict[str, object]:
    return {"id": key, "kind": "true_false", "prompt": prompt, "answer": "vrai", "tags": ["date"]}


def test_identical_items_carry_their_rating_and_the_rest_is_to_rate(tmp_path: Path) -> None:
    old = tmp_path / "ratings" / "v3.2"
    _deck(
        old / "decks" / "pont.yaml",
        [_q("a", "Le pont ouvre en 1907."), _q("b", "Il a 12 arches.")],
    )
    for reader in rounds.READERS:
        carry.write_rows(
            old / reader / "pont.tsv",
            [
                {**carry.blank_row(_q("a", "Le pont ouvre en 1907.")), "rating": "A"},
                {**carry.blank_row(_q("b", "Il a 12 arches.")), "rating": "N"},
            ],
        )
    new = tmp_path / "v3.3"
    _deck(
        new / "decks" / "pont.yaml",
        [_q("a", "Le pont ouvre en 1907."), _q("b", "Le pont a 12 arches.")],
    )
    summary = carry.carry(new / "decks", new, ("v3.2",), tmp_path / "ratings")
    assert summary == {"pont": (2, 1)}
    carried = rounds.read_tsv(new / "carried-reader-a" / "pont.tsv")
    assert list(carried) == ["a"] and carried["a"]["rating"] == "A"
    to_rate = rounds.read_tsv(new / "to-rate" / "pont.tsv")
    assert list(to_rate) == ["b"] and to_rate["b"]["rating"] == ""
    # a reader rates the new item: assemble gives a complete file in deck order
    for reader in rounds.READERS:
        carry.write_rows(new / f"new-{reader}" / "pont.tsv", [{**to_rate["b"], "rating": "A"}])
    assert carry.assemble(new / "decks", new) == {}
    assembled = rounds.read_tsv(new / "reader-b" / "pont.tsv")
    assert [(k, r["rating"]) for k, r in assembled.items()] == [("a", "A"), ("b", "A")]


# --- end to end -------------------------------------------------------------------------------

STORY = (
    "Le chimiste Paul Verrier fonde en 1907 à Lyon la société des teinturiers du Rhône. "
    "En 1912, Paul Verrier ouvre un second atelier à Valence, où travaillent 45 ouvriers. "
    "Son associée Jeanne Morel dirige l'atelier de Valence jusqu'en 1931."
)


def test_the_generator_writes_no_form_turned_off(nlp: Language) -> None:
    raw = generate_drafts(STORY, nlp, raw=True)
    gated = generate_drafts(STORY, nlp)
    assert any(forms.draft_form(d) in forms.OFF for d in raw)  # the story does offer them
    # v3.10: a thin text is filled with fallback forms (``forms.FALLBACK_FORMS``) only
    assert not [
        d.prompt
        for d in gated
        if forms.draft_gate(d) and not (d.fallback and forms.fallback_allowed(d))
    ]
    # v3.10: the gate runs before one item per fact is chosen, so a fact whose first form is
    # off keeps another (« 45 » as a cloze when its statement is off): the same sentences
    assert {d.source for d in gated} <= {d.source for d in raw}


def test_the_command_writes_no_empty_deck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "matin.txt"
    source.write_text("Il fait beau ce matin et le vent souffle doucement.\n", encoding="utf-8")
    out = tmp_path / "matin.yaml"
    assert generate_command(source, out, None, None, progress=False) == 1
    assert not out.exists()
    assert "aucune question" in capsys.readouterr().err
