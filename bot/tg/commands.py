"""The one command list: it feeds the handlers, ``set_my_commands`` and the /aide text.

Each command has a French name and an English alias; both work for everyone. French-speaking
menus show the French names, English ones the aliases. Teacher commands are only shown in the
teachers' own chats (``BotCommandScopeChat``), but the check that matters is in the handler.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import BotCommand

from bot.tg.texts import Texts


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # French name, also the key of ``Texts.command_help``
    alias: str  # English name
    teacher: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the command answers to."""
        return (self.name,) if self.alias == self.name else (self.name, self.alias)

    def shown_name(self, texts: Texts) -> str:
        return self.alias if texts.language == "en" else self.name


START = Command("start", "start")
QUIZ = Command("quiz", "quiz")
STATS = Command("stats", "stats")
SETTINGS = Command("reglages", "settings")
DECKS = Command("decks", "decks")
UNDO = Command("annuler", "undo")
MORE = Command("encore", "more")
OVERRIDE = Command("jairaison", "right")
PAUSE = Command("pause", "pause")
RESUME = Command("reprendre", "resume")
FORGET = Command("oublier", "forget")
HELP = Command("aide", "help")
RELOAD = Command("recharger", "reload", teacher=True)
CLASS = Command("classe", "class", teacher=True)
LEAVE = Command("quitter", "leave")
NEW_CLASS = Command("nouvelleclasse", "newclass", teacher=True)
GENERATE = Command("generer", "generate", teacher=True)
DRAFTS = Command("brouillons", "drafts", teacher=True)
LINK = Command("lier", "link", teacher=True)
GAME = Command("jeu", "game", teacher=True)
#: Not in the menus: said in a group during a game (a teacher stops it).
GAME_STOP = Command("stop", "stop", teacher=True)

#: In menu and help order.
COMMANDS: tuple[Command, ...] = (
    START,
    QUIZ,
    STATS,
    SETTINGS,
    DECKS,
    UNDO,
    MORE,
    OVERRIDE,
    PAUSE,
    RESUME,
    FORGET,
    LEAVE,
    HELP,
    RELOAD,
    CLASS,
    NEW_CLASS,
    GENERATE,
    DRAFTS,
    LINK,
    GAME,
)
STUDENT_COMMANDS = tuple(c for c in COMMANDS if not c.teacher)
TEACHER_COMMANDS = tuple(c for c in COMMANDS if c.teacher)


def bot_commands(texts: Texts, *, teacher: bool = False) -> list[BotCommand]:
    """The menu given to ``set_my_commands`` in the language of ``texts``."""
    chosen = COMMANDS if teacher else STUDENT_COMMANDS
    return [BotCommand(c.shown_name(texts), texts.command_help[c.name]) for c in chosen]


def help_lines(texts: Texts, commands: Sequence[Command]) -> list[str]:
    """« /quiz — réviser maintenant », one line per command (the menu's very words)."""
    return [f"/{c.shown_name(texts)} — {texts.command_help[c.name]}" for c in commands]


def help_text(texts: Texts, *, teacher: bool = False) -> str:
    """The /aide message, built from the same list as the menu."""
    parts = [texts.help_title, *help_lines(texts, STUDENT_COMMANDS)]
    if teacher:
        parts += ["", texts.help_teacher_title, *help_lines(texts, TEACHER_COMMANDS)]
    parts += ["", texts.help_footer]
    return "\n".join(parts)
