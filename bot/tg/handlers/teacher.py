"""Teachers (Telegram ids in ``TEACHER_IDS``): question files sent to the bot, /recharger,
/classe and its CSV export. Anyone else sending a file gets a polite refusal.

A file goes through the same import service as ``quizbot import``: all or nothing, and every
problem listed with its file, line and question id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import ParamSpec

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.reminders import local_date
from bot.reports import describe_import
from bot.services.classroom import HARDEST_MIN_ANSWERS, ClassOverview
from bot.services.clock import utcnow
from bot.services.errors import DeckFormatError
from bot.services.importing import YAML_SUFFIXES, ImportReport
from bot.tg import commands, keyboards, render
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext, Student
from bot.tg.messaging import answer_query, send
from bot.tg.texts import Texts

P = ParamSpec("P")


def register(app: BotApplication) -> None:
    app.add_handler(MessageHandler(filters.Document.ALL, upload))
    app.add_handler(CommandHandler(commands.RELOAD.names, reload))
    app.add_handler(CommandHandler(commands.CLASS.names, overview))
    app.add_handler(
        CallbackQueryHandler(csv_button, pattern=keyboards.PATTERNS[keyboards.CLASS_CSV])
    )


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
    """/classe: this week per deck, the hardest questions, a CSV button; /classe csv: the CSV."""
    student = await context.student(update)
    if not context.is_teacher(update):
        await send(context, student.chat_id, student.texts.teacher_only)
        return
    if context.args and context.args[0].lower() == "csv":
        await send_class_csv(context, student)
        return
    found = await run_sync(
        context.classroom.overview, utcnow(), exclude_telegram_ids=context.settings.teacher_ids
    )
    *first, last = render.split(overview_lines(student.texts, found))
    for text in first:
        await send(context, student.chat_id, text)
    await send(context, student.chat_id, last, keyboards.class_overview(student.texts))


async def csv_button(update: Update, context: BotContext) -> None:
    """« Export CSV » under /classe (checked again: callback data can be forged)."""
    student = await context.student(update)
    if not context.is_teacher(update):
        await answer_query(update, student.texts.teacher_only)
        return
    await answer_query(update)
    await send_class_csv(context, student)


async def send_class_csv(context: BotContext, student: Student) -> None:
    """The class as ``classe-AAAA-MM-JJ.csv`` (the teacher's local date): one row per
    student × deck, as ``quizbot export --csv`` writes it."""
    now = utcnow()
    text = await run_sync(
        context.exports.class_csv, now, exclude_telegram_ids=context.settings.teacher_ids
    )
    day = local_date(now, student.user.timezone)
    await context.bot.send_document(
        student.chat_id,
        # With a BOM, spreadsheet programs read the accents as UTF-8.
        text.encode("utf-8-sig"),
        filename=f"classe-{day.isoformat()}.csv",
        caption=student.texts.class_csv_caption.format(date=day.strftime("%d/%m/%Y")),
    )


def overview_lines(t: Texts, overview: ClassOverview) -> list[str]:
    lines = [
        t.class_title.format(
            active=overview.active_students,
            total=overview.students,
            answers=overview.answers,
            accuracy=_percent(overview.accuracy),
        ),
        "",
    ]
    if overview.decks:
        lines.append(t.class_decks)
        for deck in overview.decks:
            title = render.fit(deck.deck_title, 80)
            if not deck.answers:
                lines.append(t.class_deck_idle.format(deck=title))
                continue
            lines.append(
                t.class_deck_line.format(
                    deck=title,
                    active=deck.active_students,
                    answers=deck.answers,
                    accuracy=_percent(deck.accuracy),
                )
            )
        lines.append("")
    lines += _overridden_lines(t, overview)
    if not overview.hardest:
        return [*lines, t.class_no_data]
    lines.append(t.class_hardest.format(min=HARDEST_MIN_ANSWERS))
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


def _overridden_lines(t: Texts, overview: ClassOverview) -> list[str]:
    """The questions students overruled most (« J'avais raison »): fix their answers."""
    if not overview.overridden:
        return []
    lines = [
        t.class_overridden_line.format(
            prompt=render.fit(render.display_prompt(question.prompt), 100),
            answer=render.fit(question.answer, 60),
            count=question.overrides,
            examples=", ".join(f"« {render.fit(e, 40)} »" for e in question.examples),
        )
        for question in overview.overridden
    ]
    return [t.class_overridden, *lines, ""]


def _percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{round(ratio * 100)} %"


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
    lines = template.format(report=describe_import(report)).split("\n")
    for text in render.split(lines):
        await send(context, student.chat_id, text)
