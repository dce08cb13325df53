"""Students on both engines: registration, settings, daily-prompt switches, decks, forgetting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db import models
from bot.domain.reminders import next_reminder_at
from bot.services.study import StudyService
from bot.services.users import UserService
from bot.services.views import DeckNotFound, InvalidSetting, UserNotFound
from tests.services.answering import answer

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 28, 17, 30, tzinfo=UTC)  # 18:30 in Paris, the eve of the DST change

SessionFactory = sessionmaker[Session]


@pytest.fixture
def settings() -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        default_timezone="Europe/Paris",
        default_reminder_time=dt.time(18, 0),
        new_cards_per_day=7,
    )


@pytest.fixture
def users(session_factory: SessionFactory, settings: Settings) -> UserService:
    return UserService(session_factory, settings)


def test_register_telegram_creates_once_with_the_defaults(users: UserService) -> None:
    first = users.register_telegram(111, 222, "Léa", "fr-FR", NOW)

    assert (first.telegram_id, first.chat_id, first.display_name) == (111, 222, "Léa")
    assert (first.language, first.timezone, first.new_cards_per_day) == ("fr", "Europe/Paris", 7)
    assert first.reminder_time == dt.time(18, 0) and not first.reminders_paused
    # 18:00 in Paris has passed today: tomorrow, after the change to summer time (16:00 UTC).
    assert first.next_reminder_at == dt.datetime(2026, 3, 29, 16, 0, tzinfo=UTC)
    assert first.created_at == NOW

    again = users.register_telegram(111, 333, "Léa B.", "en", NOW + dt.timedelta(days=1))
    assert again.id == first.id
    assert (again.chat_id, again.display_name) == (333, "Léa B.")
    assert again.language == "fr"  # Telegram's language only seeds a new account
    assert users.get(first.id) == again


def test_language_of_a_new_telegram_user(users: UserService) -> None:
    assert users.register_telegram(1, 1, "Sam", "en-GB", NOW).language == "en"
    assert users.register_telegram(2, 2, "Ana", "pt-BR", NOW).language == "fr"
    assert users.register_telegram(3, 3, "Zoé", None, NOW).language == "fr"


def test_register_console_is_get_or_create_without_reminders(users: UserService) -> None:
    first = users.register_console("lea", NOW)
    again = users.register_console("lea", NOW + dt.timedelta(hours=1))
    other = users.register_console("marc", NOW)

    assert again == first and other.id != first.id
    assert (first.console_name, first.display_name, first.telegram_id) == ("lea", "lea", None)
    assert first.reminder_time is None and first.next_reminder_at is None


def test_update_recomputes_the_next_reminder(users: UserService) -> None:
    user = users.register_telegram(1, 1, "Léa", "fr", NOW)

    moved = users.update(user.id, NOW, timezone="America/Montreal")
    assert moved.timezone == "America/Montreal"
    assert moved.next_reminder_at == next_reminder_at(dt.time(18, 0), "America/Montreal", NOW)
    assert moved.next_reminder_at == dt.datetime(2026, 3, 28, 22, 0, tzinfo=UTC)

    earlier = users.update(user.id, NOW, reminder_time=dt.time(7, 15))
    assert earlier.next_reminder_at == dt.datetime(2026, 3, 29, 11, 15, tzinfo=UTC)

    off = users.update(user.id, NOW, reminder_time=None)
    assert off.reminder_time is None and off.next_reminder_at is None

    other = users.update(user.id, NOW, new_cards_per_day=0, language="en")
    assert (other.new_cards_per_day, other.language, other.next_reminder_at) == (0, "en", None)
    assert other.timezone == "America/Montreal"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"new_cards_per_day": -1}, "new_cards_per_day"),
        ({"new_cards_per_day": 501}, "new_cards_per_day"),
        ({"language": "de"}, "language"),
    ],
)
def test_invalid_settings_change_nothing(
    users: UserService, changes: dict[str, Any], field: str
) -> None:
    user = users.register_telegram(1, 1, "Léa", "fr", NOW)
    with pytest.raises(InvalidSetting) as caught:
        users.update(user.id, NOW, reminder_time=dt.time(6, 0), **changes)
    assert caught.value.field == field
    assert users.get(user.id) == user


def test_pause_resume_and_blocked(users: UserService) -> None:
    user = users.register_telegram(1, 1, "Léa", "fr", NOW)

    paused = users.pause_reminders(user.id)
    assert paused.reminders_paused and paused.next_reminder_at is None
    resumed = users.resume_reminders(user.id, NOW)
    assert not resumed.reminders_paused and resumed.next_reminder_at == user.next_reminder_at

    users.mark_blocked(user.id, NOW)
    blocked = users.get(user.id)
    assert blocked.blocked_at == NOW and blocked.next_reminder_at is None
    users.mark_blocked(user.id + 99, NOW)  # a student gone meanwhile: nothing to do

    later = NOW + dt.timedelta(days=1)
    back = users.register_telegram(1, 1, "Léa", "fr", later)
    assert back.blocked_at is None
    assert back.next_reminder_at == next_reminder_at(dt.time(18, 0), "Europe/Paris", later)


def test_unknown_user(users: UserService) -> None:
    with pytest.raises(UserNotFound):
        users.get(42)
    with pytest.raises(UserNotFound):
        users.update(42, NOW, language="en")
    with pytest.raises(UserNotFound):
        users.decks(42)


def _deck(sf: SessionFactory, slug: str, keys: list[str], *, retired: bool = False) -> None:
    with sf() as s:
        deck = models.Deck(
            slug=slug,
            title=f"Paquet {slug}",
            description=f"À propos de {slug}",
            content_hash="h",
            retired_at=NOW if retired else None,
        )
        for position, key in enumerate(keys):
            s.add(
                models.Question(
                    deck=deck,
                    key=key,
                    position=position,
                    kind="open",
                    prompt="?",
                    answer="2006",
                    content_hash="h",
                    retired_at=NOW if key.startswith("old") else None,
                )
            )
        s.add(deck)
        s.commit()


def test_decks_and_switching_them(users: UserService, session_factory: SessionFactory) -> None:
    _deck(session_factory, "b", ["b1", "b2", "old-b3"])
    _deck(session_factory, "a", ["a1"])
    _deck(session_factory, "gone", ["g1"], retired=True)
    _deck(session_factory, "empty", [])
    user = users.register_console("lea", NOW)
    other = users.register_console("marc", NOW)

    listed = users.decks(user.id)
    assert [(d.slug, d.enabled, d.question_count) for d in listed] == [
        ("a", True, 1),
        ("b", True, 2),
        ("empty", True, 0),
    ]
    assert listed[0].title == "Paquet a" and listed[0].description == "À propos de a"

    off = users.set_deck_enabled(user.id, "b", False)
    assert (off.slug, off.enabled, off.question_count) == ("b", False, 2)
    assert [d.enabled for d in users.decks(user.id)] == [True, False, True]
    assert [d.enabled for d in users.decks(other.id)] == [True, True, True]
    users.set_deck_enabled(user.id, "b", False)  # twice is fine
    users.set_deck_enabled(user.id, "b", True)
    assert [d.enabled for d in users.decks(user.id)] == [True, True, True]

    with pytest.raises(DeckNotFound):
        users.set_deck_enabled(user.id, "gone", False)
    with pytest.raises(DeckNotFound):
        users.set_deck_enabled(user.id, "nope", False)


def _rows_of(sf: SessionFactory, user_id: int) -> dict[str, int]:
    owned = {
        "users": (models.User, models.User.id),
        "cards": (models.Card, models.Card.user_id),
        "reviews": (models.Review, models.Review.user_id),
        "presentations": (models.Presentation, models.Presentation.user_id),
        "study_sessions": (models.StudySession, models.StudySession.user_id),
        "deck_choices": (models.DeckChoice, models.DeckChoice.user_id),
        "reminders": (models.Reminder, models.Reminder.user_id),
    }
    with sf() as s:
        return {
            name: s.scalar(select(func.count()).select_from(model).where(column == user_id)) or 0
            for name, (model, column) in owned.items()
        }


def test_forget_deletes_every_row_of_the_student_and_only_theirs(
    users: UserService, session_factory: SessionFactory
) -> None:
    _deck(session_factory, "d", ["q1", "q2"])
    study = StudyService(session_factory)
    ids = []
    for telegram_id in (1, 2):
        user = users.register_telegram(telegram_id, telegram_id, "x", "fr", NOW)
        users.set_deck_enabled(user.id, "d", True)
        for key in ("k1", "k2"):
            shown = study.next_question(user.id, NOW)
            assert shown is not None
            answer(study, user.id, shown.token, "2006", NOW, idempotency_key=f"{user.id}{key}")
        study.end_session(user.id, NOW)
        with session_factory() as s:
            s.add(
                models.Reminder(
                    user_id=user.id,
                    local_date=dt.date(2026, 3, 28),
                    scheduled_for=NOW,
                    claimed_at=NOW,
                )
            )
            s.commit()
        ids.append(user.id)
    leaving, staying = ids
    kept = _rows_of(session_factory, staying)
    assert all(kept.values()) and all(_rows_of(session_factory, leaving).values())

    assert users.forget(leaving) is True

    assert set(_rows_of(session_factory, leaving).values()) == {0}
    assert _rows_of(session_factory, staying) == kept
    assert users.forget(leaving) is False
    with pytest.raises(UserNotFound):
        users.get(leaving)


def test_a_name_with_lone_surrogates_or_nul_is_registered_cleaned(users: UserService) -> None:
    # Telegram's JSON may carry "\ud800" (a lone surrogate): no engine can store it as text.
    user = users.register_telegram(5150, 5150, "Zo\ud800é\x00\udfff", "fr", NOW)

    assert user.display_name == "Zo\ufffdé\ufffd"
    assert users.get(user.id).display_name == "Zo\ufffdé\ufffd"
