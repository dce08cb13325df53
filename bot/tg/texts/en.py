"""The bot's strings in English (second language): ``bot/locale/en/LC_MESSAGES/messages.po``,
same keys as French (``bot.*``).
"""

from __future__ import annotations

from bot.tg.texts.base import texts_in

EN = texts_in("en")
