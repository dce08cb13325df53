"""Per-student FSRS fit (issue 16): the time of one student's fit and of the /reglages
workload simulation, next to a baseline measured in the same run.

    PYTHONPATH=. .venv/bin/python bench/fsrs_fit.py [--reviews 1000 5000] [--repeat 5]

For each history size (a deterministic synthetic student, ``tests/support/fsrs_history.py``):
building the training items, the fit (``fsrs-rs-python``'s optimizer), the log loss of the
fitted and default weights, and how much another Python thread ran during the fit (the share
of 1 ms ticks it managed: near 100 % means the fit releases the GIL, near 0 % that the answers
wait for it). Then the /reglages screen: four simulations of 30 days (80–95 %). The baseline is
scheduling the same number of answers with ``bot.domain.scheduling.schedule`` (what those
answers cost the bot when they were given). Medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fsrs

from bot.domain import fitting
from bot.domain.scheduling import new_card_state, schedule
from tests.support.fsrs_history import synthetic_history


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ticks_during(fn: Callable[[], object]) -> tuple[float, float]:
    """(seconds, share of 1 ms ticks another thread got while ``fn`` ran)."""
    stop = threading.Event()
    ticks = [0]

    def tick() -> None:
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    stop.set()
    thread.join()
    return elapsed, min(1.0, ticks[0] / max(1.0, elapsed * 1000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(
        "| answers | items | baseline: schedule them | training items | fit | fit ÷ baseline "
        "| log loss fitted / default | other thread ran |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in args.reviews:
        history = synthetic_history(n)
        state = new_card_state(history[0].reviewed_at)

        def baseline(history=history, state=state) -> None:
            for e in history:
                schedule(e.card_id, state, fsrs.Rating(e.rating), e.reviewed_at)

        base = median_time(baseline, args.repeat)
        items = fitting.training_items(history)
        build = median_time(lambda h=history: fitting.training_items(h), args.repeat)
        fit_time = median_time(lambda h=history: fitting.fit_parameters(h), args.repeat)
        fit = fitting.fit_parameters(history)
        _, share = ticks_during(lambda h=history: fitting.fit_parameters(h))
        losses = "–" if fit is None else f"{fit.log_loss:.4f} / {fit.default_log_loss:.4f}"
        print(
            f"| {n} | {len(items)} | {base * 1000:.1f} ms | {build * 1000:.1f} ms "
            f"| {fit_time * 1000:.1f} ms | {fit_time / base:.2f} | {losses} | {share:.0%} |"
        )

    print()
    print("| /reglages screen (4 retentions × 30 days) | deck | time | per simulation |")
    print("|---|---|---|---|")
    for deck in (200, 2000):

        def screen(deck=deck) -> None:
            for r in fitting.RETENTION_CHOICES:
                fitting.expected_workload(None, r, deck_size=deck, new_per_day=10)

        t = median_time(screen, args.repeat)
        print(f"| default weights | {deck} | {t * 1000:.1f} ms | {t / 4 * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
