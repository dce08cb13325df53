"""A small logistic model: the probability that a teacher keeps an item as is (rated A).

Features are read from the item as it is written (kind, prompt, answer, source sentence, answer
type, the pattern that made it) and from the text (how often the answer occurs, its subject),
so that any rated deck can be used to train it. Weights are trained offline and shipped in
``ranker_weights.json``; training is validated text by text (leave one text out)::

    python -m bot.content.generator.ranker --train      # train, print the LOTO AUC, write weights
    python -m bot.content.generator.ranker --validate   # LOTO AUC only
    python -m bot.content.generator.ranker --v39 [--candidate FILE]  # v3.9: every round,
                                                        # LOTO and forward by round
    python -m bot.content.generator.ranker --compare-decks FROZEN OTHER  # item sets, order

Training data: every ``*.tsv`` of ``tests/data/corpus/ratings`` (the first generator's items,
rated by outside readers, with their ``.deck.yaml``), the v1 author's and the v2 readers'
ratings, and (v3.3) every rated item of the v3, v3.1 and v3.2 decks, both readers, the released
unseen texts included; ``split.NOT_FOR_TRAINING`` (the held-out texts and the next round's)
is never read. ``confidence`` is the model's probability calibrated on this generator's items
(Platt scaling on the leave-one-text-out predictions); :func:`gate` leaves out what falls under
``THRESHOLD``, above the floor of non-cloze items.
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

from bot.content.generator import forms
from bot.content.generator.checker import TextContext, vague
from bot.content.generator.model import TYPE_TAGS, Draft
from bot.content.generator.rank import fold
from bot.content.generator.split import NOT_FOR_TRAINING
from bot.domain.deck import CLOZE_GAP

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
#: v3.3: the ranker's gate. Items whose calibrated probability is under ``THRESHOLD`` are left
#: out (chosen on leave-one-text-out predictions, ``docs/generation.md``), except non-cloze
#: items a text needs to keep ``FLOOR`` of them per 1,000 words.
THRESHOLD = 0.8
FLOOR = 20
GATE_STEPS = (0.0, 0.5, 0.7, 0.8)
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
    if draft.self_rated:
        # v3.8: a card is read as the multiple choice it replaces (the same prompt and answer,
        # without the clause distractors); v3.9: and as a card (``card_*`` features)
        kind = "self_rated"
    # a statement's answer as the rating files show it (« vrai » / « faux »): the ranker is
    # trained on those rows, so it reads drafts the same way
    answer = ("vrai" if draft.truth else "faux") if draft.true_false else draft.answer
    return Item(kind, draft.prompt, answer, draft.source, TYPE_TAGS[draft.type], draft.pattern)


#: Openings of a question grouped by what they ask (a feature each).
FORM_GROUPS: dict[str, frozenset[str]] = {
    "date": frozenset({"a-quelle-date", "en-quelle-annee", "de-quelle-annee"}),
    "define": frozenset({"comment-appelle-t-on", "qu-est-ce-que", "que-signifie"}),
    "subject": frozenset({"qu-est-ce-qui", "qui"}),
    "where": frozenset({"ou"}),
    "cause": frozenset({"pourquoi", "grace-a-quoi", "par-quoi"}),
    "count": frozenset({"combien", "quel-pourcentage"}),
}

BASE_FEATURES = (
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
FEATURES = (
    *BASE_FEATURES,
    # v3.3: the item's form (``forms.py``)
    *(f"form_{g}" for g in FORM_GROUPS),
    "tf_false",
    "question_comma",
    "short_statement",
    "spelled_count",
    "gap_in_quotation",
    # v3.9: the self-rated cards (read as the choice they replace by every feature above) and
    # how a card opens
    *(f"card_{name}" for name in ("self_rated", "pourquoi", "qu_est_ce_que", "que_designe")),
)
#: The features of the weights trained at v3.3 (a weights file may list a prefix of
#: :data:`FEATURES`: the features it does not list weigh nothing).
FEATURES_V33 = FEATURES[:-4]
_CARD_OPENINGS = (
    re.compile(r"Pourquoi\b"),
    re.compile(r"Qu'est-ce qu(?:e\b|')"),
    re.compile(r"Que désignen?t?\b"),
)


def features(item: Item, text: str, ctx: TextContext | None) -> list[float]:
    card = item.kind == "self_rated"
    if card:
        # a card is read as the multiple choice it replaces, then as a card
        item = Item("choice", item.prompt, item.answer, item.source, item.tag, item.pattern)
    return [
        *_item_features(item, text, ctx),
        float(card),
        *(float(card and bool(p.match(item.prompt))) for p in _CARD_OPENINGS),
    ]


def _item_features(item: Item, text: str, ctx: TextContext | None) -> list[float]:
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
        *_form_features(item),
    ]


def _form_features(item: Item) -> list[float]:
    question = item.kind in {"open", "choice"}
    word = forms.opening(item.prompt) if question else ""
    return [
        *(float(word in group) for group in FORM_GROUPS.values()),
        float(item.kind == "true_false" and item.answer == "faux"),
        float(question and forms.shape_refusal(item.kind, item.prompt) is not None),
        # « La ventilation se fait en deux temps. »: a short statement says little
        float(item.kind == "true_false" and len(item.prompt.split()) <= 9),
        float(bool(_SPELLED.search(item.source)) and item.tag == "nombre"),
        float(item.kind == "cloze" and bool(re.search(r"«[^»]*\{\{", item.prompt))),
    ]


_SPELLED = re.compile(r"\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\b", re.IGNORECASE)


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
    return aligned(list(data["features"]), [float(v) for v in data["weights"]])


def aligned(names: Sequence[str], values: Sequence[float]) -> list[float] | None:
    """Weights of :data:`FEATURES` from a file's (``names`` a prefix of them: the features
    it does not list weigh nothing; None when it was made for other features)."""
    if list(names) != list(FEATURES[: len(names)]) or len(values) != len(names):
        return None
    return [*values, *([0.0] * (len(FEATURES) - len(names)))]


def order(drafts: list[Draft], ctx: TextContext) -> list[Draft]:
    """Set each draft's ``confidence`` to the model's calibrated probability; best first
    (stable)."""
    w = weights()
    if w is not None:
        scale = _shipped().get("calibration", (0.0, 1.0))
        for d in drafts:
            p = predict(w, features(item_of(d), ctx.text, ctx))
            d.confidence = round(calibrated(p, scale), 2)
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
                m = CLOZE_GAP.search(str(q["prompt"]))
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


def round_dirs(before: str | None = None) -> list[str]:
    """v3.9: every rated round of the v3 series (:func:`rounds.rated_round_dirs`), oldest
    first; ``before``: only the rounds rated before that one."""
    from bot.content.generator import rounds

    found = rounds.rated_round_dirs()
    if before is None:
        return found
    return [n for n in found if rounds.round_version(n) < rounds.round_version(before)]


def _rated_item(r: Any) -> Item:
    pattern = "truefalse" if r.kind == "true_false" else _TAG_PATTERN.get(r.tag, "entity")
    return Item(r.kind, r.prompt, r.answer, r.source, r.tag, pattern)


def every_round_items(
    names: Sequence[str], skip: Sequence[str] = ()
) -> dict[str, list[tuple[Item, int]]]:
    """v3.9: per text, every rated item of the rounds ``names`` (oldest first), one example
    per item and reader; an item (id and prompt) rated in several rounds counts once per
    reader (its first rating). The texts of ``split.NOT_FOR_TRAINING`` and of ``skip`` are
    not read at all."""
    from bot.content.generator import rounds

    left_out = (*NOT_FOR_TRAINING, *skip)
    seen: set[tuple[str, str, str, str]] = set()
    out: dict[str, list[tuple[Item, int]]] = {}
    for name in names:
        for reader in rounds.READERS:
            for r in rounds.rated(rounds.RATINGS / name, reader, name, skip=left_out):
                key = (reader, r.text, r.id, r.prompt)
                if key in seen:
                    continue
                seen.add(key)
                out.setdefault(r.text, []).append((_rated_item(r), int(r.ok)))
    return out


def round_items() -> dict[str, list[tuple[Item, int]]]:
    """v3.3: per text, every rated item of the v3 rounds (both readers; an item carried
    unchanged to a later round is one verdict), the texts kept out of training left out
    before anything of theirs is read."""
    from bot.content.generator import rounds

    out: dict[str, list[tuple[Item, int]]] = {}
    items = [
        item
        for name, _unseen in rounds.ROUNDS
        for reader in rounds.READERS
        for item in rounds.rated(rounds.RATINGS / name, reader, name, skip=NOT_FOR_TRAINING)
    ]
    for r in rounds.unique_rows(items):
        pattern = "truefalse" if r.kind == "true_false" else _TAG_PATTERN.get(r.tag, "entity")
        item = Item(r.kind, r.prompt, r.answer, r.source, r.tag, pattern)
        out.setdefault(r.text, []).append((item, int(r.ok)))
    return out


#: A training row: features, label, and where it comes from: ``old`` (an older generator's
#: items), ``kept`` (a v3-round item whose form v3.3 still writes: the gate and the calibration
#: are chosen on these) or ``off`` (a v3-round item of a form turned off).
Row = tuple[list[float], int, str]


def training_sets(
    pairs: Sequence[tuple[Path, Path]] | None = None,
    *,
    with_rounds: bool = True,
    rounds_of: dict[str, list[tuple[Item, int]]] | None = None,
) -> dict[str, list[Row]]:
    """Per text: feature vectors and labels of every rated item (older generators' outside
    and author ratings, and the v3 rounds: ``rounds_of``, by default v3.3's
    :func:`round_items`). The texts of ``split.NOT_FOR_TRAINING`` are never read."""
    sets: dict[str, list[Row]] = {}
    contexts: dict[str, tuple[str, TextContext]] = {}

    def context(name: str) -> tuple[str, TextContext]:
        if name not in contexts:
            text_file = CORPUS / "texts" / f"{name}.txt"
            text = text_file.read_text(encoding="utf-8") if text_file.exists() else ""
            contexts[name] = (text, _context(text))
        return contexts[name]

    for tsv, deck in sources() if pairs is None else pairs:
        if not deck.exists() or tsv.stem in NOT_FOR_TRAINING:
            continue
        text, ctx = context(tsv.stem)
        for item, label in rated_items(tsv, deck):
            sets.setdefault(tsv.stem, []).append((features(item, text, ctx), label, "old"))
    if with_rounds and pairs is None:
        for name, rows in (round_items() if rounds_of is None else rounds_of).items():
            text, ctx = context(name)
            for item, label in rows:
                off = forms.gate(item.kind, item.tag, item.prompt, item.answer)
                where = "off" if off else "kept"
                sets.setdefault(name, []).append((features(item, text, ctx), label, where))
    return sets


def _context(text: str) -> TextContext:
    from bot.content.generator.checker import _title_parts
    from bot.content.generator.normalise import split_blocks

    blocks = split_blocks(text) if text else []
    subjects = _title_parts(blocks[0].text) if blocks and blocks[0].heading else set()
    return TextContext(frozenset(subjects), text)


def held_out_rows() -> list[tuple[list[float], int]]:
    """Features and labels of the latest round's items on the held-out texts whose form the
    generator still writes: a test of the trained model, never a training set."""
    from bot.content.generator import rounds
    from bot.content.generator.split import HELD_OUT

    latest = rounds.ROUNDS[-1][0]
    out: list[tuple[list[float], int]] = []
    for reader in rounds.READERS:
        for r in rounds.rated(rounds.RATINGS / latest, reader, latest):
            if r.text not in HELD_OUT or forms.gate(r.kind, r.tag, r.prompt, r.answer):
                continue
            text = (CORPUS / "texts" / f"{r.text}.txt").read_text(encoding="utf-8")
            pattern = "truefalse" if r.kind == "true_false" else _TAG_PATTERN.get(r.tag, "entity")
            item = Item(r.kind, r.prompt, r.answer, r.source, r.tag, pattern)
            out.append((features(item, text, _context(text)), int(r.ok)))
    return out


def leave_one_text_out(
    sets: dict[str, list[Row]], columns: Sequence[int] | None = None
) -> tuple[float, dict[str, float], list[tuple[float, int, str]]]:
    """Pooled AUC, AUC per text, and every held-out (probability, label, origin of the row);
    ``columns``: the features used (all when None)."""

    def cut(f: list[float]) -> list[float]:
        return f if columns is None else [f[c] for c in columns]

    pooled: list[tuple[float, int, str]] = []
    per_text: dict[str, float] = {}
    for name, rows in sets.items():
        train = [r for other, rs in sets.items() if other != name for r in rs]
        w = fit([cut(f) for f, _, _ in train], [y for _, y, _ in train])
        preds = [(predict(w, cut(f)), y, mine) for f, y, mine in rows]
        per_text[name] = auc([p for p, _, _ in preds], [y for _, y, _ in preds])
        pooled.extend(preds)
    return auc([p for p, _, _ in pooled], [y for _, y, _ in pooled]), per_text, pooled


def calibration(
    pooled: Sequence[tuple[float, int]], bins: int = 5
) -> list[tuple[str, int, float]]:
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [y for p, y in pooled if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if sel:
            rows.append((f"{lo:.1f}-{hi:.1f}", len(sel), sum(sel) / len(sel)))
    return rows


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def platt(pooled: Sequence[tuple[float, int]]) -> tuple[float, float]:
    """(a, b) with P(A) = sigmoid(a + b · logit(p)), fitted on held-out predictions: the
    older generators' items (33 % A) pull the raw model low; this maps it onto the rate at
    which readers accepted this generator's items."""
    a, b = fit([[1.0, _logit(p)] for p, _ in pooled], [y for _, y in pooled], l2=1e-3)
    return a, b


