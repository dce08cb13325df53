"""The log-volume guard: a repeated message prints a few lines, then a count."""

from __future__ import annotations

import logging

from bot.logging_setup import VolumeFilter


def record(msg: str, *args: object, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("bot.tg", level, __file__, 1, msg, args, None)


def test_a_message_repeated_in_a_loop_is_shown_a_few_times_then_counted() -> None:
    now = [0.0]
    guard = VolumeFilter(limit=3, window=10.0, clock=lambda: now[0])

    shown = [guard.filter(record("update %s failed", n)) for n in range(20_000)]
    assert shown.count(True) == 3
    assert guard.filter(record("another message"))  # other messages are not held back

    now[0] = 10.0
    summary = record("update %s failed", 20_001)
    assert guard.filter(summary)
    assert summary.getMessage() == "update 20001 failed [and 19997 more like it not shown]"
    assert guard.filter(record("update %s failed", 1))
    assert not [guard.filter(record("update %s failed", 1)) for _ in range(3)][-1]
