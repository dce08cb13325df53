"""Teachers (Telegram ids in ``TEACHER_IDS``): question files sent to the bot, /recharger,
/classe. Anyone else sending a file gets a polite refusal.

A file goes through the same import service as ``quizbot import``: all or nothing, and every
problem listed with its file, line and question id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import ParamSpec

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.content.deckfile import YAML_SUFFIXES, DeckFormatError
from bot.services.classroom import ClassOverview
from bot.services.clock import utcnow
from bot.services.importing import ImportReport
from bot.tg import commands, render
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext, Student
from bot.tg.messaging import send
from bot.tg.texts import Texts

P = ParamSpec("P")


def register(app: BotApplication) -> None:
    app.add_handler(MessageHandler(filters.Document.ALL, upload))
    app.add_handler(CommandHandler(commands.RELOAD.names, reload))
    app.add_handler(CommandHandler(commands.CLASS.names, overview))


async def upload(update: Update, context: BotContext) -> None:
    """A document: a teacher's question file is checked and imported; others are refused."""
    message = update.effective_message
    assert message is not None and message.document is not None
    student = await context.student(update)
    refused = _refusal(context, update, student.texts, message.document.file_size)
    if refused is None and not _is_yaml(message.document.file_name):
        refused = student.texts.upload_wrong_type
    if refused is not None:
        await send(context, student.chat_id, refused, reply_to=message.message_id)
        return
    file = await message.document.get_file()
    data = bytes(await file.download_as_bytearray())
    refused = _refusal(context, update, student.texts, len(data))  # the size announced may lie
    if refused is not None:
        await send(context, student.chat_id, refused, reply_to=message.message_id)
        return
    name = message.document.file_name or "questions.yaml"
    await _import(
        context,
        student,
        student.texts.upload_ok,
        context.importer.import_bytes,
        data,
        name,
        utcnow(),
    )


async def reload(update: Update, context: BotContext) -> None:
    """/recharger: import the questions folder again (teachers only)."""
    student = await context.student(update)
    if not context.is_teacher(update):
        await send(context, student.chat_id, student.texts.teacher_only)
        return
    folder = context.settings.questions_dir
    await _import(
        context,
        student,
        student.texts.reload_ok,
        context.importer.import_paths,
        [folder],
        utcnow(),
    )


async def overview(update: Update, context: BotContext) -> None:
    """/classe: active students, answers this week, the five hardest questions."""
    student = await context.student(update)
    if not context.is_teacher(update):
        await send(context, student.chat_id, student.texts.teacher_only)
        return
    found = await run_sync(
        context.classroom.overview, utcnow(), exclude_telegram_ids=context.settings.teacher_ids
    )
    for text in render.split(overview_lines(student.texts, found)):
        await send(context, student.chat_id, text)


def overview_lines(t: Texts, overview: ClassOverview) -> list[str]:
    accuracy = "—" if overview.accuracy is None else f"{round(overview.accuracy * 100)} %"
    lines = [
        t.class_title.format(
            active=overview.active_students,
            total=overview.students,
            answers=overview.answers,
            accuracy=accuracy,
        ),
        "",
    ]
    if not overview.hardest:
        return [*lines, t.class_no_data]
    lines.append(t.class_hardest)
    for rank, question in enumerate(overview.hardest, start=1):
        prompt = render.fit(render.display_prompt(question.prompt), 120)
        lines.append(
            t.class_hardest_line.format(
                rank=rank,
                prompt=prompt,
                rate=round(question.error_rate * 100),
                answers=question.answers,
            )
        )
    return lines


def _refusal(context: BotContext, update: Update, t: Texts, size: int | None) -> str | None:
    """Why this file is not taken (not a teacher, too big), or None."""
    if not context.is_teacher(update):
        return t.upload_refused
    limit = context.settings.max_upload_bytes
    if size is not None and size > limit:
        return t.upload_too_big.format(size=-(-size // 1024), max=limit // 1024)
    return None


def _is_yaml(file_name: str | None) -> bool:
    return file_name is not None and PurePath(file_name).suffix.lower() in YAML_SUFFIXES


async def _import(
    context: BotContext,
    student: Student,
    template: str,
    run: Callable[P, ImportReport],
    *args: P.args,
    **kwargs: P.kwargs,
) -> None:
    """Run an import in a worker thread; reply with its report or with every problem."""
    try:
        report = await run_sync(run, *args, **kwargs)
    except DeckFormatError as exc:
        await _send_problems(context, student, exc)
        return
    await _send_report(context, student, template, report)


async def _send_problems(context: BotContext, student: Student, exc: DeckFormatError) -> None:
    """Every problem, one per line (split over several messages when there are many)."""
    t = student.texts
    header = t.upload_errors.format(
        count=t.plural(len(exc.problems), t.error_word, t.error_word_plural)
    )
    for text in render.split([header, *(f"• {problem}" for problem in exc.problems)]):
        await send(context, student.chat_id, text)


async def _send_report(
    context: BotContext, student: Student, template: str, report: ImportReport
) -> None:
    lines = template.format(report=report.describe()).split("\n")
    for text in render.split(lines):
        await send(context, student.chat_id, text)
