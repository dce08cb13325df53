"""Shared pieces of the benchmarks (not a benchmark itself: ``make bench`` runs it as a no-op).

* the large dataset: 100,000 students, 2,000,000 cards, about a million reviews (each with its
  showing and its run), over the shipped question bank plus three generated decks (~200
  questions), bulk-loaded with ``executemany`` in big batches on SQLite and ``COPY`` on
  PostgreSQL, after the real Alembic migration and the real question import;
* a cache of that dataset on disk for SQLite
  (``data/bench-<students>x<cards>-v<generator>-<alembic head>.sqlite3``);
* PostgreSQL schemas made and dropped by the scripts (``?options=-csearch_path%3D…``);
* small statistics and table printing helpers.

Every value is written in the storage format SQLAlchemy itself uses (checked against the
dialect's own bind processors before loading), so the services read the rows as their own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "data"
RESULTS = ROOT / "bench" / "results"
BENCH_DECKS = DATA / "bench-questions"
SHIPPED_QUESTIONS = ROOT / "questions"

#: The PostgreSQL server of the machine (trust auth), as the tests use it (TEST_POSTGRES_URL).
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

#: "Now" of the dataset: review history lies before it, some cards fall due after it.
ANCHOR = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
ANCHOR_TS = int(ANCHOR.timestamp())
DAY = 86_400

#: Telegram ids of the dataset's students: user ``i`` (1-based) has ``TG_BASE + i``.
TG_BASE = 10_000_000

DATASET_VERSION = 1  # bump when the generator changes: the cache file name carries it


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------
# Generated decks (the shipped deck has 86 questions; three more bring the bank to ~200)
# ---------------------------------------------------------------------------------------------

_SUBJECTS = ("le traité", "la conférence", "l'accord", "le sommet", "la crise", "le plan")
_PLACES = ("Rome", "Paris", "Vienne", "Genève", "Minsk", "Varsovie", "Berlin", "Londres")
_PEOPLE = ("Monnet", "Schuman", "Spaak", "Adenauer", "Nasser", "Eden", "Marshall", "Mollet")


def _deck_yaml(slug: str, title: str, count: int, seed: int) -> str:
    rng = random.Random(seed)
    lines = [
        "version: 1",
        "deck:",
        f"  id: {slug}",
        f'  title: "{title}"',
        "  language: fr",
        "questions:",
    ]
    for n in range(count):
        subject, place = rng.choice(_SUBJECTS), rng.choice(_PLACES)
        year = rng.randint(1900, 2020)
        kind = ("choice", "open", "cloze", "true_false")[n % 4]
        lines.append(f"  - id: q{n:03d}")
        lines.append(f"    kind: {kind}")
        if kind == "choice":
            person = rng.choice(_PEOPLE)
            others = [p for p in _PEOPLE if p != person]
            rng.shuffle(others)
            lines.append(f'    prompt: "Qui signe {subject} de {place} en {year} ?"')
            lines.append(f'    answer: "{person}"')
            lines.append(f"    distractors: {json.dumps(others[:3], ensure_ascii=False)}")
        elif kind == "open":
            lines.append(f'    prompt: "En quelle année {subject} de {place} est-il signé ?"')
            lines.append(f'    answer: "{year}"')
            lines.append(f'    accept: ["en {year}"]')
        elif kind == "cloze":
            lines.append(
                f'    prompt: "{subject.capitalize()} de {{{{{place}}}}} date de {year}."'
            )
        else:
            lines.append(f'    prompt: "{subject.capitalize()} de {place} date de {year}."')
            lines.append(f"    answer: {'vrai' if rng.random() < 0.5 else 'faux'}")
        lines.append(f'    source: "{subject.capitalize()} de {place} est signé en {year}."')
    return "\n".join(lines) + "\n"


def write_bench_decks(folder: Path = BENCH_DECKS) -> Path:
    """Write the three generated decks (deterministic: same bytes on every run)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (slug, title) in enumerate(
        [
            ("bench-traites", "Banc d'essai : traités"),
            ("bench-conferences", "Banc d'essai : conférences"),
            ("bench-sommets", "Banc d'essai : sommets"),
        ]
    ):
        path = folder / f"{slug}.yaml"
        text = _deck_yaml(slug, title, 40, seed=100 + i)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return folder


