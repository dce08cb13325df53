"""Figures of the generator on the development corpus, from item-by-item ratings.

::

    python -m bot.content.generator.evaluate                  # v1 figures: author, reader-2
    python -m bot.content.generator.evaluate --ratings DIR    # … from another reader's ratings
    python -m bot.content.generator.evaluate --generate       # regenerate the frozen decks first
    python -m bot.content.generator.evaluate --template DIR   # unrated TSVs for a new reader
    python -m bot.content.generator.evaluate --decks tests/data/ratings/v1/decks \
        --ratings tests/data/ratings/v1/reader-2              # the first round's decks
    python -m bot.content.generator.evaluate --by-form        # v3.3: acceptance per form
    python -m bot.content.generator.evaluate --recall [--decks DIR]   # v3.4: gold left out

The decks rated are frozen in ``tests/data/ratings/decks/<text>.yaml`` (so that readers rate
exactly what is measured); ``--generate`` rewrites them from ``tests/data/corpus/texts``. A
rating file ``<text>.tsv`` has the columns ``id kind prompt answer options rating reason
distractors gold note`` (``docs/generation.md``, rubric of ``tests/data/corpus``): ``rating`` is
A, M or N, ``distractors`` good / weak / wrong for a choice item, ``gold`` the gold fact ids an
A item asks (comma-separated).

Figures, per genre and overall: question-word questions acceptable, clozes acceptable,
true/false acceptable, distractors good, gold facts covered by an acceptable item and by an
acceptable non-cloze item, the acceptable share of the half of the items with the highest
``confidence``, mean confidence of A and of other items, non-cloze items per 1,000 words.

The older gold lists of ``tests/data/gold`` (sample text and three passages) keep their recall
functions (:func:`load_gold`, :func:`recall`).
"""

from __future__ import annotations

import csv
import math
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.generator.forms import FALLBACK_TAG, UNPROVEN_TAG
from bot.content.generator.rank import fold
from bot.content.generator.rounds import read_tsv
from bot.content.generator.split import (
    HELD_OUT,
    UNSEEN,
    UNSEEN_2,
    UNSEEN_3,
    UNSEEN_4,
    UNSEEN_5,
    UNSEEN_6,
    UNSEEN_7,
    UNSEEN_8,
    UNSEEN_9,
    UNSEEN_10,
    UNSEEN_11,
    UNSEEN_12,
    UNSEEN_13,
)
from bot.domain.deck import Deck, Question, QuestionKind

#: The groups the evaluation reports apart from the development texts, in this order.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("held-out texts", HELD_OUT),
    ("unseen texts (third round)", UNSEEN),
    ("unseen texts (fourth round)", UNSEEN_2),
    ("unseen texts (fifth round)", UNSEEN_3),
    ("unseen texts (sixth round)", UNSEEN_4),
    ("unseen texts (seventh round)", UNSEEN_5),
    ("unseen texts (eighth round)", UNSEEN_6),
    ("unseen texts (ninth round)", UNSEEN_7),
    ("unseen texts (tenth round)", UNSEEN_8),
    ("unseen texts (eleventh round)", UNSEEN_9),
    ("unseen texts (twelfth round)", UNSEEN_10),
    ("unseen texts (thirteenth round)", UNSEEN_11),
    ("unseen texts (fourteenth round)", UNSEEN_12),
    ("unseen texts (fifteenth round)", UNSEEN_13),
)

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "corpus"
RATINGS = ROOT / "tests" / "data" / "ratings"
DECKS = RATINGS / "decks"
#: The first round's frozen decks and their ratings (author, reader-1, reader-2).
V1 = RATINGS / "v1"
COLUMNS = (
    "id",
    "kind",
    "prompt",
    "answer",
    "options",
    "rating",
    "reason",
    "distractors",
    "gold",
    "note",
)
# --- the older gold lists (tests/data/gold) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldFact:
    question: str
    answer: str
    sentence: str
    accept: tuple[str, ...] = ()
    id: str = ""
    kind: str = ""


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
    facts = [
        GoldFact(
            f["question"],
            str(f["answer"]),
            f["sentence"],
            tuple(str(a) for a in f.get("accept", ())),
        )
        for f in data["facts"]
    ]
    return Path(data["passage"]), facts


