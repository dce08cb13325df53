"""Study sessions: /quiz, answer buttons, typed answers, « Stop », /annuler.

An answer carries the question's token (in the button; a typed answer goes to the student's
open question as the database has it) and an idempotency key taken from Telegram
(``tg:cq:<callback query id>`` for a button, ``tg:m:<chat>:<message>`` for a typed message): a
re-delivered update is counted once, a second tap on the same button is ``stale``.

A self-rated card shows « 👀 Voir la réponse » (``rv:<token>``): the press edits the card into
its answer, with three buttons, « Je savais », « En partie », « Je ne savais pas »
(``sr:<token>:<k|p|n>``), and records nothing. A text typed to such a card is the student's
attempt: the answer comes as a new message with « Ta réponse : … » and the same buttons (the
service keeps the attempt on the showing, so a restart in between loses nothing). The press
records the student's verdict (with the attempt) and goes on as for any answer below; a press
for a card no longer shown is ``stale`` and changes nothing.

One service call records the answer (committed first) and shows the next question; one
message shows the verdict above that next question (or above the run's summary when nothing
is left). For a button, that message *replaces* the answered question, buttons included, so
the chat holds one live question; a typed answer gets it as a new message, below the
student's own. An answer thus costs the Bot API calls of an echo: ``answerCallbackQuery`` and
``editMessageText`` for a button, ``sendMessage`` for a typed one.
"""

from __future__ import annotations

import datetime as dt

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.services.clock import elapsed_ms, utcnow
from bot.services.views import (
    AnswerOutcome,
    AnswerStatus,
    AnswerStep,
    OverrideOutcome,
    OverrideStatus,
    ShownQuestion,
    UndoStatus,
)
from bot.tg import commands, keyboards, render
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext, OpenQuestion, Student
from bot.tg.handlers.preferences import parse_time
from bot.tg.messaging import (
    answer_query,
    edit_markup,
    edit_or_send,
    edit_text,
    remove_buttons,
    send,
)
from bot.tg.texts import Texts, all_texts


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.QUIZ.names, quiz))
    app.add_handler(CommandHandler(commands.UNDO.names, undo))
    app.add_handler(CallbackQueryHandler(start_button, pattern=keyboards.PATTERNS[keyboards.QUIZ]))
    app.add_handler(CallbackQueryHandler(choice, pattern=keyboards.PATTERNS[keyboards.ANSWER]))
    app.add_handler(CallbackQueryHandler(stop, pattern=keyboards.PATTERNS[keyboards.STOP]))
    app.add_handler(
        CallbackQueryHandler(reveal_button, pattern=keyboards.PATTERNS[keyboards.REVEAL])
    )
    app.add_handler(CallbackQueryHandler(rate_button, pattern=keyboards.PATTERNS[keyboards.RATE]))
    app.add_handler(CommandHandler(commands.MORE.names, more_new))
    app.add_handler(CommandHandler(commands.OVERRIDE.names, override))
    app.add_handler(
        CallbackQueryHandler(ahead_button, pattern=keyboards.PATTERNS[keyboards.AHEAD])
    )
    app.add_handler(
        CallbackQueryHandler(override_button, pattern=keyboards.PATTERNS[keyboards.OVERRIDE])
    )
    app.add_handler(
        CallbackQueryHandler(more_new_button, pattern=keyboards.PATTERNS[keyboards.MORE_NEW])
    )
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, typed)
    )


async def quiz(update: Update, context: BotContext) -> None:
    """/quiz: the next question (or when there will be one)."""
    student = await context.quiz_student(update)
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
    student = await context.quiz_student(update)
    message = _message(update)
    now = utcnow()
    step = await run_sync(
        context.study.answer_choice_and_next,
        student.id,
        token,
        int(index),
        now,
        idempotency_key=f"tg:cq:{query.id}",
        response_ms=_elapsed_ms(message.date if message else None, now),
    )
    await _after_press(update, context, student, message, step)


async def _after_press(
    update: Update,
    context: BotContext,
    student: Student,
    message: Message | None,
    step: AnswerStep,
) -> None:
    """What follows an answer button or a self-rating button: the toast, then the verdict
    and the next question on the pressed message (or its buttons removed when refused)."""
    outcome = step.outcome
    await answer_query(update, _toast(student, outcome))
    if not outcome.accepted:
        # A stale or unknown question keeps no buttons, unless its message shows the open
        # question by now (a double tap: the first tap edited it into the next question).
        if message is not None and not await _shows_open_question(context, student, message):
            await remove_buttons(context, student.chat_id, message.message_id)
        return
    if step.followed:
        # A re-delivered press (the bot was stopped while handling it): the answer was
        # recorded, but the verdict and the next question may never have reached the
        # student's screen. Show them again on the same message (unchanged if they did).
        current = await run_sync(context.study.current, student.id)
        if current is None or message is None:
            return
        step = AnswerStep(outcome, next=current)
    await _present(context, student, step, message.message_id if message else None)


