"""The command menu (``set_my_commands``, as the fake Bot API recorded it) and the /aide text
say the same thing, in French and in English, for students and for teachers; and every
command of the menu is answered by a handler."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.fake_telegram import FakeTelegram
from tests.tg.decks import BELARUS
from tests.tg.harness import TEACHER_ID, bot_running, last_id

HELP_LINE = re.compile(r"^/(\w+) — (.+)$")


@pytest.fixture
async def tg(db_url: str, tmp_path: Path) -> AsyncIterator[FakeTelegram]:
    """The fake Bot API, with the bot started (its menus published) and polling it."""
    (tmp_path / "deck.yaml").write_text(BELARUS, encoding="utf-8")
    async with bot_running(db_url, tmp_path) as (fake, _bot):
        yield fake


async def help_pairs(tg: FakeTelegram, user_id: int, language: str) -> list[dict[str, str]]:
    """The /aide lines « /command — description » as the menu's {command, description}."""
    user = tg.user(user_id, "Doc", language)
    mark = last_id(tg, user)
    user.send_command("/aide")
    message = await user.wait_for_message("/quiz", after=mark)
    return [
        {"command": m.group(1), "description": m.group(2)}
        for line in message["text"].splitlines()
        if (m := HELP_LINE.match(line))
    ]


async def test_menu_and_help_agree(tg: FakeTelegram) -> None:
    french, english = tg.commands("default", "fr"), tg.commands("default", "en")
    assert tg.commands("default") == french  # French is the default
    assert [c["command"] for c in french][:3] == ["start", "quiz", "stats"]
    assert "reglages" in {c["command"] for c in french}
    assert "settings" in {c["command"] for c in english}

    assert await help_pairs(tg, 801, "fr") == french
    assert await help_pairs(tg, 802, "en") == english

    teacher_menu = tg.commands(f"chat:{TEACHER_ID}")
    assert await help_pairs(tg, TEACHER_ID, "fr") == teacher_menu
    assert {"recharger", "classe"} <= {c["command"] for c in teacher_menu}


async def test_every_menu_command_is_handled(tg: FakeTelegram) -> None:
    menus = [tg.commands("default"), tg.commands("default", "en")]
    names = {c["command"] for menu in menus for c in menu} - {"oublier", "forget"}
    user = tg.user(803, "Curieux", "fr")
    for name in sorted(names):
        mark = last_id(tg, user)
        user.send_command(f"/{name}")
        reply = await user.wait_for_message(after=mark)
        assert "Je ne connais pas cette commande" not in reply.get("text", ""), name
