"""« Send a text, review the draft, publish »: a teacher sends a ``.txt``/``.md`` document or
``/generer <texte>``; the generator runs in the worker process (:mod:`bot.workers.generation`,
one job at a time, the queue position shown) while one message shows the progress; that
message then becomes the first item of the review.

The review shows one item at a time, best first, with ✅ Garder · ✏️ Corriger · 🗑 Supprimer
· ⏭ Plus tard and « Tout garder à partir d'ici »; every press edits the same message into the
next item (one tap per kept item). « Corriger » asks for a typed reply (a forced reply whose
text names the draft and the item, so it still works after a restart), checked as a file is.
Every decision is stored at once (:class:`~bot.services.drafts.DraftService`): the review
survives restarts and is resumed with /brouillons. At the end, a summary and « Publier pour
<classe> »; the draft can be downloaded as YAML at any time, edited and sent back.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import PurePath

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.deck import QuestionKind
from bot.services.clock import utcnow
from bot.services.drafts import (
    MIN_WORDS,
    DraftAction,
    DraftItemView,
    DraftView,
    Field,
    NothingToPublish,
    TextTooShort,
)
from bot.services.errors import DeckFormatError
from bot.services.views import DraftNotFound, NotTeacherOfClass
from bot.tg import commands, render
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext, Student
from bot.tg.handlers.classes import ct, is_teacher
from bot.tg.messaging import answer_query, edit_or_send, query_message_id, send
from bot.tg.render import fit_label
from bot.tg.texts.classes import ClassTexts, class_texts
from bot.workers.generation import GenerationJob, GenerationResult, GenerationWorker

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md")
# Callback data: dr:<k keep|d delete|l later|a keep the rest|c correct|p fix prompt|
# r fix answer|b back>:<draft>:<item>; dp:<draft>:<class id, 0 = everybody>; dy:<draft>
# (download); dv:<draft> (resume).
REVIEW, PUBLISH, DOWNLOAD, RESUME = "dr", "dp", "dy", "dv"
PATTERNS = {
    REVIEW: r"^dr:[kdlacprb]:\d{1,10}:\d{1,10}$",
    PUBLISH: r"^dp:\d{1,10}:\d{1,10}$",
    DOWNLOAD: r"^dy:\d{1,10}$",
    RESUME: r"^dv:\d{1,10}$",
}
#: The forced-reply prompt of a correction names its draft, item and field.
CORRECTION = re.compile(r"brouillon n°(\d+), élément (\d+), (question|réponse)\)")


def register(app: BotApplication) -> None:
    text_file = filters.Document.FileExtension("txt") | filters.Document.FileExtension("md")
    app.add_handler(MessageHandler(text_file, text_document))
    app.add_handler(CommandHandler(commands.GENERATE.names, generate_command))
    app.add_handler(CommandHandler(commands.DRAFTS.names, list_drafts))
    app.add_handler(CallbackQueryHandler(review_button, pattern=PATTERNS[REVIEW]))
    app.add_handler(CallbackQueryHandler(publish_button, pattern=PATTERNS[PUBLISH]))
    app.add_handler(CallbackQueryHandler(download_button, pattern=PATTERNS[DOWNLOAD]))
    app.add_handler(CallbackQueryHandler(resume_button, pattern=PATTERNS[RESUME]))
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & _CorrectionReply(), correction_reply)
    )


class _CorrectionReply(filters.MessageFilter):
    """A reply to one of our « écris la nouvelle question / réponse » prompts."""

    def filter(self, message: Message) -> bool:
        return prompt_of(message) is not None


def prompt_of(message: Message) -> tuple[int, int, Field] | None:
    replied = message.reply_to_message
    if replied is None or replied.text is None or not replied.from_user:
        return None
    if not replied.from_user.is_bot:
        return None
    found = CORRECTION.search(replied.text)
    if found is None:
        return None
    field = Field.PROMPT if found.group(3) == "question" else Field.ANSWER
    return int(found.group(1)), int(found.group(2)), field


# --- the worker ------------------------------------------------------------------------------


def worker(context: BotContext) -> GenerationWorker:
    """This process's generation worker (started on first use)."""
    return worker_of(context.application)  # type: ignore[arg-type]


def worker_of(app: BotApplication) -> GenerationWorker:
    data = app.bot_data
    if data.generation is None:
        settings = data.services.settings
        data.generation = GenerationWorker(
            timeout=settings.generation_timeout, memory_mb=settings.generation_memory_mb
        )
    found: GenerationWorker = data.generation
    return found


