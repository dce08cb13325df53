"""The bot's work per answer, counted: Bot API requests and Python calls, both engines.

The benchmark's « bot CPU ms per update » (``bench/bot_throughput.py``) moves with the machine's
load; these counts do not (they vary by about 1 % from run to run), so they hold the answer
path's cost the way ``tests/services/test_study_statements.py`` holds its statements. Counted:
every Python function call made while the answers are handled, in the event loop and in the
worker threads, in the bot's own code and in its libraries (python-telegram-bot, httpx,
SQLAlchemy, the database driver…); not the standard library (shared with the fake Bot API
server, which runs in the same process) and not the fake itself.

What the counts showed (docs/performance.md, « Where the CPU per answer went »): since
c26b5bf a typed answer costs one more Bot API request, the « Stop » of the question answered
taken away (issue 16: old buttons must not pile up), and that request is 2/5 of the calls of
a typed answer; everything else stayed within 3 %. A new request per answer, or a handler that
grows, fails here first.
"""

from __future__ import annotations

import collections
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType

import pytest
from sqlalchemy import Engine

from bot.config import Settings
from bot.services.container import build_services
from bot.tg.app import build_application, running
from tests.reliability.support import choice_deck, open_deck
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import FAST, STUDENT_ID, buttons, last_id

#: A long poll longer than the test: no empty poll is counted, however slow the machine.
STILL = replace(FAST, poll_timeout=10.0)
ANSWERS = 12

#: Python calls per typed answer (verdict and next question sent, the answered question's
#: « Stop » taken away), measured 6,190 on SQLite and 7,250 on PostgreSQL (psycopg's own
#: Python): each budget leaves about 10 %.
TYPED_CALLS = {"sqlite": 6_800, "postgresql": 8_000}
#: Per button answer (the press answered, the message edited into the verdict and the next
#: question): measured 5,880 and 6,950 (the budgets leave about 9 %).
BUTTON_CALLS = {"sqlite": 6_400, "postgresql": 7_600}

#: Bot API requests per answer, exactly.
TYPED_REQUESTS = {"sendMessage": 1, "editMessageReplyMarkup": 1}
BUTTON_REQUESTS = {"answerCallbackQuery": 1, "editMessageText": 1}


def _package(path: str) -> str:
    return path.split("site-packages/")[1].split("/")[0] if "site-packages/" in path else "bot"


def _counted(path: str) -> bool:
    """The bot's code and its libraries; not the standard library nor the tests' fake."""
    return ("site-packages" in path or "/bot/" in path) and "/tests/" not in path


class CallCounter:
    """Python calls in every thread between :meth:`start` and :meth:`stop`, by top-level
    package. Installed (``installed``) before the bot starts, so that its worker threads
    get it too."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self._on = False

    def _profile(self, frame: FrameType, event: str, arg: object) -> None:
        if self._on and event == "call":
            path = frame.f_code.co_filename
            if _counted(path):
                self.counts[_package(path)] += 1

    @contextmanager
    def installed(self) -> Iterator[CallCounter]:
        threading.setprofile(self._profile)
        sys.setprofile(self._profile)
        try:
            yield self
        finally:
            sys.setprofile(None)
            threading.setprofile(None)

    def start(self) -> None:
        self.counts.clear()
        self._on = True

    def stop(self) -> int:
        self._on = False
        return sum(self.counts.values())


@pytest.fixture
def deck_yaml(request: pytest.FixtureRequest) -> str:
    return choice_deck(60) if "button" in request.node.name else open_deck(60)


@pytest.fixture
def bot_settings(bot_settings: Settings) -> Settings:
    return bot_settings.model_copy(update={"new_cards_per_day": 500})


def _requests(tg: FakeTelegram) -> collections.Counter[str]:
    return collections.Counter(c.method for c in tg.calls())


def _engine(settings: Settings) -> str:
    return "sqlite" if settings.database_url.startswith("sqlite") else "postgresql"


async def _answer_typed(tg: FakeTelegram, student: FakeUser, n: int) -> None:
    mark = last_id(tg, student)
    student.send_text(str(1900 + n) if n % 3 else "1800")  # now and then wrong
    await student.wait_for_message("événement", after=mark)


async def _answer_button(tg: FakeTelegram, student: FakeUser, n: int) -> None:
    question = student.messages()[-1]
    found = re.search(r"combien font (\d+) \+", question["text"])
    assert found is not None
    right = 2 * int(found[1])
    student.press(
        question, buttons(question)[str(right if n % 3 else right + 1)]
    )  # now and then wrong
    await tg.wait_for_message(
        student.chat_id,
        "combien",
        where=lambda m: (
            m["message_id"] == question["message_id"] and m["text"] != question["text"]
        ),
    )


async def _measure(
    tg: FakeTelegram, settings: Settings, bot_engine: Engine, *, typed: bool
) -> tuple[float, dict[str, float]]:
    """Python calls and Bot API requests per answer, over ``ANSWERS`` answers after four of
    warm-up (caches, compiled statements, the first connections)."""
    student = tg.user(STUDENT_ID, "Léa", "fr")
    answer = _answer_typed if typed else _answer_button
    app = build_application(settings, build_services(settings, bot_engine), tuning=STILL)
    with CallCounter().installed() as counter:
        async with running(app):
            mark = last_id(tg, student)
            student.send_command("/quiz")
            await student.wait_for_message("événement" if typed else "combien", after=mark)
            for n in range(4):
                await answer(tg, student, n)
            expected = TYPED_REQUESTS if typed else BUTTON_REQUESTS
            windows: list[tuple[int, collections.Counter[str]]] = []
            # Two windows, the fewer calls kept: what runs beside the answers in other threads
            # (the pool, the job queue) only ever adds calls, and now and then 10 % of them.
            for start in (4, 4 + ANSWERS):
                before = _requests(tg)
                counter.start()
                for n in range(start, start + ANSWERS):
                    await answer(tg, student, n)
                # The last answer's requests all made (a typed answer's « Stop » goes after
                # the reply), so that the window holds exactly ANSWERS answers.
                await tg.wait_for(
                    lambda before=before: all(
                        (_requests(tg) - before)[k] >= v * ANSWERS for k, v in expected.items()
                    ),
                    what="the last answer's requests",
                )
                windows.append((counter.stop(), _requests(tg) - before))
            calls, sent = min(windows, key=lambda w: w[0])
    print(f"per answer: {calls / ANSWERS:.0f} calls; by package {dict(counter.counts)}")
    return calls / ANSWERS, {k: v / ANSWERS for k, v in sent.items()}


@pytest.mark.parametrize("way", ["typed", "button"])
async def test_an_answer_costs_two_requests_and_its_budget_of_calls(
    way: str, tg: FakeTelegram, bot_settings: Settings, bot_engine: Engine
) -> None:
    typed = way == "typed"
    calls, sent = await _measure(tg, bot_settings, bot_engine, typed=typed)
    assert sent == (TYPED_REQUESTS if typed else BUTTON_REQUESTS)
    budget = TYPED_CALLS if typed else BUTTON_CALLS
    assert calls <= budget[_engine(bot_settings)], calls
