"""Different students are served at once; one student's updates are handled in order."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram
from tests.tg.harness import get_user, last_id


async def test_a_slow_student_holds_up_only_themselves(
    bot: BotApplication, tg: FakeTelegram, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow, quick = tg.user(601, "Lent"), tg.user(602, "Rapide")
    for user in (slow, quick):
        user.send_command("/aide")
        await user.wait_for_message("Voici ce que je sais faire")
    slow_row = get_user(db, slow.id)
    assert slow_row is not None

    study = bot.bot_data.services.study
    original = study.next_question
    release = threading.Event()

    def next_question(user_id: int, *args: Any, **kwargs: Any) -> Any:
        if user_id == slow_row.id:
            assert release.wait(5), "never released"
        return original(user_id, *args, **kwargs)

    monkeypatch.setattr(study, "next_question", next_question)
    mark = last_id(tg, slow)
    slow.send_command("/quiz")  # stuck in the database until released
    slow.send_command("/aide")  # must wait for the /quiz before it
    quick.send_command("/aide")
    await quick.wait_for_message("Voici ce que je sais faire", count=2)
    await asyncio.sleep(0.05)  # give the slow student's /aide a chance to overtake (it must not)
    assert last_id(tg, slow) == mark + 2  # only the two commands, no answer yet

    release.set()
    question = await slow.wait_for_message("principal allié", after=mark)
    help_text = await slow.wait_for_message("Voici ce que je sais faire", after=mark)
    assert question["message_id"] < help_text["message_id"]
