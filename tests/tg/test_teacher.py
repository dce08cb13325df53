"""Teachers: question files sent to the bot, /recharger, /classe and its CSV export; everyone
else is refused."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Deck, Question
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.decks import INVALID, SUEZ
from tests.tg.harness import buttons, last_id


def deck_slugs(db: sessionmaker[Session]) -> set[str]:
    with db() as session:
        return set(session.scalars(select(Deck.slug).where(Deck.retired_at.is_(None))))


async def test_teacher_uploads_a_valid_file(
    bot: BotApplication,
    tg: FakeTelegram,
    teacher: FakeUser,
    student: FakeUser,
    db: sessionmaker[Session],
) -> None:
    upload = teacher.send_document("suez.yaml", SUEZ.encode())
    report = await teacher.wait_for_message("Fichier importé", after=upload)
    assert "crise-de-suez" in report["text"] and "1 ajoutée" in report["text"]
    assert deck_slugs(db) == {"bielorussie", "crise-de-suez"}

    student.send_command("/decks")
    menu = await student.wait_for_message("Tes paquets")
    assert any("La crise de Suez" in label for label in buttons(menu))


async def test_teacher_gets_every_error_of_an_invalid_file(
    bot: BotApplication, tg: FakeTelegram, teacher: FakeUser, db: sessionmaker[Session]
) -> None:
    with db() as session:
        before = session.scalars(select(Question.key)).all()
    upload = teacher.send_document("cassé.yaml", INVALID.encode())
    report = await teacher.wait_for_message("3 erreurs : rien n'a été importé", after=upload)
    text = report["text"]
    assert "cassé.yaml:3 " in text
    assert "cassé.yaml:8 [q1] type de question inconnu « devinette »" in text
    assert "cassé.yaml:10 [q2]" in text and "distractors" in text
    with db() as session:
        assert session.scalars(select(Question.key)).all() == before


async def test_students_cannot_upload(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    upload = student.send_document("suez.yaml", SUEZ.encode())
    await student.wait_for_message("seuls les profs", after=upload)
    assert deck_slugs(db) == {"bielorussie"}
    assert not tg.calls("getFile")


async def test_upload_limits(
    bot: BotApplication, tg: FakeTelegram, teacher: FakeUser, db: sessionmaker[Session]
) -> None:
    upload = teacher.send_document("notes.pdf", b"%PDF-1.4")
    await teacher.wait_for_message("fichier de questions .yaml", after=upload)
    big = SUEZ + "# " + "x" * 5000 + "\n"  # the tests allow 4 KiB
    upload = teacher.send_document("gros.yaml", big.encode())
    await teacher.wait_for_message("trop gros", after=upload)
    assert not tg.calls("getFile")
    assert deck_slugs(db) == {"bielorussie"}


async def test_reload_the_questions_folder(
    bot: BotApplication,
    tg: FakeTelegram,
    teacher: FakeUser,
    student: FakeUser,
    questions_dir: Path,
    db: sessionmaker[Session],
) -> None:
    (questions_dir / "suez.yaml").write_text(SUEZ, encoding="utf-8")
    teacher.send_command("/recharger")
    await teacher.wait_for_message("Questions rechargées")
    assert deck_slugs(db) == {"bielorussie", "crise-de-suez"}

    student.send_command("/recharger")
    await student.wait_for_message("réservée aux profs")

    (questions_dir / "broken.yaml").write_text(INVALID, encoding="utf-8")
    mark = last_id(tg, teacher)
    teacher.send_command("/reload")
    await teacher.wait_for_message("3 erreurs", after=mark)
