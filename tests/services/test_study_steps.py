"""One call per answer: the answer, then the next question (``answer_…_and_next``), both engines.

The bot calls these on every answer; each must give exactly what the two separate calls gave
(``answer_choice``/``answer`` then ``next_question``), commit the answer before the showing,
and never show anything after a refused answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_engine, make_session_factory
from bot.db.models import Base, Presentation, Review, StudySession
from bot.services.study import StudyService, new_token
from bot.services.views import AnswerStatus
from tests.services.test_study import NOW, add_deck, add_user, count, question_key

SessionFactory = sessionmaker[Session]


def _study(sf: SessionFactory) -> StudyService:
    return StudyService(sf)


def test_a_typed_answer_goes_to_the_open_question_and_the_next_one_follows(
    session_factory: SessionFactory,
) -> None:
    study = _study(session_factory)
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1), ("q2", 2)])

    nothing = study.answer_open_and_next(user, "2006", NOW, idempotency_key="k0")
    assert nothing.outcome.status is AnswerStatus.NO_QUESTION and nothing.next is None
    assert count(session_factory, Review) == 0

    first = study.next_question(user, NOW)
    assert first is not None
    sent_at = NOW.replace(microsecond=0) + dt.timedelta(seconds=7)
    step = study.answer_open_and_next(
        user, "2006", NOW + dt.timedelta(seconds=8), idempotency_key="k1", sent_at=sent_at
    )
    assert step.outcome.status is AnswerStatus.RECORDED and step.outcome.is_correct
    assert step.next is not None and step.summary is None and not step.followed
    assert question_key(session_factory, step.next) == "q1"
    assert (step.next.session_answered, step.next.session_correct) == (1, 1)
    assert study.current(user) == step.next  # the next one is the open question now
    with session_factory() as s:
        review = s.scalars(select(Review)).one()
        assert review.response_ms == 7000  # from the showing to when the student sent it
        assert s.scalars(select(StudySession)).one().answered == 1  # the same run goes on

    step = study.answer_open_and_next(user, "1990", NOW, idempotency_key="k2")
    assert step.outcome.status is AnswerStatus.RECORDED and not step.outcome.is_correct
    assert step.next is not None and question_key(session_factory, step.next) == "q2"
    assert (step.next.session_answered, step.next.session_correct) == (2, 1)


def test_the_last_answer_comes_with_the_closed_runs_summary(
    session_factory: SessionFactory,
) -> None:
    study = _study(session_factory)
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0)])
    shown = study.next_question(user, NOW)
    assert shown is not None
    step = study.answer_open_and_next(user, "2006", NOW, idempotency_key="k", easy=True)
    assert step.outcome.status is AnswerStatus.RECORDED and step.next is None
    assert step.summary is not None
    assert (step.summary.answered, step.summary.correct) == (1, 1)
    assert step.summary.ended_at == NOW
    with session_factory() as s:
        assert s.scalars(select(StudySession.ended_at)).one() == NOW
    assert study.next_question(user, NOW) is None


def test_buttons_a_typed_text_to_a_button_question_and_refusals(
    session_factory: SessionFactory,
) -> None:
    study = _study(session_factory)
    user, other = add_user(session_factory), add_user(session_factory)
    add_deck(
        session_factory,
        "d",
        [("q0", 0), ("q1", 1)],
        kind="choice",
        answer="la Russie",
        distractors=["la Chine", "l'Inde"],
    )
    shown = study.next_question(user, NOW)
    assert shown is not None and shown.choices

    typed = study.answer_open_and_next(user, "la Russie", NOW, idempotency_key="t")
    assert typed.outcome.status is AnswerStatus.NEEDS_CHOICE and typed.next is None

    foreign = study.answer_choice_and_next(other, shown.token, 0, NOW, idempotency_key="f")
    assert foreign.outcome.status is AnswerStatus.UNKNOWN and foreign.next is None
    forged = study.answer_choice_and_next(user, "nope", 0, NOW, idempotency_key="g")
    assert forged.outcome.status is AnswerStatus.UNKNOWN
    assert count(session_factory, Review) == 0 and count(session_factory, Presentation) == 1

    right = shown.choices.index("la Russie")
    step = study.answer_choice_and_next(user, shown.token, right, NOW, idempotency_key="b1")
    assert step.outcome.status is AnswerStatus.RECORDED and step.outcome.is_correct
    assert step.next is not None and question_key(session_factory, step.next) == "q1"

    # A second tap on the answered question: stale, nothing shown after it.
    again = study.answer_choice_and_next(user, shown.token, right, NOW, idempotency_key="b2")
    assert again.outcome.status is AnswerStatus.STALE and again.next is None
    assert (again.outcome.session_answered, again.outcome.session_correct) == (1, 1)
    assert count(session_factory, Review) == 1 and count(session_factory, Presentation) == 2


def test_a_redelivered_answer_shows_the_next_question_only_if_none_was_shown(
    session_factory: SessionFactory,
) -> None:
    tokens = 0

    def token_or_crash() -> str:
        """The second showing's token: the process stops there."""
        nonlocal tokens
        tokens += 1
        if tokens == 2:
            raise ConnectionError("the process stopped between the two commits")
        return new_token()

    study = StudyService(session_factory, token_factory=token_or_crash)
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1), ("q2", 2)])
    first = study.next_question(user, NOW)
    assert first is not None

    # The first delivery recorded the answer and stopped before the next question (a
    # crash between the two commits): the re-delivery shows it.
    with pytest.raises(ConnectionError):
        study.answer_open_and_next(user, "2006", NOW, idempotency_key="k")
    assert count(session_factory, Review) == 1
    again = study.answer_open_and_next(user, "2006", NOW, idempotency_key="k")
    assert again.outcome.status is AnswerStatus.DUPLICATE and again.outcome.is_correct
    assert not again.followed and again.next is not None
    assert question_key(session_factory, again.next) == "q1"

    # A third delivery: the next question was shown, so nothing more.
    third = study.answer_open_and_next(user, "2006", NOW, idempotency_key="k")
    assert third.outcome.status is AnswerStatus.DUPLICATE and third.followed
    assert third.next is None and third.summary is None
    assert count(session_factory, Review) == 1 and count(session_factory, Presentation) == 2