def load_corpus_gold(path: Path) -> tuple[str, list[GoldFact]]:
    """A gold file of the corpus: its genre and its facts."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    facts = [
        GoldFact(
            f["question"],
            str(f["answer"]),
            f["sentence"],
            tuple(str(a) for a in f.get("aliases", ())),
            str(f["id"]),
            str(f.get("kind", "")),
        )
        for f in data["items"]
    ]
    return str(data.get("genre", path.stem)), facts


def _norm(text: str) -> str:
    return " ".join(fold(text).replace("'", "' ").split())


def _answers_match(mine: set[str], gold: set[str]) -> bool:
    if mine & gold:
        return True
    return any(
        len(m) >= 4
        and len(g) >= 4
        and (m in g or g in m)
        and min(len(m), len(g)) / max(len(m), len(g)) >= 0.5
        for m in mine
        for g in gold
    )


def covers(q: Question, fact: GoldFact) -> bool:
    """The item asks for the fact's answer, from the fact's sentence. A true/false statement
    covers a fact whose answer it states (true) or whose answer it swapped (false)."""
    if q.source is None:
        return False
    src, sentence = _norm(q.source), _norm(fact.sentence)
    if sentence not in src and src not in sentence:
        return False
    gold = {_norm(a) for a in (fact.answer, *fact.accept)}
    if q.kind is QuestionKind.TRUE_FALSE:
        prompt = _norm(q.prompt)
        present = [g for g in gold if g and g in src]
        if not present:
            return False
        if q.answer == "vrai":
            return any(g in prompt for g in present)
        return all(g not in prompt for g in present)
    answer = q.answer
    if q.kind is QuestionKind.CLOZE and "{{" in q.prompt:
        answer = q.prompt.split("{{", 1)[1].split("}}", 1)[0]
    mine = {_norm(a) for a in (answer, *q.accept)}
    if q.kind is QuestionKind.SELF_RATED:
        # v3.8: a card shows a sentence (« Parce qu'il renferme …. »); a definition card asks
        # its term (« Que désigne le mot « amylase » ? »), the answer of « Comment appelle-t-on
        # l'enzyme … ? »
        mine = {_norm(answer.rstrip(". "))}
        term = _CARD_TERM.match(q.prompt)
        if term:
            mine.add(_norm(next(g for g in term.groups() if g)))
    return _answers_match(mine, gold)


#: v3.8: the term a definition card asks about.
_CARD_TERM = re.compile(
    r"^(?:Que désigne le mot « (.+) » \?|Qu'est-ce qu(?:e |')(.+) \?|Que sont (.+) \?)$"
)
#: v3.8: the gold kinds a self-rated card covers as a non-cloze item (what string matching
#: cannot grade: a cause, a process, a definition).
CARD_KINDS = frozenset({"cause", "process", "concept"})


def recall(deck: Deck, facts: list[GoldFact]) -> Recall:
    by_item = by_question = 0
    for fact in facts:
        hits = [q for q in deck.questions if covers(q, fact)]
        by_item += bool(hits)
        by_question += any(q.kind is not QuestionKind.CLOZE for q in hits)
    return Recall(len(facts), by_item, by_question)


# --- frozen decks and ratings ------------------------------------------------------------------


def texts() -> list[str]:
    return sorted(p.stem for p in (CORPUS / "texts").glob("*.txt"))


def generate(names: list[str], decks: Path = DECKS) -> None:
    """Regenerate the frozen decks (model loaded once)."""
    from bot.content.generator.pipeline import generate_deck, load_model
    from bot.content.generator.writer import write_deck_yaml

    nlp = load_model()
    for name in names:
        text = (CORPUS / "texts" / f"{name}.txt").read_text(encoding="utf-8")
        deck = generate_deck(text, deck_id=name, title=text.split("\n", 1)[0].strip(), nlp=nlp)
        if not deck.questions:  # an empty deck is no valid file: the text is left out
            (decks / f"{name}.yaml").unlink(missing_ok=True)
            print(f"{name}: no item, no deck written")
            continue
        write_deck_yaml(
            deck,
            decks / f"{name}.yaml",
            source=os.path.relpath(CORPUS / "texts" / f"{name}.txt", decks.resolve()),
            force=True,
        )
        print(f"{name}: {len(deck.questions)} items → {decks / f'{name}.yaml'}")


def load_frozen(name: str, decks: Path = DECKS) -> Deck:
    from bot.content.deckfile import load_deck_file

    return load_deck_file(decks / f"{name}.yaml")


def _cell(text: str) -> str:
    return " ".join(str(text).split())


def _answer_of(q: Question) -> str:
    if q.kind is QuestionKind.CLOZE:
        return q.prompt.split("{{", 1)[1].split("}}", 1)[0] if "{{" in q.prompt else q.answer
    return q.answer


def write_template(out: Path, names: list[str], decks: Path = DECKS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        if not (decks / f"{name}.yaml").exists():
            continue  # no deck for this text (none frozen, or no item)
        deck = load_frozen(name, decks)
        with (out / f"{name}.tsv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
            writer.writerow(COLUMNS)
            for q in deck.questions:
                options = " | ".join(q.distractors) if q.distractors else "-"
                writer.writerow(
                    [
                        q.key,
                        q.kind.value,
                        _cell(q.prompt),
                        _cell(_answer_of(q)),
                        _cell(options),
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
        print(f"{out / f'{name}.tsv'}: {len(deck.questions)} items")


@dataclass
class Tally:
    """Counts for one text or one group of texts."""

    words: int = 0
    items: int = 0
    rated: int = 0
    non_cloze: int = 0
    questions: list[int] = field(default_factory=lambda: [0, 0])  # [A, rated]
    clozes: list[int] = field(default_factory=lambda: [0, 0])
    true_false: list[int] = field(default_factory=lambda: [0, 0])
    #: v3.8: self-rated cards, their own row (not question-word questions)
    self_rated: list[int] = field(default_factory=lambda: [0, 0])
    distractors: list[int] = field(default_factory=lambda: [0, 0])  # [good, judged]
    gold: list[int] = field(default_factory=lambda: [0, 0, 0])  # [facts, by A, by A non-cloze]
    top_half: list[int] = field(default_factory=lambda: [0, 0])
    conf_a: list[float] = field(default_factory=list)
    conf_other: list[float] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)
    by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    #: v3.4: [A, rated] of the items tagged ``repli`` (fallback) and ``non-prouve`` (a path
    #: with no record yet), reported apart
    tagged: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, other: Tally) -> None:
        """Sum ``other`` in; an unrated text adds its size and density only."""
        self.words += other.words
        self.items += other.items
        self.rated += other.rated
        self.non_cloze += other.non_cloze
        if not other.rated:
            return
        for name in (
            "questions",
            "clozes",
            "true_false",
            "self_rated",
            "distractors",
            "gold",
            "top_half",
        ):
            mine, theirs = getattr(self, name), getattr(other, name)
            for i, v in enumerate(theirs):
                mine[i] += v
        self.conf_a += other.conf_a
        self.conf_other += other.conf_other
        for k, v in other.reasons.items():
            self.reasons[k] += v
            self.examples.setdefault(k, other.examples.get(k, ""))
        for k, (a, b) in other.by_kind.items():
            self.by_kind[k][0] += a
            self.by_kind[k][1] += b
        for k, (a, b) in other.tagged.items():
            self.tagged[k][0] += a
            self.tagged[k][1] += b


def tally(name: str, ratings: dict[str, dict[str, str]], decks: Path = DECKS) -> Tally:
    deck = load_frozen(name, decks)
    text = (CORPUS / "texts" / f"{name}.txt").read_text(encoding="utf-8")
    _genre, facts = load_corpus_gold(CORPUS / "gold" / f"{name}.yaml")
    t = Tally(words=len(text.split()), items=len(deck.questions))
    t.non_cloze = sum(q.kind is not QuestionKind.CLOZE for q in deck.questions)
    acceptable: list[Question] = []
    gold_by_rater: set[str] = set()
    for q in deck.questions:
        row = ratings.get(q.key)
        if row is None or row.get("rating") not in {"A", "M", "N"}:
            continue
        t.rated += 1
        ok = row["rating"] == "A"
        bucket = {
            QuestionKind.CLOZE: t.clozes,
            QuestionKind.TRUE_FALSE: t.true_false,
            QuestionKind.SELF_RATED: t.self_rated,
        }.get(q.kind, t.questions)
        bucket[0] += ok
        bucket[1] += 1
        for tag in {FALLBACK_TAG, UNPROVEN_TAG} & set(q.tags):
            t.tagged[tag][0] += ok
            t.tagged[tag][1] += 1
        if q.confidence is not None:
            (t.conf_a if ok else t.conf_other).append(q.confidence)
        if ok:
            acceptable.append(q)
            gold_by_rater |= {
                g.strip() for g in row.get("gold", "").split(",") if g.strip() and g.strip() != "-"
            }
        else:
            reason = row.get("reason") or ("small edit (M)" if row["rating"] == "M" else "-")
            t.reasons[reason] += 1
            t.examples.setdefault(reason, f"{q.prompt} → {_answer_of(q)}")
        if q.kind is QuestionKind.CHOICE and row.get("distractors") in {"good", "weak", "wrong"}:
            t.distractors[0] += row["distractors"] == "good"
            t.distractors[1] += 1
    rated = [q for q in deck.questions if ratings.get(q.key, {}).get("rating") in {"A", "M", "N"}]
    ranked = sorted(rated, key=lambda q: -(q.confidence or 0))
    top = ranked[: math.ceil(len(ranked) / 2)]
    t.top_half = [sum(ratings[q.key]["rating"] == "A" for q in top), len(top)]
    t.gold[0] = len(facts)
    for fact in facts:
        hits = [q for q in acceptable if covers(q, fact)]
        by_rater = fact.id in gold_by_rater
        rater_hits = [q for q in acceptable if fact.id in ratings[q.key].get("gold", "")]
        if hits or by_rater:
            t.gold[1] += 1
            t.by_kind[fact.kind][0] += 1
        if any(_non_cloze_for(q, fact) for q in hits + rater_hits):
            t.gold[2] += 1
        t.by_kind[fact.kind][1] += 1
    return t


def _non_cloze_for(q: Question, fact: GoldFact) -> bool:
    """The item covers ``fact`` as a non-cloze item: any question or statement; a self-rated
    card only for a cause, a process or a concept (v3.8, :data:`CARD_KINDS`)."""
    if q.kind is QuestionKind.SELF_RATED:
        return fact.kind in CARD_KINDS
    return q.kind is not QuestionKind.CLOZE


def _pct(a: int | float, b: int | float) -> str:
    return f"{a}/{b} ({a / b:.0%})" if b else "-"


def _mean(xs: list[float]) -> str:
    return f"{sum(xs) / len(xs):.2f}" if xs else "-"


def row_of(label: str, t: Tally) -> str:
    density = 1000 * t.non_cloze / t.words if t.words else 0.0
    return (
        f"| {label} | {t.rated}/{t.items} | {_pct(*t.questions)} | {_pct(*t.clozes)} | "
        f"{_pct(*t.true_false)} | {_pct(*t.self_rated)} | {_pct(*t.distractors)} | "
        f"{_pct(t.gold[1], t.gold[0])} | "
        f"{_pct(t.gold[2], t.gold[0])} | {_pct(*t.top_half)} | {_mean(t.conf_a)} / "
        f"{_mean(t.conf_other)} | {density:.0f} |"
    )


HEADER = (
    "| text (genre) | rated | questions A | clozes A | true/false A | self-rated A | "
    "distractors good | gold by an A item | gold by an A non-cloze | top half A | "
    "confidence A / other | non-cloze per 1,000 words |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def report(ratings_dir: Path, names: list[str], decks: Path = DECKS) -> str:
    lines = [f"Ratings: {ratings_dir} (decks: {decks})", "", HEADER]
    total, dev = Tally(), Tally()
    groups = [(label, texts, Tally()) for label, texts in GROUPS]
    group_of = {name: tally_ for _, texts, tally_ in groups for name in texts}
    for name in names:
        if not (decks / f"{name}.yaml").exists():
            continue  # a text added after these decks were frozen
        genre, _facts = load_corpus_gold(CORPUS / "gold" / f"{name}.yaml")
        t = tally(name, read_tsv(ratings_dir / f"{name}.tsv"), decks)
        lines.append(row_of(f"{name} ({genre})", t))
        total.add(t)
        group_of.get(name, dev).add(t)
    lines.append(row_of("**development texts**", dev))
    for label, _texts, group in groups:
        if group.items or label == "held-out texts":
            lines.append(row_of(f"**{label}**", group))
    lines.append(row_of("**all**", total))
    lines.append("")
    lines.append(
        "Gold facts covered by an A item, by kind: "
        + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(total.by_kind.items()))
    )
    if total.tagged:
        lines.append(
            "Reported apart (v3.4): "
            + ", ".join(f"{k} {_pct(a, b)} A" for k, (a, b) in sorted(total.tagged.items()))
        )
    lines.append(
        "Reasons for M/N: "
        + "; ".join(
            f"{k} {v} (« {total.examples.get(k, '')} »)"
            for k, v in sorted(total.reasons.items(), key=lambda kv: -kv[1])
        )
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    names = texts()
    args = list(argv)
    if "--by-form" in args:  # v3.3: acceptance per form, on text unseen at the time
        from bot.content.generator import rounds

        return rounds.main([])
    if "--recall" in args:  # v3.4: what each deck leaves out, and why
        from bot.content.generator import coverage

        at = args.index("--decks") + 1 if "--decks" in args else 0
        return coverage.main(names, Path(args[at]) if at else None)
    decks = DECKS
    if "--decks" in args:
        i = args.index("--decks")
        if i + 1 >= len(args):
            print("--decks DIR: folder of the frozen decks", file=sys.stderr)
            return 2
        decks = Path(args[i + 1])
    if "--generate" in args:
        generate(names, decks)
    if "--template" in args:
        i = args.index("--template")
        out = (
            Path(args[i + 1])
            if i + 1 < len(args) and not args[i + 1].startswith("--")
            else RATINGS / "template"
        )
        write_template(out, names, decks)
        return 0
    dirs = [
        Path(args[i + 1]) for i, a in enumerate(args) if a == "--ratings" and i + 1 < len(args)
    ]
    if not dirs:  # the v2 decks are not rated yet: the first round's figures
        dirs = [V1 / "author", V1 / "reader-2"]
        decks = decks if "--decks" in args else V1 / "decks"
    for d in dirs:
        print(report(d, names, decks))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
