"""Kill-and-restart scenarios, shared by the tests (short runs) and ``bench/soak.py`` (long).

Each one runs real processes against a :class:`~.support.FaultyTelegram` in this process,
kills them with SIGKILL at random points, starts them again, and checks from the database and
from what Telegram saw that nothing acknowledged was lost and nothing was counted twice:

* :func:`answers_soak`: ``python -m bot run``, students answering buttons all along;
* :func:`import_soak`: ``ImportService.import_paths`` on a big folder, killed inside its
  transaction;
* :func:`reminders_soak`: one run of the daily-prompt job, killed mid-batch, then run again
  after the lease.

They return a report; the callers assert on it.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import datetime as dt
import random
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import ExtBot

from bot.config import Settings
from bot.db.engine import make_engine, make_session_factory
from bot.db.models import Base, Presentation, Reminder, Review, User
from bot.services.clock import utcnow
from bot.services.dispatch import dispatch_once
from bot.services.importing import ImportService
from bot.services.reminders import ReminderService
from bot.services.users import UserService
from bot.tg.notifier import TelegramNotifier
from bot.tg.ratelimit import RetryingRateLimiter
from tests.reliability.support import (
    ROOT,
    BotProcess,
    FaultyTelegram,
    acknowledged_tokens,
    answer_buttons,
    bot_env,
    choice_deck,
    latest_question,
)
from tests.support.fake_telegram import FakeUser

# -- answers -----------------------------------------------------------------------------------


#: A fault done to the running bot, between two stretches of students answering.
Fault = Callable[[BotProcess, FaultyTelegram, random.Random], Awaitable[None]]


async def sigkill(bot: BotProcess, tg: FaultyTelegram, rng: random.Random) -> None:
    """SIGKILL the bot, let the students write for a moment, start it again."""
    await bot.kill()
    await asyncio.sleep(rng.uniform(0.0, 0.5))
    await bot.start(tg)


@dataclass
class AnswersReport:
    seed: int
    kills: int
    fault: str = "SIGKILL"
    presses: int = 0
    reviews: int = 0
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)  # acknowledged, not in the database
    counted_twice: list[str] = field(default_factory=list)  # tokens with two reviews
    unknown_keys: list[str] = field(default_factory=list)  # reviews of no press we made
    served_again: int = 0  # served by two getUpdates answers (unconfirmed at a fault)
    redelivered: int = 0
    recorded_on_redelivery: int = 0
    tracebacks: int = 0
    warnings: list[str] = field(default_factory=list)  # the bot's WARNING and ERROR lines
    slowed_down: int = 0  # « Doucement » messages (the flood guard dropped updates)
    exit_code: int | None = None

    def describe(self) -> str:
        return (
            f"seed {self.seed}: {self.kills} × {self.fault}, {self.presses} presses, "
            f"{self.acknowledged} acknowledged, {self.reviews} reviews; lost "
            f"{len(self.lost)}, counted twice {len(self.counted_twice)}, unknown "
            f"{len(self.unknown_keys)}; {self.served_again} updates served again after a fault; "
            f"{self.redelivered} re-delivered ({self.recorded_on_redelivery} first recorded "
            f"then); {self.slowed_down} « Doucement »; log: {len(self.warnings)} warning/error"
            f" lines, {self.tracebacks} tracebacks;"
            f" exit code {self.exit_code}"
        )


def _reviews_by_token(db: sessionmaker[Session]) -> tuple[Counter[str], list[str]]:
    with db() as session:
        rows = session.execute(
            select(Presentation.token, Review.idempotency_key).join(
                Presentation, Presentation.id == Review.presentation_id
            )
        ).all()
    return Counter(token for token, _ in rows), [key for _, key in rows]


async def _student(
    user: FakeUser, stop: asyncio.Event, rng: random.Random, presses: list[dict[str, Any]]
) -> None:
    """Answers whatever question is on screen, at a person's pace; /quiz when there is none."""
    user.send_command("/quiz")
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):  # thinking, unless the run is over
            await asyncio.wait_for(stop.wait(), rng.uniform(1.0, 1.6))
            return
        question = latest_question(user)
        if question is None:
            user.send_command("/quiz")
            continue
        presses.append(user.press(question, rng.choice(answer_buttons(question))))


