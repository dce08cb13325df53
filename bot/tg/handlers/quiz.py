"""Study sessions: /quiz, answer buttons, typed answers, « Stop », /annuler.

An answer carries the question's token (in the button; for a typed answer, the student's open
question as the database has it: ``StudyService.current``) and an idempotency key taken from
Telegram (``tg:cq:<callback query id>`` for a button, ``tg:m:<chat>:<message>`` for a typed
message): a re-delivered update is counted once, a second tap on the same button is ``stale``.
The answered message is edited to show the verdict and loses its buttons; the next question
follows until nothing is left.
"""

from __future__ import annotations

import datetime as dt

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.services.clock import utcnow
from bot.services.views import AnswerOutcome, AnswerStatus, ShownQuestion, UndoStatus
from bot.tg import commands, keyboards, render
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext, OpenQuestion, Student
from bot.tg.messaging import answer_query, edit_text, remove_buttons, send
from bot.tg.texts import all_texts


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.QUIZ.names, quiz))
    app.add_handler(CommandHandler(commands.UNDO.names, undo))
    app.add_handler(CallbackQueryHandler(start_button, pattern=keyboards.PATTERNS[keyboards.QUIZ]))
    app.add_handler(CallbackQueryHandler(choice, pattern=keyboards.PATTERNS[keyboards.ANSWER]))
    app.add_handler(CallbackQueryHandler(stop, pattern=keyboards.PATTERNS[keyboards.STOP]))
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, typed)
    )


async def quiz(update: Update, context: BotContext) -> None:
    """/quiz: the next question (or when there will be one)."""
    student = await context.student(update)
    await send_next(context, student)


async def start_button(update: Update, context: BotContext) -> None:
    """« C'est parti » / « Réviser »: the button goes, the first question comes."""
    student = await context.student(update)
    await answer_query(update)
    if (message := _message(update)) is not None:
        await remove_buttons(context, student.chat_id, message.message_id)
    await send_next(context, student)


