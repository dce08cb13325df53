"""Study sessions on both engines: order, daily limit, refusals, durability, undo, leeches."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import BindParameter, event, func, null, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import visitors

from bot.db.models import (
    Card,
    Deck,
    DeckChoice,
    Presentation,
    Question,
    Review,
    StudySession,
    User,
)
from bot.db.repositories import study as study_repo
from bot.domain.deck import QuestionKind
from bot.domain.grading import Verdict
from bot.domain.scheduling import LEECH_LAPSES
from bot.services.study import MAX_CHOICES, UNDO_WINDOW, StudyService, choices_for
from bot.services.views import (
    AnswerStatus,
    DeckNotFound,
    ShownQuestion,
    UndoStatus,
    UserNotFound,
)
from tests.services.answering import answer, answer_choice

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

SessionFactory = sessionmaker[Session]


# -- seeding ------------------------------------------------------------------------------


def add_user(sf: SessionFactory, *, tz: str = "Europe/Paris", per_day: int = 10) -> int:
    with sf() as s:
        user = User(display_name="Léa", timezone=tz, new_cards_per_day=per_day)
        s.add(user)
        s.commit()
        return user.id


def add_deck(
    sf: SessionFactory,
    slug: str,
    questions: Sequence[tuple[str, int]],
    *,
    kind: str = "open",
    answer: str = "2006",
    distractors: Sequence[str] = (),
    retired: bool = False,
) -> dict[str, int]:
    """A deck with questions ``(key, position)``; returns their ids by key."""
    with sf() as s:
        deck = Deck(
            slug=slug,
            title=slug.title(),
            content_hash="h",
            retired_at=NOW - dt.timedelta(days=1) if retired else None,
        )
        rows = {
            key: Question(
                deck=deck,
                key=key,
                position=position,
                kind=kind,
                prompt=f"Question {key} ?",
                answer=answer,
                distractors=list(distractors),
                explanation=f"Parce que {key}.",
                source_sentence=f"Phrase de {key}.",
                content_hash="h",
            )
            for key, position in questions
        }
        s.add(deck)
        s.commit()
        return {key: q.id for key, q in rows.items()}


def add_review_card(
    sf: SessionFactory,
    user_id: int,
    question_id: int,
    due: dt.datetime,
    *,
    lapses: int = 0,
    suspended: bool = False,
) -> int:
    """A card in the review state, last seen ten days before it is due."""
    with sf() as s:
        card = Card(
            user_id=user_id,
            question_id=question_id,
            state=2,
            step=None,
            stability=12.5,
            difficulty=6.25,
            due=due,
            last_review=due - dt.timedelta(days=10),
            reps=5 + lapses,
            lapses=lapses,
            suspended_at=NOW - dt.timedelta(days=2) if suspended else None,
            created_at=due - dt.timedelta(days=40),
        )
        s.add(card)
        s.commit()
        return card.id


def card_columns(sf: SessionFactory, card_id: int) -> dict[str, Any]:
    with sf() as s:
        card = s.get(Card, card_id)
        assert card is not None
        return {column.key: getattr(card, column.key) for column in Card.__table__.columns}


def count(sf: SessionFactory, model: type[Any]) -> int:
    with sf() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def question_key(sf: SessionFactory, shown: ShownQuestion) -> str:
    with sf() as s:
        question = s.get(Question, shown.question_id)
        assert question is not None
        return question.key


@pytest.fixture
def study(session_factory: SessionFactory) -> StudyService:
    return StudyService(session_factory)


def run_through(
    study: StudyService,
    sf: SessionFactory,
    user_id: int,
    now: dt.datetime,
    *,
    given: str = "2006",
    limit: int = 20,
) -> list[str]:
    """Answer (easy, so nothing comes back today) until nothing is left; the keys in order."""
    keys = []
    for _ in range(limit):
        shown = study.next_question(user_id, now)
        if shown is None:
            return keys
        keys.append(question_key(sf, shown))
        outcome = answer(
            study, user_id, shown.token, given, now, idempotency_key=shown.token, easy=True
        )
        assert outcome.status is AnswerStatus.RECORDED
    raise AssertionError("the run did not end")


# -- order --------------------------------------------------------------------------------


def test_overdue_cards_first_then_new_questions_newest_deck_first(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    b = add_deck(session_factory, "b-deck", [("b-late", 0), ("b-later", 1), ("b-new", 2)])
    a = add_deck(session_factory, "a-deck", [("a-second", 5), ("a-first", 1), ("a-future", 7)])
    add_review_card(session_factory, user, b["b-later"], NOW - dt.timedelta(hours=1))
    add_review_card(session_factory, user, b["b-late"], NOW - dt.timedelta(days=3))
    add_review_card(session_factory, user, a["a-future"], NOW + dt.timedelta(minutes=1))

    keys = run_through(study, session_factory, user, NOW)

    assert keys == ["b-late", "b-later", "a-first", "a-second", "b-new"]


def test_a_shown_but_unanswered_new_question_comes_back_before_other_new_ones(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q1", 0), ("q2", 1)])
    first = study.next_question(user, NOW)
    again = study.next_question(user, NOW + dt.timedelta(seconds=5))
    assert first is not None and again is not None
    assert again.question_id == first.question_id and again.token != first.token
    assert again.is_new
    assert count(session_factory, Card) == 1


@pytest.mark.parametrize(
    ("tz", "first", "later", "new_allowed_later"),
    [
        # Auckland (UTC+13): 22:00 then 01:00 the next local day, the same UTC day.
        (
            "Pacific/Auckland",
            dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
            dt.datetime(2026, 3, 10, 12, 0, tzinfo=UTC),
            True,
        ),
        # Los Angeles (UTC-7): 13:00 then 18:00 the same local day, the next UTC day.
        (
            "America/Los_Angeles",
            dt.datetime(2026, 3, 10, 20, 0, tzinfo=UTC),
            dt.datetime(2026, 3, 11, 1, 0, tzinfo=UTC),
            False,
        ),
    ],
)
def test_daily_new_card_limit_counts_the_local_day(
    study: StudyService,
    session_factory: SessionFactory,
    tz: str,
    first: dt.datetime,
    later: dt.datetime,
    new_allowed_later: bool,
) -> None:
    user = add_user(session_factory, tz=tz, per_day=2)
    add_deck(session_factory, "d", [(f"q{i}", i) for i in range(5)])

    assert run_through(study, session_factory, user, first) == ["q0", "q1"]
    assert study.next_question(user, first + dt.timedelta(minutes=30)) is None

    shown = study.next_question(user, later)
    assert (shown is not None) is new_allowed_later
    if shown is not None:
        assert question_key(session_factory, shown) == "q2"


def test_new_cards_come_back_at_local_midnight(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory, tz="America/Los_Angeles", per_day=1)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    run_through(study, session_factory, user, dt.datetime(2026, 3, 10, 20, 0, tzinfo=UTC))
    midnight = dt.datetime(2026, 3, 11, 7, 0, tzinfo=UTC)  # 00:00 in Los Angeles (UTC-7)

    summary = study.end_session(user, midnight - dt.timedelta(hours=2))
    assert summary.next_due == midnight
    assert study.next_question(user, midnight - dt.timedelta(seconds=1)) is None
    assert study.next_question(user, midnight) is not None


def test_retired_disabled_and_suspended_are_never_shown(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    off = add_deck(session_factory, "a-off", [("off-new", 0), ("off-due", 1)])
    gone = add_deck(session_factory, "b-gone", [("gone-new", 0), ("gone-due", 1)], retired=True)
    live = add_deck(
        session_factory,
        "c-live",
        [("retired-q", 0), ("suspended", 1), ("ok-due", 2), ("ok-new", 3)],
    )
    past = NOW - dt.timedelta(days=1)
    add_review_card(session_factory, user, off["off-due"], past)
    add_review_card(session_factory, user, gone["gone-due"], past)
    add_review_card(session_factory, user, live["retired-q"], past)
    add_review_card(session_factory, user, live["suspended"], past, suspended=True)
    add_review_card(session_factory, user, live["ok-due"], past)
    with session_factory() as s:
        deck_id = s.scalar(select(Deck.id).where(Deck.slug == "a-off"))
        assert deck_id is not None
        s.add(DeckChoice(user_id=user, deck_id=deck_id, enabled=False))
        question = s.get(Question, live["retired-q"])
        assert question is not None
        question.retired_at = past
        s.commit()

    assert run_through(study, session_factory, user, NOW) == ["ok-due", "ok-new"]


def test_a_disabled_deck_switched_back_on_is_studied_again(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0)])
    with session_factory() as s:
        deck_id = s.scalar(select(Deck.id))
        assert deck_id is not None
        s.add(DeckChoice(user_id=user, deck_id=deck_id, enabled=True))
        s.commit()
    assert run_through(study, session_factory, user, NOW) == ["q0"]


def test_deck_filter_and_unknown_names(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "a", [("a0", 0)])
    add_deck(session_factory, "b", [("b0", 0)])
    shown = study.next_question(user, NOW, deck_slug="b")
    assert shown is not None and shown.deck_slug == "b"
    with pytest.raises(DeckNotFound):
        study.next_question(user, NOW, deck_slug="nope")
    with pytest.raises(UserNotFound):
        study.next_question(user + 99, NOW)
    with pytest.raises(ValueError, match="practice"):
        study.next_question(user, NOW, practice=True)


# -- refused answers ----------------------------------------------------------------------


def test_stale_forged_and_foreign_tokens_are_refused_and_change_nothing(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    other = add_user(session_factory)
    ids = add_deck(session_factory, "d", [("q0", 0)])
    card_id = add_review_card(session_factory, user, ids["q0"], NOW - dt.timedelta(days=1))
    before = card_columns(session_factory, card_id)

    old = study.next_question(user, NOW)
    current = study.next_question(user, NOW + dt.timedelta(seconds=1))
    assert old is not None and current is not None and old.token != current.token
    assert len(current.token) == 8

    later = NOW + dt.timedelta(seconds=2)
    refusals = [
        (answer(study, user, old.token, "2006", later, idempotency_key="k1"), "stale"),
        (answer(study, user, "AAAAAAAA", "2006", later, idempotency_key="k2"), "unknown"),
        (answer(study, other, current.token, "2006", later, idempotency_key="k3"), "unknown"),
        (answer_choice(study, user, current.token, 0, later, idempotency_key="k4"), "unknown"),
    ]
    for outcome, status in refusals:
        assert outcome.status == status
        assert outcome.verdict is None and not outcome.accepted

    assert count(session_factory, Review) == 0
    assert card_columns(session_factory, card_id) == before
    with session_factory() as s:
        assert s.scalars(select(Presentation.answered_at)).all() == [None, None]
        assert s.scalar(select(StudySession.answered)) == 0

    recorded = answer(study, user, current.token, "2006", later, idempotency_key="k5")
    assert recorded.status is AnswerStatus.RECORDED and recorded.verdict is Verdict.CORRECT
    again = answer(study, user, current.token, "2007", later, idempotency_key="k6")
    assert again.status is AnswerStatus.STALE
    assert count(session_factory, Review) == 1


def test_same_idempotency_key_is_counted_once(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    shown = study.next_question(user, NOW)
    assert shown is not None

    first = answer(study, user, shown.token, "2007", NOW, idempotency_key="update-1")
    card = card_columns(session_factory, 1)
    second = answer(study, user, shown.token, "2006", NOW, idempotency_key="update-1")

    assert first.status is AnswerStatus.RECORDED and first.verdict is Verdict.WRONG
    assert second.status is AnswerStatus.DUPLICATE and second.accepted
    assert second.verdict is Verdict.WRONG and second.reason == first.reason
    assert second.correct_answer == "2006" and second.given == "2007"
    assert second.next_due == first.next_due
    assert (second.session_answered, second.session_correct) == (1, 0)
    assert count(session_factory, Review) == 1
    assert card_columns(session_factory, 1) == card
    # Another student re-using the key learns nothing about it.
    other = add_user(session_factory)
    assert answer(study, other, shown.token, "x", NOW, idempotency_key="update-1").status == (
        AnswerStatus.UNKNOWN
    )


def test_idempotency_race_lost_at_insert_is_a_duplicate(
    study: StudyService, session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is unseen when checked but committed by the other delivery before our insert:
    the unique constraint fires, and the first outcome is returned."""
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    first_shown = study.next_question(user, NOW)
    assert first_shown is not None
    answer(study, user, first_shown.token, "2006", NOW, idempotency_key="dup")
    shown = study.next_question(user, NOW)
    assert shown is not None

    # The key check is part of the showing's read (a subquery bound to :key); this read sees
    # no earlier review, as if the other delivery committed right after it.
    def blind(element: Any) -> Any:
        if isinstance(element, BindParameter) and element.key == "key":
            return null()
        return None

    unseen = visitors.replacement_traverse(study_repo.SHOWING_BY_TOKEN, {}, blind)
    monkeypatch.setattr(study_repo, "SHOWING_BY_TOKEN", unseen)
    refused: list[Any] = []
    engine = session_factory.kw["bind"]
    catch = lambda ctx: refused.append(ctx.sqlalchemy_exception)  # noqa: E731
    event.listen(engine, "handle_error", catch)
    try:
        outcome = answer(study, user, shown.token, "1999", NOW, idempotency_key="dup")
    finally:
        event.remove(engine, "handle_error", catch)

    # The unique key refused the insert, and that became the first delivery's outcome.
    assert [type(e) for e in refused] == [IntegrityError]

    assert outcome.status is AnswerStatus.DUPLICATE and outcome.verdict is Verdict.CORRECT
    assert count(session_factory, Review) == 1
    with session_factory() as s:
        # The loser's transaction was rolled back: its showing is still open.
        assert (
            s.scalar(select(Presentation.answered_at).where(Presentation.token == shown.token))
            is None
        )


