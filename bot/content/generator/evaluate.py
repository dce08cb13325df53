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


def rated(path: Path) -> dict[str, dict[str, str]]:
    """Ratings of a raw output (CSV: id, kind, prompt, answer, distractors, acceptable, …)."""
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def _rate(rows: list[dict[str, str]], key: str) -> str:
    yes = sum(r[key] == "oui" for r in rows)
    return f"{yes}/{len(rows)} ({yes / len(rows):.0%})" if rows else "-"


_NUMERIC_TAGS = ("date", "montant", "pourcentage", "nombre")


def ratings_report(deck: Deck, facts: list[GoldFact], ratings: dict[str, dict[str, str]]) -> str:
    rows = [ratings[q.key] for q in deck.questions if q.key in ratings]
    questions = [r for r in rows if r["kind"] != "cloze"]
    clozes = [r for r in rows if r["kind"] == "cloze"]
    with_d = [r for r in questions if r["distractors"]]
    numeric = [r for r in with_d if r["id"].startswith(_NUMERIC_TAGS)]
    names = [r for r in with_d if not r["id"].startswith(_NUMERIC_TAGS)]
    good = [q for q in deck.questions if ratings.get(q.key, {}).get("acceptable") == "oui"]
    ok_deck = Deck(deck.slug, deck.title, tuple(good))
    r = recall(ok_deck, facts)
    unrated = len(deck.questions) - len(rows)
    return (f"  questions acceptables {_rate(questions, 'acceptable')}, textes à trous "
            f"{_rate(clozes, 'acceptable')}; distracteurs bons: dates et nombres "
            f"{_rate(numeric, 'distractors_ok')}, noms {_rate(names, 'distractors_ok')}; "
            f"faits couverts par un item acceptable {r.by_item}/{r.facts} ({r.item_rate:.0%}), "
            f"par une question acceptable {r.by_question}/{r.facts} ({r.question_rate:.0%})"
            + (f"; {unrated} items non notés" if unrated else ""))


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
        rating_file = Path("questions/ratings") / f"{gold.stem}.csv"
        if rating_file.exists():
            print(ratings_report(deck, facts, rated(rating_file)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
