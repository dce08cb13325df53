"""Reading the captured logs: what was said at warning level and above, and tracebacks."""

from __future__ import annotations

import logging

import pytest


def loud(caplog: pytest.LogCaptureFixture, since: int = 0) -> list[logging.LogRecord]:
    """Records at WARNING and above (what an operator reads), from index ``since``."""
    return [r for r in caplog.records[since:] if r.levelno >= logging.WARNING]


def tracebacks(caplog: pytest.LogCaptureFixture, since: int = 0) -> list[logging.LogRecord]:
    """Records carrying a traceback (as an exception, or formatted into the message)."""
    return [
        r
        for r in caplog.records[since:]
        if r.exc_info is not None or "Traceback (most recent call last)" in r.getMessage()
    ]


def show(records: list[logging.LogRecord]) -> str:
    return "\n".join(f"{r.levelname} {r.name}: {r.getMessage()[:200]}" for r in records)
