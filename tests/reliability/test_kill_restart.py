"""Nothing lost: processes killed with SIGKILL at random points, then started again.

* the bot (``python -m bot run``) while students answer: every answer whose verdict Telegram
  accepted is in the database exactly once, and Telegram delivering the unconfirmed updates
  again counts none twice;
* an import of a big folder, killed inside its transaction: the database is unchanged;
* a daily-prompt batch killed mid-way: after the lease, the next run sends what was left —
  nobody skipped, and a second prompt only inside the documented window (the prompt reached
  Telegram, the process died before writing it down).

Short runs here; ``bench/soak.py`` runs the long ones.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import httpx

from tests.reliability.conftest import BOTH_ENGINES
from tests.reliability.scenarios import (
    Sent,
    UpdatesReport,
    answers_soak,
    count_effects,
    import_soak,
    reminders_soak,
    updates_soak,
)
from tests.reliability.support import FaultyTelegram

SEED = int(os.environ.get("QUIZBOT_SOAK_SEED", "0")) or None


async def test_the_fake_serves_unconfirmed_updates_again(tg: FaultyTelegram) -> None:
    """As Telegram: an update stays on offer until a later getUpdates confirms it (offset)."""
    user = tg.user(77, "Zoé")
    sent = [user.send_command("/aide")["update_id"], user.send_text("bonjour")["update_id"]]
    async with httpx.AsyncClient(base_url=tg.base_url + tg.token) as client:

        async def get_updates(**params: int) -> list[int]:
            answer = (await client.post("/getUpdates", data=params)).json()
            return [u["update_id"] for u in answer["result"]]

        assert await get_updates() == sent
        assert await get_updates() == sent  # not confirmed: served again (a crash here)
        assert await get_updates(offset=sent[0] + 1) == sent[1:]  # the first one confirmed
        assert await get_updates(offset=sent[1] + 1) == []
        tg.redeliver(sent[0])  # Telegram re-delivers an update with the same id
        assert await get_updates(offset=sent[1] + 1) == [sent[0]]
        assert await get_updates(offset=sent[1] + 1) == []
    assert tg.served_twice() == {sent[0]: 3, sent[1]: 3}


async def test_answers_survive_sigkill_and_redelivery(tmp_path: Path) -> None:
    report = await answers_soak(
        tmp_path,
        f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        students=8,
        kills=2,
        seed=SEED,
        up_for=(0.3, 1.0),
    )
    print(report.describe())
    assert report.acknowledged >= 8, report.describe()  # the stream really flowed
    assert not report.lost, report.describe()
    assert not report.counted_twice, report.describe()
    assert not report.unknown_keys, report.describe()
    assert report.redelivered > 0
    assert report.tracebacks == 0
    assert report.exit_code == 0


async def test_every_update_has_its_effect_once_across_sigkills(tmp_path: Path) -> None:
    """Every update sent (/quiz, presses) counted: its reply or review happened exactly once."""
    report = await updates_soak(
        tmp_path,
        f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        students=4,
        kills=2,
        seed=SEED,
        up_for=(1.0, 2.0),
    )
    print(report.describe())
    assert report.presses >= 4, report.describe()  # the stream really flowed
    assert not report.doubled, report.describe()
    assert not report.unconfirmed and not report.unknown_keys, report.describe()
    # Known limit (docs/reliability.md): a kill between the commit and the edit leaves that
    # press recorded with its verdict never shown; nothing else may be lost.
    assert set(report.lost) <= set(report.unshown), report.describe()
    assert report.tracebacks == 0 and report.exit_code == 0, report.describe()


async def test_the_update_count_sees_a_lost_and_a_doubled_effect(tg: FaultyTelegram) -> None:
    """The soak's counter itself: a /quiz answered twice is doubled, one never answered is
    lost, a press without its review is lost; the effects of one update stop at the next."""
    zoe, leo = tg.user(71, "Zoé"), tg.user(72, "Léo")
    sent: list[Sent] = []
    async with httpx.AsyncClient(base_url=tg.base_url + tg.token) as client:

        async def reply(chat_id: int, text: str) -> None:
            answer = await client.post("/sendMessage", data={"chat_id": chat_id, "text": text})
            assert answer.json()["ok"]

        sent.append(Sent(zoe.send_command("/quiz"), zoe.chat_id, len(tg.sent), confirmed=True))
        await reply(zoe.chat_id, "Question 1")
        await reply(zoe.chat_id, "Question 1")  # handled again after a crash: doubled
        sent[-1].end = len(tg.sent)
        sent.append(Sent(zoe.send_command("/quiz"), zoe.chat_id, len(tg.sent), confirmed=True))
        await reply(zoe.chat_id, "Question 2")  # once: fine
        sent.append(Sent(leo.send_command("/quiz"), leo.chat_id, len(tg.sent), confirmed=True))
        question = zoe.send_text("x")  # a message with no reply: lost
        sent.append(Sent(question, zoe.chat_id, len(tg.sent), confirmed=False))
        sent[1].end = sent[-1].start
    report = UpdatesReport(seed=0, kills=0)
    count_effects(tg, sent, Counter(), [], report)
    ids = [int(s.update["update_id"]) for s in sent]
    assert report.doubled == [ids[0]]
    assert report.lost == [ids[2], ids[3]]
    assert report.unconfirmed == [ids[3]]
    assert not report.ok


@BOTH_ENGINES
async def test_an_import_killed_midway_changes_nothing(tmp_path: Path, bot_url: str) -> None:
    report = await import_soak(tmp_path, bot_url, files=10, per_file=30, seed=SEED or 1)
    assert report.unchanged, report
    assert report.then_imported == 300


@BOTH_ENGINES
async def test_a_prompt_batch_killed_midway_neither_skips_nor_repeats(
    tmp_path: Path, bot_url: str
) -> None:
    report = await reminders_soak(tmp_path, bot_url, students=16, seed=SEED or 2)
    print(report.describe())
    assert report.unsettled_at_kill > 0, report.describe()  # killed with work in hand
    assert report.never_prompted == [], report.describe()
    # A second prompt only where the first had reached Telegram and was not yet written down.
    assert report.prompted_twice == report.window, report.describe()
    assert report.statuses == {"sent": 16}, report.describe()


@BOTH_ENGINES
async def test_updates_fetched_but_not_handled_are_served_after_a_sigkill(
    tmp_path: Path, bot_url: str
) -> None:
    """Issue 17 row 2: the bot confirms an update only once handled. Every reply is held back
    by Telegram (a slow network), so at the kill the bot has fetched every update and handled
    none: Telegram must serve them all again, and each student then gets their reply."""
    import asyncio

    from tests.reliability.support import BotProcess, bot_env
    from tests.tg.decks import BELARUS

    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "deck.yaml").write_text(BELARUS, encoding="utf-8")
    async with FaultyTelegram() as tg:
        env = bot_env(tg, bot_url, questions, AUTO_MIGRATE="true")
        async with BotProcess(env, tmp_path, tmp_path / "bot.log") as bot:
            await bot.start(tg)
            students = [tg.user(9300 + n, f"Élève {n}") for n in range(6)]
            tg.hang("sendMessage", 30.0, times=len(students))
            sent = [student.send_command("/aide")["update_id"] for student in students]
            await tg.wait_for(
                lambda: (
                    set(sent) <= {uid for batch in tg.served for uid in batch}
                    and tg.stats.requests["sendMessage"] >= 1
                ),
                timeout=20,
            )
            await asyncio.sleep(0.5)  # time for a confirming getUpdates, if the bot sent one
            await bot.kill()
            assert tg.pending_updates == len(students), "updates confirmed before handled"

            await bot.start(tg)
            for student in students:
                await student.wait_for_message("Voici ce que je sais faire", timeout=20)
            await tg.wait_for(lambda: tg.pending_updates == 0, timeout=10)
            assert await bot.terminate() == 0
        assert "Traceback" not in bot.output()
