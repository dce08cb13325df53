"""Gold-fact recall of the generator (``python -m bot.content.generator.evaluate``).

A gold fact (question, answer, sentence excerpt) is covered by an item when the item's source
sentence contains the excerpt and its answer (or an accepted form) equals the gold answer or
one of the gold's accepted forms, compared case-, accent- and article-insensitively.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.generator.rank import fold
from bot.domain.deck import Deck, Question, QuestionKind


@dataclass(frozen=True, slots=True)
class GoldFact:
    question: str
    answer: str
    sentence: str
    accept: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Recall:
    facts: int
    by_item: int
    by_question: int

    @property
    def item_rate(self) -> float:
        return self.by_item / self.facts if self.facts else 0.0

    @property
    def question_rate(self) -> float:
        return self.by_question / self.facts if self.facts else 0.0


def load_gold(path: Path) -> tuple[Path, list[GoldFact]]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts = [GoldFact(f["question"], str(f["answer"]), f["sentence"],
                      tuple(str(a) for a in f.get("accept", ()))) for f in data["facts"]]
    return Path(data["passage"]), facts


def _norm(text: str) -> str:
    return " ".join(fold(text).replace("'", "' ").split())


def covers(q: Question, fact: GoldFact) -> bool:
    if q.source is None or _norm(fact.sentence) not in _norm(q.source):
        return False
    mine = {_norm(a) for a in (q.answer, *q.accept)}
    gold = {_norm(a) for a in (fact.answer, *fact.accept)}
    return bool(mine & gold)


def recall(deck: Deck, facts: list[GoldFact]) -> Recall:
    by_item = by_question = 0
    for fact in facts:
        hits = [q for q in deck.questions if covers(q, fact)]
        by_item += bool(hits)
        by_question += any(q.kind is not QuestionKind.CLOZE for q in hits)
    return Recall(len(facts), by_item, by_question)


def main(argv: list[str]) -> int:
    from bot.content.generator.pipeline import generate_deck, load_model

    nlp = load_model()
    root = Path(argv[0]) if argv else Path("tests/data/gold")
    for gold in sorted(root.glob("*.yaml")):
        passage, facts = load_gold(gold)
        text = passage.read_text(encoding="utf-8")
        deck = generate_deck(text, deck_id=gold.stem, title=gold.stem, nlp=nlp)
        r = recall(deck, facts)
        n_q = sum(q.kind is not QuestionKind.CLOZE for q in deck.questions)
        words = len(text.split())
        print(f"{gold.stem}: {words} mots, {n_q} questions, {len(deck.questions) - n_q} "
              f"textes à trous; faits couverts {r.by_item}/{r.facts} ({r.item_rate:.0%}), "
              f"par une question {r.by_question}/{r.facts} ({r.question_rate:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
