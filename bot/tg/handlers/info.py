"""/aide, and the catch-alls tried last: unknown commands and messages the bot cannot use.

A student is never met with silence: anything not handled above gets a short hint.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.tg import commands
from bot.tg.context import BotApplication, BotContext
from bot.tg.handlers import quiz
from bot.tg.messaging import answer_query, send


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.HELP.names, help_command))
    app.add_handler(CallbackQueryHandler(unknown_button))
    # Private chats only: in a group the bot does not comment on every message.
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(private & ~filters.COMMAND, hint))


async def help_command(update: Update, context: BotContext) -> None:
    """/aide: the command list (the menu's very words), teacher commands for teachers (of
    ``TEACHER_IDS``, or owners and co-teachers of a class: read with the student, no second
    query)."""
    student = await context.student(update)
    teacher = context.is_teacher(update) or student.user.teaches_a_class
    text = commands.help_text(student.texts, teacher=teacher)
    await send(context, student.chat_id, text)
    await quiz.show_again(context, student)


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have."""
    student = await context.student(update)
    await send(context, student.chat_id, student.texts.unknown_command)


async def hint(update: Update, context: BotContext) -> None:
    """A sticker, a photo, a voice message…: what the bot expects instead (during a
    question: a tap or a typed answer, and the question again)."""
    student = await context.student(update)
    if not await quiz.show_again(context, student, media=True):
        await send(context, student.chat_id, student.texts.hint)


async def unknown_button(update: Update, context: BotContext) -> None:
    """A button no handler knows (an old version's, or forged): say so, change nothing."""
    student = await context.student(update)
    await answer_query(update, student.texts.unknown_question)
