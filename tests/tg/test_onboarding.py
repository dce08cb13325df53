"""/start: welcome, decks, reminder time, time zone (buttons, or any IANA zone typed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import JSON, buttons, get_user, has_buttons, last_id


async def test_onboarding_with_buttons_and_a_typed_zone(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/start")
    await student.wait_for_message("Salut Léa")
    step = await student.wait_for_message("1/3")
    deck_button = next(label for label in buttons(step) if "Biélorussie" in label)
    assert deck_button.startswith("✅")

    # Switch the deck off, then on again: the same message is redrawn.
    student.press(step, buttons(step)[deck_button])
    step = await wait_for_label(tg, student, step, "⬜")
    student.press(step, button=next(k for k in buttons(step) if k.startswith("⬜")))
    step = await wait_for_label(tg, student, step, "✅")

    student.press(step, button="Continuer ➡️")
    step = await student.wait_for_message("2/3")
    student.press(step, button="19:00")
    step = await student.wait_for_message("3/3")
    assert "🇫🇷 Paris" in buttons(step)

    mark = last_id(tg, student)
    student.press(step, button="Autre…")
    prompt = await student.wait_for_message("Écris ton fuseau horaire", after=mark)
    sent = next(c for c in tg.calls("sendMessage") if c.message == prompt)
    assert sent.params["reply_markup"]["force_reply"] is True

    mark = last_id(tg, student)
    student.send_text("Mars/Olympus", reply_to=prompt)
    await student.wait_for_message("Je ne connais pas le fuseau", after=mark)
    prompt = await student.wait_for_message("Écris ton fuseau horaire", after=mark)

    student.send_text("america/montreal", reply_to=prompt)
    done = await student.wait_for_message("C'est tout bon")
    assert "19:00" in done["text"] and "America/Montreal" in done["text"]
    assert has_buttons(done)

    user = get_user(db, student.id)
    assert user is not None
    assert user.timezone == "America/Montreal"
    assert user.reminder_time == dt.time(19, 0)
    assert user.next_reminder_at is not None

    student.press(done, button="▶️ C'est parti")
    await student.wait_for_message("principal allié")


async def test_a_time_typed_as_a_plain_message_while_the_bot_asks_for_one(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/start")
    step = await student.wait_for_message("1/3")
    student.press(step, button="Continuer ➡️")
    await student.wait_for_message("2/3")

    # Not a time, a sticker: what is expected, and the question again (with its buttons).
    mark = last_id(tg, student)
    student.send_text("bonjour")
    await student.wait_for_message("« bonjour » n'est pas une heure", after=mark)
    again = await student.wait_for_message("2/3", after=mark)
    assert "19:00" in buttons(again)
    mark = last_id(tg, student)
    student.send_sticker()
    await student.wait_for_message("Je ne lis que le texte", after=mark)
    await student.wait_for_message("2/3", after=mark)

    # « 11h08 » typed, not a reply: taken; then the zone, typed plainly too.
    mark = last_id(tg, student)
    student.send_text("11h08")
    await student.wait_for_message("3/3", after=mark)
    student.send_text("europe/paris")
    done = await student.wait_for_message("C'est tout bon", after=mark)
    assert "11:08" in done["text"] and "Europe/Paris" in done["text"]
    user = get_user(db, student.id)
    assert user is not None and user.reminder_time == dt.time(11, 8)

    # /reglages, the time being chosen: « 8 h 15 » as a plain message.
    mark = last_id(tg, student)
    student.send_command("/reglages")
    menu = await student.wait_for_message("Tes réglages", after=mark)
    student.press(menu, button="⏰ Heure du rappel")
    await tg.wait_for_message(
        student.chat_id, "À quelle heure", where=lambda m: m["message_id"] == menu["message_id"]
    )
    student.send_text("8 h 15")
    saved = await student.wait_for_message("C'est noté", after=mark)
    assert "08:15" in saved["text"]

    # « Autre heure… », then the time typed without replying to the prompt.
    student.press(saved, button="⏰ Heure du rappel")
    menu = await tg.wait_for_message(
        student.chat_id, "À quelle heure", where=lambda m: m["message_id"] == saved["message_id"]
    )
    mark = last_id(tg, student)
    student.press(menu, button="Autre heure…")
    await student.wait_for_message("Écris l'heure de ton rappel", after=mark)
    student.send_text("19:30")
    saved = await student.wait_for_message("C'est noté", after=mark)
    assert "19:30" in saved["text"]

    # Nothing asked any more (or the question lost in a restart): a time is pointed to
    # /reglages, and nothing is changed.
    mark = last_id(tg, student)
    student.send_text("7h")
    pointed = await student.wait_for_message("Je n'attends pas de réponse", after=mark)
    assert "rappel à 07:00" in pointed["text"] and "/reglages" in pointed["text"]
    user = get_user(db, student.id)
    assert user is not None and user.reminder_time == dt.time(19, 30)


async def test_plain_text_outside_a_question_gets_a_hint(
    bot: BotApplication, student: FakeUser
) -> None:
    student.send_text("bonjour !")
    await student.wait_for_message("Je n'attends pas de réponse")
    student.send_sticker()
    await student.wait_for_message("Je n'attends pas de réponse", count=2)
    student.send_command("/nimportequoi")
    await student.wait_for_message("Je ne connais pas cette commande")


async def test_english_speakers_get_english(bot: BotApplication, tg: FakeTelegram) -> None:
    user = tg.user(777, "Sam", "en-GB")
    user.send_command("/help")
    help_text = await user.wait_for_message("Here is what I can do")
    assert "/settings" in help_text["text"] and "/undo" in help_text["text"]
    user.send_command("/reglages")  # French names work for everyone
    await user.wait_for_message("Your settings")


async def wait_for_label(tg: FakeTelegram, user: FakeUser, message: JSON, mark: str) -> JSON:
    """The same message once one of its buttons starts with ``mark``."""
    return await tg.wait_for_message(
        user.chat_id,
        where=lambda m: (
            m["message_id"] == message["message_id"]
            and any(label.startswith(mark) for label in buttons(m))
        ),
    )
