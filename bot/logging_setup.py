"""Logging set-up: one format, and secrets (bot token, database password) never printed.

Secrets are replaced by ``***`` in every record the root handler writes, tracebacks included,
and also in their URL-encoded forms (a password with ``@`` is ``%40`` inside a database URL;
the token's ``:`` may be ``%3A`` in a request URL). An exception nobody caught (in the main
thread or another one) is logged through the same handler instead of being printed raw by
Python, so it is redacted too.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from urllib.parse import quote, quote_plus


def _variants(secret: str) -> list[str]:
    """The secret as written, then as it appears in a URL (longest first, so all go)."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret)}
    return sorted(forms, key=len, reverse=True)


class RedactingFilter(logging.Filter):
    """Replaces each secret by `***` in the final message (tracebacks included)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]
        self._forms = [form for secret in self.secrets for form in _variants(secret)]

    def redact(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._forms:
            return True
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        if record.stack_info:
            message += "\n" + record.stack_info
            record.stack_info = None
        record.msg, record.args = self.redact(message), None
        return True


class VolumeFilter(logging.Filter):
    """A log-volume guard: at most ``limit`` records of the same message (logger, level and
    format string) per ``window`` seconds; the others are counted, and the first record of
    that message after the window says how many were not shown. A fault repeating itself
    (an update failing in a loop) prints a few lines, not megabytes."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 10.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 1000,
    ) -> None:
        super().__init__()
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        #: message key → [window start, records shown, records held back]
        self._seen: dict[tuple[str, int, str], list[float]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        with self._lock:
            entry = self._seen.get(key)
            if entry is None or now - entry[0] >= self.window:
                held = int(entry[2]) if entry is not None else 0
                if len(self._seen) >= self._max_keys:
                    self._seen.clear()
                self._seen[key] = [now, 1, 0]
                if held:
                    record.msg = f"{record.getMessage()} [and {held} more like it not shown]"
                    record.args = None
                return True
            if entry[1] < self.limit:
                entry[1] += 1
                return True
            entry[2] += 1
            return False


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logging.getLogger("quizbot").critical("uncaught exception", exc_info=(kind, value, tb))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "?"
    logging.getLogger("quizbot").critical(
        "uncaught exception in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(VolumeFilter())
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # Uncaught exceptions go through the redacting handler, not raw to stderr.
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
