"""Benchmark (run by hand): the study queries at scale, on SQLite and PostgreSQL.

    .venv/bin/python bench/queries.py [--engines sqlite,postgresql] [--students N --cards N]
                                      [--rounds N] [--profile] [--rebuild]

Dataset: 100,000 students, 2,000,000 cards, about a million reviews (each with its showing and
its run), ~200 questions over four decks (``bench/_common.py``). SQLite: built once and cached
in ``data/bench-<students>x<cards>-v<N>-<head>.sqlite3`` (about 2 minutes, 730 MB), copied for
each run; PostgreSQL: loaded with COPY into a fresh schema (about 100 s), dropped at the end.

Measured, through the real services and their session factory, for sampled students (a
quarter of them among the 5 % who hold 100+ cards):

* « next card »: ``StudyService.next_question``;
* « record an answer »: ``StudyService.answer`` (typed) or ``answer_choice`` (button);
* what the bot runs per answer: ``answer_choice_and_next`` / ``answer_open_and_next`` (the
  answer, then the next question, in one call);
* « /stats »: ``StatsService.student``;
* « who is this » (every update does it first): ``UserService.register_telegram``;
* the baseline: a primary-key SELECT through a session of the same factory.

Prints median, p95 and max (ms) and the ratio of each median to the baseline's; then, for
each operation, how many SQL statements it runs and how much of its time is spent inside
the database driver (the rest is Python: ORM, services, domain). ``--profile`` also writes a
pyinstrument profile of next + answer per engine to ``bench/results/``.

Targets: next card and record an answer < 2 ms median; /stats < 50 ms (docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as c

TARGET_STUDY_MS = 2.0
TARGET_STATS_MS = 50.0


@dataclass
class Timings:
    """Wall-clock seconds per call, and this thread's CPU seconds (robust to a busy machine)."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float, cpu: float | None = None) -> None:
        self.samples.setdefault(name, []).append(seconds)
        if cpu is not None:
            self.cpu.setdefault(name, []).append(cpu)


class Clock:
    """Wall and CPU time of one call: ``with Clock() as k: ...; k.wall, k.cpu``."""

    def __enter__(self) -> Clock:
        self._cpu = time.thread_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.thread_time() - self._cpu


@dataclass
class Harness:
    engine: Any
    sessions: Any
    study: Any
    stats: Any
    users: Any
    settings: Any


def make_harness(url: str) -> Harness:
    from bot.config import load_settings
    from bot.db.engine import make_engine, make_session_factory
    from bot.services.stats import StatsService
    from bot.services.study import StudyService
    from bot.services.users import UserService

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    settings = load_settings(database_url=url, default_reminder_time="off")
    return Harness(
        engine,
        sessions,
        StudyService(sessions),
        StatsService(sessions),
        UserService(sessions, settings),
        settings,
    )


def card_counts(h: Harness) -> dict[int, int]:
    from sqlalchemy import text

    with h.engine.connect() as conn:
        return dict(
            conn.execute(text("SELECT user_id, count(*) FROM cards GROUP BY user_id")).all()
        )


