"""Benchmark (run by hand): the real bot under load from simulated students, against a bare
python-telegram-bot echo bot on the same fake Bot API server, in the same run.

    .venv/bin/python bench/bot_throughput.py [--students 200] [--closed 30] [--rounds 10]
        [--engines sqlite,postgresql] [--profile] [--soak SECONDS [--tracemalloc]] [--quick]
    .venv/bin/python bench/bot_throughput.py --ab BENCH_DB_THREADS=1 BENCH_POOL=8 …

What runs:

* a fake Bot API server (``tests/support/fake_telegram.py``) in this process on 127.0.0.1,
  with the simulated students beside it; its CPU (and this process's) is reported, so one can
  see that it is not the bottleneck;
* the bot as a subprocess, pointed at the fake by ``TELEGRAM_API_URL`` / ``TELEGRAM_FILE_URL``
  / ``TELEGRAM_BOT_TOKEN``, on a copy of the 100,000-student SQLite dataset (see
  ``bench/_common.py``), then on PostgreSQL (the same dataset COPYed into a fresh schema
  ``?options=-csearch_path%3D…``, dropped at the end);
* the baseline: ``bench/echo_bot.py`` (no database), same library versions, same server, same
  load.

The students (default 200, existing students of the dataset) run quiz sessions: ``/quiz``,
then eight answers, by pressing a button when the question has answer buttons and by typing
otherwise, then ``/quiz`` again. Two modes:

* closed loop: each student waits for the bot's next question before acting again;
* burst: every student acts at the same instant; the round ends when all have their next
  question; repeated ``--rounds`` times.

Reported per bot and mode: updates answered per second, latency from injection to the bot's
reply (its first message or edit in that chat: p50, p95, p99) and to the student's next
question (« turn »), the bot process's CPU milliseconds per update (psutil: all its threads)
and its peak RSS (VmHWM); then the ratios ours / baseline (the headline figures).

``quizbot run`` paces every chat request at ``TELEGRAM_MAX_RATE`` (30 per second by default,
Telegram's broadcast limit) and an answer costs two of them (the edit with the verdict and the
next question), so with the default it cannot pass ~15 answers/s whatever the CPU. The
capacity figures are therefore measured with ``TELEGRAM_MAX_RATE=0`` (no overall limiter; the
bot is started through ``bot.cli.main``, as the ``quizbot`` script does, plus a hook that
writes its ``sys.modules`` on exit); a shorter closed loop with the default limit shows the
ceiling itself.

Also measured: start-up of ``quizbot run`` to its first ``getUpdates`` (fresh SQLite file, warm
restart, 100,000-student file), the modules loaded in the bot (spaCy must not be), whether the
bot reuses its HTTP connections, ``/stats`` end to end, and with ``--soak`` the bot's memory
over a long closed loop (``--tracemalloc``: what grew in its Python heap), and the CPU of one
httpx request by the number of pooled connections. ``--profile`` records the bot with py-spy
during the closed loops and prints where its CPU goes; ``--ab`` runs A/B variants of the
SQLite closed loop (see ``run_ab``).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import math
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c

sys.path.insert(0, str(c.ROOT))

import psutil

from tests.support.fake_telegram import DEFAULT_TOKEN, FakeTelegram, FakeUser

PYTHON = c.ROOT / ".venv" / "bin" / "python"
QUIZBOT = c.ROOT / ".venv" / "bin" / "quizbot"

#: ``quizbot run`` (the same ``bot.cli.main``), dumping ``sys.modules`` on exit; the capacity
#: phases also set ``TELEGRAM_MAX_RATE=0`` (no overall flood limiter).
QUIZBOT_RUN = """
import atexit, json, os, sys
@atexit.register
def _dump():
    with open(os.environ["BENCH_MODULES_FILE"], "w") as f:
        json.dump(sorted(sys.modules), f)
# Experiment knobs (unset in the benchmark's own runs): connection pool, concurrency, threads.
if os.environ.get("BENCH_TRACEMALLOC"):  # --tracemalloc: snapshots on SIGUSR1
    import signal, tracemalloc
    tracemalloc.start(8)
    _snaps = [0]
    def _snapshot(*_):
        _snaps[0] += 1
        path = f"{os.environ['BENCH_TRACEMALLOC']}-{_snaps[0]}.pickle"
        tracemalloc.take_snapshot().dump(path)
    signal.signal(signal.SIGUSR1, _snapshot)
if os.environ.get("BENCH_POOL"):
    from telegram.ext import ApplicationBuilder
    _build = ApplicationBuilder.build
    def _sized(self):
        self.connection_pool_size(int(os.environ["BENCH_POOL"]))
        return _build(self)
    ApplicationBuilder.build = _sized
if os.environ.get("BENCH_CONCURRENCY"):
    from bot.tg.concurrency import PerUserUpdateProcessor
    PerUserUpdateProcessor.__init__.__defaults__ = (int(os.environ["BENCH_CONCURRENCY"]),)
if os.environ.get("BENCH_DB_THREADS"):  # services on N dedicated threads
    import asyncio, functools
    from concurrent.futures import ThreadPoolExecutor
    from bot.tg import concurrency
    _pool = ThreadPoolExecutor(int(os.environ["BENCH_DB_THREADS"]), "db")
    async def _run_sync(func, /, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_pool, functools.partial(func, *args, **kwargs))
    concurrency.run_sync = _run_sync
