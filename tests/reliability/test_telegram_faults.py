"""Telegram failing while students use the bot: 429, 5xx bursts, timeouts, Telegram unreachable
for a while, 403, 400 on an edit of a message that is gone.

Each time: every other student is still served, what should be retried is (and nothing is sent
twice), and the incident costs one log line at warning level, never a traceback.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.orm import Session, sessionmaker
from telegram.request import HTTPXRequest

from bot.tg.app import running
from bot.tg.context import BotApplication
from tests.reliability.logs import loud, show, tracebacks
from tests.reliability.support import ErrorSpy, FaultyTelegram, bot_texts, idle
from tests.support.fake_telegram import FakeUser
from tests.tg.harness import buttons, count_reviews, get_user

HELP = "Voici ce que je sais faire"


def helps(tg: FaultyTelegram, user: FakeUser) -> int:
    return sum(HELP in text for text in bot_texts(tg, user.chat_id))


async def test_429_waits_retry_after_and_serves_everyone(
    bot: BotApplication, tg: FaultyTelegram, spy: ErrorSpy, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = tg.user(701, "Anna"), tg.user(702, "Bruno")
    mark = len(caplog.records)
    tg.fail_next("sendMessage", 429, retry_after=1, chat_id=a.chat_id)
    a.send_command("/aide")
    b.send_command("/aide")
    await a.wait_for_message(HELP, timeout=5)
    await b.wait_for_message(HELP, timeout=5)

    assert (helps(tg, a), helps(tg, b)) == (1, 1)
    assert [c.status for c in tg.calls("sendMessage", chat_id=a.chat_id)] == [429, 200]
    assert not spy.calls
    assert not loud(caplog, mark), show(loud(caplog, mark))
    waits = [r for r in caplog.records[mark:] if "Rate limit hit" in r.getMessage()]
    assert len(waits) == 1


async def test_429_beyond_the_retries_is_one_line_and_an_apology(
    bot: BotApplication, tg: FaultyTelegram, spy: ErrorSpy, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = tg.user(703, "Anna"), tg.user(704, "Bruno")
    mark = len(caplog.records)
    tg.fail_next("sendMessage", 429, retry_after=1, times=3, chat_id=a.chat_id)  # 1 + 2 retries
    a.send_command("/aide")
    await a.wait_for_message("Oups", timeout=8)
    b.send_command("/aide")
    await b.wait_for_message(HELP)

    assert helps(tg, a) == 0  # Telegram refused it three times: not sent, and said so
    assert len(spy.calls) == 1
    assert len(loud(caplog, mark)) == 1, show(loud(caplog, mark))
    assert "Telegram unreachable" in loud(caplog, mark)[0].getMessage()
    assert not tracebacks(caplog, mark), show(tracebacks(caplog, mark))


async def test_5xx_burst_is_retried_without_duplicates(
    bot: BotApplication, tg: FaultyTelegram, spy: ErrorSpy, caplog: pytest.LogCaptureFixture
) -> None:
    students = [tg.user(710 + n, f"Élève {n}") for n in range(3)]
    mark = len(caplog.records)
    for user in students:
        tg.fail_next("sendMessage", 502, times=2, chat_id=user.chat_id)
    tg.fail_next("getUpdates", 503)  # the next poll too: PTB waits a second and polls again
    for user in students:
        user.send_command("/aide")
    for user in students:
        await user.wait_for_message(HELP, timeout=6)
    await idle(bot, tg)

    assert [helps(tg, user) for user in students] == [1, 1, 1]
    for user in students:
        statuses = [c.status for c in tg.calls("sendMessage", chat_id=user.chat_id)]
        assert statuses == [502, 502, 200]
    assert [update for update, _ in spy.calls] == [None]  # only the poll, no update failed
    # One line for the failed poll (the start of an outage); the sends that went through
    # after retries are info lines.
    assert len(loud(caplog, mark)) == 1, show(loud(caplog, mark))
    assert "getting updates from Telegram failed" in loud(caplog, mark)[0].getMessage()
    recovered = [r for r in caplog.records[mark:] if "went through after 2 retries" in r.message]
    assert len(recovered) == 3
    assert not tracebacks(caplog, mark), show(tracebacks(caplog, mark))


async def test_timeouts_repeat_edits_but_never_a_message(
    app: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    caplog: pytest.LogCaptureFixture,
    db: sessionmaker[Session],
) -> None:
    # Telegram answering later than the bot waits: a read timeout of 0.4 s (production: 5 s).
    app.bot._request = (app.bot._request[0], HTTPXRequest(read_timeout=0.4))
    a, b = tg.user(720, "Anna"), tg.user(721, "Bruno")
    async with running(app):
        mark = len(caplog.records)
        tg.hang("sendMessage", 1.2, chat_id=a.chat_id)
        a.send_command("/aide")
        await a.wait_for_message("Oups", timeout=5)  # the bot gave up waiting, and said so
        b.send_command("/aide")  # meanwhile another student is served at once
        await b.wait_for_message(HELP, timeout=1)
        await a.wait_for_message(HELP, timeout=5)  # Telegram did carry out the slow send
        await asyncio.sleep(0.3)
        assert (helps(tg, a), helps(tg, b)) == (1, 1)  # sent once: never repeated
        assert len(loud(caplog, mark)) == 1, show(loud(caplog, mark))

        # An edit that times out is repeated (editing twice changes nothing).
        a.send_command("/quiz")
        question = await a.wait_for_message("principal allié")
        tg.hang("editMessageText", 1.0, chat_id=a.chat_id)
        a.press(question, buttons(question)["la Russie"])
        await a.wait_for_message("membre de l'OTAN", timeout=5)
        verdict = next(m for m in a.messages() if m["message_id"] == question["message_id"])
        assert "✅" in verdict["text"] and "membre de l'OTAN" in verdict["text"]
        assert count_reviews(db) == 1
        # The next question was shown once, in the edited message: no message repeats it.
        assert sum("membre de l'OTAN" in m["text"] for m in a.messages()) == 1
        assert not any("membre de l'OTAN" in t for t in bot_texts(tg, a.chat_id))
    assert len(spy.calls) == 1  # the send that timed out
    assert len(loud(caplog, mark)) == 1, show(loud(caplog, mark))
    assert any("editMessageText went through after 1 retries" in r.message for r in caplog.records)
    assert not tracebacks(caplog, mark), show(tracebacks(caplog, mark))


async def test_telegram_unreachable_then_back_on_the_same_port(
    bot: BotApplication, tg: FaultyTelegram, spy: ErrorSpy, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = tg.user(730, "Anna"), tg.user(731, "Bruno")
    for user in (a, b):
        user.send_command("/aide")
        await user.wait_for_message(HELP)
    mark = len(caplog.records)

    # Bruno's reply is on its way when Telegram goes away: it arrives, the answer is lost.
    tg.hang("sendMessage", 0.3, chat_id=b.chat_id)
    sends = tg.stats.requests["sendMessage"]
    b.send_command("/aide")
    while tg.stats.requests["sendMessage"] == sends:  # Bruno's reply has reached Telegram
        await asyncio.sleep(0.01)
    outage = asyncio.create_task(tg.restart(down_for=2.0))
    await asyncio.sleep(0.5)
    a.send_command("/aide")  # Telegram keeps what students write while the bot cannot poll
    a.send_command("/quiz")
    await outage
    await a.wait_for_message("principal allié", timeout=6)
    await a.wait_for_message(HELP, count=2)

    assert helps(tg, a) == 2
    assert helps(tg, b) == 2  # the cut reply reached Telegram; it was not sent again
    incidents = loud(caplog, mark)
    assert len(incidents) == 2, show(incidents)  # the outage, and Bruno's lost answer
    assert any("getting updates from Telegram failed" in r.message for r in incidents)
    assert not tracebacks(caplog, mark), show(tracebacks(caplog, mark))


async def test_403_blocks_one_student_and_serves_the_others(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    caplog: pytest.LogCaptureFixture,
    db: sessionmaker[Session],
) -> None:
    a, b = tg.user(740, "Anna"), tg.user(741, "Bruno")
    mark = len(caplog.records)
    tg.block(a.chat_id)
    a.send_command("/quiz")
    b.send_command("/quiz")
    await b.wait_for_message("principal allié")
    await tg.wait_for(
        lambda: (u := get_user(db, a.id)) is not None and u.blocked_at is not None,
        what="Anna marked blocked",
    )
    assert not loud(caplog, mark), show(loud(caplog, mark))
    assert not tracebacks(caplog, mark)


@pytest.mark.parametrize(
    "description",
    ["Bad Request: message to edit not found", "Bad Request: message can't be edited"],
    ids=["deleted", "too-old"],
)
async def test_400_editing_a_deleted_message_changes_nothing(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    caplog: pytest.LogCaptureFixture,
    db: sessionmaker[Session],
    student: FakeUser,
    description: str,
) -> None:
    student.send_command("/quiz")
    question = await student.wait_for_message("principal allié")
    mark = len(caplog.records)
    tg.fail_next("editMessageText", 400, chat_id=student.chat_id, description=description)
    student.press(question, buttons(question)["la Russie"])
    # The verdict and the next question come as a new message instead.
    following = await student.wait_for_message("membre de l'OTAN", after=question)
    assert following["text"].startswith("✅") and {"Vrai", "Faux"} <= set(buttons(following))
    assert count_reviews(db) == 1
    assert not spy.calls
    assert not loud(caplog, mark), show(loud(caplog, mark))
