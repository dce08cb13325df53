"""A fake Telegram Bot API server for tests and benchmarks.

It speaks HTTP/1.1 (keep-alive) on 127.0.0.1 with nothing but :mod:`asyncio`, so the real
python-telegram-bot ``Bot``/``Application`` can be driven end to end::

    async with FakeTelegram() as tg:
        bot = Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)
        async with bot:
            student = tg.user(42, first_name="Élève")
            student.send_command("/start")          # queued for getUpdates (or the webhook)
            ...
            msg = await tg.wait_for_message(42, contains="Bienvenue")
            student.press(msg, "quiz:answer:2")     # callback_query on that bot message

What it models, because our bot must cope with it:

* requests as PTB sends them: ``application/x-www-form-urlencoded`` (non-string values
  JSON-encoded), ``multipart/form-data`` when uploading, plain JSON bodies and query strings;
* ``getUpdates`` long polling (``timeout``, ``offset`` confirmation, ``limit``,
  ``allowed_updates``; a second concurrent poll ends the first with 409) and webhook delivery
  (``setWebhook`` makes the fake POST updates to the URL, with the secret token header);
* message ids per chat (shared by the user's and the bot's messages), edits, deletions,
  callback queries and their answers, commands per scope and language, uploads and downloads;
* Telegram's validation: text 1..4096 and captions up to 1024 UTF-16 code units after entity
  parsing, callback data 1..64 bytes, HTML / MarkdownV2 / Markdown parse errors, "message is
  not modified", "message to edit not found", unknown methods (404), a wrong token (401);
* group chats and quiz polls: ``sendPoll`` with Telegram's checks (2–12 options of 1–100
  characters, a question of 1–300, ``correct_option_ids`` in range, an explanation of 200 at
  most, ``open_period`` 5–600 s; a bot restricted from polls is refused), ``stopPoll``, votes
  as ``poll_answer`` updates (:meth:`FakeUser.answer_poll`: open polls only, one vote per
  quiz), ``getChatMember`` (the bot's rights: :meth:`FakeTelegram.set_bot_member`) and
  ``getChatMemberCount`` (members join with :meth:`FakeUser.in_group`);
* faults: :meth:`FakeTelegram.fail_next` (429 with ``retry_after``, 5xx, any status),
  :meth:`FakeTelegram.block` (403), and an optional rate-limit enforcer
  (:class:`RateLimits`) answering 429 like Telegram's flood control.

Run it standalone for benchmarks (prints the port, then serves until SIGINT/SIGTERM; a small
JSON control API lives under ``/_fake/``)::

    python -m tests.support.fake_telegram --port 0 --rate-limits
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import copy
import html
import itertools
import json
import logging
import math
import mimetypes
import re
import signal
import struct
import time
import traceback
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

if TYPE_CHECKING:  # the server itself does not need python-telegram-bot
    from telegram import Bot
    from telegram.request import HTTPXRequest

__all__ = [
    "MESSAGE_METHODS",
    "ApiCall",
    "CallbackAnswer",
    "FakeTelegram",
    "FakeUser",
    "RateLimits",
    "Stats",
    "StoredFile",
    "UploadedFile",
    "WebhookDelivery",
    "button_data",
    "main",
    "png_bytes",
    "ptb_request",
]

JSON = dict[str, Any]
T = TypeVar("T")


class _HasMessageId(Protocol):
    @property
    def message_id(self) -> int: ...


#: A message given as its id, its JSON, an update holding it, or a PTB ``Message``.
MessageRef = int | JSON | _HasMessageId

_LOG = logging.getLogger(__name__)

DEFAULT_TOKEN: Final = "123456789:TEST-quizbot-fake-token"

#: Methods that post a message into a chat: what Telegram's flood limits count.
MESSAGE_METHODS: Final = frozenset(
    [
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendPoll",
        "sendDice",
        "copyMessage",
        "forwardMessage",
    ]
)

MAX_TEXT_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
#: Telegram refuses an inline keyboard of more buttons ("reply markup is too long").
MAX_INLINE_BUTTONS: Final = 100
MAX_CALLBACK_ANSWER_LENGTH: Final = 200
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024

_NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD: Final = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
_DEFAULT_DESCRIPTIONS: Final[dict[int, str]] = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot "
    "instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_CHAT_ACTIONS: Final = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_UPDATE_TYPES_OFF_BY_DEFAULT: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)
_COMMAND_SCOPES: Final = frozenset(
    [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ]
)
# Top-level parameters whose form value is always a string: everything else sent as a form
# field is JSON-decoded when it parses (PTB JSON-encodes every non-string value).
_STRING_PARAMS: Final = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "ip_address",
        "language_code",
        "action",
        "file_id",
        "emoji",
        "photo",
        "document",
        "sticker",
        "audio",
        "video",
        "voice",
        "animation",
        "video_note",
        "thumbnail",
        "title",
        "name",
        "description",
        "short_description",
        "question",
        "business_connection_id",
        "message_effect_id",
    ]
)
_BOT_COMMAND_RE: Final = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_COMMAND_NAME_RE: Final = re.compile(r"[a-z0-9_]{1,32}")
_CHUNK_SIZE_RE: Final = re.compile(rb"[0-9a-fA-F]+")


# --------------------------------------------------------------------------------------------
# Records and configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a ``multipart/form-data`` request."""

    field_name: str
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file the fake can serve through ``getFile`` and the file download URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None


@dataclass(slots=True)
class ApiCall:
    """One Bot API request as the fake saw it (``getUpdates`` is only counted in stats)."""

    method: str
    params: JSON
    chat_id: int | str | None
    status: int
    result: Any = None
    description: str | None = None
    files: dict[str, UploadedFile] = field(default_factory=dict)
    at: float = 0.0  # event loop time

    @property
    def ok(self) -> bool:
        """Whether Telegram would have answered ``{"ok": true}``."""
        return self.status == 200

    @property
    def message(self) -> JSON | None:
        """The Message object returned by the call, if it returned one."""
        if isinstance(self.result, dict) and "message_id" in self.result:
            return self.result
        return None


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """An ``answerCallbackQuery`` call, with the press it answers."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str | None


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One attempt to POST an update to the webhook."""

    update_id: int
    url: str
    status: int | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Flood limits the fake enforces with 429 answers (sliding windows of accepted sends).

    Telegram documents "about 30 messages per second" overall, "no more than one message per
    second" in a chat and 20 per minute in a group. Each limit counts successful calls of
    ``methods`` (the ones carrying a ``chat_id``); ``None`` switches a limit off. ``slack``
    shortens every window a little so that a client pacing itself exactly at the limit is not
    punished for network jitter.
    """

    overall: int | None = 30
    per_chat: int | None = 1
    per_group: int | None = 20
    window: float = 1.0
    group_window: float = 60.0
    slack: float = 0.05
    methods: frozenset[str] = MESSAGE_METHODS


@dataclass(slots=True)
class Stats:
    """Counters for benchmarks; :meth:`FakeTelegram.reset_stats` zeroes them."""

    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    rate_limited: int = 0  # 429s produced by the RateLimits enforcer
    peak_messages_per_second: int = 0  # most MESSAGE_METHODS successes within one second

    @property
    def total(self) -> int:
        """All requests, every method included."""
        return sum(self.requests.values())

    @property
    def too_many_requests(self) -> int:
        """All 429 answers, injected or enforced."""
        return self.statuses[429]

    def as_dict(self) -> JSON:
        """A JSON-friendly snapshot."""
        return {
            "requests": dict(self.requests),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "total": self.total,
            "too_many_requests": self.too_many_requests,
            "rate_limited": self.rate_limited,
            "peak_messages_per_second": self.peak_messages_per_second,
        }


class ApiError(Exception):
    """An error answer: ``{"ok": false, "error_code": status, "description": ...}``."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _retry_after_error(seconds: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


@dataclass(slots=True)
class _Fault:
    method: str | None
    status: int
    retry_after: int
    remaining: int
    chat_id: int | str | None
    description: str | None


@dataclass(slots=True)
class _Pending:
    update: JSON
    # A re-delivered update survives the offset confirmation until it has been served once.
    redelivered: bool = False

    @property
    def update_id(self) -> int:
        return int(self.update["update_id"])

    @property
    def kind(self) -> str:
        return next(k for k in self.update if k != "update_id")


@dataclass(slots=True)
class _Chat:
    info: JSON
    next_message_id: int = 1
    messages: dict[int, JSON] = field(default_factory=dict)  # current state, ascending ids
    blocked: str | None = None


@dataclass(slots=True)
class _Query:
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str | None
    answered: bool = False


@dataclass(slots=True)
class _Poll:
    """A poll the bot sent (``sendPoll``): what Telegram keeps to validate votes."""

    poll: JSON  # the Poll object as Telegram returns it (counts kept up to date)
    chat_id: int
    message_id: int
    closes_at: float | None  # event loop time, from open_period
    voters: dict[int, list[int]] = field(default_factory=dict)

    def is_closed(self, now: float) -> bool:
        return bool(self.poll["is_closed"]) or (
            self.closes_at is not None and now >= self.closes_at
        )


@dataclass(slots=True)
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    allowed_updates: list[str] | None
    task: asyncio.Task[None] | None = None


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A valid grey PNG image, for photo uploads in tests."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG/GIF, (0, 0) for other known formats, None if not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8\xff") or data.startswith(b"BM"):
        return 0, 0
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 0, 0
    return None


