"""Carry ratings from round to round, and assemble a round's rating files.

A round freezes its decks; an item identical to one already rated (same id, kind, prompt,
answer and options) keeps that rating, the rest goes to fresh readers::

    python -m bot.content.generator.carry --decks tests/data/ratings/v3.3/decks \\
        --out tests/data/ratings/v3.3                   # carried-reader-X/ and to-rate/
    python -m bot.content.generator.carry assemble --decks tests/data/ratings/v3.3/decks \\
        --out tests/data/ratings/v3.3                   # reader-X/ = carried + new-reader-X

``carry`` writes, for each reader, ``carried-reader-X/<text>.tsv`` (the earlier round's row,
word for word, of each item found in it: every rated round before ``--out``, the newest first,
:func:`earlier_rounds`; ``--from`` to change the list) and ``to-rate/<text>.tsv`` (the items
some reader has no rating for, same columns, rating empty). Readers write
``new-reader-X/<text>.tsv``; ``assemble`` merges them into ``reader-X/<text>.tsv`` in deck
order, so that ``evaluate --decks … --ratings …/reader-X`` reads the round.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from bot.content.generator.evaluate import COLUMNS
from bot.content.generator.rounds import (
    RATINGS,
    READERS,
    answer_of,
    cell,
    deck_items,
    options_of,
    rated_round_dirs,
    read_tsv,
    round_version,
)


def earlier_rounds(out: Path, ratings: Path = RATINGS) -> tuple[str, ...]:
    """The rated rounds before ``out`` (:func:`rounds.rated_round_dirs`), newest first: each
    new round carries from every earlier one without a list to keep."""
    mine = round_version(out.name) if out.name.startswith("v3") else (99,)
    rated = [d for d in rated_round_dirs(ratings) if round_version(d) < mine]
    return tuple(reversed(rated))


Identity = tuple[str, str, str, str, str]


def identity(q: dict[str, Any]) -> Identity:
    """What must be unchanged for a rating to carry over (``confidence`` may move)."""
    return (str(q["id"]), str(q["kind"]), cell(q["prompt"]), cell(answer_of(q)), options_of(q))


def blank_row(q: dict[str, Any]) -> dict[str, str]:
    """An unrated row of an item (the columns of every rating file)."""
    ident = identity(q)
    row = dict.fromkeys(COLUMNS, "")
    row.update(zip(("id", "kind", "prompt", "answer", "options"), ident, strict=True))
    return row


def earlier_ratings(
    text: str, reader: str, rounds: tuple[str, ...], ratings: Path = RATINGS
) -> dict[Identity, dict[str, str]]:
    """Rated rows of ``text`` by ``reader`` in ``rounds``, by item identity (the newest round
    wins); an identity is read from that round's frozen deck, not from the row."""
    found: dict[Identity, dict[str, str]] = {}
    for name in reversed(rounds):
        deck = ratings / name / "decks" / f"{text}.yaml"
        rows = read_tsv(ratings / name / reader / f"{text}.tsv")
        if not deck.exists():
            continue
        for q in deck_items(deck):
            row = rows.get(str(q["id"]))
            if row is not None and row.get("rating") in {"A", "M", "N"}:
                found[identity(q)] = row
    return found


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(c, "") for c in COLUMNS])


def carry(
    decks: Path, out: Path, rounds: tuple[str, ...] | None = None, ratings: Path = RATINGS
) -> dict[str, tuple[int, int]]:
    """Write carried-reader-X/ and to-rate/; per text, (items, items to rate). ``rounds``:
    where ratings carry from, newest first (default :func:`earlier_rounds`)."""
    if rounds is None:
        rounds = earlier_rounds(out, ratings)
    summary: dict[str, tuple[int, int]] = {}
    for deck in sorted(decks.glob("*.yaml")):
        items = deck_items(deck)
        missing: set[Identity] = set()
        for reader in READERS:
            old = earlier_ratings(deck.stem, reader, rounds, ratings)
            carried = [old[identity(q)] for q in items if identity(q) in old]
            missing |= {identity(q) for q in items if identity(q) not in old}
            write_rows(out / f"carried-{reader}" / f"{deck.stem}.tsv", carried)
        to_rate = [blank_row(q) for q in items if identity(q) in missing]
        target = out / "to-rate" / f"{deck.stem}.tsv"
        if to_rate:
            write_rows(target, to_rate)
        elif target.exists():
            target.unlink()
        summary[deck.stem] = (len(items), len(to_rate))
    return summary


def assemble(decks: Path, out: Path) -> dict[str, dict[str, int]]:
    """reader-X/<text>.tsv = the carried row, else the new reader's row, in deck order; per
    reader and text, how many items are still unrated."""
    unrated: dict[str, dict[str, int]] = {}
    for reader in READERS:
        for deck in sorted(decks.glob("*.yaml")):
            carried = read_tsv(out / f"carried-{reader}" / f"{deck.stem}.tsv")
            new = read_tsv(out / f"new-{reader}" / f"{deck.stem}.tsv")
            rows: list[dict[str, str]] = []
            for q in deck_items(deck):
                key = str(q["id"])
                row = carried.get(key)
                if row is None or row.get("rating") not in {"A", "M", "N"}:
                    row = new.get(key, blank_row(q))
                rows.append(row)
            left = sum(r.get("rating") not in {"A", "M", "N"} for r in rows)
            if left:
                unrated.setdefault(reader, {})[deck.stem] = left
            write_rows(out / reader / f"{deck.stem}.tsv", rows)
    return unrated


def _arg(args: list[str], flag: str) -> Path | None:
    if flag in args and args.index(flag) + 1 < len(args):
        return Path(args[args.index(flag) + 1])
    return None


def main(argv: list[str]) -> int:
    decks, out = _arg(argv, "--decks"), _arg(argv, "--out")
    if decks is None or out is None:
        print(__doc__, file=sys.stderr)
        return 2
    if argv and argv[0] == "assemble":
        left = assemble(decks, out)
        for reader, texts in left.items():
            for text, n in texts.items():
                print(f"{reader}: {text}: {n} items still unrated", file=sys.stderr)
        print(f"assembled {', '.join(READERS)} in {out}")
        return 1 if left else 0
    earlier = _arg(argv, "--from")
    rounds = tuple(str(earlier).split(",")) if earlier else None
    summary = carry(decks, out, rounds)
    for text, (items, new) in summary.items():
        print(f"{text}: {items} items, {new} to rate")
    total = sum(n for _, n in summary.values())
    print(f"{sum(i for i, _ in summary.values())} items, {total} to rate → {out / 'to-rate'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
