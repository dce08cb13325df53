"""What the reliability tests share: a fake Telegram with more faults, the bot as a process,
and readers of what the fake saw.

:class:`FaultyTelegram` is :class:`~tests.support.fake_telegram.FakeTelegram` plus

* :meth:`~FaultyTelegram.hang`: one method (for one chat, or all) answers only after a delay,
  so the bot's request times out, or a fault arrives while it is in flight;
* :meth:`~FaultyTelegram.restart`: stop listening (connections refused), then listen again on
  the same port with the same state, as Telegram coming back;
* :attr:`~FaultyTelegram.served`: the update ids each ``getUpdates`` answer carried, to see
  which updates were served more than once.

:class:`BotProcess` runs ``python -m bot run`` against it, as an operator would.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bot.tg.context import BotApplication, BotContext
from tests.support.fake_telegram import FakeTelegram, FakeUser

JSON = dict[str, Any]
ROOT = Path(__file__).resolve().parents[2]

#: Verdict marks at the top of an answered question (the texts' verdict_* lines).
VERDICT_MARKS = ("✅", "❌", "👍", "🟡")
ANSWER_DATA = re.compile(r"^a:([A-Za-z0-9_-]{1,16}):(\d{1,2})$")


@dataclass(slots=True)
class _Hang:
    method: str
    chat_id: int | None
    seconds: float
    remaining: int


class FaultyTelegram(FakeTelegram):
    """The fake Bot API with slow answers, restarts and a log of served updates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._hangs: list[_Hang] = []
        self.served: list[list[int]] = []
        super().__init__(*args, **kwargs)

    def _api_methods(self) -> dict[str, Callable[[Any], Any]]:
        methods = super()._api_methods()
        wrapped: dict[str, Callable[[Any], Any]] = {}
        for name, handler in methods.items():
            wrapped[name] = self._wrap(name, handler)
        return wrapped

    def _wrap(self, name: str, handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        async def call(params: Any) -> Any:
            hang = self._take_hang(name, params.chat_id() if "chat_id" in params.values else None)
            if hang is not None:
                await asyncio.sleep(hang)
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
            if name == "getUpdates":
                self.served.append([int(u["update_id"]) for u in result])
            return result

        return call

    def _take_hang(self, method: str, chat_id: object) -> float | None:
        for hang in self._hangs:
            if hang.method == method and hang.chat_id in (None, chat_id):
                hang.remaining -= 1
                if hang.remaining <= 0:
                    self._hangs.remove(hang)
                return hang.seconds
        return None

    def hang(
        self, method: str, seconds: float, *, chat_id: int | None = None, times: int = 1
    ) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id``) answer ``seconds`` late."""
        self._hangs.append(_Hang(method, chat_id, seconds, times))

    async def __aenter__(self) -> FaultyTelegram:
        await self.start()
        return self

    async def restart(self, down_for: float) -> None:
        """Refuse connections for ``down_for`` seconds, then listen on the same port again."""
        await self.stop()
        await asyncio.sleep(down_for)
        await self.start()

    def unconfirmed(self, update_id: int) -> bool:
        """Whether Telegram still holds the update (not yet confirmed by a later offset)."""
        return any(p.update_id == update_id for p in self._pending)

    def served_twice(self) -> Counter[int]:
        """Update ids served by more than one ``getUpdates`` answer, with how many times."""
        counts = Counter(uid for batch in self.served for uid in batch)
        return Counter({uid: n for uid, n in counts.items() if n > 1})


# -- reading what the bot did -----------------------------------------------------------------


def question_tokens(tg: FakeTelegram) -> dict[tuple[int, int], str]:
    """(chat, message id) → token of every question message the bot sent with answer buttons."""
    found: dict[tuple[int, int], str] = {}
    for call in tg.calls("sendMessage", ok=True):
        message = call.message
        if message is None:
            continue
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                match = ANSWER_DATA.match(button.get("callback_data", ""))
                if match:
                    found[(int(message["chat"]["id"]), int(message["message_id"]))] = match[1]
    return found


def acknowledged_tokens(tg: FakeTelegram) -> set[str]:
    """Tokens of the questions whose verdict Telegram accepted (the question message edited
    to show it): the answers the bot told a student it had counted."""
    tokens = question_tokens(tg)
    done: set[str] = set()
    for call in tg.calls("editMessageText", ok=True):
        text = str(call.params.get("text", ""))
        if not any(mark in text for mark in VERDICT_MARKS):
            continue
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        if key in tokens:
            done.add(tokens[key])
    return done


def bot_texts(tg: FakeTelegram, chat_id: int) -> list[str]:
    """Every text the bot sent (not edited) to a chat, in order, failed sends excluded."""
    return [
        str(c.params.get("text", "")) for c in tg.calls("sendMessage", chat_id=chat_id, ok=True)
    ]


async def idle(app: BotApplication, tg: FakeTelegram, timeout: float = 5.0) -> None:
    """Wait until the bot has no update pending, queued or in hand."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet = 0
    while quiet < 3:  # three looks in a row: nothing in between
        busy = (
            tg.pending_updates
            or not app.update_queue.empty()
            or app.update_processor.current_concurrent_updates
        )
        quiet = 0 if busy else quiet + 1
        if loop.time() > deadline:
            raise AssertionError("the bot is still busy")
        await asyncio.sleep(0.01)