def test_a_practice_run_goes_on_in_practice(session_factory: SessionFactory) -> None:
    study = _study(session_factory)
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    add_deck(session_factory, "other", [("x0", 0)])
    shown = study.next_question(user, NOW, deck_slug="d", practice=True)
    assert shown is not None and shown.practice

    step = study.answer_open_and_next(user, "1990", NOW, idempotency_key="p1")
    assert step.outcome.practice and step.next is not None and step.next.practice
    assert question_key(session_factory, step.next) == "q1"
    step = study.answer_open_and_next(user, "2006", NOW, idempotency_key="p2")
    assert step.next is None and step.summary is not None
    assert (step.summary.answered, step.summary.correct, step.summary.practice) == (2, 1, True)
    assert step.summary.deck_slug == "d"


def test_an_answer_after_stop_is_counted_and_the_next_question_opens_a_new_run(
    session_factory: SessionFactory,
) -> None:
    study = _study(session_factory)
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1)], kind="true_false", answer="Vrai")
    shown = study.next_question(user, NOW)
    assert shown is not None
    study.end_session(user, NOW)
    step = study.answer_choice_and_next(user, shown.token, 0, NOW, idempotency_key="k")
    assert step.outcome.status is AnswerStatus.RECORDED and step.next is not None
    assert (step.next.session_answered, step.next.session_correct) == (0, 0)
    with session_factory() as s:
        runs = s.scalars(select(StudySession).order_by(StudySession.id)).all()
        assert [(r.answered, r.ended_at is None) for r in runs] == [(1, False), (0, True)]


@pytest.mark.postgres
def test_on_postgresql_an_answer_commits_durably_and_a_showing_does_not_wait(
    pg_schema_url: str,
) -> None:
    """``synchronous_commit`` as each transaction commits: the answer's ``on`` (an acknowledged
    answer survives a crash of the server), the showing's ``off`` (set by the statement that
    found the question: losing a showing only means the student asks again)."""
    engine = make_engine(pg_schema_url)
    Base.metadata.create_all(engine)
    sf = make_session_factory(engine)
    seen: list[str] = []

    def on_commit(conn: Any) -> None:
        cursor = conn.connection.dbapi_connection.cursor()
        cursor.execute("SHOW synchronous_commit")
        seen.append(cursor.fetchone()[0])
        cursor.close()

    try:
        study = _study(sf)
        user = add_user(sf)
        add_deck(sf, "d", [("q0", 0), ("q1", 1)])
        event.listen(engine, "commit", on_commit)
        assert study.next_question(user, NOW) is not None
        assert seen == ["off"]
        step = study.answer_open_and_next(user, "2006", NOW, idempotency_key="k", easy=True)
        assert step.next is not None
        assert seen == ["off", "on", "off"]
        step = study.answer_open_and_next(user, "2006", NOW, idempotency_key="k2", easy=True)
        assert step.next is None and step.summary is not None  # nothing shown: no fast commit
        assert seen == ["off", "on", "off", "on", "on"]
    finally:
        engine.dispose()