# The simulated students are scripts that answer as soon as the question arrives (2–6 a
# second each in --quick): the per-student flood limit (bot.tg.flood, 30 at once then 1/s)
# would drop their updates, and each drop costs a 30 s wait, so it is lifted here. Real
# students are far below it; its own cost per update stays in the figures.
from bot.tg import flood as _flood
_flood.FloodLimits.__init__.__defaults__ = (1e9, 1e9, 1_000_000, 10_000)
from bot.cli import main
sys.exit(main(["run"]))
"""

#: Shared objects whose presence in /proc/PID/maps means the package was imported.
HEAVY = {
    "spacy": "/spacy/",
    "thinc": "/thinc/",
    "numpy": "/numpy/",
    "matplotlib": "/matplotlib/",
    "PIL": "/PIL/",
}

ANSWERS_PER_SESSION = 8
GUESSES = ("2006", "la Russie", "Genève", "1957", "je ne sais pas", "Moscou", "vrai")


# ---------------------------------------------------------------------------------------------
# The fake server, instrumented
# ---------------------------------------------------------------------------------------------


class BenchTelegram(FakeTelegram):
    """The fake Bot API server, telling the students about every message the bot sends."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(record_calls=False, **kwargs)
        self.students: dict[int, Student] = {}
        self.first_poll_at: float | None = None
        self.connections_opened = 0
        self.calls: collections.Counter[str] = collections.Counter()

    async def _serve_connection(self, reader: Any, writer: Any) -> None:
        self.connections_opened += 1
        await super()._serve_connection(reader, writer)

    async def _api(
        self, token: str, method_name: str, query: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        if method_name == "getUpdates" and self.first_poll_at is None:
            self.first_poll_at = time.perf_counter()
        status, answer = await super()._api(token, method_name, query, headers, body)
        self.calls[method_name] += 1
        if status == 200 and method_name in ("sendMessage", "editMessageText"):
            message = answer["result"]
            student = self.students.get(message["chat"]["id"])
            if student is not None:
                student.on_bot_message(method_name, message)
        elif status != 200:
            self.calls[f"{method_name}:{status}"] += 1
        return status, answer


# ---------------------------------------------------------------------------------------------
# Students
# ---------------------------------------------------------------------------------------------


@dataclass
class Turn:
    kind: str  # command | press | typed
    injected: float
    replied: float | None = None
    done: float | None = None


def _buttons(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b.get("callback_data", "") for row in rows for b in row]


class Student:
    def __init__(self, tg: BenchTelegram, uid: int, rng: random.Random) -> None:
        tg_id = c.TG_BASE + uid
        self.user: FakeUser = tg.user(tg_id, first_name=f"Élève {uid}", language_code="fr")
        self.chat_id = tg_id
        self.rng = rng
        self.question: dict[str, Any] | None = None
        self.answered_in_session = 0
        self.turn: Turn | None = None
        self.finished: asyncio.Event = asyncio.Event()
        self.turns: list[Turn] = []
        self.unexpected = 0

    def act(self) -> None:
        """Inject the next update: an answer to the shown question, or /quiz."""
        question = self.question
        if question is not None:
            # The message as the chat shows it now: after a late reply (a turn that timed out)
            # the bot may have taken its buttons away since.
            current = self.user.tg._chats[self.chat_id].messages.get(question["message_id"])
            question = current if current is not None and _buttons(current) else None
        answers = [d for d in _buttons(question) if d.startswith("a:")] if question else []
        has_stop = question is not None and any(d.startswith("x:") for d in _buttons(question))
        now = time.perf_counter()
        if question is None or not has_stop or self.answered_in_session >= ANSWERS_PER_SESSION:
            self.answered_in_session = 0
            self.turn = Turn("command", now)
            self.user.send_command("/quiz")
        elif answers:
            self.turn = Turn("press", now)
            self.user.press(question["message_id"], self.rng.choice(answers))
            self.answered_in_session += 1
        else:
            self.turn = Turn("typed", now)
            self.user.send_text(self.rng.choice(GUESSES))
            self.answered_in_session += 1
        self.question = None
        self.finished.clear()

    def on_bot_message(self, method: str, message: dict[str, Any]) -> None:
        turn = self.turn
        now = time.perf_counter()
        if turn is None:
            self.unexpected += 1
            return
        if turn.replied is None:
            turn.replied = now
        if method == "sendMessage" or turn.kind == "press":
            # A new question (it has « Stop ») or a message that ends the turn (summary, hint);
            # a pressed answer's message is edited into the verdict and what follows.
            self.question = message if _buttons(message) else None
            turn.done = now
            self.turns.append(turn)
            self.turn = None
            self.finished.set()

    async def wait_turn(self, timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout):
                await self.finished.wait()
            return True
        except TimeoutError:
            return False


# ---------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------


@dataclass
class BotProcess:
    name: str
    proc: subprocess.Popen[bytes]
    ps: psutil.Process
    log_path: Path
    modules_file: Path | None = None
    rss_samples: list[tuple[float, int]] = field(default_factory=list)

    def cpu_seconds(self) -> float:
        t = self.ps.cpu_times()
        return t.user + t.system

    def rss(self) -> int:
        return int(self.ps.memory_info().rss)

    def peak_rss(self) -> int:
        """VmHWM: the highest resident set size since the process started."""
        for line in Path(f"/proc/{self.ps.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return 0

    def loaded(self) -> dict[str, bool]:
        maps = Path(f"/proc/{self.ps.pid}/maps").read_text()
        return {name: marker in maps for name, marker in HEAVY.items()}

    def tcp_connections(self, port: int) -> int:
        return sum(
            1
            for conn in self.ps.net_connections(kind="tcp")
            if conn.raddr and conn.raddr.port == port and conn.status == "ESTABLISHED"
        )

    async def stop(self) -> int:
        """SIGTERM, then wait without blocking the event loop: the fake server must keep
        answering (PTB confirms the last updates with one more getUpdates on its way out)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            for _ in range(2000):
                if self.proc.poll() is not None:
                    break
                await asyncio.sleep(0.01)
            else:
                self.proc.kill()
                await asyncio.to_thread(self.proc.wait)
        return self.proc.returncode


def bot_env(tg: FakeTelegram, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=tg.token,
        TELEGRAM_API_URL=tg.base_url,
        TELEGRAM_FILE_URL=tg.base_file_url,
        DATABASE_URL=database_url,
        QUESTIONS_DIR="questions",
        DEFAULT_REMINDER_TIME="off",
        TEACHER_IDS="",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start_process(name: str, argv: list[str], env: dict[str, str]) -> BotProcess:
    c.RESULTS.mkdir(parents=True, exist_ok=True)
    log_path = c.RESULTS / f"{name}.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        argv,
        cwd=c.ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    log_file.close()
    modules = env.get("BENCH_MODULES_FILE")
    return BotProcess(
        name, proc, psutil.Process(proc.pid), log_path, Path(modules) if modules else None
    )


async def wait_polling(tg: BenchTelegram, bot: BotProcess, timeout: float = 60) -> float:
    """Seconds until the bot's first getUpdates (or an error if it died first)."""
    started = time.perf_counter()
    while tg.first_poll_at is None:
        if bot.proc.poll() is not None:
            tail = bot.log_path.read_text()[-3000:]
            raise RuntimeError(f"{bot.name} exited with {bot.proc.returncode}:\n{tail}")
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"{bot.name}: no getUpdates after {timeout} s")
        await asyncio.sleep(0.005)
    return tg.first_poll_at - started


@contextlib.asynccontextmanager
async def fake_server() -> AsyncIterator[BenchTelegram]:
    tg = BenchTelegram()
    await tg.start()
    try:
        yield tg
    finally:
        await tg.stop()


# ---------------------------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------------------------


@dataclass
class Phase:
    bot: str
    mode: str
    wall: float
    turns: list[Turn]
    bot_cpu: float
    driver_cpu: float
    pg_cpu: float | None
    peak_rss: int
    rss_end: int
    timeouts: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def replied(self) -> list[Turn]:
        return [t for t in self.turns if t.replied is not None]

    @property
    def rate(self) -> float:
        return len(self.replied) / self.wall if self.wall else math.nan

    @property
    def answers_rate(self) -> float:
        answers = [t for t in self.replied if t.kind != "command"]
        return len(answers) / self.wall if self.wall else math.nan

    def latency(self, q: float, what: str = "reply") -> float:
        values = [
            (t.replied if what == "reply" else t.done) - t.injected  # type: ignore[operator]
            for t in self.turns
            if (t.replied if what == "reply" else t.done) is not None
        ]
        return c.percentile(values, q)

    @property
    def cpu_ms_per_update(self) -> float:
        n = len(self.replied)
        return self.bot_cpu / n * 1000 if n else math.nan


def cpu_stall_seconds() -> float:
    """Linux PSI: total time some runnable task of the machine waited for a CPU."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return math.nan
    return int(line.rsplit("total=", 1)[1]) / 1e6


def bot_backends() -> list[psutil.Process]:
    """The PostgreSQL server processes serving the bot (``application_name`` = quizbot)."""
    import psycopg

    with psycopg.connect(c._psycopg_conninfo(), autocommit=True) as conn:
        pids = [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'quizbot'"
            )
        ]
    found = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            found.append(psutil.Process(pid))
    return found


def postgres_cpu(known: dict[int, tuple[psutil.Process, float]]) -> float:
    """CPU seconds of the bot's backends since ``known`` was first filled (new ones from 0)."""
    total = 0.0
    for proc in bot_backends():
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            now = t.user + t.system
            start = known.setdefault(proc.pid, (proc, now))[1]
            total += now - start
    for pid, (proc, _start) in list(known.items()):
        if not proc.is_running():  # gone during the phase: its CPU until then is lost
            known.pop(pid)
    return total


class Meter:
    """CPU of the bot, of this process (fake server + students) and of PostgreSQL."""

    def __init__(self, bot: BotProcess, with_pg: bool) -> None:
        self.bot, self.with_pg = bot, with_pg

    def __enter__(self) -> Meter:
        self.t0 = time.perf_counter()
        self.bot0 = self.bot.cpu_seconds()
        self.me0 = time.process_time()
        self.pg_known: dict[int, tuple[psutil.Process, float]] = {}
        if self.with_pg:
            postgres_cpu(self.pg_known)
        self.stall0 = cpu_stall_seconds()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall = time.perf_counter() - self.t0
        self.bot_cpu = self.bot.cpu_seconds() - self.bot0
        self.driver_cpu = time.process_time() - self.me0
        self.pg_cpu = postgres_cpu(self.pg_known) if self.with_pg else None
        self.stall = (cpu_stall_seconds() - self.stall0) / self.wall


async def sample_rss(bot: BotProcess, stop: asyncio.Event, every: float = 0.5) -> None:
    started = time.perf_counter()
    while not stop.is_set():
        with contextlib.suppress(psutil.Error):
            bot.rss_samples.append((time.perf_counter() - started, bot.rss()))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(every):
                await stop.wait()


async def closed_loop(
    students: list[Student],
    bot: BotProcess,
    seconds: float,
    *,
    with_pg: bool,
    label: str,
    mode: str = "closed loop",
) -> Phase:
    """Every student acts as soon as its previous turn is done, for ``seconds``."""
    deadline = 0.0
    timeouts = 0

    async def run(student: Student) -> None:
        nonlocal timeouts
        while time.perf_counter() < deadline:
            student.act()
            if not await student.wait_turn(30):
                timeouts += 1
                student.turn = None
                student.question = None

    for s in students:
        s.turns.clear()
    with Meter(bot, with_pg) as meter:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(run(s) for s in students))
    turns = [t for s in students for t in s.turns]
    phase = Phase(
        label,
        mode,
        meter.wall,
        turns,
        meter.bot_cpu,
        meter.driver_cpu,
        meter.pg_cpu,
        bot.peak_rss(),
        bot.rss(),
        timeouts,
    )
    phase.extra["stall"] = meter.stall
    return phase


