"""`quizbot run` as a real process: it starts, answers, and on SIGTERM lets the update in hand
finish (its reply is delivered) before exiting with status 0. One test, SQLite only: the
process pays Python's start-up once."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.support.fake_telegram import FakeTelegram
from tests.tg.decks import BELARUS


async def test_sigterm_finishes_the_update_in_hand(tmp_path: Path) -> None:
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "deck.yaml").write_text(BELARUS, encoding="utf-8")
    async with FakeTelegram() as tg:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_URL": tg.base_url,
            "TELEGRAM_FILE_URL": tg.base_file_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            "QUESTIONS_DIR": str(questions),
            "LOG_LEVEL": "WARNING",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            student = tg.user(4242, "Léa")
            student.send_command("/aide")
            await student.wait_for_message("Voici ce que je sais faire", timeout=30)

            tg.latency = 0.3  # the next reply is still on its way when SIGTERM comes
            student.send_command("/quiz")
            while not tg.stats.requests["sendMessage"] >= 2:  # the reply has left the bot
                await asyncio.sleep(0.01)
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode == 0, stderr.decode()
        assert tg.token not in stderr.decode()
        await student.wait_for_message("principal allié", timeout=1)
