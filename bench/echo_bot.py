"""The baseline of ``bench/bot_throughput.py``: a bare python-telegram-bot echo bot.

Same python-telegram-bot, httpx and Python as the real bot (same venv), same builder defaults
(connection pool, timeouts), long polling, and the same concurrency as ``quizbot run`` (64
updates at once), but no database, no rate limiter and no per-student ordering:

* a text message → ``sendMessage`` echoing it;
* a button press → ``answerCallbackQuery``, then ``sendMessage``.

Every reply carries a keyboard shaped like a quiz question's: « Stop » always, and four answer
buttons on 40 % of them (the share of button questions in the benchmark's bank). So the
simulated students answer it exactly as they answer the real bot: by pressing a button when
there are answer buttons, by typing otherwise.

Run as ``echo_bot.py --serve``; reads ``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_URL``,
``TELEGRAM_FILE_URL`` and ``ECHO_CONCURRENCY`` from the environment. Without ``--serve`` (as
under ``make bench``, even with a real token in the environment) it says what it is for and
exits.
"""

from __future__ import annotations

import logging
import os
import random
import sys

CONCURRENCY = int(os.environ.get("ECHO_CONCURRENCY", "64"))
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


#: Share of the real question bank answered with buttons (choice and true/false questions).
BUTTON_SHARE = 0.4


def keyboard(message_id: int) -> object:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    token = f"e{message_id:07d}"
    stop = [InlineKeyboardButton("⏹ Stop", callback_data=f"x:{token}")]
    if random.random() >= BUTTON_SHARE:
        return InlineKeyboardMarkup([stop])
    answers = [
        InlineKeyboardButton(x, callback_data=f"a:{token}:{i}") for i, x in enumerate("ABCD")
    ]
    return InlineKeyboardMarkup([answers, stop])


def main() -> int:
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if "--serve" not in sys.argv[1:] or not token:
        print(
            "bench/echo_bot.py: the baseline bot started by bench/bot_throughput.py "
            "(needs TELEGRAM_BOT_TOKEN and TELEGRAM_API_URL)."
        )
        return 0
    from telegram import Update
    from telegram.ext import (
        ApplicationBuilder,
        CallbackQueryHandler,
        ContextTypes,
        MessageHandler,
        filters,
    )

    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        await context.bot.send_message(
            message.chat_id, message.text, reply_markup=keyboard(message.message_id)
        )

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        await context.bot.send_message(
            query.message.chat.id,
            f"Bouton {query.data}",
            reply_markup=keyboard(query.message.message_id + 1),
        )

    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org/bot"))
        .base_file_url(os.environ.get("TELEGRAM_FILE_URL", "https://api.telegram.org/file/bot"))
        .concurrent_updates(CONCURRENCY)
        .get_updates_read_timeout(40)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(press))
    app.run_polling(timeout=30, allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
