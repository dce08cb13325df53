"""Les textes du bot en français (langue par défaut) : tutoiement, phrases courtes.

Ils sont dans ``bot/locale/fr/LC_MESSAGES/messages.po`` (clés ``bot.*``).
"""

from __future__ import annotations

from bot.tg.texts.base import texts_in

FR = texts_in("fr")
