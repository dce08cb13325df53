"""Teachers: question files sent to the bot, /recharger, /classe and its CSV export; everyone
else is refused."""

from __future__ import annotations

import csv
import io
import re
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


async def test_class_overview_and_csv_export(
    bot: BotApplication, tg: FakeTelegram, teacher: FakeUser, db: sessionmaker[Session]
) -> None:
    for number in range(3):  # three students, each misses the first question
        pupil = tg.user(100 + number, f"Élève {number}")
        pupil.send_command("/quiz")
        q1 = await pupil.wait_for_message("principal allié")
        pupil.press(q1, buttons(q1)["la Pologne"])
        q2 = await pupil.wait_for_message("membre de l'OTAN")
        pupil.press(q2, button="Faux")
        await pupil.wait_for_message("geler les avoirs")

    teacher.send_command("/classe")
    overview = await teacher.wait_for_message("Ta classe")
    lines = overview["text"].splitlines()
    assert lines[1:] == [
        "Élèves actifs (7 derniers jours) : 3 sur 3",
        "Réponses (7 derniers jours) : 6, dont 50 % de justes",
        "",
        "Par paquet (7 derniers jours) :",
        "• Biélorussie : relations extérieures — 3 actif(s), 6 réponse(s), 50 % de justes",
        "",
        "Les questions les plus ratées (au moins 3 réponses) :",
        "1. Quel pays est le principal allié de la Biélorussie ? — 100 % d'erreurs (3 réponses)",
    ]  # the true/false question, never missed, is not among the hard ones

    teacher.press(overview, button="📄 Export CSV")
    await teacher.wait_for_message("une ligne par élève et par paquet")
    mark = last_id(tg, teacher)
    teacher.send_command("/classe csv")
    await teacher.wait_for_message("une ligne par élève et par paquet", after=mark)
    calls = tg.calls("sendDocument", chat_id=teacher.chat_id, ok=True)
    assert len(calls) == 2
    for call in calls:
        upload = call.files["document"]
        assert re.fullmatch(r"classe-\d{4}-\d{2}-\d{2}\.csv", upload.filename)
        rows = list(csv.DictReader(io.StringIO(upload.data.decode("utf-8-sig"))))
        assert len(rows) == 3  # one per student × deck; the teacher is not a student
        assert [r["eleve"] for r in rows] == ["Élève 0", "Élève 1", "Élève 2"]
        # Two answers (one right) and three cards: the open question is on screen.
        assert {
            (r["paquet"], r["cartes"], r["reponses"], r["bonnes_reponses"], r["reussite_pct"])
            for r in rows
        } == {("bielorussie", "3", "2", "1", "50")}


async def test_students_cannot_see_the_class(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    student.send_command("/classe")
    await student.wait_for_message("réservée aux profs")
    mark = last_id(tg, student)
    student.send_command("/classe csv")
    await student.wait_for_message("réservée aux profs", after=mark)
    forged = student.press(1, "csv", strict=False)  # a button they never got
    answer = await tg.wait_for_callback_answer(forged)
    assert answer.text == "Cette commande est réservée aux profs."
    assert not tg.calls("sendDocument")
