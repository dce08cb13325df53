"""Benchmark (run by hand): daily prompts at scale, on SQLite and PostgreSQL.

    .venv/bin/python bench/reminders.py [--students 100000] [--cards 20] [--busiest 5000]
        [--engines sqlite,postgresql] [--history-days 7] [--send 600] [--no-send]

For each engine it builds a database of ``--students`` students and ``--students × --cards``
cards (bulk: executemany on SQLite, COPY on PostgreSQL), ``--history-days`` days of outbox
rows, and a busiest minute where ``--busiest`` students are due at once. Then it measures, with
ratios against a baseline taken in the same run:

* claiming the busiest minute (every batch of 500: lock/conditional update, next local day,
  due counts, outbox rows) against a bare indexed ``SELECT id … WHERE next_reminder_at <= now``
  of the same students (target: under 1 s for 5,000 students);
* a quiet minute (nobody due: the two queries every process runs each minute);
* the whole dispatch of the busiest minute with an instant notifier (sends are free, so this
  is the database's share: claims plus one ``mark_sent`` commit per prompt);
* the RSS of a dispatcher process (a child process) before and after dispatching the busiest
  minute, for the full database and one ten times smaller;
* with ``--send N``: N prompts through python-telegram-bot's ``AIORateLimiter`` (30 msg/s) to
  the fake Bot API server (``tests/support/fake_telegram.py``) enforcing Telegram's limits,
  against the 30 msg/s target.

PostgreSQL: ``TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``),
in a throwaway schema. Results and the command line go into docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, delete, select, text, update  # noqa: E402

from bot.db.engine import make_engine, make_session_factory  # noqa: E402
from bot.db.models import Base, Reminder, User  # noqa: E402
from bot.db.repositories.reminders import UNSETTLED_PREDICATE  # noqa: E402
from bot.domain.reminders import next_reminder_at  # noqa: E402
from bot.services.dispatch import SendResult, dispatch_once  # noqa: E402
from bot.services.reminders import DEFAULT_BATCH, ReminderService  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
#: The busiest minute: 18:00 in Paris on a Tuesday.
BUSY = dt.datetime(2026, 3, 10, 17, 0, tzinfo=dt.UTC)
BUSY_DATE = dt.date(2026, 3, 10)
ZONES = [
    "Europe/Paris",
    "America/Montreal",
    "Africa/Dakar",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "Asia/Tokyo",
    "America/Sao_Paulo",
]
QUESTIONS = 50
MAX_DELAY = dt.timedelta(hours=3)
#: The index proposed in docs/performance.md, measured here against its absence.
PROPOSED_INDEX = (
    "CREATE INDEX ix_reminders_unsettled ON reminders (sent_at, claimed_at) "
    f"WHERE {UNSETTLED_PREDICATE}"
)


# -- data -----------------------------------------------------------------------------------


@dataclass
class Dataset:
    url: str
    students: int
    cards: int
    busiest_ids: list[int]
    history_rows: int
    build_seconds: float


@functools.lru_cache(maxsize=1 << 18)
def _sqlite_text(value: dt.date | dt.time) -> str:
    # What UtcDateTime / Time / Date store on SQLite (text, compared as text).
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.%f")
    return value.isoformat()


def _sqlite_value(value: Any) -> Any:
    kind = type(value)
    if kind is int or kind is str or kind is float or value is None:
        return value
    if kind is bool:
        return int(value)
    return _sqlite_text(value)


def _load(
    engine: Engine, table: str, columns: Sequence[str], rows: Iterator[tuple[Any, ...]]
) -> int:
    """Bulk insert: COPY on PostgreSQL, one executemany transaction on SQLite."""
    count = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            chunk: list[tuple[Any, ...]] = []
            for row in rows:
                chunk.append(tuple(_sqlite_value(v) for v in row))
                if len(chunk) == 50_000:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
                    chunk.clear()
            cursor.executemany(sql, chunk)
            count += len(chunk)
        raw.commit()
    finally:
        raw.close()
    return count


def build(url: str, students: int, cards_per: int, busiest: int, history_days: int) -> Dataset:
    started = time.perf_counter()
    rng = random.Random(20260310)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    created = BUSY - dt.timedelta(days=60)
    busiest_ids = sorted(rng.sample(range(1, students + 1), busiest))
    busy_set = set(busiest_ids)
    # Students: the busiest minute's at 18:00 in Paris; the others at a random minute of the
    # day in a random zone (never that minute); 5 % blocked and 3 % paused (no next time).
    users = []
    for uid in range(1, students + 1):
        blocked = paused = False
        if uid in busy_set:
            zone, at = "Europe/Paris", dt.time(18)
            nxt: dt.datetime | None = BUSY
        else:
            zone = rng.choice(ZONES)
            at = dt.time(rng.randrange(24), rng.randrange(60))
            nxt = next_reminder_at(at, zone, BUSY - dt.timedelta(minutes=1))
            if nxt == BUSY:
                at = dt.time(at.hour, (at.minute + 1) % 60)
                nxt = next_reminder_at(at, zone, BUSY)
            blocked = rng.random() < 0.05
            paused = not blocked and rng.random() < 0.03
            if blocked or paused:
                nxt = None
        users.append((uid, zone, at, nxt, blocked, paused))
    with engine.begin() as conn:
        for deck in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO decks (id, slug, title, language, content_hash, created_at, "
                    "updated_at) VALUES (:id, :slug, 'Deck', 'fr', 'h', :t, :t)"
                ),
                {"id": deck, "slug": f"deck-{deck}", "t": _sqlite_or(engine, created)},
            )
    _load(
        engine,
        "questions",
        [
            "id",
            "deck_id",
            "key",
            "position",
            "kind",
            "prompt",
            "answer",
            "accept",
            "distractors",
            "tags",
            "content_hash",
            "created_at",
            "updated_at",
        ],
        (
            (
                q,
                1 + q % 2,
                f"q{q}",
                q,
                "open",
                "?",
                "2006",
                "[]",
                "[]",
                "[]",
                "h",
                created,
                created,
            )
            for q in range(1, QUESTIONS + 1)
        ),
    )
    _load(
        engine,
        "users",
        [
            "id",
            "telegram_id",
            "chat_id",
            "display_name",
            "language",
            "timezone",
            "reminder_time",
            "next_reminder_at",
            "reminders_paused",
            "new_cards_per_day",
            "desired_retention",
            "maximum_interval",
            "blocked_at",
            "created_at",
        ],
        (
            (
                uid,
                uid,
                uid,
                f"élève {uid}",
                "fr",
                zone,
                at,
                nxt,
                paused,
                10,
                0.9,
                36500,
                created if blocked else None,
                created,
            )
            for uid, zone, at, nxt, blocked, paused in users
        ),
    )
    _load(
        engine,
        "deck_choices",
        ["user_id", "deck_id", "enabled"],
        ((uid, 2, False) for uid in range(1, students + 1) if uid % 20 == 0),
    )

    def cards() -> Iterator[tuple[Any, ...]]:
        card_id = 0
        for uid in range(1, students + 1):
            for question in rng.sample(range(1, QUESTIONS + 1), cards_per):
                card_id += 1
                if rng.random() < 0.25:
                    due = BUSY - dt.timedelta(minutes=rng.randrange(5 * 24 * 60))
                else:
                    due = BUSY + dt.timedelta(minutes=rng.randrange(1, 30 * 24 * 60))
                yield (card_id, uid, question, 2, due, created, rng.randrange(1, 10), 0, created)

    n_cards = _load(
        engine,
        "cards",
        [
            "id",
            "user_id",
            "question_id",
            "state",
            "due",
            "last_review",
            "reps",
            "lapses",
            "created_at",
        ],
        cards(),
    )

    def reviews() -> Iterator[tuple[Any, ...]]:
        # Half the students answered once in the last two days (some of them today).
        for uid in range(1, students + 1):
            if rng.random() < 0.5:
                card_id = (uid - 1) * cards_per + 1
                at = BUSY - dt.timedelta(minutes=rng.randrange(1, 48 * 60))
                yield (
                    card_id,
                    uid,
                    1,
                    f"k{uid}",
                    3,
                    "correct",
                    True,
                    False,
                    "2006",
                    at,
                    2,
                    created,
                    1,
                    0,
                )

    _load(
        engine,
        "reviews",
        [
            "card_id",
            "user_id",
            "question_id",
            "idempotency_key",
            "rating",
            "verdict",
            "correct",
            "practice",
            "given_answer",
            "reviewed_at",
            "prev_state",
            "prev_due",
            "prev_reps",
            "prev_lapses",
        ],
        reviews(),
    )

    def history() -> Iterator[tuple[Any, ...]]:
        for days_ago in range(1, history_days + 1):
            day = BUSY_DATE - dt.timedelta(days=days_ago)
            when = BUSY - dt.timedelta(days=days_ago)
            for uid, _, _, nxt, _, _ in users:
                if nxt is None:
                    continue
                sent = rng.random() < 0.7
                yield (
                    uid,
                    day,
                    when,
                    when,
                    when if sent else None,
                    "sent" if sent else "skipped",
                    3,
                    int(sent),
                )

    n_history = _load(
        engine,
        "reminders",
        [
            "user_id",
            "local_date",
            "scheduled_for",
            "claimed_at",
            "sent_at",
            "status",
            "due_count",
            "attempts",
        ],
        history(),
    )
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in ("decks", "questions", "users", "cards"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            conn.execute(text("ANALYZE"))  # what autovacuum does soon after a bulk load
    engine.dispose()
    return Dataset(url, students, n_cards, busiest_ids, n_history, time.perf_counter() - started)


def _sqlite_or(engine: Engine, value: dt.datetime) -> Any:
    return _sqlite_value(value) if engine.dialect.name == "sqlite" else value


# -- measuring ------------------------------------------------------------------------------


@dataclass
class Timing:
    median: float
    best: float

    def ms(self) -> str:
        return f"{self.median * 1000:7.1f} ms (meilleur {self.best * 1000:.1f})"


def timed(func: Callable[[], Any], repeat: int, setup: Callable[[], Any] | None = None) -> Timing:
    """Median and best of ``repeat`` runs (the machine may be shared: both are printed)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return Timing(statistics.median(times), min(times))


