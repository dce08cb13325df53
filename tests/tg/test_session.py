"""A full study session: buttons and typed answers, verdicts, the next question, the end."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import buttons, count_reviews, get_user, has_buttons, last_id
from tests.tg.test_settings import edited


async def test_full_session_with_buttons_and_typed_answers(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    assert "la Russie" in buttons(q1) and "⏹ Stop" in buttons(q1)

    # A button answer: the same message now shows the verdict, then the next question.
    student.press(q1, buttons(q1)["la Russie"])
    q2 = await student.wait_for_message("membre de l'OTAN")
    assert q2["message_id"] == q1["message_id"]
    verdict, question = q2["text"].split("\n\n📘", 1)
    assert "✅" in verdict and "Dans le texte" in verdict and "principal allié" not in question
    assert {"Vrai", "Faux", "⏹ Stop"} <= set(buttons(q2))

    mark = last_id(tg, student)
    student.press(q2, button="Faux")
    q3 = await student.wait_for_message("geler les avoirs")
    assert q3["message_id"] == q1["message_id"] and last_id(tg, student) == mark  # no new one
    assert "✅" in q3["text"]
    assert buttons(q3) == {"⏹ Stop": buttons(q3)["⏹ Stop"]}
    assert q3["text"].endswith("Écris ta réponse.")

    # A typed answer: a new message below the student's, verdict then next question.
    mark = last_id(tg, student)
    student.send_text("en 2006")
    q4 = await student.wait_for_message("Loukachenko arrive au pouvoir en _____", after=mark)
    assert q4["text"].startswith("✅") and "Dans le texte" in q4["text"]
    assert has_buttons(q4)

    mark = last_id(tg, student)
    student.send_text("1995")
    # Failed, the card is due in a minute: learn-ahead asks it again in the same run.
    q5 = await student.wait_for_message("Loukachenko arrive au pouvoir en _____", after=mark)
    assert q5["text"].startswith("❌") and "1994" in q5["text"]
    assert "Ta réponse : 1995" in q5["text"]
    assert count_reviews(db) == 4
    # Each answer got exactly one message or edit: nothing else was sent after the first one.
    assert [m["message_id"] for m in student.messages()] == [
        q1["message_id"],
        q4["message_id"],
        q5["message_id"],
    ]
    mark = last_id(tg, student)
    student.press(q5, buttons(q5)["⏹ Stop"])
    end = await student.wait_for_message("Fin de la session", after=mark)
    assert "3 sur 4" in end["text"]
    # Every question seen, none new: no dead end, « Réviser en avance » is offered.
    assert set(buttons(end)) == {"⏩ Réviser en avance"}
    mark = last_id(tg, student)
    student.press(end, button="⏩ Réviser en avance")
    await student.wait_for_message("déjà vues", after=mark)
    ahead = await student.wait_for_message("📘", after=mark)
    assert has_buttons(ahead)
    assert count_reviews(db) == 4


async def test_stats_text_and_chart(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    student.send_command("/stats")
    await student.wait_for_message("Pas encore de réponses")
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    student.press(q1, buttons(q1)["la Russie"])
    await student.wait_for_message("membre de l'OTAN")

    mark = last_id(tg, student)
    student.send_command("/stats")
    text = await student.wait_for_message("Tes progrès", after=mark)
    assert "Réponses : 1 en 7 jours (100 % de justes)" in text["text"]
    chart = await tg.wait_for_message(
        student.chat_id, where=lambda m: "photo" in m, after=mark, timeout=20
    )
    assert chart["photo"][0]["width"] > 0


async def test_a_setting_changed_between_answers_applies_to_the_next_answer(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    # Answers reuse the student read at the first one (BotContext.quiz_student); any other
    # update drops that cache, so a language switched mid-run shows in the next verdict.
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    student.press(q1, buttons(q1)["la Russie"])
    q2 = await student.wait_for_message("membre de l'OTAN")
    assert "Bravo" in q2["text"]

    mark = last_id(tg, student)
    student.send_command("/reglages")
    menu = await student.wait_for_message("Tes réglages", after=mark)
    student.press(menu, button="🗣 Langue")
    menu = await edited(tg, student, menu, "Dans quelle langue")
    student.press(menu, button="English")
    await edited(tg, student, menu, "Your settings")

    student.press(q2, button="Faux")
    q3 = await student.wait_for_message("geler les avoirs")
    assert q3["text"].startswith("✅ Well done") and q3["text"].endswith("Type your answer.")

    # A new name is registered at once, cache or not.
    student.info["first_name"] = "Léonie"
    mark = last_id(tg, student)
    student.send_text("en 2006")
    await student.wait_for_message("Loukachenko", after=mark)
    user = get_user(db, student.id)
    assert user is not None and user.display_name == "Léonie"


async def test_help_stats_and_a_sticker_during_a_question_show_it_again(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")

    # /aide, then the question waiting, as a new message with its buttons; the older
    # message loses them (one live question in the chat).
    mark = last_id(tg, student)
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire", after=mark)
    again = await student.wait_for_message("🔁 Ta question en cours", after=mark)
    assert "principal allié" in again["text"] and "la Russie" in buttons(again)
    first = next(m for m in student.messages() if m["message_id"] == q1["message_id"])
    assert not has_buttons(first)

    mark = last_id(tg, student)
    student.send_command("/stats")
    await student.wait_for_message("Pas encore de réponses", after=mark)
    again = await student.wait_for_message("🔁 Ta question en cours", after=mark)
    assert "principal allié" in again["text"]

    # A sticker: what is expected (a tap here), and the question again.
    mark = last_id(tg, student)
    student.send_sticker()
    again = await student.wait_for_message("touche un des boutons", after=mark)
    assert "Je n'attends pas de réponse" not in again["text"]
    assert "principal allié" in again["text"] and "la Russie" in buttons(again)
    student.press(again, buttons(again)["la Russie"])
    q2 = await student.wait_for_message("membre de l'OTAN", after=mark)
    assert q2["message_id"] == again["message_id"] and count_reviews(db) == 1

    # A typed question: the sticker's hint says to type.
    student.press(q2, button="Faux")
    await student.wait_for_message("geler les avoirs", after=mark)
    mark = last_id(tg, student)
    student.send_photo()
    again = await student.wait_for_message("écris ta réponse", after=mark)
    assert "geler les avoirs" in again["text"]

    # A wrong typed answer, then /aide: the verdict keeps its « J'avais raison » alone.
    mark = last_id(tg, student)
    student.send_text("2010")
    verdict = await student.wait_for_message("❌", after=mark)
    assert "✋ J'avais raison" in buttons(verdict)
    student.send_command("/aide")
    again = await student.wait_for_message("🔁 Ta question en cours", after=mark)
    verdict = next(m for m in student.messages() if m["message_id"] == verdict["message_id"])
    assert set(buttons(verdict)) == {"✋ J'avais raison"}
    student.press(verdict, button="✋ J'avais raison")
    await student.wait_for_message("compte juste", after=mark)

    # No question open: help alone, the usual hint.
    student.press(again, buttons(again)["⏹ Stop"])
    await student.wait_for_message("Fin de la session", after=mark)
    mark = last_id(tg, student)
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire", after=mark)
    student.send_sticker()
    await student.wait_for_message("Je n'attends pas de réponse", after=mark)
    assert "Ta question en cours" not in str(tg.messages(student.chat_id)[-2:])
