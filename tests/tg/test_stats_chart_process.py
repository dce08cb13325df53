"""/stats through the real bot and the fake Bot API: the chart comes from the chart process
(another pid), and a chart process that dies costs the student one chart, not the figures,
and not the next /stats."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.render import chart_process
from bot.render.chart import HEIGHT_PX, WIDTH_PX
from bot.render.chart_process import ChartRenderer
from bot.tg.context import BotApplication
from bot.tg.handlers import stats as stats_handler
from tests.render.child_renders import DIE_MARKER, die_if_marked, pid_chunk
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import buttons, last_id


@pytest.fixture
async def renderer(
    app: BotApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[ChartRenderer]:
    """The bot's renderer, drawing the real chart marked with the drawing pid; it kills its
    child while the file ``marker`` exists (set before the child starts: it inherits it)."""
    monkeypatch.setenv(DIE_MARKER, str(tmp_path / "die"))
    renderer = ChartRenderer(die_if_marked)
    monkeypatch.setattr(chart_process, "RENDERER", renderer)
    yield renderer
    await stats_handler.on_shutdown(app)  # what the application's post_shutdown runs
    assert renderer.child_pids == []


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


async def answer_one(student: FakeUser) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    student.press(q1, buttons(q1)["la Russie"])
    await student.wait_for_message("membre de l'OTAN")


async def test_the_chart_is_drawn_by_another_process(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, renderer: ChartRenderer
) -> None:
    await answer_one(student)
    mark = last_id(tg, student)
    student.send_command("/stats")
    await student.wait_for_message("Tes progrès", after=mark)
    await tg.wait_for_message(
        student.chat_id, where=lambda m: "photo" in m, after=mark, timeout=20
    )
    (call,) = tg.calls("sendPhoto", chat_id=student.chat_id, ok=True)
    png = call.files["photo"].data
    assert png_size(png) == (WIDTH_PX, HEIGHT_PX)
    drawn_by = pid_chunk(png)
    assert drawn_by is not None and drawn_by != os.getpid()
    assert renderer.child_pids == [drawn_by]


async def test_a_dead_chart_process_costs_one_chart(
    bot: BotApplication,
    tg: FakeTelegram,
    student: FakeUser,
    renderer: ChartRenderer,
    tmp_path: Path,
) -> None:
    await answer_one(student)
    (tmp_path / "die").touch()
    mark = last_id(tg, student)
    student.send_command("/stats")
    text = await student.wait_for_message("Tes progrès", after=mark)
    note = await student.wait_for_message("graphique n'est pas disponible", after=mark, timeout=20)
    assert note["message_id"] > text["message_id"]
    assert "les chiffres ci-dessus sont à jour" in note["text"]
    assert tg.calls("sendPhoto", chat_id=student.chat_id) == []
    assert not (tmp_path / "die").exists()  # the child did run, and died

    mark = last_id(tg, student)
    student.send_command("/stats")  # a fresh child
    await student.wait_for_message("Tes progrès", after=mark)
    await tg.wait_for_message(
        student.chat_id, where=lambda m: "photo" in m, after=mark, timeout=20
    )
    (call,) = tg.calls("sendPhoto", chat_id=student.chat_id, ok=True)
    assert pid_chunk(call.files["photo"].data) == renderer.child_pids[0]

    student.send_command("/aide")  # the bot still answers
    await student.wait_for_message("Voici ce que je sais faire")