async def choice(update: Update, context: BotContext) -> None:
    """An answer button: ``a:<token>:<index>``."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, token, index = query.data.split(":")
    student = await context.student(update)
    message = _message(update)
    now = utcnow()
    outcome = await run_sync(
        context.study.answer_choice,
        student.id,
        token,
        int(index),
        now,
        idempotency_key=f"tg:cq:{query.id}",
        response_ms=_elapsed_ms(message.date if message else None, now),
    )
    await answer_query(update, _toast(student, outcome))
    if message is not None:
        body = render.strip_instruction(message.text or "", all_texts())
        await _show_verdict(context, student, message.message_id, body, outcome)
    if outcome.accepted:
        await _continue(context, student, token, outcome)


async def typed(update: Update, context: BotContext) -> None:
    """Text outside a command: the answer to the open question, or a hint.

    The open question is read from the database, so an answer typed after a restart, or
    received by another instance, is graded all the same.
    """
    message = update.effective_message
    assert message is not None and message.text is not None
    student = await context.student(update)
    shown = await run_sync(context.study.current, student.id, utcnow())
    if shown is None or shown.choices:
        t = student.texts
        await send(context, student.chat_id, t.hint if shown is None else t.pick_answer)
        return
    screen = _on_screen(context, shown)
    outcome = await run_sync(
        context.study.answer,
        student.id,
        shown.token,
        message.text,
        utcnow(),
        idempotency_key=f"tg:m:{student.chat_id}:{message.message_id}",
        response_ms=_elapsed_ms(screen.sent_at if screen else shown.shown_at, message.date),
    )
    if outcome.status is AnswerStatus.DUPLICATE:
        return  # a re-delivered message: shown and followed the first time
    if not outcome.accepted:
        context.state.question = None
        t = student.texts
        stale = outcome.status is AnswerStatus.STALE
        await send(context, student.chat_id, t.stale_question if stale else t.unknown_question)
        return
    await _typed_verdict(context, student, shown, screen, outcome)
    await _continue(context, student, shown.token, outcome)


async def stop(update: Update, context: BotContext) -> None:
    """« Stop »: close the run and show its summary."""
    student = await context.student(update)
    await answer_query(update)
    summary = await run_sync(context.study.end_session, student.id, utcnow())
    message = _message(update)
    if message is not None:
        body = render.strip_instruction(message.text or "", all_texts())
        text = f"{body}\n\n{student.texts.session_stopped}"
        await edit_text(context, student.chat_id, message.message_id, text)
    context.state.question = None
    text = render.summary_text(student.texts, summary, student.user.timezone, utcnow())
    await send(context, student.chat_id, text)


async def undo(update: Update, context: BotContext) -> None:
    """/annuler: take back the last answer (within 10 minutes)."""
    student = await context.student(update)
    outcome = await run_sync(context.study.undo_last, student.id, utcnow())
    t = student.texts
    if outcome.status is UndoStatus.UNDONE:
        text = t.undo_done.format(prompt=render.fit(outcome.prompt or "", 300))
    elif outcome.status is UndoStatus.TOO_LATE:
        text = t.undo_too_late
    else:
        text = t.undo_nothing
    await send(context, student.chat_id, text)


# --- the flow --------------------------------------------------------------------------------


async def send_next(context: BotContext, student: Student) -> None:
    """Send the next question, or close the run with its summary when nothing is left."""
    state = context.state
    if state.question is not None:  # a newer question makes the shown one stale: drop its buttons
        await remove_buttons(context, student.chat_id, state.question.message_id)
        state.question = None
    question = await run_sync(context.study.next_question, student.id, utcnow())
    t = student.texts
    if question is None:
        now = utcnow()
        summary = await run_sync(context.study.end_session, student.id, now)
        zone = student.user.timezone
        text = (
            render.summary_text(t, summary, zone, now)
            if summary.answered
            else render.nothing_text(t, summary, zone, now)
        )
        await send(context, student.chat_id, text)
        return
    letters = keyboards.uses_letters(question)
    sent = await send(
        context,
        student.chat_id,
        render.question_text(t, question, letters=letters),
        keyboards.question_keyboard(t, question),
    )
    state.question = OpenQuestion(
        token=question.token,
        message_id=sent.message_id,
        body=render.question_body(t, question, letters=letters),
        typed=not question.choices,
        sent_at=sent.date,
    )


def _on_screen(context: BotContext, shown: ShownQuestion) -> OpenQuestion | None:
    """The message this process sent for ``shown``; None when it was sent before a restart
    or by another instance (``user_data`` is a per-process cache)."""
    cached = context.state.question
    return cached if cached is not None and cached.token == shown.token else None


async def _typed_verdict(
    context: BotContext,
    student: Student,
    shown: ShownQuestion,
    screen: OpenQuestion | None,
    outcome: AnswerOutcome,
) -> None:
    """The verdict in the question's message, or in a new one when that message is unknown."""
    if screen is not None:
        await _show_verdict(context, student, screen.message_id, screen.body, outcome)
        return
    t = student.texts
    body = render.question_body(t, shown, letters=keyboards.uses_letters(shown))
    await send(context, student.chat_id, render.answered_text(t, body, outcome))


def _toast(student: Student, outcome: AnswerOutcome) -> str | None:
    """Nothing for a counted answer; why a refused one changed nothing."""
    if outcome.accepted:
        return None
    t = student.texts
    return t.already_answered if outcome.status is AnswerStatus.STALE else t.unknown_question


async def _show_verdict(
    context: BotContext, student: Student, message_id: int, body: str, outcome: AnswerOutcome
) -> None:
    """The question message shows its verdict and loses its buttons (only the latter when
    the answer was refused)."""
    if outcome.accepted:
        text = render.answered_text(student.texts, body, outcome)
        await edit_text(context, student.chat_id, message_id, text)
    else:
        await remove_buttons(context, student.chat_id, message_id)


async def _continue(
    context: BotContext, student: Student, token: str, outcome: AnswerOutcome
) -> None:
    """After an answer: the next question, unless this was a re-delivery already followed."""
    state = context.state
    if outcome.status is AnswerStatus.DUPLICATE and (
        state.question is not None and state.question.token != token
    ):
        return  # the first delivery already sent the next question
    state.question = None
    await send_next(context, student)


def _message(update: Update) -> Message | None:
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        return query.message
    return None


def _elapsed_ms(start: dt.datetime | None, end: dt.datetime) -> int | None:
    if start is None:
        return None
    return max(0, int((end - start).total_seconds() * 1000))
