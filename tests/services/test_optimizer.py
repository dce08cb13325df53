"""Per-student scheduling on both engines: who is fitted and when (explicit ``now``), what is
stored, the scheduler using it, and the workload of each desired retention."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings, load_settings
from bot.db.models import Card, Review, StudentParameters
from bot.db.repositories.parameters import ParametersStore
from bot.domain.fitting import DEFAULT_PARAMETERS, RETENTION_CHOICES, ReviewEvent
from bot.services.optimizer import FitStatus, OptimizerService
from bot.services.study import StudyService
from bot.services.users import UserService
from bot.services.views import InvalidSetting, UserNotFound
from tests.services.answering import answer
from tests.services.test_study import NOW, add_deck, add_review_card, add_user, card_columns
from tests.support.fsrs_history import forgetful_parameters, synthetic_history

SessionFactory = sessionmaker[Session]
WEEK = dt.timedelta(days=7)


def seed_history(sf: SessionFactory, user_id: int, history: list[ReviewEvent]) -> None:
    """The history as real rows: one question and card per synthetic card, one review each."""
    card_ids = sorted({e.card_id for e in history})
    questions = add_deck(sf, f"h{user_id}", [(f"q{c}", c) for c in card_ids])
    with sf() as s:
        cards = {
            c: Card(user_id=user_id, question_id=questions[f"q{c}"], state=2, due=NOW)
            for c in card_ids
        }
        s.add_all(cards.values())
        s.flush()
        s.add_all(
            Review(
                card_id=cards[e.card_id].id,
                user_id=user_id,
                question_id=questions[f"q{e.card_id}"],
                idempotency_key=f"{user_id}-{n}",
                rating=e.rating,
                verdict="correct" if e.rating > 1 else "wrong",
                correct=e.rating > 1,
                given_answer="x",
                reviewed_at=e.reviewed_at,
                prev_state=1,
                prev_due=e.reviewed_at,
                prev_reps=0,
                prev_lapses=0,
            )
            for n, e in enumerate(history)
        )
        s.commit()


@pytest.fixture
def optimizer(session_factory: SessionFactory) -> OptimizerService:
    return OptimizerService(session_factory)


def test_a_student_with_enough_answers_is_fitted_once_a_week(
    optimizer: OptimizerService, session_factory: SessionFactory
) -> None:
    student, newcomer = add_user(session_factory), add_user(session_factory)
    seed_history(session_factory, student, synthetic_history(600))
    seed_history(session_factory, newcomer, synthetic_history(30, card_offset=10_000))

    [outcome] = optimizer.fit_due(NOW)
    assert outcome.user_id == student and outcome.status is FitStatus.FITTED
    assert outcome.reviews == 600 and outcome.training_items >= 64
    assert outcome.log_loss is not None and outcome.default_log_loss is not None
    assert outcome.log_loss < outcome.default_log_loss
    with session_factory() as s:
        stored = ParametersStore(s).get(student)
        assert ParametersStore(s).get(newcomer) is None  # too few answers: not even tried
    assert stored is not None and stored.fitted_at == NOW
    assert stored.parameters is not None and stored.parameters != DEFAULT_PARAMETERS

    assert optimizer.fit_due(NOW + WEEK - dt.timedelta(minutes=1)) == []
    again = optimizer.fit_student(student, NOW + dt.timedelta(days=1))
    assert again.status is FitStatus.TOO_SOON and again.fitted_at == NOW
    [weekly] = optimizer.fit_due(NOW + WEEK)
    assert weekly.user_id == student and weekly.fitted_at == NOW + WEEK
    forced = optimizer.fit_student(student, NOW + WEEK + dt.timedelta(hours=1), force=True)
    assert forced.status is FitStatus.FITTED
    with session_factory() as s:
        assert s.query(StudentParameters).count() == 1


def test_too_few_training_items_are_recorded_and_retried_a_week_later(
    optimizer: OptimizerService, session_factory: SessionFactory
) -> None:
    student = add_user(session_factory)
    # 70 answers on the first days: enough answers to try, too few a day or more apart.
    seed_history(session_factory, student, synthetic_history(70))
    [outcome] = optimizer.fit_due(NOW)
    assert outcome.status is FitStatus.NOT_ENOUGH and outcome.training_items < 64
    with session_factory() as s:
        stored = ParametersStore(s).get(student)
    assert stored is not None and stored.parameters is None
    assert optimizer.fit_due(NOW + dt.timedelta(days=1)) == []
    assert [o.user_id for o in optimizer.fit_due(NOW + WEEK)] == [student]
    with pytest.raises(UserNotFound):
        optimizer.fit_student(999_999, NOW)


def test_the_scheduler_uses_the_students_parameters_and_retention(
    session_factory: SessionFactory,
) -> None:
    study = StudyService(session_factory, enable_fuzzing=False)
    users = UserService(session_factory, _settings())
    plain, own = add_user(session_factory), add_user(session_factory)
    questions = add_deck(session_factory, "d", [("q0", 0), ("q1", 1)])
    cards = {
        plain: add_review_card(session_factory, plain, questions["q0"], NOW),
        own: add_review_card(session_factory, own, questions["q1"], NOW),
    }
    with session_factory() as s:
        s.add(
            StudentParameters(
                user_id=own,
                parameters=list(forgetful_parameters()),
                training_items=100,
                fitted_at=NOW,
            )
        )
        s.commit()
    users.update(own, NOW, desired_retention=0.95)
    with pytest.raises(InvalidSetting):
        users.update(own, NOW, desired_retention=0.5)
    for user in (plain, own):
        shown = study.next_question(user, NOW)
        assert shown is not None
        answer(study, user, shown.token, "2006", NOW, idempotency_key=f"k{user}")
    plain_due = card_columns(session_factory, cards[plain])["due"]
    own_due = card_columns(session_factory, cards[own])["due"]
    assert own_due < plain_due  # forgets sooner and wants to remember more: seen sooner


def test_workload_of_each_retention_with_the_students_decks(
    optimizer: OptimizerService, session_factory: SessionFactory
) -> None:
    student = add_user(session_factory, per_day=10)
    add_deck(session_factory, "big", [(f"q{n}", n) for n in range(200)])
    choices = optimizer.retention_choices(student)
    assert choices.fitted_items is None
    loads = choices.workloads
    assert [w.desired_retention for w in loads] == list(RETENTION_CHOICES)
    assert [w.current for w in loads] == [False, False, True, False]
    per_day = [w.questions_per_day for w in loads]
    assert per_day == sorted(per_day) and per_day[0] < per_day[-1]


def _settings() -> Settings:
    return load_settings(database_url="sqlite://")


def test_quizbot_optimize_reports_each_student_in_french(
    optimizer: OptimizerService, session_factory: SessionFactory
) -> None:
    import io

    from bot.cli import CommandError, optimize_command

    student = add_user(session_factory)
    seed_history(session_factory, student, synthetic_history(600))
    out = io.StringIO()
    assert optimize_command(optimizer, NOW, out=out) == 0
    assert out.getvalue().startswith(f"élève n°{student} : paramètres personnels enregistrés")
    assert "600 réponses" in out.getvalue() and "perte log" in out.getvalue()
    out = io.StringIO()
    optimize_command(optimizer, NOW, out=out)
    assert out.getvalue().startswith("Aucun élève à ajuster")
    out = io.StringIO()
    optimize_command(optimizer, NOW, user=student, out=out)
    assert "moins d'une semaine" in out.getvalue()
    optimize_command(optimizer, NOW, user=student, force=True, out=out)
    assert out.getvalue().splitlines()[-1].endswith(")")
    with pytest.raises(CommandError, match="inconnu"):
        optimize_command(optimizer, NOW, user=999_999)