def reset_busiest(engine: Engine, ds: Dataset) -> None:
    """Undo a claim of the busiest minute, and flush its writes so the next run does not pay
    for them (SQLite: WAL checkpoint; PostgreSQL: vacuum the dead rows)."""
    with engine.begin() as conn:
        conn.execute(update(User).where(User.id.in_(ds.busiest_ids)).values(next_reminder_at=BUSY))
        conn.execute(delete(Reminder).where(Reminder.local_date == BUSY_DATE))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            conn.execute(text("VACUUM ANALYZE users, reminders"))


class InstantNotifier:
    async def send_prompt(
        self, chat_id: int, language: str, due_count: int, new_count: int = 0
    ) -> SendResult:
        return SendResult.sent()


async def _no_sleep(seconds: float) -> None:
    return None


def claim_all(service: ReminderService, now: dt.datetime = BUSY) -> Counter[str]:
    """What one dispatcher does with a minute: claim batches until nobody is left."""
    outcomes: Counter[str] = Counter()
    while True:
        batch = service.claim_batch(now, DEFAULT_BATCH)
        outcomes.update(batch.outcomes)
        if batch.examined < DEFAULT_BATCH:
            return outcomes


def claim_concurrently(url: str, workers: int) -> float:
    """``workers`` dispatchers (threads, each with its own engine, connected) claim the same
    minute together; seconds from the start signal to the last one done."""
    barrier = threading.Barrier(workers)
    spans: list[tuple[float, float]] = []

    def work() -> None:
        engine = make_engine(url)
        service = ReminderService(make_session_factory(engine), max_delay=MAX_DELAY)
        service.claim_batch(BUSY - dt.timedelta(days=1))  # connected and compiled
        barrier.wait()
        started = time.perf_counter()
        claim_all(service)
        spans.append((started, time.perf_counter()))
        engine.dispose()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return max(end for _, end in spans) - min(start for start, _ in spans)


