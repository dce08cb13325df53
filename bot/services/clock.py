"""The one place the program reads the real clock; everything below takes `now`."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def elapsed_ms(start: dt.datetime, end: dt.datetime) -> int:
    """Milliseconds from ``start`` to ``end``, never negative (clocks of two machines)."""
    return max(0, int((end - start).total_seconds() * 1000))
