"""Outgoing requests: Telegram's flood limits, and retries when the network fails.

:class:`RetryingRateLimiter` is python-telegram-bot's :class:`~telegram.ext.AIORateLimiter`
(about 30 messages per second overall; a 429 pauses every request for ``retry_after`` and
retries) plus retries with exponential backoff when the request failed in the network or on a
5xx. A 400 (:class:`~telegram.error.BadRequest`, a subclass of ``NetworkError`` in PTB) is our
own mistake and is never retried; nor is a 403.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds.

    ``RetryAfter.retry_after`` warns (PTB 22 is moving it from int to timedelta); the timedelta
    PTB keeps is read directly, as PTB's own rate limiter does.
    """
    value = getattr(exc, "_retry_after", None)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return 1.0


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
    ) -> None:
        super().__init__(max_retries=max_retries, overall_max_rate=overall_max_rate)
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
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise
            except NetworkError as exc:
                if attempt >= self._network_retries:
                    raise
                delay = self._network_base_delay * 2**attempt
                attempt += 1
                log.warning(
                    "%s failed (%s); retry %d/%d in %.2f s",
                    endpoint,
                    exc.message,
                    attempt,
                    self._network_retries,
                    delay,
                )
                await asyncio.sleep(delay)