def question_paths() -> list[Path]:
    """What the dataset imports: the shipped folder and the generated decks."""
    return [SHIPPED_QUESTIONS, write_bench_decks()]


# ---------------------------------------------------------------------------------------------
# Dataset
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    students: int = 100_000
    cards: int = 2_000_000
    seed: int = 20261125
    #: Share of cards answered at least once (each gets one review, one showing).
    reviewed_share: float = 0.5

    @property
    def sqlite_path(self) -> Path:
        """The cache file: its name changes with the generator and the schema's head."""
        return DATA / (
            f"bench-{self.students}x{self.cards}-v{DATASET_VERSION}-{schema_head()}.sqlite3"
        )


def schema_head() -> str:
    from alembic.script import ScriptDirectory

    from bot.db.migrations import alembic_config

    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()  # type: ignore[arg-type]
    return str(head)


# Column lists, in the models' order; "ts" columns hold Unix seconds until written.
USERS = [
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
    "onboarded_at",
    "blocked_at",
    "created_at",
]
CARDS = [
    "id",
    "user_id",
    "question_id",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "suspended_at",
    "created_at",
]
SESSIONS = [
    "id",
    "user_id",
    "deck_id",
    "practice",
    "started_at",
    "ended_at",
    "answered",
    "correct",
]
PRESENTATIONS = [
    "id",
    "token",
    "user_id",
    "card_id",
    "session_id",
    "choices",
    "shown_at",
    "answered_at",
]
REVIEWS = [
    "id",
    "card_id",
    "user_id",
    "question_id",
    "session_id",
    "presentation_id",
    "idempotency_key",
    "rating",
    "verdict",
    "correct",
    "practice",
    "given_answer",
    "response_ms",
    "reviewed_at",
    "prev_state",
    "prev_step",
    "prev_stability",
    "prev_difficulty",
    "prev_due",
    "prev_last_review",
    "prev_reps",
    "prev_lapses",
    "prev_suspended_at",
]
TIMESTAMPS = {
    "next_reminder_at",
    "onboarded_at",
    "blocked_at",
    "created_at",
    "due",
    "last_review",
    "suspended_at",
    "started_at",
    "ended_at",
    "shown_at",
    "answered_at",
    "reviewed_at",
    "prev_due",
    "prev_last_review",
    "prev_suspended_at",
}
BOOLEANS = {"reminders_paused", "practice", "correct"}

_ZONES = ("Europe/Paris",) * 8 + ("Europe/Brussels", "America/Toronto", "Africa/Dakar")


def card_counts(spec: Spec, rng: random.Random, questions: int) -> list[int]:
    """Cards per student: most have a few, a quarter a few dozen, 5 % nearly the whole bank;
    then nudged so that the total is exactly ``spec.cards``."""
    counts = []
    for _ in range(spec.students):
        r = rng.random()
        if r < 0.70:
            k = rng.randint(0, 12)
        elif r < 0.95:
            k = rng.randint(13, 60)
        else:
            k = rng.randint(100, questions)
        counts.append(min(k, questions))
    total = sum(counts)
    while total != spec.cards:
        i = rng.randrange(spec.students)
        if total < spec.cards and counts[i] < questions:
            counts[i] += 1
            total += 1
        elif total > spec.cards and counts[i] > 0:
            counts[i] -= 1
            total -= 1
    return counts


@dataclass
class Tables:
    users: list[tuple[Any, ...]]
    cards: list[tuple[Any, ...]]
    sessions: list[tuple[Any, ...]]
    presentations: list[tuple[Any, ...]]
    reviews: list[tuple[Any, ...]]