def calibrated(p: float, scale: Sequence[float]) -> float:
    return _sigmoid(scale[0] + scale[1] * _logit(p))


def gate_table(
    pooled: Sequence[tuple[float, int]], thresholds: Sequence[float] = GATE_STEPS
) -> list[tuple[float, int, int, int]]:
    """Per threshold: (threshold, items kept, of them rated A, items in all)."""
    return [
        (t, sum(p >= t for p, _ in pooled), sum(y for p, y in pooled if p >= t), len(pooled))
        for t in thresholds
    ]


@functools.cache
def _shipped() -> dict[str, Any]:
    if not WEIGHTS.exists():
        return {}
    data: dict[str, Any] = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return data


def threshold() -> float:
    """The gate's threshold on the calibrated probability (0 without shipped weights)."""
    return float(_shipped().get("threshold", 0.0))


def gate(drafts: list[Draft], words: int) -> list[Draft]:
    """Drop the drafts whose probability is under the shipped threshold, best first; a
    non-cloze item under it is still kept while the text has fewer than ``FLOOR`` non-cloze
    items per 1,000 words (the floor wins over the gate)."""
    cut = threshold()
    floor = math.ceil(FLOOR * words / 1000)
    kept: list[Draft] = []
    non_cloze = 0
    for d in drafts:
        if d.confidence >= cut or (not d.cloze and non_cloze < floor):
            kept.append(d)
            non_cloze += not d.cloze
    return kept


