"""« Studyable » and « due » are one rule (bot.db.repositories.rules): the daily prompt counts
exactly the cards the study run then shows."""

from __future__ import annotations

import datetime as dt

from bot.db.models import DeckChoice, Question
from bot.db.repositories import reminders as reminders_repo
from bot.services.study import StudyService
from tests.services.test_study import (
    NOW,
    SessionFactory,
    add_deck,
    add_review_card,
    add_user,
)

DAY = dt.timedelta(days=1)


def test_the_prompt_counts_the_due_cards_the_study_run_shows(
    session_factory: SessionFactory,
) -> None:
    # No new cards today: a run shows due cards only.
    user = add_user(session_factory, per_day=0)
    live = add_deck(session_factory, "live", [("a", 0), ("b", 1), ("c", 2), ("d", 3), ("e", 4)])
    off = add_deck(session_factory, "off", [("x", 0)])
    gone = add_deck(session_factory, "gone", [("y", 0)], retired=True)
    due = [add_review_card(session_factory, user, live[k], NOW - DAY) for k in ("a", "b")]
    add_review_card(session_factory, user, live["c"], NOW - DAY, suspended=True)
    add_review_card(session_factory, user, live["d"], NOW + DAY)  # not yet
    add_review_card(session_factory, user, live["e"], NOW - DAY)  # its question is retired
    add_review_card(session_factory, user, off["x"], NOW - DAY)  # its deck is switched off
    add_review_card(session_factory, user, gone["y"], NOW - DAY)  # its deck is retired
    with session_factory() as s:
        switched_off, retired = s.get(Question, off["x"]), s.get(Question, live["e"])
        assert switched_off is not None and retired is not None
        s.add(DeckChoice(user_id=user, deck_id=switched_off.deck_id, enabled=False))
        retired.retired_at = NOW - DAY
        s.commit()

    with session_factory() as s:
        workload = reminders_repo.workloads(s, {user}, NOW, NOW - DAY)[user]

    study = StudyService(session_factory, enable_fuzzing=False)
    shown = []
    question = study.next_question(user, NOW)
    while question is not None and len(shown) < 10:
        shown.append(question.question_id)
        step = study.answer_open_and_next(
            user, "2006", NOW, token=question.token, idempotency_key=question.token, easy=True
        )
        question = step.next

    assert workload.due_reviews == len(shown) == len(due)
    assert sorted(shown) == sorted([live["a"], live["b"]])