def test_concurrent_deliveries_of_one_answer_record_it_once(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0)])
    shown = study.next_question(user, NOW)
    assert shown is not None
    barrier = threading.Barrier(4)
    outcomes = []

    def deliver() -> None:
        barrier.wait()
        outcomes.append(answer(study, user, shown.token, "2006", NOW, idempotency_key="same"))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(o.status for o in outcomes) == [
        "duplicate",
        "duplicate",
        "duplicate",
        "recorded",
    ]
    assert all(o.verdict is Verdict.CORRECT for o in outcomes)
    assert count(session_factory, Review) == 1
    with session_factory() as s:
        assert s.scalar(select(StudySession.answered)) == 1


# -- recording ----------------------------------------------------------------------------


def test_an_answer_commits_review_card_and_showing_together(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    ids = add_deck(session_factory, "d", [("q0", 0)])
    card_id = add_review_card(session_factory, user, ids["q0"], NOW - dt.timedelta(days=1))
    before = card_columns(session_factory, card_id)
    shown = study.next_question(user, NOW)
    assert shown is not None and not shown.is_new

    later = NOW + dt.timedelta(seconds=12)
    outcome = answer(
        study, user, shown.token, "en 2006", later, idempotency_key="k", response_ms=12000
    )

    assert outcome.status is AnswerStatus.RECORDED and outcome.verdict is Verdict.CORRECT
    assert outcome.correct_answer == "2006"
    assert outcome.source_sentence == "Phrase de q0."
    assert outcome.explanation == "Parce que q0."
    assert (outcome.session_answered, outcome.session_correct) == (1, 1)
    assert outcome.next_due is not None and outcome.next_due > later + dt.timedelta(days=3)
    after = card_columns(session_factory, card_id)
    assert after["reps"] == before["reps"] + 1 and after["due"] == outcome.next_due
    assert after["last_review"] == later
    with session_factory() as s:
        review = s.scalars(select(Review)).one()
        assert (review.idempotency_key, review.given_answer, review.response_ms) == (
            "k",
            "en 2006",
            12000,
        )
        assert (review.verdict, review.correct, review.practice, review.rating) == (
            "correct",
            True,
            False,
            3,
        )
        prev = {
            "state": review.prev_state,
            "step": review.prev_step,
            "stability": review.prev_stability,
            "difficulty": review.prev_difficulty,
            "due": review.prev_due,
            "last_review": review.prev_last_review,
            "reps": review.prev_reps,
            "lapses": review.prev_lapses,
            "suspended_at": review.prev_suspended_at,
        }
        assert prev == {key: before[key] for key in prev}
        shown_row = s.scalars(select(Presentation)).one()
        assert shown_row.answered_at == later
        assert review.session_id == shown_row.session_id


def test_partial_and_close_answers(study: StudyService, session_factory: SessionFactory) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0)], answer="Loukachenko")
    shown = study.next_question(user, NOW)
    assert shown is not None
    outcome = answer(study, user, shown.token, "Loukachenco", NOW, idempotency_key="k")
    assert outcome.verdict is Verdict.CLOSE and outcome.is_correct
    assert outcome.reason is not None and outcome.reason.forms == ("Loukachenko",)
    assert outcome.session_correct == 1


