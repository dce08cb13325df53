"""The rated rounds of the v3 series, read item by item (deck item + one reader's row).

Each round froze its decks in ``tests/data/ratings/<round>/decks`` and had two fresh readers
rate them (``reader-a``, ``reader-b``; items unchanged since the round before carry their old
rating). A round's *unseen* group is the one no rule author had opened when its decks were
frozen: how a form fared there is the honest evidence of how it generalises. An item carried
unchanged from one round to the next is the same judgement, counted once
(:func:`unique_rows`).
"""

from __future__ import annotations

import csv
import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.generator.forms import NAMED, UNNAMED, form_of, gate, shape_refusal, split_form
from bot.content.generator.split import (
    FUTURE_UNSEEN,
    UNSEEN,
    UNSEEN_2,
    UNSEEN_3,
    UNSEEN_4,
    UNSEEN_5,
    UNSEEN_6,
    UNSEEN_7,
    UNSEEN_8,
)

ROOT = Path(__file__).resolve().parents[3]
RATINGS = ROOT / "tests" / "data" / "ratings"
READERS = ("reader-a", "reader-b")


def round_version(name: str) -> tuple[int, ...]:
    """A round folder's version, to sort by: « v3.10 » after « v3.9 » (a string sort would
    not)."""
    return tuple(int(part) for part in name.removeprefix("v").split("."))


def rated_round_dirs(ratings: Path = RATINGS) -> list[str]:
    """Every rated round of the v3 series: the folders ``v3…`` of ``ratings`` with frozen
    decks and both readers' ratings, oldest first."""
    found = [
        d.name
        for d in ratings.glob("v3*")
        if (d / "decks").is_dir() and all((d / r).is_dir() for r in READERS)
    ]
    return sorted(found, key=round_version)


#: (round, the texts first rated unseen in it), oldest first.
ROUNDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("v3", UNSEEN),
    ("v3.1", UNSEEN_2),
    ("v3.2", UNSEEN_3),
    # v3.6: the sixth round, first rated on the v3.3 decks (its v3.4 items were the term
    # statements of a path turned off since, ``forms.PATTERNS_OFF``)
    ("v3.3", UNSEEN_4),
    # v3.7: the seventh round, first rated on the v3.5 decks (released: it is read for the
    # record; v3.10: ``DECIDED_ON`` is every round)
    ("v3.5", UNSEEN_5),
    # v3.8: the eighth round, first rated on the v3.6 decks (released for v3.8)
    ("v3.6", UNSEEN_6),
    # v3.9: the ninth round, first rated on the v3.7 decks (released for v3.9)
    ("v3.7", UNSEEN_7),
    # v3.9 (its bound fix): the tenth round, first rated on the v3.8 decks; released once a
    # rule (``review._BOUND_NUMBER`` in words) was written from its readers' notes
    ("v3.8", UNSEEN_8),
)
#: The rounds the per-round tables read (v3.3 chose ``forms.OFF`` on ``ROUNDS[:3]``, kept by
#: v3.6 – v3.9). v3.10: every round; the form gate itself is decided on the pooled record of
#: every rated round directory (:func:`decide_pooled`, :data:`RATED_DIRS`).
DECIDED_ON: tuple[tuple[str, tuple[str, ...]], ...] = ROUNDS


@dataclass(frozen=True, slots=True)
class RatedItem:
    """One reader's verdict on one item of a frozen deck."""

    round: str
    reader: str
    text: str
    id: str
    kind: str
    prompt: str
    answer: str  # the gap of a cloze, « vrai » / « faux » of a statement
    options: str  # « a | b | c » or « - »
    source: str
    tag: str
    rating: str  # A | M | N
    reason: str
    tags: tuple[str, ...] = ()  # v3.10: every tag of the deck item

    @property
    def ok(self) -> bool:
        return self.rating == "A"

    @property
    def form(self) -> str:
        return form_of(self.kind, self.tag, self.prompt, self.answer)

    @property
    def split(self) -> str:
        """v3.13: the form and whether the item names what it is about
        (``forms.split_form``)."""
        return split_form(self.kind, self.tag, self.prompt, self.answer)

    @property
    def identity(self) -> tuple[str, str, str, str, str]:
        """What makes two items the same item (a rating carries over between them)."""
        return (self.id, self.kind, self.prompt, self.answer, self.options)


