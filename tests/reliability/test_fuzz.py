"""Fuzzing the text handler and every other entry: random updates of every kind.

Hypothesis makes updates in Telegram's JSON shape and feeds them to the real Application
(``process_update``: the production wiring, replies over HTTP to the fake Telegram): any text
(empty, 4096 characters, control characters, right-to-left, emoji), commands with junk
arguments, unknown commands, edited messages, group messages, stickers, photos, voice notes,
files and locations from students, random button data. Each gets a sensible reply or silence:
the error handler is hooked and must never have been called.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.config import Settings
from bot.tg.context import BotApplication
from tests.reliability.conftest import BOTH_ENGINES, FakeClock
from tests.reliability.support import ErrorSpy, open_deck
from tests.tg.harness import STUDENT_ID

JSON = dict[str, Any]

COMMANDS = [
    "start",
    "quiz",
    "stats",
    "reglages",
    "settings",
    "decks",
    "annuler",
    "undo",
    "pause",
    "reprendre",
    "oublier",
    "aide",
    "help",
    "recharger",
    "classe",
    "export",
    "inconnue",
    "x" * 32,
]
#: Characters that break naive code: NUL and other controls, bidi overrides, zero-width ones,
#: a BOM, combining marks, emoji sequences, a line separator.
ODD = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u202e",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\u0301",
    "\u2028",
    "👩‍👩‍👧",
    "🇫🇷",
    "ﷺ",
    "שלום",
    "مرحبا",
    "%s%n{0}{name}",
    "<b>",
    "*_`[",
    "'; DROP TABLE reviews; --",
    "1e308",
    "2,5",
]
#: Callback data prefixes of the bot's buttons (see bot.tg.keyboards).
PREFIXES = ["a", "x", "go", "later", "tz", "tzo", "rt", "rto", "nc", "lg", "dk", "dkok", "set"]
PREFIXES += ["fg", "csv"]
KINDS = ["text", "text", "command", "edited", "group", "sticker", "photo", "voice", "document"]
KINDS += ["location", "callback"]
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
ANY_CHAR = st.characters(exclude_categories=SURROGATES)  # Telegram sends valid UTF-8 only
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.lists(st.one_of(st.sampled_from(ODD), st.text(ANY_CHAR, max_size=4)), max_size=12).map(
        "".join
    ),
    st.text(ANY_CHAR, min_size=4000, max_size=4096),
    st.sampled_from(["", " ", "\u200b", "x" * 4096, "🙂" * 2048]),
)
CALLBACK_DATA = st.one_of(
    st.text(ANY_CHAR, max_size=64),
    st.tuples(
        st.sampled_from(PREFIXES),
        st.lists(st.text(ANY_CHAR, max_size=12), max_size=3),
    ).map(lambda parts: ":".join([parts[0], *parts[1]])),
)


class Forge:
    """Updates in Telegram's JSON shape, as the Bot API would deliver them."""

    def __init__(self) -> None:
        self.update_ids = itertools.count(900_000)
        self.message_ids = itertools.count(500_000)

    @staticmethod
    def user(user_id: int, name: str = "Fuzz") -> JSON:
        return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "fr"}

    def message(self, user_id: int, chat: JSON, *, name: str = "Fuzz", **content: Any) -> JSON:
        return {
            "message_id": next(self.message_ids),
            "from": self.user(user_id, name),
            "chat": chat,
            "date": int(time.time()),
            **content,
        }

    @staticmethod
    def private(user_id: int) -> JSON:
        return {"id": user_id, "type": "private", "first_name": "Fuzz"}

    def update(self, kind: str, payload: JSON) -> JSON:
        return {"update_id": next(self.update_ids), kind: payload}


def text_content(text: str) -> JSON:
    content: JSON = {"text": text}
    if text.startswith("/"):
        command = text.split()[0] if text.split() else text
        length = len(command.encode("utf-16-le")) // 2
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return content


