"""The generator end to end on the sample text and the test passages (model loaded once)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.content.deckfile import load_deck_file
from bot.content.generator.cli import generate_command
from bot.content.generator.evaluate import load_gold, recall
from bot.content.generator.pipeline import generate_deck
from bot.content.generator.writer import write_deck_yaml
from bot.domain.deck import Deck, QuestionKind
from tests.generation.conftest import GOLD, ROOT, SAMPLE

if TYPE_CHECKING:
    from spacy.language import Language

# Floors at the measured values (docs/generation.md): a regression fails the test. Since the
# second generation, a fact asked by a question has no cloze any more (one item per fact), and
# the checks refuse what the first generator kept: recall by any item is lower, by a question
# higher on the three passages. v3.3 turned off the forms that failed on unseen text
# (``forms.OFF``: « Qui », « Où », « Qu'est-ce qui », clozes of persons, dates and countries, …):
# recall fell from 76–83 % to 54–78 % by any item, 41–80 % to 38–78 % by a non-cloze item.
# v3.10 re-decided the gate on every round's record (« choice dans-quel », « En quel mois de
# quelle année », 2/6, off; « cloze date » on again): by any item 54–78 % → 56–81 %, by a
# non-cloze item 38–78 % → 21–67 % (docs/generation.md, « v3.10 »).
RECALL_FLOORS = {
    # v3.12: its settled gate turned « choice dans-quel » off again (6/12), and the sample text's
    # month-and-year questions with it (docs/generation.md, « v3.12 »)
    "bielorussie-relations-exterieures": (0.55, 0.12),
    # v3.11: its gate turned « choice en-quelle-annee » and « choice qui » off on the pooled
    # record (their facts in these date-and-name texts have no other form); on the 84 texts of
    # the corpus, 31 more gold facts have an item than with v3.10 (docs/generation.md)
    # v3.13: its split gate turns off the date and place clozes that name nothing (10 of 16
    # facts asked, against 11)
    "crise-de-suez": (0.62, 0.43),
    "plan-marshall": (0.50, 0.35),
    "traite-de-rome": (0.72, 0.66),
}
#: Non-cloze items per 1,000 words: the target is 20; v3.3 left the sample text at 16.8, v3.10
#: at 8.4 (its month-and-year questions are « choice dans-quel », off; their facts are clozes
#: now; reported in docs/generation.md, not repaired by turning a failed form back on).
#: v3.12: 4.2 on the sample text, 19.9 and 17.0 on two history passages (« choice dans-quel »
#: and « choice pourquoi » off): the volume the gate costs, reported in docs/generation.md.
NON_CLOZE_FLOORS = {
    "bielorussie-relations-exterieures": 4.0,
    "crise-de-suez": 19.0,
    "plan-marshall": 17.0,
}

_decks: dict[str, Deck] = {}


def _deck(nlp: Language, name: str) -> Deck:
    if name not in _decks:
        passage, _facts = load_gold(GOLD / f"{name}.yaml")
        text = (ROOT / passage).read_text(encoding="utf-8")
        _decks[name] = generate_deck(text, deck_id=name, title=name, nlp=nlp)
    return _decks[name]


def test_the_specified_example_comes_out_right(nlp: Language) -> None:
    """DESIGN.md's example: « En quelle année l'UE décide-t-elle de geler les avoirs … ? » → 2006.
    v3.11's gate turned « choice en-quelle-annee » off (95/130 A, pooled, under the 75 % bar),
    so the generator drafts it on every path but does not write it by default; the shipped,
    reviewed deck keeps it."""
    from bot.content.generator import forms
    from bot.content.generator.pipeline import generate_drafts

    text = SAMPLE.read_text(encoding="utf-8")
    drafted = [
        d
        for d in generate_drafts(text, nlp, raw=True)
        if d.prompt.startswith("En quelle année l'UE décide-t-elle")
        and "geler" in d.prompt
        and "avoirs" in d.prompt
    ]
    assert drafted, "the example is no longer drafted"
    assert drafted[0].answer == "2006"
    assert "2006" not in drafted[0].distractors
    assert forms.draft_form(drafted[0]) in forms.OFF
    shipped = load_deck_file(ROOT / "questions" / "bielorussie-relations-exterieures.yaml")
    kept = [q for q in shipped.questions if "geler" in q.prompt and q.answer == "2006"]
    assert kept and kept[0].prompt.startswith("En quelle année l'UE décide-t-elle")


@pytest.mark.parametrize("name", sorted(RECALL_FLOORS))
def test_gold_recall_does_not_regress(nlp: Language, name: str) -> None:
    _passage, facts = load_gold(GOLD / f"{name}.yaml")
    r = recall(_deck(nlp, name), facts)
    item_floor, question_floor = RECALL_FLOORS[name]
    assert r.item_rate >= item_floor
    assert r.question_rate >= question_floor


@pytest.mark.parametrize("name", sorted(RECALL_FLOORS))
def test_generated_file_passes_validation(nlp: Language, name: str, tmp_path: Path) -> None:
    deck = _deck(nlp, name)
    path = tmp_path / f"{name}.yaml"
    write_deck_yaml(deck, path, source="sources/x.txt")
    loaded = load_deck_file(path)
    assert len(loaded.questions) == len(deck.questions)
    assert [q.key for q in loaded.questions] == [q.key for q in deck.questions]
    n_questions = sum(q.kind is not QuestionKind.CLOZE for q in deck.questions)
    words = len((ROOT / load_gold(GOLD / f"{name}.yaml")[0]).read_text().split())
    assert n_questions * 1000 / words >= NON_CLOZE_FLOORS.get(name, 20.0)
    assert len(deck.questions) * 1000 / words >= 30


def test_ids_are_stable_when_regenerated(nlp: Language) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    first = _deck(nlp, "bielorussie-relations-exterieures")
    again = generate_deck("Un titre\n\n" + text, deck_id="b", title="b", nlp=nlp)
    assert [q.key for q in again.questions] == [q.key for q in first.questions]


def test_shipped_deck_is_valid_and_reviewed() -> None:
    deck = load_deck_file(ROOT / "questions" / "bielorussie-relations-exterieures.yaml")
    assert len(deck.questions) >= 40
    assert all(q.source for q in deck.questions)


def test_command_writes_a_valid_file(
    nlp: Language, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "deck.yaml"
    assert generate_command(SAMPLE, out, "essai", "Essai", progress=False) == 0
    assert load_deck_file(out).slug == "essai"
    assert "questions écrites" in capsys.readouterr().out


def test_command_refuses_a_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x00\x01\x02")
    assert generate_command(path, None, None, None, progress=False) == 1
    assert "binaire" in capsys.readouterr().err