# -- undo ---------------------------------------------------------------------------------


def test_undo_restores_the_card_exactly_and_only_the_last_answer(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    ids = add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    first_card = add_review_card(session_factory, user, ids["q0"], NOW - dt.timedelta(days=2))
    second_card = add_review_card(
        session_factory, user, ids["q1"], NOW - dt.timedelta(days=1), lapses=LEECH_LAPSES - 1
    )
    first_before = card_columns(session_factory, first_card)
    second_before = card_columns(session_factory, second_card)

    shown = study.next_question(user, NOW)
    assert shown is not None
    answer(study, user, shown.token, "2006", NOW, idempotency_key="a1")
    first_after = card_columns(session_factory, first_card)
    shown = study.next_question(user, NOW)
    assert shown is not None
    wrong = answer(study, user, shown.token, "1990", NOW, idempotency_key="a2")
    assert wrong.leech_suspended  # suspension too must be undone
    # Nothing was left after it: that answer closed the run.

    undone = study.undo_last(user, NOW + UNDO_WINDOW)
    assert undone.status is UndoStatus.UNDONE and undone.given_answer == "1990"
    assert undone.prompt == "Question q1 ?"
    assert (undone.session_answered, undone.session_correct) == (1, 1)
    assert card_columns(session_factory, second_card) == second_before
    assert count(session_factory, Review) == 1

    # The answer before the undone one is not "the last answer": it stays.
    assert study.undo_last(user, NOW + UNDO_WINDOW).status is UndoStatus.NOTHING
    assert card_columns(session_factory, first_card) == first_after != first_before
    assert count(session_factory, Review) == 1

    # The undone question is asked again and can be answered afresh.
    again = study.next_question(user, NOW + UNDO_WINDOW)
    assert again is not None and again.question_id == ids["q1"]
    retry = answer(study, user, again.token, "2006", NOW + UNDO_WINDOW, idempotency_key="a3")
    # In a new run (the last one ended with the undone answer).
    assert retry.status is AnswerStatus.RECORDED and retry.session_answered == 1


def test_undo_of_a_new_card_makes_it_new_again(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory, per_day=1)
    add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    shown = study.next_question(user, NOW)
    assert shown is not None
    before = card_columns(session_factory, 1)
    answer(study, user, shown.token, "2006", NOW, idempotency_key="k", easy=True)
    assert study.next_question(user, NOW) is None  # limit of one new card reached

    assert study.undo_last(user, NOW).status is UndoStatus.UNDONE
    assert card_columns(session_factory, 1) == before
    shown = study.next_question(user, NOW)
    assert shown is not None and shown.is_new and question_key(session_factory, shown) == "q0"


def test_undo_is_refused_after_ten_minutes_and_when_nothing_was_answered(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0)])
    assert study.undo_last(user, NOW).status is UndoStatus.NOTHING
    shown = study.next_question(user, NOW)
    assert shown is not None
    answer(study, user, shown.token, "2006", NOW, idempotency_key="k")
    after = card_columns(session_factory, 1)

    late = study.undo_last(user, NOW + UNDO_WINDOW + dt.timedelta(seconds=1))

    assert late.status is UndoStatus.TOO_LATE
    assert count(session_factory, Review) == 1
    assert card_columns(session_factory, 1) == after


