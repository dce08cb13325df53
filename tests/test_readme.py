"""Documentation that cannot drift: every CLI command and every setting is documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from bot.cli import build_parser
from bot.config import Settings
from bot.console import chat
from bot.tg.commands import COMMANDS, GAME_STOP

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make run", "make test"]
    assert (ROOT / ".ci/run").read_text().count("make test") == 1


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `quizbot (\w+)", readme, re.M))
    assert documented == _commands()


def test_every_setting_is_in_env_example() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    keys = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert keys == {name.upper() for name in Settings.model_fields}


def _readme_commands() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return {name.lower() for name in re.findall(r"`/(\w+)", readme)}


def test_every_telegram_command_and_its_english_name_is_in_the_readme() -> None:
    names = {name for c in (*COMMANDS, GAME_STOP) for name in c.names}
    assert names - _readme_commands() == set()


def test_every_terminal_command_is_in_the_readme() -> None:
    groups = (
        chat.HELP_COMMANDS,
        chat.QUIT_COMMANDS,
        chat.STATS_COMMANDS,
        chat.UNDO_COMMANDS,
        chat.DECKS_COMMANDS,
        chat.SETTINGS_COMMANDS,
        chat.MORE_COMMANDS,
        chat.OVERRIDE_COMMANDS,
    )
    names = {name.lstrip("/") for group in groups for name in group}
    # The short forms (/q, /h, /?, /exit, /fin) are extras the README need not list.
    names -= {"q", "h", "?", "exit", "fin"}
    assert names - _readme_commands() == set()