# --- v3.9: the retrain on every round, validated text by text and forward by round ---------

#: (round whose decks first rated them, the ``split`` group): the forward test's rounds.
FORWARD = (("v3.6", "UNSEEN_6"), ("v3.7", "UNSEEN_7"), ("v3.8", "UNSEEN_8"))


@dataclass(frozen=True, slots=True)
class Rated:
    """One reader's verdict on one item of a test round, with what ranks it in its deck."""

    text: str
    reader: str
    index: int  # the item's place in its frozen deck
    fallback: bool  # tagged ``repli``: written after every kept item whatever its score
    stored: float  # the confidence written in the frozen deck
    features: list[float]
    label: int


def first_rated(round_name: str, texts: Sequence[str]) -> list[Rated]:
    """Every rated item of ``texts`` on the decks of ``round_name``, both readers."""
    from bot.content.generator import rounds
    from bot.content.generator.forms import FALLBACK_TAG

    base = rounds.RATINGS / round_name
    others = tuple(d.stem for d in (base / "decks").glob("*.yaml") if d.stem not in texts)
    out: list[Rated] = []
    for reader in rounds.READERS:
        for r in rounds.rated(base, reader, round_name, skip=others):
            deck = rounds.deck_items(base / "decks" / f"{r.text}.yaml")
            index, q = next((i, q) for i, q in enumerate(deck) if str(q["id"]) == r.id)
            text = (CORPUS / "texts" / f"{r.text}.txt").read_text(encoding="utf-8")
            out.append(
                Rated(
                    r.text,
                    reader,
                    index,
                    FALLBACK_TAG in [str(t) for t in q.get("tags", [])],
                    float(q.get("confidence") or 0.0),
                    features(_rated_item(r), text, _context(text)),
                    int(r.ok),
                )
            )
    return out


