"""A deterministic synthetic student for the FSRS fit: scheduled by the default parameters (as
the bot schedules before a fit), remembering by other ones (a forgetful student).

Used by the fitting tests and ``bench/fsrs_fit.py``.
"""

from __future__ import annotations

import datetime as dt
import random

import fsrs
import fsrs_rs_python as rs

from bot.domain.fitting import DEFAULT_PARAMETERS, ReviewEvent

START = dt.datetime(2026, 1, 5, 17, 0, tzinfo=dt.UTC)


def forgetful_parameters() -> tuple[float, ...]:
    """The defaults with much lower initial stabilities and a slower growth of stability."""
    w = list(DEFAULT_PARAMETERS)
    for i, factor in enumerate((0.2, 0.2, 0.3, 0.4)):
        w[i] *= factor
    w[8] *= 0.6
    return tuple(w)


def _recall(days: float, stability: float, w: tuple[float, ...]) -> float:
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * days / stability) ** decay)


def synthetic_history(
    reviews: int,
    *,
    seed: int = 7,
    true_parameters: tuple[float, ...] | None = None,
    new_per_day: int = 10,
    card_offset: int = 0,
) -> list[ReviewEvent]:
    """``reviews`` answers of one student, day after day from :data:`START`.

    Each day ``new_per_day`` new cards, then every card due within the hour of study, in due
    order; the student recalls with the probability the true model gives (``true_parameters``,
    :func:`forgetful_parameters` by default), rates Again when not, else mostly Good.
    """
    truth = true_parameters or forgetful_parameters()
    rng = random.Random(seed)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    real = rs.FSRS(list(truth))
    cards: dict[int, tuple[fsrs.Card, rs.MemoryState | None, dt.datetime | None]] = {}
    out: list[ReviewEvent] = []
    day, next_id = 0, card_offset
    while len(out) < reviews:
        now = START + dt.timedelta(days=day)
        for _ in range(new_per_day):
            next_id += 1
            cards[next_id] = (fsrs.Card(card_id=next_id, due=now), None, None)
        end = now + dt.timedelta(hours=1)
        while len(out) < reviews:
            due = [(c[0].due, cid) for cid, c in cards.items() if c[0].due <= end]
            if not due:
                break
            when, cid = min(due)
            when = max(when, now)
            card, memory, last = cards[cid]
            if memory is None or last is None:
                p = 0.6
            else:
                p = _recall((when - last).total_seconds() / 86400, memory.stability, truth)
            rating = rng.choice((2, 3, 3, 3, 3, 3, 3, 4)) if rng.random() < p else 1
            days = 0 if last is None else (when - last).days
            nxt = real.next_states(memory, 0.9, days)
            memory = (nxt.again, nxt.hard, nxt.good, nxt.easy)[rating - 1].memory
            card, _ = scheduler.review_card(card, fsrs.Rating(rating), review_datetime=when)
            cards[cid] = (card, memory, when)
            out.append(ReviewEvent(card_id=cid, rating=rating, reviewed_at=when))
            now = when + dt.timedelta(seconds=20)
        day += 1
    return out
