"""Render functions for :class:`bot.render.chart_process.ChartRenderer` in tests.

They run in the child process, which imports this module by name: top-level functions only.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
import time
import zlib
from pathlib import Path

from bot.domain.stats import DayActivity, StudentStats
from bot.render.chart import render_chart

#: The ``tEXt`` key :func:`chart_with_pid` writes the drawing process's pid under.
PID_KEY = b"quizbot-pid"
#: Environment variable naming a file: while it exists, :func:`die_if_marked` kills the child
#: (and removes the file, so the next chart works).
DIE_MARKER = "QUIZBOT_TEST_CHART_DIE_MARKER"


def sample_stats() -> StudentStats:
    today = dt.date(2026, 1, 10)
    history = tuple(
        DayActivity(
            today - dt.timedelta(days=29 - i), answers=i % 5, correct=i % 3 if i % 5 else 0
        )
        for i in range(30)
    )
    forecast = tuple((today + dt.timedelta(days=i), (i * 7) % 5) for i in range(14))
    return StudentStats(
        new=1,
        learning=2,
        known=3,
        answers_7d=10,
        correct_7d=6,
        answers_30d=60,
        correct_30d=31,
        current_streak=2,
        best_streak=5,
        due_today=1,
        due_tomorrow=1,
        due_week=3,
        history=history,
        forecast=forecast,
    )


def pid_chunk(png: bytes) -> int | None:
    """The pid written by :func:`chart_with_pid`, None when the PNG has none."""
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"tEXt" and body.startswith(PID_KEY + b"\0"):
            return int(body[len(PID_KEY) + 1 :])
        at += 12 + length
    return None


def _with_text(png: bytes, key: bytes, value: bytes) -> bytes:
    body = b"tEXt" + key + b"\0" + value
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    assert png[-12:-8] == b"\0\0\0\0" and png[-8:-4] == b"IEND"
    return png[:-12] + chunk + png[-12:]


def chart_with_pid(stats: StudentStats, language: str) -> bytes:
    """The real chart, with the pid of the process that drew it in a ``tEXt`` chunk."""
    return _with_text(render_chart(stats, language), PID_KEY, str(os.getpid()).encode())


def child_pid(stats: StudentStats, language: str) -> bytes:
    """No chart: only the pid of the process this ran in (fast, for the pool's mechanics)."""
    return str(os.getpid()).encode()


def die_or_hang(stats: StudentStats, language: str) -> bytes:
    """``language`` "die": the process exits at once; "hang": it sleeps; else :func:`child_pid`."""
    if language == "die":
        os._exit(3)
    if language == "hang":
        time.sleep(120)
    return child_pid(stats, language)


def die_if_marked(stats: StudentStats, language: str) -> bytes:
    marker = Path(os.environ[DIE_MARKER])
    if marker.exists():
        marker.unlink()
        os._exit(3)
    return chart_with_pid(stats, language)