# -- leeches and practice -----------------------------------------------------------------


def test_the_eighth_lapse_suspends_the_card_and_says_so(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    ids = add_deck(session_factory, "d", [("q0", 0)])
    card_id = add_review_card(
        session_factory, user, ids["q0"], NOW - dt.timedelta(days=1), lapses=LEECH_LAPSES - 1
    )
    shown = study.next_question(user, NOW)
    assert shown is not None

    outcome = answer(study, user, shown.token, "1990", NOW, idempotency_key="k")

    assert outcome.verdict is Verdict.WRONG and outcome.leech_suspended
    assert outcome.explanation == "Parce que q0."
    card = card_columns(session_factory, card_id)
    assert card["lapses"] == LEECH_LAPSES and card["suspended_at"] == NOW
    assert study.next_question(user, NOW + dt.timedelta(days=30)) is None
    duplicate = answer(study, user, shown.token, "1990", NOW, idempotency_key="k")
    assert duplicate.status is AnswerStatus.DUPLICATE and duplicate.leech_suspended


def test_a_lapse_short_of_the_threshold_does_not_suspend(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    ids = add_deck(session_factory, "d", [("q0", 0)])
    card_id = add_review_card(
        session_factory, user, ids["q0"], NOW - dt.timedelta(days=1), lapses=LEECH_LAPSES - 2
    )
    shown = study.next_question(user, NOW)
    assert shown is not None
    outcome = answer(study, user, shown.token, "1990", NOW, idempotency_key="k")
    assert not outcome.leech_suspended
    assert card_columns(session_factory, card_id)["suspended_at"] is None


def test_practice_logs_answers_and_leaves_cards_alone(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    ids = add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    add_deck(session_factory, "other", [("x0", 0)])
    card_id = add_review_card(
        session_factory, user, ids["q0"], NOW + dt.timedelta(days=20), suspended=True
    )
    before = card_columns(session_factory, card_id)

    seen = []
    shown = study.next_question(user, NOW, deck_slug="d", practice=True)
    for key in ("p1", "p2"):
        assert shown is not None and shown.practice
        seen.append(question_key(session_factory, shown))
        step = study.answer_open_and_next(
            user, "1990", NOW, token=shown.token, idempotency_key=key
        )
        outcome = step.outcome
        assert outcome.status is AnswerStatus.RECORDED and outcome.practice
        assert outcome.verdict is Verdict.WRONG and outcome.next_due is None
        assert not outcome.leech_suspended
        shown = step.next
    # Once through the deck: the run is over.
    assert shown is None and step.summary is not None and step.summary.practice

    assert seen == ["q0", "q1"]
    assert card_columns(session_factory, card_id) == before
    with session_factory() as s:
        assert s.scalars(select(Review.practice)).all() == [True, True]
        run = s.scalars(select(StudySession)).one()
        assert (run.practice, run.answered, run.correct) == (True, 2, 0)
        # A question practised before it was ever studied got a card, still new.
        fresh = s.scalars(select(Card).where(Card.question_id == ids["q1"])).one()
        assert (fresh.reps, fresh.last_review, fresh.stability) == (0, None, None)

    summary = step.summary
    assert (summary.answered, summary.correct, summary.practice) == (2, 0, True)
    assert summary.deck_slug == "d"
    # Practice answers are not first answers: the daily limit is untouched (a new question
    # is ready now).
    assert study.end_session(user, NOW).next_due == NOW


# -- choices ------------------------------------------------------------------------------


def test_choices_are_shuffled_per_showing_and_stable_for_a_token(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    distractors = ["Chine", "Ukraine", "Pologne", "Lituanie", "Lettonie"]
    add_deck(
        session_factory,
        "d",
        [("q0", 0)],
        kind="choice",
        answer="Russie",
        distractors=distractors,
    )
    showings = [study.next_question(user, NOW) for _ in range(12)]
    orders = set()
    for shown in showings:
        assert shown is not None and shown.kind is QuestionKind.CHOICE
        assert len(shown.choices) == MAX_CHOICES and "Russie" in shown.choices
        assert set(shown.choices) <= {"Russie", *distractors}
        again = choices_for(QuestionKind.CHOICE, "Russie", distractors, shown.token)
        assert tuple(again) == shown.choices
        orders.add(shown.choices)
    assert len(orders) > 1
    with session_factory() as s:
        stored = dict(s.execute(select(Presentation.token, Presentation.choices)).all())
    assert all(tuple(stored[shown.token]) == shown.choices for shown in showings if shown)

    current = showings[-1]
    assert current is not None
    right = current.choices.index("Russie")
    outcome = answer_choice(study, user, current.token, right, NOW, idempotency_key="k")
    assert outcome.verdict is Verdict.CORRECT and outcome.given == "Russie"


def test_a_wrong_choice_and_true_false_buttons(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    # The newest deck's new questions come first: « a » is added last.
    add_deck(session_factory, "b", [("tf", 0)], kind="true_false", answer="faux")
    add_deck(
        session_factory,
        "a",
        [("c", 0)],
        kind="choice",
        answer="Russie",
        distractors=["Chine", "Iran"],
    )
    shown = study.next_question(user, NOW)
    assert shown is not None and len(shown.choices) == 3
    wrong = next(i for i, c in enumerate(shown.choices) if c != "Russie")
    outcome = answer_choice(study, user, shown.token, wrong, NOW, idempotency_key="k1", easy=True)
    assert outcome.verdict is Verdict.WRONG and outcome.correct_answer == "Russie"

    shown = study.next_question(user, NOW)
    assert shown is not None and shown.kind is QuestionKind.TRUE_FALSE
    assert shown.choices == ("vrai", "faux")
    outcome = answer_choice(study, user, shown.token, 1, NOW, idempotency_key="k2")
    assert outcome.verdict is Verdict.CORRECT


# -- sessions -----------------------------------------------------------------------------


def test_a_run_is_tracked_and_summarised(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    ids = add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    card_id = add_review_card(session_factory, user, ids["q0"], NOW - dt.timedelta(days=1))
    assert study.end_session(user, NOW).answered == 0

    shown = study.next_question(user, NOW)
    assert shown is not None
    step = study.answer_open_and_next(user, "2006", NOW, idempotency_key="k1")
    assert step.next is not None and step.next.session_answered == 1
    last = study.answer_open_and_next(user, "1990", NOW, idempotency_key="k2")
    # The wrong new card is due in a minute: learn-ahead keeps it in the run.
    assert last.next is not None and last.next.question_id == step.next.question_id

    # Stopped there: the run summed up.
    summary = study.end_session(user, NOW)
    assert (summary.answered, summary.correct) == (2, 1)
    assert summary.started_at == NOW and summary.ended_at == NOW
    # The wrong new card comes back after its first learning step (one minute).
    assert summary.next_due == NOW + dt.timedelta(minutes=1)
    assert card_columns(session_factory, card_id)["due"] > summary.next_due
    with session_factory() as s:
        run = s.scalars(select(StudySession)).one()
        assert (run.answered, run.correct, run.ended_at) == (2, 1, NOW)
    later = NOW + dt.timedelta(seconds=30)
    assert study.end_session(user, later).answered == 0  # no open run any more


def test_an_idle_run_is_closed_and_a_new_one_started(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "d", [(f"q{i}", i) for i in range(3)])
    shown = study.next_question(user, NOW)
    assert shown is not None
    answer(study, user, shown.token, "2006", NOW, idempotency_key="k1", easy=True)
    later = NOW + dt.timedelta(hours=2)
    shown = study.next_question(user, later)
    assert shown is not None and shown.session_answered == 0
    with session_factory() as s:
        runs = s.scalars(select(StudySession).order_by(StudySession.id)).all()
        assert [(r.started_at, r.ended_at, r.answered) for r in runs] == [
            (NOW, NOW, 1),
            (later, None, 0),
        ]


def test_the_current_question_is_read_from_the_database(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    other = add_user(session_factory)
    add_deck(
        session_factory,
        "d",
        [("q0", 0), ("q1", 1), ("q2", 2)],
        kind="choice",
        answer="2006",
        distractors=["1990", "1994"],
    )
    assert study.current(user) is None  # nothing shown yet

    shown = study.next_question(user, NOW)
    assert shown is not None and shown.shown_at == NOW
    # A second service on the same database (a restart, another instance) sees it as shown.
    again = StudyService(session_factory).current(user)
    assert again == shown
    assert study.current(other) is None

    step = study.answer_choice_and_next(user, shown.token, 0, NOW, idempotency_key="k1")
    assert study.current(user) == step.next  # answered: the next one is on screen
    later = NOW + dt.timedelta(seconds=30)
    second = study.next_question(user, later)
    assert second is not None
    current = study.current(user)
    assert current is not None and current.token == second.token
    assert (current.session_answered, current.choices) == (1, second.choices)

    study.end_session(user, later)
    assert study.current(user) is None  # the run is over


def test_nothing_at_all_to_study(study: StudyService, session_factory: SessionFactory) -> None:
    user = add_user(session_factory)
    assert study.next_question(user, NOW) is None
    summary = study.end_session(user, NOW)
    assert (summary.answered, summary.correct, summary.next_due) == (0, 0, None)
    assert count(session_factory, StudySession) == 0


def test_idempotency_keys_must_fit_the_column(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q0", 0)])
    shown = study.next_question(user, NOW)
    assert shown is not None
    for key in ("", "k" * 97):
        with pytest.raises(ValueError, match="idempotency key"):
            answer(study, user, shown.token, "2006", NOW, idempotency_key=key)
    assert count(session_factory, Review) == 0
    outcome = answer(study, user, shown.token, "2006", NOW, idempotency_key="k" * 96)
    assert outcome.status is AnswerStatus.RECORDED