async def on_startup(app: BotApplication) -> None:
    """Drafts cut by a stop are failed (their teachers told); queued ones go to the worker
    again; the model is loaded now with ``GENERATION_PREWARM``."""
    services = app.bot_data.services
    now = utcnow()
    for draft in await run_sync(services.drafts.interrupted, now):
        if draft.chat_id is not None:
            t = class_texts("fr")
            text = t.draft_failed.format(title=draft.title, reason=_reason(t, "interrupted"))
            try:
                await app.bot.send_message(draft.chat_id, render.fit(text))
            except TelegramError:  # a teacher who blocked the bot
                log.warning("draft %s: the teacher could not be told", draft.id)
    for draft in await run_sync(services.drafts.waiting):
        await _submit(app, draft, class_texts("fr"))
    if services.settings.generation_prewarm:
        await worker_of(app).prewarm()


async def on_shutdown(app: BotApplication) -> None:
    if app.bot_data.generation is not None:
        await worker_of(app).stop()


# --- receiving a text ------------------------------------------------------------------------


async def text_document(update: Update, context: BotContext) -> None:
    """A .txt or .md document: a teacher's text becomes a draft; others are refused."""
    message = update.effective_message
    assert message is not None and message.document is not None
    student = await context.student(update)
    t = student.texts
    if not await is_teacher(update, context, student):
        await send(context, student.chat_id, t.upload_refused, reply_to=message.message_id)
        return
    limit = context.settings.max_upload_bytes
    size = message.document.file_size
    if size is not None and size > limit:
        text = t.upload_too_big.format(size=-(-size // 1024), max=limit // 1024)
        await send(context, student.chat_id, text, reply_to=message.message_id)
        return
    file = await message.document.get_file()
    data = bytes(await file.download_as_bytearray())
    if len(data) > limit:
        text = t.upload_too_big.format(size=-(-len(data) // 1024), max=limit // 1024)
        await send(context, student.chat_id, text, reply_to=message.message_id)
        return
    try:
        body = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        await send(context, student.chat_id, ct(student).text_unreadable)
        return
    if "\x00" in body:
        await send(context, student.chat_id, ct(student).text_unreadable)
        return
    name = message.document.file_name or "texte.txt"
    if PurePath(name).suffix.lower() not in TEXT_SUFFIXES:
        await send(context, student.chat_id, ct(student).text_wrong_type)
        return
    await new_draft(context, student, body, name)


async def generate_command(update: Update, context: BotContext) -> None:
    """/generer <texte>: the text after the command (line breaks kept) becomes a draft."""
    message = update.effective_message
    student = await context.student(update)
    if not await is_teacher(update, context, student):
        await send(context, student.chat_id, student.texts.teacher_only)
        return
    raw = (message.text or "") if message is not None else ""
    parts = raw.split(maxsplit=1)
    body = parts[1] if len(parts) > 1 else ""
    if not body.strip():
        await send(context, student.chat_id, ct(student).generate_usage)
        return
    await new_draft(context, student, body, None)


async def new_draft(
    context: BotContext, student: Student, body: str, file_name: str | None
) -> None:
    t = ct(student)
    taught = await run_sync(context.classes.classes_taught, student.id)
    class_id = taught[0].id if len(taught) == 1 else None
    try:
        draft = await run_sync(
            context.drafts.create,
            student.id,
            body,
            utcnow(),
            class_id=class_id,
            file_name=file_name,
            chat_id=student.chat_id,
        )
    except TextTooShort as exc:
        await send(context, student.chat_id, t.text_too_short(exc.words, min=MIN_WORDS))
        return
    await _submit(context.application, draft, t)  # type: ignore[arg-type]


async def _submit(app: BotApplication, draft: DraftView, t: ClassTexts) -> None:
    """Queue the draft in the worker; one message shows its place, then its progress."""
    services = app.bot_data.services
    gen = worker_of(app)
    text = await run_sync(services.drafts.source_text, draft.id)
    chat_id = draft.chat_id
    state = {"percent": -1}

    async def show(message: str, markup: InlineKeyboardMarkup | None) -> None:
        await show_progress(app, draft, message, markup)

    async def on_progress(done: int, total: int) -> None:
        percent = min(99, 100 * done // max(1, total))
        if percent - state["percent"] < 10:
            return
        state["percent"] = percent
        await show(t.generating_progress.format(title=draft.title, percent=percent), None)

    async def on_done(result: GenerationResult) -> None:
        await finish(app, draft, result, t, show)

    async def on_start() -> bool:
        started = await run_sync(services.drafts.start, draft.id, utcnow())
        if started and ahead:
            await show(t.generating.format(title=draft.title), None)
        return started

    # The message first, so that progress always has a message to edit.
    ahead = gen.ahead()
    if chat_id is not None:
        first = (
            t.generating.format(title=draft.title)
            if ahead == 0
            else t.queued(ahead, words=len(text.split()))
        )
        message = await app.bot.send_message(chat_id, render.fit(first))
        await run_sync(services.drafts.set_message, draft.id, message.message_id)
    gen.submit(
        GenerationJob(
            key=draft.id,
            text=text,
            deck_id=draft.slug,
            title=draft.title,
            on_done=on_done,
            on_progress=on_progress,
            on_start=on_start,
        )
    )


async def show_progress(
    app: BotApplication, draft: DraftView, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Edit the draft's one message (send a new one when it cannot be edited)."""
    if draft.chat_id is None:
        return
    services = app.bot_data.services
    current = await run_sync(services.drafts.get, draft.id, draft.teacher_id)
    if current.message_id is not None:
        try:
            await app.bot.edit_message_text(
                render.fit(text),
                chat_id=draft.chat_id,
                message_id=current.message_id,
                reply_markup=markup,
            )
            return
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return
    sent = await app.bot.send_message(draft.chat_id, render.fit(text), reply_markup=markup)
    await run_sync(services.drafts.set_message, draft.id, sent.message_id)


Show = Callable[[str, InlineKeyboardMarkup | None], Awaitable[None]]


async def finish(
    app: BotApplication, draft: DraftView, result: GenerationResult, t: ClassTexts, show: Show
) -> None:
    """The worker's answer: the draft filled (its first item shown) or failed."""
    services = app.bot_data.services
    now = utcnow()
    if result.deck is None:
        await run_sync(services.drafts.fail, draft.id, result.error or "failed", now)
        await show(t.draft_failed.format(title=draft.title, reason=_reason(t, result.error)), None)
        return
    filled = await run_sync(services.drafts.fill, draft.id, result.deck, now)
    log.info(
        "draft %s generated: %d item(s) in %.1f s (%s worker)",
        draft.id,
        filled.total,
        result.seconds,
        "cold" if result.cold else "warm",
    )
    if filled.status != "review":
        await show(t.draft_empty.format(title=draft.title), None)
        return
    item = await run_sync(services.drafts.current, draft.id, draft.teacher_id)
    text, markup = review_screen(t, filled, item)
    await show(text, markup)


def _reason(t: ClassTexts, error: str | None) -> str:
    return t.failure_reasons.get(error or "", t.failure_reasons[""])


# --- the review screen -----------------------------------------------------------------------


def _button(label: str, callback: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(fit_label(label), callback_data=callback)


def item_text(t: ClassTexts, draft: DraftView, item: DraftItemView) -> str:
    q = item.question
    lines = [
        t.draft_header.format(
            title=render.fit(draft.title, 80), number=item.number, total=draft.total
        ),
        "",
        t.item_prompt.format(prompt=q.prompt),  # a cloze keeps its {{gap}}: the answer shows
    ]
    if q.kind.self_graded:  # shown to the student, never compared: say so
        lines += [t.item_self_rated, t.item_revealed.format(answer=render.fit(q.answer, 700))]
    else:
        lines.append(t.item_answer.format(answer=q.answer))
    if q.kind is QuestionKind.CHOICE:
        lines.append(t.item_choices.format(choices=" · ".join([q.answer, *q.distractors])))
    if q.source:
        lines.append(t.item_source.format(source=render.fit(q.source, 600)))
    if q.confidence is not None:
        lines.append(t.item_confidence.format(percent=round(q.confidence * 100)))
    return "\n".join(lines)


def item_keyboard(t: ClassTexts, item: DraftItemView) -> InlineKeyboardMarkup:
    d, i = item.draft_id, item.id
    return InlineKeyboardMarkup(
        [
            [_button(t.btn_keep, f"dr:k:{d}:{i}"), _button(t.btn_correct, f"dr:c:{d}:{i}")],
            [_button(t.btn_delete, f"dr:d:{d}:{i}"), _button(t.btn_later, f"dr:l:{d}:{i}")],
            [_button(t.btn_keep_rest, f"dr:a:{d}:{i}")],
        ]
    )


def summary_screen(
    t: ClassTexts, draft: DraftView, classes: list[tuple[int, str]]
) -> tuple[str, InlineKeyboardMarkup]:
    text = t.summary.format(
        title=draft.title,
        kept=t.summary_kept(draft.kept),
        corrected=t.summary_corrected(draft.corrected),
        deleted=t.summary_deleted(draft.deleted),
    )
    rows = []
    if draft.class_id is not None and draft.class_name is not None:
        rows.append(
            [
                _button(
                    t.btn_publish_for.format(name=draft.class_name),
                    f"dp:{draft.id}:{draft.class_id}",
                )
            ]
        )
    else:
        rows += [
            [_button(t.btn_publish_for.format(name=name), f"dp:{draft.id}:{cid}")]
            for cid, name in classes[:8]
        ]
        rows.append([_button(t.btn_publish_all, f"dp:{draft.id}:0")])
    rows.append([_button(t.btn_download, f"dy:{draft.id}")])
    return text, InlineKeyboardMarkup(rows)


def review_screen(
    t: ClassTexts,
    draft: DraftView,
    item: DraftItemView | None,
    classes: list[tuple[int, str]] | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    if item is None:
        return summary_screen(t, draft, classes or [])
    return item_text(t, draft, item), item_keyboard(t, item)


async def show_review(
    context: BotContext,
    student: Student,
    draft: DraftView,
    item: DraftItemView | None,
    message_id: int | None,
) -> None:
    t = ct(student)
    classes: list[tuple[int, str]] = []
    if item is None and draft.class_id is None:
        classes = [
            (c.id, c.name) for c in await run_sync(context.classes.classes_taught, student.id)
        ]
    text, markup = review_screen(t, draft, item, classes)
    await edit_or_send(context, student.chat_id, message_id, text, markup)


async def review_button(update: Update, context: BotContext) -> None:
    student = await context.student(update)
    t = ct(student)
    data = update.callback_query.data if update.callback_query else None
    _, action, raw_draft, raw_item = (data or "dr:b:0:0").split(":")
    draft_id, item_id = int(raw_draft), int(raw_item)
    message_id = query_message_id(update)
    now = utcnow()
    drafts = context.drafts
    try:
        if action in ("k", "d", "l"):
            chosen = {"k": DraftAction.KEEP, "d": DraftAction.DELETE, "l": DraftAction.LATER}
            step = await run_sync(
                drafts.decide, draft_id, item_id, student.id, chosen[action], now
            )
            await answer_query(update)
            await show_review(context, student, step.draft, step.next, message_id)
        elif action == "a":
            draft = await run_sync(drafts.keep_rest, draft_id, student.id, now)
            await answer_query(update)
            await show_review(context, student, draft, None, message_id)
        elif action == "c":
            await answer_query(update)
            markup = InlineKeyboardMarkup(
                [
                    [
                        _button(t.btn_fix_prompt, f"dr:p:{draft_id}:{item_id}"),
                        _button(t.btn_fix_answer, f"dr:r:{draft_id}:{item_id}"),
                    ],
                    [_button(t.btn_back, f"dr:b:{draft_id}:{item_id}")],
                ]
            )
            draft = await run_sync(drafts.get, draft_id, student.id)
            item = await run_sync(drafts.current, draft_id, student.id)
            body = item_text(t, draft, item) + "\n\n" if item is not None else ""
            await edit_or_send(context, student.chat_id, message_id, body + t.correct_what, markup)
        elif action in ("p", "r"):
            await answer_query(update)
            template = t.correct_prompt if action == "p" else t.correct_answer
            placeholder = "…"
            await send(
                context,
                student.chat_id,
                template.format(draft=draft_id, item=item_id),
                ForceReply(selective=True, input_field_placeholder=placeholder),
            )
        else:  # back
            await answer_query(update)
            draft = await run_sync(drafts.get, draft_id, student.id)
            item = await run_sync(drafts.current, draft_id, student.id)
            await show_review(context, student, draft, item, message_id)
    except DraftNotFound:
        await answer_query(update, t.draft_gone)
    except NothingToPublish:
        await answer_query(update, t.nothing_to_publish)


async def correction_reply(update: Update, context: BotContext) -> None:
    """The typed correction: checked as a file is, then the next item."""
    message = update.effective_message
    assert message is not None and message.text is not None
    found = prompt_of(message)
    student = await context.student(update)
    t = ct(student)
    if found is None:
        return
    draft_id, item_id, field = found
    try:
        step = await run_sync(
            context.drafts.correct, draft_id, item_id, student.id, field, message.text, utcnow()
        )
    except DeckFormatError as exc:
        problems = "\n".join(f"• {p.message}" for p in exc.problems)
        await send(context, student.chat_id, t.correct_refused.format(problems=problems))
        return
    except (DraftNotFound, NothingToPublish):
        await send(context, student.chat_id, t.draft_gone)
        return
    await send(context, student.chat_id, t.correct_done)
    await show_review(context, student, step.draft, step.next, None)


# --- publishing, downloading, resuming -------------------------------------------------------


async def publish_button(update: Update, context: BotContext) -> None:
    student = await context.student(update)
    t = ct(student)
    data = update.callback_query.data if update.callback_query else None
    _, raw_draft, raw_class = (data or "dp:0:0").split(":")
    draft_id, class_id = int(raw_draft), int(raw_class) or None
    try:
        draft = await run_sync(context.drafts.get, draft_id, student.id)
        if draft.class_id != class_id:
            await run_sync(context.drafts.set_class, draft_id, student.id, class_id)
        published = await run_sync(
            context.drafts.publish, draft_id, student.id, context.settings.questions_dir, utcnow()
        )
    except DraftNotFound:
        await answer_query(update, t.draft_gone)
        return
    except NothingToPublish:
        await answer_query(update, t.nothing_to_publish)
        return
    except NotTeacherOfClass:
        await answer_query(update, t.not_your_class)
        return
    except DeckFormatError as exc:
        await answer_query(update)
        problems = "\n".join(f"• {p}" for p in exc.problems)
        await send(context, student.chat_id, t.correct_refused.format(problems=problems))
        return
    except OSError:
        log.exception("draft %s: the published file could not be written", draft_id)
        await answer_query(update, student.texts.error)
        return
    await answer_query(update)
    audience = published.draft.class_name or t.audience_all
    text = t.published(
        published.questions,
        title=published.draft.title,
        audience=audience,
        path=f"{PurePath(published.path).parent.name}/{published.path.name}",
    )
    markup = InlineKeyboardMarkup([[_button(t.btn_download, f"dy:{draft_id}")]])
    await edit_or_send(context, student.chat_id, query_message_id(update), text, markup)


async def download_button(update: Update, context: BotContext) -> None:
    student = await context.student(update)
    t = ct(student)
    data = update.callback_query.data if update.callback_query else None
    draft_id = int((data or "dy:0").split(":")[1])
    try:
        draft = await run_sync(context.drafts.get, draft_id, student.id)
        name, text = await run_sync(context.drafts.yaml, draft_id, student.id)
    except DraftNotFound:
        await answer_query(update, t.draft_gone)
        return
    await answer_query(update)
    await context.bot.send_document(
        student.chat_id,
        text.encode("utf-8"),
        filename=name,
        caption=render.fit(t.yaml_caption.format(title=draft.title), 1000),
    )


async def list_drafts(update: Update, context: BotContext) -> None:
    """/brouillons: the teacher's drafts not yet published, to resume one."""
    student = await context.student(update)
    t = ct(student)
    if not await is_teacher(update, context, student):
        await send(context, student.chat_id, student.texts.teacher_only)
        return
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        await send(context, student.chat_id, t.private_only)
        return
    found = await run_sync(context.drafts.drafts, student.id)
    if not found:
        await send(context, student.chat_id, t.drafts_none)
        return
    rows = [
        [
            _button(
                t.draft_line.format(title=d.title, reviewed=d.reviewed, total=d.total),
                f"dv:{d.id}",
            )
        ]
        for d in found[-20:]
    ]
    await send(context, student.chat_id, t.drafts_title, InlineKeyboardMarkup(rows))


async def resume_button(update: Update, context: BotContext) -> None:
    student = await context.student(update)
    t = ct(student)
    data = update.callback_query.data if update.callback_query else None
    draft_id = int((data or "dv:0").split(":")[1])
    try:
        draft = await run_sync(context.drafts.get, draft_id, student.id)
        item = await run_sync(context.drafts.current, draft_id, student.id)
    except DraftNotFound:
        await answer_query(update, t.draft_gone)
        return
    await answer_query(update)
    if draft.status != "review":
        position = worker(context).position(draft_id)
        text = (  # not in the queue (None): being prepared, as far as the student can tell
            t.queued(position, words="…") if position else t.generating.format(title=draft.title)
        )
        await send(context, student.chat_id, text)
        return
    await show_review(context, student, draft, item, None)


async def sent_back(context: BotContext, student: Student, draft: DraftView) -> None:
    """A draft edited on a computer and sent back: its summary, ready to publish."""
    t = ct(student)
    await send(context, student.chat_id, t.draft_sent_back(draft.total, title=draft.title))
    await show_review(context, student, draft, None, None)