def generate(spec: Spec, question_ids: Sequence[int]) -> Iterator[Tables]:
    """Rows of the dataset in chunks of about 5,000 students (ids are assigned here)."""
    rng = random.Random(spec.seed)
    counts = card_counts(spec, rng, len(question_ids))
    card_id = session_id = review_id = 0
    created = ANCHOR_TS - 400 * DAY
    chunk = Tables([], [], [], [], [])
    for index, k in enumerate(counts):
        uid = index + 1
        chunk.users.append(
            (
                uid,
                TG_BASE + uid,
                TG_BASE + uid,
                f"Élève {uid}",
                "fr",
                rng.choice(_ZONES),
                None,  # no daily prompt: the benchmarks must not broadcast to 100,000 chats
                None,
                False,
                500,  # new cards per day: a benchmark student never runs dry
                0.9,
                36500,
                created,
                None,
                created,
            )
        )
        answered: list[tuple[int, int, int]] = []  # (reviewed_at, card id, question id)
        for qid in rng.sample(question_ids, k):
            card_id += 1
            reviewed = rng.random() < spec.reviewed_share
            if reviewed:
                reps = rng.randint(1, 8)
                lapses = rng.randint(0, min(3, reps - 1))
                stability = round(rng.uniform(0.5, 120.0), 3)
                difficulty = round(rng.uniform(1.0, 10.0), 3)
                last = ANCHOR_TS - rng.randint(60, 180 * DAY)
                due = last + int(stability * DAY * rng.uniform(0.5, 1.5))
                state, step = (2, None) if rng.random() < 0.9 else (3, 0)
                answered.append((last, card_id, qid))
            else:  # shown once, never answered: due at once
                reps = lapses = 0
                stability = difficulty = None
                last = None
                due = ANCHOR_TS - rng.randint(60, 30 * DAY)
                state, step = 1, 0
            suspended = ANCHOR_TS - DAY if rng.random() < 0.005 else None
            chunk.cards.append(
                (
                    card_id,
                    uid,
                    qid,
                    state,
                    step,
                    stability,
                    difficulty,
                    due,
                    last,
                    reps,
                    lapses,
                    suspended,
                    created,
                )
            )
        answered.sort()
        for start in range(0, len(answered), 10):
            run = answered[start : start + 10]
            session_id += 1
            correct_count = 0
            for at, cid, qid in run:
                review_id += 1
                correct = rng.random() < 0.7
                correct_count += correct
                chunk.presentations.append(
                    (review_id, f"b{review_id:07x}", uid, cid, session_id, "[]", at - 20, at)
                )
                chunk.reviews.append(
                    (
                        review_id,
                        cid,
                        uid,
                        qid,
                        session_id,
                        review_id,  # its showing has the same id
                        f"bench:{review_id}",
                        3 if correct else 1,
                        "correct" if correct else "wrong",
                        correct,
                        False,
                        "réponse",
                        rng.randint(2000, 30000),
                        at,
                        2,
                        None,
                        10.0,
                        5.0,
                        at,
                        at - 7 * DAY,
                        1,
                        0,
                        None,
                    )
                )
            chunk.sessions.append(
                (
                    session_id,
                    uid,
                    None,
                    False,
                    run[0][0] - 30,
                    run[-1][0] + 30,
                    len(run),
                    correct_count,
                )
            )
        if uid % 5000 == 0 or uid == spec.students:
            yield chunk
            chunk = Tables([], [], [], [], [])


# --- writing values -------------------------------------------------------------------------


_HMS = [f"{h:02d}:{m:02d}:{sec:02d}" for h in range(24) for m in range(60) for sec in range(60)]
_DAYS: dict[int, str] = {}


def _date(day: int) -> str:
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()
    return text


def _sqlite_ts(seconds: int) -> str:
    """Unix seconds as SQLAlchemy stores an aware UTC datetime in SQLite (naive, µs)."""
    day, rest = divmod(seconds, DAY)
    return f"{_date(day)} {_HMS[rest]}.000000"


def _pg_ts(seconds: int) -> str:
    day, rest = divmod(seconds, DAY)
    return f"{_date(day)} {_HMS[rest]}+00"


