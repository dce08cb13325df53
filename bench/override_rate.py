"""How often the grader disagrees with a teacher's label on 200 typed answers.

    .venv/bin/python bench/override_rate.py [--grader PATH/TO/grading.py] [--show]

The answers (``tests/data/grading/answers-200.tsv``) are labelled ``right``, ``near`` (right
with a slip) or ``wrong``. The **override rate** is the share of right or near answers the
student would have to overrule with « J'avais raison »: a ``right`` answer not accepted, or a
``near`` one graded wrong (partial counts as fair for a slip). The **false acceptance rate** is
the share of ``wrong`` answers accepted. ``--grader`` grades with another copy of
``bot/domain/grading.py`` (e.g. main's, for a before/after in the same run); the default is
this checkout's. Target (issue 16): an override rate under 5 %.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data" / "grading" / "answers-200.tsv"


def load_grader(path: Path | None) -> ModuleType:
    if path is None:
        from bot.domain import grading

        return grading
    spec = importlib.util.spec_from_file_location(f"grader_{abs(hash(path))}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def read_answers() -> list[tuple[str, str, tuple[str, ...], str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("kind\t") or not line.strip():
            continue
        kind, expected, accept, given, label = line.split("\t")
        rows.append((kind, expected, tuple(a for a in accept.split("|") if a), given, label))
    return rows


def measure(grader: ModuleType) -> tuple[float, float, list[str]]:
    """(override rate, false acceptance rate, disagreements)."""
    rows = read_answers()
    overrides = false_accepts = 0
    shown = []
    for kind, expected, accept, given, label in rows:
        result = grader.grade_answer(given, expected, accept, kind)
        verdict = str(result.verdict.value)
        accepted = verdict in ("correct", "close")
        disagree = (
            (label == "right" and not accepted)
            or (label == "near" and verdict == "wrong")
            or (label == "wrong" and accepted)
        )
        if label == "wrong":
            false_accepts += accepted
        else:
            overrides += disagree
        if disagree:
            shown.append(f"  {label:5} {verdict:7} « {given} » for « {expected} »")
    positives = sum(label != "wrong" for *_, label in rows)
    negatives = len(rows) - positives
    return overrides / positives, false_accepts / negatives, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grader", type=Path, action="append", help="another grading.py")
    parser.add_argument("--show", action="store_true", help="list the disagreements")
    args = parser.parse_args()
    graders: list[Path | None] = [*(args.grader or []), None]
    rows = read_answers()
    print(f"{len(rows)} answers: {sum(r[4] != 'wrong' for r in rows)} right or near,"
          f" {sum(r[4] == 'wrong' for r in rows)} wrong\n")  # fmt: skip
    print("| grader | override rate | false acceptance | under 5 % |")
    print("|---|---:|---:|---|")
    details = []
    for path in graders:
        rate, false_rate, shown = measure(load_grader(path))
        name = str(path) if path is not None else "this checkout"
        ok = "yes" if rate < 0.05 else "no"
        print(f"| {name} | {100 * rate:.1f} % | {100 * false_rate:.1f} % | {ok} |")
        details.append((name, shown))
    if args.show:
        for name, shown in details:
            print(f"\n{name}:")
            print("\n".join(shown) or "  (none)")


if __name__ == "__main__":
    main()
