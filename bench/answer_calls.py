"""Benchmark (run by hand): Python calls and Bot API requests per typed answer, for the tree on
``PYTHONPATH``, so that two trees can be compared without the machine's noise::

    PYTHONPATH=<tree> .venv/bin/python bench/answer_calls.py [--answers 30]

Run from the tree itself (``cd <tree>``) for its test helpers. It drives the real bot
(``build_application``) against the fake Bot API, as ``tests/tg/test_answer_cost.py`` does
(the budget held in CI), with an open-question deck on SQLite and the per-student flood limit
lifted; it prints the calls per answer by package (every thread; the standard library and the
fake left out), the Bot API requests per answer, and the study service's own calls per answer
(``answer_open_and_next`` under cProfile, without the front end).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import datetime as dt
import pstats
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType

# The tree's own test helpers; appended, so that PYTHONPATH=<other tree> still wins (A/B).
sys.path.append(str(Path(__file__).resolve().parents[1]))

from bot.db.engine import make_engine, make_session_factory
from bot.db.models import Base
from bot.services.container import build_services
from bot.services.study import StudyService
from bot.tg import flood
from bot.tg.app import build_application, running
from tests.reliability.support import open_deck
from tests.services.test_study import NOW, add_deck, add_review_card, add_user
from tests.support.fake_telegram import FakeTelegram
from tests.tg.harness import FAST, last_id, make_schema, make_settings

flood.FloodLimits.__init__.__defaults__ = (1e9, 1e9, 1_000_000, 10_000)  # as bot_throughput


def _package(path: str) -> str | None:
    if "/tests/" in path:
        return None
    if "site-packages/" in path:
        return path.split("site-packages/")[1].split("/")[0]
    return "bot" if "/bot/" in path else None


async def through_the_bot(answers: int) -> None:
    counts: collections.Counter[str] = collections.Counter()
    on = False

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if on and event == "call" and (package := _package(frame.f_code.co_filename)):
            counts[package] += 1

    folder = Path(tempfile.mkdtemp())
    (folder / "q").mkdir()
    (folder / "q" / "deck.yaml").write_text(open_deck(answers + 20), encoding="utf-8")
    threading.setprofile(profile)
    sys.setprofile(profile)
    async with FakeTelegram() as tg:
        settings = make_settings(tg, f"sqlite:///{folder}/bot.sqlite3", folder / "q")
        settings = settings.model_copy(update={"new_cards_per_day": 500})
        app = build_application(
            settings, build_services(settings, make_schema(settings)), tuning=FAST
        )
        async with running(app):
            student = tg.user(4242, "Léa", "fr")

            async def answer(n: int) -> None:
                mark = last_id(tg, student)
                student.send_text(str(1900 + n) if n % 3 else "1800")
                await student.wait_for_message("événement", after=mark)

            mark = last_id(tg, student)
            student.send_command("/quiz")
            await student.wait_for_message("événement", after=mark)
            for n in range(1, 6):
                await answer(n)
            before = collections.Counter(c.method for c in tg.calls())
            on = True
            for n in range(6, 6 + answers):
                await answer(n)
            on = False
            sent = collections.Counter(c.method for c in tg.calls()) - before
    sys.setprofile(None)
    threading.setprofile(None)
    print(f"through the bot: {sum(counts.values()) / answers:.0f} calls per typed answer")
    for package, count in counts.most_common(12):
        print(f"  {package:14} {count / answers:7.0f}")
    print("  Bot API requests per answer:", {k: round(v / answers, 2) for k, v in sent.items()})


def in_the_service(answers: int) -> None:
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/service.sqlite3")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    study = StudyService(sessions, enable_fuzzing=False)
    user = add_user(sessions, per_day=3)
    ids = add_deck(sessions, "d", [(f"q{i}", i) for i in range(answers + 30)])
    for i in range(answers + 10):  # a due card for every answer, in both trees
        add_review_card(sessions, user, ids[f"q{i}"], NOW - dt.timedelta(days=1 + i))
    study.next_question(user, NOW)
    now = NOW

    def run(first: int, last: int) -> None:
        nonlocal now
        for n in range(first, last):
            now += dt.timedelta(seconds=20)
            given = "1990" if n % 3 == 0 else "2006"
            study.answer_open_and_next(user, given, now, idempotency_key=f"k{n}")

    run(0, 5)
    profiler = cProfile.Profile()
    profiler.enable()
    run(5, 5 + answers)
    profiler.disable()
    stats = pstats.Stats(profiler)
    calls = sum(v[1] for v in stats.stats.values())  # type: ignore[attr-defined]
    print(f"in the study service: {calls / answers:.0f} calls per answer (cProfile, all code)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(through_the_bot(args.answers))
    in_the_service(args.answers)


if __name__ == "__main__":
    main()