def bench_engine(ds: Dataset, repeat: int) -> list[str]:
    """The database measurements for one engine, as report lines."""
    engine = make_engine(ds.url)
    service = ReminderService(make_session_factory(engine), max_delay=MAX_DELAY)
    n = len(ds.busiest_ids)
    due = select(User.id).where(User.next_reminder_at <= BUSY).order_by(User.next_reminder_at)

    def bare_select() -> None:
        with engine.connect() as conn:
            assert len(conn.execute(due).all()) == n

    bare_select()  # warm the caches
    baseline = timed(bare_select, repeat * 3)
    lines = [f"référence : SELECT indexé nu des {n} élèves dus        {baseline.ms()}"]

    reset = functools.partial(reset_busiest, engine, ds)
    outcomes: Counter[str] = Counter()

    def claim() -> None:
        outcomes.clear()
        outcomes.update(claim_all(service))

    one = timed(claim, repeat, setup=reset)
    lines.append(
        f"réclamer les {n} élèves, 1 dispatcher (lots de {DEFAULT_BATCH})  {one.ms()}  "
        f"= {one.median / baseline.median:.0f} × la référence, "
        f"{one.median / n * 1e6:.0f} µs/élève  (objectif < 1000 ms)  {dict(outcomes)}"
    )
    spans = []
    for _ in range(repeat):
        reset()
        spans.append(claim_concurrently(ds.url, 2))
    two = Timing(statistics.median(spans), min(spans))
    lines.append(f"réclamer les {n} élèves, 2 dispatchers en parallèle      {two.ms()}")

    quiet_at = BUSY - dt.timedelta(seconds=30)
    quiet_select = select(User.id).where(User.next_reminder_at <= quiet_at)

    def bare_quiet() -> None:
        with engine.connect() as conn:
            conn.execute(quiet_select).all()

    def quiet() -> None:
        service.reclaim_batch(quiet_at)
        service.claim_batch(quiet_at)

    quiet_baseline = timed(bare_quiet, repeat * 5)
    calm = timed(quiet, repeat * 5)
    lines.append(
        f"minute calme (personne de dû : reprise + réclamation)     {calm.ms()}  "
        f"= {calm.median / quiet_baseline.median:.0f} × un SELECT indexé nu "
        f"({quiet_baseline.median * 1000:.1f} ms)"
    )
    with engine.begin() as conn:
        conn.execute(text(PROPOSED_INDEX))
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE reminders"))
    indexed = timed(quiet, repeat * 5)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_reminders_unsettled"))
    lines.append(f"  … avec l'index partiel proposé (ix_reminders_unsettled) {indexed.ms()}")

    reset()
    started = time.perf_counter()
    report = asyncio.run(dispatch_once(service, InstantNotifier(), BUSY, sleep=_no_sleep))
    dispatch = time.perf_counter() - started
    reset()
    engine.dispose()
    lines.append(
        f"dispatch complet, envois instantanés : {report.sent} envois en "
        f"{dispatch * 1000:.0f} ms, {dispatch / max(report.sent, 1) * 1000:.2f} ms de base "
        "par envoi (à 30 msg/s, un envoi dispose de 33 ms)"
    )
    return lines


