"""/start: welcome, what the bot does, then three settings (decks, reminder time, time zone).

The onboarding steps are one message edited in place; a setting button pressed during the
onboarding carries the flag ``1`` and moves to the next step instead of the settings menu.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.tg import commands, keyboards, render
from bot.tg.concurrency import run_sync
from bot.tg.context import AwaitedSetting, BotApplication, BotContext, Student
from bot.tg.messaging import answer_query, edit_text, query_message_id, send


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.START.names, start))
    app.add_handler(
        CallbackQueryHandler(decks_chosen, pattern=keyboards.PATTERNS[keyboards.DECKS_DONE])
    )


async def start(update: Update, context: BotContext) -> None:
    """/start: the welcome, then the deck choice (or the reminder time when no deck exists)."""
    student = await context.student(update)
    t = student.texts
    name = update.effective_user.first_name if update.effective_user else ""
    await send(context, student.chat_id, t.welcome.format(name=name))
    choices = await run_sync(context.users.decks, student.id)
    if choices:
        markup = keyboards.decks(t, choices, onboarding=True)
        await send(context, student.chat_id, t.step_decks, markup)
    else:
        await send(context, student.chat_id, t.no_decks)
        await send_reminder_step(context, student, None)


async def decks_chosen(update: Update, context: BotContext) -> None:
    """« Continuer » under the decks: on to the reminder time."""
    student = await context.student(update)
    await answer_query(update)
    await send_reminder_step(context, student, query_message_id(update))


async def send_reminder_step(
    context: BotContext, student: Student, message_id: int | None
) -> None:
    t = student.texts
    markup = keyboards.reminder_times(t, onboarding=True)
    if message_id is None:
        await send(context, student.chat_id, t.step_reminder, markup)
    else:
        await edit_text(context, student.chat_id, message_id, t.step_reminder, markup)
    context.state.awaiting = AwaitedSetting("time", onboarding=True)  # or typed plainly


async def send_zone_step(context: BotContext, student: Student, message_id: int | None) -> None:
    t = student.texts
    markup = keyboards.zones(t, onboarding=True)
    if message_id is None:
        await send(context, student.chat_id, t.step_timezone, markup)
    else:
        await edit_text(context, student.chat_id, message_id, t.step_timezone, markup)
    context.state.awaiting = AwaitedSetting("zone", onboarding=True)  # or typed plainly


async def finish(context: BotContext, student: Student, message_id: int | None) -> None:
    """The last step: what was chosen, and a button to start studying."""
    t, user = student.texts, student.user
    text = t.onboarding_done.format(
        reminder=render.reminder_label(t, user.reminder_time, user.reminders_paused),
        timezone=user.timezone,
    )
    if message_id is None:
        await send(context, student.chat_id, text, keyboards.start_quiz(t))
    else:
        await edit_text(context, student.chat_id, message_id, text, keyboards.start_quiz(t))
