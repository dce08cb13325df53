"""Outgoing requests: Telegram's flood limits, and retries when the network fails.

:class:`RetryingRateLimiter` is python-telegram-bot's :class:`~telegram.ext.AIORateLimiter`
(about 30 messages per second overall; a 429 pauses every request for ``retry_after`` and
retries) plus retries with exponential backoff when a request failed in the network or on a
5xx. What is retried, and why:

* the request never left (connection refused, connect or pool timeout): always;
* Telegram answered 5xx (or a proxy's error page): always — the request was not carried out;
* the answer never came (read timeout, connection cut mid-way): the request may have been
  carried out, so only requests that change nothing when repeated are retried (edits, answers
  to button presses, reads). A message sent twice would reach the student twice: a
  ``send*`` request is not repeated, its error goes to the caller;
* a 400 (:class:`~telegram.error.BadRequest`, a subclass of ``NetworkError`` in PTB) is our
  own mistake and is never retried; nor is a 403.

Logging is one line per incident, not per attempt: the retries are logged at debug level, a
request that got through after retries at info level, and one that gave up not at all — its
error goes on to the caller, which logs it once (the error handler, the daily-prompt job).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]

#: Requests that post something new: carried out twice if repeated after a lost answer.
NOT_REPEATABLE_PREFIXES = ("send", "copyMessage", "forwardMessage")
#: ``sendChatAction`` only shows « typing… » for a few seconds: repeating it is harmless.
REPEATABLE_SENDS = frozenset({"sendChatAction"})
#: httpx errors raised before the request reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds.

    ``RetryAfter.retry_after`` warns (PTB 22 is moving it from int to timedelta); the timedelta
    PTB keeps is read directly, as PTB's own rate limiter does.
    """
    value = getattr(exc, "_retry_after", None)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return 1.0


def is_repeatable(endpoint: str) -> bool:
    """Whether carrying out this request twice does no harm (no second message)."""
    if endpoint in REPEATABLE_SENDS:
        return True
    return not endpoint.startswith(NOT_REPEATABLE_PREFIXES)


def may_have_arrived(exc: NetworkError) -> bool:
    """Whether Telegram may have carried out the failed request: its answer was lost.

    PTB raises ``NetworkError`` from the httpx error for transport failures, and without one
    for an HTTP error status (5xx: not carried out). A timeout is ``TimedOut``.
    """
    cause = exc.__cause__
    if not isinstance(cause, httpx.HTTPError):
        return False  # Telegram (or a proxy) answered with an error status
    return not isinstance(cause, _NOT_SENT)


def describe(exc: NetworkError) -> str:
    if isinstance(exc, TimedOut) and isinstance(exc.__cause__, httpx.HTTPError):
        return f"timed out ({type(exc.__cause__).__name__})"
    return exc.message


class _NoTracebackWhenGivingUp(logging.Filter):
    """PTB's AIORateLimiter logs a traceback when 429s outlast its retries; the error goes on
    to the caller, which logs the incident once: here it becomes a debug line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith("Rate limit hit after maximum"):
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()}: {error}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


_PTB_LIMITER_LOG = logging.getLogger("telegram.ext.AIORateLimiter")
if not any(isinstance(f, _NoTracebackWhenGivingUp) for f in _PTB_LIMITER_LOG.filters):
    _PTB_LIMITER_LOG.addFilter(_NoTracebackWhenGivingUp())


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter that also retries network errors and 5xx with exponential backoff."""

    __slots__ = ("_network_base_delay", "_network_retries")

    def __init__(
        self,
        *,
        max_retries: int = 3,
        network_retries: int = 3,
        network_base_delay: float = 0.5,
        overall_max_rate: float = 30,
        group_max_rate: float = 20,
        group_time_period: float = 60,
    ) -> None:
        # Evenly paced (one message every 1/rate s) rather than aiolimiter's default bucket of
        # `rate` messages per second: a burst of 30 then 30/s trips Telegram's flood control.
        super().__init__(
            max_retries=max_retries,
            overall_max_rate=1 if overall_max_rate > 0 else 0,
            overall_time_period=1 / overall_max_rate if overall_max_rate > 0 else 1,
            group_max_rate=group_max_rate,
            group_time_period=group_time_period,
        )
        self._network_retries = network_retries
        self._network_base_delay = network_base_delay

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        """Send through the flood limiter; retry a failed network request after a pause."""
        attempt = 0
        last_error = ""
        while True:
            try:
                result = await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as exc:
                if attempt >= self._network_retries:
                    raise
                if may_have_arrived(exc) and not is_repeatable(endpoint):
                    log.debug("%s not repeated (it may have reached Telegram): %s", endpoint, exc)
                    raise
                delay = self._network_base_delay * 2**attempt
                attempt += 1
                last_error = describe(exc)
                log.debug(
                    "%s failed (%s); retry %d/%d in %.2f s",
                    endpoint,
                    last_error,
                    attempt,
                    self._network_retries,
                    delay,
                )
                await asyncio.sleep(delay)
                continue
            if attempt:
                log.info("%s went through after %d retries (%s)", endpoint, attempt, last_error)
            return result
