"""The teacher's /classe figures on both engines: per deck this week, the ten hardest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import (
    Card,
    ClassMember,
    ClassTeacher,
    Deck,
    Question,
    Review,
    SchoolClass,
    User,
)
from bot.services.classroom import (
    HARDEST_COUNT,
    HARDEST_MIN_ANSWERS,
    ClassroomService,
    DeckActivity,
)

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
TEACHER = 900


def _question(deck: Deck, key: str, position: int) -> Question:
    return Question(
        deck=deck,
        key=key,
        position=position,
        kind="open",
        prompt=f"{key} ?",
        answer="x",
        content_hash="h",
    )


def _answer(session: Session, user: User, question: Question, ok: bool, at: dt.datetime) -> None:
    card = Card(user_id=user.id, question_id=question.id, due=NOW, reps=1)
    session.add(card)
    session.flush()
    session.add(
        Review(
            card_id=card.id,
            user_id=user.id,
            question_id=question.id,
            idempotency_key=f"k{card.id}",
            rating=3 if ok else 1,
            verdict="correct" if ok else "wrong",
            correct=ok,
            given_answer="",
            reviewed_at=at,
            prev_state=0,
            prev_due=at,
            prev_reps=0,
            prev_lapses=0,
        )
    )


def _seed(sf: sessionmaker[Session]) -> int:
    """Deck « a »: twelve questions answered by three students (today, yesterday, eight days
    ago); question ``a{i}`` is missed by the first ``1 + i % 3`` of them. Deck « b »: one
    question missed by two students today (too few answers to judge it). Deck « c »: only a
    terminal user. Deck « old »: retired. The teacher misses everything, and counts nowhere.
    The three students are in the teacher's class « 3e B » (id returned); nobody else is.
    """
    a, b, c = (Deck(slug=s, title=s.upper(), content_hash="h") for s in "abc")
    old = Deck(slug="old", title="OLD", content_hash="h", retired_at=NOW)
    qa = [_question(a, f"a{i:02d}", i) for i in range(12)]
    qb, qc = _question(b, "b0", 0), _question(c, "c0", 0)
    with sf() as session:
        students = [User(telegram_id=i, display_name=f"É{i}") for i in (1, 2, 3)]
        teacher = User(telegram_id=TEACHER, display_name="Prof")
        console = User(console_name="lea", display_name="Léa (terminal)")
        session.add_all([a, b, c, old, *qa, qb, qc, *students, teacher, console])
        session.flush()
        when = [NOW, NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=8)]
        for i, question in enumerate(qa):
            for rank, student in enumerate(students):
                _answer(session, student, question, rank >= 1 + i % 3, when[rank])
            _answer(session, teacher, question, False, NOW)
        for student in students[:2]:
            _answer(session, student, qb, False, NOW)
        _answer(session, console, qc, False, NOW)
        school_class = SchoolClass(name="3e B", owner_id=teacher.id)
        session.add(school_class)
        session.flush()
        session.add(ClassTeacher(class_id=school_class.id, user_id=teacher.id, role="owner"))
        session.add_all(ClassMember(class_id=school_class.id, user_id=s.id) for s in students)
        session.commit()
        return school_class.id


def test_overview_per_deck_and_the_ten_hardest(session_factory: sessionmaker[Session]) -> None:
    class_id = _seed(session_factory)
    with session_factory() as session:
        teacher_id = session.query(User.id).filter(User.telegram_id == TEACHER).scalar()

    found = ClassroomService(session_factory).overview(class_id, teacher_id, NOW)

    assert (found.students, found.active_students, found.answers, found.correct) == (3, 2, 26, 4)
    assert found.decks == (
        DeckActivity("a", "A", 2, 24, 4),  # É2 is right on a00, a03, a06, a09
        DeckActivity("b", "B", 2, 2, 0),
        DeckActivity("c", "C", 0, 0, 0),  # the terminal user is not in the class
    )
    assert found.decks[0].accuracy == 4 / 24 and found.decks[2].accuracy is None
    assert (HARDEST_COUNT, HARDEST_MIN_ANSWERS) == (10, 3)
    # All wrong, then 2 of 3, then 1 of 3 (ties in deck order); a06 and a09 are cut off.
    assert [(q.key, q.answers, q.wrong) for q in found.hardest] == [
        ("a02", 3, 3),
        ("a05", 3, 3),
        ("a08", 3, 3),
        ("a11", 3, 3),
        ("a01", 3, 2),
        ("a04", 3, 2),
        ("a07", 3, 2),
        ("a10", 3, 2),
        ("a00", 3, 1),
        ("a03", 3, 1),
    ]