def button_data(message: JSON) -> list[str]:
    """The callback data of every inline button of a message, row by row."""
    markup = message.get("reply_markup") or {}
    return [
        button["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]


def ptb_request(connection_pool_size: int = 8) -> HTTPXRequest:
    """A python-telegram-bot request object suited to the fake.

    The fake speaks plain HTTP, so the client needs no TLS context: building the default one
    loads the CA bundle, about 0.1 s per client and a Bot has two.
    """
    from telegram.request import HTTPXRequest

    return HTTPXRequest(connection_pool_size=connection_pool_size, httpx_kwargs={"verify": False})


def _scope_key(scope: Any) -> str:
    """``"default"``, ``"all_private_chats"``, ``"chat:42"``, ``"chat_member:42:7"``..."""
    if scope is None:
        return "default"
    if not isinstance(scope, dict) or scope.get("type") not in _COMMAND_SCOPES:
        raise _bad_request("can't parse BotCommandScope JSON object")
    parts = [str(scope["type"])]
    if "chat_id" in scope:
        parts.append(str(scope["chat_id"]))
    if "user_id" in scope:
        parts.append(str(scope["user_id"]))
    return ":".join(parts)


# --------------------------------------------------------------------------------------------
# Parse modes: Telegram strips the markup, counts the length afterwards and rejects bad markup
# --------------------------------------------------------------------------------------------


class _TextBuilder:
    """Collects output text while tracking the UTF-16 offset that entities use."""

    __slots__ = ("offset", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0

    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.offset += _utf16_len(text)

    def text(self) -> str:
        return "".join(self.parts)


def _entity_error(message: str) -> ApiError:
    return _bad_request(f"can't parse entities: {message}")


_HTML_SPECIAL_RE: Final = re.compile(r"[<&]")
_HTML_TAG_RE: Final = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*/?>")
_HTML_ATTR_RE: Final = re.compile(
    r"""([A-Za-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?"""
)
_HTML_ENTITY_RE: Final = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_HTML_TYPES: Final[dict[str, str]] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def _parse_html(source: str) -> tuple[str, list[JSON]]:
    out = _TextBuilder()
    entities: list[JSON] = []
    stack: list[tuple[str, str | None, int, JSON]] = []  # tag, entity type, start, extra
    i = 0
    while True:
        special = _HTML_SPECIAL_RE.search(source, i)
        if special is None:
            out.add(source[i:])
            break
        out.add(source[i : special.start()])
        i = special.start()
        if source[i] == "&":
            entity = _HTML_ENTITY_RE.match(source, i)
            token = entity.group(0) if entity else "&"
            out.add(html.unescape(token))
            i += len(token)
            continue
        tag = _HTML_TAG_RE.match(source, i)
        offset = _byte_offset(source, i)
        if tag is None:
            raise _entity_error(f"Unexpected end of name token at byte offset {offset}")
        closing, name, raw_attrs = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        if name not in _HTML_TYPES:
            kind = "end" if closing else "start"
            raise _entity_error(f'Unsupported {kind} tag "{name}" at byte offset {offset}')
        if closing:
            if not stack:
                raise _entity_error(f'Unexpected end tag "{name}" at byte offset {offset}')
            open_name, open_type, start, open_extra = stack.pop()
            if open_name != name:
                raise _entity_error(
                    f'Unmatched end tag at byte offset {offset}, expected "</{open_name}>", '
                    f'found "</{name}>"'
                )
            if open_type is not None and out.offset > start:
                entities.append({"type": open_type, "offset": start, "length": out.offset - start})
                entities[-1].update(open_extra)
        else:
            attrs = {
                m.group(1).lower(): next((g for g in m.group(2, 3, 4) if g is not None), "")
                for m in _HTML_ATTR_RE.finditer(raw_attrs)
            }
            etype: str | None = _HTML_TYPES[name]
            extra: JSON = {}
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise _entity_error(f'Unsupported start tag "span" at byte offset {offset}')
            if name == "a":
                if attrs.get("href"):
                    extra["url"] = html.unescape(attrs["href"])
                else:
                    etype = None
            elif name == "tg-emoji":
                extra["custom_emoji_id"] = attrs.get("emoji-id", "")
            elif name == "blockquote" and "expandable" in attrs:
                etype = "expandable_blockquote"
            elif name == "code" and stack and stack[-1][0] == "pre":
                language = attrs.get("class", "")
                if language.startswith("language-"):
                    stack[-1][3]["language"] = language.removeprefix("language-")
                    etype = None
            stack.append((name, etype, out.offset, extra))
        i = tag.end()
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.text(), entities


_MDV2_SPECIAL_RE: Final = re.compile(r"[\\`\[\]_*~|>#+\-=(){}.!]")
_MDV2_MARKERS: Final[dict[str, tuple[str, str]]] = {
    "*": ("bold", "Bold"),
    "_": ("italic", "Italic"),
    "__": ("underline", "Underline"),
    "~": ("strikethrough", "Strikethrough"),
    "||": ("spoiler", "Spoiler"),
}


def _mdv2_until(source: str, start: int, closer: str, what: str) -> tuple[str, int]:
    """Read escaped content up to ``closer``; returns (content, index after the closer)."""
    chars: list[str] = []
    i = start
    while i < len(source):
        if source[i] == "\\" and i + 1 < len(source):
            chars.append(source[i + 1])
            i += 2
        elif source.startswith(closer, i):
            return "".join(chars), i + len(closer)
        else:
            chars.append(source[i])
            i += 1
    raise _entity_error(
        f"Can't find end of {what} entity at byte offset {_byte_offset(source, start - 1)}"
    )


def _parse_markdown_v2(source: str) -> tuple[str, list[JSON]]:
    out = _TextBuilder()
    entities: list[JSON] = []
    stack: list[tuple[str, int, int]] = []  # marker, output start, source index
    i = 0
    while True:
        special = _MDV2_SPECIAL_RE.search(source, i)
        if special is None:
            out.add(source[i:])
            break
        out.add(source[i : special.start()])
        i = special.start()
        char = source[i]
        if char == "\\":
            if i + 1 < len(source) and 0 < ord(source[i + 1]) < 127:
                out.add(source[i + 1])
                i += 2
            else:
                out.add(char)
                i += 1
            continue
        if char == "`":
            if source.startswith("```", i):
                body, i = _mdv2_until(source, i + 3, "```", "Pre")
                language, newline, code = body.partition("\n")
                extra: JSON = {}
                if newline and language and not any(c.isspace() for c in language):
                    extra["language"] = language
                    body = code
                start = out.offset
                out.add(body)
                entities.append({"type": "pre", "offset": start, "length": out.offset - start})
                entities[-1].update(extra)
            else:
                body, i = _mdv2_until(source, i + 1, "`", "Code")
                start = out.offset
                out.add(body)
                entities.append({"type": "code", "offset": start, "length": out.offset - start})
            continue
        if char == "[":
            stack.append(("[", out.offset, i))
            i += 1
            continue
        if char == "]" and stack and stack[-1][0] == "[":
            if not source.startswith("(", i + 1):
                raise _entity_error(
                    "Character ']' is reserved and must be escaped with the preceding '\\'"
                )
            url, i = _mdv2_until(source, i + 2, ")", "TextUrl")
            _, start, _ = stack.pop()
            if out.offset > start:
                entities.append(
                    {
                        "type": "text_link",
                        "offset": start,
                        "length": out.offset - start,
                        "url": url,
                    }
                )
            continue
        marker = None
        if char == "_":
            marker = "__" if source.startswith("__", i) else "_"
        elif char == "|" and source.startswith("||", i):
            marker = "||"
        elif char in "*~":
            marker = char
        if marker is not None:
            if stack and stack[-1][0] == marker:
                _, start, _ = stack.pop()
                if out.offset > start:
                    etype = _MDV2_MARKERS[marker][0]
                    entities.append({"type": etype, "offset": start, "length": out.offset - start})
            else:
                stack.append((marker, out.offset, i))
            i += len(marker)
            continue
        if char == ">" and (i == 0 or source[i - 1] == "\n"):
            i += 1  # block quotes: the marker is dropped (no entity modelled)
            continue
        raise _entity_error(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )
    if stack:
        marker, _, index = stack[-1]
        name = "TextUrl" if marker == "[" else _MDV2_MARKERS[marker][1]
        raise _entity_error(
            f"Can't find end of {name} entity at byte offset {_byte_offset(source, index)}"
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return out.text(), entities


_MD_SPECIAL_RE: Final = re.compile(r"[\\`\[_*]")
_MD_LINK_RE: Final = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def _parse_markdown(source: str) -> tuple[str, list[JSON]]:
    out = _TextBuilder()
    entities: list[JSON] = []
    i = 0
    while True:
        special = _MD_SPECIAL_RE.search(source, i)
        if special is None:
            out.add(source[i:])
            break
        out.add(source[i : special.start()])
        i = special.start()
        char = source[i]
        if char == "\\" and i + 1 < len(source) and source[i + 1] in "_*`[":
            out.add(source[i + 1])
            i += 2
            continue
        if char == "\\":
            out.add(char)
            i += 1
            continue
        if char == "[":
            link = _MD_LINK_RE.match(source, i)
            if link is None:
                out.add(char)
                i += 1
                continue
            start = out.offset
            out.add(link.group(1))
            entities.append(
                {
                    "type": "text_link",
                    "offset": start,
                    "length": out.offset - start,
                    "url": link.group(2),
                }
            )
            i = link.end()
            continue
        closer = "```" if source.startswith("```", i) else char
        end = source.find(closer, i + len(closer))
        if end < 0:
            raise _entity_error(
                f"Can't find end of the entity starting at byte offset {_byte_offset(source, i)}"
            )
        body = source[i + len(closer) : end]
        etype = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[closer]
        start = out.offset
        out.add(body)
        if out.offset > start:
            entities.append({"type": etype, "offset": start, "length": out.offset - start})
        i = end + len(closer)
    return out.text(), entities


def _apply_parse_mode(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSON]]:
    if not parse_mode:
        if entities is None:
            return text, []
        if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
            raise _bad_request("can't parse entities JSON object")
        return text, entities
    mode = parse_mode.lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown_v2(text)
    if mode == "markdown":
        return _parse_markdown(text)
    raise _bad_request(f"unsupported parse_mode {parse_mode!r}")


def _check_reply_markup(markup: Any) -> JSON | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                _check_inline_button(button)
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise _bad_request("reply markup is too long")
        return markup
    if "keyboard" in markup or "remove_keyboard" in markup or "force_reply" in markup:
        return markup
    raise _bad_request("can't parse reply keyboard markup JSON object")


_BUTTON_ACTIONS: Final = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise _bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if not button["text"]:
        raise _bad_request("BUTTON_TEXT_INVALID")
    if not any(key in button for key in _BUTTON_ACTIONS):
        raise _bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and (
        not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
    ):
        raise _bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://"))
    ):
        raise _bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


# --------------------------------------------------------------------------------------------
# Request parameters
# --------------------------------------------------------------------------------------------


class _Params:
    """Typed access to one request's parameters, with Telegram's error messages."""

    __slots__ = ("files", "values")

    def __init__(self, values: JSON, files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            raise _bad_request(f"invalid {name} specified")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return int(value)
        raise _bad_request(f"invalid {name} specified")

    def required_int(self, name: str) -> int:
        value = self.integer(name)
        if value is None:
            raise _bad_request(f"{name} is empty")
        return value

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def obj(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self) -> int | str | None:
        value = self.values.get("chat_id")
        if value is None or value == "":
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return int(value)
            return value
        raise _bad_request("invalid chat_id specified")


def _decode_form(pairs: Iterable[tuple[str, str]]) -> JSON:
    values: JSON = {}
    for name, value in pairs:
        if name in _STRING_PARAMS:
            values[name] = value
            continue
        try:
            values[name] = json.loads(value)
        except ValueError:
            values[name] = value
    return values


_DISPOSITION_PARAM_RE: Final = re.compile(r';\s*([A-Za-z*]+)="((?:[^"\\]|\\.)*)"')
_PERCENT_ESCAPE_RE: Final = re.compile(r"%(22|[01][0-9A-Fa-f])")


def _unquote_form_param(value: str) -> str:
    value = _PERCENT_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value.replace("\\\\", "\\")


def _parse_multipart(
    body: bytes, content_type: str
) -> tuple[list[tuple[str, str]], dict[str, UploadedFile]]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise _bad_request("multipart boundary is missing")
    delimiter = b"--" + match.group(1).encode("latin-1")
    fields: list[tuple[str, str]] = []
    files: dict[str, UploadedFile] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        params = {
            key.lower(): _unquote_form_param(value)
            for key, value in _DISPOSITION_PARAM_RE.findall(
                ";" + headers.get("content-disposition", "").partition(";")[2]
            )
        }
        field_name = params.get("name")
        if field_name is None:
            continue
        if "filename" in params:
            files[field_name] = UploadedFile(
                field_name,
                params["filename"],
                headers.get("content-type", "application/octet-stream"),
                content,
            )
        else:
            fields.append((field_name, content.decode("utf-8", "replace")))
    return fields, files


# --------------------------------------------------------------------------------------------
# Users: the injection API
# --------------------------------------------------------------------------------------------


class FakeUser:
    """A Telegram user writing to the bot in one chat (private by default).

    Every ``send_*``/``press`` method queues one update and returns it (a dict in Telegram's
    shape, with its ``update_id``), ready for :meth:`FakeTelegram.redeliver`.
    """

    def __init__(self, tg: FakeTelegram, user: JSON, chat_id: int) -> None:
        self.tg = tg
        self.info = user
        self.chat_id = chat_id

    @property
    def id(self) -> int:
        """The Telegram user id."""
        return int(self.info["id"])

    def in_group(
        self, chat_id: int, title: str = "Classe", *, supergroup: bool = False
    ) -> FakeUser:
        """The same user, writing in a group chat (created on first use; they join it)."""
        self.tg.group(chat_id, title, supergroup=supergroup)
        self.tg.group_members.setdefault(chat_id, {})[self.id] = self.info
        return FakeUser(self.tg, self.info, chat_id)

    def send_text(
        self, text: str, *, reply_to: MessageRef | None = None, entities: list[JSON] | None = None
    ) -> JSON:
        """A text message; ``/commands`` in it get ``bot_command`` entities as Telegram does."""
        if not text:
            raise ValueError("Telegram clients cannot send an empty message")
        message = self._new_message()
        message["text"] = text
        found = entities if entities is not None else _command_entities(text)
        if found:
            message["entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = self.tg._message_ref(self.chat_id, reply_to)
        return self.tg._store_and_enqueue(self.chat_id, message, "message")

    def send_command(self, command: str) -> JSON:
        """A command such as ``"/start deep-link-arg"`` or ``"/quiz@quizbot_test_bot"``."""
        if not command.startswith("/"):
            raise ValueError(f"a command starts with '/': {command!r}")
        return self.send_text(command)

    def send_edited_message(self, message: MessageRef, text: str) -> JSON:
        """The user edits one of their messages: an ``edited_message`` update."""
        chat = self.tg._chat(self.chat_id)
        original = chat.messages.get(_message_id_of(message))
        if original is None or original.get("from", {}).get("id") != self.id:
            raise LookupError(f"user {self.id} has no message {message!r} in {self.chat_id}")
        edited = {**original, "text": text, "edit_date": self.tg._now()}
        edited.pop("entities", None)
        if found := _command_entities(text):
            edited["entities"] = found
        chat.messages[edited["message_id"]] = edited
        return self.tg._enqueue("edited_message", edited)

    def press(
        self,
        message: MessageRef,
        callback_data: str | None = None,
        *,
        button: str | None = None,
        strict: bool = True,
    ) -> JSON:
        """Tap an inline button of a bot message: a ``callback_query`` with a fresh id.

        Give the button's ``callback_data`` or its visible ``button`` text. With ``strict``
        (the default) the message must exist and show that button, as in a real client; pass
        ``strict=False`` to forge stale or tampered presses.
        """
        message_id = _message_id_of(message)
        current = self.tg._chat(self.chat_id).messages.get(message_id)
        if button is not None:
            if current is None:
                raise LookupError(f"no message {message_id} in chat {self.chat_id}")
            matches = [
                b
                for row in (current.get("reply_markup") or {}).get("inline_keyboard", [])
                for b in row
                if b.get("text") == button
            ]
            if not matches:
                raise LookupError(f"no button {button!r} on message {message_id}")
            callback_data = matches[0].get("callback_data")
        if strict:
            if current is None:
                raise LookupError(f"no message {message_id} in chat {self.chat_id}")
            available = button_data(current)
            if callback_data not in available:
                raise LookupError(
                    f"message {message_id} has no button with data {callback_data!r}; "
                    f"it has {available}"
                )
        # A message the client cannot see any more arrives as an InaccessibleMessage (date 0).
        chat_info = self.tg._chat(self.chat_id).info
        shown = current or {"message_id": message_id, "chat": chat_info, "date": 0}
        query_id = str(next(self.tg._query_ids))
        query: JSON = {
            "id": query_id,
            "from": self.info,
            "message": shown,
            "chat_instance": str(10**17 + abs(self.chat_id)),  # stable per chat
        }
        if callback_data is not None:
            query["data"] = callback_data
        self.tg._queries[query_id] = _Query(self.id, self.chat_id, message_id, callback_data)
        return self.tg._enqueue("callback_query", query)

    def answer_poll(
        self, message: MessageRef, option_ids: list[int] | int, *, force: bool = False
    ) -> JSON:
        """Vote in a (non-anonymous) poll of a bot message: a ``poll_answer`` update.

        As a client: the poll must be open, a quiz takes one vote per user and none taken
        back. ``force=True`` sends the update anyway (a vote made just before the poll closed
        and delivered after, or a replay).
        """
        options = [option_ids] if isinstance(option_ids, int) else list(option_ids)
        chat = self.tg._chat(self.chat_id)
        found = chat.messages.get(_message_id_of(message))
        if found is None or "poll" not in found:
            raise LookupError(f"no poll in message {message!r} of chat {self.chat_id}")
        poll = self.tg.polls[found["poll"]["id"]]
        info = poll.poll
        if not force:
            if poll.is_closed(self.tg._loop_time()):
                raise ValueError("the poll is closed")
            if info["is_anonymous"]:
                raise ValueError("an anonymous poll sends no poll_answer to the bot")
            if info["type"] == "quiz" and self.id in poll.voters:
                raise ValueError("a quiz takes one vote per user")
            if not options or any(not 0 <= o < len(info["options"]) for o in options):
                raise ValueError(f"no such option {options}")
        if self.id not in poll.voters and not poll.is_closed(self.tg._loop_time()):
            poll.voters[self.id] = options
            for option in options:
                info["options"][option]["voter_count"] += 1
            info["total_voter_count"] += 1
        persistent = [
            info["options"][o]["persistent_id"] for o in options if o < len(info["options"])
        ]
        answer: JSON = {
            "poll_id": info["id"],
            "user": self.info,
            "option_ids": options,
            "option_persistent_ids": persistent,
        }
        return self.tg._enqueue("poll_answer", answer)

    def send_document(
        self,
        filename: str,
        data: bytes,
        mime_type: str | None = None,
        *,
        caption: str | None = None,
    ) -> JSON:
        """A document the bot can fetch with ``getFile`` and download."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.tg.add_file(data, kind="documents", file_name=filename, mime_type=mime)
        message = self._new_message()
        message["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime,
            "file_size": len(data),
        }
        if caption is not None:
            message["caption"] = caption
        return self.tg._store_and_enqueue(self.chat_id, message, "message")

    def send_photo(self, data: bytes | None = None, *, caption: str | None = None) -> JSON:
        """A photo (a 1×1 PNG unless given)."""
        content = png_bytes() if data is None else data
        stored = self.tg.add_file(content, kind="photos", mime_type="image/png")
        message = self._new_message()
        message["photo"] = [self.tg._photo_size(stored)]
        if caption is not None:
            message["caption"] = caption
        return self.tg._store_and_enqueue(self.chat_id, message, "message")

    def send_sticker(self, emoji: str = "👍") -> JSON:
        """A static sticker."""
        stored = self.tg.add_file(
            b"RIFF\x00\x00\x00\x00WEBP", kind="stickers", mime_type="image/webp"
        )
        message = self._new_message()
        message["sticker"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": len(stored.data),
        }
        return self.tg._store_and_enqueue(self.chat_id, message, "message")

    def block_bot(self) -> JSON:
        """The user blocks the bot: later sends get 403, and a ``my_chat_member`` update."""
        self.tg.block(self.chat_id)
        return self.tg._enqueue("my_chat_member", self._member_change("member", "kicked"))

    def unblock_bot(self) -> JSON:
        """The user restarts the bot after blocking it."""
        self.tg.unblock(self.chat_id)
        return self.tg._enqueue("my_chat_member", self._member_change("kicked", "member"))

    def messages(self) -> list[JSON]:
        """The bot's messages in this chat, as they currently are."""
        return self.tg.messages(self.chat_id)

    async def wait_for_message(
        self,
        contains: str | None = None,
        *,
        count: int = 1,
        after: MessageRef | None = None,
        timeout: float = 5.0,
    ) -> JSON:
        """:meth:`FakeTelegram.wait_for_message` in this chat."""
        return await self.tg.wait_for_message(
            self.chat_id, contains, count=count, after=after, timeout=timeout
        )

    def _new_message(self) -> JSON:
        chat = self.tg._chat(self.chat_id)
        return {
            "message_id": self.tg._next_message_id(chat),
            "from": self.info,
            "chat": chat.info,
            "date": self.tg._now(),
        }

    def _member_change(self, old: str, new: str) -> JSON:
        def member(status: str) -> JSON:
            result: JSON = {"user": self.tg.bot_user, "status": status}
            if status == "kicked":
                result["until_date"] = 0
            return result

        return {
            "chat": self.tg._chat(self.chat_id).info,
            "from": self.info,
            "date": self.tg._now(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }


def _message_id_of(message: MessageRef) -> int:
    if isinstance(message, int):
        return message
    if not isinstance(message, dict):
        return int(message.message_id)  # a python-telegram-bot Message
    if "message_id" in message:
        return int(message["message_id"])
    for key in ("message", "edited_message", "callback_query"):
        if key in message:
            inner = message[key]
            return _message_id_of(inner["message"] if key == "callback_query" else inner)
    raise ValueError(f"not a message or an update with a message: {message!r}")


def _command_entities(text: str) -> list[JSON]:
    entities = []
    for match in _BOT_COMMAND_RE.finditer(text):
        entities.append(
            {
                "type": "bot_command",
                "offset": _utf16_len(text[: match.start()]),
                "length": _utf16_len(match.group(0)),
            }
        )
    return entities


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeTelegram:
    """An in-process Bot API server on 127.0.0.1 (see the module docstring)."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "quizbot_test_bot",
        bot_first_name: str = "QuizBot",
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        rate_limits: RateLimits | None = None,
        deliver_webhooks: bool = True,
        known_chats_only: bool = False,
        record_calls: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Configure the fake; nothing listens before :meth:`start`.

        Args:
            token: the only token accepted (others get 401, as a revoked token would).
            latency: seconds added to every API answer, to mimic the network in benchmarks.
            rate_limits: flood limits to enforce with 429s; ``None`` (default) enforces none.
            deliver_webhooks: POST updates to the URL given by ``setWebhook``.
            known_chats_only: answer "chat not found" for chats no update introduced;
                otherwise a positive id becomes a private chat and a negative one a group.
            record_calls: keep every call in :attr:`sent` (turn off for long benchmarks).
            clock: the source of message ``date`` values (Unix time).
        """
        self.token = token
        self.bot_id = int(token.partition(":")[0]) if token.partition(":")[0].isdigit() else 1
        self.bot_user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.host = host
        self.latency = latency
        self.rate_limits = rate_limits
        self.deliver_webhooks = deliver_webhooks
        self.known_chats_only = known_chats_only
        self.record_calls = record_calls
        self.clock = clock
        self.port = port

        self.sent: list[ApiCall] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.files: dict[str, StoredFile] = {}
        self.my_commands: dict[tuple[str, str], list[JSON]] = {}
        self.my_descriptions: dict[tuple[str, str], str] = {}
        self.stats = Stats()
        self.internal_errors: list[str] = []
        #: Polls sent by the bot, by poll id; group members (user id -> User) and the bot's
        #: own ChatMember in each group (``set_bot_member``; default: a plain member).
        self.polls: dict[str, _Poll] = {}
        self.group_members: dict[int, dict[int, JSON]] = {}
        self.bot_members: dict[int, JSON] = {}

        self._chats: dict[int, _Chat] = {}
        self._usernames: dict[str, int] = {}
        self._updates_by_id: dict[int, JSON] = {}
        self._pending: list[_Pending] = []
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._poll_ids = itertools.count(5_000_000_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._queries: dict[str, _Query] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._faults: list[_Fault] = []
        self._allowed_updates: frozenset[str] | None = None
        self._webhook: _Webhook | None = None
        self._poll_generation = 0
        self.waiting_polls = 0
        self._waiters: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._rate_overall: deque[float] = deque()
        self._rate_chats: dict[int | str, deque[float]] = {}
        self._rate_groups: dict[int | str, deque[float]] = {}
        self._peak_window: deque[float] = deque()

        self._server: asyncio.Server | None = None
        self._connections: dict[asyncio.Task[Any], asyncio.StreamWriter] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._updates_event: asyncio.Event | None = None
        self._closing = False

        self._handlers: dict[str, tuple[str, Callable[[_Params], Any]]] = {}
        for name, handler in self._api_methods().items():
            self._handlers[name.lower()] = (name, handler)

    # ---------------------------------------------------------------- lifecycle and URLs

    async def start(self) -> FakeTelegram:
        """Listen on ``host``/``port`` (port 0 picks a free one)."""
        self._closing = False
        self._updates_event = asyncio.Event()
        self._server = await asyncio.start_server(
            self._serve_connection, self.host, self.port, limit=1 << 20
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        """Close the listener, every open connection and the webhook sender."""
        self._closing = True
        self._pulse()
        if self._server is not None:
            self._server.close()
        # Closing the sockets ends idle keep-alive connections cleanly; cancelling them instead
        # makes asyncio log the CancelledError of every connection task.
        connections = list(self._connections.items())
        for _, writer in connections:
            writer.close()
        if connections:
            _, late = await asyncio.wait([task for task, _ in connections], timeout=1.0)
            for task in late:
                task.cancel()
        background = [*self._background]
        if self._webhook is not None and self._webhook.task is not None:
            background.append(self._webhook.task)
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        await self.stop()
        if exc_type is None and self.internal_errors:
            raise RuntimeError(
                "the fake Telegram server crashed:\n" + "\n".join(self.internal_errors)
            )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What PTB takes as ``base_url`` (it appends the token and ``/method``)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB takes as ``base_file_url``."""
        return f"{self.url}/file/bot"

    def bot(self, **kwargs: Any) -> Bot:
        """A real (not yet initialised) PTB ``Bot`` wired to this server."""
        from telegram import Bot

        return Bot(
            self.token,
            base_url=self.base_url,
            base_file_url=self.base_file_url,
            request=kwargs.pop("request", None) or ptb_request(),
            get_updates_request=kwargs.pop("get_updates_request", None) or ptb_request(1),
            **kwargs,
        )

    # ---------------------------------------------------------------- chats and users

    def user(
        self,
        user_id: int,
        first_name: str = "Élève",
        language_code: str | None = "fr",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> FakeUser:
        """A user and their private chat with the bot (``chat_id == user_id``)."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        info: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            info["last_name"] = last_name
        if username:
            info["username"] = username
            self._usernames[username.lower()] = user_id
        if language_code:
            info["language_code"] = language_code
        chat_info = {
            k: v for k, v in info.items() if k in ("id", "first_name", "last_name", "username")
        }
        chat_info["type"] = "private"
        existing = self._chats.get(user_id)
        if existing is None:
            self._chats[user_id] = _Chat(chat_info)
        else:
            existing.info = chat_info
        return FakeUser(self, info, user_id)

    def group(self, chat_id: int, title: str = "Classe", *, supergroup: bool = False) -> JSON:
        """A group chat (negative id); returns its Chat object."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = self._chats.get(chat_id)
        if chat is None:
            info = {"id": chat_id, "title": title, "type": "supergroup" if supergroup else "group"}
            chat = self._chats[chat_id] = _Chat(info)
        return chat.info

    def set_bot_member(self, chat_id: int, status: str = "member", **rights: bool) -> None:
        """The bot's ChatMember in a group: ``"administrator"``, ``"member"`` or
        ``"restricted"`` (with ``can_send_messages=…``, ``can_send_polls=…``)."""
        self.group(chat_id)
        member: JSON = {"user": self.bot_user, "status": status}
        if status == "administrator":
            member.update(dict.fromkeys(_ADMIN_RIGHTS, False), can_manage_chat=True)
            member.update(rights)
        if status == "restricted":
            member.update(dict.fromkeys(_RESTRICTED_RIGHTS, True), is_member=True, until_date=0)
            member.update(rights)
        self.bot_members[chat_id] = member

    def poll_messages(self, chat_id: int) -> list[JSON]:
        """The bot's poll messages in a chat, oldest first (polls as they are now)."""
        found = []
        for message in self.messages(chat_id):
            if "poll" in message:
                poll = self.polls[message["poll"]["id"]]
                if poll.is_closed(self._loop_time()):
                    poll.poll["is_closed"] = True  # its open_period ran out
                message["poll"] = copy.deepcopy(poll.poll)
                found.append(message)
        return found

    async def wait_for_poll(self, chat_id: int, *, count: int = 1, timeout: float = 5.0) -> JSON:
        """Wait until the bot has sent ``count`` polls in the chat; return the count-th."""

        def find() -> JSON | None:
            polls = self.poll_messages(chat_id)
            return polls[count - 1] if len(polls) >= count else None

        return await self.wait_for(find, timeout, what=f"poll #{count} in chat {chat_id}")

    def block(self, chat_id: int, description: str | None = None) -> None:
        """Answer 403 to anything the bot sends to this chat."""
        default = (
            "Forbidden: bot was blocked by the user"
            if chat_id > 0
            else "Forbidden: bot was kicked from the group chat"
        )
        self._chat(chat_id).blocked = description or default

    def unblock(self, chat_id: int) -> None:
        """Undo :meth:`block`."""
        self._chat(chat_id).blocked = None

    def messages(self, chat_id: int, *, include_user: bool = False) -> list[JSON]:
        """The bot's messages in a chat, as they are now (edits applied, deleted ones gone)."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            copy.deepcopy(m)
            for m in chat.messages.values()
            if include_user or m.get("from", {}).get("id") == self.bot_id
        ]

    def calls(
        self,
        method: str | None = None,
        *,
        chat_id: int | str | None = None,
        ok: bool | None = None,
    ) -> list[ApiCall]:
        """Recorded calls filtered by method, chat and success."""
        return [
            c
            for c in self.sent
            if (method is None or c.method == method)
            and (chat_id is None or c.chat_id == chat_id)
            and (ok is None or c.ok == ok)
        ]

    def commands(self, scope: str = "default", language_code: str = "") -> list[JSON]:
        """Commands set with ``setMyCommands`` for a scope key (see :attr:`my_commands`)."""
        return copy.deepcopy(self.my_commands.get((scope, language_code), []))

    def add_file(
        self,
        data: bytes,
        *,
        kind: str = "documents",
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        """Store a file the bot can ``getFile`` and download."""
        number = next(self._file_ids)
        suffix = ""
        if file_name and "." in file_name:
            suffix = "." + file_name.rsplit(".", 1)[1]
        elif kind == "photos":
            suffix = ".jpg"
        prefix = {"photos": "AgACAgQAAxkB", "stickers": "CAACAgIAAxkB"}.get(kind, "BQACAgQAAxkB")
        stored = StoredFile(
            file_id=f"{prefix}{number:010d}",
            file_unique_id=f"AQAD{number:08d}",
            file_path=f"{kind}/file_{number}{suffix}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    # ---------------------------------------------------------------- updates

    def redeliver(self, update: JSON | int) -> JSON:
        """Queue an already delivered update again, with the same ``update_id``.

        Telegram does this when the bot did not confirm it (a crash before the next
        ``getUpdates``, a webhook answer that failed): handlers must be idempotent.
        """
        update_id = int(update if isinstance(update, int) else update["update_id"])
        original = self._updates_by_id.get(update_id)
        if original is None:
            raise LookupError(f"update {update_id} was never created")
        entry = _Pending(copy.deepcopy(original), redelivered=True)
        ids = [p.update_id for p in self._pending]
        position = bisect.bisect_left(ids, update_id)
        if position < len(ids) and ids[position] == update_id:
            self._pending[position] = entry
        else:
            self._pending.insert(position, entry)
        self._pulse()
        return entry.update

    def enqueue_update(self, kind: str, payload: JSON) -> JSON:
        """Queue any update type (``"message_reaction"``, ``"poll_answer"``...)."""
        return self._enqueue(kind, payload)

    def enqueue_raw(self, update: JSON) -> JSON:
        """Queue an update exactly as given, even one no library can parse (a bad ``date``,
        a message without ``chat``…); ``update_id`` is set to the next id when missing."""
        raw = copy.deepcopy(update)
        if "update_id" not in raw:
            raw["update_id"] = next(self._update_ids)
        self._updates_by_id[int(raw["update_id"])] = raw
        self._pending.append(_Pending(copy.deepcopy(raw)))
        self._pulse()
        return copy.deepcopy(raw)

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        return len(self._pending)

    # ---------------------------------------------------------------- faults

    def fail_next(
        self,
        method: str | None,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (any method if None) fail.

        429 carries ``parameters.retry_after`` (PTB raises ``RetryAfter``), 403 is
        "bot was blocked by the user" (``Forbidden``), 5xx become ``NetworkError``.
        """
        canonical = self._handlers.get(method.lower(), (method,))[0] if method else None
        self._faults.append(_Fault(canonical, status, retry_after, times, chat_id, description))

    def reset_stats(self) -> None:
        """Zero :attr:`stats` (flood-limit windows keep running: they follow real time)."""
        self.stats = Stats()
        self._peak_window.clear()

    # ---------------------------------------------------------------- waiting

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,
        *,
        what: str | None = None,
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value.

        The predicate is re-checked on every recorded call, update and confirmation, never on
        a timer. On timeout it fails the test with the last calls seen.
        """
        value = predicate()
        if value:
            return value
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        entry = (predicate, future)
        self._waiters.append(entry)
        try:
            async with asyncio.timeout(timeout):
                result: T = await future
                return result
        except TimeoutError:
            recent = "\n".join(
                f"  {c.method} chat={c.chat_id} -> {c.status} {c.description or _short(c.result)}"
                for c in self.sent[-8:]
            )
            raise AssertionError(
                f"timed out after {timeout}s waiting for {what or predicate!r}; "
                f"last calls:\n{recent or '  (none)'}"
            ) from None
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    async def wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        *,
        count: int = 1,
        after: MessageRef | None = None,
        where: Callable[[JSON], bool] | None = None,
        timeout: float = 5.0,
    ) -> JSON:
        """Wait until the chat shows ``count`` matching bot messages; return the count-th.

        A message matches when its text or caption contains ``contains``, its id is greater
        than ``after`` (a message id, or a message/update: "the bot's reply to this") and
        ``where(message)`` holds. Edits count: the current state is matched.
        """
        after_id = 0 if after is None else _message_id_of(after)

        def find() -> JSON | None:
            chat = self._chats.get(chat_id)
            if chat is None:
                return None
            found = 0
            for message_id, message in chat.messages.items():
                if message_id <= after_id or message.get("from", {}).get("id") != self.bot_id:
                    continue
                body = message.get("text") or message.get("caption") or ""
                if contains is not None and contains not in body:
                    continue
                if where is not None and not where(message):
                    continue
                found += 1
                if found == count:
                    return message
            return None

        what = f"{count} bot message(s) in chat {chat_id}"
        if contains is not None:
            what += f" containing {contains!r}"
        message = await self.wait_for(find, timeout, what=what)
        return copy.deepcopy(message)

    async def wait_for_callback_answer(
        self, update: JSON | str, timeout: float = 5.0
    ) -> CallbackAnswer:
        """Wait for the bot to answer the callback query of ``update`` (or that query id)."""
        query_id = update if isinstance(update, str) else update["callback_query"]["id"]
        return await self.wait_for(
            lambda: next(
                (a for a in self.callback_answers if a.callback_query_id == query_id), None
            ),
            timeout,
            what=f"answerCallbackQuery({query_id})",
        )

    # ---------------------------------------------------------------- internals: state

    def _now(self) -> int:
        return int(self.clock())

    @staticmethod
    def _loop_time() -> float:
        return asyncio.get_running_loop().time()

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                self.user(chat_id, f"User {chat_id}", None)
            else:
                self.group(chat_id, f"Group {chat_id}")
            chat = self._chats[chat_id]
        return chat

    def _chat_for_bot(self, chat_id: int | str | None) -> _Chat:
        if chat_id is None:
            raise _bad_request("chat_id is empty")
        if isinstance(chat_id, str):
            resolved = self._usernames.get(chat_id.removeprefix("@").lower())
            if resolved is None:
                raise _bad_request("chat not found")
            chat_id = resolved
        if chat_id == 0 or (self.known_chats_only and chat_id not in self._chats):
            raise _bad_request("chat not found")
        return self._chat(chat_id)

    @staticmethod
    def _next_message_id(chat: _Chat) -> int:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def _message_ref(self, chat_id: int, message: MessageRef) -> JSON:
        found = self._chat(chat_id).messages.get(_message_id_of(message))
        if found is None:
            raise LookupError(f"no message {message!r} in chat {chat_id}")
        return {k: v for k, v in found.items() if k != "reply_to_message"}

    def _store_and_enqueue(self, chat_id: int, message: JSON, kind: str) -> JSON:
        self._chat(chat_id).messages[message["message_id"]] = message
        return self._enqueue(kind, message)

    def _enqueue(self, kind: str, payload: JSON) -> JSON:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, kind: payload}
        self._updates_by_id[update_id] = update
        self._pending.append(_Pending(copy.deepcopy(update)))
        self._pulse()
        return copy.deepcopy(update)  # the test's copy: mutating it changes nothing here

    def _pulse(self) -> None:
        """Wake long polls and the webhook sender, and re-check waiters."""
        if self._updates_event is not None:
            self._updates_event.set()
            self._updates_event = asyncio.Event()
        self._notify()

    def _notify(self) -> None:
        if not self._waiters:
            return
        for entry in list(self._waiters):
            predicate, future = entry
            if future.done():
                continue
            try:
                value = predicate()
            except Exception as exc:
                future.set_exception(exc)
                continue
            if value:
                future.set_result(value)

    def _is_allowed(self, kind: str, allowed: frozenset[str] | None) -> bool:
        if allowed is None:
            return kind not in _UPDATE_TYPES_OFF_BY_DEFAULT
        return kind in allowed

    def _take(self, limit: int, allowed: frozenset[str] | None) -> list[_Pending]:
        batch: list[_Pending] = []
        kept: list[_Pending] = []
        for entry in self._pending:
            if not self._is_allowed(entry.kind, allowed):
                continue  # Telegram drops updates the bot did not subscribe to
            kept.append(entry)
            if len(batch) < limit:
                batch.append(entry)
                entry.redelivered = False
        self._pending = kept
        return batch

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        before = len(self._pending)
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [p for p in self._pending if p.update_id >= offset or p.redelivered]
        if len(self._pending) != before:
            self._notify()

    # ---------------------------------------------------------------- internals: HTTP

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections[task] = writer
        try:
            while not self._closing:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    break
                request_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
                try:
                    verb, target, version = request_line.split(" ", 2)
                except ValueError:
                    break
                headers: dict[str, str] = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                if headers.get("transfer-encoding", "").lower() == "chunked":
                    body = await _read_chunked(reader)
                else:
                    length = headers.get("content-length") or "0"
                    if not length.isdigit():
                        break
                    body = await reader.readexactly(int(length))
                keep_alive = (
                    version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
                )
                status, content_type, payload = await self._route(verb, target, headers, body)
                reason = _reason(status)
                head_out = (
                    f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                    f"Content-Length: {len(payload)}\r\n"
                )
                if not keep_alive:
                    head_out += "Connection: close\r\n"
                writer.write(head_out.encode() + b"\r\n" + payload)
                await writer.drain()
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client went away, or stop() gave up waiting for this connection
        finally:
            if task is not None:
                self._connections.pop(task, None)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _route(
        self, verb: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, bytes]:
        path, _, query = target.partition("?")
        if path.startswith("/bot"):
            token, _, method = path[4:].partition("/")
            status, answer = await self._api(unquote(token), method, query, headers, body)
            return status, "application/json", _dump(answer)
        if path.startswith("/file/bot") and verb in ("GET", "HEAD"):
            token, _, file_path = path[9:].partition("/")
            stored = self._files_by_path.get(unquote(file_path))
            if unquote(token) != self.token:
                return 401, "application/json", _dump(_error_body(ApiError(401, "Unauthorized")))
            if stored is None:
                return 404, "application/json", _dump(_error_body(ApiError(404, "Not Found")))
            self.stats.requests["<file download>"] += 1
            mime = stored.mime_type or "application/octet-stream"
            return 200, mime, stored.data if verb == "GET" else b""
        if path.startswith("/_fake/"):
            try:
                payload = _dump({"ok": True, "result": self._control(verb, path[7:], query, body)})
            except (LookupError, ValueError, TypeError) as exc:
                return 400, "application/json", _dump({"ok": False, "error": repr(exc)})
            return 200, "application/json", payload
        return 404, "application/json", _dump(_error_body(ApiError(404, "Not Found")))

    async def _api(
        self, token: str, method_name: str, query: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, JSON]:
        found = self._handlers.get(method_name.lower())
        method = found[0] if found else method_name
        self.stats.requests[method] += 1
        params = _Params({}, {})
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if found is None:
                raise ApiError(404, "Not Found")
            params = self._read_params(query, headers.get("content-type", ""), body)
            if self.latency > 0:
                await asyncio.sleep(self.latency)
            chat_id = params.chat_id() if "chat_id" in params.values else None
            self._check_faults(method, chat_id)
            now = asyncio.get_running_loop().time()
            self._check_rate_limits(method, chat_id, now)
            outcome = found[1](params)
            if asyncio.iscoroutine(outcome):
                outcome = await outcome
            self._count_send(method, chat_id, now)
            status, answer = 200, {"ok": True, "result": outcome}
        except ApiError as exc:
            status, answer, outcome = exc.status, _error_body(exc), None
        except Exception:
            trace = traceback.format_exc()
            self.internal_errors.append(trace)
            _LOG.error("fake Telegram crashed on %s:\n%s", method, trace)
            status, answer, outcome = (
                500,
                _error_body(ApiError(500, "Internal Server Error")),
                None,
            )
        self.stats.statuses[status] += 1
        if method != "getUpdates" and self.record_calls:
            raw_chat = params.values.get("chat_id")
            self.sent.append(
                ApiCall(
                    method=method,
                    params=params.values,
                    chat_id=_loose_chat_id(raw_chat),
                    status=status,
                    result=outcome,
                    description=answer.get("description"),
                    files=params.files,
                    at=asyncio.get_running_loop().time(),
                )
            )
        self._notify()
        return status, answer

    @staticmethod
    def _read_params(query: str, content_type: str, body: bytes) -> _Params:
        values = _decode_form(parse_qsl(query, keep_blank_values=True)) if query else {}
        files: dict[str, UploadedFile] = {}
        kind = content_type.partition(";")[0].strip().lower()
        if body:
            if kind == "application/json":
                try:
                    decoded = json.loads(body)
                except ValueError:
                    raise _bad_request("can't parse JSON object") from None
                if not isinstance(decoded, dict):
                    raise _bad_request("can't parse JSON object")
                values.update(decoded)
            elif kind == "multipart/form-data":
                fields, files = _parse_multipart(body, content_type)
                values.update(_decode_form(fields))
            else:
                pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
                values.update(_decode_form(pairs))
        return _Params(values, files)

    def _check_faults(self, method: str, chat_id: int | str | None) -> None:
        for fault in self._faults:
            if fault.method not in (None, method):
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            if fault.status == 429:
                raise _retry_after_error(fault.retry_after)
            description = fault.description or _DEFAULT_DESCRIPTIONS.get(
                fault.status, _reason(fault.status)
            )
            raise ApiError(fault.status, description)
        if isinstance(chat_id, int) and method != "getChat":
            chat = self._chats.get(chat_id)
            if chat is not None and chat.blocked:
                raise ApiError(403, chat.blocked)

    def _check_rate_limits(self, method: str, chat_id: int | str | None, now: float) -> None:
        limits = self.rate_limits
        if limits is None or chat_id is None or method not in limits.methods:
            return
        checks: list[tuple[int | None, float, deque[float]]] = [
            (limits.overall, limits.window, self._rate_overall),
            (limits.per_chat, limits.window, self._rate_chats.setdefault(chat_id, deque())),
        ]
        if isinstance(chat_id, str) or chat_id < 0:
            group = self._rate_groups.setdefault(chat_id, deque())
            checks.append((limits.per_group, limits.group_window, group))
        for limit, window, stamps in checks:
            if limit is None:
                continue
            horizon = now - (window - limits.slack)
            while stamps and stamps[0] <= horizon:
                stamps.popleft()
            if len(stamps) >= limit:
                self.stats.rate_limited += 1
                raise _retry_after_error(max(1, math.ceil(stamps[0] + window - now)))

    def _count_send(self, method: str, chat_id: int | str | None, now: float) -> None:
        if method not in MESSAGE_METHODS:
            return
        peak = self._peak_window
        peak.append(now)
        while peak[0] <= now - 1.0:
            peak.popleft()
        self.stats.peak_messages_per_second = max(self.stats.peak_messages_per_second, len(peak))
        limits = self.rate_limits
        if limits is None or chat_id is None or method not in limits.methods:
            return
        self._rate_overall.append(now)
        self._rate_chats.setdefault(chat_id, deque()).append(now)
        if isinstance(chat_id, str) or chat_id < 0:
            self._rate_groups.setdefault(chat_id, deque()).append(now)

    # ---------------------------------------------------------------- internals: webhook

    async def _webhook_sender(self, webhook: _Webhook) -> None:
        allowed = frozenset(webhook.allowed_updates) if webhook.allowed_updates else None
        headers = {"Content-Type": "application/json"}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        # verify=False: local receivers use self-signed certificates, if any.
        async with httpx.AsyncClient(timeout=10.0, verify=False) as client:
            failures = 0
            while self._webhook is webhook:
                batch = self._take(1, allowed)
                if not batch:
                    event = self._updates_event
                    assert event is not None
                    await event.wait()
                    continue
                entry = batch[0]
                update, update_id = entry.update, entry.update_id
                status: int | None = None
                error: str | None = None
                try:
                    response = await client.post(
                        webhook.url, content=_dump(update), headers=headers
                    )
                    status = response.status_code
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                self.webhook_deliveries.append(
                    WebhookDelivery(update_id, webhook.url, status, error)
                )
                delivered = status is not None and 200 <= status < 300
                if delivered or failures >= 4:
                    failures = 0
                    if not entry.redelivered:  # unless re-queued while in flight
                        self._pending = [p for p in self._pending if p is not entry]
                else:
                    failures += 1
                    await asyncio.sleep(0.05 * failures)
                self._notify()

    def _set_webhook(self, webhook: _Webhook | None) -> None:
        old = self._webhook
        if old is not None and old.task is not None:
            old.task.cancel()
            self._background.add(old.task)
            old.task.add_done_callback(self._background.discard)
        self._webhook = webhook
        if webhook is not None and self.deliver_webhooks:
            webhook.task = asyncio.get_running_loop().create_task(self._webhook_sender(webhook))
        self._pulse()

    # ---------------------------------------------------------------- internals: control API

    def _control(self, verb: str, action: str, query: str, body: bytes) -> Any:
        args: JSON = dict(parse_qsl(query))
        if body:
            args.update(json.loads(body) or {})
        if action == "stats":
            return self.stats.as_dict()
        if action == "reset_stats":
            self.reset_stats()
            return True
        if action == "rate_limits":
            self.rate_limits = (
                None
                if args.get("off")
                else RateLimits(**{k: v for k, v in args.items() if k != "methods"})
            )
            if self.rate_limits is None:
                return None
            return {**asdict(self.rate_limits), "methods": sorted(self.rate_limits.methods)}
        if action == "latency":
            self.latency = float(args["seconds"])
            return self.latency
        if action == "send_text":
            user = self.user(
                int(args["user_id"]),
                args.get("first_name", "Élève"),
                args.get("language_code", "fr"),
            )
            return user.send_text(str(args["text"]))
        if action == "press":
            user = self.user(
                int(args["user_id"]),
                args.get("first_name", "Élève"),
                args.get("language_code", "fr"),
            )
            return user.press(
                int(args["message_id"]),
                args.get("callback_data"),
                strict=bool(args.get("strict", True)),
            )
        if action == "messages":
            return self.messages(int(args["chat_id"]))
        if action == "sent":
            since = int(args.get("since", 0))
            return [
                {
                    "method": c.method,
                    "chat_id": c.chat_id,
                    "status": c.status,
                    "description": c.description,
                    "params": {k: v for k, v in c.params.items()},
                    "result": c.result,
                }
                for c in self.sent[since:]
            ]
        if action == "fail_next":
            self.fail_next(
                args.get("method"),
                int(args.get("status", 429)),
                int(args.get("retry_after", 1)),
                int(args.get("times", 1)),
                args.get("chat_id"),
                args.get("description"),
            )
            return True
        if action == "block":
            self.block(int(args["chat_id"]))
            return True
        raise LookupError(f"unknown control action {verb} /_fake/{action}")

    # ---------------------------------------------------------------- Bot API methods

    def _api_methods(self) -> dict[str, Callable[[_Params], Any]]:
        return {
            "getMe": self._get_me,
            "logOut": lambda p: True,
            "close": lambda p: True,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook_method,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_my_description,
            "setMyShortDescription": self._set_my_description,
            "setChatMenuButton": lambda p: True,
            "getChat": self._get_chat,
            "getFile": self._get_file,
            "sendPoll": self._send_poll,
            "stopPoll": self._stop_poll,
            "getChatMember": self._get_chat_member,
            "getChatMemberCount": self._get_chat_member_count,
        }

    def _get_me(self, p: _Params) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, p: _Params) -> list[JSON]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        limit = min(max(p.integer("limit") or 100, 1), 100)
        timeout = max(p.number("timeout") or 0.0, 0.0)
        allowed = p.obj("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list):
                raise _bad_request("can't parse allowed_updates JSON object")
            self._allowed_updates = frozenset(allowed) or None
        self._confirm(p.integer("offset"))
        # A new poll ends the one still waiting, exactly like Telegram's 409.
        self._poll_generation += 1
        generation = self._poll_generation
        self._pulse()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, _DEFAULT_DESCRIPTIONS[409])
            batch = self._take(limit, self._allowed_updates)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing:
                return [entry.update for entry in batch]
            event = self._updates_event
            assert event is not None
            self.waiting_polls += 1
            self._notify()
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                pass
            finally:
                self.waiting_polls -= 1

    def _set_webhook_method(self, p: _Params) -> bool:
        url = p.text("url") or ""
        if p.flag("drop_pending_updates"):
            self._pending.clear()
        if not url:
            self._set_webhook(None)
            return True
        parsed = urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise _bad_request("bad webhook: Failed to resolve host: Name or service not known")
        allowed = p.obj("allowed_updates")
        if allowed is not None:
            self._allowed_updates = frozenset(allowed) or None
        self._set_webhook(
            _Webhook(
                url=url,
                secret_token=p.text("secret_token"),
                max_connections=p.integer("max_connections") or 40,
                allowed_updates=list(self._allowed_updates) if self._allowed_updates else None,
            )
        )
        return True

    def _delete_webhook(self, p: _Params) -> bool:
        if p.flag("drop_pending_updates"):
            self._pending.clear()
        if self._webhook is not None:
            self._set_webhook(None)
        return True

    def _get_webhook_info(self, p: _Params) -> JSON:
        info: JSON = {
            "url": self._webhook.url if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook is not None:
            info["max_connections"] = self._webhook.max_connections
            if self._webhook.allowed_updates:
                info["allowed_updates"] = self._webhook.allowed_updates
        return info

    def _new_bot_message(self, p: _Params) -> tuple[_Chat, JSON]:
        chat = self._chat_for_bot(p.chat_id())
        reply_to = p.integer("reply_to_message_id")
        parameters = p.obj("reply_parameters")
        if isinstance(parameters, dict) and "message_id" in parameters:
            reply_to = int(parameters["message_id"])
        message: JSON = {
            "message_id": 0,
            "from": self.bot_user,
            "chat": chat.info,
            "date": self._now(),
        }
        if reply_to is not None:
            replied = chat.messages.get(reply_to)
            if replied is not None:
                message["reply_to_message"] = {
                    k: v for k, v in replied.items() if k != "reply_to_message"
                }
            elif not (
                isinstance(parameters, dict) and parameters.get("allow_sending_without_reply")
            ):
                raise _bad_request("message to be replied not found")
        return chat, message

    def _finish_message(self, chat: _Chat, message: JSON, markup: JSON | None) -> JSON:
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        message["message_id"] = self._next_message_id(chat)
        chat.messages[message["message_id"]] = message
        return message

    def _caption(self, p: _Params, message: JSON) -> None:
        caption = p.text("caption")
        if caption is None:
            return
        text, entities = _apply_parse_mode(
            caption, p.text("parse_mode"), p.obj("caption_entities")
        )
        if _utf16_len(text) > MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        if text:
            message["caption"] = text
        if entities:
            message["caption_entities"] = entities

    @staticmethod
    def _message_text(p: _Params) -> tuple[str, list[JSON]]:
        raw = p.text("text")
        if raw is None or not raw.strip():
            raise _bad_request("message text is empty")
        text, entities = _apply_parse_mode(raw, p.text("parse_mode"), p.obj("entities"))
        if not text.strip():
            raise _bad_request("message text is empty")
        if _utf16_len(text) > MAX_TEXT_LENGTH:
            raise _bad_request("message is too long")
        return text, entities

    def _send_message(self, p: _Params) -> JSON:
        chat, message = self._new_bot_message(p)
        text, entities = self._message_text(p)
        markup = _check_reply_markup(p.obj("reply_markup"))
        message["text"] = text
        if entities:
            message["entities"] = entities
        if p.raw("link_preview_options") is not None:
            message["link_preview_options"] = p.obj("link_preview_options")
        return self._finish_message(chat, message, markup)

    def _input_file(self, p: _Params, name: str, kind: str) -> StoredFile:
        upload = p.files.get(name)
        value = p.raw(name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = p.files.get(value.removeprefix("attach://"))
        if upload is not None:
            if not upload.data:
                raise _bad_request("file must be non-empty")
            return self.add_file(
                upload.data, kind=kind, file_name=upload.filename, mime_type=upload.content_type
            )
        if isinstance(value, str) and value:
            if value in self.files:
                return self.files[value]
            if value.startswith(("http://", "https://")):
                name_part = value.rsplit("/", 1)[-1] or None
                return self.add_file(b"", kind=kind, file_name=name_part)
            raise _bad_request("wrong file identifier/HTTP URL specified")
        raise _bad_request(f"there is no {name} in the request")

    def _photo_size(self, stored: StoredFile) -> JSON:
        width, height = _image_size(stored.data) or (0, 0)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "width": width,
            "height": height,
        }

    def _send_photo(self, p: _Params) -> JSON:
        chat, message = self._new_bot_message(p)
        upload = p.files.get("photo")
        if upload is not None and _image_size(upload.data) is None:
            raise _bad_request("IMAGE_PROCESS_FAILED")
        stored = self._input_file(p, "photo", "photos")
        message["photo"] = [self._photo_size(stored)]
        self._caption(p, message)
        return self._finish_message(chat, message, _check_reply_markup(p.obj("reply_markup")))

    def _send_document(self, p: _Params) -> JSON:
        chat, message = self._new_bot_message(p)
        stored = self._input_file(p, "document", "documents")
        document: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        message["document"] = document
        self._caption(p, message)
        return self._finish_message(chat, message, _check_reply_markup(p.obj("reply_markup")))

    def _message_to_edit(self, p: _Params) -> tuple[_Chat, JSON]:
        if p.raw("inline_message_id") is not None:
            raise _bad_request("MESSAGE_ID_INVALID")
        chat = self._chat_for_bot(p.chat_id())
        message = chat.messages.get(p.required_int("message_id"))
        if message is None:
            raise _bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad_request("message can't be edited")
        return chat, message

    def _replace(self, chat: _Chat, old: JSON, changes: JSON, markup: JSON | None) -> JSON:
        """Store the edited copy (old dicts stay untouched: they are in ``sent`` records)."""
        new = {k: v for k, v in old.items() if k not in ("reply_markup", "edit_date")}
        new.update(changes)
        for key in ("entities", "caption_entities"):
            if key in changes and not changes[key]:
                new.pop(key)
        if markup is not None and "inline_keyboard" in markup:
            new["reply_markup"] = markup
        comparable = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if all(new.get(k) == old.get(k) for k in comparable):
            raise _bad_request(_NOT_MODIFIED.removeprefix("Bad Request: "))
        new["edit_date"] = self._now()
        chat.messages[new["message_id"]] = new
        return new

    def _edit_message_text(self, p: _Params) -> JSON:
        chat, message = self._message_to_edit(p)
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        text, entities = self._message_text(p)
        markup = _check_reply_markup(p.obj("reply_markup"))
        return self._replace(chat, message, {"text": text, "entities": entities}, markup)

    def _edit_message_caption(self, p: _Params) -> JSON:
        chat, message = self._message_to_edit(p)
        if "text" in message:
            raise _bad_request("there is no caption in the message to edit")
        changes: JSON = {}
        self._caption(p, changes)
        changes.setdefault("caption", None)
        changes.setdefault("caption_entities", [])
        markup = _check_reply_markup(p.obj("reply_markup"))
        edited = self._replace(chat, message, changes, markup)
        if edited.get("caption") is None:
            edited.pop("caption", None)
        return edited

    def _edit_message_reply_markup(self, p: _Params) -> JSON:
        chat, message = self._message_to_edit(p)
        markup = _check_reply_markup(p.obj("reply_markup"))
        return self._replace(chat, message, {}, markup)

    def _delete_message(self, p: _Params) -> bool:
        chat = self._chat_for_bot(p.chat_id())
        message_id = p.required_int("message_id")
        if chat.messages.pop(message_id, None) is None:
            raise _bad_request("message to delete not found")
        return True

    def _answer_callback_query(self, p: _Params) -> bool:
        query_id = p.text("callback_query_id") or ""
        query = self._queries.get(query_id)
        if query is None or query.answered:
            raise _bad_request(_QUERY_TOO_OLD.removeprefix("Bad Request: "))
        text = p.text("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        self.callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                text=text,
                show_alert=p.flag("show_alert"),
                url=p.text("url"),
                cache_time=p.integer("cache_time"),
                user_id=query.user_id,
                chat_id=query.chat_id,
                message_id=query.message_id,
                data=query.data,
            )
        )
        return True

    def _send_chat_action(self, p: _Params) -> bool:
        self._chat_for_bot(p.chat_id())
        if p.text("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    @staticmethod
    def _language(p: _Params) -> str:
        language = p.text("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad_request("invalid language code specified")
        return language

    def _set_my_commands(self, p: _Params) -> bool:
        commands = p.obj("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("can't parse commands JSON object")
        cleaned: list[JSON] = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad_request("can't parse BotCommand JSON object")
            name = command.get("command")
            description = command.get("description")
            if not isinstance(name, str) or not _COMMAND_NAME_RE.fullmatch(name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = (_scope_key(p.obj("scope")), self._language(p))
        if cleaned:
            self.my_commands[key] = cleaned
        else:
            self.my_commands.pop(key, None)
        return True

    def _get_my_commands(self, p: _Params) -> list[JSON]:
        key = (_scope_key(p.obj("scope")), self._language(p))
        return self.my_commands.get(key, [])

    def _delete_my_commands(self, p: _Params) -> bool:
        self.my_commands.pop((_scope_key(p.obj("scope")), self._language(p)), None)
        return True

    def _set_my_description(self, p: _Params) -> bool:
        text = p.text("description") or p.text("short_description") or ""
        self.my_descriptions[("description", self._language(p))] = text
        return True

    def _get_chat(self, p: _Params) -> JSON:
        chat = self._chat_for_bot(p.chat_id())
        return {**chat.info, "accent_color_id": 0, "max_reaction_count": 11}

    def _bot_member(self, chat_id: int) -> JSON:
        if chat_id > 0:
            return {"user": self.bot_user, "status": "member"}
        return copy.deepcopy(
            self.bot_members.get(chat_id, {"user": self.bot_user, "status": "member"})
        )

    def _send_poll(self, p: _Params) -> JSON:
        chat, message = self._new_bot_message(p)
        member = self._bot_member(int(chat.info["id"]))
        if member["status"] == "restricted" and not (
            member.get("can_send_messages") and member.get("can_send_polls")
        ):
            raise _bad_request("not enough rights to send polls to the chat")
        options = _poll_options(p.obj("options"))
        kind, correct = _check_poll(p, options)
        period = p.number("open_period")
        poll_id = str(next(self._poll_ids))
        poll: JSON = {
            "id": poll_id,
            "question": p.text("question"),
            "options": [
                {"text": text, "voter_count": 0, "persistent_id": f"{poll_id}-{i}"}
                for i, text in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": p.raw("is_anonymous") is None or p.flag("is_anonymous"),
            "type": kind,
            "allows_multiple_answers": p.flag("allows_multiple_answers"),
            "allows_revoting": False,
            "members_only": False,
        }
        if kind == "quiz":
            poll["correct_option_ids"] = correct  # Bot API 9.6 dropped correct_option_id
        if p.text("explanation"):
            poll["explanation"] = p.text("explanation")
        if period is not None:
            poll["open_period"] = int(period)
        message["poll"] = poll
        markup = _check_reply_markup(p.obj("reply_markup"))
        finished = self._finish_message(chat, message, markup)
        closes_at = None if period is None else self._loop_time() + period
        self.polls[poll_id] = _Poll(poll, int(chat.info["id"]), finished["message_id"], closes_at)
        return copy.deepcopy(finished)

    def _stop_poll(self, p: _Params) -> JSON:
        chat = self._chat_for_bot(p.chat_id())
        message = chat.messages.get(p.required_int("message_id"))
        if message is None:
            raise _bad_request("message to stop poll not found")
        if "poll" not in message:
            raise _bad_request("message with poll to stop not found")
        poll = self.polls[message["poll"]["id"]]
        if poll.is_closed(self._loop_time()):
            raise _bad_request("poll has already been closed")
        poll.poll["is_closed"] = True
        return copy.deepcopy(poll.poll)

    def _get_chat_member(self, p: _Params) -> JSON:
        chat = self._chat_for_bot(p.chat_id())
        chat_id = int(chat.info["id"])
        user_id = p.required_int("user_id")
        if user_id == self.bot_id:
            return self._bot_member(chat_id)
        members = self.group_members.get(chat_id, {})
        if chat_id > 0 and user_id == chat_id:
            return {
                "user": {"id": user_id, "is_bot": False, "first_name": "?"},
                "status": "member",
            }
        if user_id not in members:
            raise (
                _bad_request("user not found") if chat_id > 0 else _bad_request("member not found")
            )
        return {"user": members[user_id], "status": "member"}

    def _get_chat_member_count(self, p: _Params) -> int:
        chat = self._chat_for_bot(p.chat_id())
        chat_id = int(chat.info["id"])
        if chat_id > 0:
            return 2
        return len(self.group_members.get(chat_id, {})) + 1  # and the bot

    def _get_file(self, p: _Params) -> JSON:
        stored = self.files.get(p.text("file_id") or "")
        if stored is None:
            raise _bad_request("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise _bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }


#: The fields of ChatMemberAdministrator and ChatMemberRestricted (Bot API 10.0).
_ADMIN_RIGHTS: Final = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
_RESTRICTED_RIGHTS: Final = (
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_send_messages",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_manage_topics",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_edit_tag",
    "can_react_to_messages",
)

# Telegram's limits on polls (Bot API sendPoll).
MIN_POLL_OPTIONS: Final = 2
MAX_POLL_OPTIONS: Final = 12
MAX_POLL_QUESTION: Final = 300
MAX_POLL_OPTION: Final = 100
MAX_POLL_EXPLANATION: Final = 200
MIN_OPEN_PERIOD: Final = 5
MAX_OPEN_PERIOD: Final = 600


def _poll_options(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        raise _bad_request("can't parse options JSON object")
    texts = []
    for option in raw:
        text = option.get("text") if isinstance(option, dict) else option
        if not isinstance(text, str):
            raise _bad_request("can't parse options JSON object")
        texts.append(text)
    return texts


def _check_poll(p: _Params, options: list[str]) -> tuple[str, list[int]]:
    """Telegram's checks of a sendPoll; the poll type and its correct option ids."""
    question = p.text("question") or ""
    if not question.strip():
        raise _bad_request("poll question must be non-empty")
    if _utf16_len(question) > MAX_POLL_QUESTION:
        raise _bad_request("poll question length must not exceed 300")
    if len(options) < MIN_POLL_OPTIONS:
        raise _bad_request("poll must have at least 2 option")
    if len(options) > MAX_POLL_OPTIONS:
        raise _bad_request("poll can't have more than 12 options")
    if any(not o.strip() or _utf16_len(o) > MAX_POLL_OPTION for o in options):
        raise _bad_request("poll options length must not exceed 100")
    if len(set(options)) != len(options):
        raise _bad_request("poll options must be unique")
    kind = p.text("type") or "regular"
    if kind not in ("regular", "quiz"):
        raise _bad_request("wrong poll type specified")
    raw_ids = p.obj("correct_option_ids")
    if raw_ids is None and p.raw("correct_option_id") is not None:
        raw_ids = [p.integer("correct_option_id")]
    correct: list[int] = []
    if kind == "quiz":
        if not isinstance(raw_ids, list) or not raw_ids:
            raise _bad_request("wrong correct option ID specified")
        correct = [int(i) for i in raw_ids]
        if any(not 0 <= i < len(options) for i in correct):
            raise _bad_request("wrong correct option ID specified")
    explanation = p.text("explanation")
    if explanation is not None and (
        _utf16_len(explanation) > MAX_POLL_EXPLANATION or explanation.count("\n") > 2
    ):
        raise _bad_request("explanation is too long")
    period = p.number("open_period")
    if period is not None and not MIN_OPEN_PERIOD <= period <= MAX_OPEN_PERIOD:
        raise _bad_request("wrong open period specified")
    return kind, correct


def _loose_chat_id(value: Any) -> int | str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value)
        return value
    return None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _error_body(exc: ApiError) -> JSON:
    body: JSON = {"ok": False, "error_code": exc.status, "description": exc.description}
    if exc.parameters:
        body["parameters"] = exc.parameters
    return body


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if value is not None else ""
    return text if len(text) <= 120 else text[:117] + "..."


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        match = _CHUNK_SIZE_RE.match(size_line)
        size = int(match.group(0), 16) if match else 0
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)


# --------------------------------------------------------------------------------------------
# Standalone mode
# --------------------------------------------------------------------------------------------


async def _run_standalone(args: argparse.Namespace) -> None:
    limits = None
    if args.rate_limits:
        limits = RateLimits(overall=args.overall or None, per_chat=args.per_chat or None)
    tg = FakeTelegram(
        args.token,
        host=args.host,
        port=args.port,
        latency=args.latency,
        rate_limits=limits,
        record_calls=not args.no_record,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with tg:
        print(tg.port, flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.support.fake_telegram --port N``: serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed)")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per call")
    parser.add_argument("--rate-limits", action="store_true", help="answer 429 above limits")
    parser.add_argument("--overall", type=int, default=30, help="messages/s overall")
    parser.add_argument("--per-chat", type=int, default=1, help="messages/s per chat")
    parser.add_argument("--no-record", action="store_true", help="do not keep every call")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run_standalone(args))


if __name__ == "__main__":
    main()
