"""Texts beyond Telegram's limits (4096 characters, button labels, callback data) are cut or
moved, never an API error."""

from __future__ import annotations

import pytest

from bot.tg.context import BotApplication
from bot.tg.render import MAX_TEXT, utf16_len
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.decks import long_deck
from tests.tg.harness import buttons


@pytest.mark.parametrize("deck_yaml", [long_deck(prompt_chars=6000, choice_chars=300)])
async def test_huge_question_and_choices(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    student.send_command("/quiz")
    question = await student.wait_for_message("Une très longue question")
    assert utf16_len(question["text"]) <= MAX_TEXT
    labels = buttons(question)
    assert set(labels) == {"A", "B", "C", "D", "⏹ Stop"}  # choices listed in the text
    right = next(letter for letter in "ABCD" if f"\n{letter}) Réponse A" in question["text"])
    student.press(question, labels[right])
    again = await tg.wait_for_message(
        student.chat_id,
        "✅",
        where=lambda m: m["message_id"] == question["message_id"],
    )
    # Learn-ahead: the card (due within 20 minutes) is asked again; Stop ends the run.
    assert "Une très longue question" in again["text"]
    student.press(again, buttons(again)["⏹ Stop"])
    await student.wait_for_message("Fin de la session : 1 sur 1")
    assert all(call.ok for call in tg.sent), [c.description for c in tg.sent if not c.ok]