async def settle(tg: FaultyTelegram, quiet: float = 0.4, timeout: float = 20.0) -> None:
    """Wait until Telegram holds no update for the bot and no call came for ``quiet`` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = (-1, -1)
    since = loop.time()
    while loop.time() < deadline:
        now = (len(tg.sent), tg.pending_updates)
        if now != last:
            last, since = now, loop.time()
        elif tg.pending_updates == 0 and loop.time() - since >= quiet:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the bot did not settle: {tg.pending_updates} updates pending")


async def answers_soak(
    workdir: Path,
    database_url: str,
    *,
    students: int = 12,
    kills: int = 3,
    seed: int | None = None,
    up_for: tuple[float, float] = (0.5, 1.5),
    fault: Fault = sigkill,
) -> AnswersReport:
    """Students answer while ``python -m bot run`` suffers ``fault`` ``kills`` times
    (by default SIGKILL and a new start)."""
    seed = random.randrange(10**6) if seed is None else seed
    rng = random.Random(seed)
    report = AnswersReport(seed=seed, kills=kills, fault=fault.__name__)
    questions = workdir / "questions"
    questions.mkdir(parents=True, exist_ok=True)
    (questions / "calcul.yaml").write_text(choice_deck(80), encoding="utf-8")
    log_path = workdir / "bot.log"
    async with FaultyTelegram() as tg:
        env = bot_env(
            tg,
            database_url,
            questions,
            NEW_CARDS_PER_DAY="500",
            DEFAULT_REMINDER_TIME="none",
            AUTO_MIGRATE="true",
        )
        async with BotProcess(env, workdir, log_path) as bot:
            await bot.start(tg)
            users = [tg.user(80_000 + n, f"Élève {n}") for n in range(students)]
            presses: list[dict[str, Any]] = []
            stop = asyncio.Event()
            tasks = [
                asyncio.create_task(_student(u, stop, random.Random(rng.random()), presses))
                for u in users
            ]
            try:
                for _ in range(kills):
                    await asyncio.sleep(rng.uniform(*up_for))
                    await fault(bot, tg, rng)
                await asyncio.sleep(rng.uniform(*up_for))
            finally:
                stop.set()
                await asyncio.gather(*tasks)
            await settle(tg)

            engine = make_engine(database_url)
            db = make_session_factory(engine)
            try:
                _check_answers(tg, db, presses, report)
                before = sum(_reviews_by_token(db)[0].values())
                report.served_again = len(tg.served_twice())
                await _redeliver(tg, presses, report)
                await settle(tg)
                _check_answers(tg, db, presses, report)
                report.recorded_on_redelivery = report.reviews - before
            finally:
                engine.dispose()
            report.exit_code = await bot.terminate()
        output = bot.output()
        report.tracebacks = output.count("Traceback (most recent call last)")
        report.warnings = [
            line for line in output.splitlines() if " WARNING " in line or " ERROR " in line
        ]
        report.presses = len(presses)
        report.slowed_down = sum(
            "Doucement" in str(c.params.get("text", "")) for c in tg.calls("sendMessage")
        )
    return report


def _check_answers(
    tg: FaultyTelegram,
    db: sessionmaker[Session],
    presses: list[dict[str, Any]],
    report: AnswersReport,
) -> None:
    by_token, keys = _reviews_by_token(db)
    acknowledged = acknowledged_tokens(tg)
    report.acknowledged = len(acknowledged)
    report.reviews = sum(by_token.values())
    report.lost = sorted(t for t in acknowledged if by_token[t] == 0)
    report.counted_twice = sorted(t for t, n in by_token.items() if n > 1)
    pressed = {f"tg:cq:{p['callback_query']['id']}" for p in presses}
    report.unknown_keys = sorted(k for k in keys if k not in pressed)


async def _redeliver(
    tg: FaultyTelegram, presses: list[dict[str, Any]], report: AnswersReport
) -> None:
    """Telegram delivering again the presses the bot never confirmed (no answer to the button),
    plus each student's last answered one: one per student at a time, as a client would."""
    answered = {a.callback_query_id for a in tg.callback_answers}
    queues: dict[int, list[dict[str, Any]]] = {}
    for press in presses:
        user = press["callback_query"]["from"]["id"]
        if press["callback_query"]["id"] not in answered:
            queues.setdefault(user, []).append(press)
    for press in reversed(presses):
        user = press["callback_query"]["from"]["id"]
        if press["callback_query"]["id"] in answered and user not in queues:
            queues[user] = [press]
    while any(queues.values()):
        for queue in queues.values():
            if queue:
                tg.redeliver(queue.pop(0))
                report.redelivered += 1
        await settle(tg, quiet=0.3)