def cell(text: object) -> str:
    """A TSV cell: one line, single spaces."""
    return " ".join(str(text).split())


def answer_of(q: dict[str, Any]) -> str:
    """The answer as the rating files show it: a cloze's gap, else the answer."""
    prompt, answer = str(q["prompt"]), str(q.get("answer", ""))
    if q["kind"] == "cloze" and "{{" in prompt:
        return prompt.split("{{", 1)[1].split("}}", 1)[0]
    return answer


def options_of(q: dict[str, Any]) -> str:
    distractors = q.get("distractors") or []
    return " | ".join(str(x) for x in distractors) if distractors else "-"


def deck_items(path: Path) -> list[dict[str, Any]]:
    """The items of a frozen deck file, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data.get("questions") or [])


def read_tsv(path: Path) -> dict[str, dict[str, str]]:
    """A rating file by item id (empty when there is none)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["id"]: {k: (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(fh, delimiter="\t")
        }


def rated(
    round_dir: Path, reader: str, round_name: str = "", skip: tuple[str, ...] = ()
) -> Iterator[RatedItem]:
    """Every rated item of ``round_dir/decks`` by ``reader`` (rows without A/M/N skipped);
    the texts of ``skip`` are not read at all."""
    for deck in sorted((round_dir / "decks").glob("*.yaml")):
        if deck.stem in skip:
            continue
        rows = read_tsv(round_dir / reader / f"{deck.stem}.tsv")
        for q in deck_items(deck):
            row = rows.get(str(q["id"]))
            if row is None or row.get("rating") not in {"A", "M", "N"}:
                continue
            tags = [str(t) for t in q.get("tags", [])]
            yield RatedItem(
                round=round_name or round_dir.name,
                reader=reader,
                text=deck.stem,
                id=str(q["id"]),
                kind=str(q["kind"]),
                prompt=cell(q["prompt"]),
                answer=cell(answer_of(q)),
                options=cell(options_of(q)),
                source=str(q.get("source", "")),
                tag=tags[0] if tags else "autre",
                rating=row["rating"],
                reason=row.get("reason", ""),
                tags=tuple(tags),
            )


def all_rated(
    ratings: Path = RATINGS, of: tuple[tuple[str, tuple[str, ...]], ...] = DECIDED_ON
) -> list[RatedItem]:
    """Every rated item of the rounds ``of`` (those the form decision read by default), both
    readers, oldest round first."""
    return [
        item
        for name, _unseen in of
        for reader in READERS
        for item in rated(ratings / name, reader, name)
    ]


def unique_rows(items: list[RatedItem]) -> list[RatedItem]:
    """One verdict per reader and item: a rating carried unchanged to a later round is the
    same judgement (the first round that rated it keeps it)."""
    seen: set[tuple[str, str, tuple[str, str, str, str, str]]] = set()
    out: list[RatedItem] = []
    for item in items:
        key = (item.reader, item.text, item.identity)
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
    return out


def unseen_at_the_time(items: list[RatedItem]) -> list[RatedItem]:
    """The items rated on the round whose unseen group their text belonged to."""
    group = dict(ROUNDS)
    return [i for i in items if i.text in group.get(i.round, ())]


def _share(items: list[RatedItem]) -> str:
    if not items:
        return "-"
    a = sum(i.ok for i in items)
    return f"{a}/{len(items)} ({a / len(items):.0%})"


def tuned(items: list[RatedItem], latest: str = DECIDED_ON[-1][0]) -> list[RatedItem]:
    """The latest round's items on texts rules were written on (development and released)."""
    from bot.content.generator.split import HELD_OUT

    fresh = dict(ROUNDS)[latest]
    return [i for i in items if i.round == latest and i.text not in HELD_OUT + fresh]


def held_out(items: list[RatedItem], latest: str = DECIDED_ON[-1][0]) -> list[RatedItem]:
    """The latest round's items on the held-out texts."""
    from bot.content.generator.split import HELD_OUT

    return [i for i in items if i.round == latest and i.text in HELD_OUT]


def form_rows(
    items: list[RatedItem] | None = None,
) -> list[tuple[str, list[RatedItem], list[RatedItem], list[RatedItem]]]:
    """Per form: its items rated unseen at the time, on the held-out texts (the latest round's
    decks: never opened by a rule author, and what the generator writes now) and on the tuned
    texts of the latest round; most unseen and held-out items first."""
    items = all_rated() if items is None else items
    unseen = unseen_at_the_time(items)
    held = held_out(items)
    dev = tuned(items)
    forms = sorted({i.form for i in unseen + held + dev})

    def of(rows: list[RatedItem], form: str) -> list[RatedItem]:
        return [i for i in rows if i.form == form]

    table = [(f, of(unseen, f), of(held, f), of(dev, f)) for f in forms]
    return sorted(table, key=lambda r: (-len(r[1]) - len(r[2]), r[0]))


def form_table(items: list[RatedItem] | None = None) -> str:
    """The per-form acceptance table of ``docs/generation.md`` (both readers pooled)."""
    lines = [
        "| form | unseen at the time (A) | held-out texts (A) | tuned texts, latest round (A) |",
        "|---|---|---|---|",
    ]
    for form, unseen, held, dev in form_rows(items):
        lines.append(f"| {form} | {_share(unseen)} | {_share(held)} | {_share(dev)} |")
    return "\n".join(lines)


#: A form is kept when text no rule author had seen accepted at least this share of it.
BAR = 0.75
#: Ratings needed before a share under the bar turns a form off.
ENOUGH = 8
#: Fewer ratings turn a form off only when even the upper end of its 95 % interval is under
#: the bar (0 of 4, 2 of 6): a handful of verdicts cannot keep a form nobody accepted.
FEW = 4


def wilson_interval(accepted: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson 95 % interval of a share (0 to 1 with no rating)."""
    if n == 0:
        return 0.0, 1.0
    p = accepted / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def wilson_lower(accepted: int, n: int, z: float = 1.96) -> float:
    """Lower end of the Wilson 95 % interval of a share."""
    return wilson_interval(accepted, n, z)[0]


def wilson_upper(accepted: int, n: int, z: float = 1.96) -> float:
    """Upper end of the Wilson 95 % interval of a share."""
    return wilson_interval(accepted, n, z)[1]


def evidence(items: list[RatedItem]) -> list[RatedItem]:
    """The honest record: unseen at the time, and the held-out texts (latest round)."""
    return unseen_at_the_time(items) + held_out(items)


def decide(items: list[RatedItem] | None = None) -> dict[str, tuple[int, int]]:
    """v3.3's rule: the forms to turn off, with their record (accepted, rated) on text unseen
    at the time and the held-out texts, from the items that pass the general shape refusals
    (v3.10 decides on the pooled record instead, :func:`decide_pooled`)."""
    items = all_rated() if items is None else items
    record: dict[str, list[int]] = {}
    for i in evidence(items):
        if shape_refusal(i.kind, i.prompt):
            continue
        r = record.setdefault(i.form, [0, 0])
        r[0] += i.ok
        r[1] += 1
    return {
        form: (a, n)
        for form, (a, n) in sorted(record.items())
        if (n >= ENOUGH and a / n < BAR) or (n >= FEW and wilson_upper(a, n) < BAR)
    }


def shape_rows(items: list[RatedItem] | None = None) -> list[tuple[str, int, int]]:
    """(shape refused, accepted, rated) on the honest record, and what is left."""
    items = all_rated() if items is None else items
    questions = [i for i in evidence(items) if i.kind in {"open", "choice"}]
    rows: dict[str, list[int]] = {}
    for i in questions:
        r = rows.setdefault(shape_refusal(i.kind, i.prompt) or "kept", [0, 0])
        r[0] += i.ok
        r[1] += 1
    return [(k, a, n) for k, (a, n) in sorted(rows.items())]


def form_table_with_decision(items: list[RatedItem] | None = None) -> str:
    """:func:`form_table` with the record the decision used and the decision."""
    items = all_rated() if items is None else items
    off = decide(items)
    honest = [i for i in evidence(items) if not shape_refusal(i.kind, i.prompt)]
    lines = [
        "| form | unseen at the time | held-out (latest round) | tuned (latest round) | "
        "record after the shape refusals | v3.3 |",
        "|---|---|---|---|---|---|",
    ]
    for form, unseen, held, dev in form_rows(items):
        kept = [i for i in honest if i.form == form]
        if form in off:
            verdict = "**off**"
        elif len(kept) < ENOUGH:
            verdict = "kept (too few to judge)"
        else:
            verdict = "kept"
        lines.append(
            f"| {form} | {_share(unseen)} | {_share(held)} | {_share(dev)} | "
            f"{_share(kept)} | {verdict} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    print(
        "The pooled record of every rated round (each reader's first verdict), v3.13's decision:"
    )
    print(pooled_table())
    print()
    print("v3.13: each form split by whether the item names what it is about:")
    print(split_table())
    print()
    print("v3.3's tables, every round (unseen at the time, held-out texts of the latest):")
    items = all_rated()
    print(form_table_with_decision(items))
    print()
    print("Question shapes refused (unseen at the time + held-out):")
    for shape, a, n in shape_rows(items):
        print(f"  {shape}: {a}/{n} A")
    print("Forms to turn off:", ", ".join(f"{f} {a}/{n}" for f, (a, n) in decide(items).items()))
    print("Record of what v3.3 still writes (the same ratings that chose it: optimistic):")
    honest = evidence(items)
    kinds_of = {
        "questions": {"open", "choice"},
        "clozes": {"cloze"},
        "true/false": {"true_false"},
    }
    for label, kinds in kinds_of.items():
        rows = [i for i in honest if i.kind in kinds]
        still = [i for i in rows if gate(i.kind, i.tag, i.prompt, i.answer) is None]
        print(f"  {label}: all forms {_share(rows)}, forms kept {_share(still)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


# --- the cost and gain of a rule, on a round's rated items -----------------------------------


def rule_table(
    round_dir: str, rules_of: Callable[[dict[str, Any], str], set[str]]
) -> dict[str, list[int]]:
    """Per rule: [items it refuses or repairs, then per reader how many of those were rated
    A (the cost) and M/N (the gain)], on a round's frozen decks and ratings. ``rules_of(item,
    text)`` names the rules that fire on one frozen item of a deck whose text is ``text``."""
    base = ROOT / round_dir
    corpus = ROOT / "tests" / "data" / "corpus" / "texts"
    table: dict[str, list[int]] = {}
    for deck in sorted((base / "decks").glob("*.yaml")):
        text = (corpus / f"{deck.stem}.txt").read_text(encoding="utf-8")
        rows = [read_tsv(base / r / f"{deck.stem}.tsv") for r in READERS]
        for q in deck_items(deck):
            for rule in rules_of(q, text):
                counts = table.setdefault(rule, [0] * (1 + 2 * len(rows)))
                counts[0] += 1
                for i, reader_rows in enumerate(rows):
                    rating = reader_rows.get(str(q["id"]), {}).get("rating", "")
                    counts[1 + 2 * i] += rating == "A"
                    counts[2 + 2 * i] += rating in {"M", "N"}
    return table


def print_rule_table(table: dict[str, list[int]]) -> None:
    print("| rule | items | reader-a: A / not A | reader-b: A / not A |")
    print("|---|---|---|---|")
    for rule, c in sorted(table.items()):
        print(f"| {rule} | {c[0]} | {c[1]} / {c[2]} | {c[3]} / {c[4]} |")


# --- v3.10: the form gate re-decided on the pooled record of every rated round ---------------

#: Every round directory that holds ratings, oldest first (v3.4's and v3.9's decks were rated
#: too: their items new since the round before are read there, the others carry a verdict
#: already counted).
RATED_DIRS: tuple[str, ...] = (
    "v3",
    "v3.1",
    "v3.2",
    "v3.3",
    "v3.4",
    "v3.5",
    "v3.6",
    "v3.7",
    "v3.8",
    "v3.9",
    # v3.11: v3.10's own decks (its new items on the released texts) and the eleventh round,
    # released once the twelfth was written (``split.FUTURE_UNSEEN``)
    "v3.10",
    # v3.12: v3.11's decks (its new items on the released texts) and the twelfth round
    "v3.11",
    # v3.13: v3.12's decks (its new items on two released texts and the thirteenth round,
    # released once the fourteenth was written; its fourteenth-round ratings stay unread)
    "v3.12",
)
#: Rated after the last gate was decided: the next re-decision reads them (v3.12 read v3.11's,
#: v3.13 read v3.12's; v3.13's own decks are its new items on the released texts and the
#: fourteenth round, whose ratings the record skips while it is ``split.FUTURE_UNSEEN``).
RATED_SINCE: tuple[str, ...] = ("v3.13",)
#: v3.10's rule, stated before its effect was looked at (``docs/generation.md``, « v3.10 »):
#: a form is off when its pooled share of A is under :data:`POOLED_BAR` with at least
#: :data:`POOLED_ENOUGH` ratings (or, with fewer, when v3.3's hopeless-record clause rules the
#: bar out); a form v3.3 turned off is on again when its pooled share is at least the bar with
#: at least :data:`POOLED_ENOUGH` ratings; a form with fewer ratings keeps v3.3's decision.
POOLED_BAR = 0.75
POOLED_ENOUGH = 10
#: The turned-off forms that may still fill a thin text (``forms.FALLBACK_FORMS``): a pooled
#: share of at least this, with at least :data:`POOLED_ENOUGH` ratings (v3.8's bar).
FALLBACK_BAR = 0.70


def pooled(ratings: Path = RATINGS, dirs: tuple[str, ...] = RATED_DIRS) -> list[RatedItem]:
    """Every item of every rated round as first rated: each reader's first verdict on each
    item (:func:`unique_rows`), both readers, the next round's texts (``split.FUTURE_UNSEEN``)
    never read; the term statements of a path turned off since
    (``forms.PATTERNS_OFF``, tagged ``non-prouve`` in the v3.4 decks) left out."""
    items = [
        item
        for name in dirs
        for reader in READERS
        for item in rated(ratings / name, reader, name, skip=FUTURE_UNSEEN)
    ]
    return [i for i in unique_rows(items) if "non-prouve" not in i.tags]


def _record(
    items: list[RatedItem] | None, key: Callable[[RatedItem], str]
) -> dict[str, tuple[int, int]]:
    """Per ``key`` of an item, (accepted, rated) on :func:`pooled`, the items the general shape
    refusals refuse whatever their form left out (they are not written in any form)."""
    items = pooled() if items is None else items
    record: dict[str, list[int]] = {}
    for i in items:
        if shape_refusal(i.kind, i.prompt):
            continue
        r = record.setdefault(key(i), [0, 0])
        r[0] += i.ok
        r[1] += 1
    return {form: (a, n) for form, (a, n) in sorted(record.items())}


def pooled_record(items: list[RatedItem] | None = None) -> dict[str, tuple[int, int]]:
    """Per form, (accepted, rated) on :func:`pooled` (:func:`_record`)."""
    return _record(items, lambda i: i.form)


def pooled_verdict(form: str, a: int, n: int, was_off: bool) -> bool:
    """v3.10: is ``form`` off, given its pooled record and v3.3's decision."""
    if n >= POOLED_ENOUGH:
        return a / n < POOLED_BAR
    if n >= FEW and wilson_upper(a, n) < POOLED_BAR:
        return True
    return was_off  # too few ratings: v3.3's decision stands


#: v3.3's turned-off forms (``forms.OFF`` until v3.10), the decision a thin record keeps.
V33_OFF: frozenset[str] = frozenset(
    {
        "choice combien",
        "choice de-quelle-annee",
        "choice pourquoi",
        "choice quel-nom",
        "choice quel-pourcentage",
        "choice qui",
        "cloze date",
        "cloze pays",
        "cloze personne",
        "open comment-appelle-t-on",
        "open list",
        "open ou",
        "open qu-est-ce-qui",
        "open qui",
        "true_false personne faux",
        "true_false personne vrai",
    }
)


def decide_pooled(items: list[RatedItem] | None = None) -> dict[str, tuple[int, int]]:
    """v3.10: the forms to turn off, with their pooled record."""
    record = pooled_record(items)
    off = {f: r for f, r in record.items() if pooled_verdict(f, r[0], r[1], was_off=f in V33_OFF)}
    off.update({f: (0, 0) for f in V33_OFF if f not in record})  # no record: stays off
    return dict(sorted(off.items()))


def _fallback(
    items: list[RatedItem] | None,
    decide: Callable[[list[RatedItem] | None], dict[str, tuple[int, int]]],
) -> set[str]:
    """The forms ``decide`` turns off whose pooled record is :data:`FALLBACK_BAR` or more."""
    record = pooled_record(items)
    return {
        f
        for f in decide(items)
        if record.get(f, (0, 0))[1] >= POOLED_ENOUGH
        and record[f][0] / record[f][1] >= FALLBACK_BAR
    }


def fallback_pooled(items: list[RatedItem] | None = None) -> set[str]:
    """v3.10: the turned-off forms whose pooled record is :data:`FALLBACK_BAR` or more."""
    return _fallback(items, decide_pooled)


def pooled_table(items: list[RatedItem] | None = None) -> str:
    """The form table: pooled record per reader and both, v3.3's, the decision before
    (v3.12's, :data:`V312_OFF`) and the shipped one (v3.13, :func:`decide_settled`)."""
    items = pooled() if items is None else items
    kept = [i for i in items if not shape_refusal(i.kind, i.prompt)]
    record = pooled_record(items)
    off = decide_settled(items, before=V312_OFF)
    fallback = fallback_settled(items, before=V312_OFF)
    lines = [
        "| form | items | reader-a A | reader-b A | both readers A | v3.3 | v3.12 | v3.13 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for form, _record in sorted(record.items(), key=lambda kv: (-kv[1][1], kv[0])):
        rows = [i for i in kept if i.form == form]
        ids = {(i.text, i.identity) for i in rows}
        by = [_share([i for i in rows if i.reader == r]) for r in READERS]
        old = "off" if form in V33_OFF else "on"
        before = "off" if form in V312_OFF else "on"
        new = (
            ("**off**" if form not in V312_OFF else "off")
            if form in off
            else ("**on**" if form in V312_OFF else "on")
        )
        if form in fallback:
            new += " (fallback)"
        lines.append(
            f"| {form} | {len(ids)} | {by[0]} | {by[1]} | {_share(rows)} | {old} | {before} "
            f"| {new} |"
        )
    return "\n".join(lines)


# --- v3.12: a decision the record settles, kept while it does not -----------------------------

#: v3.11's turned-off forms (``forms.OFF`` of v3.11): the decision a record that settles
#: neither way keeps.
V311_OFF: frozenset[str] = frozenset(
    {
        "choice combien",
        "choice de-quelle-annee",
        "choice en-quelle-annee",
        "choice qu-est-ce-que",
        "choice quel-nom",
        "choice quel-pourcentage",
        "choice qui",
        "cloze autre",
        "cloze notion",
        "cloze pays",
        "cloze personne",
        "cloze pourcentage",
        "open comment-appelle-t-on",
        "open dans-quel",
        "open list",
        "open ou",
        "open qu-est-ce-qui",
        "open quel-nom",
        "open qui",
        "self_rated pourquoi",
        "true_false nombre faux",
        "true_false nombre vrai",
        "true_false personne faux",
        "true_false personne vrai",
        "true_false pourcentage faux",
    }
)


#: v3.12's turned-off forms (``forms.OFF`` since v3.12): ``decide_settled(before=V312_OFF)``
#: on the record with v3.12's ratings (the thirteenth round and v3.12's new items) moved none.
V312_OFF: frozenset[str] = V311_OFF | {
    "choice dans-quel",
    "choice pourquoi",
    "true_false montant faux",
}


def settled_verdict(a: int, n: int, was_off: bool) -> bool:
    """v3.12: is a form off, given its pooled record and the decision before. Off when even the
    upper end of the Wilson 95 % interval of its share is under :data:`POOLED_BAR`, on when
    even the lower end is at or above it (with :data:`FEW` ratings or more); otherwise the
    decision before stands. v3.10's point estimate turned forms near the bar on and off from
    one round to the next (« choice qui » 23/28 on in v3.10, 41/60 off in v3.11; « choice
    en-quelle-annee » 95/130 off in v3.11, then 14 of 18 acceptable on the twelfth round):
    the readers' verdicts on a form move by more than the bar's distance to its share."""
    if n >= FEW and wilson_upper(a, n) < POOLED_BAR:
        return True
    if n >= FEW and wilson_lower(a, n) >= POOLED_BAR:
        return False
    return was_off


def decide_settled(
    items: list[RatedItem] | None = None, before: frozenset[str] | None = None
) -> dict[str, tuple[int, int]]:
    """v3.12: the forms to turn off (:func:`settled_verdict` from the decision ``before``,
    v3.11's by default), with their pooled record. v3.13 ran it from v3.12's decision
    (:data:`V312_OFF`, with v3.12's ratings read): no form moved."""
    before = V311_OFF if before is None else before
    record = pooled_record(items)
    off = {f: r for f, r in record.items() if settled_verdict(r[0], r[1], f in before)}
    off.update({f: (0, 0) for f in before if f not in record})  # no record: stays off
    return dict(sorted(off.items()))


def fallback_settled(
    items: list[RatedItem] | None = None, before: frozenset[str] | None = None
) -> set[str]:
    """v3.12: the turned-off forms (:func:`decide_settled` from ``before``) whose pooled record
    is :data:`FALLBACK_BAR` or more."""
    return _fallback(items, lambda i: decide_settled(i, before=before))


# --- v3.13: each form split by whether the item names what it is about ----------------------


def split_record(items: list[RatedItem] | None = None) -> dict[str, tuple[int, int]]:
    """Per split form (``forms.split_form``: « cloze date nommé », « cloze date sans nom »),
    (accepted, rated) on :func:`pooled` (:func:`_record`)."""
    return _record(items, lambda i: i.split)


def parent_form(split: str) -> str:
    """« cloze date sans nom » → « cloze date »."""
    for suffix in (NAMED, UNNAMED):
        if split.endswith(f" {suffix}"):
            return split.removesuffix(f" {suffix}")
    return split


def decide_split(
    items: list[RatedItem] | None = None,
    before: frozenset[str] = V312_OFF,
    record: dict[str, tuple[int, int]] | None = None,
) -> tuple[set[str], set[str]]:
    """v3.13: (split forms on although their form is off, split forms off although their
    form is on): :func:`settled_verdict` on each split form's record, from its form's
    decision (``before``, v3.12's). A split form's share moves the decision only when its
    Wilson interval clears the bar, as a form's does, and with :data:`POOLED_ENOUGH` ratings
    or more: splitting halves the records, so a thin half keeps its form's decision (set once
    « self_rated qu-est-ce-que nommé », 2/8 on four items rated twice, was seen: those items
    were refused for other reasons since v3.9)."""
    on: set[str] = set()
    off: set[str] = set()
    record = split_record(items) if record is None else record
    for split, (a, n) in record.items():
        was_off = parent_form(split) in before
        now_off = settled_verdict(a, n, was_off) if n >= POOLED_ENOUGH else was_off
        if was_off and not now_off:
            on.add(split)
        elif now_off and not was_off:
            off.add(split)
    return on, off


def split_table(items: list[RatedItem] | None = None) -> str:
    """The v3.13 table: each form's record named and not, and the split decision."""
    record = split_record(items)
    on, off = decide_split(record=record)
    lines = [
        "| form | named: A / rated | not named: A / rated | v3.12 | v3.13 |",
        "|---|---|---|---|---|",
    ]
    parents = sorted(
        {parent_form(f) for f in record},
        key=lambda f: (-sum(record.get(f"{f} {c}", (0, 0))[1] for c in (NAMED, UNNAMED)), f),
    )
    for form in parents:
        cells = []
        for c in (NAMED, UNNAMED):
            a, n = record.get(f"{form} {c}", (0, 0))
            cells.append(f"{a}/{n} ({a / n:.0%})" if n else "-")
        before = "off" if form in V312_OFF else "on"
        moved = [
            f"**{c} {'on' if f'{form} {c}' in on else 'off'}**"
            for c in (NAMED, UNNAMED)
            if f"{form} {c}" in on | off
        ]
        lines.append(
            f"| {form} | {cells[0]} | {cells[1]} | {before} | {', '.join(moved) or before} |"
        )
    return "\n".join(lines)