def pick_students(counts: dict[int, int], count: int, rng: random.Random) -> list[int]:
    """Sampled user ids: three quarters at random, a quarter among the heaviest (100+ cards)."""
    heavy = sorted(u for u, k in counts.items() if k >= 100)
    some = sorted(u for u, k in counts.items() if 0 < k < 100)
    chosen = rng.sample(heavy, min(len(heavy), count // 4))
    chosen += rng.sample(some, count - len(chosen))
    rng.shuffle(chosen)
    return chosen


def answer_for(shown: Any, rng: random.Random) -> tuple[str, Any]:
    """A button index for a question with buttons, else a typed guess."""
    if shown.choices:
        return "choice", rng.randrange(len(shown.choices))
    return "typed", rng.choice(["2006", "la Russie", "Genève", "1957", "je ne sais pas"])


def run_study(
    h: Harness, students: list[int], rounds: int, t: Timings, clock: list[dt.datetime]
) -> None:
    """For each student, ``rounds`` times: next card, then answer it."""
    rng = random.Random(7)
    for round_ in range(rounds):
        for uid in students:
            clock[0] += dt.timedelta(seconds=1)
            now = clock[0]
            with Clock() as k:
                shown = h.study.next_question(uid, now)
            t.add("next card", k.wall, k.cpu)
            if shown is None:
                continue
            kind, given = answer_for(shown, rng)
            key = f"bench:q:{uid}:{round_}:{now.timestamp()}"
            with Clock() as k:
                # The services' one answer flow also shows the next question.
                if kind == "choice":
                    outcome = h.study.answer_choice_and_next(
                        uid, shown.token, given, now, idempotency_key=key
                    ).outcome
                else:
                    outcome = h.study.answer_open_and_next(
                        uid, given, now, token=shown.token, idempotency_key=key
                    ).outcome
            t.add("record an answer", k.wall, k.cpu)
            t.add(f"  of which {kind}", k.wall, k.cpu)
            assert outcome.status.value == "recorded", outcome

            # What the bot does per answer: one call records it and shows the next question.
            clock[0] += dt.timedelta(seconds=1)
            now = clock[0]
            shown = h.study.next_question(uid, now)
            if shown is None:
                continue
            kind, given = answer_for(shown, rng)
            with Clock() as k:
                if kind == "choice":
                    step = h.study.answer_choice_and_next(
                        uid, shown.token, given, now, idempotency_key=key + ":n"
                    )
                else:
                    step = h.study.answer_open_and_next(
                        uid, given, now, idempotency_key=key + ":n"
                    )
            t.add("record an answer + show the next (one call)", k.wall, k.cpu)
            assert step.outcome.status.value == "recorded", step


def run_stats(h: Harness, students: list[int], t: Timings, now: dt.datetime) -> None:
    for uid in students:
        with Clock() as k:
            h.stats.student(uid, now)
        t.add("/stats", k.wall, k.cpu)


def run_register(h: Harness, students: list[int], t: Timings, now: dt.datetime) -> None:
    for uid in students:
        with Clock() as k:
            h.users.register_telegram(c.TG_BASE + uid, c.TG_BASE + uid, f"Élève {uid}", "fr", now)
        t.add("who is this (register_telegram)", k.wall, k.cpu)


def run_baseline(h: Harness, students: list[int], t: Timings) -> None:
    from sqlalchemy import select

    from bot.db.models import User

    for uid in students:
        with Clock() as k, h.sessions() as session:
            session.execute(select(User.timezone).where(User.id == uid)).scalar_one()
        t.add("baseline: PK select in a session", k.wall, k.cpu)
    raw = h.engine.raw_connection()
    try:
        cursor = raw.cursor()
        marker = "?" if h.engine.dialect.name == "sqlite" else "%s"
        for uid in students:
            with Clock() as k:
                cursor.execute(f"SELECT timezone FROM users WHERE id = {marker}", (uid,))
                cursor.fetchall()
            t.add("  raw driver PK select", k.wall, k.cpu)
        raw.rollback()
    finally:
        raw.close()


@dataclass
class SqlMeter:
    """Counts statements and the time spent in ``cursor.execute`` (driver + database)."""

    statements: int = 0
    seconds: float = 0.0
    _started: float = 0.0

    def attach(self, engine: Any) -> Callable[[], None]:
        from sqlalchemy import event

        def before(*_args: Any) -> None:
            self._started = time.perf_counter()

        def after(*_args: Any) -> None:
            self.seconds += time.perf_counter() - self._started
            self.statements += 1

        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)

        def detach() -> None:
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)

        return detach