# -- every update ------------------------------------------------------------------------------


@dataclass
class Sent:
    """One update a student sent, and the slice of ``tg.sent`` made while it was in hand."""

    update: dict[str, Any]
    chat_id: int
    start: int  # len(tg.sent) when it was sent
    end: int | None = None  # len(tg.sent) when the same student sent the next one
    confirmed: bool = False  # Telegram forgot it (the bot confirmed it) before the next one


@dataclass
class UpdatesReport:
    seed: int
    kills: int
    fault: str = "SIGKILL"
    updates: int = 0  # every update the students sent
    commands: int = 0
    presses: int = 0
    reviews: int = 0
    lost: list[int] = field(default_factory=list)  # update ids whose effect never happened
    doubled: list[int] = field(default_factory=list)  # update ids whose effect happened twice
    unconfirmed: list[int] = field(default_factory=list)  # still held by Telegram at the end
    served_again: int = 0  # served to two processes (a fault after serving, before confirming)
    handled_twice: int = 0  # visibly handled twice: two answerCallbackQuery or two verdicts
    unknown_keys: list[str] = field(default_factory=list)  # reviews of no press we made
    #: Of ``lost``: presses recorded and answered whose verdict and next question were never
    #: shown (a kill after the commit, before the edit; the re-delivery is a duplicate).
    unshown: list[int] = field(default_factory=list)
    refused: int = 0  # presses refused with a toast (a question already answered)
    #: What the bot told the student on each lost press (its toast, its messages).
    lost_said: Counter[str] = field(default_factory=Counter)
    tracebacks: int = 0
    warnings: list[str] = field(default_factory=list)
    exit_code: int | None = None

    @property
    def ok(self) -> bool:
        return not (self.lost or self.doubled or self.unconfirmed or self.unknown_keys) and (
            self.tracebacks == 0 and self.exit_code == 0
        )

    def describe(self) -> str:
        return (
            f"seed {self.seed}: {self.kills} × {self.fault}, {self.updates} updates sent"
            f" ({self.commands} /quiz, {self.presses} presses), {self.reviews} reviews,"
            f" {self.refused} presses refused (already answered); lost"
            f" {len(self.lost)} ({len(self.unshown)} recorded, verdict never shown), doubled"
            f" {len(self.doubled)}, unconfirmed"
            f" {len(self.unconfirmed)}, unknown {len(self.unknown_keys)}; {self.served_again}"
            f" served again after a fault, {self.handled_twice} handled twice (same effect);"
            f" log: {len(self.warnings)} warning/error lines, {self.tracebacks} tracebacks;"
            f" exit code {self.exit_code}"
            + "".join(f"\n    lost ×{n}: {said!r}" for said, n in self.lost_said.most_common(3))
        )


async def _paced_student(
    user: FakeUser,
    tg: FaultyTelegram,
    stop: asyncio.Event,
    rng: random.Random,
    sent: list[Sent],
    confirm_within: float,
) -> None:
    """Sends one update (a press on the question on screen, else /quiz), waits until the bot
    has handled it and Telegram forgot it (confirmed: it can never be served again), thinks,
    sends the next. Every call to the student's chat in between is the effect of that one
    update, whatever the faults (a re-delivery after a crash falls inside the same slice)."""
    loop = asyncio.get_running_loop()
    previous: Sent | None = None
    while True:
        question = latest_question(user)
        if previous is not None:
            previous.end = len(tg.sent)
        start = len(tg.sent)
        if question is None:
            update = user.send_command("/quiz")
        else:
            update = user.press(question, rng.choice(answer_buttons(question)))
        previous = Sent(update, user.chat_id, start)
        sent.append(previous)
        update_id = int(update["update_id"])
        deadline = loop.time() + confirm_within
        while tg.unconfirmed(update_id) and loop.time() < deadline:
            await asyncio.sleep(0.05)
        previous.confirmed = not tg.unconfirmed(update_id)
        if stop.is_set():
            return
        with contextlib.suppress(TimeoutError):  # thinking, unless the run is over
            await asyncio.wait_for(stop.wait(), rng.uniform(1.0, 1.6))
            return