def check_formats(engine: Any) -> None:
    """Our hand-made SQLite values equal what SQLAlchemy's own bind processors produce."""
    from sqlalchemy import DateTime

    if engine.dialect.name != "sqlite":
        return
    sample = ANCHOR + dt.timedelta(days=3, hours=5, seconds=7)
    process = DateTime().dialect_impl(engine.dialect).bind_processor(engine.dialect)
    expected = process(sample.replace(tzinfo=None))
    ours = _sqlite_ts(int(sample.timestamp()))
    if expected != ours:
        raise AssertionError(f"SQLite datetime format differs: {expected!r} != {ours!r}")


def _converter(
    table: str, columns: Sequence[str], dialect: str
) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    ts = _sqlite_ts if dialect == "sqlite" else _pg_ts
    stamp = [c in TIMESTAMPS for c in columns]
    # study_sessions.correct is a count, reviews.correct a flag
    boolean = [c in BOOLEANS and table != "study_sessions" for c in columns]

    if dialect == "sqlite":

        def convert(row: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(
                (ts(v) if s else int(v) if b else v) if v is not None else None
                for v, s, b in zip(row, stamp, boolean, strict=True)
            )

        return convert

    def convert_pg(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            (ts(v) if s else ("t" if v else "f") if b else v) if v is not None else None
            for v, s, b in zip(row, stamp, boolean, strict=True)
        )

    return convert_pg


def _import_questions(engine: Any) -> list[int]:
    """Migrate, import the question files with the real service, return live question ids."""
    from sqlalchemy import text

    from bot.db import migrations
    from bot.db.engine import make_session_factory
    from bot.services.importing import ImportService

    migrations.upgrade(engine)
    cwd = Path.cwd()
    os.chdir(ROOT)  # deck source paths are stored relative to the working directory
    try:
        ImportService(make_session_factory(engine)).import_paths(question_paths(), ANCHOR)
    finally:
        os.chdir(cwd)
    with engine.connect() as conn:
        return [
            row[0]
            for row in conn.execute(
                text("SELECT id FROM questions WHERE retired_at IS NULL ORDER BY id")
            )
        ]


TABLES = (
    ("users", USERS, "users"),
    ("cards", CARDS, "cards"),
    ("study_sessions", SESSIONS, "sessions"),
    ("presentations", PRESENTATIONS, "presentations"),
    ("reviews", REVIEWS, "reviews"),
)


def build_sqlite(spec: Spec, path: Path) -> None:
    """Create the SQLite dataset at ``path`` (migrated, imported, bulk-loaded, checkpointed)."""
    from bot.db.engine import make_engine

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    try:
        check_formats(engine)
        question_ids = _import_questions(engine)
    finally:
        engine.dispose()
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    conn.execute("BEGIN")
    converters = {t: _converter(t, cols, "sqlite") for t, cols, _ in TABLES}
    statements = {
        t: f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        for t, cols, _ in TABLES
    }
    rows = 0
    for chunk in generate(spec, question_ids):
        for table, _cols, attr in TABLES:
            convert = converters[table]
            values = [convert(r) for r in getattr(chunk, attr)]
            conn.executemany(statements[table], values)
            rows += len(values)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    log(f"  SQLite: {rows:,} rows loaded in {time.perf_counter() - started:.0f} s")


def sqlite_dataset(spec: Spec, *, rebuild: bool = False) -> Path:
    """The cached SQLite dataset (built on first use, about two minutes); older caches of
    the same size (another schema head or generator version) are removed."""
    path = spec.sqlite_path
    for old in DATA.glob(f"bench-{spec.students}x{spec.cards}-v*.sqlite3"):
        if old != path:
            remove_sqlite(old)
    if rebuild or not path.exists():
        log(f"building {path.name} (cached for later runs)…")
        tmp = path.with_suffix(".building")
        build_sqlite(spec, tmp)
        tmp.rename(path)
    return path


def working_copy(source: Path, name: str) -> Path:
    """A throw-away copy of a cached SQLite file (the benchmarks write to it)."""
    target = DATA / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- PostgreSQL -------------------------------------------------------------------------------


def pg_url(schema: str) -> str:
    """The server URL with ``search_path`` set to ``schema`` for every connection."""
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


def _psycopg_conninfo() -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """A fresh schema for one run, dropped afterwards (also on Ctrl-C)."""
    import psycopg

    schema = f"{prefix}_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(_psycopg_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        with psycopg.connect(_psycopg_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _copy_formatters(table: str, columns: Sequence[str]) -> list[Callable[[Any], str]]:
    """One function per column: a Python value to COPY's text format (``\\N`` for NULL)."""

    def text(v: Any) -> str:
        return "\\N" if v is None else str(v)

    def stamp(v: Any) -> str:
        return "\\N" if v is None else _pg_ts(v)

    def flag(v: Any) -> str:
        return "t" if v else "f"

    return [
        stamp if c in TIMESTAMPS else flag if c in BOOLEANS and table != "study_sessions" else text
        for c in columns
    ]


_SECONDARY_SQL = """
SELECT c.relname, i.relname, pg_get_indexdef(i.oid), con.conname, pg_get_constraintdef(con.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
LEFT JOIN pg_constraint con ON con.conindid = i.oid AND con.contype = 'u'
WHERE c.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary
  AND c.relname = ANY(%s)
"""


def build_postgres(spec: Spec, schema: str) -> None:
    """Migrate the schema, import the questions, COPY the rows, ANALYZE.

    The secondary indexes and unique constraints of the five big tables are dropped during
    the load and rebuilt after it, with their migration names and definitions (a bulk build
    is several times faster than index maintenance row by row).
    """
    import psycopg

    from bot.db.engine import make_engine

    engine = make_engine(pg_url(schema))
    try:
        question_ids = _import_questions(engine)
    finally:
        engine.dispose()
    started = time.perf_counter()
    everything = Tables([], [], [], [], [])
    for chunk in generate(spec, question_ids):
        for _table, _cols, attr in TABLES:
            getattr(everything, attr).extend(getattr(chunk, attr))
    generated = time.perf_counter() - started
    rows = 0
    names = [t for t, _c, _a in TABLES]
    with psycopg.connect(_psycopg_conninfo()) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("SET synchronous_commit TO off")
        conn.execute("SET maintenance_work_mem TO '512MB'")
        # The rows are consistent by construction: skip the per-row foreign-key triggers
        # (superuser only; the trust-auth postgres role of the machine is one).
        conn.execute("SET session_replication_role TO replica")
        secondary = conn.execute(_SECONDARY_SQL, [names]).fetchall()
        for table, index, _indexdef, constraint, _condef in secondary:
            if constraint:
                conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
            else:
                conn.execute(f"DROP INDEX {index}")
        for table, cols, attr in TABLES:
            formatters = _copy_formatters(table, cols)
            values = getattr(everything, attr)
            with conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for start in range(0, len(values), 20_000):
                    copy.write(
                        "".join(
                            "\t".join([f(v) for f, v in zip(formatters, row, strict=True)]) + "\n"
                            for row in values[start : start + 20_000]
                        )
                    )
            rows += len(values)
            # ids were given explicitly: move the sequence on
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        loaded = time.perf_counter() - started
        for table, _index, indexdef, constraint, condef in secondary:
            if constraint:
                conn.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {condef}")
            else:
                conn.execute(indexdef)
        conn.commit()
        conn.autocommit = True
        for table in names:
            conn.execute(f"VACUUM ANALYZE {table}")
    log(
        f"  PostgreSQL: {rows:,} rows in {time.perf_counter() - started:.0f} s "
        f"(generated {generated:.0f} s, copied {loaded - generated:.0f} s, "
        f"indexed and analysed {time.perf_counter() - started - loaded:.0f} s)"
    )


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table (pastes into docs/performance.md as is)."""
    body = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in body]
    return "\n".join(out)


def fmt_ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "–"
    ms = seconds * 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def ratio(ours: float, base: float) -> str:
    if not base or math.isnan(ours) or math.isnan(base):
        return "–"
    return f"{ours / base:.2f}"


if __name__ == "__main__":
    print("bench/_common.py: helpers of the other benchmarks (nothing to run).")
