"""A small logistic model: the probability that a teacher keeps an item as is (rated A).

Features are read from the item as it is written (kind, prompt, answer, source sentence, answer
type, the pattern that made it) and from the text (how often the answer occurs, its subject),
so that any rated deck can be used to train it. Weights are trained offline and shipped in
``ranker_weights.json``; training is validated text by text (leave one text out)::

    python -m bot.content.generator.ranker --train      # train, print the LOTO AUC, write weights
    python -m bot.content.generator.ranker --validate   # LOTO AUC only

Training data: every ``*.tsv`` of ``tests/data/corpus/ratings`` (the first generator's items,
rated by outside readers, with their ``.deck.yaml``) and of ``tests/data/ratings/author``
(this generator's items, decks in ``tests/data/ratings/decks``).
"""

from __future__ import annotations

import csv
import functools
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.content.generator.checker import TextContext, vague
from bot.content.generator.model import TYPE_TAGS, Draft
from bot.content.generator.rank import fold
from bot.content.generator.split import NOT_FOR_TRAINING

if TYPE_CHECKING:
    from bot.content.generator.checker import TextContext as _Ctx  # noqa: F401

WEIGHTS = Path(__file__).with_name("ranker_weights.json")
ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "corpus"
AUTHOR = ROOT / "tests" / "data" / "ratings" / "v1" / "author"
DECKS = ROOT / "tests" / "data" / "ratings" / "v1" / "decks"
#: The v2 decks and their independent readers (development texts only are read).
V2 = ROOT / "tests" / "data" / "ratings"
V2_DECKS = V2 / "decks"
READERS = ("reader-3", "reader-4")
L2 = 1.0
_NUMERIC = {"date", "montant", "pourcentage", "nombre"}
_NAMES = {"personne", "organisation", "pays", "lieu"}
_PATTERNS = (
    "entity",
    "named",
    "apposition",
    "definition",
    "definition-choice",
    "definition-name",
    "cause",
    "cause-prep",
    "list",
    "truefalse",
)
_PRONOUN = re.compile(r"^(?:il|elle|ils|elles|on)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Item:
    """An item as the ranker reads it (from a draft or from a rated deck)."""

    kind: str  # cloze | open | choice | true_false
    prompt: str
    answer: str
    source: str
    tag: str  # the answer type's tag (date, personne, notion, …)
    pattern: str


def item_of(draft: Draft) -> Item:
    kind = (
        "true_false"
        if draft.true_false
        else ("cloze" if draft.cloze else ("choice" if len(draft.distractors) >= 2 else "open"))
    )
    answer = draft.notes[0] if draft.true_false and draft.notes else draft.answer
    return Item(kind, draft.prompt, answer, draft.source, TYPE_TAGS[draft.type], draft.pattern)


FEATURES = (
    "bias",
    "cloze",
    "open",
    "choice",
    "true_false",
    "numeric",
    "name",
    "concept",
    "cause",
    "list",
    "title",
    "other",
    "enriched",
    "prompt_words",
    "answer_words",
    "source_words",
    "source_vague",
    "source_pronoun",
    "answer_capital",
    "answer_frequency",
    "est_ce_que",
    "inversion",
    "commas",
    "subject",
    "gap_first",
    "parentheses",
    "answer_in_source",
)


def features(item: Item, text: str, ctx: TextContext | None) -> list[float]:
    f_text = fold(text)
    f_answer = fold(item.answer)
    occurrences = f_text.count(f_answer) if len(f_answer) > 2 else 0
    tag = item.tag
    prompt = item.prompt
    return [
        1.0,
        float(item.kind == "cloze"),
        float(item.kind == "open"),
        float(item.kind == "choice"),
        float(item.kind == "true_false"),
        float(tag in _NUMERIC),
        float(tag in _NAMES),
        float(tag == "notion"),
        float(tag == "cause"),
        float(tag == "liste"),
        float(tag == "titre"),
        float(tag == "autre"),
        float(item.pattern not in {"entity", "truefalse"}),
        math.log1p(len(prompt.split())) / 3,
        math.log1p(len(item.answer.split())) / 2,
        len(item.source.split()) / 40,
        float(vague(item.source) is not None),
        float(bool(_PRONOUN.match(item.source))),
        float(item.answer[:1].isupper()),
        math.log1p(occurrences) / 2,
        float("est-ce que" in prompt),
        float(bool(re.search(r"-(?:t-)?(?:il|elle|ils|elles)\b", prompt))),
        prompt.count(",") / 3,
        float(ctx is not None and fold(item.answer) in ctx.subjects),
        float(prompt.startswith("{{")),
        float("(" in prompt),
        float(fold(item.answer) in fold(item.source)),
    ]


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def fit(
    x: Sequence[Sequence[float]], y: Sequence[int], l2: float = L2, steps: int = 400
) -> list[float]:
    """L2-regularised logistic regression (Newton's method, numpy)."""
    import numpy as np

    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    w = np.zeros(xa.shape[1])
    reg = np.full(xa.shape[1], l2)
    reg[0] = 1e-6  # the bias is not shrunk
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(xa @ w, -30, 30)))
        grad = xa.T @ (p - ya) + reg * w
        hess = (xa.T * (p * (1 - p))) @ xa + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return [float(v) for v in w]


def predict(w: Sequence[float], feats: Sequence[float]) -> float:
    return _sigmoid(sum(a * b for a, b in zip(w, feats, strict=True)))


def auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


@functools.cache
def weights() -> list[float] | None:
    """The shipped weights (None when the file is missing or was made for other features)."""
    if not WEIGHTS.exists():
        return None
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if list(data["features"]) != list(FEATURES):
        return None
    return [float(v) for v in data["weights"]]