async def updates_soak(
    workdir: Path,
    database_url: str,
    *,
    students: int = 8,
    kills: int = 3,
    seed: int | None = None,
    up_for: tuple[float, float] = (1.0, 4.0),
    fault: Fault = sigkill,
    confirm_within: float = 60.0,
) -> UpdatesReport:
    """Every update the students send is counted: its effect happened once (not lost, not
    doubled), while ``python -m bot run`` suffers ``fault`` ``kills`` times."""
    seed = random.randrange(10**6) if seed is None else seed
    rng = random.Random(seed)
    report = UpdatesReport(seed=seed, kills=kills, fault=fault.__name__)
    questions = workdir / "questions"
    questions.mkdir(parents=True, exist_ok=True)
    (questions / "calcul.yaml").write_text(choice_deck(80), encoding="utf-8")
    log_path = workdir / "bot.log"
    async with FaultyTelegram() as tg:
        env = bot_env(
            tg,
            database_url,
            questions,
            NEW_CARDS_PER_DAY="500",
            DEFAULT_REMINDER_TIME="none",
            AUTO_MIGRATE="true",
        )
        async with BotProcess(env, workdir, log_path) as bot:
            await bot.start(tg)
            users = [tg.user(90_000 + n, f"Élève {n}") for n in range(students)]
            sent: list[Sent] = []
            stop = asyncio.Event()
            tasks = [
                asyncio.create_task(
                    _paced_student(u, tg, stop, random.Random(rng.random()), sent, confirm_within)
                )
                for u in users
            ]
            lives = [0]  # index in tg.served of each process's first getUpdates answer
            try:
                for _ in range(kills):
                    await asyncio.sleep(rng.uniform(*up_for))
                    lives.append(len(tg.served))  # nothing runs between this and the kill
                    await fault(bot, tg, rng)
                await asyncio.sleep(rng.uniform(*up_for))
            finally:
                stop.set()
                await asyncio.gather(*tasks)
            await settle(tg)
            report.served_again = _served_to_two_processes(tg, lives, sent)
            engine = make_engine(database_url)
            try:
                by_key, keys = _reviews_by_key(make_session_factory(engine))
            finally:
                engine.dispose()
            count_effects(tg, sent, by_key, keys, report)
            report.exit_code = await bot.terminate()
        output = bot.output()
        report.tracebacks = output.count("Traceback (most recent call last)")
        report.warnings = [
            line for line in output.splitlines() if " WARNING " in line or " ERROR " in line
        ]
    return report


def _served_to_two_processes(tg: FaultyTelegram, lives: list[int], sent: list[Sent]) -> int:
    """How many of the students' updates were served to more than one process (a fault came
    after they were served and before they were confirmed)."""
    served_in: dict[int, set[int]] = {}
    for index, batch in enumerate(tg.served):
        life = bisect.bisect_right(lives, index) - 1
        for update_id in batch:
            served_in.setdefault(update_id, set()).add(life)
    ids = {int(e.update["update_id"]) for e in sent}
    return sum(1 for uid in ids if len(served_in.get(uid, ())) > 1)


def _reviews_by_key(db: sessionmaker[Session]) -> tuple[Counter[str], list[str]]:
    with db() as session:
        keys = [str(k) for k in session.scalars(select(Review.idempotency_key))]
    return Counter(keys), keys


