"""Settings fail with one clear line naming the key."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]  # no .env from the developer
    for key in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "TEACHER_IDS", "DEFAULT_TIMEZONE"):
        monkeypatch.delenv(key, raising=False)


def test_defaults_need_nothing() -> None:
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.is_sqlite and settings.should_auto_migrate
    assert settings.default_reminder_time == dt.time(18, 0)
    assert settings.token is None


def test_missing_token_is_one_line_naming_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings().require_token()
    message = str(info.value)
    assert "TELEGRAM_BOT_TOKEN" in message and "\n" not in message


def test_malformed_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "pas une url")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith("réglage DATABASE_URL invalide")
    assert "\n" not in str(info.value)


def test_postgres_uses_psycopg3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@h/db")
    assert load_settings().database_url == "postgresql+psycopg://u:p@h/db"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://u@h/db")
    with pytest.raises(ConfigError, match=r"DATABASE_URL.*psycopg"):
        load_settings()


def test_teacher_ids_and_zone_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHER_IDS", "12, 34")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "America/Montreal")
    settings = load_settings()
    assert settings.teacher_ids == frozenset({12, 34})
    assert settings.default_timezone == "America/Montreal"


def test_unknown_zone_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/Atlantis")
    with pytest.raises(ConfigError, match="DEFAULT_TIMEZONE"):
        load_settings()


def test_token_is_never_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:SECRET")
    settings = load_settings()
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings)
    assert settings.require_token() == "123:SECRET"