def top_half(rows: Sequence[Rated], scores: Sequence[float]) -> tuple[int, int]:
    """(rated A, rated) in the top half of each text's items by score, pooled over texts and
    readers; fallback items after the others (as the generator writes them), ties in deck
    order."""
    groups: dict[tuple[str, str], list[tuple[Rated, float]]] = {}
    for row, score in zip(rows, scores, strict=True):
        groups.setdefault((row.text, row.reader), []).append((row, score))
    good = total = 0
    for group in groups.values():
        group.sort(key=lambda rs: (rs[0].fallback, -rs[1], rs[0].index))
        top = group[: math.ceil(len(group) / 2)]
        good += sum(r.label for r, _ in top)
        total += len(top)
    return good, total


@dataclass(frozen=True, slots=True)
class Model:
    weights: list[float]
    calibration: tuple[float, float]
    columns: list[int] | None  # the features used (all when None)

    def raw(self, feats: Sequence[float]) -> float:
        cut = feats if self.columns is None else [feats[c] for c in self.columns]
        return predict(self.weights, cut)

    def confidence(self, feats: Sequence[float]) -> float:
        return calibrated(self.raw(feats), self.calibration)


def shipped_model() -> Model:
    w = weights()
    if w is None:
        raise SystemExit("ranker_weights.json: weights made for other features")
    scale = _shipped().get("calibration", (0.0, 1.0))
    return Model(w, (float(scale[0]), float(scale[1])), None)


