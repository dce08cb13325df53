"""The per-student FSRS fit, as a background job of the bot (issue 16).

Every hour the job fits the students due for it (enough answers, not fitted for a week), one
service call per student, so the answers of everybody else interleave with the fits in the
service threads instead of waiting for a whole batch.
"""

from __future__ import annotations

import logging

from bot.services.clock import utcnow
from bot.services.optimizer import FitStatus
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext

log = logging.getLogger(__name__)

JOB_NAME = "fsrs-fit"


def register(app: BotApplication) -> None:
    tuning = app.bot_data.tuning
    if tuning.optimizer_first is None:
        return
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is required"
    app.job_queue.run_repeating(
        fit_students,
        interval=tuning.optimizer_interval,
        first=tuning.optimizer_first,
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": 600, "coalesce": True, "max_instances": 1},
    )


async def fit_students(context: BotContext) -> None:
    """Fit the students due for it, one at a time, off the answer path."""
    optimizer = context.optimizer
    now = utcnow()
    due = await run_sync(optimizer.due_students, now)
    kept = 0
    for user_id in due:
        outcome = await run_sync(optimizer.fit_student, user_id, now)
        kept += outcome.status is FitStatus.FITTED
    if due:
        log.info("fsrs fit: %d student(s), %d with their own parameters", len(due), kept)