def count_effects(
    tg: FaultyTelegram,
    sent: list[Sent],
    by_key: Counter[str],
    keys: list[str],
    report: UpdatesReport,
) -> None:
    answers = Counter(a.callback_query_id for a in tg.callback_answers)
    pressed: set[str] = set()
    report.updates = len(sent)
    report.reviews = sum(by_key.values())
    for entry in sent:
        update_id = int(entry.update["update_id"])
        calls = [c for c in tg.sent[entry.start : entry.end] if c.chat_id == entry.chat_id]
        messages = [c for c in calls if c.method == "sendMessage" and c.ok]
        texts = Counter(str(c.params.get("text", "")) for c in messages)
        questions = sum(1 for c in messages if c.message and answer_buttons(c.message))
        doubled = questions > 1 or any(n > 1 for n in texts.values())
        if not entry.confirmed:
            report.unconfirmed.append(update_id)
        if "callback_query" in entry.update:
            report.presses += 1
            query_id = str(entry.update["callback_query"]["id"])
            pressed.add(f"tg:cq:{query_id}")
            reviews = by_key[f"tg:cq:{query_id}"]
            verdicts = [c for c in calls if c.method == "editMessageText" and c.ok]
            toasts = [a.text for a in tg.callback_answers if a.callback_query_id == query_id]
            shown = [c for c in calls if c.ok and c.method in ("editMessageText", "sendMessage")]
            if reviews == 0 and any(toasts):
                # Refused with its reason (« Déjà répondu »): that toast is its whole effect.
                report.refused += 1
                lost = False
            else:
                # Recorded, answered, and its verdict shown (the question edited or a message).
                lost = reviews == 0 or not toasts or not shown
            if reviews >= 1 and toasts and not shown:
                report.unshown.append(update_id)
            if lost:
                said = [str(c.params.get("text", ""))[:60] for c in calls if c.ok]
                report.lost_said[" | ".join([t or "" for t in toasts] + said)] += 1
            doubled = doubled or reviews > 1
            report.handled_twice += answers[query_id] > 1 or len(verdicts) > 1
        else:
            report.commands += 1
            lost = not messages
        if lost:
            report.lost.append(update_id)
        elif doubled:
            report.doubled.append(update_id)
    report.unknown_keys = sorted(k for k in keys if k not in pressed)


# -- import ------------------------------------------------------------------------------------