def train(sets: dict[str, list[Row]], columns: Sequence[int] | None = None) -> tuple[Model, float]:
    """A model fitted on every row of ``sets``, calibrated (Platt) on its leave-one-text-out
    predictions of the v3 rounds' items whose form is still written; and that LOTO AUC."""
    loto, _, pooled = leave_one_text_out(sets, columns)
    still = [(p, y) for p, y, where in pooled if where == "kept"]
    cols = None if columns is None else list(columns)
    rows = [r for rs in sets.values() for r in rs]
    x = [f if cols is None else [f[c] for c in cols] for f, _, _ in rows]
    w = fit(x, [y for _, y, _ in rows])
    return Model(w, platt(still), cols), loto


def _v33_columns() -> list[int]:
    return list(range(len(FEATURES_V33)))


def forward_table() -> list[tuple[str, str, int, dict[str, tuple[float, int, int, float]]]]:
    """Per forward round: (round, group, training items, per model: (AUC, top-half A, top-half
    rated, mean confidence)); the models are trained on every rated item of the rounds before
    (and the older generators' items), never on the round's texts."""
    from bot.content.generator import split

    shipped = shipped_model()
    out = []
    for name, group in FORWARD:
        texts = getattr(split, group)
        sets = training_sets(rounds_of=every_round_items(round_dirs(before=name), skip=texts))
        assert not set(sets) & set(texts), "a forward test text was trained on"
        rows = first_rated(name, texts)
        labels = [r.label for r in rows]
        models = {"shipped (v3.3)": shipped}
        models["retrained, v3.3 features"] = train(sets, _v33_columns())[0]
        models["retrained, v3.9 features"] = train(sets)[0]
        result: dict[str, tuple[float, int, int, float]] = {}
        for label, model in models.items():
            scores = [model.confidence(r.features) for r in rows]
            good, total = top_half(rows, scores)
            result[label] = (auc(scores, labels), good, total, sum(scores) / len(scores))
        stored = [r.stored for r in rows]
        good, total = top_half(rows, stored)
        result["deck as frozen"] = (auc(stored, labels), good, total, sum(stored) / len(rows))
        result["A share"] = (float("nan"), sum(labels), len(labels), float("nan"))
        out.append((name, group, sum(len(r) for r in sets.values()), result))
    return out


