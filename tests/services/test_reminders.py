"""Daily prompts end to end on SQLite and PostgreSQL, with a fixed clock and a recording notifier.

No test sleeps: time is a variable the test moves, and the dispatcher's 429 waits go through
a recording ``sleep``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import format_preview, remind_command
from bot.config import load_settings
from bot.db.engine import make_engine, make_session_factory
from bot.db.models import Card, Deck, DeckChoice, Question, Reminder, Review, User
from bot.domain.reminders import ReminderStatus, local_date, next_reminder_at
from bot.services.dispatch import DispatchReport, SendResult, SendStatus, dispatch_once
from bot.services.reminders import ClaimedReminder, ReminderService, SnoozeStatus

UTC = dt.UTC
MAX_DELAY = dt.timedelta(hours=3)
FAR = dt.datetime(2030, 1, 1, tzinfo=UTC)
PAST = dt.datetime(2026, 1, 1, tzinfo=UTC)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# -- fakes ----------------------------------------------------------------------------------


@dataclass
class RecordingNotifier:
    """Records every send; answers from a per-chat script, then 403 for blocked chats, else OK.

    ``now`` is the test's clock, read when a prompt is accepted. Thread-safe, so two
    dispatchers in two threads can share it.
    """

    now: dt.datetime = PAST
    blocked: set[int] = field(default_factory=set)
    script: dict[int, list[SendResult]] = field(default_factory=dict)
    calls: list[int] = field(default_factory=list)
    sent: list[tuple[int, dt.datetime, int]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def send_prompt(
        self, chat_id: int, language: str, due_count: int, new_count: int = 0
    ) -> SendResult:
        with self._lock:
            self.calls.append(chat_id)
            queue = self.script.get(chat_id)
            if queue:
                result = queue.pop(0)
            elif chat_id in self.blocked:
                result = SendResult.blocked()
            else:
                result = SendResult.sent()
            if result.status is SendStatus.SENT:
                self.sent.append((chat_id, self.now, due_count))
        await asyncio.sleep(0)  # let the other sends interleave, as real I/O would
        return result

    def sent_to(self, chat_id: int) -> list[dt.datetime]:
        return [at for chat, at, _ in self.sent if chat == chat_id]


@dataclass
class RecordingSleep:
    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


# -- data -----------------------------------------------------------------------------------


@dataclass
class World:
    """A deck of two questions; students are added with their cards."""

    sessions: sessionmaker[Session]
    deck_id: int = 0
    question_ids: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, sessions: sessionmaker[Session], questions: int = 2) -> World:
        with sessions() as s:
            deck = Deck(slug="bielorussie", title="Biélorussie", content_hash="h")
            s.add(deck)
            s.flush()
            qs = [
                Question(
                    deck_id=deck.id,
                    key=f"q{i}",
                    position=i,
                    kind="open",
                    prompt="?",
                    answer="2006",
                    content_hash=f"h{i}",
                )
                for i in range(questions)
            ]
            s.add_all(qs)
            s.commit()
            return cls(sessions, deck.id, [q.id for q in qs])

    def student(
        self,
        chat_id: int,
        zone: str,
        at: dt.time | None,
        start: dt.datetime,
        *,
        cards_due: Iterable[dt.datetime] = (),
        new_cards_per_day: int = 10,
        paused: bool = False,
        name: str = "",
    ) -> int:
        """A student whose prompt is armed from ``start``; one card per ``cards_due`` (the
        other questions stay new unless ``cards_due`` covers them all)."""
        with self.sessions() as s:
            user = User(
                telegram_id=chat_id,
                chat_id=chat_id,
                display_name=name or f"élève {chat_id}",
                timezone=zone,
                reminder_time=at,
                reminders_paused=paused,
                new_cards_per_day=new_cards_per_day,
                next_reminder_at=(
                    None if at is None or paused else next_reminder_at(at, zone, start)
                ),
            )
            s.add(user)
            s.flush()
            for question_id, due in zip(self.question_ids, cards_due, strict=False):
                s.add(
                    Card(
                        user_id=user.id,
                        question_id=question_id,
                        state=2,
                        due=due,
                        last_review=PAST,
                        reps=1,
                    )
                )
            s.commit()
            return user.id

    def review(self, user_id: int, at: dt.datetime) -> None:
        """The student answered a question at ``at``."""
        with self.sessions() as s:
            card = s.scalar(select(Card).where(Card.user_id == user_id).limit(1))
            assert card is not None
            s.add(
                Review(
                    card_id=card.id,
                    user_id=user_id,
                    question_id=card.question_id,
                    idempotency_key=f"{user_id}-{at.isoformat()}",
                    rating=3,
                    verdict="correct",
                    correct=True,
                    given_answer="2006",
                    reviewed_at=at,
                    prev_state=2,
                    prev_due=card.due,
                    prev_reps=1,
                    prev_lapses=0,
                )
            )
            s.commit()

    def user(self, user_id: int) -> User:
        with self.sessions() as s:
            found = s.get(User, user_id)
            assert found is not None
            return found

    def rows(self, user_id: int | None = None) -> list[Reminder]:
        with self.sessions() as s:
            query = select(Reminder).order_by(Reminder.user_id, Reminder.local_date)
            if user_id is not None:
                query = query.where(Reminder.user_id == user_id)
            return list(s.scalars(query))


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> World:
    return World.build(session_factory)


@pytest.fixture
def service(session_factory: sessionmaker[Session]) -> ReminderService:
    return ReminderService(session_factory, max_delay=MAX_DELAY)


async def run(
    service: ReminderService,
    notifier: RecordingNotifier,
    now: dt.datetime,
    sleep: RecordingSleep | None = None,
    **kwargs: int,
) -> DispatchReport:
    notifier.now = now
    return await dispatch_once(
        service, notifier, now, sleep=sleep or RecordingSleep(), clock=lambda: now, **kwargs
    )


def ticks(start: dt.datetime, end: dt.datetime, step: dt.timedelta) -> Iterator[dt.datetime]:
    now = start
    while now < end:
        yield now
        now += step


def dates_sent(notifier: RecordingNotifier, chat_id: int, zone: str) -> list[dt.date]:
    return [local_date(at, zone) for at in notifier.sent_to(chat_id)]


def days(first: int, last: int, month: int = 3, skip: Iterable[int] = ()) -> list[dt.date]:
    return [dt.date(2026, month, d) for d in range(first, last + 1) if d not in set(skip)]


# -- a simulated week -----------------------------------------------------------------------

WEEK_START = utc(2026, 3, 25)
WEEK_END = utc(2026, 4, 1)


async def test_a_week_of_prompts_once_per_local_day_only_when_something_is_due(
    world: World, service: ReminderService
) -> None:
    start = WEEK_START
    night = world.student(1, "Europe/Paris", dt.time(2, 30), start, cards_due=[PAST])
    idle = world.student(2, "America/Montreal", dt.time(18), start, cards_due=[FAR, FAR])
    studious = world.student(3, "Asia/Kolkata", dt.time(7, 15), start, cards_due=[PAST])
    world.student(4, "Pacific/Chatham", dt.time(23, 45), start)  # only new questions
    world.student(5, "Africa/Dakar", dt.time(12), start, cards_due=[PAST], paused=True)
    gone = world.student(6, "Europe/Paris", dt.time(9), start, cards_due=[PAST])
    world.student(7, "America/Montreal", dt.time(7), start, cards_due=[utc(2026, 3, 28, 12), FAR])
    world.student(8, "Africa/Dakar", dt.time(8), start, new_cards_per_day=0)
    kolkata = ZoneInfo("Asia/Kolkata")
    for day in (26, 28, 30):  # answers at 06:00 local, before the 07:15 prompt
        world.review(studious, dt.datetime(2026, 3, day, 6, tzinfo=kolkata))

    notifier = RecordingNotifier(blocked={6})
    for now in ticks(start, WEEK_END, dt.timedelta(minutes=30)):
        await run(service, notifier, now)

    assert dates_sent(notifier, 1, "Europe/Paris") == days(25, 31)
    # 2026-03-29: 02:30 does not exist in Paris; the prompt came at 03:00 CEST (01:00 UTC).
    assert notifier.sent_to(1)[4] == utc(2026, 3, 29, 1)
    assert notifier.sent_to(2) == []
    assert dates_sent(notifier, 3, "Asia/Kolkata") == days(25, 31, skip=(26, 28, 30))
    assert dates_sent(notifier, 4, "Pacific/Chatham") == days(25, 31)
    assert notifier.sent_to(5) == []
    assert notifier.calls.count(6) == 1  # 403 on the first prompt, never asked again
    assert dates_sent(notifier, 7, "America/Montreal") == days(29, 31)
    assert notifier.sent_to(8) == []
    # Each prompt went out at the first tick after its time (ticks every 30 minutes).
    for _, at, count in notifier.sent:
        assert count > 0
        assert (at.minute % 30, at.second) == (0, 0)
    assert len(notifier.sent) == len({(c, a.date()) for c, a, _ in notifier.sent})

    assert world.user(gone).blocked_at == utc(2026, 3, 25, 8)
    assert world.user(gone).next_reminder_at is None
    statuses = Counter((r.user_id, r.status) for r in world.rows())
    assert statuses[(night, "sent")] == 7
    assert statuses[(idle, "skipped")] == 7
    assert statuses[(studious, "skipped")] == 3
    assert statuses[(gone, "blocked")] == 1
    assert not [r for r in world.rows() if r.status in ("claimed", "retry")]


async def test_fall_back_night_prompts_once(world: World, service: ReminderService) -> None:
    start = utc(2026, 10, 24, 12)
    world.student(1, "Europe/Paris", dt.time(2, 30), start, cards_due=[PAST])
    notifier = RecordingNotifier()
    for now in ticks(start, utc(2026, 10, 26, 12), dt.timedelta(minutes=30)):
        await run(service, notifier, now)
    # 02:30 CEST on the 25th, not again at 02:30 CET an hour later; 02:30 CET on the 26th.
    assert notifier.sent_to(1) == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]


# -- claiming -------------------------------------------------------------------------------

T0 = utc(2026, 3, 10, 17)  # 18:00 in Paris


async def test_claim_advances_to_next_local_day_and_records_the_outbox_row(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    assert list(service.claim_batch(T0 - dt.timedelta(seconds=1)).reminders) == []
    claimed = list(service.claim_batch(T0).reminders)
    assert claimed == [
        ClaimedReminder(
            reminder_id=claimed[0].reminder_id,
            user_id=uid,
            chat_id=1,
            language="fr",
            local_date=dt.date(2026, 3, 10),
            scheduled_for=T0,
            due_count=2,  # one due card + one new question
            attempts=0,
            new_count=1,
        )
    ]
    assert list(service.claim_batch(T0).reminders) == []  # already claimed: nothing twice
    assert world.user(uid).next_reminder_at == utc(2026, 3, 11, 17)
    [row] = world.rows(uid)
    assert (row.status, row.scheduled_for, row.claimed_at, row.sent_at) == (
        "claimed",
        T0,
        T0,
        None,
    )


async def test_claim_in_batches_oldest_first(world: World, service: ReminderService) -> None:
    for chat in range(7):
        world.student(chat, "Africa/Dakar", dt.time(17, chat), T0 - dt.timedelta(hours=1))
    now = T0 + dt.timedelta(minutes=10)
    first = service.claim_batch(now, limit=3)
    assert [r.chat_id for r in first.reminders] == [0, 1, 2]
    assert first.examined == 3
    second = service.claim_batch(now, limit=3)
    third = service.claim_batch(now, limit=3)
    assert [r.chat_id for r in second.reminders + third.reminders] == [3, 4, 5, 6]
    assert third.examined == 1


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("nothing", "claimed"),
        ("deck_off", "skipped"),
        ("deck_retired", "skipped"),
        ("questions_retired", "skipped"),
        ("card_suspended", "claimed"),  # suspended: not due, but the other question is new
        ("no_new_cards", "claimed"),  # the due card is enough
        ("all_carded_not_due", "skipped"),
    ],
)
async def test_what_counts_as_something_to_study(
    world: World, service: ReminderService, change: str, expected: str
) -> None:
    cards = [FAR, FAR] if change == "all_carded_not_due" else [PAST]
    uid = world.student(
        1,
        "Europe/Paris",
        dt.time(18),
        T0 - dt.timedelta(hours=1),
        cards_due=cards,
        new_cards_per_day=0 if change == "no_new_cards" else 10,
    )
    with world.sessions() as s:
        if change == "deck_off":
            s.add(DeckChoice(user_id=uid, deck_id=world.deck_id, enabled=False))
        elif change == "deck_retired":
            s.execute(update(Deck).values(retired_at=PAST))
        elif change == "questions_retired":
            s.execute(update(Question).values(retired_at=PAST))
        elif change == "card_suspended":
            s.execute(update(Card).values(suspended_at=PAST))
        s.commit()
    batch = service.claim_batch(T0)
    [row] = world.rows(uid)
    assert row.status == expected
    assert len(batch.reminders) == (expected == "claimed")
    if change in ("no_new_cards", "card_suspended"):
        assert batch.reminders[0].due_count == 1


async def test_no_new_cards_and_nothing_due_means_no_prompt(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), new_cards_per_day=0
    )
    assert list(service.claim_batch(T0).reminders) == []
    assert [r.status for r in world.rows(uid)] == ["skipped"]


async def test_prompt_missed_while_down_expires_and_the_next_comes_on_time(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    late = T0 + MAX_DELAY + dt.timedelta(minutes=1)  # 21:01 in Paris
    notifier = RecordingNotifier()
    report = await run(service, notifier, late)
    assert notifier.sent == []
    assert report.not_sent == {"expired": 1}
    assert world.user(uid).next_reminder_at == utc(2026, 3, 11, 17)
    # Down for three days: one expired row, then back to the chosen time.
    uid2 = world.student(
        2, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    await run(service, notifier, T0 + dt.timedelta(days=3, hours=5))
    assert [r.status for r in world.rows(uid2)] == ["expired"]
    assert world.user(uid2).next_reminder_at == utc(2026, 3, 14, 17)


async def test_changing_the_time_after_todays_prompt_gives_no_second_prompt(
    world: World, service: ReminderService
) -> None:
    start = T0 - dt.timedelta(hours=12)
    uid = world.student(1, "Europe/Paris", dt.time(8), start, cards_due=[PAST])
    notifier = RecordingNotifier()
    await run(service, notifier, utc(2026, 3, 10, 7))  # 08:00 in Paris: sent
    with world.sessions() as s:  # what UserService.update does at 09:00
        s.execute(
            update(User)
            .where(User.id == uid)
            .values(
                reminder_time=dt.time(20),
                next_reminder_at=next_reminder_at(
                    dt.time(20), "Europe/Paris", utc(2026, 3, 10, 8)
                ),
            )
        )
        s.commit()
    report = await run(service, notifier, utc(2026, 3, 10, 19))  # 20:00 the same day
    assert len(notifier.sent) == 1
    assert report.not_sent == {"duplicate": 1}
    assert world.user(uid).next_reminder_at == utc(2026, 3, 11, 19)
    await run(service, notifier, utc(2026, 3, 11, 19))
    assert len(notifier.sent) == 2


async def test_unknown_zone_switches_the_prompt_off(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    with world.sessions() as s:
        s.execute(update(User).values(timezone="Mars/Olympus_Mons"))
        s.commit()
    batch = service.claim_batch(T0)
    assert batch.reminders == ()
    assert batch.outcomes == {"bad_zone": 1}
    assert world.user(uid).next_reminder_at is None
    assert world.rows() == []


# -- failures -------------------------------------------------------------------------------


async def test_restart_mid_batch_loses_and_repeats_nothing(
    world: World, service: ReminderService
) -> None:
    for chat in range(10):
        world.student(
            chat, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
        )
    notifier = RecordingNotifier(now=T0)
    claimed = list(service.claim_batch(T0).reminders)
    assert len(claimed) == 10
    for reminder in claimed[:4]:  # four sent and recorded, then the process dies
        assert (await notifier.send_prompt(reminder.chat_id, "fr", 1)).status is SendStatus.SENT
        assert service.mark_sent(reminder.reminder_id, T0)

    # The new process, a minute later: the dead one's lease is not over yet.
    report = await run(service, notifier, T0 + dt.timedelta(minutes=1))
    assert (report.resent, report.claimed, len(notifier.sent)) == (0, 0, 4)
    # After the lease: the six unsent prompts, and only them.
    report = await run(service, notifier, T0 + service.lease + dt.timedelta(minutes=1))
    assert (report.resent, report.sent) == (6, 6)
    assert sorted(chat for chat, _, _ in notifier.sent) == list(range(10))
    report = await run(service, notifier, T0 + dt.timedelta(hours=1))
    assert report == DispatchReport()
    assert {r.status for r in world.rows()} == {"sent"}
    assert {r.attempts for r in world.rows()} == {1, 2}  # the six count the crashed try


async def test_crash_after_telegram_accepted_resends_unless_the_student_studied(
    world: World, service: ReminderService
) -> None:
    """The documented duplicate window: sent, then the process died before ``mark_sent``."""
    a = world.student(1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST])
    b = world.student(2, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST])
    notifier = RecordingNotifier(now=T0)
    for reminder in list(service.claim_batch(T0).reminders):
        await notifier.send_prompt(reminder.chat_id, "fr", 1)  # no mark_sent: crash
    world.review(b, T0 + dt.timedelta(minutes=5))  # b followed the prompt
    await run(service, notifier, T0 + service.lease + dt.timedelta(minutes=1))
    assert sorted(chat for chat, _, _ in notifier.sent) == [1, 1, 2]
    assert {r.user_id: r.status for r in world.rows()} == {a: "sent", b: "skipped"}


async def test_blocked_student_is_never_prompted_again(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    notifier = RecordingNotifier(blocked={1})
    report = await run(service, notifier, T0)
    assert report.blocked == 1
    for day in range(1, 4):
        await run(service, notifier, T0 + dt.timedelta(days=day))
    assert notifier.calls == [1]
    user = world.user(uid)
    assert (user.blocked_at, user.next_reminder_at) == (T0, None)
    assert [r.status for r in world.rows(uid)] == ["blocked"]


async def test_429_is_waited_out_once_for_all_sends_then_everyone_gets_the_prompt(
    world: World, service: ReminderService
) -> None:
    for chat in range(5):
        world.student(
            chat, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
        )
    flood = SendResult.retry_after_seconds(7)
    notifier = RecordingNotifier(script={chat: [flood] for chat in range(5)})
    sleep = RecordingSleep()
    report = await run(service, notifier, T0, sleep)
    assert sleep.waits == [7.0]  # five sends hit the limit together: one pause, not five
    assert report.waits == (7.0,)
    assert (report.sent, report.retry_later) == (5, 0)
    assert sorted(chat for chat, _, _ in notifier.sent) == list(range(5))


async def test_persistent_429_leaves_the_prompt_for_a_later_run(
    world: World, service: ReminderService
) -> None:
    world.student(1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST])
    notifier = RecordingNotifier(script={1: [SendResult.retry_after_seconds(30)] * 4})
    sleep = RecordingSleep()
    report = await run(service, notifier, T0, sleep)
    assert sleep.waits == [30.0, 30.0, 30.0]
    assert (report.sent, report.retry_later) == (0, 1)
    report = await run(service, notifier, T0 + dt.timedelta(minutes=2), sleep)
    assert (report.resent, report.sent) == (1, 1)
    assert notifier.calls == [1, 1, 1, 1, 1]


async def test_failed_sends_are_retried_a_bounded_number_of_times(
    world: World, service: ReminderService
) -> None:
    failing = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    world.student(2, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST])
    notifier = RecordingNotifier(script={1: [SendResult.failed("502 Bad Gateway")] * 10})
    first = await run(service, notifier, T0)
    assert (first.sent, first.retry_later) == (1, 1)  # the other student is not held up
    for minute in range(2, 30, 2):
        await run(service, notifier, T0 + dt.timedelta(minutes=minute))
    assert notifier.calls.count(1) == service.max_attempts
    [row] = world.rows(failing)
    assert (row.status, row.attempts) == ("failed", service.max_attempts)


async def test_a_permanent_failure_is_not_retried(world: World, service: ReminderService) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    notifier = RecordingNotifier(
        script={1: [SendResult.failed("400 chat not found", retry=False)]}
    )
    report = await run(service, notifier, T0)
    assert report.failed == 1
    await run(service, notifier, T0 + dt.timedelta(minutes=5))
    assert notifier.calls == [1]
    assert [r.status for r in world.rows(uid)] == ["failed"]


async def test_a_notifier_that_raises_does_not_stop_the_batch(
    world: World, service: ReminderService
) -> None:
    class Exploding(RecordingNotifier):
        async def send_prompt(
            self, chat_id: int, language: str, due_count: int, new_count: int = 0
        ) -> SendResult:
            if chat_id == 1:
                raise RuntimeError("bug")
            return await super().send_prompt(chat_id, language, due_count, new_count)

    for chat in (1, 2):
        world.student(
            chat, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
        )
    notifier = Exploding()
    report = await run(service, notifier, T0)
    assert (report.sent, report.retry_later) == (1, 1)


async def test_default_clock_stamps_claims_with_the_time_they_happen(
    world: World, service: ReminderService
) -> None:
    """Without ``clock``, stamps are ``now`` plus the time the run has taken (monotonic)."""
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    notifier = RecordingNotifier(now=T0)
    await dispatch_once(service, notifier, T0, sleep=RecordingSleep())
    [row] = world.rows(uid)
    assert row.sent_at is not None
    assert T0 <= row.claimed_at <= row.sent_at < T0 + dt.timedelta(minutes=1)


async def test_a_student_forgotten_during_the_send_breaks_nothing(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    [claimed] = list(service.claim_batch(T0).reminders)
    with world.sessions() as s:  # UserService.forget: every row of the student goes
        s.execute(delete(User).where(User.id == uid))
        s.commit()
    assert service.mark_sent(claimed.reminder_id, T0) is False
    assert service.mark_failed(claimed.reminder_id, T0, retry=True) is ReminderStatus.FAILED
    service.mark_blocked(uid, T0, claimed.reminder_id)
    assert world.rows() == []


# -- « Plus tard » --------------------------------------------------------------------------


async def test_snooze_sends_a_second_message_the_same_day_then_the_regular_one(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    notifier = RecordingNotifier()
    await run(service, notifier, T0)
    outcome = service.snooze(uid, T0 + dt.timedelta(minutes=5))
    assert (outcome.status, outcome.at) == (SnoozeStatus.SNOOZED, T0 + dt.timedelta(minutes=65))
    assert world.user(uid).next_reminder_at == outcome.at
    for minute in range(10, 24 * 60 + 1, 10):
        await run(service, notifier, T0 + dt.timedelta(minutes=minute))
    assert notifier.sent_to(1) == [T0, T0 + dt.timedelta(minutes=70), T0 + dt.timedelta(days=1)]
    rows = world.rows(uid)
    assert [(r.local_date.day, r.status) for r in rows] == [(10, "sent"), (11, "sent")]
    assert rows[0].sent_at == T0 + dt.timedelta(minutes=70)


async def test_snooze_across_midnight_keeps_the_next_days_prompt(
    world: World, service: ReminderService
) -> None:
    start = utc(2026, 3, 10, 12)
    uid = world.student(1, "Europe/Paris", dt.time(23, 30), start, cards_due=[PAST])
    notifier = RecordingNotifier()
    await run(service, notifier, utc(2026, 3, 10, 22, 30))
    assert service.snooze(uid, utc(2026, 3, 10, 22, 31)).status is SnoozeStatus.SNOOZED
    await run(service, notifier, utc(2026, 3, 10, 23, 31))  # 00:31 on the 11th, Paris
    await run(service, notifier, utc(2026, 3, 11, 22, 30))
    assert notifier.sent_to(1) == [
        utc(2026, 3, 10, 22, 30),
        utc(2026, 3, 10, 23, 31),
        utc(2026, 3, 11, 22, 30),
    ]
    assert [(r.local_date.day, r.status) for r in world.rows(uid)] == [(10, "sent"), (11, "sent")]


async def test_snoozed_prompt_is_dropped_if_the_student_studied_meanwhile(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    notifier = RecordingNotifier()
    await run(service, notifier, T0)
    service.snooze(uid, T0 + dt.timedelta(minutes=1))
    world.review(uid, T0 + dt.timedelta(minutes=30))
    await run(service, notifier, T0 + dt.timedelta(minutes=61))
    assert notifier.sent_to(1) == [T0]
    assert [r.status for r in world.rows(uid)] == ["skipped"]
    assert world.user(uid).next_reminder_at == utc(2026, 3, 11, 17)


async def test_snooze_refusals(world: World, service: ReminderService) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    assert service.snooze(uid, T0).status is SnoozeStatus.NOTHING_TO_SNOOZE  # nothing sent
    assert service.snooze(999, T0).status is SnoozeStatus.NOTHING_TO_SNOOZE
    await run(service, RecordingNotifier(), T0)
    late = service.snooze(uid, T0 + dt.timedelta(hours=23, minutes=30))
    assert (late.status, late.at) == (SnoozeStatus.NEXT_PROMPT_SOONER, utc(2026, 3, 11, 17))
    assert service.snooze(uid, T0 + dt.timedelta(minutes=1)).status is SnoozeStatus.SNOOZED
    # Already snoozed: the row is no longer « sent ».
    assert service.snooze(uid, T0 + dt.timedelta(minutes=2)).status is (
        SnoozeStatus.NOTHING_TO_SNOOZE
    )
    with pytest.raises(ValueError, match="positive"):
        service.snooze(uid, T0, minutes=0)


async def test_stale_snooze_expires_when_the_student_paused_in_between(
    world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
    )
    notifier = RecordingNotifier()
    await run(service, notifier, T0)
    service.snooze(uid, T0 + dt.timedelta(minutes=1))
    with world.sessions() as s:  # pause, then resume the next morning (UserService does this)
        s.execute(update(User).where(User.id == uid).values(next_reminder_at=utc(2026, 3, 11, 17)))
        s.commit()
    await run(service, notifier, utc(2026, 3, 11, 17))
    assert notifier.sent_to(1) == [T0, utc(2026, 3, 11, 17)]
    assert [(r.local_date.day, r.status) for r in world.rows(uid)] == [
        (10, "expired"),
        (11, "sent"),
    ]


# -- concurrency ----------------------------------------------------------------------------


def _bulk_students(engine: Engine, count: int, due_at: dt.datetime) -> None:
    """``count`` students due at ``due_at``, each with a new question to study."""
    with engine.begin() as conn:
        deck_id = conn.execute(
            insert(Deck).values(slug="d", title="D", content_hash="h").returning(Deck.id)
        ).scalar_one()
        conn.execute(
            insert(Question).values(
                deck_id=deck_id, key="q", kind="open", prompt="?", answer="1", content_hash="h"
            )
        )
        conn.execute(
            insert(User),
            [
                {
                    "telegram_id": chat,
                    "chat_id": chat,
                    "display_name": "",
                    "language": "fr",
                    "timezone": "Europe/Paris",
                    "reminder_time": dt.time(18),
                    "next_reminder_at": due_at,
                    "new_cards_per_day": 10,
                    "reminders_paused": False,
                    "created_at": PAST,
                }
                for chat in range(count)
            ],
        )


@pytest.mark.parametrize("students", [1000])
def test_two_dispatchers_at_once_prompt_every_student_exactly_once(
    db_url: str, engine: Engine, students: int
) -> None:
    _bulk_students(engine, students, T0)
    notifier = RecordingNotifier(now=T0)
    barrier = threading.Barrier(2)
    reports: list[DispatchReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        own = make_engine(db_url)  # another process would have its own engine
        try:
            service = ReminderService(make_session_factory(own), max_delay=MAX_DELAY)
            barrier.wait()
            reports.append(
                asyncio.run(
                    dispatch_once(service, notifier, T0, sleep=RecordingSleep(), batch_size=50)
                )
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(chat for chat, _, _ in notifier.sent) == list(range(students))
    assert sum(r.sent for r in reports) == students
    assert sum(r.claimed for r in reports) == students
    assert all(r.claimed for r in reports), "both dispatchers should have had a share"
    with engine.connect() as conn:
        statuses = Counter(conn.scalars(select(Reminder.status)))
    assert statuses == {"sent": students}


# -- quizbot remind --dry-run -------------------------------------------------------------


def test_dry_run_says_who_would_be_prompted_and_why_and_changes_nothing(
    db_url: str, engine: Engine, world: World
) -> None:
    start = T0 - dt.timedelta(hours=1)
    world.student(1, "Europe/Paris", dt.time(18), start, cards_due=[PAST], name="Léa")
    world.student(2, "Europe/Paris", dt.time(18), start, cards_due=[FAR, FAR], name="Tom")
    studied = world.student(3, "Europe/Paris", dt.time(18), start, cards_due=[PAST], name="Ana")
    world.student(4, "Europe/Paris", dt.time(20), start, cards_due=[PAST], name="Zoé")
    world.review(studied, T0 - dt.timedelta(hours=2))
    out = io.StringIO()
    settings = load_settings(database_url=db_url, _env_file=None)
    assert remind_command(settings, engine, True, T0, out=out) == 0
    text = out.getvalue()
    assert text.splitlines() == [
        "Rappels dus au 2026-03-10 17:00 UTC (aperçu : rien n'est envoyé ni enregistré) :",
        "  n°1 Léa (Europe/Paris, 10/03 18:00) : à relancer — 2 questions",
        "  n°2 Tom (Europe/Paris, 10/03 18:00) : rien à réviser",
        "  n°3 Ana (Europe/Paris, 10/03 18:00) : a déjà révisé ce jour-là",
        "3 élèves : 1 à relancer, 1 rien à réviser, 1 a déjà révisé ce jour-là.",
    ]
    assert world.rows() == []
    assert world.user(1).next_reminder_at == T0


def test_dry_run_reports_a_day_already_prompted(
    db_url: str, engine: Engine, world: World, service: ReminderService
) -> None:
    uid = world.student(
        1, "Europe/Paris", dt.time(8), T0 - dt.timedelta(hours=12), cards_due=[PAST]
    )
    list(service.claim_batch(utc(2026, 3, 10, 7)).reminders)
    with world.sessions() as s:
        s.execute(update(User).where(User.id == uid).values(next_reminder_at=T0))
        s.commit()
    [preview] = service.preview(T0)
    assert preview.decision == "already_prompted"
    assert "déjà relancé ce jour-là" in format_preview([preview], T0)


def test_remind_without_dry_run_needs_the_bot(db_url: str, engine: Engine) -> None:
    settings = load_settings(database_url=db_url, _env_file=None)
    assert remind_command(settings, engine, False, T0, out=io.StringIO()) == 1


def test_remind_with_a_notifier_sends(db_url: str, engine: Engine, world: World) -> None:
    world.student(1, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST])
    settings = load_settings(database_url=db_url, _env_file=None)
    out = io.StringIO()
    notifier = RecordingNotifier(now=T0)
    assert remind_command(settings, engine, False, T0, notifier=notifier, out=out) == 0
    assert notifier.sent_to(1) == [T0]
    assert out.getvalue().startswith("1 rappel envoyé")


def test_naive_now_is_refused(service: ReminderService) -> None:
    with pytest.raises(ValueError, match="aware"):
        list(service.claim_batch(dt.datetime(2026, 3, 10, 17)).reminders)


async def test_at_most_one_prompt_is_accepted_and_not_yet_marked_sent_at_any_time(
    world: World, session_factory: sessionmaker[Session]
) -> None:
    """Issue 17 row 13: a crash repeats only the prompts Telegram accepted whose row is not
    yet ``sent``. The dispatcher starts a send only once the previous one is marked, so a
    crash at any instant repeats at most one prompt."""
    for chat in range(12):
        world.student(
            chat, "Europe/Paris", dt.time(18), T0 - dt.timedelta(hours=1), cards_due=[PAST]
        )
    counts = {"accepted": 0, "marked": 0, "widest": 0}

    class Watching(ReminderService):
        def mark_sent(self, reminder_id: int, now: dt.datetime) -> bool:
            marked = super().mark_sent(reminder_id, now)
            counts["marked"] += 1
            return marked

    class Counting(RecordingNotifier):
        async def send_prompt(
            self, chat_id: int, language: str, due_count: int, new_count: int = 0
        ) -> SendResult:
            # Telegram accepts this one: how many accepted are not marked yet, this included?
            counts["accepted"] += 1
            window = counts["accepted"] - counts["marked"]
            counts["widest"] = max(counts["widest"], window)
            await asyncio.sleep(0.001)  # the network's answer takes a while
            return await super().send_prompt(chat_id, language, due_count, new_count)

    service = Watching(session_factory, max_delay=MAX_DELAY)
    report = await run(service, Counting(now=T0), T0)

    assert report.sent == 12 and counts["marked"] == 12
    assert counts["widest"] == 1, counts
