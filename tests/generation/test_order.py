"""Deck order: best first, items from one sentence apart, so one never gives another away."""

from __future__ import annotations

from pathlib import Path

from bot.content.deckfile import load_deck_file
from bot.content.generator.rank import best_first, spread_siblings
from bot.domain.deck import Question, QuestionKind

ROOT = Path(__file__).resolve().parents[2]


def _q(key: str, source: str) -> Question:
    return Question(key=key, kind=QuestionKind.OPEN, prompt="?", answer="x", source=source)


def test_round_robin_over_sentences_in_text_order() -> None:
    items = [
        _q("a1", "A"),
        _q("a2", "A"),
        _q("a3", "A"),
        _q("b1", "B"),
        _q("c1", "C"),
        _q("c2", "C"),
    ]
    assert [q.key for q in spread_siblings(items)] == ["a1", "b1", "c1", "a2", "c2", "a3"]


def test_best_first_keeps_two_items_of_a_sentence_apart() -> None:
    items = [
        Question(
            key="a1", kind=QuestionKind.OPEN, prompt="?", answer="x", source="A", confidence=0.9
        ),
        Question(
            key="a2", kind=QuestionKind.OPEN, prompt="?", answer="x", source="A", confidence=0.8
        ),
        Question(
            key="b1", kind=QuestionKind.OPEN, prompt="?", answer="x", source="B", confidence=0.5
        ),
    ]
    assert [q.key for q in best_first(items)] == ["a1", "b1", "a2"]


def test_shipped_deck_is_best_first_and_never_asks_two_items_of_a_sentence_in_a_row() -> None:
    deck = load_deck_file(ROOT / "questions/bielorussie-relations-exterieures.yaml")
    questions = list(deck.questions)
    assert [q.key for q in best_first(questions)] == [q.key for q in questions]
