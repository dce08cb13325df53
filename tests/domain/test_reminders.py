"""When the daily prompt fires: exact UTC instants in several zones, across DST and year ends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.reminders import (
    Decision,
    ReminderStatus,
    Workload,
    decide,
    is_timely,
    local_date,
    local_day_start,
    next_reminder_at,
    resolve_local,
    status_for,
)

UTC = dt.UTC


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# (zone, local reminder time, after (UTC), expected (UTC), why)
CASES = [
    # Europe/Paris: CET +1, CEST +2 from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC.
    ("Europe/Paris", dt.time(8), utc(2026, 1, 15, 6), utc(2026, 1, 15, 7), "later today"),
    ("Europe/Paris", dt.time(8), utc(2026, 1, 15, 7), utc(2026, 1, 16, 7), "strictly after"),
    ("Europe/Paris", dt.time(8), utc(2026, 1, 15, 7, 1), utc(2026, 1, 16, 7), "tomorrow"),
    ("Europe/Paris", dt.time(2, 30), utc(2026, 3, 28, 2), utc(2026, 3, 29, 1), "gap → 03:00"),
    ("Europe/Paris", dt.time(2, 0), utc(2026, 3, 28, 2), utc(2026, 3, 29, 1), "gap start"),
    ("Europe/Paris", dt.time(2, 59, 59), utc(2026, 3, 28, 12), utc(2026, 3, 29, 1), "gap end"),
    ("Europe/Paris", dt.time(3, 0), utc(2026, 3, 28, 12), utc(2026, 3, 29, 1), "03:00 CEST"),
    ("Europe/Paris", dt.time(2, 30), utc(2026, 3, 29, 1), utc(2026, 3, 30, 0, 30), "day after"),
    ("Europe/Paris", dt.time(18), utc(2026, 3, 28, 17), utc(2026, 3, 29, 16), "summer time"),
    ("Europe/Paris", dt.time(2, 30), utc(2026, 10, 24, 1), utc(2026, 10, 25, 0, 30), "1st"),
    ("Europe/Paris", dt.time(2, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30), "once"),
    ("Europe/Paris", dt.time(2, 30), utc(2026, 10, 25, 1, 15), utc(2026, 10, 26, 1, 30), "2nd"),
    ("Europe/Paris", dt.time(18), utc(2026, 10, 24, 17), utc(2026, 10, 25, 17), "winter time"),
    ("Europe/Paris", dt.time(23, 30), utc(2026, 12, 31, 22), utc(2026, 12, 31, 22, 30), "eve"),
    ("Europe/Paris", dt.time(0, 15), utc(2026, 12, 31, 22, 30), utc(2026, 12, 31, 23, 15), "NY"),
    # America/Montreal: EST -5, EDT -4 from 2026-03-08 07:00 UTC to 2026-11-01 06:00 UTC.
    ("America/Montreal", dt.time(2, 15), utc(2026, 3, 7, 12), utc(2026, 3, 8, 7), "gap"),
    ("America/Montreal", dt.time(1, 30), utc(2026, 10, 31, 12), utc(2026, 11, 1, 5, 30), "1st"),
    ("America/Montreal", dt.time(1, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30), "1x"),
    ("America/Montreal", dt.time(18), utc(2026, 2, 28, 22), utc(2026, 2, 28, 23), "Feb 28"),
    ("America/Montreal", dt.time(18), utc(2026, 2, 28, 23), utc(2026, 3, 1, 23), "March 1st"),
    ("America/Montreal", dt.time(21), utc(2026, 6, 30, 12), utc(2026, 7, 1, 1), "UTC next day"),
    # Africa/Dakar: UTC all year.
    ("Africa/Dakar", dt.time(7), utc(2026, 1, 31, 7), utc(2026, 2, 1, 7), "month end"),
    ("Africa/Dakar", dt.time(0), utc(2026, 12, 31, 23, 59, 59), utc(2027, 1, 1), "midnight"),
    # Asia/Kolkata: +05:30 all year.
    ("Asia/Kolkata", dt.time(4), utc(2026, 12, 31, 22), utc(2026, 12, 31, 22, 30), "NY day"),
    ("Asia/Kolkata", dt.time(4), utc(2026, 12, 31, 23), utc(2027, 1, 1, 22, 30), "Jan 2nd"),
    ("Asia/Kolkata", dt.time(7, 15), utc(2026, 4, 30, 2), utc(2026, 5, 1, 1, 45), "May 1st"),
    # Pacific/Chatham: +12:45, +13:45 until 2026-04-04 14:00 UTC and from 2026-09-26 14:00 UTC.
    ("Pacific/Chatham", dt.time(3), utc(2026, 4, 4), utc(2026, 4, 4, 13, 15), "fold: 1st"),
    ("Pacific/Chatham", dt.time(3), utc(2026, 4, 4, 13, 15), utc(2026, 4, 5, 14, 15), "once"),
    ("Pacific/Chatham", dt.time(3), utc(2026, 9, 26), utc(2026, 9, 26, 14), "gap → 03:45"),
    ("Pacific/Chatham", dt.time(9), utc(2026, 12, 31, 19), utc(2026, 12, 31, 19, 15), "NY"),
    ("Pacific/Chatham", dt.time(23, 45), utc(2026, 2, 28, 10), utc(2026, 3, 1, 10), "Mar 1st"),
]


@pytest.mark.parametrize(
    ("zone", "at", "after", "expected"),
    [case[:4] for case in CASES],
    ids=[f"{case[0]}-{case[4]}" for case in CASES],
)
def test_next_reminder_at(
    zone: str, at: dt.time, after: dt.datetime, expected: dt.datetime
) -> None:
    result = next_reminder_at(at, zone, after)
    assert result == expected
    assert result.tzinfo is UTC


def test_spring_gap_fires_at_the_end_of_the_gap_then_back_to_the_chosen_time() -> None:
    instants = []
    after = utc(2026, 3, 27, 12)
    for _ in range(4):
        after = next_reminder_at(dt.time(2, 30), "Europe/Paris", after)
        instants.append(after.astimezone(ZoneInfo("Europe/Paris")).strftime("%d %H:%M %Z"))
    assert instants == ["28 02:30 CET", "29 03:00 CEST", "30 02:30 CEST", "31 02:30 CEST"]


def test_fall_back_repeated_time_fires_once_per_day() -> None:
    fired = []
    after = utc(2026, 10, 23, 12)
    for _ in range(4):
        after = next_reminder_at(dt.time(2, 30), "Europe/Paris", after)
        fired.append(after)
    assert fired == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),  # 02:30 CEST; 02:30 CET (01:30 UTC) is skipped
        utc(2026, 10, 26, 1, 30),
        utc(2026, 10, 27, 1, 30),
    ]
    assert [local_date(x, "Europe/Paris").day for x in fired] == [24, 25, 26, 27]


def test_after_in_any_zone_is_the_same_instant() -> None:
    paris = dt.datetime(2026, 3, 28, 3, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert next_reminder_at(dt.time(2, 30), "Europe/Paris", paris) == utc(2026, 3, 29, 1)


def test_seconds_of_the_reminder_time_are_kept() -> None:
    assert next_reminder_at(dt.time(8, 0, 30), "Africa/Dakar", utc(2026, 1, 1)) == utc(
        2026, 1, 1, 8, 0, 30
    )


def test_a_whole_skipped_day_moves_to_the_next_valid_instant() -> None:
    # Samoa skipped 2011-12-30 (UTC-10 to UTC+14).
    assert next_reminder_at(dt.time(18), "Pacific/Apia", utc(2011, 12, 30, 4, 1)) == utc(
        2011, 12, 30, 10
    )
    assert local_day_start(dt.date(2011, 12, 30), "Pacific/Apia") == utc(2011, 12, 30, 10)


def test_naive_after_and_unknown_zone_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_reminder_at(dt.time(8), "Europe/Paris", dt.datetime(2026, 1, 1))
    with pytest.raises(ZoneInfoNotFoundError):
        next_reminder_at(dt.time(8), "Mars/Olympus_Mons", utc(2026, 1, 1))


@pytest.mark.parametrize(
    ("instant", "zone", "expected"),
    [
        (utc(2026, 12, 31, 19, 15), "Pacific/Chatham", dt.date(2027, 1, 1)),
        (utc(2026, 7, 1, 1), "America/Montreal", dt.date(2026, 6, 30)),
        (utc(2026, 10, 25, 1, 30), "Europe/Paris", dt.date(2026, 10, 25)),
        (utc(2026, 12, 31, 18, 29), "Asia/Kolkata", dt.date(2026, 12, 31)),
        (utc(2026, 12, 31, 18, 30), "Asia/Kolkata", dt.date(2027, 1, 1)),
    ],
)
def test_local_date(instant: dt.datetime, zone: str, expected: dt.date) -> None:
    assert local_date(instant, zone) == expected


@pytest.mark.parametrize(
    ("day", "zone", "expected"),
    [
        (dt.date(2026, 3, 29), "Europe/Paris", utc(2026, 3, 28, 23)),
        (dt.date(2026, 10, 25), "Europe/Paris", utc(2026, 10, 24, 22)),
        (dt.date(2026, 10, 26), "Europe/Paris", utc(2026, 10, 25, 23)),
        (dt.date(2027, 1, 1), "Pacific/Chatham", utc(2026, 12, 31, 10, 15)),
        # Midnight does not exist on 2026-03-29 in Beirut: the day starts at 01:00 EEST.
        (dt.date(2026, 3, 29), "Asia/Beirut", utc(2026, 3, 28, 22)),
    ],
)
def test_local_day_start(day: dt.date, zone: str, expected: dt.datetime) -> None:
    assert local_day_start(day, zone) == expected


def test_resolve_local_picks_first_occurrence_and_gap_end() -> None:
    assert resolve_local(dt.date(2026, 10, 25), dt.time(2, 30), "Europe/Paris") == utc(
        2026, 10, 25, 0, 30
    )
    assert resolve_local(dt.date(2026, 3, 29), dt.time(2, 30), "Europe/Paris") == utc(
        2026, 3, 29, 1
    )


ZONES = [
    "Europe/Paris",
    "America/Montreal",
    "Africa/Dakar",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "America/Santiago",
]


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    at=st.times(),
    after=st.datetimes(
        min_value=dt.datetime(2025, 1, 1),
        max_value=dt.datetime(2028, 12, 31),
        timezones=st.just(UTC),
    ),
)
def test_next_reminder_at_properties(zone: str, at: dt.time, after: dt.datetime) -> None:
    result = next_reminder_at(at, zone, after)
    assert after < result <= after + dt.timedelta(hours=26)
    zone_info = ZoneInfo(zone)
    local = result.astimezone(zone_info)
    wall = dt.datetime.combine(local.date(), at)
    first = wall.replace(tzinfo=zone_info, fold=0).astimezone(UTC)
    if first.astimezone(zone_info).replace(tzinfo=None) == wall:
        # The chosen time exists that day: the prompt is at its first occurrence.
        assert result == first
    else:
        # It did not exist (spring forward): the prompt comes at the end of the gap, a
        # transition (a second earlier the offset was different), within the hour after.
        before = (result - dt.timedelta(seconds=1)).astimezone(zone_info)
        assert before.utcoffset() != local.utcoffset()
        assert wall < local.replace(tzinfo=None) <= wall + dt.timedelta(hours=1)
    # Nothing in between: the previous candidate is not after ``after``.
    assert next_reminder_at(at, zone, result - dt.timedelta(microseconds=1)) == result


# -- deciding -------------------------------------------------------------------------------

NOW = utc(2026, 3, 10, 17, 5)
DAY_START = utc(2026, 3, 9, 23)  # 2026-03-10 in Paris


def test_is_timely_inclusive_bound() -> None:
    scheduled = utc(2026, 3, 10, 17)
    assert is_timely(scheduled, scheduled + dt.timedelta(hours=3), dt.timedelta(hours=3))
    assert not is_timely(
        scheduled, scheduled + dt.timedelta(hours=3, seconds=1), dt.timedelta(hours=3)
    )


def test_prompt_count_adds_new_cards_within_the_daily_limit() -> None:
    assert Workload(due_reviews=3, unseen=25).prompt_count(10) == 13
    assert Workload(due_reviews=3, unseen=4).prompt_count(10) == 7
    assert Workload(due_reviews=0, unseen=25).prompt_count(0) == 0


@pytest.mark.parametrize(
    ("scheduled", "workload", "new_per_day", "expected"),
    [
        (utc(2026, 3, 10, 17), Workload(due_reviews=2), 10, Decision.SEND),
        (utc(2026, 3, 10, 17), Workload(unseen=5), 10, Decision.SEND),
        (utc(2026, 3, 10, 17), Workload(unseen=5), 0, Decision.NOTHING_DUE),
        (utc(2026, 3, 10, 17), Workload(), 10, Decision.NOTHING_DUE),
        (
            utc(2026, 3, 10, 17),
            Workload(due_reviews=2, last_review_at=utc(2026, 3, 10, 6)),
            10,
            Decision.STUDIED_TODAY,
        ),
        (
            utc(2026, 3, 10, 17),
            Workload(due_reviews=2, last_review_at=utc(2026, 3, 9, 22, 59)),  # yesterday
            10,
            Decision.SEND,
        ),
        (utc(2026, 3, 10, 14), Workload(due_reviews=2), 10, Decision.TOO_LATE),
    ],
)
def test_decide(
    scheduled: dt.datetime, workload: Workload, new_per_day: int, expected: Decision
) -> None:
    decision = decide(
        scheduled_for=scheduled,
        now=NOW,
        max_delay=dt.timedelta(hours=3),
        day_start=DAY_START,
        workload=workload,
        new_cards_per_day=new_per_day,
    )
    assert decision is expected


def test_status_for_each_decision() -> None:
    assert status_for(Decision.SEND) is ReminderStatus.CLAIMED
    assert status_for(Decision.TOO_LATE) is ReminderStatus.EXPIRED
    assert status_for(Decision.STUDIED_TODAY) is ReminderStatus.SKIPPED
    assert status_for(Decision.NOTHING_DUE) is ReminderStatus.SKIPPED