async def burst(
    students: list[Student], bot: BotProcess, rounds: int, *, with_pg: bool, label: str
) -> Phase:
    """All students act at once; the round ends when every one has its next question."""
    timeouts = 0
    for s in students:
        s.turns.clear()
    busy = 0.0
    with Meter(bot, with_pg) as meter:
        for _ in range(rounds):
            started = time.perf_counter()
            for s in students:
                s.act()
            results = await asyncio.gather(*(s.wait_turn(60) for s in students))
            timeouts += results.count(False)
            replies = [t.replied for s in students for t in s.turns[-1:] if t.replied]
            busy += (max(replies) if replies else time.perf_counter()) - started
            for s, ok in zip(students, results, strict=True):
                if not ok:
                    s.turn = None
                    s.question = None
    turns = [t for s in students for t in s.turns]
    phase = Phase(
        label,
        "burst",
        busy,
        turns,
        meter.bot_cpu,
        meter.driver_cpu,
        meter.pg_cpu,
        bot.peak_rss(),
        bot.rss(),
        timeouts,
    )
    phase.extra["driver_wall"] = meter.wall
    phase.extra["stall"] = meter.stall
    return phase


async def warm_up(students: list[Student], bot: BotProcess, seconds: float) -> None:
    await closed_loop(students, bot, seconds, with_pg=False, label="warm-up")


