"""The one error handler: log first (one line for an outage, a traceback for a bug, never the
token), then tell the user.

Failures that reach it, and what happens:

* ``Forbidden`` (403): the student blocked the bot; they are marked blocked (no more daily
  prompts until they write again) and nothing is sent.
* ``BadRequest`` "message is not modified" (a double tap editing a message to the same text):
  harmless, logged at debug level. Any other 400 is a bug of ours: logged with its traceback.
* ``RetryAfter`` (429) left after the rate limiter's retries, ``NetworkError`` (network, 5xx,
  timeouts) left after :class:`~bot.tg.ratelimit.RetryingRateLimiter`'s retries: one warning
  line, no traceback (an outage is not a bug); the user gets the generic message if Telegram
  lets us send it.
* a transient database failure (:func:`~bot.db.errors.is_transient_db_error`) left after
  :func:`~bot.tg.concurrency.run_sync`'s retries: one warning line (the driver's message, no
  SQL); a student whose answer could not be saved is told so and asked to try again — the
  answer's buttons are still there, and the idempotency key makes a retry count once.
* anything else: logged with the traceback; the user gets a short "something went wrong",
  without details.

:class:`PollingErrors` does the same for ``getUpdates`` failures, which PTB's polling hands to
the error handler without an update: one line when an outage starts, not one per attempt.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
import traceback
import weakref
from collections.abc import Callable, Sequence

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.services.clock import utcnow
from bot.services.errors import db_error_summary, is_transient_db_error
from bot.tg import keyboards
from bot.tg.concurrency import DB_RETRY, run_sync
from bot.tg.context import BotContext
from bot.tg.texts import Texts, texts_for

log = logging.getLogger(__name__)

_ANSWER_DATA = re.compile(keyboards.PATTERNS[keyboards.ANSWER])


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def describe(error: BaseException, secrets: list[str]) -> str:
    """The error with its traceback, the bot token (in request URLs) replaced by ***."""
    formatted = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return redact(formatted, secrets)


def one_line(error: BaseException, secrets: Sequence[str] = ()) -> str:
    """« ExceptionName: first line of its message », secrets replaced by ***."""
    message = error.message if isinstance(error, TelegramError) else str(error)
    first = (message.strip().splitlines() or [""])[0]
    return redact(f"{type(error).__name__}: {first}", list(secrets))


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure, mark a blocked student, and tell the user without details."""
    error = context.error
    if error is None:
        return
    secrets = [context.bot.token]
    if update is None and context.job is None and isinstance(error, TelegramError):
        polling_errors(context.application)(error)  # getUpdates failed: Telegram unreachable
        return
    where = f"update {update.update_id}" if isinstance(update, Update) else "a job or no update"
    if isinstance(error, Forbidden):
        log.info("Forbidden while handling %s: %s", where, redact(error.message, secrets))
        await mark_blocked(update, context)
        return
    if isinstance(error, BadRequest):
        if "not modified" in error.message:
            log.debug("message not modified (double tap) in %s", where)
            return
        log.error("Error while handling %s:\n%s", where, describe(error, secrets))
        await tell_user(update, context)
        return
    if isinstance(error, RetryAfter | NetworkError):
        log.warning("Telegram unreachable while handling %s: %s", where, one_line(error, secrets))
        await tell_user(update, context, telegram_down=True)
        return
    if is_transient_db_error(error):
        log.warning(
            "database unavailable while handling %s (%d attempts): %s",
            where,
            DB_RETRY.attempts,
            redact(db_error_summary(error), secrets),
        )
        answer = isinstance(update, Update) and is_answer(update)
        await tell_user(update, context, answer_not_saved=answer)
        return
    log.error("Error while handling %s:\n%s", where, describe(error, secrets))
    await tell_user(update, context)


def is_answer(update: Update) -> bool:
    """Whether the update may be an answer: an answer button, or text typed in a private chat
    (whether a question was open, the database could not say)."""
    query = update.callback_query
    if query is not None:
        return query.data is not None and _ANSWER_DATA.fullmatch(query.data) is not None
    message = update.message
    if message is None or message.text is None or message.text.startswith("/"):
        return False
    return message.chat.type == message.chat.PRIVATE


async def mark_blocked(update: object, context: BotContext) -> None:
    """403 on a reply: the sender blocked the bot; stop their prompts."""
    if not isinstance(update, Update) or update.effective_user is None:
        return
    try:
        student = await context.student(update)
        await run_sync(context.users.mark_blocked, student.id, utcnow())
    except Exception as exc:  # the error handler must not raise
        if is_transient_db_error(exc):
            log.warning(
                "could not mark the user of update %s blocked: %s",
                update.update_id,
                db_error_summary(exc),
            )
        else:
            log.exception("could not mark the user of update %s blocked", update.update_id)


async def tell_user(
    update: object,
    context: BotContext,
    *,
    telegram_down: bool = False,
    answer_not_saved: bool = False,
) -> None:
    """Apologise in the sender's language (for an answer not saved: say so, ask to retry)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    texts: Texts = texts_for(user.language_code[:2] if user and user.language_code else None)
    text = texts.answer_not_saved if answer_not_saved else texts.error
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(text[:200] if answer_not_saved else None)
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:
        # When Telegram is the problem, this second failure is the same incident.
        report = log.debug if telegram_down else log.warning
        report("could not tell chat %s about the error: %s", update.effective_chat.id, exc)


_POLLING: weakref.WeakKeyDictionary[object, PollingErrors] = weakref.WeakKeyDictionary()


def polling_errors(application: object) -> PollingErrors:
    """The :class:`PollingErrors` of one application (created on first use)."""
    found = _POLLING.get(application)
    if found is None:
        found = _POLLING[application] = PollingErrors()
    return found


class PollingErrors:
    """``error_callback`` of the long polling: one line per outage, not a traceback per try.

    PTB retries ``getUpdates`` by itself (backoff up to 30 s) and, without a callback, logs
    each failure with its traceback. Here the first failure of an outage is a warning, the
    next ones are debug lines, with a reminder every ``remind_every`` seconds while it lasts;
    an outage is over when no failure came for ``quiet_after`` seconds (longer than PTB's
    longest pause between two tries).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        quiet_after: float = 90.0,
        remind_every: float = 600.0,
    ) -> None:
        self._clock = clock
        self._quiet_after = quiet_after
        self._remind_every = remind_every
        self._last: float | None = None
        self._reminded = 0.0
        self._started = 0.0
        self.failures = 0
        self.outages = 0

    def __call__(self, error: TelegramError) -> None:
        now = self._clock()
        if self._last is None or now - self._last > self._quiet_after:
            self.outages += 1
            self.failures = 1
            self._started = self._reminded = now
            log.warning(
                "getting updates from Telegram failed (%s); retrying with backoff, quietly",
                one_line(error),
            )
        else:
            self.failures += 1
            if now - self._reminded >= self._remind_every:
                self._reminded = now
                log.warning(
                    "getting updates still failing: %d tries in %.0f s (%s)",
                    self.failures,
                    now - self._started,
                    one_line(error),
                )
            else:
                log.debug("getUpdates failed again (%s)", one_line(error))
        self._last = now