def _rss_kb(field_name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def child_memory(url: str) -> None:
    """In a fresh process: RSS once ready, then peak RSS after dispatching the busy minute."""
    engine = make_engine(url)
    service = ReminderService(make_session_factory(engine), max_delay=MAX_DELAY)
    service.reclaim_batch(BUSY - dt.timedelta(days=1))  # connect, compile: a ready process
    ready = _rss_kb("VmRSS")
    report = asyncio.run(dispatch_once(service, InstantNotifier(), BUSY, sleep=_no_sleep))
    print(json.dumps({"ready_kb": ready, "peak_kb": _rss_kb("VmHWM"), "sent": report.sent}))


def memory(ds: Dataset) -> dict[str, int]:
    engine = make_engine(ds.url)
    reset_busiest(engine, ds)
    out = subprocess.run(
        [sys.executable, __file__, "--child-memory", ds.url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    reset_busiest(engine, ds)
    engine.dispose()
    result: dict[str, int] = json.loads(out.strip().splitlines()[-1])
    return result


# -- sending through PTB ------------------------------------------------------------------


#: Rate limiters compared: the bot's own (bot.tg.ratelimit: PTB's AIORateLimiter, a bucket of
#: 30, retrying 429s itself), and PTB's AIORateLimiter with a bucket of one refilled every
#: 1/30 s (strict pacing, 429s left to the dispatcher).
SEND_CONFIGS = ["RetryingRateLimiter()", "AIORateLimiter(1, 1/30 s, max_retries=0)"]


def _limiter(label: str) -> Any:
    from telegram.ext import AIORateLimiter

    from bot.tg.ratelimit import RetryingRateLimiter

    if label == SEND_CONFIGS[0]:
        return RetryingRateLimiter()
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 30, max_retries=0)


async def bench_send(count: int, latency: float, limiter: str) -> dict[str, Any]:
    """``count`` prompts through the bot's TelegramNotifier and a real PTB bot to the fake
    Bot API server, which answers 429 above Telegram's limits."""
    from telegram.ext import ExtBot

    from bot.tg.notifier import TelegramNotifier
    from tests.support.fake_telegram import FakeTelegram, RateLimits, ptb_request

    # With max_retries=0 PTB logs every 429 with its traceback; the dispatcher handles them.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/send.sqlite3"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO decks (id, slug, title, language, content_hash, "
                    "created_at, updated_at) VALUES (1, 'd', 'D', 'fr', 'h', "
                    "'2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO questions (deck_id, key, position, kind, prompt, "
                    "answer, accept, distractors, tags, content_hash, created_at, "
                    "updated_at) VALUES (1, 'q', 0, 'open', '?', '1', '[]', '[]', "
                    "'[]', 'h', '2026-01-01 00:00:00.000000', "
                    "'2026-01-01 00:00:00.000000')"
                )
            )
        _load(
            engine,
            "users",
            [
                "telegram_id",
                "chat_id",
                "display_name",
                "language",
                "timezone",
                "reminder_time",
                "next_reminder_at",
                "reminders_paused",
                "new_cards_per_day",
                "desired_retention",
                "maximum_interval",
                "created_at",
            ],
            (
                (
                    1000 + i,
                    1000 + i,
                    "",
                    "fr",
                    "Europe/Paris",
                    dt.time(18),
                    BUSY,
                    False,
                    10,
                    0.9,
                    36500,
                    BUSY,
                )
                for i in range(count)
            ),
        )
        service = ReminderService(make_session_factory(engine), max_delay=MAX_DELAY)
        async with FakeTelegram(
            rate_limits=RateLimits(), record_calls=False, latency=latency
        ) as tg:
            bot: ExtBot[Any] = ExtBot(
                tg.token,
                base_url=tg.base_url,
                base_file_url=tg.base_file_url,
                request=ptb_request(64),
                rate_limiter=_limiter(limiter),
            )
            async with bot:
                tg.reset_stats()
                started = time.perf_counter()
                report = await dispatch_once(service, TelegramNotifier(bot), BUSY)
                elapsed = time.perf_counter() - started
            stats = tg.stats
        engine.dispose()
    return {
        "sent": report.sent,
        "seconds": elapsed,
        "rate": report.sent / elapsed,
        "waits": list(report.waits),
        "enforced_429": stats.rate_limited,
        "peak_per_second": stats.peak_messages_per_second,
    }