def order(drafts: list[Draft], ctx: TextContext) -> list[Draft]:
    """Set each draft's ``confidence`` to the model's probability; best first (stable)."""
    w = weights()
    if w is not None:
        for d in drafts:
            d.confidence = round(predict(w, features(item_of(d), ctx.text, ctx)), 2)
    return sorted(drafts, key=lambda d: -d.confidence)


# --- training ---------------------------------------------------------------------------------


def _deck_items(deck_path: Path) -> dict[str, dict[str, Any]]:
    import yaml

    data = yaml.safe_load(deck_path.read_text(encoding="utf-8"))
    return {str(q["id"]): q for q in data["questions"]}


_TAG_PATTERN = {"notion": "definition", "cause": "cause", "liste": "list", "titre": "definition"}


def rated_items(tsv: Path, deck_path: Path) -> list[tuple[Item, int]]:
    """(item, 1 if rated A else 0) for every rated row of ``tsv`` found in its deck."""
    deck = _deck_items(deck_path)
    out: list[tuple[Item, int]] = []
    with tsv.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            q = deck.get(row["id"])
            rating = (row.get("rating") or "").strip()
            if q is None or rating not in {"A", "M", "N"}:
                continue
            tags = [str(t) for t in q.get("tags", [])]
            tag = tags[0] if tags else "autre"
            kind = str(q["kind"])
            pattern = "truefalse" if kind == "true_false" else _TAG_PATTERN.get(tag, "entity")
            answer = row.get("answer") or str(q.get("answer", ""))
            if kind == "cloze":
                m = re.search(r"\{\{(.*?)\}\}", str(q["prompt"]))
                answer = m[1] if m else answer
            out.append(
                (
                    Item(kind, str(q["prompt"]), answer, str(q.get("source", "")), tag, pattern),
                    int(rating == "A"),
                )
            )
    return out


def sources(readers: Sequence[str] = READERS) -> list[tuple[Path, Path]]:
    """(ratings, deck) pairs: the first generator's outside ratings, the v1 author's and,
    for each of ``readers``, the independent readers' ratings of the v2 decks."""
    found = [
        (tsv, tsv.with_name(tsv.stem + ".deck.yaml"))
        for tsv in sorted((CORPUS / "ratings").glob("*.tsv"))
    ]
    found += [(tsv, DECKS / f"{tsv.stem}.yaml") for tsv in sorted(AUTHOR.glob("*.tsv"))]
    for reader in readers:
        rated = sorted((V2 / reader).glob("*.tsv"))
        found += [(tsv, V2_DECKS / f"{tsv.stem}.yaml") for tsv in rated]
    return found


def training_sets(
    pairs: Sequence[tuple[Path, Path]] | None = None,
) -> dict[str, list[tuple[list[float], int]]]:
    """Per text: feature vectors and labels of every rated item (outside and author). The
    held-out texts are never read."""
    sets: dict[str, list[tuple[list[float], int]]] = {}
    for tsv, deck in sources() if pairs is None else pairs:
        if not deck.exists() or tsv.stem in NOT_FOR_TRAINING:
            continue
        text_file = CORPUS / "texts" / f"{tsv.stem}.txt"
        text = text_file.read_text(encoding="utf-8") if text_file.exists() else ""
        ctx = _context(text)
        for item, label in rated_items(tsv, deck):
            sets.setdefault(tsv.stem, []).append((features(item, text, ctx), label))
    return sets


def _context(text: str) -> TextContext:
    from bot.content.generator.checker import _title_parts
    from bot.content.generator.normalise import split_blocks

    blocks = split_blocks(text) if text else []
    subjects = _title_parts(blocks[0].text) if blocks and blocks[0].heading else set()
    return TextContext(frozenset(subjects), text)


def leave_one_text_out(
    sets: dict[str, list[tuple[list[float], int]]],
) -> tuple[float, dict[str, float], list[tuple[float, int]]]:
    """Pooled AUC, AUC per text, and every held-out (probability, label)."""
    pooled: list[tuple[float, int]] = []
    per_text: dict[str, float] = {}
    for name, rows in sets.items():
        train = [r for other, rs in sets.items() if other != name for r in rs]
        w = fit([f for f, _ in train], [y for _, y in train])
        preds = [(predict(w, f), y) for f, y in rows]
        per_text[name] = auc([p for p, _ in preds], [y for _, y in preds])
        pooled.extend(preds)
    return auc([p for p, _ in pooled], [y for _, y in pooled]), per_text, pooled


def calibration(pooled: list[tuple[float, int]], bins: int = 5) -> list[tuple[str, int, float]]:
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [y for p, y in pooled if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if sel:
            rows.append((f"{lo:.1f}-{hi:.1f}", len(sel), sum(sel) / len(sel)))
    return rows


def main(argv: list[str]) -> int:
    sets = training_sets()
    n = sum(len(r) for r in sets.values())
    pooled_auc, per_text, pooled = leave_one_text_out(sets)
    print(f"{n} rated items from {len(sets)} texts; leave-one-text-out AUC {pooled_auc:.3f}")
    for name, value in sorted(per_text.items()):
        print(f"  {name}: AUC {value:.3f} ({len(sets[name])} items)")
    print("calibration (held-out probability bin: items, share rated A):")
    for label, count, share in calibration(pooled):
        print(f"  {label}: {count} items, {share:.0%} A")
    if "--train" in argv:
        rows = [r for rs in sets.values() for r in rs]
        w = fit([f for f, _ in rows], [y for _, y in rows])
        WEIGHTS.write_text(
            json.dumps(
                {
                    "features": list(FEATURES),
                    "weights": [round(v, 4) for v in w],
                    "items": n,
                    "loto_auc": round(pooled_auc, 3),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"weights written to {WEIGHTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
