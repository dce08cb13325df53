"""Deck order: items from one sentence are spread apart, so one never gives another away."""

from __future__ import annotations

from pathlib import Path

from bot.content.deckfile import load_deck_file
from bot.content.generator.rank import spread_siblings
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


def test_shipped_deck_never_asks_two_items_of_a_sentence_in_a_row_where_avoidable() -> None:
    deck = load_deck_file(ROOT / "questions/bielorussie-relations-exterieures.yaml")
    questions = list(deck.questions)
    assert [q.key for q in spread_siblings(questions)] == [q.key for q in questions]