# -- main -----------------------------------------------------------------------------------


def _pg_schema_url() -> tuple[str, Callable[[], None]] | None:
    admin = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as conn:
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no server: say so and go on with SQLite
        print(f"PostgreSQL injoignable ({exc!s:.120}) : moteur sauté")
        admin.dispose()
        return None

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{PG_ADMIN_URL}?options={quote(f'-csearch_path={schema}')}", drop


def _memory_line(ds: Dataset) -> str:
    mem = memory(ds)
    return (
        f"RSS d'un dispatcher, base de {ds.students} élèves : {mem['ready_kb'] / 1024:.0f} Mo "
        f"prêt, {mem['peak_kb'] / 1024:.0f} Mo au plus haut après {mem['sent']} envois "
        f"(× {mem['peak_kb'] / mem['ready_kb']:.2f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=20, help="cards per student")
    parser.add_argument("--busiest", type=int, default=5_000, help="students due at once")
    parser.add_argument("--history-days", type=int, default=7, help="days of outbox rows")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--send", type=int, default=600, help="prompts sent through PTB")
    parser.add_argument("--latency", type=float, default=0.05, help="fake API latency (s)")
    parser.add_argument("--no-send", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--child-memory", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory)
        return 0

    print(
        f"{args.students} élèves, {args.students * args.cards} cartes, {args.busiest} dus "
        f"dans la minute la plus chargée, {args.history_days} jours d'historique de rappels ; "
        f"charge de la machine : {os.getloadavg()[0]:.1f} sur {os.cpu_count()} cœurs"
    )
    for name in args.engines.split(","):
        if name not in ("sqlite", "postgresql"):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            cleanup: Callable[[], None] | None = None
            if name == "sqlite":
                url = f"sqlite:///{tmp}/bench.sqlite3"
            else:
                made = _pg_schema_url()
                if made is None:
                    continue
                url, cleanup = made
            try:
                ds = build(url, args.students, args.cards, args.busiest, args.history_days)
                print(
                    f"\n== {name} : base construite en {ds.build_seconds:.0f} s "
                    f"({ds.cards} cartes, {ds.history_rows} lignes de rappels)"
                )
                for line in bench_engine(ds, args.repeat):
                    print(line)
                if not args.no_memory:
                    print(_memory_line(ds))
                    if name == "sqlite":
                        small = build(
                            f"sqlite:///{tmp}/small.sqlite3",
                            args.students // 10,
                            args.cards,
                            args.busiest // 10,
                            args.history_days,
                        )
                        print(_memory_line(small))
            finally:
                if cleanup:
                    cleanup()
    if not args.no_send and args.send:
        for label in SEND_CONFIGS:
            s = asyncio.run(bench_send(args.send, args.latency, label))
            print(
                f"\n== {args.send} rappels via PTB + {label} vers le faux Bot API (latence "
                f"{args.latency * 1000:.0f} ms, limites de Telegram appliquées : 30/s)\n"
                f"{s['sent']} envoyés en {s['seconds']:.1f} s = {s['rate']:.1f} msg/s "
                f"({s['rate'] / 30:.2f} × l'objectif de 30 msg/s), pic {s['peak_per_second']}/s "
                f"sur une seconde glissante, 429 reçus : {s['enforced_429']}, "
                f"attentes du dispatcher : {len(s['waits'])}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
