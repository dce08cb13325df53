"""/stats charts drawn in the bot process (as before) or in the chart process (now): the bot's
memory, the chart's latency, and how long the bot's event loop stalls while a chart is drawn.

Each variant runs in a fresh interpreter that first imports what the bot imports (the
Telegram layer, the services, SQLAlchemy), then draws ``--charts`` charts one after the other
from the event loop, as the /stats handler does:

* ``in process``: ``await asyncio.to_thread(render_chart, …)`` (the handler before the change);
* ``child process``: ``await chart_process.RENDERER.render(…)`` (the handler now).

Meanwhile a 10 ms ticker runs on the event loop: its worst delay is how long every other
student's update would have waited. RSS is the bot process's (psutil); the child's is given
apart.

    .venv/bin/pip install psutil        # measuring tool (the `bench` extra)
    .venv/bin/python bench/chart_process.py                 # 20 charts per variant
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


if TYPE_CHECKING:
    from bot.domain.stats import StudentStats


def _sample_stats() -> StudentStats:
    import datetime as dt

    from bot.domain.stats import DayActivity, StudentStats

    today = dt.date(2026, 1, 10)
    history = tuple(
        DayActivity(today - dt.timedelta(days=29 - i), answers=3 + i % 7, correct=2 + i % 3)
        for i in range(30)
    )
    forecast = tuple((today + dt.timedelta(days=i), (i * 7) % 11) for i in range(14))
    return StudentStats(3, 5, 12, 40, 31, 160, 120, 4, 9, 3, 2, 11, history, forecast)


def measure(mode: str, charts: int) -> dict[str, object]:
    import asyncio
    import time

    import psutil

    import bot.tg.app  # noqa: F401  (what the bot process holds before any /stats)
    from bot.render import chart_process
    from bot.render.chart import render_chart

    me = psutil.Process()
    stats = _sample_stats()

    async def run() -> dict[str, object]:
        lags: list[float] = []
        stop = asyncio.Event()

        async def ticker() -> None:
            while not stop.is_set():
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append(time.perf_counter() - before - 0.01)

        tick = asyncio.create_task(ticker())
        await asyncio.sleep(0.2)
        rss_before = me.memory_info().rss
        cpu_before = me.cpu_times()
        latencies = []
        for _ in range(charts):
            start = time.perf_counter()
            if mode == "in process":
                png = await asyncio.to_thread(render_chart, stats, "fr")
            else:
                result = await chart_process.RENDERER.render(stats, "fr")
                assert result is not None
                png = result
            latencies.append(time.perf_counter() - start)
            assert png.startswith(b"\x89PNG")
        cpu_after = me.cpu_times()
        rss_after = me.memory_info().rss
        children = [p.memory_info().rss for p in me.children(recursive=True)]
        stop.set()
        await tick
        await chart_process.RENDERER.aclose()
        following = sorted(latencies[1:])
        return {
            "rss_before": rss_before / 2**20,
            "rss_after": rss_after / 2**20,
            "peak": me.memory_info().rss / 2**20,
            "child_rss": max(children, default=0) / 2**20,
            "first": latencies[0],
            "median": following[len(following) // 2],
            "max_following": following[-1],
            "bot_cpu_per_chart": (
                (cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system) / charts
            ),
            "worst_loop_stall": max(lags),
            "matplotlib_in_bot": "matplotlib" in sys.modules,
        }

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=20)
    parser.add_argument("--measure", choices=["in process", "child process"])
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.charts)))
        return
    rows = {}
    for mode in ("in process", "child process"):
        done = subprocess.run(
            [sys.executable, __file__, "--measure", mode, "--charts", str(args.charts)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        rows[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"| {args.charts} charts in a row | bot RSS before → after | chart process RSS "
        "| first chart | following: median / max | bot CPU per chart | worst event-loop stall "
        "| matplotlib in the bot |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for mode, r in rows.items():
        print(
            f"| {mode} | {r['rss_before']:.0f} → {r['rss_after']:.0f} MB "
            f"| {r['child_rss']:.0f} MB | {r['first'] * 1000:,.0f} ms "
            f"| {r['median'] * 1000:,.0f} / {r['max_following'] * 1000:,.0f} ms "
            f"| {r['bot_cpu_per_chart'] * 1000:,.0f} ms | {r['worst_loop_stall'] * 1000:,.0f} ms "
            f"| {'yes' if r['matplotlib_in_bot'] else 'no'} |"
        )


if __name__ == "__main__":
    main()
