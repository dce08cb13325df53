"""The fake Bot API's quiz polls, group members and rights, driven by the real PTB ``Bot``."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, ChatMember, Update
from telegram.error import BadRequest

from .fake_telegram import FakeTelegram, ptb_request

GROUP = -100123


@pytest.fixture(autouse=True)
def _timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(
        tg.token, base_url=tg.base_url, request=ptb_request(), get_updates_request=ptb_request(1)
    ) as real_bot:
        yield real_bot


async def quiz(bot: Bot, **kwargs: object) -> object:
    args: dict[str, object] = {
        "chat_id": GROUP,
        "question": "Quel pays ?",
        "options": ["la Russie", "la Chine"],
        "type": "quiz",
        "is_anonymous": False,
        "correct_option_ids": [0],
        "open_period": dt.timedelta(seconds=10),
    }
    args.update(kwargs)
    return await bot.send_poll(**args)  # type: ignore[arg-type]


async def test_a_quiz_poll_is_sent_and_its_votes_arrive_as_poll_answers(
    tg: FakeTelegram, bot: Bot
) -> None:
    tg.group(GROUP)
    message = await quiz(bot, explanation="La Russie est l'alliée.")
    poll = message.poll  # type: ignore[attr-defined]
    assert poll.type == "quiz" and poll.correct_option_ids == (0,) and not poll.is_anonymous
    ana = tg.user(1, "Ana").in_group(GROUP)
    ana.answer_poll(message.message_id, 1)  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="one vote"):
        ana.answer_poll(message.message_id, 0)  # type: ignore[attr-defined]
    updates = await bot.get_updates()
    answer = updates[-1].poll_answer
    assert isinstance(updates[-1], Update) and answer is not None
    assert answer.user is not None
    assert (answer.poll_id, answer.option_ids, answer.user.id) == (poll.id, (1,), 1)
    assert tg.poll_messages(GROUP)[0]["poll"]["total_voter_count"] == 1

    stopped = await bot.stop_poll(GROUP, message.message_id)  # type: ignore[attr-defined]
    assert stopped.is_closed
    with pytest.raises(BadRequest, match="already been closed"):
        await bot.stop_poll(GROUP, message.message_id)  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="closed"):
        tg.user(2, "Bob").in_group(GROUP).answer_poll(message.message_id, 0)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"options": ["seule"]}, "at least 2"),
        ({"options": [f"o{i}" for i in range(13)]}, "more than 12"),
        ({"options": ["a", "b" * 101]}, "must not exceed 100"),
        ({"question": "q" * 301}, "must not exceed 300"),
        ({"correct_option_ids": [2]}, "correct option"),
        ({"open_period": dt.timedelta(seconds=4)}, "open period"),
        ({"open_period": dt.timedelta(seconds=601)}, "open period"),
        ({"explanation": "e" * 201}, r"(?i)explanation"),
    ],
)
async def test_send_poll_checks_what_telegram_checks(
    tg: FakeTelegram, bot: Bot, changes: dict[str, object], error: str
) -> None:
    with pytest.raises(BadRequest, match=error):
        await quiz(bot, **changes)
    assert tg.poll_messages(GROUP) == []


async def test_members_rights_and_member_count(tg: FakeTelegram, bot: Bot) -> None:
    for user_id in (1, 2, 3):
        tg.user(user_id).in_group(GROUP)
    assert await bot.get_chat_member_count(GROUP) == 4  # and the bot
    me = await bot.get_chat_member(GROUP, tg.bot_id)
    assert me.status == ChatMember.MEMBER
    assert (await bot.get_chat_member(GROUP, 2)).status == ChatMember.MEMBER
    tg.set_bot_member(GROUP, "restricted", can_send_polls=False)
    restricted = await bot.get_chat_member(GROUP, tg.bot_id)
    assert restricted.status == ChatMember.RESTRICTED
    with pytest.raises(BadRequest, match=r"(?i)not enough rights"):
        await quiz(bot)
    tg.set_bot_member(GROUP, "administrator")
    assert (await bot.get_chat_member(GROUP, tg.bot_id)).status == ChatMember.ADMINISTRATOR
    await quiz(bot)