def breakdown(h: Harness, students: list[int], clock: list[dt.datetime]) -> list[list[str]]:
    """Statements per call and the share of time inside the driver, per operation."""
    rng = random.Random(11)
    rows = []
    ops: list[tuple[str, Callable[[int], Any]]] = []
    shown_by: dict[int, Any] = {}

    def next_card(uid: int) -> None:
        clock[0] += dt.timedelta(seconds=1)
        shown_by[uid] = h.study.next_question(uid, clock[0])

    def record(uid: int) -> None:
        shown = shown_by.pop(uid, None)
        if shown is None:
            return
        kind, given = answer_for(shown, rng)
        key = f"bench:b:{uid}:{clock[0].timestamp()}"
        if kind == "choice":
            h.study.answer_choice_and_next(uid, shown.token, given, clock[0], idempotency_key=key)
        else:
            h.study.answer_open_and_next(
                uid, given, clock[0], token=shown.token, idempotency_key=key
            )

    def stats(uid: int) -> None:
        h.stats.student(uid, clock[0])

    def register(uid: int) -> None:
        h.users.register_telegram(c.TG_BASE + uid, c.TG_BASE + uid, f"Élève {uid}", "fr", clock[0])

    ops = [
        ("next card", next_card),
        ("record an answer", record),
        ("/stats", stats),
        ("who is this", register),
    ]
    meters = {name: SqlMeter() for name, _ in ops}
    totals = dict.fromkeys(meters, 0.0)
    for uid in students:
        for name, op in ops:
            meter = meters[name]
            detach = meter.attach(h.engine)
            started = time.perf_counter()
            op(uid)
            totals[name] += time.perf_counter() - started
            detach()
    n = len(students)
    for name, _ in ops:
        m = meters[name]
        share = m.seconds / totals[name] if totals[name] else 0.0
        rows.append(
            [
                name,
                f"{m.statements / n:.1f}",
                c.fmt_ms(m.seconds / n),
                c.fmt_ms((totals[name] - m.seconds) / n),
                f"{share:.0%}",
            ]
        )
    return rows


def statement_costs(h: Harness, students: list[int], repeat: int = 3) -> list[list[str]]:
    """What one statement costs at each layer (CPU of this thread, and wall), so that the
    price of an ORM entity load, of building a statement per call and of a session with
    its commit can be read apart."""
    from sqlalchemy import bindparam, select

    from bot.db.models import User
    from bot.db.repositories import users as users_repo

    prebuilt_cols = select(User.timezone, User.new_cards_per_day).where(
        User.id == bindparam("uid")
    )
    prebuilt_entity = select(User).where(User.id == bindparam("uid"))
    ids = students * repeat
    rows = []

    def measure(label: str, run: Callable[[Any, int], Any], *, session: bool = True) -> None:
        cpu = wall = 0.0
        if session:
            with h.sessions() as s:
                for uid in ids:
                    with Clock() as k:
                        run(s, uid)
                    cpu += k.cpu
                    wall += k.wall
                s.rollback()
        else:
            for uid in ids:
                with Clock() as k:
                    run(None, uid)
                cpu += k.cpu
                wall += k.wall
        rows.append([label, c.fmt_ms(cpu / len(ids)), c.fmt_ms(wall / len(ids))])

    raw = h.engine.raw_connection()
    cursor = raw.cursor()
    marker = "?" if h.engine.dialect.name == "sqlite" else "%s"
    measure(
        "raw driver: cursor.execute + fetchall",
        lambda _s, uid: (
            cursor.execute(f"SELECT timezone FROM users WHERE id = {marker}", (uid,)).fetchall()
            if h.engine.dialect.name == "sqlite"
            else (
                cursor.execute(f"SELECT timezone FROM users WHERE id = {marker}", (uid,)),
                cursor.fetchall(),
            )
        ),
        session=False,
    )
    raw.rollback()
    raw.close()
    with h.engine.connect() as conn:
        measure(
            "Core: prebuilt select of 2 columns, Connection.execute",
            lambda _s, uid: conn.execute(prebuilt_cols, {"uid": uid}).one(),
            session=False,
        )
    measure(
        "ORM Session: prebuilt select of 2 columns",
        lambda s, uid: s.execute(prebuilt_cols, {"uid": uid}).one(),
    )
    measure(
        "ORM Session: select(User.timezone, …) built per call",
        lambda s, uid: s.execute(
            select(User.timezone, User.new_cards_per_day).where(User.id == uid)
        ).one(),
    )
    measure(
        "ORM Session: prebuilt select(User) → entity",
        lambda s, uid: s.scalar(prebuilt_entity, {"uid": uid}),
    )
    measure(
        "ORM Session: users_repo.get (select(User) built per call → entity)",
        users_repo.get,
    )

    def session_round(_s: Any, uid: int) -> None:
        with h.sessions() as s:
            s.execute(prebuilt_cols, {"uid": uid}).one()
            s.commit()

    measure("a whole session: open, prebuilt select, commit, close", session_round, session=False)

    # What a commit that wrote something costs (waiting included: see the wall column).
    with h.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bench_commit (x integer)")

    def write_commit(_s: Any, uid: int, durable: bool = True) -> None:
        with h.engine.begin() as conn:
            if not durable:
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO off")
            conn.exec_driver_sql(f"INSERT INTO bench_commit VALUES ({int(uid)})")

    measure("a write: INSERT one row and commit", write_commit, session=False)
    if h.engine.dialect.name == "postgresql":
        measure(
            "the same with SET LOCAL synchronous_commit = off",
            lambda s, uid: write_commit(s, uid, durable=False),
            session=False,
        )
    with h.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE bench_commit")
    return rows


