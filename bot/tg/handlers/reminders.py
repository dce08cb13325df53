"""Daily prompts: /pause, /reprendre, the prompt's « Réviser » / « Plus tard », and the job.

The job runs every minute in every bot process; the reminders service claims each prompt in
the database, so several processes never send the same one twice.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, CommandHandler

from bot.services.clock import utcnow
from bot.services.dispatch import dispatch_once
from bot.services.reminders import SnoozeStatus
from bot.tg import commands, keyboards, render
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext
from bot.tg.messaging import answer_query, edit_text, query_message_id, send
from bot.tg.notifier import TelegramNotifier

log = logging.getLogger(__name__)

JOB_NAME = "daily-prompts"


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.PAUSE.names, pause))
    app.add_handler(CommandHandler(commands.RESUME.names, resume))
    app.add_handler(CallbackQueryHandler(later, pattern=keyboards.PATTERNS[keyboards.LATER]))
    app.add_handler(ChatMemberHandler(membership, ChatMemberHandler.MY_CHAT_MEMBER))
    tuning = app.bot_data.tuning
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is required"
    app.job_queue.run_repeating(
        daily_prompts,
        interval=tuning.reminder_interval,
        first=tuning.reminder_first,
        name=JOB_NAME,
        # A run missed (loop busy, clock jump) is run late once, not once per missed minute.
        job_kwargs={"misfire_grace_time": 30, "coalesce": True, "max_instances": 1},
    )


async def daily_prompts(context: BotContext) -> None:
    """Every minute: send the prompts that are due (claimed in the database)."""
    report = await dispatch_once(context.reminders, TelegramNotifier(context.bot), utcnow())
    if report.claimed or report.resent:
        log.info("daily prompts: %s", report)


async def pause(update: Update, context: BotContext) -> None:
    """/pause: no daily prompt until /reprendre."""
    student = await context.student(update)
    await run_sync(context.users.pause_reminders, student.id)
    await send(context, student.chat_id, student.texts.paused)


async def resume(update: Update, context: BotContext) -> None:
    """/reprendre: daily prompts back on, and when the next one comes."""
    student = await context.student(update)
    now = utcnow()
    user = await run_sync(context.users.resume_reminders, student.id, now)
    t = student.texts
    if user.next_reminder_at is None:
        text = t.resumed_no_time
    else:
        text = t.resumed.format(when=render.when(t, user.next_reminder_at, user.timezone, now))
    await send(context, student.chat_id, text)


async def later(update: Update, context: BotContext) -> None:
    """« Plus tard » under a prompt: the prompt comes again in an hour."""
    student = await context.student(update)
    now = utcnow()
    outcome = await run_sync(context.reminders.snooze, student.id, now)
    t, zone = student.texts, student.user.timezone
    if outcome.status is SnoozeStatus.NOTHING_TO_SNOOZE or outcome.at is None:
        await answer_query(update, t.snooze_nothing)
        return
    await answer_query(update)
    when = render.when(t, outcome.at, zone, now)
    text = (t.snoozed if outcome.status is SnoozeStatus.SNOOZED else t.snooze_sooner).format(
        when=when
    )
    message_id = query_message_id(update)
    if message_id is None:
        await send(context, student.chat_id, text)
    else:
        await edit_text(context, student.chat_id, message_id, text)


async def membership(update: Update, context: BotContext) -> None:
    """The student blocked the bot: no more prompts (writing again unblocks them)."""
    change = update.my_chat_member
    if change is None or change.new_chat_member.status != ChatMember.BANNED:
        return
    if change.chat.type != change.chat.PRIVATE:
        return
    student = await context.student(update)
    await run_sync(context.users.mark_blocked, student.id, utcnow())
