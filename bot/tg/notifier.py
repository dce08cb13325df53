"""The daily prompt through Telegram: :class:`TelegramNotifier` implements the reminders
service's ``Notifier`` (Telegram's errors become a ``SendResult``, never an exception)."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.services.dispatch import SendResult
from bot.tg import keyboards
from bot.tg.ratelimit import retry_after_seconds
from bot.tg.texts import texts_for

log = logging.getLogger(__name__)


def prompt_text(language: str, due_count: int, new_count: int = 0) -> str:
    """« 3 questions à revoir », « 10 nouvelles questions t'attendent », or both."""
    t = texts_for(language)
    reviews = due_count - new_count
    if not new_count:
        return t.reminder_prompt(reviews)
    if not reviews:
        return t.reminder_prompt_new(new_count)
    return t.reminder_prompt_mixed.format(
        reviews=t.reminder_reviews(reviews), new=t.reminder_new(new_count)
    )


class TelegramNotifier:
    """Sends « Tu as N questions à revoir » (or « N nouvelles questions t'attendent », or
    both) with the « Réviser » / « Plus tard » buttons.

    The bot's rate limiter has already retried 429s and network errors by the time an error
    reaches here; what is left is reported to the dispatcher, which waits or retries later.
    """

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_prompt(
        self, chat_id: int, language: str, due_count: int, new_count: int
    ) -> SendResult:
        """Send one prompt; 403 → blocked, 429 → retry_after, 400 → failed for good."""
        try:
            await self._bot.send_message(
                chat_id,
                prompt_text(language, due_count, new_count),
                reply_markup=keyboards.reminder_prompt(texts_for(language)),
            )
        except Forbidden:
            return SendResult.blocked()
        except RetryAfter as exc:
            return SendResult.retry_after_seconds(retry_after_seconds(exc))
        except BadRequest as exc:  # chat not found, …: sending again will not help
            return SendResult.failed(exc.message, retry=False)
        except TelegramError as exc:  # network, 5xx: a later run tries again
            return SendResult.failed(exc.message, retry=True)
        return SendResult.sent()
