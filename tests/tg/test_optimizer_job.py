"""The bot's hourly FSRS fit job, run by hand on the real Application (as the daily-prompt
tests run theirs): the student due for a fit gets their parameters, fitted in a child
process, and a student fitted this week is left alone."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import StudentParameters
from bot.domain.fitting import DEFAULT_PARAMETERS
from bot.tg.context import BotApplication
from bot.tg.handlers.optimizer import JOB_NAME, ProcessFitter
from tests.services.test_optimizer import seed_history
from tests.services.test_study import add_user
from tests.support.fsrs_history import synthetic_history


async def test_the_job_fits_the_students_due_in_a_child_process(
    bot: BotApplication, db: sessionmaker[Session]
) -> None:
    student = add_user(db)
    seed_history(db, student, synthetic_history(300))
    assert bot.job_queue is not None
    [job] = bot.job_queue.get_jobs_by_name(JOB_NAME)
    assert isinstance(job.data, ProcessFitter)
    try:
        await job.run(bot)
        with db() as s:
            fit = s.get(StudentParameters, student)
            assert fit is not None and fit.parameters is not None
            assert tuple(fit.parameters) != DEFAULT_PARAMETERS
            first = fit.fitted_at
        assert dt.datetime.now(dt.UTC) - first < dt.timedelta(minutes=5)
        await job.run(bot)  # fitted this week: not again
        with db() as s:
            again = s.get(StudentParameters, student)
            assert again is not None and again.fitted_at == first
    finally:
        job.data.close()
