"""Answers counted exactly once: double taps, stale buttons, re-delivered updates, /annuler."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.tg.context import BotApplication
from bot.tg.texts import EN, FR
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import buttons, count_reviews, has_buttons, last_id


async def test_double_tap_on_the_same_button_counts_once(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    data = buttons(q1)["la Chine"]
    first = student.press(q1, data)
    second = student.press(q1, data)  # the second tap, before the bot answered the first

    await student.wait_for_message("membre de l'OTAN")
    answer = await tg.wait_for_callback_answer(second)
    assert answer.text == "Déjà répondu 😉"
    await tg.wait_for_callback_answer(first)
    assert count_reviews(db) == 1
    questions = [m for m in student.messages() if "membre de l'OTAN" in m.get("text", "")]
    assert len(questions) == 1


async def test_stale_button_of_an_old_question(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    old = await student.wait_for_message("principal allié")
    mark = last_id(tg, student)
    student.send_command("/quiz")  # shows the question again: the old message is stale
    await student.wait_for_message("principal allié", after=mark)
    old_now = next(m for m in student.messages() if m["message_id"] == old["message_id"])
    assert not has_buttons(old_now)  # the bot took the old buttons away

    press = student.press(old, buttons(old)["la Russie"], strict=False)  # an old client
    answer = await tg.wait_for_callback_answer(press)
    assert answer.text == "Déjà répondu 😉"
    assert count_reviews(db) == 0


async def test_forged_button_changes_nothing(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    forged = student.press(q1, "a:AAAAAAAA:0", strict=False)
    answer = await tg.wait_for_callback_answer(forged)
    assert answer.text is not None and "ne retrouve pas" in answer.text
    garbage = student.press(q1, "n'importe quoi", strict=False)
    answer = await tg.wait_for_callback_answer(garbage)
    assert answer.text is not None and "ne retrouve pas" in answer.text
    assert count_reviews(db) == 0


async def test_redelivered_updates_count_once(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    press = student.press(q1, buttons(q1)["la Russie"])
    q2 = await student.wait_for_message("membre de l'OTAN")
    tg.redeliver(press)
    await tg.wait_for(lambda: tg.pending_updates == 0, what="the re-delivery consumed")

    student.press(q2, button="Vrai")
    q3 = await student.wait_for_message("geler les avoirs")
    typed = student.send_text("2006")
    await student.wait_for_message("Loukachenko")
    tg.redeliver(typed)
    await tg.wait_for(lambda: tg.pending_updates == 0, what="the re-delivery consumed")
    mark = last_id(tg, student)
    student.send_command("/aide")  # processed after the re-deliveries (same student, in order)
    await student.wait_for_message("Voici ce que je sais faire", after=mark)

    assert count_reviews(db) == 3
    assert len([m for m in student.messages() if "Loukachenko" in m.get("text", "")]) == 1
    assert q3["message_id"] < mark


async def test_undo_the_last_answer(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/annuler")
    await student.wait_for_message("rien à annuler")
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    student.press(q1, buttons(q1)["l'Ukraine"])
    await student.wait_for_message("membre de l'OTAN")
    assert count_reviews(db) == 1

    student.send_command("/annuler")
    await student.wait_for_message("J'ai annulé ta réponse à « Quel pays est le principal")
    assert count_reviews(db) == 0
    mark = last_id(tg, student)
    student.send_command("/undo")
    await student.wait_for_message("rien à annuler", after=mark)


async def test_stop_ends_the_session(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    student.press(q1, buttons(q1)["la Russie"])
    q2 = await student.wait_for_message("membre de l'OTAN")
    student.press(q2, button="⏹ Stop")
    await student.wait_for_message("Fin de la session : 1 sur 1")
    q2_now = next(m for m in student.messages() if m["message_id"] == q2["message_id"])
    assert "Session arrêtée" in q2_now["text"] and not has_buttons(q2_now)
    mark = last_id(tg, student)
    student.send_text("Vrai")  # no open question any more
    await student.wait_for_message("Je n'attends pas de réponse", after=mark)
    assert count_reviews(db) == 1


async def test_a_wrong_typed_answer_says_why_in_the_students_language(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    sam = tg.user(778, "Sam", "en-GB")
    for who, texts, why in (
        (student, FR, "🔎 Ce n'est pas la bonne année."),
        (sam, EN, "🔎 That's not the right year."),
    ):
        who.send_command("/quiz")
        q1 = await who.wait_for_message("principal allié")
        who.press(q1, buttons(q1)["la Russie"])
        q2 = await who.wait_for_message("membre de l'OTAN")
        who.press(q2, button=texts.btn_false)
        await who.wait_for_message("geler les avoirs")
        who.send_text("2007")
        verdict = await who.wait_for_message(why)
        assert verdict["text"].index(why) > verdict["text"].index("2006")  # after the answer
