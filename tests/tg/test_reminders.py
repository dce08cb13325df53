"""The daily prompt through Telegram: the job sends it, « Réviser » starts a session,
« Plus tard » snoozes it, a blocked student is marked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Card, Question, Reminder, User
from bot.services.clock import utcnow
from bot.tg.context import BotApplication
from bot.tg.handlers.reminders import JOB_NAME
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import get_user, has_buttons


async def register(user: FakeUser) -> None:
    user.send_command("/aide")
    await user.wait_for_message("/quiz")  # the help, in the student's language


def make_due(db: sessionmaker[Session], *telegram_ids: int) -> None:
    """Their prompt time was a minute ago; their regular time is twelve hours away, so an hour's
    snooze is always before it, whatever the time of day the test runs at."""
    now = utcnow()
    with db() as session:
        session.execute(
            update(User)
            .where(User.telegram_id.in_(telegram_ids))
            .values(
                next_reminder_at=now - dt.timedelta(minutes=1),
                timezone="UTC",
                reminder_time=(now + dt.timedelta(hours=12))
                .time()
                .replace(second=0, microsecond=0),
            )
        )
        session.commit()


async def run_job(bot: BotApplication) -> None:
    assert bot.job_queue is not None
    (job,) = bot.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(bot)


async def test_job_is_scheduled_every_minute(bot: BotApplication) -> None:
    assert bot.job_queue is not None
    (job,) = bot.job_queue.get_jobs_by_name(JOB_NAME)
    assert job.job.misfire_grace_time == 30 and job.job.coalesce is True


async def test_prompt_review_and_later(
    bot: BotApplication, tg: FakeTelegram, db: sessionmaker[Session]
) -> None:
    eager, busy = tg.user(301, "Inès"), tg.user(302, "Tom")
    await register(eager)
    await register(busy)
    make_due(db, eager.id, busy.id)

    await run_job(bot)
    # Never seen: new questions, not questions « à revoir ».
    prompt = await eager.wait_for_message("4 nouvelles questions t'attendent aujourd'hui")
    later = await busy.wait_for_message("4 nouvelles questions t'attendent aujourd'hui")
    assert "revoir" not in prompt["text"]

    eager.press(prompt, button="📚 Réviser")
    await eager.wait_for_message("principal allié")
    prompt_now = next(m for m in eager.messages() if m["message_id"] == prompt["message_id"])
    assert not has_buttons(prompt_now)

    busy.press(later, button="⏰ Plus tard")
    await tg.wait_for_message(
        busy.chat_id, "je te relance", where=lambda m: m["message_id"] == later["message_id"]
    )
    user = get_user(db, busy.id)
    assert user is not None and user.next_reminder_at is not None
    assert dt.timedelta(minutes=50) < user.next_reminder_at - utcnow() < dt.timedelta(minutes=70)

    await run_job(bot)  # nothing more is due: no second prompt
    prompts = [m for m in eager.messages() if "t'attendent" in m.get("text", "")]
    assert len(prompts) == 1
    with db() as session:
        statuses = sorted(session.scalars(select(Reminder.status)))
    assert statuses == ["sent", "snoozed"]


def seed_reviews(db: sessionmaker[Session], telegram_id: int, count: int) -> None:
    """``count`` questions studied before (answered once), due again by now."""
    with db() as session:
        user = session.scalars(select(User).where(User.telegram_id == telegram_id)).one()
        for question in session.scalars(select(Question).order_by(Question.id).limit(count)):
            session.add(
                Card(
                    user_id=user.id,
                    question_id=question.id,
                    state=2,
                    stability=3.0,
                    difficulty=5.0,
                    due=utcnow() - dt.timedelta(hours=2),
                    last_review=utcnow() - dt.timedelta(days=3),
                    reps=1,
                )
            )
        session.commit()


async def test_the_prompt_tells_reviews_from_new_questions(
    bot: BotApplication, tg: FakeTelegram, db: sessionmaker[Session]
) -> None:
    mixed, one_each, reviews_only = (
        tg.user(311, "Léo"),
        tg.user(312, "Sam", "en"),
        tg.user(313, "Zoé"),
    )
    for user in (mixed, one_each, reviews_only):
        await register(user)
    seed_reviews(db, mixed.id, 1)  # 1 to review, 3 new
    seed_reviews(db, one_each.id, 3)  # 3 to review, 1 new
    seed_reviews(db, reviews_only.id, 4)
    make_due(db, mixed.id, one_each.id, reviews_only.id)

    await run_job(bot)
    prompt = await mixed.wait_for_message("📚")
    assert prompt["text"].startswith("📚 Aujourd'hui : 1 question à revoir et 3 nouvelles.")
    prompt = await one_each.wait_for_message("📚")
    assert prompt["text"].startswith("📚 Today: 3 questions to review and 1 new one.")
    prompt = await reviews_only.wait_for_message("📚")
    assert prompt["text"].startswith("📚 Tu as 4 questions à revoir aujourd'hui.")
    assert [r.new_count for r in sorted(rows(db), key=lambda r: r.user_id)] == [3, 1, 0]


def rows(db: sessionmaker[Session]) -> list[Reminder]:
    with db() as session:
        return list(session.scalars(select(Reminder)))


async def test_prompt_to_a_blocked_student(
    bot: BotApplication, tg: FakeTelegram, db: sessionmaker[Session]
) -> None:
    gone = tg.user(303, "Noé")
    await register(gone)
    make_due(db, gone.id)
    tg.block(gone.chat_id)
    await run_job(bot)
    user = get_user(db, gone.id)
    assert user is not None and user.blocked_at is not None
    with db() as session:
        assert session.scalars(select(Reminder.status)).all() == ["blocked"]