def calibration_means(
    pooled: Sequence[tuple[float, int]], bins: int = 5
) -> list[tuple[str, int, float, float]]:
    """Per band of confidence: (band, items, share rated A, mean confidence)."""
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [(p, y) for p, y in pooled if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if sel:
            share = sum(y for _, y in sel) / len(sel)
            rows.append((f"{lo:.1f}-{hi:.1f}", len(sel), share, sum(p for p, _ in sel) / len(sel)))
    return rows


def candidate(sets: dict[str, list[Row]]) -> dict[str, Any]:
    """The retrained weights as a weights file would hold them (v3.3 features: the card
    features change nothing, ``docs/generation.md``), with the threshold that leaves out, on
    the leave-one-text-out predictions, the share the shipped gate leaves out of the same items
    (0.80 on the new calibration would leave out most of them)."""
    columns = _v33_columns()
    model, loto = train(sets, columns)
    _, _, pooled = leave_one_text_out(sets, columns)
    still = sorted(calibrated(p, model.calibration) for p, _, where in pooled if where == "kept")
    old = shipped_model()
    kept = [f for rs in sets.values() for f, _, where in rs if where == "kept"]
    share = sum(old.confidence(f) < threshold() for f in kept) / len(kept)
    return {
        "features": list(FEATURES_V33),
        "weights": [round(v, 4) for v in model.weights],
        "calibration": [round(model.calibration[0], 4), round(model.calibration[1], 4)],
        "threshold": round(still[int(share * len(still))], 2),
        "items": sum(len(rs) for rs in sets.values()),
        "loto_auc": round(loto, 3),
    }


def retrain_report(candidate_file: Path | None = None) -> int:
    """v3.9: the retrain on every round, validated text by text and forward by round;
    ``candidate_file``: where to write the retrained weights (never ``ranker_weights.json``:
    they are not shipped, ``docs/generation.md``, « Ranker v3.9 »)."""
    from bot.content.generator import split

    sets = training_sets(rounds_of=every_round_items(round_dirs()))
    n = sum(len(r) for r in sets.values())
    ours = [(t, f, y) for t, rs in sets.items() for f, y, w in rs if w != "old"]
    print(f"{n} rated items × readers from {len(sets)} texts ({len(ours)} of the v3 rounds)")
    shipped = shipped_model()
    groups = ("UNSEEN_4", "UNSEEN_5", *(g for _, g in FORWARD))
    later = {t for g in groups for t in getattr(split, g)}
    for label, columns in (("v3.3 features", _v33_columns()), ("v3.9 features", None)):
        model, loto = train(sets, columns)
        _, _, pooled = leave_one_text_out(sets, columns)
        mine = [(calibrated(p, model.calibration), y) for p, y, w in pooled if w != "old"]
        new = [py for py, (t, _, _) in zip(mine, ours, strict=True) if t in later]
        print(f"LOTO, retrained with the {label}: AUC {loto:.3f} (all items)")
        print(
            f"  v3 rounds' items: {auc([p for p, _ in mine], [y for _, y in mine]):.3f};"
            f" texts released after v3.3 ({len(new)}): "
            f"{auc([p for p, _ in new], [y for _, y in new]):.3f}"
        )
        a, b = model.calibration
        print(f"  calibration of the v3 rounds' items (Platt a={a:.3f}, b={b:.3f}):")
        for band, count, rate, mean in calibration_means(mine):
            print(f"    {band}: {count} items, {rate:.0%} A, mean confidence {mean:.2f}")
    ship = [(shipped.confidence(f), y) for t, f, y in ours if t in later]
    print(
        "shipped weights on the same texts released after v3.3 (never trained on): AUC "
        f"{auc([p for p, _ in ship], [y for _, y in ship]):.3f}"
    )
    for band, count, rate, mean in calibration_means(ship):
        print(f"    {band}: {count} items, {rate:.0%} A, mean confidence {mean:.2f}")
    print()
    print("| round (texts) | trained on | model | AUC | top half A | mean confidence / A |")
    print("|---|---|---|---|---|---|")
    wins = 0
    for name, group, size, result in forward_table():
        rate = result["A share"][1] / result["A share"][2]
        for label, (value, good, total, mean) in result.items():
            if label != "A share":
                print(
                    f"| {name} ({group}) | {size} | {label} | {value:.3f} | "
                    f"{_share(good, total)} | {mean:.2f} / {rate:.0%} |"
                )
        s, r = result["shipped (v3.3)"], result["retrained, v3.9 features"]
        better = r[1] / r[2] > s[1] / s[2] and r[0] > s[0]
        wins += better
        print(
            f"| {name} | | retrained better (top half and AUC) | {'yes' if better else 'no'} | | |"
        )
    print(
        f"forward: the retrained model has the better top half and AUC on {wins} of {len(FORWARD)}"
    )
    if candidate_file is not None:
        if candidate_file.resolve() == WEIGHTS.resolve():
            print("the candidate is never written over the shipped weights", file=sys.stderr)
            return 2
        candidate_file.write_text(json.dumps(candidate(sets), indent=2) + "\n", encoding="utf-8")
        print(f"candidate weights written to {candidate_file}")
    return 0


def compare_decks(frozen: Path, other: Path) -> tuple[int, int, int, int]:
    """(items, texts whose item set differs, texts reordered, items at another place) of the
    decks of ``other`` against the frozen decks (an item is its id and prompt)."""
    from bot.content.generator import rounds

    items = sets = reordered = moved = 0
    for deck in sorted(frozen.glob("*.yaml")):
        mine = [f"{q['id']}|{q['prompt']}" for q in rounds.deck_items(deck)]
        theirs_path = other / deck.name
        theirs = (
            [f"{q['id']}|{q['prompt']}" for q in rounds.deck_items(theirs_path)]
            if theirs_path.exists()
            else []
        )
        items += len(mine)
        if set(mine) != set(theirs):
            sets += 1
        elif mine != theirs:
            reordered += 1
            moved += sum(a != b for a, b in zip(mine, theirs, strict=True))
    return items, sets, reordered, moved


def main(argv: list[str]) -> int:
    if "--v39" in argv:
        at = argv.index("--candidate") + 1 if "--candidate" in argv else 0
        return retrain_report(Path(argv[at]) if 0 < at < len(argv) else None)
    if "--compare-decks" in argv:
        at = argv.index("--compare-decks")
        if len(argv) < at + 3:
            print("--compare-decks FROZEN OTHER: two folders of decks", file=sys.stderr)
            return 2
        items, changed, reordered, moved = compare_decks(Path(argv[at + 1]), Path(argv[at + 2]))
        print(
            f"{items} items; texts with another item set: {changed}; texts reordered: "
            f"{reordered}; items at another place: {moved}"
        )
        return 0
    sets = training_sets()
    n = sum(len(r) for r in sets.values())
    ours = sum(where != "old" for rs in sets.values() for _, _, where in rs)
    base = [i for i, name in enumerate(FEATURES) if name in BASE_FEATURES]
    base_auc, _, base_pooled = leave_one_text_out(sets, base)
    old_auc, _, _ = leave_one_text_out(training_sets(with_rounds=False), base)
    pooled_auc, per_text, pooled = leave_one_text_out(sets)
    mine = [(p, y) for p, y, where in pooled if where != "old"]
    base_mine = [(p, y) for p, y, where in base_pooled if where != "old"]
    still = [(p, y) for p, y, where in pooled if where == "kept"]
    print(f"{n} rated items from {len(sets)} texts ({ours} of the v3 rounds)")
    print(f"leave-one-text-out AUC: {pooled_auc:.3f} (all features)")
    print(f"  without the form features: {base_auc:.3f}")
    print(f"  v2 training set (no v3 round), old features: {old_auc:.3f}")
    print(
        "  on the v3 rounds' items only: "
        f"{auc([p for p, _ in mine], [y for _, y in mine]):.3f} (all features), "
        f"{auc([p for p, _ in base_mine], [y for _, y in base_mine]):.3f}"
        " (without the form features); on the items of forms still written: "
        f"{auc([p for p, _ in still], [y for _, y in still]):.3f}"
    )
    for name, value in sorted(per_text.items()):
        print(f"  {name}: AUC {value:.3f} ({len(sets[name])} items)")
    scale = platt(still)
    cal = [(calibrated(p, scale), y) for p, y in still]
    print(
        f"calibration on the v3 rounds' items of forms still written (a={scale[0]:.3f}, "
        f"b={scale[1]:.3f}):"
    )
    for label, count, share in calibration(cal):
        print(f"  {label}: {count} items, {share:.0%} A")
    print("gate (calibrated held-out probability ≥ t: items kept, share rated A):")
    ranked = sorted((p for p, _ in cal), reverse=True)
    steps = sorted(
        {*GATE_STEPS, *(ranked[int(len(ranked) * k) - 1] for k in (0.9, 0.8, 0.7, 0.6, 0.5))}
    )
    for t, kept, good, total in gate_table(cal, steps):
        print(f"  t={t:.2f}: {kept}/{total} kept ({kept / total:.0%}), {_share(good, kept)} A")
    rows = [r for rs in sets.values() for r in rs]
    w = fit([f for f, _, _ in rows], [y for _, y, _ in rows])
    held = [(calibrated(predict(w, f), scale), y) for f, y in held_out_rows()]
    if held:
        print(
            f"held-out texts (latest round, never trained on): {len(held)} items, AUC "
            f"{auc([p for p, _ in held], [y for _, y in held]):.3f}"
        )
        for t, kept, good, total in gate_table(held, (0.0, THRESHOLD)):
            print(f"  t={t:.2f}: {kept}/{total} kept, {_share(good, kept)} A")
    if "--train" in argv:
        WEIGHTS.write_text(
            json.dumps(
                {
                    "features": list(FEATURES),
                    "weights": [round(v, 4) for v in w],
                    "calibration": [round(scale[0], 4), round(scale[1], 4)],
                    "threshold": THRESHOLD,
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


def _share(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.0%})" if b else "-"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
