"""The daily prompt through Telegram: the job sends it, « Réviser » starts a session,
« Plus tard » snoozes it, a blocked student is marked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Reminder, User
from bot.services.clock import utcnow
from bot.tg.context import BotApplication
from bot.tg.handlers.reminders import JOB_NAME
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import get_user, has_buttons


async def register(user: FakeUser) -> None:
    user.send_command("/aide")
    await user.wait_for_message("Voici ce que je sais faire")


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
    prompt = await eager.wait_for_message("Tu as 4 questions à revoir")
    later = await busy.wait_for_message("Tu as 4 questions à revoir")

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
    prompts = [m for m in eager.messages() if "à revoir" in m.get("text", "")]
    assert len(prompts) == 1
    with db() as session:
        statuses = sorted(session.scalars(select(Reminder.status)))
    assert statuses == ["sent", "snoozed"]


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
