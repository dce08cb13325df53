"""Bad input that is not random: forged buttons, and broken or hostile question files sent by
a teacher (the invalid corpus of ``tests/data/decks/invalid``, YAML bombs, a huge file)."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Deck, Question, Review
from bot.tg.context import BotApplication
from tests.reliability.conftest import BOTH_ENGINES, FakeClock
from tests.reliability.support import ErrorSpy, FaultyTelegram
from tests.support.fake_telegram import FakeUser
from tests.tg.decks import BELARUS, SUEZ
from tests.tg.harness import STUDENT_ID, buttons, count_reviews, last_id

INVALID = Path(__file__).resolve().parents[1] / "data" / "decks" / "invalid"


# -- forged buttons ----------------------------------------------------------------------------


@BOTH_ENGINES
async def test_forged_buttons_are_refused_and_record_nothing(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    student: FakeUser,
    teacher: FakeUser,
    questions_dir: Path,
    db: sessionmaker[Session],
) -> None:
    other = tg.user(STUDENT_ID + 50, "Autre")
    other.send_command("/quiz")
    theirs = await other.wait_for_message("principal allié")
    their_token = buttons(theirs)["la Russie"].split(":")[1]
    student.send_command("/quiz")
    mine = await student.wait_for_message("principal allié")
    my_token = buttons(mine)["la Russie"].split(":")[1]

    forged = [
        f"a:{their_token}:0",  # another student's question
        f"a:{my_token}:9",  # a choice never shown
        f"a:{my_token}:-1",
        "a:" + "A" * 200 + ":0",
        "a:AAAAAAAA:0",
        "a:%00%00:0",
        "\x00\x01\x02",
        b"\xff\xfe\x00\x80".decode("latin-1"),
        "\ufffd\ufffd:\ufffd",
        "'; DELETE FROM reviews; --",
        "x:" + their_token,
        "csv",  # a teacher's button
        "dk:zzzzzzzzzz:1",
        "tz:../../etc/passwd:0",
    ]
    for data in forged:
        press = student.press(mine, data, strict=False)
        await tg.wait_for_callback_answer(press)
    assert count_reviews(db) == 0

    # A question retired after it was shown: its buttons no longer count.
    (questions_dir / "deck.yaml").write_text(
        BELARUS.replace("allie-principal", "allie-principal-v2"), encoding="utf-8"
    )
    teacher.send_command("/recharger")
    await teacher.wait_for_message("Questions rechargées")
    # (strict=False: a refused press took the buttons away; a slow client still shows them)
    press = student.press(mine, buttons(mine)["la Russie"], strict=False)
    answer = await tg.wait_for_callback_answer(press)
    assert answer.text is not None and "ne retrouve pas" in answer.text
    assert count_reviews(db) == 0
    assert not spy.calls, spy.describe()


# -- question files ----------------------------------------------------------------------------


def content_dump(db: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    with db() as session:
        decks = session.execute(select(Deck.slug, Deck.content_hash, Deck.retired_at)).all()
        questions = session.execute(
            select(Question.deck_id, Question.key, Question.content_hash, Question.retired_at)
        ).all()
        return sorted(map(tuple, decks)) + sorted(map(tuple, questions))


async def test_every_invalid_file_of_the_corpus_is_refused_with_its_problems(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    teacher: FakeUser,
    clock: FakeClock,
    db: sessionmaker[Session],
) -> None:
    before = content_dump(db)
    files = sorted(INVALID.glob("*.yaml"))
    assert len(files) >= 40
    slow = []
    for path in files:
        clock.advance(60)
        mark = last_id(tg, teacher)
        started = time.perf_counter()
        upload = teacher.send_document(path.name, path.read_bytes())
        reply = await teacher.wait_for_message("rien n'a été importé", after=upload, timeout=10)
        elapsed = time.perf_counter() - started
        if elapsed > 2:
            slow.append((path.name, elapsed))
        assert path.name in reply["text"] or "fichier" in reply["text"], reply["text"]
        assert reply["message_id"] > mark
    assert not slow
    assert content_dump(db) == before
    assert not spy.calls, spy.describe()


def bombs() -> dict[str, bytes]:
    head = "version: 1\ndeck:\n  id: bombe\n  title: Bombe\nquestions:\n"
    laughs = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    laughs += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 20)]
    return {
        "billion-laughs.yaml": (INVALID / "billion-laughs.yaml").read_bytes(),
        "laughs-10-puissance-20.yaml": (
            "version: 1\ndeck:\n  id: p\n  title: P\n" + "\n".join(laughs) + "\nquestions: *a19\n"
        ).encode(),
        "imbrication.yaml": (head + "  - " + "[" * 20_000 + "]" * 20_000 + "\n").encode(),
        "cles.yaml": (
            head + "  - id: q\n" + "".join(f"    k{i}: v\n" for i in range(3000))
        ).encode(),
        "liste.yaml": (head + "  - a\n" * 10_000).encode(),
        "python.yaml": (head + "  - !!python/object/apply:os.system ['echo pwned']\n").encode(),
    }


async def test_yaml_bombs_are_refused_quickly_in_bounded_memory(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    teacher: FakeUser,
    clock: FakeClock,
    db: sessionmaker[Session],
) -> None:
    bot.bot_data.services.settings.max_upload_bytes = 512 * 1024  # the production limit
    before = content_dump(db)
    for name, data in bombs().items():
        clock.advance(60)
        tracemalloc.start()
        started = time.perf_counter()
        upload = teacher.send_document(name, data)
        reply = await teacher.wait_for_message("rien n'a été importé", after=upload, timeout=15)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert elapsed < 8, (name, elapsed)
        assert peak < 64 * 2**20, (name, peak)  # the whole process, the fake server included
        replies = [m for m in teacher.messages() if m["message_id"] >= reply["message_id"]]
        assert len(replies) <= 4, (name, len(replies))  # at most 100 problems, a few messages
    assert content_dump(db) == before

    # Too big: refused on its announced size, never downloaded.
    clock.advance(60)
    files_before = len(tg.calls("getFile"))
    upload = teacher.send_document("enorme.yaml", b"# " + b"x" * (600 * 1024))
    await teacher.wait_for_message("trop gros", after=upload)
    assert len(tg.calls("getFile")) == files_before
    assert not spy.calls, spy.describe()


async def test_an_upper_case_yaml_suffix_is_accepted(
    bot: BotApplication, tg: FaultyTelegram, teacher: FakeUser, db: sessionmaker[Session]
) -> None:
    upload = teacher.send_document("suez.YAML", SUEZ.encode())
    await teacher.wait_for_message("Fichier importé", after=upload)
    with db() as session:
        assert session.scalar(select(Deck).where(Deck.slug == "crise-de-suez")) is not None
        assert session.scalar(select(Review)) is None
