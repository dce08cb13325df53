"""/oublier: delete everything about the student, after a confirmation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.tg import commands, keyboards
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext
from bot.tg.messaging import answer_query, edit_text, query_message_id, send


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.FORGET.names, ask))
    app.add_handler(CallbackQueryHandler(confirm, pattern=keyboards.PATTERNS[keyboards.FORGET]))


async def ask(update: Update, context: BotContext) -> None:
    """/oublier: are you sure?"""
    student = await context.student(update)
    t = student.texts
    await send(context, student.chat_id, t.forget_confirm, keyboards.forget_confirm(t))


async def confirm(update: Update, context: BotContext) -> None:
    """``fg:yes`` deletes every row of the student; ``fg:no`` keeps them."""
    query = update.callback_query
    assert query is not None and query.data is not None
    student = await context.student(update)
    t = student.texts
    await answer_query(update)
    if query.data.endswith(":yes"):
        await run_sync(context.users.forget, student.id)
        context.state.question = None
        text = t.forget_done
    else:
        text = t.forget_cancelled
    message_id = query_message_id(update)
    if message_id is None:
        await send(context, student.chat_id, text)
    else:
        await edit_text(context, student.chat_id, message_id, text)
