"""/stats: the student's progress, as text and a chart (the same figures).

The chart is drawn in a child process (:mod:`bot.render.chart_process`): the bot never loads
matplotlib, and a chart does not hold the bot's GIL. When the child cannot draw it this time
(it died, took too long), the student gets the figures and a short note instead of the chart.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.render import chart_process
from bot.render.stats_text import render_stats
from bot.services.clock import utcnow
from bot.tg import commands
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext
from bot.tg.handlers import quiz
from bot.tg.messaging import send


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.STATS.names, stats))


async def stats(update: Update, context: BotContext) -> None:
    """/stats: figures, then the chart (drawn in the chart process)."""
    student = await context.student(update)
    report = await run_sync(context.stats.student, student.id, utcnow())
    language = student.texts.language
    figures = report.figures
    if figures.answers_30d == 0 and figures.known == 0 and figures.learning == 0:
        await send(context, student.chat_id, student.texts.stats_empty)
    else:
        await send(context, student.chat_id, render_stats(report, language))
        chart = await chart_process.RENDERER.render(figures, language)
        if chart is None:
            await send(context, student.chat_id, student.texts.chart_unavailable)
        else:
            await context.bot.send_photo(student.chat_id, chart)
    await quiz.show_again(context, student)  # below the figures: the question waiting


async def on_shutdown(app: BotApplication) -> None:
    """The application's ``post_shutdown``: stop the chart process."""
    await chart_process.RENDERER.aclose()
