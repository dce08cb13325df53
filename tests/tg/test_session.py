"""A full study session: buttons and typed answers, verdicts, the next question, the end."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import buttons, count_reviews, has_buttons, last_id


async def test_full_session_with_buttons_and_typed_answers(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    assert "la Russie" in buttons(q1) and "⏹ Stop" in buttons(q1)

    student.press(q1, buttons(q1)["la Russie"])
    q2 = await student.wait_for_message("membre de l'OTAN")
    answered = next(m for m in student.messages() if m["message_id"] == q1["message_id"])
    assert "✅" in answered["text"] and "Dans le texte" in answered["text"]
    assert not has_buttons(answered)

    student.press(q2, button="Faux")
    q3 = await student.wait_for_message("geler les avoirs")
    assert buttons(q3) == {"⏹ Stop": buttons(q3)["⏹ Stop"]}
    assert "Écris ta réponse" in q3["text"]

    student.send_text("en 2006")
    q4 = await student.wait_for_message("Loukachenko arrive au pouvoir en _____")
    q3_now = next(m for m in student.messages() if m["message_id"] == q3["message_id"])
    assert "✅" in q3_now["text"] and not has_buttons(q3_now)

    mark = last_id(tg, student)
    student.send_text("1995")
    end = await student.wait_for_message("Fin de la session", after=mark)
    assert "3 sur 4" in end["text"]
    q4_now = next(m for m in student.messages() if m["message_id"] == q4["message_id"])
    assert "❌" in q4_now["text"] and "1994" in q4_now["text"]
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
    assert "Réponses : 1 sur 7 jours (100 %)" in text["text"]
    chart = await tg.wait_for_message(
        student.chat_id, where=lambda m: "photo" in m, after=mark, timeout=20
    )
    assert chart["photo"][0]["width"] > 0