def repository_costs(h: Harness, students: list[int], clock: list[dt.datetime]) -> list[list[str]]:
    """CPU per call of each repository function and of the Session's flush and commit, while
    next card + answer run: the functions are wrapped in this process only."""
    import functools
    import inspect

    from sqlalchemy.orm import Session

    from bot.db.repositories import study as study_repo
    from bot.db.repositories import users as users_repo

    spent: dict[str, list[float]] = {}
    restore: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent.setdefault(label, []).append(time.thread_time() - started)

        setattr(owner, name, timed)
        restore.append((owner, name, original))

    for module, prefix in ((study_repo, "study."), (users_repo, "users.")):
        for name, fn in vars(module).items():
            if (
                inspect.isfunction(fn)
                and fn.__module__ == module.__name__
                and not name.startswith("_")
            ):
                wrap(module, name, prefix + name)
    wrap(Session, "commit", "Session.commit (flush included)")
    wrap(Session, "flush", "Session.flush (autoflushes too; inside the rows above)")
    t = Timings()
    try:
        run_study(h, students, 1, t, clock)
    finally:
        for owner, name, original in restore:
            setattr(owner, name, original)
    n = len(students)
    rows = [
        [label, f"{len(v) / n:.2f}", c.fmt_ms(sum(v) / len(v)), c.fmt_ms(sum(v) / n)]
        for label, v in sorted(spent.items(), key=lambda kv: -sum(kv[1]))
    ]
    total = sum(t.cpu["next card"]) + sum(t.cpu["record an answer"])
    rows.append(["(next card + record an answer, whole)", "1", "", c.fmt_ms(total / n)])
    return rows


def profile(h: Harness, students: list[int], clock: list[dt.datetime], name: str) -> Path:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0002)
    t = Timings()
    profiler.start()
    run_study(h, students, 1, t, clock)
    profiler.stop()
    c.RESULTS.mkdir(parents=True, exist_ok=True)
    path = c.RESULTS / f"queries-profile-{name}.txt"
    path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    return path


