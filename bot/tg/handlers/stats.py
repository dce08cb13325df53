"""/stats: the student's progress, as text and a chart (the same figures)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.render.stats_text import render_stats
from bot.services.clock import utcnow
from bot.tg import commands
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext
from bot.tg.messaging import send


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.STATS.names, stats))


async def stats(update: Update, context: BotContext) -> None:
    """/stats: figures, then the chart (drawn in a worker thread)."""
    student = await context.student(update)
    report = await run_sync(context.stats.student, student.id, utcnow())
    language = student.texts.language
    figures = report.figures
    if figures.answers_30d == 0 and figures.known == 0 and figures.learning == 0:
        await send(context, student.chat_id, student.texts.stats_empty)
        return
    await send(context, student.chat_id, render_stats(report, language))
    from bot.render.chart import render_chart  # matplotlib: loaded on the first /stats only

    chart = await run_sync(render_chart, figures, language)
    await context.bot.send_photo(student.chat_id, chart)
