"""Teachers (Telegram ids in ``TEACHER_IDS``, or co-teachers of a class): question files sent
to the bot and /recharger. Anyone else sending a file gets a polite refusal. (/classe is in
:mod:`bot.tg.handlers.classes`, texts to turn into drafts in :mod:`bot.tg.handlers.drafts`.)

A file goes through the same checks as ``quizbot import``: all or nothing, and every problem
listed with its file, line and question id. A file whose deck id is one of the teacher's
drafts updates that draft; any other file is written into the questions folder (the file it
replaces kept as ``.bak``, and the teacher told) and imported from there, so the folder and
the database agree at the next start-up or /recharger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import PurePath
from typing import ParamSpec

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.reports import describe_import
from bot.services.clock import utcnow
from bot.services.errors import DeckFormatError
from bot.services.importing import YAML_SUFFIXES, ImportReport
from bot.tg import commands, render
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext, Student
from bot.tg.handlers import drafts as draft_handlers
from bot.tg.messaging import send
from bot.tg.texts import Texts
from bot.tg.texts.classes import class_texts

P = ParamSpec("P")
log = logging.getLogger(__name__)


def register(app: BotApplication) -> None:
    app.add_handler(MessageHandler(filters.Document.ALL, upload))
    app.add_handler(CommandHandler(commands.RELOAD.names, reload))


async def upload(update: Update, context: BotContext) -> None:
    """A document: a teacher's question file is checked and imported; others are refused."""
    message = update.effective_message
    assert message is not None and message.document is not None
    student = await context.student(update)
    teacher = context.is_teacher(update) or student.user.teaches_a_class
    refused = _refusal(context, update, student.texts, message.document.file_size, teacher=teacher)
    if refused is None and not _is_yaml(message.document.file_name):
        refused = student.texts.upload_wrong_type
    if refused is not None:
        await send(context, student.chat_id, refused, reply_to=message.message_id)
        return
    file = await message.document.get_file()
    data = bytes(await file.download_as_bytearray())
    # The size announced may lie.
    refused = _refusal(context, update, student.texts, len(data), teacher=teacher)
    if refused is not None:
        await send(context, student.chat_id, refused, reply_to=message.message_id)
        return
    name = message.document.file_name or "questions.yaml"
    now = utcnow()
    try:
        draft = await run_sync(context.drafts.replace_from_file, student.id, data, name, now)
    except DeckFormatError as exc:
        await _send_problems(context, student, exc)
        return
    if draft is not None:
        await draft_handlers.sent_back(context, student, draft)
        return
    try:
        saved = await run_sync(
            context.drafts.save_upload, data, name, context.settings.questions_dir, now
        )
    except DeckFormatError as exc:
        await _send_problems(context, student, exc)
        return
    except OSError:
        # The questions folder cannot be written (read-only disk): import the file alone.
        log.exception("upload %s: the questions folder is not writable", name)
        upload_ok = student.texts.upload_ok
        await _import(context, student, upload_ok, context.importer.import_bytes, data, name, now)
        return
    await _send_report(context, student, student.texts.upload_ok, saved.report)
    if saved.backup is not None:
        t = class_texts(student.texts.language)
        text = t.upload_replaced.format(path=saved.path.name, backup=saved.backup.name)
        await send(context, student.chat_id, text)


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


def _refusal(
    context: BotContext, update: Update, t: Texts, size: int | None, *, teacher: bool
) -> str | None:
    """Why this file is not taken (not a teacher, too big), or None."""
    if not teacher:
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
    header = t.upload_errors(len(exc.problems))
    for text in render.split([header, *(f"• {problem}" for problem in exc.problems)]):
        await send(context, student.chat_id, text)


async def _send_report(
    context: BotContext, student: Student, template: str, report: ImportReport
) -> None:
    lines = template.format(report=describe_import(report, student.texts.language)).split("\n")
    for text in render.split(lines):
        await send(context, student.chat_id, text)
