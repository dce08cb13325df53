"""Sending and editing that tolerates what users do (double taps, old messages).

Editing a message to its current content, or a message that is gone, is a 400 from Telegram;
here it is expected (a double tap edits twice) and ignored. Every other error propagates to the
error handler.
"""

from __future__ import annotations

import logging

from telegram import ForceReply, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.error import BadRequest

from bot.tg.context import BotContext
from bot.tg.render import fit

log = logging.getLogger(__name__)

_HARMLESS = ("not modified", "message to edit not found", "message can't be edited")


def harmless(exc: BadRequest) -> bool:
    # PTB strips "Bad Request: " and capitalises the rest: "Message to edit not found".
    message = exc.message.lower()
    return any(part in message for part in _HARMLESS)


async def edit_text(
    context: BotContext,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Replace a message's text and buttons (``markup=None`` removes the buttons)."""
    try:
        await context.bot.edit_message_text(
            fit(text), chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as exc:
        if not harmless(exc):
            raise
        log.debug("edit of %s/%s skipped: %s", chat_id, message_id, exc.message)


async def edit_or_send(
    context: BotContext,
    chat_id: int,
    message_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> int:
    """Replace a message's text and buttons, or send a new message when it cannot be edited
    (deleted by the student, too old); the id of the message that shows ``text``."""
    if message_id is not None:
        try:
            await context.bot.edit_message_text(
                fit(text), chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
            return message_id
        except BadRequest as exc:
            if not harmless(exc):
                raise
            if "not modified" in exc.message.lower():
                return message_id
            log.debug("edit of %s/%s impossible, sending: %s", chat_id, message_id, exc.message)
    return (await send(context, chat_id, text, markup)).message_id


async def remove_buttons(context: BotContext, chat_id: int, message_id: int) -> None:
    try:
        await context.bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, reply_markup=None
        )
    except BadRequest as exc:
        if not harmless(exc):
            raise


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | ForceReply | None = None,
    *,
    reply_to: int | None = None,
) -> Message:
    reply = (
        None
        if reply_to is None
        else ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
    )
    return await context.bot.send_message(
        chat_id, fit(text), reply_markup=markup, reply_parameters=reply
    )


async def answer_query(update: Update, text: str | None = None) -> None:
    """Stop the button's spinner (with a short toast when ``text`` is given)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(fit(text, 200) if text else None)
    except BadRequest as exc:  # "query is too old": the student will see the new message
        log.debug("callback answer skipped: %s", exc.message)


async def edit_markup(
    context: BotContext, chat_id: int, message_id: int, markup: InlineKeyboardMarkup
) -> None:
    """Replace a message's buttons only (a deck switched on or off)."""
    try:
        await context.bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as exc:
        if not harmless(exc):
            raise


def query_message_id(update: Update) -> int | None:
    """The id of the message whose button was pressed (None if Telegram did not say)."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        return query.message.message_id
    return None
