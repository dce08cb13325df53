"""Self-rated cards (``kind: self_rated``) on both engines: revealing records nothing, the
student's own verdict is rated and scheduled like any answer, committed first; stale verdicts
change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from fsrs import Rating
from sqlalchemy import select

from bot.db.models import Card, Presentation, Review
from bot.domain.grading import SelfRating, Verdict
from bot.domain.scheduling import rating_for
from bot.services.study import StudyService
from bot.services.views import AnswerStatus, OverrideStatus, ShownQuestion
from tests.services.test_study import (
    NOW,
    SessionFactory,
    add_deck,
    add_review_card,
    add_user,
    card_columns,
    count,
)

ANSWER = "Le gel des avoirs répond à la répression des manifestations de 2006."


@pytest.fixture
def study(session_factory: SessionFactory) -> StudyService:
    return StudyService(session_factory, enable_fuzzing=False)


def self_rated_deck(sf: SessionFactory, keys: int = 2) -> dict[str, int]:
    return add_deck(sf, "d", [(f"q{i}", i) for i in range(keys)], kind="self_rated", answer=ANSWER)


def first_card(study: StudyService, sf: SessionFactory) -> tuple[int, ShownQuestion]:
    """A student and the first card of a two-card self-rated deck, shown to them."""
    user = add_user(sf)
    self_rated_deck(sf)
    shown = study.next_question(user, NOW)
    assert shown is not None
    return user, shown


def test_a_self_rated_card_is_shown_without_buttons(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    self_rated_deck(session_factory)
    shown = study.next_question(user, NOW)
    assert shown is not None and shown.self_rated and shown.choices == ()


def test_revealing_shows_the_answer_and_records_nothing(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    ids = self_rated_deck(session_factory)
    card = add_review_card(session_factory, user, ids["q0"], NOW - dt.timedelta(days=1))
    before = card_columns(session_factory, card)
    shown = study.next_question(user, NOW)
    assert shown is not None

    revealed = study.reveal(user, shown.token)

    assert revealed.status is AnswerStatus.REVEALED and not revealed.accepted
    assert revealed.correct_answer == ANSWER and revealed.verdict is None
    assert revealed.source_sentence == "Phrase de q0." and revealed.explanation == "Parce que q0."
    assert revealed.showing_token == shown.token and revealed.given is None
    assert count(session_factory, Review) == 0
    assert card_columns(session_factory, card) == before
    assert study.current(user) == shown  # still open: the verdict is still to come


def test_a_typed_text_is_an_attempt_that_reveals_the_answer_and_records_nothing(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user, shown = first_card(study, session_factory)

    step = study.answer_open_and_next(user, " la répression de 2006 ", NOW, idempotency_key="m1")

    assert step.outcome.status is AnswerStatus.REVEALED and step.next is None
    assert step.outcome.given == "la répression de 2006"
    assert step.outcome.correct_answer == ANSWER
    assert count(session_factory, Review) == 0
    assert study.current(user) == shown


@pytest.mark.parametrize(
    ("rating", "verdict", "fsrs"),
    [
        (SelfRating.KNEW, Verdict.CORRECT, Rating.Good),
        (SelfRating.PARTLY, Verdict.PARTIAL, Rating.Hard),
        (SelfRating.DID_NOT, Verdict.WRONG, Rating.Again),
    ],
)
def test_each_verdict_is_rated_and_schedules_the_card(
    study: StudyService,
    session_factory: SessionFactory,
    rating: SelfRating,
    verdict: Verdict,
    fsrs: Rating,
) -> None:
    user = add_user(session_factory)
    ids = self_rated_deck(session_factory)
    card = add_review_card(session_factory, user, ids["q0"], NOW - dt.timedelta(days=1))
    shown = study.next_question(user, NOW)
    assert shown is not None
    later = NOW + dt.timedelta(seconds=20)

    step = study.rate_self_and_next(
        user, shown.token, rating, later, idempotency_key="v", attempt="la répression"
    )

    outcome = step.outcome
    assert rating_for(verdict) is fsrs  # the mapping every other kind uses
    assert outcome.status is AnswerStatus.RECORDED and outcome.verdict is verdict
    assert outcome.self_rated and not outcome.can_override
    assert outcome.correct_answer == ANSWER
    assert (outcome.session_answered, outcome.session_correct) == (1, int(verdict.accepted))
    assert step.next is not None and step.next.self_rated  # q1 comes next
    with session_factory() as s:
        review = s.scalars(select(Review)).one()
        assert (review.rating, review.verdict, review.correct) == (
            int(fsrs),
            verdict.value,
            verdict.accepted,
        )
        assert review.given_answer == "la répression" and review.card_id == card
    after = card_columns(session_factory, card)
    assert after["due"] == outcome.next_due and after["last_review"] == later
    if fsrs is Rating.Again:  # a lapse: back in minutes, relearning
        assert outcome.next_due is not None and outcome.next_due < later + dt.timedelta(hours=1)
        assert after["lapses"] == 1
    else:  # a review card remembered: days away
        assert outcome.next_due is not None and outcome.next_due > later + dt.timedelta(days=1)
        assert after["lapses"] == 0


def test_knew_schedules_later_than_partly(
    session_factory: SessionFactory,
) -> None:
    dues = {}
    for rating in (SelfRating.KNEW, SelfRating.PARTLY):
        study = StudyService(session_factory, enable_fuzzing=False)
        user = add_user(session_factory)
        ids = add_deck(
            session_factory, f"d-{rating.value}", [("q", 0)], kind="self_rated", answer=ANSWER
        )
        add_review_card(session_factory, user, ids["q"], NOW - dt.timedelta(days=1))
        shown = study.next_question(user, NOW)
        assert shown is not None
        step = study.rate_self_and_next(user, shown.token, rating, NOW, idempotency_key=rating)
        dues[rating] = step.outcome.next_due
    assert dues[SelfRating.KNEW] is not None and dues[SelfRating.PARTLY] is not None
    assert dues[SelfRating.KNEW] > dues[SelfRating.PARTLY]


def test_a_verdict_for_a_card_no_longer_shown_records_nothing(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    self_rated_deck(session_factory)
    first = study.next_question(user, NOW)
    assert first is not None
    step = study.rate_self_and_next(user, first.token, SelfRating.KNEW, NOW, idempotency_key="a")
    assert step.outcome.status is AnswerStatus.RECORDED and step.next is not None

    # The same card's buttons pressed again (another key): stale, nothing changes.
    again = study.rate_self_and_next(
        user, first.token, SelfRating.DID_NOT, NOW, idempotency_key="b"
    )
    assert again.outcome.status is AnswerStatus.STALE and again.next is None
    assert study.reveal(user, first.token).status is AnswerStatus.STALE
    # A card superseded by a newer showing (/quiz again): stale too.
    second = step.next
    newer = study.next_question(user, NOW + dt.timedelta(seconds=1))
    assert newer is not None and newer.token != second.token
    late = study.rate_self_and_next(user, second.token, SelfRating.KNEW, NOW, idempotency_key="c")
    assert late.outcome.status is AnswerStatus.STALE
    with session_factory() as s:
        assert [r.verdict for r in s.scalars(select(Review))] == ["correct"]


def test_a_repeated_verdict_is_counted_once(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user, shown = first_card(study, session_factory)
    first = study.rate_self_and_next(
        user, shown.token, SelfRating.PARTLY, NOW, idempotency_key="k"
    )
    again = study.rate_self_and_next(
        user, shown.token, SelfRating.PARTLY, NOW, idempotency_key="k"
    )
    assert first.outcome.status is AnswerStatus.RECORDED
    assert again.outcome.status is AnswerStatus.DUPLICATE and again.followed
    assert again.outcome.verdict is Verdict.PARTIAL and again.outcome.self_rated
    assert count(session_factory, Review) == 1


def test_verdicts_and_answers_do_not_cross_kinds(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    add_deck(session_factory, "open", [("o", 0)])
    shown = study.next_question(user, NOW)
    assert shown is not None and not shown.self_rated
    step = study.rate_self_and_next(user, shown.token, SelfRating.KNEW, NOW, idempotency_key="k")
    assert step.outcome.status is AnswerStatus.UNKNOWN
    assert study.reveal(user, shown.token).status is AnswerStatus.UNKNOWN
    assert study.reveal(user, "forged").status is AnswerStatus.UNKNOWN
    assert count(session_factory, Review) == 0


def test_the_verdict_is_committed_before_the_next_question_is_picked(
    study: StudyService, session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, shown = first_card(study, session_factory)

    def broken(*args: object) -> None:
        raise RuntimeError("the next question failed")

    monkeypatch.setattr(StudyService, "_show", broken)
    with pytest.raises(RuntimeError):
        study.rate_self_and_next(user, shown.token, SelfRating.KNEW, NOW, idempotency_key="k")
    with session_factory() as s:
        review = s.scalars(select(Review)).one()
        assert review.verdict == "correct"
        card = s.scalars(select(Card)).one()
        assert card.reps == 1 and card.last_review is not None


def test_no_override_of_the_students_own_verdict(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user, shown = first_card(study, session_factory)
    study.rate_self_and_next(
        user, shown.token, SelfRating.DID_NOT, NOW, idempotency_key="k", attempt="aucune idée"
    )
    assert study.override(user, NOW).status is OverrideStatus.NOTHING
    assert study.override(user, NOW, token=shown.token).status is OverrideStatus.NOTHING


def given_answers(sf: SessionFactory) -> list[str]:
    with sf() as s:
        return list(s.scalars(select(Review.given_answer).order_by(Review.id)))


def kept_attempt(sf: SessionFactory, token: str) -> str | None:
    with sf() as s:
        return s.scalars(select(Presentation.attempt).where(Presentation.token == token)).one()


def test_a_typed_attempt_survives_a_new_service_until_the_verdict(
    session_factory: SessionFactory,
) -> None:
    """Revealed by one process, rated by another (a restart in between): the attempt typed
    is the answer recorded with the verdict."""
    user = add_user(session_factory)
    self_rated_deck(session_factory)
    before_restart = StudyService(session_factory, enable_fuzzing=False)
    shown = before_restart.next_question(user, NOW)
    assert shown is not None
    step = before_restart.answer_open_and_next(
        user, " la répression\x00 de 2006 ", NOW, idempotency_key="m1"
    )
    assert step.outcome.status is AnswerStatus.REVEALED
    # Committed before the reveal is answered: another connection reads it.
    assert kept_attempt(session_factory, shown.token) == "la répression de 2006"

    after_restart = StudyService(session_factory, enable_fuzzing=False)
    rated = after_restart.rate_self_and_next(
        user, shown.token, SelfRating.PARTLY, NOW, idempotency_key="v"
    )

    assert rated.outcome.status is AnswerStatus.RECORDED
    assert rated.outcome.given == "la répression de 2006"
    assert given_answers(session_factory) == ["la répression de 2006"]


def test_the_reveal_keeps_the_attempt_and_a_later_one_replaces_it(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user, shown = first_card(study, session_factory)

    assert study.reveal(user, shown.token, attempt="les élections").given == "les élections"
    assert kept_attempt(session_factory, shown.token) == "les élections"
    study.answer_open_and_next(user, "la répression", NOW, idempotency_key="m2")
    assert kept_attempt(session_factory, shown.token) == "la répression"
    # « Voir la réponse » pressed again (no attempt), a blank text: the attempt stays.
    assert study.reveal(user, shown.token).given is None
    study.answer_open_and_next(user, "   ", NOW, idempotency_key="m3")
    assert kept_attempt(session_factory, shown.token) == "la répression"
    assert count(session_factory, Review) == 0  # revealing still records no answer

    fresh = StudyService(session_factory, enable_fuzzing=False)
    fresh.rate_self_and_next(user, shown.token, SelfRating.KNEW, NOW, idempotency_key="v")
    assert given_answers(session_factory) == ["la répression"]


def test_the_callers_attempt_wins_over_the_one_kept(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user, shown = first_card(study, session_factory)
    study.answer_open_and_next(user, "les élections", NOW, idempotency_key="m1")

    study.rate_self_and_next(
        user, shown.token, SelfRating.DID_NOT, NOW, idempotency_key="v", attempt="autre chose"
    )

    assert given_answers(session_factory) == ["autre chose"]


def test_a_verdict_without_any_attempt_records_an_empty_answer(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user, shown = first_card(study, session_factory)
    assert study.reveal(user, shown.token).status is AnswerStatus.REVEALED
    assert kept_attempt(session_factory, shown.token) is None

    study.rate_self_and_next(user, shown.token, SelfRating.KNEW, NOW, idempotency_key="v")

    assert given_answers(session_factory) == [""]


def test_an_attempt_is_not_kept_on_a_card_refused_or_of_another_kind(
    study: StudyService, session_factory: SessionFactory
) -> None:
    user = add_user(session_factory)
    self_rated_deck(session_factory)
    first = study.next_question(user, NOW)
    assert first is not None
    study.rate_self_and_next(user, first.token, SelfRating.KNEW, NOW, idempotency_key="a")
    # The card answered: an attempt for it is stale, and nothing is kept on it.
    assert study.reveal(user, first.token, attempt="trop tard").status is AnswerStatus.STALE
    assert kept_attempt(session_factory, first.token) is None
    add_deck(session_factory, "open", [("o", 0)])
    other = add_user(session_factory)
    shown = study.next_question(other, NOW, deck_slug="open")
    assert shown is not None and not shown.self_rated
    assert study.reveal(other, shown.token, attempt="2006").status is AnswerStatus.UNKNOWN
    assert kept_attempt(session_factory, shown.token) is None
