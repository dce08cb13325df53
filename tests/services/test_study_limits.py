"""Practice and the daily limit (issue 16, item 1), on both engines: practice never creates
cards that bypass the limit of new cards or jump ahead of relearning, and its answers are not
study figures in /stats or the class CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select

from bot.db.models import Card, Review
from bot.domain.grading import Verdict
from bot.services.exports import ExportService
from bot.services.stats import StatsService
from bot.services.study import StudyService
from bot.services.views import AnswerStatus, ShownQuestion
from tests.services.answering import answer
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


# -- sessions that flow (issue 16, item 2) ---------------------------------------------------


def test_a_failed_card_due_within_20_minutes_stays_in_the_session(
    session_factory: SessionFactory,
) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=1)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    shown = study.next_question(user, NOW)
    assert shown is not None
    step = study.answer_open_and_next(user, "faux", NOW, token=shown.token, idempotency_key="k")
    # Failed, due in a minute or so; the day's new card is used: learn-ahead shows it again
    # instead of ending the run.
    assert step.next is not None and step.next.question_id == shown.question_id
    assert step.summary is None
    with session_factory() as s:
        card = s.scalars(select(Card)).one()
        assert NOW < card.due <= NOW + 20 * MINUTE

    # Restarting 30 s later (the terminal quit in between) finds it too: no empty session.
    study.end_session(user, NOW + dt.timedelta(seconds=10))
    again = study.next_question(user, NOW + dt.timedelta(seconds=30))
    assert again is not None and again.question_id == shown.question_id


def test_learn_ahead_stops_at_20_minutes_and_leaves_review_cards_alone(
    session_factory: SessionFactory,
) -> None:
    from tests.services.test_study import add_review_card

    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=0)
    ids = add_deck(session_factory, "d", [("review", 0), ("relearn", 1)])
    add_review_card(session_factory, user, ids["review"], NOW + 5 * MINUTE)  # review state
    relearn = add_review_card(session_factory, user, ids["relearn"], NOW + 25 * MINUTE)
    with session_factory() as s:
        card = s.get(Card, relearn)
        assert card is not None
        card.state = 3
        s.commit()
    assert study.next_question(user, NOW) is None  # 25 min away; the review card waits
    shown = study.next_question(user, NOW + 6 * MINUTE)  # the review card is due now
    assert shown is not None and question_key(session_factory, shown) == "review"
    later = study.next_question(user, NOW + 6 * MINUTE)
    assert later is not None  # the same showing again: unanswered
    step = study.answer_open_and_next(
        user, "2006", NOW + 6 * MINUTE, token=later.token, idempotency_key="k", easy=True
    )
    # 19 minutes before the relearning card: learn-ahead.
    assert step.next is not None and question_key(session_factory, step.next) == "relearn"


def test_extra_new_cards_when_the_student_asks(session_factory: SessionFactory) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=1)
    add_deck(session_factory, "d", [(f"q{i}", i) for i in range(13)])
    assert run_through(study, session_factory, user, NOW) == ["q0"]
    summary = study.end_session(user, NOW)
    assert summary.more_new

    assert study.more_new_cards(user, NOW) == 10
    keys = run_through(study, session_factory, user, NOW + MINUTE)
    assert keys == [f"q{i}" for i in range(1, 11)]
    assert study.end_session(user, NOW + MINUTE).more_new
    # Counted as first answers of the day, as any new card; the setting is unchanged.
    figures = StatsService(session_factory).student(user, NOW + MINUTE).figures
    assert figures.answers_7d == 11

    assert study.more_new_cards(user, NOW + 2 * MINUTE) == 10
    assert run_through(study, session_factory, user, NOW + 2 * MINUTE) == ["q11", "q12"]
    # Nothing new left: nothing to grant, nothing offered.
    assert not study.end_session(user, NOW + 2 * MINUTE).more_new
    assert study.more_new_cards(user, NOW + 3 * MINUTE) == 0


def test_extra_new_cards_last_only_the_local_day(session_factory: SessionFactory) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=1)
    add_deck(session_factory, "d", [(f"q{i}", i) for i in range(30)])
    study.more_new_cards(user, NOW)  # 10:00 in Paris
    assert len(run_through(study, session_factory, user, NOW, limit=30)) == 11
    tomorrow = NOW + dt.timedelta(days=1)
    assert len(run_through(study, session_factory, user, tomorrow, limit=30)) == 1


# -- multiple choice graded by the option chosen (issue 16, item 3) --------------------------


def choice_showing(
    study: StudyService, sf: SessionFactory, answer: str, distractors: list[str]
) -> tuple[int, ShownQuestion]:
    user = add_user(sf)
    slug = f"c{user}"  # one deck per call; the newest deck's question comes first
    add_deck(sf, slug, [("q", 0)], kind="choice", answer=answer, distractors=distractors)
    shown = study.next_question(user, NOW)
    assert shown is not None and len(shown.choices) == 1 + len(distractors)
    return user, shown


def test_a_button_is_right_only_if_it_is_the_right_option(
    session_factory: SessionFactory,
) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user, shown = choice_showing(study, session_factory, "C++", ["C#", "C"])
    press = shown.choices.index("C#")
    step = study.answer_choice_and_next(user, shown.token, press, NOW, idempotency_key="k")
    assert step.outcome.verdict is Verdict.WRONG and step.outcome.correct_answer == "C++"


def test_an_options_text_or_a_typed_answer_to_a_choice_question(
    session_factory: SessionFactory,
) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user, shown = choice_showing(
        study, session_factory, "2 milliards de dollars", ["500 millions de dollars", "1996"]
    )
    # Typed like an open answer: the open grader accepts it.
    outcome = answer(
        study, user, shown.token, "2 000 000 000 de dollars", NOW, idempotency_key="k1"
    )
    assert outcome.verdict is Verdict.CORRECT

    user2, shown2 = choice_showing(study, session_factory, "1996", ["1994", "2006"])
    outcome = answer(study, user2, shown2.token, "1996", NOW, idempotency_key="k2")
    assert outcome.verdict is Verdict.CORRECT
    user3, shown3 = choice_showing(study, session_factory, "C++", ["C#", "C"])
    assert answer(study, user3, shown3.token, "c#", NOW, idempotency_key="k3").verdict is (
        Verdict.WRONG
    )


def test_a_question_whose_kind_changed_since_it_was_shown_is_stale(
    session_factory: SessionFactory,
) -> None:
    from bot.db.models import Question

    study = StudyService(session_factory, enable_fuzzing=False)
    user, shown = choice_showing(study, session_factory, "Russie", ["Chine", "Inde"])
    with session_factory() as s:
        question = s.scalars(select(Question)).one()
        question.kind, question.answer, question.distractors = "true_false", "faux", []
        s.commit()
    step = study.answer_choice_and_next(user, shown.token, 0, NOW, idempotency_key="k")
    assert step.outcome.status is AnswerStatus.STALE
    with session_factory() as s:
        assert s.scalars(select(Review)).all() == []
        card = s.scalars(select(Card)).one()
        assert (card.reps, card.lapses) == (0, 0)


def test_a_cloze_verdict_does_not_repeat_the_sentence_just_read(
    session_factory: SessionFactory,
) -> None:
    from bot.tg.render import around

    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory)
    add_deck(session_factory, "t", [("gap", 0)], kind="cloze")
    shown = study.next_question(user, NOW)
    assert shown is not None
    outcome = answer(study, user, shown.token, "2006", NOW, idempotency_key="k")
    assert outcome.source_sentence is None and outcome.explanation is not None

    long = "Avant, " + "beaucoup de mots sans rapport, " * 20 + "en 2006 l'UE gèle. " * 3
    short = around(long, "2006")
    assert len(short) <= 230 and "2006" in short and short.startswith("…")


def test_review_ahead_goes_over_studied_cards_as_practice(
    session_factory: SessionFactory,
) -> None:
    from tests.services.test_study import add_review_card

    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory, per_day=0)
    ids = add_deck(session_factory, "d", [("later", 0), ("soon", 1), ("new", 2)])
    late = add_review_card(session_factory, user, ids["later"], NOW + dt.timedelta(days=9))
    add_review_card(session_factory, user, ids["soon"], NOW + dt.timedelta(days=2))
    assert study.next_question(user, NOW) is None
    summary = study.end_session(user, NOW)
    assert summary.review_ahead  # (and « new » waits behind today's limit of 0)

    with session_factory() as s:
        before = s.get(Card, late)
        assert before is not None
        due_before = before.due
    keys = []
    shown = study.next_question(user, NOW, ahead=True)
    while shown is not None:
        keys.append(question_key(session_factory, shown))
        step = study.answer_open_and_next(
            user, "2006", NOW, token=shown.token, idempotency_key=f"a-{shown.token}"
        )
        assert step.outcome.practice
        shown = step.next
    assert keys == ["soon", "later"]  # soonest due first, once each, never the new one
    assert step.summary is not None and not step.summary.review_ahead
    with session_factory() as s:
        after = s.get(Card, late)
        assert after is not None and after.due == due_before  # the schedule untouched
    figures = StatsService(session_factory).student(user, NOW).figures
    assert figures.answers_7d == 0  # practice: not study figures
