"""The class game's pace in a group at Telegram's real limits (run by hand, ~3 min).

The real bot (production wiring and timings) runs a 10-question game, 10 s per question, for
30 students against the fake Bot API enforcing Telegram's flood limits (30 messages/s overall,
1/s per chat, 20 per minute per group: 429 with ``retry_after`` beyond). Every student votes
at once, so each question closes as soon as the last vote is in: the fastest a game can go,
hence the most messages a minute. Printed: the group's messages per sliding minute (max and
mean), 429s, and how long the game took; then the same game with the bot's own pacing off
(``GameTuning(group_messages=10_000, min_interval=0)``: only python-telegram-bot's rate
limiter), as the baseline measured in the same run.

    PYTHONPATH=. .venv/bin/python bench/game_pacing.py [--questions 10] [--students 30]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.db.engine import make_session_factory  # noqa: E402
from bot.db.models import GameQuestion  # noqa: E402
from bot.services.container import build_services  # noqa: E402
from bot.tg.app import build_application, running  # noqa: E402
from bot.tg.context import GameTuning, Tuning  # noqa: E402
from tests.support.fake_telegram import JSON, FakeTelegram, RateLimits  # noqa: E402
from tests.tg.harness import TEACHER_ID, buttons, make_schema, make_settings  # noqa: E402

GROUP = -100555
DECK = 'version: 1\ndeck:\n  id: jeu\n  title: "Jeu"\nquestions:\n' + "".join(
    f'  - id: q{n}\n    kind: choice\n    prompt: "Question {n} ?"\n'
    f'    answer: "oui {n}"\n    distractors: ["non {n}", "bof {n}", "jamais {n}"]\n'
    for n in range(1, 21)
)


async def one_game(
    tuning: GameTuning, questions: int, students: int, folder: Path
) -> dict[str, float]:
    async with FakeTelegram(rate_limits=RateLimits()) as tg:
        db_url = f"sqlite:///{folder / f'game-{time.monotonic_ns()}.sqlite3'}"
        settings = make_settings(tg, db_url, folder / "questions")
        engine = make_schema(settings)
        services = build_services(settings, engine)
        sessions = make_session_factory(engine)
        app = build_application(
            settings, services, tuning=dataclasses.replace(Tuning(), game=tuning)
        )
        teacher = tg.user(TEACHER_ID, "Prof").in_group(GROUP)
        players = [tg.user(8000 + i, f"Élève {i:02d}").in_group(GROUP) for i in range(students)]
        async with running(app):
            started = time.monotonic()
            teacher.send_command("/jeu")
            picker = await tg.wait_for_message(GROUP, "quel paquet", timeout=30)
            teacher.press(picker, buttons(picker)["Jeu"])
            picker = await tg.wait_for_message(GROUP, "combien de questions", timeout=30)
            teacher.press(picker, buttons(picker)[f"{questions} questions"])
            picker = await tg.wait_for_message(GROUP, "combien de temps", timeout=30)
            teacher.press(picker, buttons(picker)["10 s"])
            for number in range(1, questions + 1):
                poll: JSON = await tg.wait_for_poll(GROUP, count=number, timeout=180)
                poll_id = poll["poll"]["id"]
                while True:  # the bot has recorded the poll
                    with sessions() as session:
                        row = session.query(GameQuestion.asked_at).filter_by(poll_id=poll_id)
                        if row.scalar() is not None:
                            break
                    await asyncio.sleep(0.01)
                correct = poll["poll"]["correct_option_ids"][0]
                for player in players:
                    player.answer_poll(poll, correct)
            await tg.wait_for_message(GROUP, "Classement", timeout=300)
            took = time.monotonic() - started
        engine.dispose()
        sends = sorted(
            c.at
            for c in tg.calls(chat_id=GROUP, ok=True)
            if c.method in ("sendMessage", "sendPoll")
        )
        per_minute = [sum(1 for t in sends if s <= t < s + 60.0) for s in sends]
        return {
            "messages": len(sends),
            "max_per_minute": max(per_minute),
            "mean_per_minute": len(sends) / max(took, 1e-9) * 60,
            "429": tg.stats.too_many_requests,
            "seconds": took,
        }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--questions", type=int, default=10, choices=(5, 10, 20))
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "questions").mkdir()
        (folder / "questions" / "jeu.yaml").write_text(DECK, encoding="utf-8")
        paced = await one_game(GameTuning(), args.questions, args.students, folder)
        unpaced = await one_game(
            GameTuning(group_messages=10_000, min_interval=0.0),
            args.questions,
            args.students,
            folder,
        )
    print(f"\n{args.questions} questions × 10 s, {args.students} students voting at once\n")
    print("| pacing | group messages | max in any 60 s | mean per minute | 429s | game took |")
    print("|---|---|---|---|---|---|")
    for label, r in (
        ("GameTuning() (production)", paced),
        ("PTB limiter only (baseline)", unpaced),
    ):
        print(
            f"| {label} | {r['messages']:.0f} | {r['max_per_minute']:.0f} | "
            f"{r['mean_per_minute']:.1f} | {r['429']:.0f} | {r['seconds']:.1f} s |"
        )
    print(f"\nratio game time paced / baseline: {paced['seconds'] / unpaced['seconds']:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
