"""/decks: which question decks the student studies (all of them unless switched off)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.services.views import DeckNotFound
from bot.tg import commands, keyboards
from bot.tg.concurrency import run_sync
from bot.tg.context import BotApplication, BotContext
from bot.tg.messaging import answer_query, edit_markup, query_message_id, send


def register(app: BotApplication) -> None:
    app.add_handler(CommandHandler(commands.DECKS.names, show))
    app.add_handler(CallbackQueryHandler(toggle, pattern=keyboards.PATTERNS[keyboards.DECK]))
    app.add_handler(
        CallbackQueryHandler(turn_page, pattern=keyboards.PATTERNS[keyboards.DECK_PAGE])
    )


async def show(update: Update, context: BotContext) -> None:
    """/decks: every deck with a switch."""
    student = await context.student(update)
    t = student.texts
    choices = await run_sync(context.users.decks, student.id)
    if not choices:
        await send(context, student.chat_id, t.no_decks)
        return
    await send(
        context, student.chat_id, t.decks_title, keyboards.decks(t, choices, onboarding=False)
    )


async def toggle(update: Update, context: BotContext) -> None:
    """``dk:<deck key>:<onboarding>[:<page>]``: switch one deck on or off, redraw the
    switches (the same page)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, key, onboarding, *rest = query.data.split(":")
    page = int(rest[0]) if rest else 0
    student = await context.student(update)
    t = student.texts
    choices = await run_sync(context.users.decks, student.id)
    chosen = next((c for c in choices if keyboards.deck_key(c.slug) == key), None)
    if chosen is None:
        await answer_query(update, t.deck_gone)
        return
    try:
        await run_sync(context.users.set_deck_enabled, student.id, chosen.slug, not chosen.enabled)
    except DeckNotFound:
        await answer_query(update, t.deck_gone)
        return
    await answer_query(update)
    choices = await run_sync(context.users.decks, student.id)
    message_id = query_message_id(update)
    if message_id is not None:
        markup = keyboards.decks(t, choices, onboarding=onboarding == "1", page=page)
        await edit_markup(context, student.chat_id, message_id, markup)


async def turn_page(update: Update, context: BotContext) -> None:
    """``dkp:<page>:<onboarding>``: show another page of the deck switches."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, page, onboarding = query.data.split(":")
    student = await context.student(update)
    choices = await run_sync(context.users.decks, student.id)
    await answer_query(update)
    message_id = query_message_id(update)
    if message_id is not None:
        markup = keyboards.decks(
            student.texts, choices, onboarding=onboarding == "1", page=int(page)
        )
        await edit_markup(context, student.chat_id, message_id, markup)
