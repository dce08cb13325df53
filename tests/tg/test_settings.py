"""/reglages, /decks, /pause, /reprendre, /oublier."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.tg.app import running
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import JSON, buttons, count_reviews, get_user, last_id


async def edited(tg: FakeTelegram, user: FakeUser, message: JSON, contains: str) -> JSON:
    """The same message once its text contains ``contains``."""
    return await tg.wait_for_message(
        user.chat_id, contains, where=lambda m: m["message_id"] == message["message_id"]
    )


async def test_settings_changes(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/reglages")
    menu = await student.wait_for_message("Tes réglages")
    assert "18:00" in menu["text"] and "Europe/Paris" in menu["text"]

    student.press(menu, button="🆕 Nouvelles questions")
    menu = await edited(tg, student, menu, "Combien de nouvelles questions")
    student.press(menu, button="20")
    menu = await edited(tg, student, menu, "Nouvelles questions par jour : 20")

    student.press(menu, button="⏰ Heure du rappel")
    menu = await edited(tg, student, menu, "À quelle heure")
    student.press(menu, button="Pas de rappel")
    menu = await edited(tg, student, menu, "Rappel : pas de rappel")

    student.press(menu, button="🌍 Fuseau horaire")
    menu = await edited(tg, student, menu, "Choisis ton fuseau")
    student.press(menu, button="🇸🇳 Dakar")
    menu = await edited(tg, student, menu, "Fuseau : Africa/Dakar")

    user = get_user(db, student.id)
    assert user is not None
    assert (user.new_cards_per_day, user.reminder_time, user.timezone) == (
        20,
        None,
        "Africa/Dakar",
    )
    assert user.next_reminder_at is None

    student.press(menu, button="⏰ Heure du rappel")
    menu = await edited(tg, student, menu, "À quelle heure")
    mark = last_id(tg, student)
    student.press(menu, button="Autre heure…")
    prompt = await student.wait_for_message("Écris l'heure", after=mark)
    student.send_text("7h45", reply_to=prompt)
    menu = await student.wait_for_message("Rappel : 07:45", after=prompt)

    student.press(menu, button="🗣 Langue")
    menu = await edited(tg, student, menu, "Dans quelle langue")
    student.press(menu, button="English")
    menu = await edited(tg, student, menu, "Your settings")
    assert "Language: English" in menu["text"]
    commands = tg.commands(f"chat:{student.chat_id}")
    assert {
        "command": "settings",
        "description": "reminder time, time zone, new questions, language",
    } in commands

    user = get_user(db, student.id)
    assert user is not None
    assert (user.language, user.reminder_time) == ("en", dt.time(7, 45))
    mark = last_id(tg, student)
    student.send_command("/quiz")
    await student.wait_for_message("Pick your answer", after=mark)


async def test_decks_switch(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/decks")
    menu = await student.wait_for_message("Tes paquets")
    label = next(k for k in buttons(menu) if "Biélorussie" in k)
    student.press(menu, button=label)
    await tg.wait_for_message(
        student.chat_id,
        where=lambda m: (
            m["message_id"] == menu["message_id"] and any(k.startswith("⬜") for k in buttons(m))
        ),
    )
    mark = last_id(tg, student)
    student.send_command("/quiz")
    await student.wait_for_message("Rien à réviser", after=mark)


async def test_pause_and_resume(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/pause")
    await student.wait_for_message("Rappels en pause")
    user = get_user(db, student.id)
    assert user is not None and user.reminders_paused and user.next_reminder_at is None
    student.send_command("/reprendre")
    await student.wait_for_message("prochain rappel")
    user = get_user(db, student.id)
    assert user is not None and not user.reminders_paused and user.next_reminder_at is not None


async def test_forget_after_confirmation(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    student.press(q1, buttons(q1)["la Russie"])
    await student.wait_for_message("membre de l'OTAN")

    student.send_command("/oublier")
    ask = await student.wait_for_message("effacer toutes tes données")
    student.press(ask, button="Non, garder")
    await edited(tg, student, ask, "je ne touche à rien")
    assert get_user(db, student.id) is not None and count_reviews(db) == 1

    mark = last_id(tg, student)
    student.send_command("/oublier")
    ask = await student.wait_for_message("effacer toutes tes données", after=mark)
    student.press(ask, button="Oui, tout effacer")
    await edited(tg, student, ask, "j'ai tout effacé")
    assert get_user(db, student.id) is None
    assert count_reviews(db) == 0


async def test_desired_retention_buttons_show_the_workload_and_save_the_choice(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/reglages")
    menu = await student.wait_for_message("Tes réglages")
    assert "Mémorisation visée : 90 %" in menu["text"]

    student.press(menu, button="🎯 Mémorisation")
    menu = await edited(tg, student, menu, "Quelle part de tes réponses")
    lines = [line for line in menu["text"].splitlines() if " par jour (" in line]  # 1 question
    assert [line.split(" : ")[0] for line in lines] == ["• 80 %", "• 85 %", "👉 90 %", "• 95 %"]
    per_day = [int(line.split("environ ")[1].split()[0]) for line in lines]
    assert "environ 1 questions" not in menu["text"]  # « 1 question par jour »
    assert per_day == sorted(per_day) and per_day[0] < per_day[-1]
    assert "d'après ta mémoire" in menu["text"]  # not fitted yet: says when it will be
    assert list(buttons(menu))[:4] == ["80 %", "85 %", "✅ 90 %", "95 %"]

    student.press(menu, button="95 %")
    menu = await edited(tg, student, menu, "Mémorisation visée : 95 %")
    user = get_user(db, student.id)
    assert user is not None and user.desired_retention == 0.95

    student.press(menu, button="🎯 Mémorisation")
    menu = await edited(tg, student, menu, "👉 95 %")
    assert "✅ 95 %" in buttons(menu)


async def test_a_hundred_and_one_decks_are_shown_a_page_at_a_time(
    app: BotApplication, tg: FakeTelegram, student: FakeUser, questions_dir: Path
) -> None:
    for n in range(1, 101):
        (questions_dir / f"paquet-{n:03}.yaml").write_text(
            f'version: 1\ndeck:\n  id: paquet-{n:03}\n  title: "Paquet {n:03}"\nquestions:\n'
            f'  - id: q\n    kind: open\n    prompt: "Combien font {n} + {n} ?"\n'
            f'    answer: "{2 * n}"\n',
            encoding="utf-8",
        )
    async with running(app):
        student.send_command("/decks")
        menu = await student.wait_for_message("Tes paquets")
        seen: list[str] = []
        pages = 0
        while True:
            pages += 1
            labels = list(buttons(menu))
            assert len(labels) <= 11  # 8 decks, two arrows, « Retour »
            seen += [k for k in labels if k.startswith(("✅", "⬜"))]
            forward = [k for k in labels if k.startswith("▶️")]
            if not forward:
                break
            student.press(menu, button=forward[0])
            before = menu["reply_markup"]
            menu = await tg.wait_for_message(
                student.chat_id,
                where=lambda m, mid=menu["message_id"], old=before: (
                    m["message_id"] == mid and m["reply_markup"] != old
                ),
            )
        assert len(seen) == len(set(seen)) == 101 and pages == 13  # 8 a page
        # A switch on the last page redraws that page, not the first.
        label = next(k for k in buttons(menu) if "Paquet 100" in k)
        student.press(menu, button=label)
        menu = await tg.wait_for_message(
            student.chat_id,
            where=lambda m: (
                m["message_id"] == menu["message_id"]
                and any(k.startswith("⬜ Paquet 100") for k in buttons(m))
            ),
        )
        assert any(k.startswith("◀️") for k in buttons(menu))
