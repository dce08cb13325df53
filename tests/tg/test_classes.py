"""Classes end to end, through the fake Bot API on both engines: two teachers with two classes
each see only their own students; a student joins by link, studies the class's deck, leaves;
forged and renewed codes are refused; the CSV opens in French spreadsheets; a group chat
keeps the student's private chat; a student reaches none of the teachers' commands."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.services.clock import utcnow
from bot.services.container import build_services
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import FAST, TEACHER_ID, buttons, get_user, last_id

OTHER_TEACHER_ID = 9002
LINK = re.compile(r"https://t\.me/quizbot_test_bot\?start=([A-Za-z0-9_-]+)")


@pytest.fixture
def bot_settings(tg: FakeTelegram, bot_db_url: str, questions_dir: object) -> Settings:
    from tests.tg.harness import make_settings

    base = make_settings(tg, bot_db_url, questions_dir)  # type: ignore[arg-type]
    return base.model_copy(update={"teacher_ids": frozenset({TEACHER_ID, OTHER_TEACHER_ID})})


@pytest.fixture
async def bot(bot_settings: Settings, bot_engine: Engine) -> AsyncIterator[BotApplication]:
    app = build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)
    async with running(app):
        yield app


async def create_class(tg: FakeTelegram, teacher: FakeUser, name: str) -> str:
    """/nouvelleclasse <name>; the invite code of the link the bot answers with."""
    mark = last_id(tg, teacher)
    teacher.send_command(f"/nouvelleclasse {name}")
    reply = await teacher.wait_for_message(f"Classe « {name} » créée", after=mark)
    found = LINK.search(reply["text"])
    assert found is not None, reply["text"]
    return found.group(1)


async def join(tg: FakeTelegram, pupil: FakeUser, code: str, expect: str) -> dict[str, object]:
    mark = last_id(tg, pupil)
    pupil.send_command(f"/start {code}")
    return await pupil.wait_for_message(expect, after=mark)


async def answer_one(tg: FakeTelegram, pupil: FakeUser) -> None:
    mark = last_id(tg, pupil)
    pupil.send_command("/quiz")
    question = await pupil.wait_for_message("principal allié", after=mark)
    pupil.press(question, buttons(question)["la Russie"])
    await pupil.wait_for_message("membre de l'OTAN", after=mark)


async def test_two_teachers_see_only_their_own_students(
    bot: BotApplication, tg: FakeTelegram, teacher: FakeUser
) -> None:
    other = tg.user(OTHER_TEACHER_ID, "M. Durand", "fr")
    codes = {
        "3e B": await create_class(tg, teacher, "3e B"),
        "4e A": await create_class(tg, teacher, "4e A"),
        "3e C": await create_class(tg, other, "3e C"),
        "5e D": await create_class(tg, other, "5e D"),
    }
    assert len(set(codes.values())) == 4
    pupils = {}
    for number, name in enumerate(codes):
        pupil = tg.user(200 + number, f"Élève {name}")
        await join(tg, pupil, codes[name], f"Bienvenue dans la classe « {name} »")
        await answer_one(tg, pupil)
        pupils[name] = pupil

    mark = last_id(tg, teacher)
    teacher.send_command("/classe")
    pick = await teacher.wait_for_message("Quelle classe ?", after=mark)
    assert set(buttons(pick)) == {"3e B (1)", "4e A (1)"}  # not Durand's classes
    teacher.press(pick, button="3e B (1)")
    card = await teacher.wait_for_message("🏫 3e B — 1 élève", after=mark)
    assert "Élèves actifs (7 derniers jours) : 1 sur 1" in card["text"]
    assert codes["3e B"] in card["text"]
    teacher.press(card, button="👩‍🎓 Élèves")
    names = await teacher.wait_for_message("Élèves de « 3e B »", after=mark)
    assert names["text"].splitlines()[1:] == ["• Élève 3e B"]

    # The CSV of Durand's 5e D: his student only, semicolons, BOM, times in his zone.
    mark = last_id(tg, other)
    other.send_command("/classe csv")
    pick = await other.wait_for_message("Quelle classe ?", after=mark)
    other.press(pick, button="5e D (1)")
    await other.wait_for_message("« 5e D » au", after=mark)
    upload = tg.calls("sendDocument", chat_id=other.chat_id, ok=True)[-1].files["document"]
    assert re.fullmatch(r"5e-d-\d{4}-\d{2}-\d{2}\.csv", upload.filename)
    assert upload.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(upload.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["eleve", "paquet"]
    assert [r[0] for r in rows[1:]] == ["Élève 5e D"]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", rows[1][-1])

    # A forged button for a class of the other teacher is refused.
    forged = other.press(pick, f"cl:s:{_class_id_of(card)}", strict=False)
    answer = await tg.wait_for_callback_answer(forged)
    assert answer.text == "Cette classe n'est pas la tienne."


def _class_id_of(message: dict[str, object]) -> int:
    data = buttons(message)["👩‍🎓 Élèves"]  # type: ignore[arg-type]
    return int(data.split(":")[2])


async def test_join_by_link_study_the_class_deck_and_leave(
    bot: BotApplication,
    tg: FakeTelegram,
    teacher: FakeUser,
    db: sessionmaker[Session],
) -> None:
    code = await create_class(tg, teacher, "3e B")
    newcomer = tg.user(301, "Inès")
    # A new student: the class first, then the usual onboarding.
    await join(tg, newcomer, code, "Bienvenue dans la classe « 3e B »")
    await newcomer.wait_for_message("Quels paquets de questions veux-tu réviser")
    await join(tg, newcomer, code, "Tu es déjà dans la classe « 3e B »")

    # Forged, and renewed (the old link stops working), codes are refused.
    intruder = tg.user(302, "Intrus")
    await join(tg, intruder, "AAAAAAAAAAAAAAAA", "Ce lien d'invitation ne marche pas")
    mark = last_id(tg, teacher)
    teacher.send_command("/classe")
    card = await teacher.wait_for_message("🏫 3e B", after=mark)
    teacher.press(card, button="♻️ Nouveau lien")
    renewed = await teacher.wait_for_message("Nouveau lien pour « 3e B »", after=mark)
    found = LINK.search(renewed["text"])
    assert found is not None and found.group(1) != code
    await join(tg, intruder, code, "n'est plus valable")
    await join(tg, intruder, found.group(1), "Bienvenue dans la classe « 3e B »")

    # A deck given to the class (here: a draft published for it) is studied by its students.
    services = bot.bot_data.services
    prof = get_user(db, TEACHER_ID)
    assert prof is not None
    class_id = services.classes.classes_taught(prof.id)[0].id
    text = " ".join(["La Biélorussie devient indépendante en 1991."] * 8)
    draft = services.drafts.create(
        prof.id, text, utcnow(), class_id=class_id, file_name="indépendance.txt"
    )
    from tests.services.test_classes import _generated

    services.drafts.fill(draft.id, _generated(), utcnow())
    services.drafts.keep_rest(draft.id, prof.id, utcnow())
    services.drafts.publish(draft.id, prof.id, services.settings.questions_dir, utcnow())

    mark = last_id(tg, newcomer)
    newcomer.send_command("/decks")
    menu = await newcomer.wait_for_message("Tes paquets", after=mark)
    # The class deck is listed for its student.
    assert any(label.startswith("✅ indépendance (") for label in buttons(menu))
    outsider = tg.user(303, "Hors classe")
    outsider.send_command("/decks")
    menu = await outsider.wait_for_message("Tes paquets")
    assert not any(label.startswith("✅ indépendance (") for label in buttons(menu))

    mark = last_id(tg, newcomer)
    newcomer.send_command("/quitter")
    pick = await newcomer.wait_for_message("Quelle classe veux-tu quitter ?", after=mark)
    newcomer.press(pick, button="3e B (2)")
    await newcomer.wait_for_message("Tu as quitté la classe « 3e B »", after=mark)
    mark = last_id(tg, newcomer)
    newcomer.send_command("/decks")
    menu = await newcomer.wait_for_message("Tes paquets", after=mark)
    assert not any(label.startswith("✅ indépendance (") for label in buttons(menu))
    newcomer.send_command("/quitter")
    await newcomer.wait_for_message("Tu n'es dans aucune classe", after=mark)


async def test_a_group_keeps_private_settings_and_links_to_a_class(
    bot: BotApplication,
    tg: FakeTelegram,
    teacher: FakeUser,
    student: FakeUser,
    db: sessionmaker[Session],
) -> None:
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire")
    in_group = student.in_group(-1001, "3e B")
    in_group.send_command("/aide")
    await in_group.wait_for_message("Dans un groupe, je sers au jeu de classe")
    user = get_user(db, student.id)
    assert user is not None and user.chat_id == student.chat_id  # still the private chat

    await create_class(tg, teacher, "3e B")
    await create_class(tg, teacher, "4e A")
    teacher_in_group = teacher.in_group(-1001, "3e B")
    teacher_in_group.send_command("/lier")
    pick = await teacher_in_group.wait_for_message("À quelle classe lier ce groupe ?")
    teacher_in_group.press(pick, button="3e B (0)")
    await teacher_in_group.wait_for_message("Ce groupe est maintenant lié à la classe « 3e B »")
    found = bot.bot_data.services.classes.class_of_chat(-1001)
    assert found is not None and found.name == "3e B"

    in_group.send_command("/lier 4e A")
    await in_group.wait_for_message("réservée aux profs")


async def test_students_reach_none_of_it(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    for command, expect in (
        ("/nouvelleclasse 3e B", "réservée aux profs"),
        ("/classe", "réservée aux profs"),
        ("/generer " + "Un texte. " * 40, "réservée aux profs"),
        ("/brouillons", "réservée aux profs"),
    ):
        mark = last_id(tg, student)
        student.send_command(command)
        await student.wait_for_message(expect, after=mark)
    mark = last_id(tg, student)
    student.send_document("cours.txt", ("Un texte. " * 40).encode())
    await student.wait_for_message("seuls les profs", after=mark)
    for forged in ("dr:k:1:1", "dp:1:0", "dy:1", "dv:1", "cl:c:1"):
        press = student.press(1, forged, strict=False)
        answer = await tg.wait_for_callback_answer(press)
        assert answer.text in ("Ce brouillon n'existe plus.", "Cette classe n'est pas la tienne.")
    assert not tg.calls("sendDocument")


async def test_a_teacher_names_a_co_teacher(
    bot: BotApplication, tg: FakeTelegram, teacher: FakeUser, student: FakeUser
) -> None:
    code = await create_class(tg, teacher, "3e B")
    await join(tg, student, code, "Bienvenue dans la classe « 3e B »")
    colleague = tg.user(9100, "Mme Petit", "fr")  # not in TEACHER_IDS
    colleague.send_command("/classe")
    await colleague.wait_for_message("réservée aux profs")

    mark = last_id(tg, teacher)
    teacher.send_command("/classe")
    card = await teacher.wait_for_message("🏫 3e B", after=mark)
    teacher.press(card, button="👥 Inviter un collègue")
    invite = await teacher.wait_for_message("devient prof de « 3e B »", after=mark)
    found = LINK.search(invite["text"])
    assert found is not None and found.group(1) != code
    await join(tg, colleague, found.group(1), "Tu es maintenant prof de la classe « 3e B »")
    await tg.wait_for(lambda: tg.commands(f"chat:{colleague.chat_id}"), what="the teacher menu")
    assert "nouvelleclasse" in {c["command"] for c in tg.commands(f"chat:{colleague.chat_id}")}
    # /aide lists the teachers' commands too (a co-teacher, not in TEACHER_IDS), not a
    # student's.
    mark = last_id(tg, colleague)
    colleague.send_command("/aide")
    help_text = await colleague.wait_for_message("Voici ce que je sais faire", after=mark)
    assert "/nouvelleclasse" in help_text["text"] and "/classe" in help_text["text"]
    mark = last_id(tg, student)
    student.send_command("/aide")
    help_text = await student.wait_for_message("Voici ce que je sais faire", after=mark)
    assert "/nouvelleclasse" not in help_text["text"]

    mark = last_id(tg, colleague)
    colleague.send_command("/classe")
    card = await colleague.wait_for_message("🏫 3e B — 1 élève", after=mark)
    colleague.press(card, button="👩‍🎓 Élèves")
    await colleague.wait_for_message("• Léa", after=mark)
    await create_class(tg, colleague, "2nde 4")  # a co-teacher is a teacher
    # A student link opened by a teacher of the class changes nothing.
    await join(tg, colleague, code, "Tu es déjà prof de la classe « 3e B »")


async def test_a_teacher_gives_a_deck_to_a_class_and_takes_it_back(
    bot: BotApplication, tg: FakeTelegram, teacher: FakeUser, student: FakeUser
) -> None:
    code = await create_class(tg, teacher, "3e B")
    await join(tg, student, code, "Bienvenue dans la classe « 3e B »")
    outsider = tg.user(304, "Hors classe")
    mark = last_id(tg, teacher)
    teacher.send_command("/classe")
    card = await teacher.wait_for_message("🏫 3e B", after=mark)
    teacher.press(card, button="📚 Paquets")
    menu = await teacher.wait_for_message("Paquets de « 3e B »", after=mark)
    label = "⬜ Biélorussie : relations extérieures"
    teacher.press(menu, button=label)
    given = "✅ Biélorussie : relations extérieures"
    await tg.wait_for(
        lambda: given in buttons(tg.messages(teacher.chat_id)[-1]), what="the deck given"
    )

    async def deck_labels(pupil: FakeUser) -> set[str]:
        mark = last_id(tg, pupil)
        pupil.send_command("/decks")
        reply = await pupil.wait_for_message(after=mark)  # the list, or « no questions yet »
        return set(buttons(reply))

    assert any("Biélorussie" in label for label in await deck_labels(student))
    assert not any("Biélorussie" in label for label in await deck_labels(outsider))
    current = tg.messages(teacher.chat_id)[-1]
    teacher.press(current, button=given)  # taken back: for everybody again
    await tg.wait_for(
        lambda: label in buttons(tg.messages(teacher.chat_id)[-1]), what="the deck taken back"
    )
    assert any("Biélorussie" in label for label in await deck_labels(outsider))