def big_folder(folder: Path, files: int, per_file: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        (folder / f"paquet-{n:02d}.yaml").write_text(
            choice_deck(per_file, slug=f"paquet-{n:02d}"), encoding="utf-8"
        )
    return folder


def content_dump(engine: Engine) -> list[tuple[Any, ...]]:
    """Every row of the content tables, in a stable order (what an import may change)."""
    rows: list[tuple[Any, ...]] = []
    with engine.connect() as conn:
        for name in ("decks", "questions"):
            table = Base.metadata.tables[name]
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                rows.append((name, *row))
    return rows


@dataclass
class ImportReport:
    seed: int
    killed_after: float = 0.0
    unchanged: bool = False
    then_imported: int = 0


async def import_soak(
    workdir: Path, database_url: str, *, files: int = 12, per_file: int = 40, seed: int = 0
) -> ImportReport:
    """An import of a big folder killed inside its transaction changes nothing."""
    rng = random.Random(seed)
    report = ImportReport(seed=seed)
    engine = make_engine(database_url)
    try:
        Base.metadata.create_all(engine)
        base = workdir / "base"
        base.mkdir(parents=True, exist_ok=True)
        (base / "base.yaml").write_text(choice_deck(5, slug="base"), encoding="utf-8")
        ImportService(make_session_factory(engine)).import_paths([base], utcnow())
        before = content_dump(engine)

        folder = big_folder(workdir / "big", files, per_file)
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.reliability.procs.import_big",
            database_url,
            str(folder),
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            assert line.strip() == b"WRITING", line
            report.killed_after = rng.uniform(0.0, 0.4)
            await asyncio.sleep(report.killed_after)
            assert process.returncode is None, "the import ended before it was killed"
            process.kill()
        finally:
            if process.returncode is None:
                process.kill()
            await process.wait()
        report.unchanged = content_dump(engine) == before
        # Nothing left locked or half-written: the same import, run to its end, goes in.
        done = ImportService(make_session_factory(engine)).import_paths([folder], utcnow())
        report.then_imported = done.added
    finally:
        engine.dispose()
    return report


# -- daily prompts -----------------------------------------------------------------------------

_MINUTE = dt.timedelta(minutes=1)


@dataclass
class RemindersReport:
    seed: int
    students: int
    killed_after_sends: int = 0
    unsettled_at_kill: int = 0
    #: Prompts Telegram had accepted whose row was still ``claimed``: the documented window.
    window: list[int] = field(default_factory=list)
    prompted_twice: list[int] = field(default_factory=list)
    never_prompted: list[int] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        return (
            f"seed {self.seed}: {self.students} students, killed after "
            f"{self.killed_after_sends} sends with {self.unsettled_at_kill} rows unsettled; "
            f"{len(self.window)} in the window (sent, not yet marked); prompted twice "
            f"{len(self.prompted_twice)}, never {len(self.never_prompted)}; rows {self.statuses}"
        )


async def _run_job(
    tg: FaultyTelegram, database_url: str, now: dt.datetime, *, kill_after: int | None
) -> None:
    sends = tg.stats.requests["sendMessage"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.reliability.procs.remind",
        database_url,
        tg.base_url,
        tg.token,
        now.isoformat(),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        if kill_after is None:
            output, _ = await asyncio.wait_for(process.communicate(), 120)
            assert process.returncode == 0, output.decode()
            return
        while tg.stats.requests["sendMessage"] - sends < kill_after:
            assert process.returncode is None, "the job ended before it was killed"
            await asyncio.sleep(0.002)
        process.kill()
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def reminders_soak(
    workdir: Path, database_url: str, *, students: int = 60, seed: int = 0
) -> RemindersReport:
    """The job killed after a random number of sends, then run again after the lease."""
    rng = random.Random(seed)
    report = RemindersReport(seed=seed, students=students)
    engine = make_engine(database_url)
    try:
        Base.metadata.create_all(engine)
        db = make_session_factory(engine)
        settings = Settings(_env_file=None, database_url=database_url)  # type: ignore[call-arg]
        base = big_folder(workdir / "questions", 1, 5)
        now = utcnow()
        ImportService(db).import_paths([base], now)
        users = UserService(db, settings)
        for n in range(students):
            users.register_telegram(90_000 + n, 90_000 + n, f"Élève {n}", "fr", now)
        with db() as session:
            session.execute(update(User).values(next_reminder_at=now - dt.timedelta(minutes=1)))
            session.commit()

        async with FaultyTelegram(latency=0.03) as tg:
            report.killed_after_sends = rng.randint(1, max(1, students - 5))
            await _run_job(tg, database_url, now, kill_after=report.killed_after_sends)
            await asyncio.sleep(0.5)  # requests in flight at the kill reach Telegram anyway
            prompted = Counter(c.chat_id for c in tg.calls("sendMessage", ok=True))
            with db() as session:
                claimed = session.execute(
                    select(User.telegram_id)
                    .join(Reminder, Reminder.user_id == User.id)
                    .where(Reminder.status == "claimed")
                ).scalars()
                unsettled = {uid for uid in claimed if uid is not None}
            report.unsettled_at_kill = len(unsettled)
            report.window = sorted(uid for uid in unsettled if prompted[uid])

            # The next run (another process, or this one restarted) after the lease.
            lease = dt.timedelta(minutes=10)
            service = ReminderService.from_settings(db, settings)
            bot: ExtBot[int] = ExtBot(
                tg.token, base_url=tg.base_url, rate_limiter=RetryingRateLimiter()
            )
            async with bot:
                await dispatch_once(service, TelegramNotifier(bot), now + lease + _MINUTE)
            prompted = Counter(c.chat_id for c in tg.calls("sendMessage", ok=True))
            everyone = [90_000 + n for n in range(students)]
            report.prompted_twice = sorted(uid for uid in everyone if prompted[uid] > 1)
            report.never_prompted = sorted(uid for uid in everyone if prompted[uid] == 0)
            with db() as session:
                rows = session.execute(
                    text("SELECT status, count(*) FROM reminders GROUP BY status")
                ).all()
                report.statuses = {str(status): int(n) for status, n in rows}
    finally:
        engine.dispose()
    return report
