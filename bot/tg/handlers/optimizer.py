"""The per-student FSRS fit, as a background job of the bot (issue 16).

Every hour the job fits the students due for it (enough answers, not fitted for a week), one
at a time, off the answer path twice over: the optimizer runs in a child process
(:class:`ProcessFitter`), because it holds the GIL for as long as it runs (0.5 s for a student
with 20,000 answers, ``bench/fsrs_fit.py``) and would stall every update in the bot's process;
and the service call waiting for it runs in a thread of its own, not in the service threads
the answers use (one on SQLite). Its two short transactions (read the history, write the fit)
are the only database work.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.domain import fitting
from bot.services.clock import utcnow
from bot.services.optimizer import FitStatus
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext

log = logging.getLogger(__name__)

JOB_NAME = "fsrs-fit"
#: A fit that takes longer than this is abandoned (the student is tried again next run).
FIT_TIMEOUT = 120.0


class ProcessFitter:
    """:func:`bot.domain.fitting.fit_parameters` in one child process, started on first use
    (``spawn``: the child imports only the fitting module, not the bot's threads)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        #: The thread that runs the service call and waits for the child.
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fsrs-fit")

    def __call__(self, history: list[fitting.ReviewEvent]) -> fitting.Fit | None:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        try:
            return self._pool.submit(fitting.fit_parameters, history).result(FIT_TIMEOUT)
        except BrokenProcessPool:
            self._pool = None  # the child died: a new one next time
            raise

    def close(self) -> None:
        self.thread.shutdown(wait=False, cancel_futures=True)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


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
        data=ProcessFitter(),
        job_kwargs={"misfire_grace_time": 600, "coalesce": True, "max_instances": 1},
    )


async def fit_students(context: BotContext) -> None:
    """Fit the students due for it, one at a time, off the answer path."""
    assert context.job is not None and isinstance(context.job.data, ProcessFitter)
    fitter = context.job.data
    optimizer = context.optimizer
    now = utcnow()
    due = await run_sync(optimizer.due_students, now)
    loop = asyncio.get_running_loop()
    kept = 0
    for user_id in due:
        call = functools.partial(optimizer.fit_student, user_id, now, fitter=fitter)
        try:
            outcome = await loop.run_in_executor(fitter.thread, call)
        except Exception:  # one student's failed fit must not stop the others' (retried later)
            log.exception("fsrs fit failed for student %d", user_id)
            continue
        kept += outcome.status is FitStatus.FITTED
    if due:
        log.info("fsrs fit: %d student(s), %d with their own parameters", len(due), kept)
