"""The chart drawn in a child process: a real PNG, another pid, no matplotlib in the bot,
and a child that dies or hangs costs one chart, never the next one."""

from __future__ import annotations

import asyncio
import os
import pickle
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.render import chart_process
from bot.render.chart import HEIGHT_PX, WIDTH_PX, render_chart
from bot.render.chart_process import ChartRenderer, RenderFunc
from tests.render.child_renders import (
    chart_with_pid,
    child_pid,
    die_or_hang,
    pid_chunk,
    sample_stats,
)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def renderers() -> AsyncIterator[list[ChartRenderer]]:
    """Renderers made by the test, all shut down at its end (no child left behind)."""
    made: list[ChartRenderer] = []
    yield made
    for renderer in made:
        await renderer.aclose()
        assert renderer.child_pids == []


def make(
    renderers: list[ChartRenderer],
    render: RenderFunc = render_chart,
    *,
    timeout: float = 30.0,
    max_tasks_per_child: int = 200,
) -> ChartRenderer:
    renderer = ChartRenderer(render, timeout=timeout, max_tasks_per_child=max_tasks_per_child)
    renderers.append(renderer)
    return renderer


def gone(pid: int, within: float = 10.0) -> bool:
    """True once no process has this pid (killed and reaped by the pool)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie nobody reaped (reparented in a container without init) is gone too
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except (OSError, IndexError):
            pass
        time.sleep(0.05)
    return False


def test_figures_pickle() -> None:
    stats = sample_stats()
    assert pickle.loads(pickle.dumps(stats)) == stats


async def test_the_chart_is_a_png_drawn_in_another_process(renderers: list[ChartRenderer]) -> None:
    png = await make(renderers, chart_with_pid).render(sample_stats(), "fr")
    assert png is not None and png.startswith(PNG)
    assert png[12:16] == b"IHDR"
    size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    assert size == (WIDTH_PX, HEIGHT_PX)
    drawn_by = pid_chunk(png)
    assert drawn_by is not None and drawn_by != os.getpid()

    default = await make(renderers).render(sample_stats(), "en")  # render_chart itself
    assert default is not None and default.startswith(PNG)


async def test_one_child_for_successive_charts_then_a_fresh_one(
    renderers: list[ChartRenderer],
) -> None:
    renderer = make(renderers, child_pid, max_tasks_per_child=2)
    pids = [int(await renderer.render(sample_stats(), "fr") or b"0") for _ in range(5)]
    assert os.getpid() not in pids
    first, second, third = pids[0], pids[2], pids[4]
    assert pids == [first, first, second, second, third]
    assert len({first, second, third}) == 3
    assert gone(first) and gone(second)  # retired children exit


async def test_charts_asked_at_once_are_drawn_one_after_the_other(
    renderers: list[ChartRenderer],
) -> None:
    renderer = make(renderers, child_pid)
    results = await asyncio.gather(*(renderer.render(sample_stats(), "fr") for _ in range(4)))
    assert len(set(results)) == 1 and results[0] is not None
    assert renderer.child_pids == [int(results[0])]


async def test_a_child_that_dies_costs_one_chart(renderers: list[ChartRenderer]) -> None:
    renderer = make(renderers, die_or_hang)
    before = int(await renderer.render(sample_stats(), "fr") or b"0")
    assert await renderer.render(sample_stats(), "die") is None
    assert gone(before)
    after = await renderer.render(sample_stats(), "fr")
    assert after is not None and int(after) not in (before, os.getpid())


async def test_a_child_that_hangs_is_killed_after_the_timeout(
    renderers: list[ChartRenderer],
) -> None:
    renderer = make(renderers, die_or_hang, timeout=30)
    before = int(await renderer.render(sample_stats(), "fr") or b"0")
    renderer.timeout = 1.0
    started = time.monotonic()
    assert await renderer.render(sample_stats(), "hang") is None
    assert time.monotonic() - started < 5
    assert gone(before)
    renderer.timeout = 30
    after = await renderer.render(sample_stats(), "fr")
    assert after is not None and int(after) != before


async def test_shutdown_stops_the_child_and_the_next_chart_starts_one(
    renderers: list[ChartRenderer],
) -> None:
    renderer = make(renderers, child_pid)
    pid = int(await renderer.render(sample_stats(), "fr") or b"0")
    assert renderer.child_pids == [pid]
    await renderer.aclose()
    assert renderer.child_pids == [] and gone(pid)
    again = await renderer.render(sample_stats(), "fr")
    assert again is not None and int(again) != pid


def test_the_bot_side_never_imports_matplotlib() -> None:
    """In a fresh interpreter: the /stats handler's module and its renderer draw two real
    charts, and neither matplotlib, numpy nor Pillow is ever imported there."""
    code = (
        "import asyncio, sys\n"
        "from bot.tg.handlers import stats\n"
        "from bot.render import chart_process\n"
        "from tests.render.child_renders import sample_stats\n"
        "async def main():\n"
        "    for language in ('fr', 'en'):\n"
        "        png = await chart_process.RENDERER.render(sample_stats(), language)\n"
        "        assert png is not None and png.startswith(b'\\x89PNG'), png\n"
        "    pids = chart_process.RENDERER.child_pids\n"
        "    await stats.on_shutdown(None)\n"
        "    assert chart_process.RENDERER.child_pids == [] and len(pids) == 1, pids\n"
        "asyncio.run(main())\n"
        "heavy = {'matplotlib', 'numpy', 'PIL'}\n"
        "heavy = sorted(n for n in sys.modules if n.split('.')[0] in heavy)\n"
        "assert not heavy, heavy\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=Path(chart_process.__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_child_exits_when_the_bot_is_killed(tmp_path: Path) -> None:
    """A bot killed with SIGKILL cannot stop its chart process: the child notices and exits."""
    code = (
        "import asyncio, sys\n"
        "from bot.render import chart_process\n"
        "from tests.render.child_renders import child_pid, sample_stats\n"
        "renderer = chart_process.ChartRenderer(child_pid)\n"
        "print(asyncio.run(renderer.render(sample_stats(), 'fr')).decode(), flush=True)\n"
        "import time; time.sleep(60)\n"
    )
    bot = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=Path(chart_process.__file__).parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert bot.stdout is not None
        child = int(bot.stdout.readline())
        assert not gone(child, within=0.5)
    finally:
        bot.kill()
        bot.wait()
        assert bot.stdout is not None
        bot.stdout.close()
    assert gone(child, within=10)


async def test_a_child_that_hangs_on_its_last_chart_is_killed_too(
    renderers: list[ChartRenderer],
) -> None:
    """The last chart before the child is replaced: the renderer has let go of that child
    already, and still kills it when it hangs."""
    renderer = make(renderers, die_or_hang, max_tasks_per_child=2)
    before = int(await renderer.render(sample_stats(), "fr") or b"0")
    renderer.timeout = 1.0
    assert await renderer.render(sample_stats(), "hang") is None
    assert gone(before)
    renderer.timeout = 30
    after = await renderer.render(sample_stats(), "fr")
    assert after is not None and int(after) != before
