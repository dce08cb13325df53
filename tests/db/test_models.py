"""The schema's guarantees, on both engines: UTC round-trips, uniqueness, cascades."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Card, Deck, Question, Review, User

T0 = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)


def _user(session: Session, telegram_id: int = 1) -> User:
    user = User(telegram_id=telegram_id, display_name="Léa")
    session.add(user)
    session.flush()
    return user


def _question(session: Session, key: str = "q1") -> Question:
    deck = session.scalar(select(Deck).where(Deck.slug == "d")) or Deck(
        slug="d", title="D", content_hash="x"
    )
    question = Question(
        deck=deck, key=key, kind="open", prompt="?", answer="2006", content_hash="h"
    )
    session.add(question)
    session.flush()
    return question


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 2, 30, tzinfo=ZoneInfo("Europe/Paris")),
        dt.datetime(2026, 1, 1, 5, 45, tzinfo=ZoneInfo("Asia/Kolkata")),
    ],
)
def test_utc_datetime_round_trips_as_utc(session: Session, moment: dt.datetime) -> None:
    user = User(telegram_id=7, next_reminder_at=moment)
    session.add(user)
    session.commit()
    session.expire_all()
    stored = session.scalar(select(User.next_reminder_at))
    # Compare in UTC: PEP 495 makes an ambiguous local time unequal to any other zone's.
    assert stored == moment.astimezone(dt.UTC)
    assert stored is not None and stored.tzinfo is dt.UTC


def test_naive_datetime_is_refused(session: Session) -> None:
    session.add(User(telegram_id=8, next_reminder_at=dt.datetime(2026, 1, 1)))
    with pytest.raises(Exception, match="naive datetime"):
        session.commit()


def test_one_card_per_user_and_question(session: Session) -> None:
    user, question = _user(session), _question(session)
    session.add(Card(user_id=user.id, question_id=question.id, due=T0))
    session.flush()
    session.add(Card(user_id=user.id, question_id=question.id, due=T0))
    with pytest.raises(IntegrityError):
        session.flush()


def test_question_key_unique_per_deck(session: Session) -> None:
    _question(session, "same")
    with pytest.raises(IntegrityError):
        _question(session, "same")


def _review(card: Card, key: str) -> Review:
    return Review(
        card_id=card.id,
        user_id=card.user_id,
        question_id=card.question_id,
        idempotency_key=key,
        rating=3,
        verdict="correct",
        correct=True,
        given_answer="2006",
        reviewed_at=T0,
        prev_state=1,
        prev_due=T0,
        prev_reps=0,
        prev_lapses=0,
    )


def test_review_idempotency_key_is_unique(session: Session) -> None:
    user, question = _user(session), _question(session)
    card = Card(user_id=user.id, question_id=question.id, due=T0)
    session.add(card)
    session.flush()
    session.add(_review(card, "tok:1"))
    session.flush()
    session.add(_review(card, "tok:1"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_deleting_a_user_deletes_their_cards_and_reviews(session: Session) -> None:
    user, question = _user(session), _question(session)
    card = Card(user_id=user.id, question_id=question.id, due=T0)
    session.add(card)
    session.flush()
    session.add(_review(card, "k"))
    session.commit()
    session.delete(user)
    session.commit()
    assert session.scalars(select(Card)).all() == []
    assert session.scalars(select(Review)).all() == []
    assert session.scalars(select(Question)).one().key == "q1"


def test_unsettled_reminder_index_matches_the_statuses_the_dispatcher_reads() -> None:
    from bot.db.models import UNSETTLED_REMINDERS
    from bot.db.repositories.reminders import UNSETTLED

    statuses = ", ".join(f"'{status}'" for status in UNSETTLED)
    assert f"sent_at IS NULL AND status IN ({statuses})" == UNSETTLED_REMINDERS
