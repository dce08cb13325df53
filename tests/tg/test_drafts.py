"""« Send a text, review the draft, publish », end to end on both engines: the real generator
runs in the worker process; the review is driven with the buttons and a typed correction; the
published deck reaches the class's students only. Also: a restart in the middle of a review,
a worker killed in the middle of a generation (only that draft is lost), the queue position,
and uploads that keep the questions folder and the database in agreement."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.models import DeckDraft, Question
from bot.services.clock import utcnow
from bot.services.container import build_services
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication
from bot.workers.generation import GenerationWorker
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.decks import BELARUS
from tests.tg.harness import FAST, TEACHER_ID, buttons, get_user, last_id, make_settings

PASSAGES = Path(__file__).parents[1] / "data" / "passages"
SUEZ_TEXT = (PASSAGES / "crise-de-suez.txt").read_text(encoding="utf-8")
LINK = re.compile(r"https://t\.me/quizbot_test_bot\?start=([A-Za-z0-9_-]+)")
#: The model is loaded in the worker for the first text (several seconds on a busy machine).
GENERATION_WAIT = 180.0
HEADER = "📝 Brouillon"


@pytest.fixture
def bot_settings(tg: FakeTelegram, bot_db_url: str, questions_dir: Path) -> Settings:
    return make_settings(tg, bot_db_url, questions_dir).model_copy(
        update={"generation_timeout": 150.0}
    )


@pytest.fixture
async def bot(bot_settings: Settings, bot_engine: Engine) -> AsyncIterator[BotApplication]:
    app = build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)
    async with running(app):
        yield app


async def class_with_student(tg: FakeTelegram, teacher: FakeUser, pupil: FakeUser) -> None:
    teacher.send_command("/nouvelleclasse 3e B")
    reply = await teacher.wait_for_message("Classe « 3e B » créée")
    found = LINK.search(reply["text"])
    assert found is not None
    pupil.send_command(f"/start {found.group(1)}")
    await pupil.wait_for_message("Bienvenue dans la classe « 3e B »")


async def test_a_text_becomes_a_reviewed_deck_for_the_class(
    bot: BotApplication,
    tg: FakeTelegram,
    teacher: FakeUser,
    student: FakeUser,
    questions_dir: Path,
    db: sessionmaker[Session],
) -> None:
    await class_with_student(tg, teacher, student)
    mark = last_id(tg, teacher)
    teacher.send_document("crise-de-suez.txt", SUEZ_TEXT.encode())
    first = await teacher.wait_for_message(
        f"{HEADER} « crise de suez » — question 1 sur", after=mark, timeout=GENERATION_WAIT
    )
    # One message: the progress note became the first item.
    assert [m["message_id"] for m in teacher.messages() if int(m["message_id"]) > mark] == [
        first["message_id"]
    ]
    total = int(re.search(r"question 1 sur (\d+)", first["text"]).group(1))  # type: ignore[union-attr]
    assert total >= 5
    for part in ("❓", "✅ Réponse attendue :", "📖 Phrase du texte :"):
        assert part in first["text"]
    assert set(buttons(first)) == {
        "✅ Garder",
        "✏️ Corriger",
        "🗑 Supprimer",
        "⏭ Plus tard",
        "Tout garder à partir d'ici",
    }

    teacher.press(first, button="✅ Garder")
    second = await teacher.wait_for_message("question 2 sur", after=mark)
    assert second["message_id"] == first["message_id"]  # edited in place: one tap per item
    # Keep on to the first item with a free answer (not vrai/faux, not a cloze's {{gap}}).
    position = 2
    while (
        "Réponse attendue : vrai" in second["text"]
        or "Réponse attendue : faux" in second["text"]
        or "{{" in second["text"]
    ):
        teacher.press(second, button="✅ Garder")
        position += 1
        second = await teacher.wait_for_message(f"question {position} sur", after=mark)
    teacher.press(second, button="✏️ Corriger")
    await teacher.wait_for_message("Que veux-tu corriger ?", after=mark)
    teacher.press(second, button="La réponse")
    prompt = await teacher.wait_for_message("Écris la nouvelle réponse", after=mark)
    teacher.send_text("Réponse revue par Mme Martin", reply_to=prompt)
    await teacher.wait_for_message("✅ Corrigé.", after=mark)
    third = await teacher.wait_for_message(f"question {position + 1} sur", after=prompt)
    teacher.press(third, button="🗑 Supprimer")
    fourth = await teacher.wait_for_message(f"question {position + 2} sur", after=prompt)
    teacher.press(fourth, button="Tout garder à partir d'ici")
    summary = await teacher.wait_for_message("relu :", after=prompt)
    assert f"{total - 2} gardées, 1 corrigée, 1 supprimée" in summary["text"]

    teacher.press(summary, button="📥 Télécharger (YAML)")
    await tg.wait_for(lambda: tg.calls("sendDocument", chat_id=teacher.chat_id, ok=True))
    sent = tg.calls("sendDocument", chat_id=teacher.chat_id, ok=True)[-1].files["document"]
    text = sent.data.decode("utf-8")
    assert "Réponse revue par Mme Martin" in text
    assert "\n  - id: " in text and 'prompt: "' in text  # the guide's layout
    assert yaml.safe_load(text)["deck"]["id"].startswith("crise-de-suez-")

    # Nothing is studied before publishing.
    with db() as session:
        assert not session.scalars(
            select(Question.key).where(Question.answer.like("%revue par Mme Martin%"))
        ).all()
    teacher.press(summary, button="📤 Publier pour 3e B")
    published = await teacher.wait_for_message("📤 Publié", after=mark)
    assert f"{total - 1} questions pour 3e B" in published["text"]
    files = list((questions_dir / "publies").glob("crise-de-suez-*.yaml"))
    assert len(files) == 1

    # The class's student gets the new deck; another student does not.
    student.send_command("/decks")
    menu = await student.wait_for_message("Tes paquets")
    assert any("crise de suez" in label for label in buttons(menu))
    outsider = tg.user(4343, "Hors classe")
    outsider.send_command("/decks")
    menu = await outsider.wait_for_message("Tes paquets")
    assert not any("crise de suez" in label for label in buttons(menu))
    mark = last_id(tg, teacher)
    teacher.send_command("/brouillons")
    await teacher.wait_for_message("Aucun brouillon en cours", after=mark)


async def test_the_review_survives_a_restart(
    tg: FakeTelegram,
    bot_settings: Settings,
    bot_engine: Engine,
    teacher: FakeUser,
    db: sessionmaker[Session],
) -> None:
    from tests.services.test_classes import TEXT, _generated

    services = build_services(bot_settings, bot_engine)
    async with running(build_application(bot_settings, services, tuning=FAST)):
        teacher.send_command("/aide")
        await teacher.wait_for_message("Voici ce que je sais faire")
        prof = get_user(db, TEACHER_ID)
        assert prof is not None
        draft = services.drafts.create(prof.id, TEXT, utcnow(), file_name="essai.txt")
        services.drafts.fill(draft.id, _generated(), utcnow())
        teacher.send_command("/brouillons")
        listed = await teacher.wait_for_message("Tes brouillons")
        teacher.press(listed, button="essai — 0/3 relues")
        item = await teacher.wait_for_message("question 1 sur 3")
        teacher.press(item, button="✅ Garder")
        item = await teacher.wait_for_message("question 2 sur 3")

    # A new process: the review goes on from the stored state, with the same buttons.
    again = build_services(bot_settings, bot_engine)
    async with running(build_application(bot_settings, again, tuning=FAST)):
        teacher.press(item, button="⏭ Plus tard")
        item = await teacher.wait_for_message("question 3 sur 3")
        teacher.press(item, button="🗑 Supprimer")
        item = await teacher.wait_for_message("question 2 sur 3")  # the postponed one
        teacher.press(item, button="✅ Garder")
        await teacher.wait_for_message("2 gardées, 0 corrigée, 1 supprimée")


async def test_a_killed_worker_costs_only_its_draft(
    bot: BotApplication,
    tg: FakeTelegram,
    teacher: FakeUser,
    db: sessionmaker[Session],
) -> None:
    mark = last_id(tg, teacher)
    teacher.send_command("/generer " + SUEZ_TEXT)
    await teacher.wait_for_message("Je prépare les questions", after=mark)
    teacher.send_command("/generer " + (PASSAGES / "traite-de-rome.txt").read_text("utf-8"))
    queued = await teacher.wait_for_message("1 texte avant le tien", after=mark)
    worker: GenerationWorker = bot.bot_data.generation
    await tg.wait_for(lambda: worker.child_pid is not None, what="the worker started")
    pid = worker.child_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    await teacher.wait_for_message("le générateur s'est arrêté", after=mark, timeout=30)
    # The second text is generated by a new worker, in its own message.
    second = await teacher.wait_for_message("question 1 sur", after=mark, timeout=GENERATION_WAIT)
    assert second["message_id"] == queued["message_id"]
    with db() as session:
        statuses = sorted(session.scalars(select(DeckDraft.status)).all())
    assert statuses == ["failed", "review"]


async def test_an_uploaded_file_replaces_the_folder_copy_with_a_backup(
    bot: BotApplication,
    tg: FakeTelegram,
    teacher: FakeUser,
    questions_dir: Path,
    db: sessionmaker[Session],
) -> None:
    edited = BELARUS.replace("la Russie", "la Fédération de Russie")
    upload = teacher.send_document("bielorussie.yaml", edited.encode())
    await teacher.wait_for_message("Fichier importé", after=upload)
    await teacher.wait_for_message("l'ancienne version est gardée dans deck.yaml.bak")
    assert (questions_dir / "deck.yaml").read_text(encoding="utf-8") == edited
    assert (questions_dir / "deck.yaml.bak").read_text(encoding="utf-8") == BELARUS

    mark = last_id(tg, teacher)
    teacher.send_command("/recharger")  # the folder now holds the teacher's version
    await teacher.wait_for_message("Questions rechargées", after=mark)
    with db() as session:
        answer = session.scalar(select(Question.answer).where(Question.key == "allie-principal"))
    assert answer == "la Fédération de Russie"


async def test_a_generation_cut_by_a_stop_is_reported_at_start_up(
    tg: FakeTelegram,
    bot_settings: Settings,
    bot_engine: Engine,
    teacher: FakeUser,
    db: sessionmaker[Session],
) -> None:
    from tests.services.test_classes import TEXT

    services = build_services(bot_settings, bot_engine)
    async with running(build_application(bot_settings, services, tuning=FAST)):
        teacher.send_command("/aide")
        await teacher.wait_for_message("Voici ce que je sais faire")
    prof = get_user(db, TEACHER_ID)
    assert prof is not None
    cut = services.drafts.create(prof.id, TEXT, utcnow(), chat_id=teacher.chat_id)
    assert services.drafts.start(cut.id, utcnow())  # the worker had it when the bot stopped

    async with running(build_application(bot_settings, services, tuning=FAST)):
        await teacher.wait_for_message("le bot a redémarré pendant la préparation")
    assert services.drafts.get(cut.id, prof.id).status == "failed"
