"""Settings, read once from the environment and `.env`, built in `main()` and passed down.

A missing or malformed value stops the program with one line naming the key
(:class:`ConfigError`), never a traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///data/quizbot.sqlite3"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the key and fits on one line."""


def encode_userinfo(url: str) -> str:
    """``url`` with its user name and password percent-encoded where they were written raw.

    A password with ``@``, ``/``, ``?``, ``#`` or ``:`` must be URL-encoded; written raw, the
    URL parser ends it at its first ``@`` and takes the rest for the host name, which the
    connection error then prints. The user information is everything before the *last* ``@``
    (a host, port and database name hold none); ``%`` is kept, so an encoded URL is unchanged.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    userinfo, host = rest.rsplit("@", 1)
    user, colon, password = userinfo.partition(":")
    return f"{scheme}://{quote(user, safe='%')}{colon}{quote(password, safe='%')}@{host}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"
    telegram_max_rate: float = Field(default=30.0, ge=0)
    database_url: str = DEFAULT_DATABASE_URL
    auto_migrate: bool | None = None
    default_timezone: str = "Europe/Paris"
    default_reminder_time: dt.time | None = dt.time(18, 0)
    questions_dir: Path = Path("questions")
    teacher_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    new_cards_per_day: int = Field(default=10, ge=0, le=500)
    reminder_max_delay_hours: float = Field(default=3.0, ge=0)
    max_upload_bytes: int = Field(default=512 * 1024, gt=0)
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, gt=0, lt=65536)
    webhook_secret: SecretStr | None = None
    #: The question generator's worker process (bot.workers.generation): seconds per text,
    #: address space of the child in MiB, load the French model as soon as the bot starts.
    generation_timeout: float = Field(default=120.0, gt=0)
    generation_memory_mb: int = Field(default=1536, ge=0)
    generation_prewarm: bool = False

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = encode_userinfo(value)
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            # Never the parser's message: it may quote a piece of the password.
            raise ValueError("URL de base de données illisible") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("seuls sqlite:/// et postgresql+psycopg:// sont pris en charge")
        if url.drivername in ("postgresql", "postgres"):
            # A plain URL as hosting providers give it: use the driver we ship.
            return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
            raise ValueError("utilisez le pilote psycopg 3 : postgresql+psycopg://…")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"fuseau horaire IANA inconnu : {value!r}") from exc
        return value

    @field_validator("default_reminder_time", mode="before")
    @classmethod
    def _parse_time(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in ("", "none", "off", "aucun"):
            return None
        return value

    @field_validator("teacher_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("liste d'identifiants Telegram attendue, ex. 123,456") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _check_level(cls, value: str) -> str:
        level = value.upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("DEBUG, INFO, WARNING, ERROR ou CRITICAL")
        return level

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def should_auto_migrate(self) -> bool:
        """Migrate at start-up: explicit setting, else only for the embedded SQLite default."""
        return self.auto_migrate if self.auto_migrate is not None else self.is_sqlite

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    def require_token(self) -> str:
        token = self.token
        if not token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN manquant : créez un bot avec @BotFather et mettez son jeton "
                "dans .env (ou lancez `quizbot chat` pour le quiz dans le terminal)."
            )
        return token


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, turning pydantic's report into one line per bad key."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = str(err["loc"][0]).upper() if err["loc"] else "?"
            msg = str(err["msg"]).removeprefix("Value error, ")
            lines.append(f"réglage {key} invalide : {msg}")
        raise ConfigError("; ".join(lines)) from None
