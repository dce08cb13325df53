"""Every user-facing string of the Telegram bot, one catalogue per language (French first).

:class:`Texts` lists them; :mod:`.fr` and :mod:`.en` fill it in from the gettext catalogues
(``bot/locale/<language>/LC_MESSAGES/messages.po``, keys ``bot.<field>``): a key missing in one
language fails at start-up and in ``tests/test_catalogues.py``, never as a blank message.
Templates use ``str.format`` with named fields; counted texts are :class:`~bot.i18n.Plural`.
Command descriptions are keyed by the command's French name (see :mod:`bot.tg.commands`).
"""

from __future__ import annotations

from bot.tg.texts.base import Texts
from bot.tg.texts.en import EN
from bot.tg.texts.fr import FR

__all__ = ["DEFAULT_LANGUAGE", "EN", "FR", "LANGUAGES", "Texts", "all_texts", "texts_for"]

DEFAULT_LANGUAGE = "fr"
LANGUAGES = ("fr", "en")


def texts_for(language: str | None) -> Texts:
    """The strings in ``language`` (French for anything unknown)."""
    return EN if language == "en" else FR


def all_texts() -> tuple[Texts, ...]:
    """Every language, French first."""
    return (FR, EN)