# -- hooking the error handler ----------------------------------------------------------------


@dataclass
class ErrorSpy:
    """Records every call of the application's error handlers (which still run)."""

    calls: list[tuple[object, BaseException | None]] = field(default_factory=list)

    def install(self, app: BotApplication) -> ErrorSpy:
        originals = dict(app.error_handlers)
        for callback in originals:
            app.remove_error_handler(callback)

        async def spy(update: object, context: BotContext) -> None:
            self.calls.append((update, context.error))
            for callback in originals:
                await callback(update, context)

        app.add_error_handler(spy)
        return self

    def describe(self) -> str:
        return "\n".join(f"{type(e).__name__}: {e}" for _, e in self.calls)


# -- the bot as a process ---------------------------------------------------------------------


class BotProcess:
    """``python -m bot run`` with the given environment; stderr goes to ``log_path``."""

    def __init__(self, env: Mapping[str, str], cwd: Path, log_path: Path) -> None:
        self.env = {**os.environ, **env}
        self.cwd = cwd
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self._log: IO[bytes] | None = None

    async def start(self, tg: FakeTelegram, *, timeout: float = 30.0) -> None:
        """Start and wait until it polls (questions imported, menus published)."""
        polls = tg.stats.requests["getUpdates"]
        self._log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=self.cwd,
            env=self.env,
            stdout=self._log,
            stderr=self._log,
        )
        self.starts += 1
        process = self.process
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while tg.stats.requests["getUpdates"] <= polls:
            if process.returncode is not None:
                raise AssertionError(f"the bot exited with {process.returncode}:\n{self.output()}")
            if loop.time() > deadline:
                raise AssertionError(f"the bot is not polling after {timeout} s:\n{self.output()}")
            await asyncio.sleep(0.02)

    async def kill(self) -> None:
        """SIGKILL: no clean-up, no last confirmation of updates, transactions cut."""
        await self._signal(signal.SIGKILL)

    async def terminate(self) -> int:
        return await self._signal(signal.SIGTERM)

    async def _signal(self, signum: int) -> int:
        process = self.process
        assert process is not None
        if process.returncode is None:
            process.send_signal(signum)
        code = await asyncio.wait_for(process.wait(), 30)
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def __aenter__(self) -> BotProcess:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        if self._log is not None:
            self._log.close()


def bot_env(tg: FakeTelegram, database_url: str, questions: Path, **extra: str) -> dict[str, str]:
    """The environment of ``quizbot run`` against the fake."""
    return {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_URL": tg.base_url,
        "TELEGRAM_FILE_URL": tg.base_file_url,
        "DATABASE_URL": database_url,
        "QUESTIONS_DIR": str(questions),
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
        "PTB_TIMEDELTA": "true",
        **extra,
    }


# -- decks ------------------------------------------------------------------------------------


def choice_deck(count: int, slug: str = "calcul") -> str:
    """``count`` multiple-choice questions (« Combien font n + n ? »)."""
    lines = ["version: 1", "deck:", f"  id: {slug}", '  title: "Calcul"', "questions:"]
    for n in range(1, count + 1):
        lines += [
            f"  - id: q{n}",
            "    kind: choice",
            f'    prompt: "Question {n} : combien font {n} + {n} ?"',
            f'    answer: "{2 * n}"',
            f'    distractors: ["{2 * n + 1}", "{2 * n - 1}", "{2 * n + 2}"]',
        ]
    return "\n".join(lines) + "\n"


def open_deck(count: int, slug: str = "dates") -> str:
    """``count`` open questions (« En quelle année … n° n ? » → 1900 + n)."""
    lines = ["version: 1", "deck:", f"  id: {slug}", '  title: "Dates"', "questions:"]
    for n in range(1, count + 1):
        lines += [
            f"  - id: d{n}",
            "    kind: open",
            f'    prompt: "En quelle année a eu lieu l\'événement n° {n} ?"',
            f'    answer: "{1900 + n}"',
        ]
    return "\n".join(lines) + "\n"


def latest_question(user: FakeUser) -> JSON | None:
    """The newest bot message in the chat that still shows answer buttons."""
    for message in reversed(user.messages()):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            if any(ANSWER_DATA.match(b.get("callback_data", "")) for b in row):
                return message
    return None


def answer_buttons(message: JSON) -> list[str]:
    return [
        b["callback_data"]
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
        if ANSWER_DATA.match(b.get("callback_data", ""))
    ]