async def reveal_button(update: Update, context: BotContext) -> None:
    """« 👀 Voir la réponse » under a self-rated card: ``rv:<token>``. Records nothing."""
    query = update.callback_query
    assert query is not None and query.data is not None
    token = query.data.partition(":")[2]
    student = await context.quiz_student(update)
    message = _message(update)
    outcome = await run_sync(context.study.reveal, student.id, token)
    await answer_query(update, _toast(student, outcome))
    if outcome.status is not AnswerStatus.REVEALED or outcome.card is None:
        if message is not None and not await _shows_open_question(context, student, message):
            await remove_buttons(context, student.chat_id, message.message_id)
        return
    await _show_revealed(context, student, outcome, message.message_id if message else None)


async def rate_button(update: Update, context: BotContext) -> None:
    """« Je savais » / « En partie » / « Je ne savais pas »: ``sr:<token>:<k|p|n>``; the
    verdict is recorded (committed first) with the attempt the service kept, if one was
    typed, then the next question replaces the card."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, token, code = query.data.split(":")
    student = await context.quiz_student(update)
    message = _message(update)
    now = utcnow()
    step = await run_sync(
        context.study.rate_self_and_next,
        student.id,
        token,
        keyboards.SELF_RATINGS[code],
        now,
        idempotency_key=f"tg:cq:{query.id}",
        response_ms=_elapsed_ms(message.date if message else None, now),
    )
    await _after_press(update, context, student, message, step)


async def _show_revealed(
    context: BotContext, student: Student, outcome: AnswerOutcome, message_id: int | None
) -> None:
    """The self-rated card with its answer: the card's message edited (« Voir la réponse »)
    or a new message (``message_id`` None: a typed attempt, below the student's own)."""
    assert outcome.card is not None
    t, state = student.texts, context.state
    text = render.revealed_text(t, outcome.card, outcome)
    markup = keyboards.self_rating_keyboard(t, outcome.card.token)
    shown = state.question
    # The card came below a verdict with « J'avais raison »: edited, it keeps that button.
    override = None
    if shown is not None and message_id is not None and shown.message_id == message_id:
        override = shown.override
    if override is not None:
        markup = keyboards.with_override(t, markup, override)
    new_id = await edit_or_send(context, student.chat_id, message_id, text, markup)
    state.question = OpenQuestion(outcome.card.token, new_id, override=override, revealed=True)
    state.question_known = True
    if shown is not None and shown.message_id != new_id:
        await remove_buttons(context, student.chat_id, shown.message_id)  # one live card


def _hint(t: Texts, text: str) -> str:
    """What to do instead; a typed time (the setting's question lost in a restart) is pointed
    to /reglages (« 11h08 », « 7 h », « 19:30 »; a bare number is more likely a late answer)."""
    try:
        when = parse_time(text)
    except ValueError:
        return t.hint
    if not any(mark in text for mark in "hH:"):
        return t.hint
    return t.hint_time.format(time=when.strftime("%H:%M"))


async def typed(update: Update, context: BotContext) -> None:
    """Text outside a command: the answer to the open question, or a hint.

    The open question is read from the database, so an answer typed after a restart, or
    received by another instance, is graded all the same.
    """
    message = update.effective_message
    assert message is not None and message.text is not None
    student = await context.quiz_student(update)
    step = await run_sync(
        context.study.answer_open_and_next,
        student.id,
        message.text,
        utcnow(),
        idempotency_key=f"tg:m:{student.chat_id}:{message.message_id}",
        sent_at=message.date,
    )
    status, t = step.outcome.status, student.texts
    if status is AnswerStatus.NO_QUESTION:
        await send(context, student.chat_id, _hint(t, message.text))
    elif status is AnswerStatus.NEEDS_CHOICE:
        await send(context, student.chat_id, t.pick_answer)
    elif status is AnswerStatus.REVEALED:  # an attempt at a self-rated card: rate it now
        await _show_revealed(context, student, step.outcome, None)
    elif not step.outcome.accepted:
        context.state.question = None
        stale = status is AnswerStatus.STALE
        await send(context, student.chat_id, t.stale_question if stale else t.unknown_question)
    elif not step.followed:  # else a re-delivered message, shown and followed the first time
        await _present(context, student, step, None)


async def stop(update: Update, context: BotContext) -> None:
    """« Stop »: close the run and show its summary. An old « Stop » (of a question answered
    since) only loses its button: the session goes on."""
    student = await context.student(update)
    query = update.callback_query
    assert query is not None and query.data is not None
    token = query.data.partition(":")[2]
    message = _message(update)
    if token:
        shown = await run_sync(context.study.current, student.id)
        if shown is None or shown.token != token:
            await answer_query(update, student.texts.old_stop)
            if message is not None and not await _shows_open_question(context, student, message):
                await remove_buttons(context, student.chat_id, message.message_id)
            return
    await answer_query(update)
    summary = await run_sync(context.study.end_session, student.id, utcnow())
    if message is not None:
        body = render.strip_instruction(message.text or "", all_texts())
        text = f"{body}\n\n{student.texts.session_stopped}"
        await edit_text(context, student.chat_id, message.message_id, text)
    context.state.question = None
    text = render.summary_text(student.texts, summary, student.user.timezone, utcnow())
    await send(context, student.chat_id, text, keyboards.after_summary(student.texts, summary))


async def more_new(update: Update, context: BotContext) -> None:
    """/encore (/more): 10 more new questions today, then the next question."""
    student = await context.student(update)
    await _grant_and_go_on(context, student)


async def more_new_button(update: Update, context: BotContext) -> None:
    """« Encore 10 nouvelles » under a summary: the button goes, the questions come."""
    student = await context.student(update)
    await answer_query(update)
    if (message := _message(update)) is not None:
        await remove_buttons(context, student.chat_id, message.message_id)
    await _grant_and_go_on(context, student)


async def override(update: Update, context: BotContext) -> None:
    """/jaiRaison (/jairaison, /right): the last typed answer graded wrong counts as right."""
    student = await context.student(update)
    outcome = await run_sync(context.study.override, student.id, utcnow())
    await send(context, student.chat_id, _override_text(student, outcome))


async def override_button(update: Update, context: BotContext) -> None:
    """« J'avais raison » under a verdict: ``ok:<token>`` of the showing answered."""
    query = update.callback_query
    assert query is not None and query.data is not None
    student = await context.student(update)
    token = query.data.partition(":")[2]
    outcome = await run_sync(context.study.override, student.id, utcnow(), token=token)
    await answer_query(update)
    message = _message(update)
    if message is not None:
        # The button goes; the open question's own buttons stay.
        shown = await run_sync(context.study.current, student.id)
        state = context.state.question
        if shown is not None and state is not None and state.message_id == message.message_id:
            markup = keyboards.question_keyboard(student.texts, shown)
            if state.revealed and state.token == shown.token:  # its answer is on screen
                markup = keyboards.self_rating_keyboard(student.texts, shown.token)
            await edit_markup(context, student.chat_id, message.message_id, markup)
        else:
            await remove_buttons(context, student.chat_id, message.message_id)
    await send(context, student.chat_id, _override_text(student, outcome))


def _override_text(student: Student, outcome: OverrideOutcome) -> str:
    t = student.texts
    if outcome.status is OverrideStatus.DONE:
        return t.override_done.format(given=render.fit(outcome.given_answer or "", 200))
    if outcome.status is OverrideStatus.TOO_LATE:
        return t.override_too_late
    if outcome.status is OverrideStatus.ALREADY:
        return t.override_already
    return t.override_nothing


async def ahead_button(update: Update, context: BotContext) -> None:
    """« Réviser en avance »: studied cards, soonest due first, as practice."""
    student = await context.student(update)
    await answer_query(update)
    if (message := _message(update)) is not None:
        await remove_buttons(context, student.chat_id, message.message_id)
    await send(context, student.chat_id, student.texts.ahead_start)
    await send_next(context, student, ahead=True)


async def _grant_and_go_on(context: BotContext, student: Student) -> None:
    granted = await run_sync(context.study.more_new_cards, student.id, utcnow())
    t = student.texts
    if not granted:
        await send(context, student.chat_id, t.no_more_new)
        return
    await send(context, student.chat_id, t.more_new_granted(granted))
    await send_next(context, student)


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


async def send_next(context: BotContext, student: Student, *, ahead: bool = False) -> None:
    """Send the next question, or close the run with its summary when nothing is left."""
    state = context.state
    if state.question is not None:  # a newer question makes the shown one stale: drop its buttons
        await remove_buttons(context, student.chat_id, state.question.message_id)
        state.question = None
    question = await run_sync(context.study.next_question, student.id, utcnow(), ahead=ahead)
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
        await send(context, student.chat_id, text, keyboards.after_summary(t, summary))
        state.question_known = True
        return
    await _show_question(context, student, question)


async def show_again(context: BotContext, student: Student, *, media: bool = False) -> bool:
    """The open question again (after /aide, /stats, or below what to do instead of a
    sticker, a photo… with ``media``), so the student is never left without it; False when
    none is open. Its older message loses its buttons: the chat holds one live question.

    The database is read only when this process may not know (a restart, another instance):
    a student with no question open costs no query."""
    state = context.state
    if state.question is None and state.question_known:
        return False
    question = await run_sync(context.study.current, student.id)
    state.question_known = True
    if question is None:
        state.question = None
        return False
    t = student.texts
    hint = t.question_again
    if media:  # what is expected instead: a tap, or a typed answer
        hint = t.media_pick if question.choices else t.media_type
        if question.self_rated:
            hint = t.media_reveal
    if (old := state.question) is not None:
        # The question's buttons go; a verdict's « J'avais raison » above it stays.
        if old.override is not None:
            markup = keyboards.with_override(t, None, old.override)
            await edit_markup(context, student.chat_id, old.message_id, markup)
        else:
            await remove_buttons(context, student.chat_id, old.message_id)
        state.question = None
    await _show_question(context, student, question, hint)
    return True


async def _show_question(
    context: BotContext, student: Student, question: ShownQuestion, above: str | None = None
) -> None:
    t = student.texts
    letters = keyboards.uses_letters(question)
    text = render.question_text(t, question, letters=letters)
    sent = await send(
        context,
        student.chat_id,
        text if above is None else f"{above}\n\n{text}",
        keyboards.question_keyboard(t, question),
    )
    context.state.question = OpenQuestion(token=question.token, message_id=sent.message_id)
    context.state.question_known = True


async def _present(
    context: BotContext, student: Student, step: AnswerStep, answered_message: int | None
) -> None:
    """The verdict and what follows in one message: the answered question's message edited
    (a button answer), or a new message (``answered_message`` None: a typed answer)."""
    t, state = student.texts, context.state
    question = step.next
    if question is None:
        assert step.summary is not None  # a counted answer comes with one or the other
        summary = render.summary_text(t, step.summary, student.user.timezone, utcnow())
        text = render.next_step_text(t, step.outcome, summary)
        markup = keyboards.after_summary(t, step.summary)
        if step.outcome.can_override and step.outcome.showing_token is not None:
            markup = keyboards.with_override(t, markup, step.outcome.showing_token)
        shown = state.question
        await edit_or_send(context, student.chat_id, answered_message, text, markup)
        state.question = None
        state.question_known = True
        if answered_message is None and shown is not None:
            await remove_buttons(context, student.chat_id, shown.message_id)  # as below
        return
    letters = keyboards.uses_letters(question)
    text = render.next_step_text(
        t, step.outcome, render.question_text(t, question, letters=letters)
    )
    markup = keyboards.question_keyboard(t, question)
    override = None
    if step.outcome.can_override and step.outcome.showing_token is not None:
        override = step.outcome.showing_token
        markup = keyboards.with_override(t, markup, override)
    shown = state.question
    message_id = await edit_or_send(context, student.chat_id, answered_message, text, markup)
    state.question = OpenQuestion(question.token, message_id, override=override)
    state.question_known = True
    if answered_message is None and shown is not None and shown.message_id != message_id:
        # A typed answer: the next question came as a new message; the answered one's
        # « Stop » goes, so old buttons do not pile up in the chat. After the new message,
        # so that the student's reply does not wait for this request (one more per typed
        # answer: tests/tg/test_answer_cost.py).
        await remove_buttons(context, student.chat_id, shown.message_id)


async def _shows_open_question(context: BotContext, student: Student, message: Message) -> bool:
    """The message shows the student's open question (its buttons must stay)."""
    shown = context.state.question
    if shown is not None:
        return shown.message_id == message.message_id
    # Nothing known in this process (a restart): keep the buttons while a question is open;
    # a press on them is checked by its token anyway.
    return await run_sync(context.study.current, student.id) is not None


def _toast(student: Student, outcome: AnswerOutcome) -> str | None:
    """Nothing for a counted answer (or an answer revealed); why a refused one changed
    nothing."""
    if outcome.accepted or outcome.status is AnswerStatus.REVEALED:
        return None
    t = student.texts
    return t.already_answered if outcome.status is AnswerStatus.STALE else t.unknown_question


def _message(update: Update) -> Message | None:
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        return query.message
    return None


def _elapsed_ms(start: dt.datetime | None, end: dt.datetime) -> int | None:
    return None if start is None else elapsed_ms(start, end)
