"""Data safety: ``quizbot backup`` while the bot is answering gives a consistent copy.

(PostgreSQL is backed up with ``pg_dump``, see docs/reliability.md; migrations on a database
holding real data are tested in tests/db/test_migrations.py.)
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.tg.context import BotApplication
from tests.reliability.conftest import FakeClock
from tests.reliability.support import (
    ROOT,
    ErrorSpy,
    FaultyTelegram,
    answer_buttons,
    choice_deck,
    idle,
    latest_question,
)
from tests.support.fake_telegram import FakeUser
from tests.tg.harness import count_reviews


@pytest.mark.parametrize("deck_yaml", [choice_deck(40)], ids=["choice-questions"])
async def test_backup_while_the_bot_answers_is_a_consistent_copy(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    clock: FakeClock,
    db: sessionmaker[Session],
    bot_url: str,
    tmp_path: Path,
) -> None:
    students = [tg.user(6000 + n, f"Élève {n}") for n in range(8)]
    stop = asyncio.Event()

    async def answer(user: FakeUser) -> None:
        rng = random.Random(user.id)
        user.send_command("/quiz")
        while not stop.is_set():
            await asyncio.sleep(0.05)
            question = latest_question(user)
            if question is None:
                continue
            user.press(question, rng.choice(answer_buttons(question)))
            clock.advance(1.0)  # a person's pace for the flood guard
            # Read the reply first: the next question (or the end of the deck).
            while not stop.is_set() and latest_question(user) == question:
                await asyncio.sleep(0.02)

    tasks = [asyncio.create_task(answer(user)) for user in students]
    try:
        await asyncio.sleep(0.8)
        before = count_reviews(db)
        target = tmp_path / "copie.sqlite3"
        backup = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "backup",
            str(target),
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": bot_url, "TELEGRAM_BOT_TOKEN": ""},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await backup.communicate()
        assert backup.returncode == 0, output.decode()
        assert "sauvegarde écrite" in output.decode()
        await asyncio.sleep(0.5)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    await idle(bot, tg)
    after = count_reviews(db)

    copy = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        saved = copy.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
        # A snapshot of one instant: every review with the showing it answered, marked.
        orphans = copy.execute(
            "SELECT COUNT(*) FROM reviews r JOIN presentations p ON p.id = r.presentation_id"
            " WHERE p.answered_at IS NULL"
        ).fetchone()[0]
        keys = {row[0] for row in copy.execute("SELECT idempotency_key FROM reviews")}
    finally:
        copy.close()
    live = sqlite3.connect(bot_url.removeprefix("sqlite:///"))
    try:
        live_keys = {row[0] for row in live.execute("SELECT idempotency_key FROM reviews")}
    finally:
        live.close()
    assert before <= saved <= after, (before, saved, after)
    assert after > saved  # the bot went on answering during and after the copy
    assert orphans == 0
    assert keys <= live_keys
    assert not spy.calls
