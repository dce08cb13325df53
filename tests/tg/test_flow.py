"""Sessions that flow on Telegram (issue 16): learn-ahead, « Encore 10 nouvelles », /encore."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import User
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import STUDENT_ID, buttons, count_reviews, has_buttons, last_id
from tests.tg.test_classes import create_class, join


def one_new_card_a_day(db: sessionmaker[Session]) -> None:
    with db() as session:
        session.execute(
            update(User).where(User.telegram_id == STUDENT_ID).values(new_cards_per_day=1)
        )
        session.commit()


async def test_more_new_questions_from_the_summary_button(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    one_new_card_a_day(db)
    student.press(q1, buttons(q1)["la Russie"])
    # The day's one new card is done; in learning, it is due within 20 minutes: asked again.
    again = await tg.wait_for_message(
        student.chat_id, "✅", where=lambda m: m["message_id"] == q1["message_id"]
    )
    assert "principal allié" in again["text"]

    mark = last_id(tg, student)
    student.press(again, buttons(again)["⏹ Stop"])
    summary = await student.wait_for_message("Fin de la session", after=mark)
    assert "Encore 10 nouvelles ?" in summary["text"]
    assert set(buttons(summary)) == {"➕ Encore 10 nouvelles"}

    mark = last_id(tg, student)
    student.press(summary, button="➕ Encore 10 nouvelles")
    await student.wait_for_message("10 nouvelles questions de plus", after=mark)
    nxt = await student.wait_for_message("membre de l'OTAN", after=mark)
    assert has_buttons(nxt)
    assert count_reviews(db) == 1


async def test_more_command_and_nothing_left(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    await student.wait_for_message("principal allié")
    mark = last_id(tg, student)
    student.send_command("/more")  # the English name, as /encore
    await student.wait_for_message("10 nouvelles questions de plus", after=mark)
    # The question left open is asked again (its card is the first new one).
    await student.wait_for_message("principal allié", after=mark)


async def test_i_dont_know_and_a_summary_that_agrees(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    student.press(q1, buttons(q1)["la Chine"])
    q2 = await tg.wait_for_message(
        student.chat_id, "membre de l'OTAN", where=lambda m: m["message_id"] == q1["message_id"]
    )
    student.press(q2, button="Vrai")
    q3 = await student.wait_for_message("geler les avoirs")
    mark = last_id(tg, student)
    student.send_text("je ne sais pas")
    kind = await student.wait_for_message("Pas de souci", after=mark)
    assert "Raté" not in kind["text"] and "2006" in kind["text"]
    assert "Ta réponse" not in kind["text"]
    assert q3 is not None

    mark = last_id(tg, student)
    student.press(kind, buttons(kind)["⏹ Stop"])
    end = await student.wait_for_message("Fin de la session", after=mark)
    assert "0 sur 3 juste." in end["text"] and "Bien joué" not in end["text"]


# -- chat dead ends (issue 16, items 9 and 10) ---------------------------------------------


async def test_a_double_tap_leaves_the_next_questions_buttons(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    right = buttons(q1)["la Russie"]
    student.press(q1, right)
    student.press(q1, right)  # the second tap of a double tap
    q2 = await tg.wait_for_message(
        student.chat_id, "membre de l'OTAN", where=lambda m: m["message_id"] == q1["message_id"]
    )
    await tg.wait_for(
        lambda: sum(c.method == "answerCallbackQuery" for c in tg.sent) >= 2,
        what="both taps answered",
    )
    now = next(m for m in student.messages() if m["message_id"] == q1["message_id"])
    assert {"Vrai", "Faux", "⏹ Stop"} <= set(buttons(now)), now
    assert q2 is not None


async def test_old_stop_buttons_go_and_an_old_one_does_not_end_the_session(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié")
    student.press(q1, buttons(q1)["la Russie"])
    q2 = await tg.wait_for_message(
        student.chat_id, "membre de l'OTAN", where=lambda m: m["message_id"] == q1["message_id"]
    )
    student.press(q2, button="Faux")
    q3 = await student.wait_for_message("geler les avoirs")
    old_stop = buttons(q3)["⏹ Stop"]
    mark = last_id(tg, student)
    student.send_text("2006")
    q4 = await student.wait_for_message("Loukachenko", after=mark)
    # The typed question's « Stop » went: one « Stop » in the chat, the open question's.
    await tg.wait_for(
        lambda: sum("⏹ Stop" in buttons(m) for m in student.messages()) == 1,
        what="one Stop button left",
    )
    student.press(q3, old_stop, strict=False)  # a stale « Stop » (e.g. a slow client)
    await tg.wait_for(
        lambda: any(
            c.method == "answerCallbackQuery" and "ancienne question" in str(c.params)
            for c in tg.sent
        ),
        what="the old Stop answered",
    )
    mark = last_id(tg, student)
    student.send_text("1994")
    await student.wait_for_message("✅", after=mark)  # the session went on
    assert count_reviews(db) == 4
    assert q4 is not None


# -- « J'avais raison » (issue 16, item 7) ---------------------------------------------------


async def test_i_was_right_button_and_the_teachers_class_view(
    bot: BotApplication,
    tg: FakeTelegram,
    student: FakeUser,
    teacher: FakeUser,
    db: sessionmaker[Session],
) -> None:
    code = await create_class(tg, teacher, "3e B")
    await join(tg, student, code, "Bienvenue dans la classe « 3e B »")
    mark = last_id(tg, student)
    student.send_command("/quiz")
    q1 = await student.wait_for_message("principal allié", after=mark)
    student.press(q1, buttons(q1)["la Russie"])
    q2 = await tg.wait_for_message(
        student.chat_id, "membre de l'OTAN", where=lambda m: m["message_id"] == q1["message_id"]
    )
    student.press(q2, button="Faux")
    await student.wait_for_message("geler les avoirs")
    mark = last_id(tg, student)
    student.send_text("MMVI")
    verdict = await student.wait_for_message("Loukachenko", after=mark)
    assert verdict["text"].startswith("❌")
    assert "✋ J'avais raison" in buttons(verdict)

    mark = last_id(tg, student)
    student.press(verdict, button="✋ J'avais raison")
    await student.wait_for_message("compte juste", after=mark)
    await tg.wait_for(
        lambda: (
            "✋ J'avais raison"
            not in buttons(
                next(m for m in student.messages() if m["message_id"] == verdict["message_id"])
            )
        ),
        what="the override button gone",
    )
    after = next(m for m in student.messages() if m["message_id"] == verdict["message_id"])
    assert "⏹ Stop" in buttons(after)  # the open question keeps its own buttons

    mark = last_id(tg, teacher)
    teacher.send_command("/classe")
    overview = await teacher.wait_for_message("🏫 3e B", after=mark)
    assert "J'avais raison" in overview["text"] and "« MMVI »" in overview["text"]


def test_the_summary_offers_review_ahead_when_no_new_question_waits() -> None:
    from bot.services.views import SessionSummary
    from bot.tg import keyboards
    from bot.tg.texts.fr import FR

    ahead = keyboards.after_summary(FR, SessionSummary(1, 1, None, review_ahead=True))
    assert ahead is not None
    assert [b.text for row in ahead.inline_keyboard for b in row] == ["⏩ Réviser en avance"]
    more = keyboards.after_summary(
        FR, SessionSummary(1, 1, None, more_new=True, review_ahead=True)
    )
    assert more is not None
    assert [b.text for row in more.inline_keyboard for b in row] == ["➕ Encore 10 nouvelles"]
