"""Students: registration, settings, daily-prompt switches, deck choices, and forgetting them."""

from __future__ import annotations

import datetime as dt
import enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.models import DeckChoice, User
from bot.db.repositories import users as repo
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


class _Unset(enum.Enum):
    UNSET = enum.auto()


#: "Leave this setting as it is" (``None`` is a value: no daily prompt).
UNSET = _Unset.UNSET


def to_view(user: User) -> UserView:
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
    )


def language_from_code(code: str | None) -> str:
    """Telegram's ``language_code`` (``en-GB``…) to one of ours; French unless it is ours."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else "fr"


def refresh_next_reminder(user: User, now: dt.datetime) -> None:
    """Set ``next_reminder_at``: the next local reminder time, or None when none is due."""
    if user.reminder_time is None or user.reminders_paused or user.blocked_at is not None:
        user.next_reminder_at = None
        return
    from bot.domain.reminders import next_reminder_at

    user.next_reminder_at = next_reminder_at(user.reminder_time, user.timezone, now)


class UserService:
    def __init__(self, session_factory: sessionmaker[Session], settings: Settings) -> None:
        self._sessions = session_factory
        self._settings = settings

    def register_telegram(
        self,
        telegram_id: int,
        chat_id: int,
        display_name: str,
        language_code: str | None,
        now: dt.datetime,
    ) -> UserView:
        """Get or create; keeps chat id and name current. A student who had blocked the bot
        and writes again is unblocked (their daily prompt comes back)."""
        for attempt in range(2):
            with self._sessions() as session:
                user = repo.by_telegram_id(session, telegram_id)
                if user is None:
                    user = self._new_user(now, language=language_from_code(language_code))
                    user.telegram_id = telegram_id
                    session.add(user)
                user.chat_id = chat_id
                # A name from Telegram is not checked: NUL and lone surrogates cannot be stored.
                user.display_name = storable(display_name)[:MAX_NAME_LENGTH]
                if user.blocked_at is not None:
                    user.blocked_at = None
                    refresh_next_reminder(user, now)
                try:
                    return _commit(session, user)
                except IntegrityError:
                    # Two first messages at once: the other one created the row; read it.
                    if attempt:
                        raise
        raise AssertionError("unreachable")

    def register_console(self, name: str, now: dt.datetime) -> UserView:
        """Get or create the terminal student ``name`` (no daily prompt in the terminal)."""
        name = name.strip()[:64] or "élève"
        for attempt in range(2):
            with self._sessions() as session:
                user = repo.by_console_name(session, name)
                if user is None:
                    user = self._new_user(now, language="fr")
                    user.console_name = name
                    user.display_name = name
                    user.reminder_time = None
                    user.next_reminder_at = None
                    session.add(user)
                    try:
                        return _commit(session, user)
                    except IntegrityError:
                        if attempt:
                            raise
                        continue
                return to_view(user)
        raise AssertionError("unreachable")

    def get(self, user_id: int) -> UserView:
        with self._sessions() as session:
            return to_view(self._user(session, user_id))

    def update(
        self,
        user_id: int,
        now: dt.datetime,
        *,
        timezone: str | _Unset = UNSET,
        reminder_time: dt.time | _Unset | None = UNSET,
        new_cards_per_day: int | _Unset = UNSET,
        language: str | _Unset = UNSET,
    ) -> UserView:
        """Change settings; a new zone or reminder time recomputes ``next_reminder_at``.

        Raises :class:`InvalidSetting` (nothing changed) for an unknown zone, a limit outside
        0..500 or a language other than fr/en.
        """
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
        with self._sessions() as session:
            user = self._user(session, user_id, for_update=True)
            if not isinstance(timezone, _Unset):
                user.timezone = timezone
            if not isinstance(reminder_time, _Unset):
                user.reminder_time = reminder_time
            if not isinstance(new_cards_per_day, _Unset):
                user.new_cards_per_day = new_cards_per_day
            if not isinstance(language, _Unset):
                user.language = language
            if not (isinstance(timezone, _Unset) and isinstance(reminder_time, _Unset)):
                refresh_next_reminder(user, now)
            return _commit(session, user)

    def pause_reminders(self, user_id: int) -> UserView:
        with self._sessions() as session:
            user = self._user(session, user_id, for_update=True)
            user.reminders_paused = True
            user.next_reminder_at = None
            return _commit(session, user)

    def resume_reminders(self, user_id: int, now: dt.datetime) -> UserView:
        with self._sessions() as session:
            user = self._user(session, user_id, for_update=True)
            user.reminders_paused = False
            refresh_next_reminder(user, now)
            return _commit(session, user)

    def mark_blocked(self, user_id: int, now: dt.datetime) -> None:
        """Telegram said 403: no more prompts until the student writes again."""
        with self._sessions() as session:
            user = repo.get(session, user_id, for_update=True)
            if user is None:
                return
            if user.blocked_at is None:
                user.blocked_at = now
            user.next_reminder_at = None
            session.commit()

    def forget(self, user_id: int) -> bool:
        """Delete every row of that student (the schema cascades); False if there was none."""
        with self._sessions() as session:
            deleted = repo.delete_user(session, user_id)
            session.commit()
            return deleted

    def decks(self, user_id: int) -> list[DeckChoiceView]:
        """Every live deck, in slug order, with whether the student studies it."""
        with self._sessions() as session:
            self._user(session, user_id)
            return [
                DeckChoiceView(
                    slug=deck.slug,
                    title=deck.title,
                    description=deck.description,
                    language=deck.language,
                    enabled=enabled,
                    question_count=count,
                )
                for deck, enabled, count in repo.deck_choices(session, user_id)
            ]

    def set_deck_enabled(self, user_id: int, deck_slug: str, enabled: bool) -> DeckChoiceView:
        """Switch a deck on or off for the student (their cards of it are kept)."""
        with self._sessions() as session:
            self._user(session, user_id)
            deck = repo.live_deck(session, deck_slug)
            if deck is None:
                raise DeckNotFound(deck_slug)
            view = DeckChoiceView(
                slug=deck.slug,
                title=deck.title,
                description=deck.description,
                language=deck.language,
                enabled=enabled,
                question_count=repo.live_question_count(session, deck.id),
            )
            deck_id = deck.id
            for attempt in range(2):
                choice = repo.deck_choice(session, user_id, deck_id)
                if choice is None:
                    session.add(DeckChoice(user_id=user_id, deck_id=deck_id, enabled=enabled))
                else:
                    choice.enabled = enabled
                try:
                    session.commit()
                    break
                except IntegrityError:
                    # The same switch pressed twice at once: the other insert won; redo.
                    session.rollback()
                    if attempt:
                        raise
            return view

    def _new_user(self, now: dt.datetime, *, language: str) -> User:
        user = User(
            language=language,
            timezone=self._settings.default_timezone,
            reminder_time=self._settings.default_reminder_time,
            reminders_paused=False,
            new_cards_per_day=self._settings.new_cards_per_day,
            desired_retention=0.9,
            maximum_interval=36500,
            created_at=now,
        )
        refresh_next_reminder(user, now)
        return user

    @staticmethod
    def _user(session: Session, user_id: int, *, for_update: bool = False) -> User:
        user = repo.get(session, user_id, for_update=for_update)
        if user is None:
            raise UserNotFound(user_id)
        return user


def _commit(session: Session, user: User) -> UserView:
    """Write, read the view, commit: the view never depends on what a commit expires."""
    session.flush()
    view = to_view(user)
    session.commit()
    return view


def _check_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidSetting("timezone", name) from exc
