"""Students: registration, settings, daily-prompt switches, deck choices, and forgetting them."""

from __future__ import annotations

import datetime as dt
import enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import Settings
from bot.db.errors import IntegrityError
from bot.db.repositories.users import StoredUser, UserStore
from bot.db.session import SessionFactory
from bot.domain.text import storable
from bot.services.views import (
    DeckChoiceView,
    DeckNotFound,
    InvalidSetting,
    UserNotFound,
    UserView,
)

LANGUAGES = ("fr", "en")
MAX_NEW_CARDS_PER_DAY = 500
MAX_NAME_LENGTH = 128
#: The desired retentions a student may choose (/reglages offers 0.80, 0.85, 0.90, 0.95).
MIN_RETENTION, MAX_RETENTION = 0.80, 0.95


class _Unset(enum.Enum):
    UNSET = enum.auto()


#: "Leave this setting as it is" (``None`` is a value: no daily prompt).
UNSET = _Unset.UNSET


def language_from_code(code: str | None) -> str:
    """Telegram's ``language_code`` (``en-GB``…) to one of ours; French unless it is ours."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else "fr"


def next_reminder(
    reminder_time: dt.time | None,
    paused: bool,
    blocked_at: dt.datetime | None,
    timezone: str,
    now: dt.datetime,
) -> dt.datetime | None:
    """``next_reminder_at``: the next local reminder time, or None when none is due."""
    if reminder_time is None or paused or blocked_at is not None:
        return None
    from bot.domain.reminders import next_reminder_at

    return next_reminder_at(reminder_time, timezone, now)


def _next_of(user: StoredUser, now: dt.datetime, **changes: object) -> dt.datetime | None:
    """The next reminder of ``user`` once ``changes`` (its field names) are applied."""
    fields = {
        "reminder_time": user.reminder_time,
        "reminders_paused": user.reminders_paused,
        "blocked_at": user.blocked_at,
        "timezone": user.timezone,
        **changes,
    }
    return next_reminder(
        fields["reminder_time"],  # type: ignore[arg-type]
        bool(fields["reminders_paused"]),
        fields["blocked_at"],  # type: ignore[arg-type]
        str(fields["timezone"]),
        now,
    )


def _v(user: StoredUser) -> UserView:
    return UserView(
        id=user.id,
        telegram_id=user.telegram_id,
        chat_id=user.chat_id,
        console_name=user.console_name,
        display_name=user.display_name,
        language=user.language,
        timezone=user.timezone,
        reminder_time=user.reminder_time,
        next_reminder_at=user.next_reminder_at,
        reminders_paused=user.reminders_paused,
        new_cards_per_day=user.new_cards_per_day,
        desired_retention=user.desired_retention,
        blocked_at=user.blocked_at,
        created_at=user.created_at,
        teaches_a_class=bool(user.teaches_a_class),
    )


class UserService:
    def __init__(self, session_factory: SessionFactory, settings: Settings) -> None:
        self._sessions = session_factory
        self._settings = settings

    def register_telegram(
        self,
        telegram_id: int,
        chat_id: int | None,
        display_name: str,
        language_code: str | None,
        now: dt.datetime,
    ) -> UserView:
        """Get or create; keeps chat id and name current. ``chat_id`` None (a message in a
        group chat) keeps the private chat the bot knows, so a command in a class group never
        moves the daily prompt or the quiz into the group. A student who had blocked the bot
        and writes again is unblocked (their daily prompt comes back)."""
        # A name from Telegram is not checked: NUL and lone surrogates cannot be stored.
        name = storable(display_name)[:MAX_NAME_LENGTH]
        for attempt in range(2):
            with self._sessions() as session:
                store = UserStore(session)
                user = store.by_telegram_id(telegram_id)
                try:
                    if user is None:
                        values = self._new_user(now, language=language_from_code(language_code))
                        values.update(telegram_id=telegram_id, chat_id=chat_id, display_name=name)
                        view = store.add(values)
                    else:
                        changes: dict[str, object] = {}
                        if chat_id is not None and chat_id != user.chat_id:
                            changes["chat_id"] = chat_id
                        if name != user.display_name:
                            changes["display_name"] = name
                        if user.blocked_at is not None:
                            changes["blocked_at"] = None
                            changes["next_reminder_at"] = _next_of(user, now, blocked_at=None)
                        if not changes:
                            return _v(user)
                        view = store.change(user.id, changes)
                    session.commit()
                    return _v(view)
                except IntegrityError:
                    # Two first messages at once: the other one created the row; read it.
                    session.rollback()
                    if attempt:
                        raise
        raise AssertionError("unreachable")

    def register_console(self, name: str, now: dt.datetime) -> UserView:
        """Get or create the terminal student ``name`` (no daily prompt in the terminal)."""
        name = name.strip()[:64] or "élève"
        for attempt in range(2):
            with self._sessions() as session:
                store = UserStore(session)
                user = store.by_console_name(name)
                if user is not None:
                    return _v(user)
                values = self._new_user(now, language="fr")
                values.update(
                    console_name=name, display_name=name, reminder_time=None, next_reminder_at=None
                )
                try:
                    view = store.add(values)
                    session.commit()
                    return _v(view)
                except IntegrityError:
                    session.rollback()
                    if attempt:
                        raise
        raise AssertionError("unreachable")

    def get(self, user_id: int) -> UserView:
        with self._sessions() as session:
            return _v(self._user(UserStore(session), user_id))

    def update(
        self,
        user_id: int,
        now: dt.datetime,
        *,
        timezone: str | _Unset = UNSET,
        reminder_time: dt.time | _Unset | None = UNSET,
        new_cards_per_day: int | _Unset = UNSET,
        language: str | _Unset = UNSET,
        desired_retention: float | _Unset = UNSET,
    ) -> UserView:
        """Change settings; a new zone or reminder time recomputes ``next_reminder_at``.

        Raises :class:`InvalidSetting` (nothing changed) for an unknown zone, a limit outside
        0..500, a language other than fr/en or a desired retention outside 0.80..0.95.
        """
        if not isinstance(desired_retention, _Unset) and not (
            MIN_RETENTION <= desired_retention <= MAX_RETENTION
        ):
            raise InvalidSetting("desired_retention", desired_retention)
        if not isinstance(timezone, _Unset):
            _check_zone(timezone)
        if not isinstance(new_cards_per_day, _Unset) and not (
            0 <= new_cards_per_day <= MAX_NEW_CARDS_PER_DAY
        ):
            raise InvalidSetting("new_cards_per_day", new_cards_per_day)
        if not isinstance(language, _Unset) and language not in LANGUAGES:
            raise InvalidSetting("language", language)
        if isinstance(reminder_time, dt.time) and reminder_time.tzinfo is not None:
            raise InvalidSetting("reminder_time", reminder_time)
        changes: dict[str, object] = {}
        if not isinstance(timezone, _Unset):
            changes["timezone"] = timezone
        if not isinstance(reminder_time, _Unset):
            changes["reminder_time"] = reminder_time
        if not isinstance(new_cards_per_day, _Unset):
            changes["new_cards_per_day"] = new_cards_per_day
        if not isinstance(language, _Unset):
            changes["language"] = language
        if not isinstance(desired_retention, _Unset):
            changes["desired_retention"] = desired_retention
        with self._sessions() as session:
            store = UserStore(session)
            user = self._user(store, user_id, for_update=True)
            if "timezone" in changes or "reminder_time" in changes:
                changes["next_reminder_at"] = _next_of(user, now, **changes)
            view = store.change(user_id, changes)
            session.commit()
            return _v(view)

    def pause_reminders(self, user_id: int) -> UserView:
        with self._sessions() as session:
            store = UserStore(session)
            self._user(store, user_id, for_update=True)
            view = store.change(user_id, {"reminders_paused": True, "next_reminder_at": None})
            session.commit()
            return _v(view)

    def resume_reminders(self, user_id: int, now: dt.datetime) -> UserView:
        with self._sessions() as session:
            store = UserStore(session)
            user = self._user(store, user_id, for_update=True)
            view = store.change(
                user_id,
                {
                    "reminders_paused": False,
                    "next_reminder_at": _next_of(user, now, reminders_paused=False),
                },
            )
            session.commit()
            return _v(view)

    def mark_blocked(self, user_id: int, now: dt.datetime) -> None:
        """Telegram said 403: no more prompts until the student writes again."""
        with self._sessions() as session:
            store = UserStore(session)
            user = store.get(user_id, for_update=True)
            if user is None:
                return
            changes: dict[str, object] = {"next_reminder_at": None}
            if user.blocked_at is None:
                changes["blocked_at"] = now
            store.change(user_id, changes)
            session.commit()

    def forget(self, user_id: int) -> bool:
        """Delete every row of that student (the schema cascades); False if there was none."""
        with self._sessions() as session:
            deleted = UserStore(session).delete(user_id)
            session.commit()
            return deleted

    def decks(self, user_id: int) -> list[DeckChoiceView]:
        """The live decks available to the student (without a class, of their classes, or
        switched on by them), in slug order, with whether they study each."""
        with self._sessions() as session:
            store = UserStore(session)
            self._user(store, user_id)
            return [
                DeckChoiceView(
                    slug=deck.slug,
                    title=deck.title,
                    description=deck.description,
                    language=deck.language,
                    enabled=deck.enabled,
                    question_count=deck.question_count,
                )
                for deck in store.decks(user_id)
            ]

    def set_deck_enabled(self, user_id: int, deck_slug: str, enabled: bool) -> DeckChoiceView:
        """Switch a deck on or off for the student (their cards of it are kept). Raises
        :class:`DeckNotFound` for a deck that is retired, unknown, or another class's."""
        for attempt in range(2):
            with self._sessions() as session:
                store = UserStore(session)
                self._user(store, user_id)
                deck = store.deck(user_id, deck_slug)
                if deck is None:
                    raise DeckNotFound(deck_slug)
                try:
                    store.set_choice(user_id, deck.id, enabled)
                    session.commit()
                except IntegrityError:
                    # The same switch pressed twice at once: the other insert won; redo.
                    session.rollback()
                    if attempt:
                        raise
                    continue
                return DeckChoiceView(
                    slug=deck.slug,
                    title=deck.title,
                    description=deck.description,
                    language=deck.language,
                    enabled=enabled,
                    question_count=deck.question_count,
                )
        raise AssertionError("unreachable")

    def _new_user(self, now: dt.datetime, *, language: str) -> dict[str, object]:
        values: dict[str, object] = {
            "language": language,
            "timezone": self._settings.default_timezone,
            "reminder_time": self._settings.default_reminder_time,
            "reminders_paused": False,
            "new_cards_per_day": self._settings.new_cards_per_day,
            "desired_retention": 0.9,
            "maximum_interval": 36500,
            "created_at": now,
        }
        values["next_reminder_at"] = next_reminder(
            self._settings.default_reminder_time,
            False,
            None,
            self._settings.default_timezone,
            now,
        )
        return values

    @staticmethod
    def _user(store: UserStore, user_id: int, *, for_update: bool = False) -> StoredUser:
        user = store.get(user_id, for_update=for_update)
        if user is None:
            raise UserNotFound(user_id)
        return user


def _check_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidSetting("timezone", name) from exc
