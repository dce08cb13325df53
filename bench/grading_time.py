"""Grading time of one answer: the worst a file the checker accepts can cost, against a
baseline (a wrong answer to a one-line open question), measured in the same run.

    .venv/bin/python bench/grading_time.py [--repeat N]

Cases: the baseline; the checker's limits reached (``MAX_ALTERNATIVES`` alternatives of
``MAX_ANSWER_CHARS`` characters, list answers of ``MAX_ANSWER_ITEMS`` items, a pasted
1,000-character answer); a multiple-choice question answered by typing; and, for comparison,
the file of issue 16 (14,000 alternatives), which the checker now refuses. Grading runs in the
service's worker thread (``bot.tg.concurrency.run_sync``), never on the event loop; the target
is under 50 ms for any file the checker accepts. Prints a Markdown table: median and worst
time per answer, and the ratio of the median to the baseline's.
"""

from __future__ import annotations

import argparse
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.content.deckfile import (  # noqa: E402
    MAX_ALTERNATIVES,
    MAX_ANSWER_CHARS,
    MAX_ANSWER_ITEMS,
    MAX_ANSWER_NUMBERS,
    MAX_QUESTION_CHARS,
    MAX_QUESTION_ITEMS,
    MAX_QUESTION_NUMBERS,
    DeckFormatError,
    load_deck_bytes,
)
from bot.domain import grading  # noqa: E402
from bot.domain.deck import Question, QuestionKind  # noqa: E402
from bot.domain.grading import grade, grade_typed_choice  # noqa: E402

TARGET_MS = 50.0


def open_question(answer: str, accept: tuple[str, ...] = ()) -> Question:
    return Question(key="q", kind=QuestionKind.OPEN, prompt="?", answer=answer, accept=accept)


def tag(n: int) -> str:
    """Letters only (digits would make every word a number)."""
    letters = string.ascii_lowercase
    return letters[n % 26] + letters[n // 26 % 26] + letters[n // 676 % 26]


def words(n_chars: int, seed: int) -> str:
    """A text of about ``n_chars`` characters of distinct made-up words."""
    out, i = [], 0
    while len(" ".join(out)) < n_chars - 12:
        out.append(f"mot{tag(seed)}{tag(i)}")
        i += 1
    return " ".join(out)[:n_chars]


def numbers(n_chars: int, start: int) -> str:
    """A text of numbers (each a fact the grader compares)."""
    return " ".join(str(start + 7 * i) for i in range(n_chars // 5))[:n_chars]


def list_answer(items: int, seed: int) -> str:
    return ", ".join(f"pays{tag(seed)}{tag(i)}" for i in range(items))


def alternatives(n_forms: int, make: Callable[[int], str]) -> Question:
    return open_question(make(0), tuple(make(i) for i in range(1, n_forms)))


def cases() -> list[tuple[str, Callable[[], object], bool]]:
    """(name, one grading call, accepted by the checker): the worst files within each limit."""
    baseline = open_question("Aleksandr Loukachenko")
    # As many forms of the longest kind as the per-question totals allow.
    n_long = min(MAX_ALTERNATIVES, MAX_QUESTION_CHARS // MAX_ANSWER_CHARS)
    n_lists = min(MAX_ALTERNATIVES, MAX_QUESTION_ITEMS // MAX_ANSWER_ITEMS)
    n_numbers = min(MAX_ALTERNATIVES, MAX_QUESTION_NUMBERS // MAX_ANSWER_NUMBERS)
    n_short = min(MAX_ALTERNATIVES, MAX_QUESTION_CHARS // 40)
    long_forms = alternatives(n_long, lambda i: words(MAX_ANSWER_CHARS, i))
    short_forms = alternatives(n_short, lambda i: words(40, i))
    list_forms = alternatives(n_lists, lambda i: list_answer(MAX_ANSWER_ITEMS, i))
    number_forms = alternatives(
        n_numbers,
        lambda i: " ".join(str(1000 + 37 * i + 3 * k) for k in range(MAX_ANSWER_NUMBERS)),
    )
    pasted = words(1000, 99)
    pasted_list = list_answer(200, 99)[:1000]
    pasted_numbers = numbers(1000, 5)
    issue = open_question("2006", tuple(f"réponse {i} possible" for i in range(14_000)))
    choice = Question(
        key="c",
        kind=QuestionKind.CHOICE,
        prompt="?",
        answer="2 milliards de dollars",
        distractors=("500 millions de dollars", "3 milliards de dollars", "1996"),
    )
    options = (
        "1996",
        "2 milliards de dollars",
        "500 millions de dollars",
        "3 milliards de dollars",
    )
    return [
        (
            "baseline: wrong answer, one-line open question",
            lambda: grade("Milinkievitch", baseline),
            True,
        ),
        (
            f"{n_long} forms of {MAX_ANSWER_CHARS} chars, 1,000-char answer",
            lambda: grade(pasted, long_forms),
            True,
        ),
        (
            f"{n_short} forms of 40 chars, 1,000-char answer",
            lambda: grade(pasted, short_forms),
            True,
        ),
        (
            f"{n_lists} list forms of {MAX_ANSWER_ITEMS} items, 1,000-char list typed",
            lambda: grade(pasted_list, list_forms),
            True,
        ),
        (
            f"{n_numbers} forms of {MAX_ANSWER_NUMBERS} numbers, 1,000 chars of numbers typed",
            lambda: grade(pasted_numbers, number_forms),
            True,
        ),
        (
            "multiple choice, typed « 2 000 000 000 de dollars »",
            lambda: grade_typed_choice("2 000 000 000 de dollars", choice, options),
            True,
        ),
        (
            "issue 16's file: 14,000 alternatives (refused now)",
            lambda: grade("1990", issue),
            False,
        ),
    ]


def checker_refuses_the_issue_file() -> bool:
    accept = "\n".join(f'      - "réponse {i} possible"' for i in range(14_000))
    data = (
        "version: 1\ndeck:\n  id: d\n  title: D\nquestions:\n  - id: q\n    kind: open\n"
        f"    prompt: Q ?\n    answer: '2006'\n    accept:\n{accept}\n"
    ).encode()
    try:
        load_deck_bytes(data, "issue16.yaml")
    except DeckFormatError:
        return True
    return False


def measure(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        grading._folded.cache_clear()  # cold: every text folded anew (the worst case)
        grading._split_items_cached.cache_clear()
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rows = []
    base_median = None
    for name, call, accepted in cases():
        repeat = args.repeat if accepted else max(3, args.repeat // 10)
        times = measure(call, repeat)
        median = statistics.median(times)
        base_median = base_median or median
        rows.append((name, accepted, median, max(times), median / base_median))
    print(f"grading time per answer, cold caches ({args.repeat} runs; refused file: 3)\n")
    print("| case | checker accepts | median ms | worst ms | × baseline | under 50 ms |")
    print("|---|---|---:|---:|---:|---|")
    for name, accepted, median, worst, ratio in rows:
        ok = "yes" if worst < TARGET_MS else "no"
        print(
            f"| {name} | {'yes' if accepted else 'no'} | {median:.3f} | {worst:.3f} |"
            f" {ratio:,.1f} | {ok} |"
        )
    print(f"\nchecker refuses the 14,000-alternative file: {checker_refuses_the_issue_file()}")


if __name__ == "__main__":
    main()