def bench_engine(name: str, url: str, spec: c.Spec, args: argparse.Namespace) -> dict[str, Any]:
    h = make_harness(url)
    rng = random.Random(spec.seed + 1)
    counts = card_counts(h)
    students = pick_students(counts, args.students_sampled, rng)
    warm = [u for u in pick_students(counts, 40, random.Random(3)) if u not in students]
    clock = [c.ANCHOR]
    try:
        # Warm-up: connections, statement caches, the OS page cache for both files.
        run_study(h, warm, 2, Timings(), clock)
        run_stats(h, warm[:10], Timings(), clock[0])
        t = Timings()
        run_baseline(h, students, t)
        run_register(h, students, t, clock[0])
        run_study(h, students, args.rounds, t, clock)
        run_stats(h, students[: args.stats_students], t, clock[0])
        run_baseline(h, students, t)  # again: the baseline brackets the run
        rows = []
        base = c.median(t.samples["baseline: PK select in a session"])
        for op, values in t.samples.items():
            med = c.median(values)
            target = (
                TARGET_STUDY_MS
                if op in ("next card", "record an answer")
                else TARGET_STATS_MS
                if op == "/stats"
                else None
            )
            verdict = "" if target is None else ("ok" if med * 1000 < target else "MISSED")
            rows.append(
                [
                    op,
                    len(values),
                    c.fmt_ms(med),
                    c.fmt_ms(c.percentile(values, 95)),
                    c.fmt_ms(max(values)),
                    c.fmt_ms(c.median(t.cpu.get(op, []))),
                    c.ratio(med, base),
                    f"< {target:g} ms {verdict}" if target else "",
                ]
            )
        print(f"\n### {name}: {spec.students:,} students, {spec.cards:,} cards\n")
        print(
            c.table(
                [
                    "operation",
                    "n",
                    "median ms",
                    "p95 ms",
                    "max ms",
                    "median CPU ms",
                    "median / baseline",
                    "target",
                ],
                rows,
            )
        )
        print("\nWhat one statement costs, layer by layer (per call):\n")
        print(c.table(["what", "CPU ms", "wall ms"], statement_costs(h, students[:200])))
        print("\nWhere the time goes (per call):\n")
        print(
            c.table(
                ["operation", "SQL statements", "in driver ms", "in Python ms", "driver share"],
                breakdown(h, students[:100], clock),
            )
        )
        print("\nRepository functions during next card + record an answer (CPU):\n")
        print(
            c.table(
                ["function", "calls per next+answer", "ms per call", "ms per next+answer"],
                repository_costs(h, students[:200], clock),
            )
        )
        if args.profile:
            path = profile(h, students[:150], clock, name)
            print(f"\npyinstrument profile of next card + answer: {path.relative_to(c.ROOT)}")
        return {"name": name, "t": t}
    finally:
        h.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=2_000_000)
    parser.add_argument("--students-sampled", type=int, default=400)
    parser.add_argument("--stats-students", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3, help="next + answer per student")
    parser.add_argument("--profile", action="store_true", help="pyinstrument next + answer")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite working copy")
    args = parser.parse_args()
    spec = c.Spec(students=args.students, cards=args.cards)
    c.write_bench_decks()
    started = time.perf_counter()
    for engine in args.engines.split(","):
        if engine == "sqlite":
            cached = c.sqlite_dataset(spec, rebuild=args.rebuild)
            work = c.working_copy(cached, "bench-queries-work.sqlite3")
            try:
                bench_engine("SQLite", f"sqlite:///{work}", spec, args)
            finally:
                if not args.keep:
                    c.remove_sqlite(work)
        elif engine == "postgresql":
            with c.pg_schema("bench_queries") as schema:
                c.log(f"\nloading PostgreSQL schema {schema}…")
                c.build_postgres(spec, schema)
                bench_engine("PostgreSQL", c.pg_url(schema), spec, args)
        else:
            parser.error(f"unknown engine {engine!r}")
    print(f"\ntotal run: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
