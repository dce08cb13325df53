"""Statements per answer, both engines: the count that keeps the answer path fast.

On SQLite every service call runs on the one service thread, and each statement costs its
Python overhead there (docs/performance.md): a read added beside the ones that already run
shows up directly in the bot's throughput. These counts are noise-free, unlike the benchmark:
a new read belongs in a statement that already runs (as the FSRS parameters ride along with
the showing, and the day's new-card counts and the learn-ahead card with « what next »).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.services.study import StudyService
from bot.services.views import AnswerStatus
from tests.services.test_study import NOW, add_deck, add_review_card, add_user

SessionFactory = sessionmaker[Session]

#: An answer followed by a due card: the showing read, the claim, the review, the card, the
#: run's counters, « what next » (the due card, else the learn-ahead one), the showing.
AFTER_AN_ANSWER_DUE = 7
#: Nothing due: also the day's new-card counts (then a learn-ahead card is shown).
AFTER_AN_ANSWER_AHEAD = 8
#: Followed by a new question: also the new question's read and its card.
AFTER_AN_ANSWER_NEW = 10
#: The run's last answer: the answer, « what next », the day's counts, no new question, then
#: the summary (the student and run with its deck, the outlook, the close).
LAST_ANSWER = 10
#: /quiz: the student and open run, « what next », the day's counts, the new question and its
#: card, the run (close others, start), the showing.
FIRST_QUESTION = 8


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(*args: Any) -> None:
        statements.append(str(args[2]).split(None, 1)[0])

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_statements_per_answer_stay_few(engine: Engine, session_factory: SessionFactory) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=3)
    ids = add_deck(session_factory, "d", [(f"q{i}", i) for i in range(20)])
    for i in range(4):
        add_review_card(session_factory, user, ids[f"q{i}"], NOW - dt.timedelta(days=1 + i))
    study.next_question(user, NOW)  # the first connection's own queries are not counted
    study.end_session(user, NOW)

    with counting(engine) as statements:
        shown = study.next_question(user, NOW)
    assert shown is not None and len(statements) <= FIRST_QUESTION, statements

    kinds: dict[str, list[int]] = {"due": [], "ahead": [], "new": [], "last": []}
    now = NOW
    for n in range(40):
        now += dt.timedelta(seconds=20)
        with counting(engine) as statements:
            # Wrong now and then: the card comes back within minutes (learn-ahead).
            given = "1990" if n % 3 == 0 else "2006"
            step = study.answer_open_and_next(user, given, now, idempotency_key=f"k{n}")
        assert step.outcome.status is AnswerStatus.RECORDED
        if step.next is None:
            kinds["last"].append(len(statements))
            break
        due = n < 3  # the 4 review cards: the first shown, then these three
        kinds["new" if step.next.is_new else "due" if due else "ahead"].append(len(statements))
    # The run went through due cards, the 3 new ones, learn-ahead cards, and ended.
    assert len(kinds["new"]) == 3 and len(kinds["last"]) == 1 and len(kinds["ahead"]) > 3
    assert max(kinds["due"]) <= AFTER_AN_ANSWER_DUE, kinds
    assert max(kinds["ahead"]) <= AFTER_AN_ANSWER_AHEAD, kinds
    assert max(kinds["new"]) <= AFTER_AN_ANSWER_NEW, kinds
    assert kinds["last"][0] <= LAST_ANSWER, kinds