async def stats_phase(
    tg: BenchTelegram, students: list[Student], bot: BotProcess
) -> dict[str, Any]:
    """Each of a few students sends /stats once (text and chart); latency to the last reply."""
    latencies = []
    for s in students[:20]:
        chat = tg._chats[s.chat_id].messages
        before = max(chat)
        started = time.perf_counter()
        s.turn = None
        s.user.send_command("/stats")
        # The handler sends the figures, then the chart (a photo): wait for the photo (or for
        # a second message, should the student have nothing to chart).
        for _ in range(4000):
            await asyncio.sleep(0.002)
            sent = [m for i, m in chat.items() if i > before and m.get("from", {}).get("is_bot")]
            if any("photo" in m for m in sent) or len(sent) >= 2:
                break
        latencies.append(time.perf_counter() - started)
    return {
        "p50": c.median(latencies),
        "max": max(latencies),
        "rss": bot.rss(),
        "peak": bot.peak_rss(),
        "loaded": bot.loaded(),
    }


# ---------------------------------------------------------------------------------------------
# py-spy
# ---------------------------------------------------------------------------------------------


def pyspy_start(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes] | None:
    """Sample the bot's threads while they hold the GIL (its Python CPU), 200 times a second."""
    exe = c.ROOT / ".venv" / "bin" / "py-spy"
    if not exe.exists():
        print("  (py-spy not installed: .venv/bin/pip install py-spy)")
        return None
    return subprocess.Popen(
        [
            str(exe),
            "record",
            "-p",
            str(pid),
            "-d",
            str(max(1, int(seconds) - 1)),
            "-r",
            "200",
            "--gil",
            "-f",
            "raw",
            "-o",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


_GROUPS = (
    ("SQLAlchemy", ("sqlalchemy/",)),
    ("sqlite3 / psycopg drivers", ("sqlite3/", "psycopg/", "psycopg_binary")),
    ("python-telegram-bot", ("telegram/",)),
    ("httpx / httpcore / anyio / sniffio", ("httpx/", "httpcore/", "anyio/", "h11/", "sniffio/")),
    (
        "asyncio, threads, selectors",
        ("asyncio/", "selectors.py", "threading.py", "concurrent/futures", "queue.py"),
    ),
    ("json", ("json/",)),
    ("logging", ("logging/",)),
    ("fsrs", ("fsrs/",)),
    ("aiolimiter", ("aiolimiter/",)),
    (
        "our code (bot/)",
        (
            "bot/",
            "app.py",
            "concurrency.py",
            "context.py",
            "messaging.py",
            "ratelimit.py",
            "render.py",
            "keyboards.py",
            "quiz.py",
        ),
    ),
)

#: Frames whose inclusive share answers « where does an update's CPU go ».
_KEY_FRAMES = (
    ("handlers: /quiz, button, typed answer", ("quiz (", "choice (", "typed (")),
    ("UserService.register_telegram (every update)", ("UserService.register_telegram",)),
    ("StudyService.next_question", ("StudyService.next_question",)),
    (
        "StudyService.answer / answer_choice",
        ("StudyService.answer (", "StudyService.answer_choice"),
    ),
    ("StudyService.current (typed answers: the open question)", ("StudyService.current",)),
    ("Session.commit", ("Session.commit",)),
    (
        "statement building (select/update/where)",
        ("select (sqlalchemy", "update (sqlalchemy", "Select.where", "Update.where"),
    ),
    ("PTB Bot API calls (Bot._post)", ("Bot._post",)),
    (
        "httpcore pool scan (_assign_requests_to_connections)",
        ("AsyncConnectionPool._assign_requests_to_connections",),
    ),
    ("PTB update parsing (Update.de_json)", ("Update.de_json",)),
    (
        "thread hops (run_sync: submit + wake-ups)",
        ("ThreadPoolExecutor.submit", "_write_to_self", "_read_from_self", "_chain_future"),
    ),
    ("getUpdates loop", ("Updater._network_loop_retry", "Updater._start_polling")),
    ("json", ("json/",)),
    ("logging", ("logging/",)),
)


def _frames(stack: str) -> list[tuple[str, str]]:
    out = []
    for frame in stack.split(";"):
        name, _, where = frame.rpartition(" (")
        out.append((name, where.split(":")[0]))
    return out


def summarize_pyspy(path: Path) -> str:
    """py-spy's collapsed stacks (GIL held) → self time by library and the share of a few key
    frames (inclusive), as percentages of the bot's Python CPU."""
    if not path.exists():
        return "  (no py-spy output)"
    by_group: collections.Counter[str] = collections.Counter()
    key: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = _frames(stack)
        total += count
        leaf_file = frames[-1][1]
        for group, markers in _GROUPS:
            if any(leaf_file.startswith(m) or f"/{m}" in leaf_file for m in markers):
                by_group[group] += count
                break
        else:
            by_group["other (stdlib)"] += count
        text = ";".join(f"{n} ({f}" for n, f in frames)
        for label, markers in _KEY_FRAMES:
            if any(m in text for m in markers):
                key[label] += count
    if not total:
        return "  (no samples)"
    out = ["  self time by library (share of the bot's Python CPU):"]
    out += [f"    {n / total:6.1%}  {group}" for group, n in by_group.most_common()]
    out.append("  inclusive share of key frames:")
    out += [f"    {key[label] / total:6.1%}  {label}" for label, _m in _KEY_FRAMES]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------


def student_ids(count: int, seed: int) -> list[int]:
    """Existing students of the dataset, spread over it (some hold 100+ cards)."""
    rng = random.Random(seed)
    return sorted(rng.sample(range(1, 100_001), count))


async def take_snapshots(bot: BotProcess, env: dict[str, str], soak: float) -> str:
    """tracemalloc snapshots of the bot a minute into the soak and at its end: what grew."""

    prefix = env["BENCH_TRACEMALLOC"]
    for n in (1, 2):
        await asyncio.to_thread(Path(f"{prefix}-{n}.pickle").unlink, missing_ok=True)
    await asyncio.sleep(min(60, soak / 4))
    bot.proc.send_signal(signal.SIGUSR1)
    await asyncio.sleep(max(1.0, soak - min(60, soak / 4) - 5))
    bot.proc.send_signal(signal.SIGUSR1)
    for _ in range(600):
        if await asyncio.to_thread(Path(f"{prefix}-2.pickle").exists):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(2)  # let the dump finish
    # Loading and comparing takes seconds: off the event loop, which serves the fake server.
    return await asyncio.to_thread(_compare_snapshots, prefix)


def _compare_snapshots(prefix: str) -> str:
    import tracemalloc

    first = tracemalloc.Snapshot.load(f"{prefix}-1.pickle")
    last = tracemalloc.Snapshot.load(f"{prefix}-2.pickle")
    total = sum(s.size for s in last.statistics("filename")) - sum(
        s.size for s in first.statistics("filename")
    )
    lines = [
        f"  Python heap (tracemalloc) grew {total / 2**20:+.1f} MB between the snapshots; "
        "top growth by line:"
    ]
    for stat in last.compare_to(first, "lineno")[:12]:
        frame = stat.traceback[0]
        lines.append(
            f"    {stat.size_diff / 2**10:+9.0f} KiB {stat.count_diff:+7d} blocks  "
            f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
        )
    return "\n".join(lines)


async def run_bot_scenario(
    args: argparse.Namespace,
    label: str,
    argv: list[str],
    database_url: str,
    *,
    with_pg: bool,
    closed_seconds: float,
    rounds: int,
    profile: bool = False,
    stats: bool = False,
    soak: float = 0,
    env_extra: dict[str, str] | None = None,
) -> list[Phase]:
    phases: list[Phase] = []
    async with fake_server() as tg:
        env = bot_env(tg, database_url, **(env_extra or {}))
        bot = start_process(label.replace(" ", "-").replace("/", ""), argv, env)
        try:
            startup = await wait_polling(tg, bot)
            rng = random.Random(42)
            students = [
                Student(tg, uid, random.Random(rng.random()))
                for uid in student_ids(args.students, 1)
            ]
            for s in students:
                tg.students[s.chat_id] = s
            stop_sampling = asyncio.Event()
            sampler = asyncio.create_task(sample_rss(bot, stop_sampling))
            await warm_up(students, bot, args.warmup)
            connections_before = tg.connections_opened
            spy = None
            spy_out = c.RESULTS / f"pyspy-{label.replace(' ', '-').replace('/', '')}.txt"
            if profile:
                spy_out.unlink(missing_ok=True)
                spy = pyspy_start(bot.ps.pid, closed_seconds, spy_out)
            phase = await closed_loop(students, bot, closed_seconds, with_pg=with_pg, label=label)
            phase.extra["startup"] = startup
            phase.extra["tcp"] = bot.tcp_connections(tg.port)
            phases.append(phase)
            if spy is not None:
                spy.wait(timeout=60)
                phase.extra["pyspy"] = summarize_pyspy(spy_out)
            if rounds:
                phases.append(await burst(students, bot, rounds, with_pg=with_pg, label=label))
            if soak:
                bot.rss_samples.clear()
                snapshots = None
                if env.get("BENCH_TRACEMALLOC"):
                    snapshots = asyncio.create_task(take_snapshots(bot, env, soak))
                phases.append(
                    await closed_loop(
                        students,
                        bot,
                        soak,
                        with_pg=with_pg,
                        label=label,
                        mode=f"soak {soak:.0f} s",
                    )
                )
                if snapshots is not None:
                    phases[-1].extra["tracemalloc"] = await snapshots
            phases[0].extra["new_connections"] = tg.connections_opened - connections_before
            phases[0].extra["errors"] = {k: v for k, v in tg.calls.items() if ":" in k}
            phases[-1].extra["rss_series"] = list(bot.rss_samples)
            stop_sampling.set()
            await sampler
            phases[0].extra["loaded"] = bot.loaded()
            if stats:
                phases[0].extra["stats"] = await stats_phase(tg, students, bot)
        finally:
            code = await bot.stop()
            if code not in (0, -signal.SIGTERM):
                print(f"  {bot.name} exited with {code}: see {bot.log_path}")
        if bot.modules_file and bot.modules_file.exists():
            modules = json.loads(bot.modules_file.read_text())
            phases[0].extra["modules"] = modules
    return phases


async def measure_startup(args: argparse.Namespace, dataset: Path) -> list[list[str]]:
    """``quizbot run`` from exec to its first getUpdates, three situations."""
    rows = []
    fresh = c.DATA / "bench-startup.sqlite3"
    c.remove_sqlite(fresh)
    work = c.working_copy(dataset, "bench-startup-100k.sqlite3")
    cases = [
        ("fresh SQLite file (migrate + import the shipped questions)", fresh, 1),
        ("restart, shipped questions already imported", fresh, 3),
        ("restart, 100,000 students / 2,000,000 cards", work, 3),
    ]
    try:
        for title, path, times in cases:
            values = []
            for _ in range(times):
                async with fake_server() as tg:
                    bot = start_process(
                        "startup", [str(QUIZBOT), "run"], bot_env(tg, f"sqlite:///{path}")
                    )
                    try:
                        values.append(await wait_polling(tg, bot))
                        rss = bot.rss()
                    finally:
                        await bot.stop()
            ok = "ok" if c.median(values) < 2.0 else "MISSED"
            rows.append(
                [title, f"{c.median(values):.2f} s", f"{rss / 2**20:.0f} MB", f"< 2 s {ok}"]
            )
    finally:
        c.remove_sqlite(fresh)
        c.remove_sqlite(work)
    return rows


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def mb(n: int) -> str:
    return f"{n / 2**20:.0f}"


def phase_rows(phases: list[Phase]) -> list[list[str]]:
    rows = []
    for p in phases:
        pg = f"{p.pg_cpu / max(1, len(p.replied)) * 1000:.1f}" if p.pg_cpu is not None else "–"
        rows.append(
            [
                p.bot,
                p.mode,
                f"{len(p.replied)}",
                f"{p.rate:.1f}",
                f"{p.answers_rate:.1f}",
                c.fmt_ms(p.latency(50)),
                c.fmt_ms(p.latency(95)),
                c.fmt_ms(p.latency(99)),
                c.fmt_ms(p.latency(50, "done")),
                c.fmt_ms(p.latency(95, "done")),
                f"{p.cpu_ms_per_update:.1f}",
                pg,
                f"{p.driver_cpu / p.extra.get('driver_wall', p.wall):.0%}",
                f"{p.extra.get('stall', math.nan):.0%}",
                mb(p.peak_rss),
                f"{p.timeouts}",
            ]
        )
    return rows


PHASE_HEADERS = [
    "bot",
    "mode",
    "updates",
    "updates/s",
    "answers/s",
    "reply p50 ms",
    "reply p95 ms",
    "reply p99 ms",
    "turn p50 ms",
    "turn p95 ms",
    "bot CPU ms/update",
    "PG CPU ms/update",
    "fake+students CPU",
    "machine CPU stall",
    "bot peak RSS MB",
    "timeouts",
]


def headline(ours: dict[tuple[str, str], tuple[Phase, Phase]]) -> list[list[str]]:
    rows = []
    for (engine, mode), (p, b) in ours.items():
        target_rate = 0.6 if engine == "SQLite" else 0.5
        rate_ratio = p.rate / b.rate if b.rate else math.nan
        p95_ratio = p.latency(95) / b.latency(95)
        rows.append(
            [
                engine,
                mode,
                f"{rate_ratio:.2f} ({'ok' if rate_ratio >= target_rate else 'MISSED'} "
                f"≥ {target_rate:.2f})",
                f"{p95_ratio:.2f} ({'ok' if p95_ratio <= 2 else 'MISSED'} ≤ 2)",
                f"{p.latency(95, 'done') / b.latency(95, 'done'):.2f}",
                f"{b.cpu_ms_per_update / p.cpu_ms_per_update:.2f}",
                f"{mb(p.peak_rss)} MB ({'ok' if p.peak_rss < 150 * 2**20 else 'MISSED'} < 150)",
            ]
        )
    return rows


def rss_trend(series: list[tuple[float, int]]) -> str:
    if len(series) < 4:
        return "–"
    half = series[len(series) // 2 :]
    xs = [t for t, _ in half]
    ys = [r / 2**20 for _, r in half]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    first, last = series[0][1] / 2**20, series[-1][1] / 2**20
    # The shape: RSS at each tenth of the run (a plateau shows as equal last values).
    tenths = " ".join(
        f"{series[min(len(series) - 1, len(series) * k // 10)][1] / 2**20:.0f}" for k in range(11)
    )
    return (
        f"RSS {first:.0f} MB → {last:.0f} MB over {series[-1][0]:.0f} s; "
        f"slope over the second half {slope * 60:+.2f} MB/min; by tenths of the run: {tenths} MB"
    )


async def main_async(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    spec = c.Spec()
    dataset = c.sqlite_dataset(spec)
    if args.ab:
        return await run_ab(args, dataset, spec)
    print(
        f"\n{args.students} students, closed loop {args.closed:g} s, burst {args.rounds} "
        f"rounds; bot CPU from psutil (all threads); machine: {psutil.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f}\n"
    )

    if not args.skip_startup:
        print("## Start-up of `quizbot run` to its first getUpdates (SQLite)\n")
        print(
            c.table(
                ["situation", "median", "RSS then", "target"], await measure_startup(args, dataset)
            )
        )

    all_phases: list[Phase] = []
    #: (engine, mode) → (ours, the baseline measured just before it)
    ours: dict[tuple[str, str], tuple[Phase, Phase]] = {}

    async def scenario(label: str, *a: Any, **kw: Any) -> list[Phase]:
        """Run one bot under load; print its phases at once (a later failure keeps them)."""
        c.log(f"… {label}")
        try:
            phases = await run_bot_scenario(args, *a, **kw)
        except Exception as exc:
            print(f"  FAILED: {exc}")
            return []
        print(c.table(PHASE_HEADERS, phase_rows(phases)), flush=True)
        all_phases.extend(phases)
        return phases

    async def echo_baseline(tag: str) -> dict[str, Phase]:
        phases = await scenario(
            f"echo baseline{tag}",
            f"echo baseline{tag}",
            [str(PYTHON), str(c.ROOT / "bench" / "echo_bot.py"), "--serve"],
            "sqlite:///unused",
            with_pg=False,
            closed_seconds=args.closed,
            rounds=args.rounds,
        )
        return {p.mode: p for p in phases}

    engines = args.engines.split(",")
    if "sqlite" in engines:
        base = await echo_baseline("")
        work = c.working_copy(dataset, "bench-bot-work.sqlite3")
        try:
            phases = await scenario(
                "quizbot on SQLite (100,000 students), TELEGRAM_MAX_RATE=0",
                "quizbot SQLite",
                [str(PYTHON), "-c", QUIZBOT_RUN],
                f"sqlite:///{work}",
                with_pg=False,
                closed_seconds=args.closed,
                rounds=args.rounds,
                profile=args.profile,
                stats=True,
                soak=args.soak,
                env_extra={
                    "BENCH_MODULES_FILE": str(c.RESULTS / "bot-modules.json"),
                    "TELEGRAM_MAX_RATE": "0",
                    **(
                        {"BENCH_TRACEMALLOC": str(c.RESULTS / "tracemalloc")}
                        if args.tracemalloc
                        else {}
                    ),
                },
            )
            for p in phases:
                if p.mode in base:
                    ours[("SQLite", p.mode)] = (p, base[p.mode])
        finally:
            c.remove_sqlite(work)
        if args.shipped:
            # A fresh copy: a new fake server numbers callback queries and messages from 1
            # again, and the bot would take them for re-deliveries of the last run's.
            work = c.working_copy(dataset, "bench-bot-work.sqlite3")
            try:
                await scenario(
                    "quizbot on SQLite with the default TELEGRAM_MAX_RATE (30 msg/s)",
                    "quizbot SQLite, 30 msg/s",
                    [str(QUIZBOT), "run"],
                    f"sqlite:///{work}",
                    with_pg=False,
                    closed_seconds=args.shipped,
                    rounds=0,
                )
            finally:
                c.remove_sqlite(work)

    if "postgresql" in engines:
        with c.pg_schema("bench_bot") as schema:
            c.log(f"… loading PostgreSQL schema {schema}")
            c.build_postgres(spec, schema)
            # Measured again, right before: the machine's load drifts (other work on it).
            base = await echo_baseline(" (before PostgreSQL)")
            phases = await scenario(
                "quizbot on PostgreSQL (100,000 students), TELEGRAM_MAX_RATE=0",
                "quizbot PostgreSQL",
                [str(PYTHON), "-c", QUIZBOT_RUN],
                c.pg_url(schema),
                with_pg=True,
                closed_seconds=args.closed,
                rounds=args.rounds,
                profile=args.profile,
                # AUTO_MIGRATE: a migration may land between the load and the start.
                env_extra={
                    "BENCH_MODULES_FILE": str(c.RESULTS / "bot-modules-pg.json"),
                    "AUTO_MIGRATE": "true",
                    "TELEGRAM_MAX_RATE": "0",
                },
            )
            for p in phases:
                if p.mode in base:
                    ours[("PostgreSQL", p.mode)] = (p, base[p.mode])

    print("\n## Headline: ours / echo baseline (same run, same server, same load)\n")
    print(
        c.table(
            [
                "engine",
                "mode",
                "updates/s ratio",
                "reply p95 ratio",
                "turn p95 ratio",
                "CPU capacity ratio (baseline CPU/update ÷ ours)",
                "bot peak RSS",
            ],
            headline(ours),
        )
    )
    print("\n## All phases\n")
    print(c.table(PHASE_HEADERS, phase_rows(all_phases)))

    print("\n## Checks\n")
    for p in all_phases:
        if p.mode != "closed loop":
            continue
        extra = p.extra
        line = [f"- {p.bot}: start-up {extra.get('startup', math.nan):.2f} s"]
        if "new_connections" in extra:
            line.append(
                f"new HTTP connections after warm-up {extra['new_connections']}, "
                f"open {extra.get('tcp')}"
            )
        if extra.get("errors"):
            line.append(f"non-200 answers {extra['errors']}")
        if "loaded" in extra:
            heavy = [k for k, v in extra["loaded"].items() if v]
            line.append(f"heavy libraries mapped: {', '.join(heavy) or 'none'}")
        if "modules" in extra:
            mods = extra["modules"]
            flags = {
                m: m in mods
                for m in (
                    "spacy",
                    "matplotlib",
                    "numpy",
                    "sniffio",
                    "anyio",
                    "psycopg",
                    "rapidfuzz",
                )
            }
            line.append(f"sys.modules: {len(mods)} modules, {flags}")
        if "stats" in extra:
            s = extra["stats"]
            line.append(
                f"/stats end to end p50 {s['p50'] * 1000:.0f} ms (max "
                f"{s['max'] * 1000:.0f} ms), RSS after {mb(s['rss'])} MB, peak "
                f"{mb(s['peak'])} MB"
            )
        print("; ".join(line))
        if "pyspy" in extra:
            print(f"\n  py-spy profile of {p.bot} (closed loop):\n{extra['pyspy']}\n")
    for p in all_phases:
        if "tracemalloc" in p.extra:
            print(f"- tracemalloc, {p.bot} {p.mode}:\n{p.extra['tracemalloc']}")
    for p in all_phases:
        if p.mode.startswith("soak") or (p.extra.get("rss_series") and p.bot.startswith("quiz")):
            print(f"- memory, {p.bot} {p.mode}: {rss_trend(p.extra.get('rss_series', []))}")
    rows = await asyncio.to_thread(client_pool_costs)
    print("\n- one httpx request (CPU of the client thread) by connections in the pool:\n")
    print(c.table(["pooled connections", "CPU ms per request"], rows))
    try:
        import sniffio  # noqa: F401

        print("- sniffio installed in the venv: yes")
    except ImportError:
        print("- sniffio installed in the venv: NO (httpx requests cost ~3x more CPU)")
    print(f"\ntotal run: {time.perf_counter() - started:.0f} s")
    return 0


def client_pool_costs(sizes: tuple[int, ...] = (1, 8, 32, 64, 128)) -> list[list[str]]:
    """CPU of one httpx request (PTB's client) against the fake server, by the number of
    connections in the pool: httpcore checks every pooled connection on every request."""
    import threading

    import httpx

    ready: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        async def run() -> None:
            async with FakeTelegram(record_calls=False) as tg:
                ready.append(tg.port)
                while not stop.is_set():
                    await asyncio.sleep(0.05)

        asyncio.run(run())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    while not ready:
        time.sleep(0.01)

    async def one(pooled: int, requests: int = 400) -> float:
        limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
        async with httpx.AsyncClient(limits=limits, timeout=10) as client:
            url = f"http://127.0.0.1:{ready[0]}/bot{DEFAULT_TOKEN}/sendMessage"
            data = {"chat_id": "5", "text": "bonjour"}
            await asyncio.gather(*(client.post(url, data=data) for _ in range(pooled)))
            started = time.thread_time()
            for _ in range(requests):
                await client.post(url, data=data)
            return (time.thread_time() - started) / requests

    try:
        return [[f"{n}", c.fmt_ms(asyncio.run(one(n)))] for n in sizes]
    finally:
        stop.set()
        thread.join(timeout=5)


AB_COLUMNS = [
    "variant",
    "updates/s",
    "bot CPU ms/update",
    "reply p50 ms",
    "reply p95 ms",
    "machine CPU stall",
]


async def run_ab(args: argparse.Namespace, dataset: Path, spec: Any) -> int:
    """``--ab VAR=VALUE[,VAR=VALUE] …``: the closed loop (SQLite, or PostgreSQL with
    ``--engines postgresql``) with each variant of the experiment knobs (``BENCH_POOL``,
    ``BENCH_CONCURRENCY``, ``BENCH_DB_THREADS``, or any setting such as ``LOG_LEVEL``), each
    preceded by the unchanged bot, each on a fresh copy of the dataset (a SQLite file, or a
    PostgreSQL schema loaded again: about 40 s)."""
    rows = []
    variants: list[tuple[str, dict[str, str]]] = []
    for ab_spec in args.ab:
        variants.append(("default", {}))
        variants.append((ab_spec, dict(kv.split("=", 1) for kv in ab_spec.split(","))))
    on_pg = args.engines.split(",") == ["postgresql"]
    for label, env in variants:
        with contextlib.ExitStack() as stack:
            # A fresh database for each run: the students' day (due cards, the daily limit of
            # new ones) must start where it started for the other variants.
            if on_pg:
                schema = stack.enter_context(c.pg_schema("bench_ab"))
                c.log(f"… loading PostgreSQL schema {schema}")
                c.build_postgres(spec, schema)
                url = c.pg_url(schema)
            else:
                work = c.working_copy(dataset, "bench-bot-work.sqlite3")
                stack.callback(c.remove_sqlite, work)
                url = f"sqlite:///{work}"
            c.log(f"… {label}")
            phases = await run_bot_scenario(
                args,
                f"ab {label}",
                [str(PYTHON), "-c", QUIZBOT_RUN],
                url,
                with_pg=on_pg,
                closed_seconds=args.closed,
                rounds=0,
                env_extra={
                    "BENCH_MODULES_FILE": str(c.RESULTS / "ab-modules.json"),
                    "TELEGRAM_MAX_RATE": "0",
                    "AUTO_MIGRATE": "true",
                    **env,
                },
            )
            p = phases[0]
            rows.append(
                [
                    label,
                    f"{p.rate:.1f}",
                    f"{p.cpu_ms_per_update:.1f}",
                    c.fmt_ms(p.latency(50)),
                    c.fmt_ms(p.latency(95)),
                    f"{p.extra.get('stall', math.nan):.0%}",
                ]
            )
            print(
                c.table(
                    AB_COLUMNS,
                    rows[-1:],
                ),
                flush=True,
            )
    print(f"\n## A/B ({'PostgreSQL' if on_pg else 'SQLite'}, closed loop)\n")
    print(
        c.table(
            AB_COLUMNS,
            rows,
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--closed", type=float, default=30, help="closed-loop seconds")
    parser.add_argument("--rounds", type=int, default=10, help="burst rounds")
    parser.add_argument("--warmup", type=float, default=8, help="warm-up seconds")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--shipped",
        type=float,
        default=15,
        help="seconds of closed loop with the shipped limiter (0: skip)",
    )
    parser.add_argument(
        "--soak",
        type=float,
        default=0,
        help="extra closed-loop seconds on SQLite, watching the bot's memory",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the closed loop")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="with --soak: tracemalloc snapshots of the bot (slows it down)",
    )
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument(
        "--ab",
        nargs="*",
        metavar="VAR=VALUE[,VAR=VALUE]",
        help="A/B runs of the closed loop with these variants (SQLite; PostgreSQL with "
        "--engines postgresql)",
    )
    parser.add_argument("--quick", action="store_true", help="50 students, 10 s, 3 rounds")
    args = parser.parse_args()
    if args.quick:
        args.students, args.closed, args.rounds, args.warmup = 50, 10, 3, 3
        args.shipped = min(args.shipped, 8)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
