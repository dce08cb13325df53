"""The one error handler: log first (with the traceback, never the token), then tell the user.

Failures that reach it, and what happens:

* ``Forbidden`` (403): the student blocked the bot; they are marked blocked (no more daily
  prompts until they write again) and nothing is sent.
* ``RetryAfter`` (429) left after the rate limiter's retries, ``NetworkError`` (network, 5xx)
  left after :class:`~bot.tg.ratelimit.RetryingRateLimiter`'s retries: logged as warnings,
  the user gets the generic message if Telegram lets us send it.
* ``BadRequest`` "message is not modified" (a double tap editing a message to the same text):
  harmless, logged at debug level.
* anything else: logged with the traceback; the user gets a short "something went wrong",
  without details.
"""

from __future__ import annotations

import contextlib
import logging
import traceback

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.services.clock import utcnow
from bot.tg.concurrency import run_sync
from bot.tg.context import BotContext
from bot.tg.texts import texts_for

log = logging.getLogger(__name__)


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def describe(error: BaseException, secrets: list[str]) -> str:
    """The error with its traceback, the bot token (in request URLs) replaced by ***."""
    formatted = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return redact(formatted, secrets)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure, mark a blocked student, and tell the user without details."""
    error = context.error
    if error is None:
        return
    secrets = [context.bot.token]
    where = f"update {update.update_id}" if isinstance(update, Update) else "a job or no update"
    if isinstance(error, Forbidden):
        log.info("Forbidden while handling %s: %s", where, redact(error.message, secrets))
        await mark_blocked(update, context)
        return
    if isinstance(error, BadRequest) and "not modified" in error.message:
        log.debug("message not modified (double tap) in %s", where)
        return
    if isinstance(error, RetryAfter | NetworkError):
        log.warning("Telegram unreachable while handling %s: %s", where, describe(error, secrets))
    else:
        log.error("Error while handling %s:\n%s", where, describe(error, secrets))
    await tell_user(update, context)


async def mark_blocked(update: object, context: BotContext) -> None:
    """403 on a reply: the sender blocked the bot; stop their prompts."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    try:
        student = await context.student(update)
        await run_sync(context.users.mark_blocked, student.id, utcnow())
    except Exception:  # the error handler must not raise
        log.exception("could not mark the user of update %s blocked", update.update_id)


async def tell_user(update: object, context: BotContext) -> None:
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    texts = texts_for(user.language_code[:2] if user and user.language_code else None)
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await context.bot.send_message(update.effective_chat.id, texts.error)
    except TelegramError as exc:
        log.warning("could not tell chat %s about the error: %s", update.effective_chat.id, exc)
