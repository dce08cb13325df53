"""Practice and the daily limit (issue 16, item 1), on both engines: practice never creates
cards that bypass the limit of new cards or jump ahead of relearning, and its answers are not
study figures in /stats or the class CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select

from bot.db.models import Card, Review
from bot.services.exports import ExportService
from bot.services.stats import StatsService
from bot.services.study import StudyService
from bot.services.views import AnswerStatus
from tests.services.test_study import (
    NOW,
    SessionFactory,
    add_deck,
    add_user,
    question_key,
    run_through,
)

MINUTE = dt.timedelta(minutes=1)


def practise_deck(study: StudyService, user: int, slug: str, now: dt.datetime) -> int:
    """Go once through the deck in practice, every answer wrong; the number answered."""
    shown = study.next_question(user, now, deck_slug=slug, practice=True)
    answered = 0
    while shown is not None:
        step = study.answer_open_and_next(
            user, "faux", now, token=shown.token, idempotency_key=f"p-{shown.token}"
        )
        assert step.outcome.status is AnswerStatus.RECORDED and step.outcome.practice
        answered += 1
        shown = step.next
    return answered


def test_practice_does_not_bypass_the_new_card_limit(session_factory: SessionFactory) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=2)
    add_deck(session_factory, "d", [(f"q{i}", i) for i in range(6)])

    assert practise_deck(study, user, "d", NOW - 30 * MINUTE) == 6
    with session_factory() as s:
        assert len(s.scalars(select(Card)).all()) == 6  # every practised question got a card

    # The same day, a normal run: two new cards (the limit), not six « due » ones.
    keys = run_through(study, session_factory, user, NOW)
    assert keys == ["q0", "q1"]
    assert study.next_question(user, NOW + MINUTE) is None


def test_practice_cards_do_not_jump_ahead_of_relearning(session_factory: SessionFactory) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=5)
    add_deck(session_factory, "a", [("fail", 0)])
    # Learnt, then failed: in relearning, due a minute later.
    first = study.next_question(user, NOW - 2 * MINUTE, deck_slug="a")
    assert first is not None
    study.answer_open_and_next(
        user, "2006", NOW - 2 * MINUTE, token=first.token, idempotency_key="k1", easy=True
    )
    with session_factory() as s:
        card = s.scalars(select(Card)).one()
        card.state, card.due = 3, NOW - MINUTE  # relearning, due a minute ago
        s.commit()
    add_deck(session_factory, "b", [("p0", 0), ("p1", 1)])
    practise_deck(study, user, "b", NOW - 10 * MINUTE)  # cards created earlier than that due

    shown = study.next_question(user, NOW)
    assert shown is not None and question_key(session_factory, shown) == "fail"
    assert not shown.is_new


def test_practice_answers_are_not_study_figures(session_factory: SessionFactory) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=10)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1), ("q2", 2)])
    practise_deck(study, user, "d", NOW - 30 * MINUTE)
    assert run_through(study, session_factory, user, NOW, limit=5) == ["q0", "q1", "q2"]
    with session_factory() as s:
        practice = [r.practice for r in s.scalars(select(Review).order_by(Review.id))]
    assert practice == [True] * 3 + [False] * 3

    figures = StatsService(session_factory).student(user, NOW + MINUTE).figures
    assert (figures.answers_7d, figures.correct_7d) == (3, 3)
    assert figures.new == 0

    text = ExportService(session_factory).class_csv(NOW + MINUTE)
    (row,) = csv.DictReader(io.StringIO(text))
    assert (row["reponses"], row["bonnes_reponses"], row["reponses_7j"]) == ("3", "3", "3")
    assert row["reussite_pct"] == "100"
    assert row["reponses_entrainement"] == "3"


def test_a_practised_question_is_still_new_for_stats_and_prompts(
    session_factory: SessionFactory,
) -> None:
    from bot.db.repositories import reminders as reminders_repo

    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=10)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    practise_deck(study, user, "d", NOW - 30 * MINUTE)

    with session_factory() as s:
        workload = reminders_repo.workloads(s, {user}, NOW, NOW - dt.timedelta(days=1))[user]
    assert (workload.due_reviews, workload.unseen) == (0, 2)
    figures = StatsService(session_factory).student(user, NOW).figures
    assert (figures.new, figures.due_today) == (2, 0)
