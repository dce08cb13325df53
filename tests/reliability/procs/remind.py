"""``python -m tests.reliability.procs.remind DATABASE_URL API_URL TOKEN NOW``: one run of the
daily-prompt job (:func:`bot.services.dispatch.dispatch_once`) as the bot runs it — PTB's bot
with the bot's rate limiter, :class:`~bot.tg.notifier.TelegramNotifier` — at ``NOW`` (ISO)."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

from telegram.ext import ExtBot

from bot.cli import describe_dispatch
from bot.config import Settings
from bot.db.engine import make_engine, make_session_factory
from bot.services.dispatch import dispatch_once
from bot.services.reminders import ReminderService
from bot.tg.notifier import TelegramNotifier
from bot.tg.ratelimit import RetryingRateLimiter


async def run(url: str, api_url: str, token: str, now: dt.datetime) -> None:
    engine = make_engine(url)
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    service = ReminderService.from_settings(make_session_factory(engine), settings)
    bot: ExtBot[int] = ExtBot(token, base_url=api_url, rate_limiter=RetryingRateLimiter())
    async with bot:
        print("SENDING", flush=True)
        report = await dispatch_once(service, TelegramNotifier(bot), now)
    print(f"DONE {describe_dispatch(report)}", flush=True)
    engine.dispose()


if __name__ == "__main__":
    url, api_url, token, when = sys.argv[1:5]
    asyncio.run(run(url, api_url, token, dt.datetime.fromisoformat(when)))