@st.composite
def updates(draw: st.DrawFn, forge: Forge, users: list[int]) -> JSON:
    """One update of any kind from one of ``users``."""
    user_id = draw(st.sampled_from(users))
    chat = forge.private(user_id)
    sender = draw(st.one_of(st.just("Fuzz"), TEXTS.map(lambda t: t[:64] or "?")))
    kind = draw(st.sampled_from(KINDS))
    file = {"file_id": f"F{draw(st.integers(0, 10**6))}", "file_unique_id": "U1"}
    if kind == "text":
        return forge.update(
            "message", forge.message(user_id, chat, name=sender, **text_content(draw(TEXTS)))
        )
    if kind == "command":
        name = draw(st.sampled_from(COMMANDS))
        junk = draw(st.one_of(st.just(""), TEXTS.map(lambda t: " " + t[:200])))
        mention = draw(st.sampled_from(["", "@quizbot_test_bot", "@autre_bot"]))
        return forge.update(
            "message",
            forge.message(user_id, chat, name=sender, **text_content(f"/{name}{mention}{junk}")),
        )
    if kind == "edited":
        edited = forge.message(user_id, chat, name=sender, **text_content(draw(TEXTS)))
        edited["edit_date"] = edited["date"]
        return forge.update("edited_message", edited)
    if kind == "group":
        group = {"id": -1001234, "type": draw(st.sampled_from(["group", "supergroup"]))}
        group["title"] = "Classe"
        text = draw(st.one_of(TEXTS, st.sampled_from(COMMANDS).map(lambda c: "/" + c)))
        return forge.update(
            "message", forge.message(user_id, group, name=sender, **text_content(text))
        )
    if kind == "sticker":
        sticker = {**file, "type": "regular", "width": 512, "height": 512}
        sticker |= {"is_animated": False, "is_video": False, "emoji": "🙂"}
        return forge.update("message", forge.message(user_id, chat, name=sender, sticker=sticker))
    if kind == "photo":
        photo = [{**file, "width": 90, "height": 90, "file_size": 1000}]
        caption = draw(st.one_of(st.none(), TEXTS.map(lambda t: t[:1024])))
        extra = {} if caption is None else {"caption": caption}
        return forge.update(
            "message", forge.message(user_id, chat, name=sender, photo=photo, **extra)
        )
    if kind == "voice":
        voice = {**file, "duration": draw(st.integers(0, 3600)), "mime_type": "audio/ogg"}
        return forge.update("message", forge.message(user_id, chat, name=sender, voice=voice))
    if kind == "document":
        file_name = draw(st.one_of(st.none(), st.text(ANY_CHAR, max_size=30)))
        document = {**file, "file_size": draw(st.integers(0, 10**9))}
        if file_name is not None:
            document["file_name"] = file_name
        return forge.update(
            "message", forge.message(user_id, chat, name=sender, document=document)
        )
    if kind == "location":
        location = {"latitude": 48.85, "longitude": 2.35}
        return forge.update(
            "message", forge.message(user_id, chat, name=sender, location=location)
        )
    shown = {"message_id": draw(st.integers(1, 50)), "chat": chat, "date": 0}
    query = {
        "id": str(draw(st.integers(1, 10**18))),
        "from": forge.user(user_id, sender),
        "message": shown,
        "chat_instance": "1",
        "data": draw(CALLBACK_DATA),
    }
    return forge.update("callback_query", query)


FORGE = Forge()
FUZZ_USERS = [STUDENT_ID, STUDENT_ID + 1, STUDENT_ID + 2]


@pytest.fixture
def deck_yaml() -> str:
    return open_deck(300)


@pytest.fixture
def bot_settings(bot_settings: Settings) -> Settings:
    return bot_settings.model_copy(update={"new_cards_per_day": 500})


@pytest.fixture
async def started(app: BotApplication, spy: ErrorSpy) -> AsyncIterator[BotApplication]:
    """The bot initialised and its questions imported, fed by hand (no polling); one of the
    fuzzing students has an open question, so that their texts are graded."""
    async with app:
        assert app.post_init is not None
        await app.post_init(app)
        chat = FORGE.private(STUDENT_ID)
        await process(
            app, FORGE.update("message", FORGE.message(STUDENT_ID, chat, **text_content("/quiz")))
        )
        yield app


async def process(app: BotApplication, data: JSON) -> None:
    await app.process_update(Update.de_json(data, app.bot))


@BOTH_ENGINES
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every run: CI stays green or red, not flaky
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_any_update_gets_a_reply_or_silence_never_an_error(
    started: BotApplication, spy: ErrorSpy, clock: FakeClock, data: st.DataObject
) -> None:
    update = data.draw(updates(FORGE, FUZZ_USERS))
    clock.advance(60)  # the flood guard is not what is tested here
    await process(started, update)
    assert not spy.calls, spy.describe()


#: What the fuzzer found once (PostgreSQL refuses NUL in text) and a few classics, every run.
NASTY = ["19\x0001", "\x00", "/start \x00", "a\u202eb" * 10, "x" * 4096, "", "/quiz@autre_bot"]


@BOTH_ENGINES
async def test_known_nasty_inputs(
    started: BotApplication, spy: ErrorSpy, clock: FakeClock
) -> None:
    chat = FORGE.private(STUDENT_ID)
    for text in NASTY:
        clock.advance(60)
        await process(
            started, FORGE.update("message", FORGE.message(STUDENT_ID, chat, **text_content(text)))
        )
    for name in ("Na\x00me", "\u202eémoji 👩‍👩‍👧", "x" * 64):
        clock.advance(60)
        other = FORGE.private(STUDENT_ID + 9)
        message = FORGE.message(STUDENT_ID + 9, other, name=name, **text_content("/start"))
        await process(started, FORGE.update("message", message))
    assert not spy.calls, spy.describe()
