"""« J'avais raison » (issue 16, item 7): a typed answer graded wrong is marked right,
rescheduled as if graded right, logged for the teacher; on both engines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.db.models import (
    AnswerOverride,
    Card,
    ClassMember,
    ClassTeacher,
    Review,
    SchoolClass,
    StudySession,
    User,
)
from bot.services.classroom import ClassroomService
from bot.services.study import OVERRIDE_WINDOW, StudyService
from bot.services.views import OverrideStatus
from tests.services.answering import answer, answer_choice
from tests.services.test_study import NOW, SessionFactory, add_deck, add_user

MINUTE = dt.timedelta(minutes=1)


def test_an_override_reschedules_as_if_right_and_is_logged(
    session_factory: SessionFactory,
) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    twin = add_user(session_factory)
    user = add_user(session_factory)
    add_deck(session_factory, "d", [("q", 0)])  # answer « 2006 »
    # The same answer graded right, for the schedule it should have had.
    shown = study.next_question(twin, NOW)
    assert shown is not None
    answer(study, twin, shown.token, "2006", NOW, idempotency_key="twin")
    shown = study.next_question(user, NOW)
    assert shown is not None
    step = study.answer_open_and_next(user, "MMVI", NOW, token=shown.token,
                                      idempotency_key="k")  # fmt: skip
    assert step.outcome.can_override and step.outcome.showing_token == shown.token

    outcome = study.override(user, NOW + MINUTE, token=shown.token)
    assert outcome.status is OverrideStatus.DONE and outcome.given_answer == "MMVI"
    with session_factory() as s:
        cards = {c.user_id: c for c in s.scalars(select(Card))}
        assert (cards[user].due, cards[user].state, cards[user].reps) == (
            cards[twin].due,
            cards[twin].state,
            cards[twin].reps,
        )
        review = s.scalars(select(Review).where(Review.user_id == user)).one()
        assert (review.correct, review.verdict, review.rating) == (True, "wrong", 3)
        logged = s.scalars(select(AnswerOverride)).one()
        assert (logged.given_answer, logged.verdict, logged.user_id) == (
            "MMVI",
            "wrong",
            user,
        )
        run = s.scalars(select(StudySession).where(StudySession.user_id == user)).one()
        assert (run.answered, run.correct) == (1, 1)
    again = study.override(user, NOW + 2 * MINUTE, token=shown.token)
    assert again.status is OverrideStatus.ALREADY

    with session_factory() as s:
        teacher = User(telegram_id=999, display_name="Prof")
        s.add(teacher)
        s.flush()
        school_class = SchoolClass(name="3e B", owner_id=teacher.id)
        s.add(school_class)
        s.flush()
        s.add(ClassTeacher(class_id=school_class.id, user_id=teacher.id, role="owner"))
        s.add(ClassMember(class_id=school_class.id, user_id=user))
        s.commit()
        class_id, teacher_id = school_class.id, teacher.id
    overview = ClassroomService(session_factory).overview(class_id, teacher_id, NOW + MINUTE)
    (top,) = overview.overridden
    assert (top.question_key, top.overrides, top.examples) == ("q", 1, ("MMVI",))


def test_what_cannot_be_overruled(session_factory: SessionFactory) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    user = add_user(session_factory)
    assert study.override(user, NOW).status is OverrideStatus.NOTHING  # no answer yet
    add_deck(session_factory, "c", [("c", 0)], kind="choice", answer="A", distractors=["B", "C"])
    shown = study.next_question(user, NOW)
    assert shown is not None
    wrong = shown.choices.index("B")
    answer_choice(study, user, shown.token, wrong, NOW, idempotency_key="k1")
    # A button is the option chosen: nothing to overrule.
    assert study.override(user, NOW).status is OverrideStatus.NOTHING

    add_deck(session_factory, "o", [("o", 0)])
    shown = study.next_question(user, NOW)
    assert shown is not None
    step = study.answer_open_and_next(user, "je ne sais pas", NOW, token=shown.token,
                                      idempotency_key="k2")  # fmt: skip
    assert step.outcome.dont_know and not step.outcome.can_override
    assert study.override(user, NOW).status is OverrideStatus.NOTHING
    late = study.override(user, NOW + OVERRIDE_WINDOW + MINUTE, token=shown.token)
    assert late.status is OverrideStatus.NOTHING
