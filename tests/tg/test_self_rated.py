"""Self-rated cards through the real Application against the fake Bot API: « Voir la réponse »
records nothing, the student's verdict is recorded once, a typed text is an attempt, stale
verdict buttons change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.models import Card, Review
from bot.domain.deck import Deck, Question, QuestionKind
from bot.services.clock import utcnow
from bot.services.container import build_services
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import (
    FAST,
    TEACHER_ID,
    buttons,
    count_reviews,
    get_user,
    has_buttons,
    last_id,
)

#: Two self-rated cards, then an open question.
CARDS = """\
version: 1
deck:
  id: bielorussie-pourquoi
  title: "Biélorussie : comprendre"
questions:
  - id: sanctions-pourquoi
    kind: self_rated
    prompt: "Pourquoi l'UE sanctionne-t-elle la Biélorussie en 2006 ?"
    answer: "Elle juge l'élection présidentielle truquée et condamne la répression."
    source: "Après l'élection de mars 2006, jugée truquée, l'UE gèle les avoirs des dirigeants."
    explanation: "Les sanctions visent les dirigeants, pas la population."
  - id: gaz-pourquoi
    kind: self_rated
    prompt: "Pourquoi la Biélorussie dépend-elle de la Russie ?"
    answer: "Elle achète le gaz russe à bas prix."
  - id: ue-gel-avoirs-2006
    kind: open
    prompt: "En quelle année l'UE gèle-t-elle les avoirs des dirigeants biélorusses ?"
    answer: "2006"
"""


@pytest.fixture
def deck_yaml() -> str:
    return CARDS


def reviews(db: sessionmaker[Session]) -> list[tuple[str, int, str]]:
    with db() as s:
        rows = s.scalars(select(Review).order_by(Review.id))
        return [(r.verdict, r.rating, r.given_answer) for r in rows]


async def test_reveal_then_rate_then_the_next_card(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    card = await student.wait_for_message("sanctionne")
    assert "Réfléchis à ta réponse" in card["text"]
    assert list(buttons(card)) == ["👀 Voir la réponse", "⏹ Stop"]

    press = student.press(card, button="👀 Voir la réponse")
    revealed = await student.wait_for_message("La réponse : Elle juge")
    assert (await tg.wait_for_callback_answer(press)).text is None
    assert revealed["message_id"] == card["message_id"]  # the card itself shows the answer
    text = revealed["text"]
    assert "Pourquoi l'UE sanctionne-t-elle" in text
    assert "📖 Dans le texte : « Après l'élection de mars 2006" in text
    assert "💡 Les sanctions visent les dirigeants" in text
    assert text.endswith(
        "👇 Tu la savais ? Sois honnête : c'est ce qui décide quand elle revient."
    )
    assert list(buttons(revealed)) == [
        "✅ Je savais",
        "🤏 En partie",
        "❌ Je ne savais pas",
        "⏹ Stop",
    ]
    assert count_reviews(db) == 0  # revealing records nothing

    student.press(revealed, button="🤏 En partie")
    after = await student.wait_for_message("dépend-elle de la Russie")
    assert after["message_id"] == card["message_id"]  # verdict and next card, one message
    assert after["text"].startswith(
        "🤏 En partie : elle reviendra un peu plus tôt.\n💬 La réponse : Elle juge"
    )
    assert reviews(db) == [("partial", 2, "")]  # Hard
    assert "👀 Voir la réponse" in buttons(after)

    student.press(after, button="👀 Voir la réponse")
    revealed = await student.wait_for_message("La réponse : Elle achète")
    student.press(revealed, button="✅ Je savais")
    last = await student.wait_for_message("En quelle année")
    assert last["text"].startswith("✅ Top, tu la savais !")
    assert reviews(db) == [("partial", 2, ""), ("correct", 3, "")]  # Good


async def test_a_typed_attempt_reveals_the_answer_beside_it(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    card = await student.wait_for_message("sanctionne")
    typed = student.send_text("à cause des élections")
    revealed = await student.wait_for_message("La réponse : Elle juge", after=typed)
    assert "Ta réponse : à cause des élections" in revealed["text"]
    assert "❌ Je ne savais pas" in buttons(revealed)

    def card_lost_its_buttons() -> bool:  # one live card in the chat
        old = next(m for m in student.messages() if m["message_id"] == card["message_id"])
        return not has_buttons(old)

    await tg.wait_for(card_lost_its_buttons, what="the card's buttons gone")
    assert count_reviews(db) == 0

    student.press(revealed, button="❌ Je ne savais pas")
    after = await student.wait_for_message("dépend-elle de la Russie")
    assert after["text"].startswith("❌ Pas grave, elle reviendra bientôt")
    assert "J'avais raison" not in str(buttons(after))  # the student's own verdict
    assert reviews(db) == [("wrong", 1, "à cause des élections")]  # Again, attempt kept
    with db() as s:
        card_row = s.scalars(select(Card).where(Card.lapses == 0, Card.reps == 1)).one()
        assert card_row.due is not None


async def test_a_typed_attempt_survives_a_restart_before_the_verdict(
    tg: FakeTelegram,
    bot_settings: Settings,
    bot_engine: Engine,
    student: FakeUser,
    db: sessionmaker[Session],
) -> None:
    """The attempt is revealed by one process, the verdict pressed in the next one (its chat
    state knows nothing of the attempt): the attempt is recorded with the verdict."""
    async with running(
        build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)
    ):
        student.send_command("/quiz")
        await student.wait_for_message("sanctionne")
        typed = student.send_text("à cause des élections")
        revealed = await student.wait_for_message("La réponse : Elle juge", after=typed)
        assert "Ta réponse : à cause des élections" in revealed["text"]

    async with running(
        build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)
    ):
        student.press(revealed, button="🤏 En partie")
        after = await student.wait_for_message("dépend-elle de la Russie")
        assert after["text"].startswith("🤏 En partie")
    assert reviews(db) == [("partial", 2, "à cause des élections")]


async def test_a_verdict_for_a_card_no_longer_shown_records_nothing(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    card = await student.wait_for_message("sanctionne")
    student.press(card, button="👀 Voir la réponse")
    revealed = await student.wait_for_message("La réponse : Elle juge")
    knew = buttons(revealed)["✅ Je savais"]
    student.press(revealed, knew)
    await student.wait_for_message("dépend-elle de la Russie")
    assert count_reviews(db) == 1

    # The old « Je savais » (a second tap, an old client), then « Je ne savais pas » forged
    # for the same card: nothing more is recorded.
    again = student.press(revealed, knew, strict=False)
    assert (await tg.wait_for_callback_answer(again)).text == "Déjà répondu 😉"
    other = student.press(revealed, knew.replace(":k", ":n"), strict=False)
    assert (await tg.wait_for_callback_answer(other)).text == "Déjà répondu 😉"
    old_reveal = student.press(revealed, knew.replace("sr:", "rv:")[:-2], strict=False)
    assert (await tg.wait_for_callback_answer(old_reveal)).text == "Déjà répondu 😉"
    assert reviews(db) == [("correct", 3, "")]

    # A card superseded by a newer showing (/quiz again): its buttons are stale too.
    second = await student.wait_for_message("dépend-elle de la Russie")
    student.press(second, button="👀 Voir la réponse")
    shown = await student.wait_for_message("La réponse : Elle achète")
    stale = buttons(shown)["🤏 En partie"]
    mark = last_id(tg, student)
    student.send_command("/quiz")
    await student.wait_for_message("dépend-elle de la Russie", after=mark)
    late = student.press(shown, stale, strict=False)
    assert (await tg.wait_for_callback_answer(late)).text == "Déjà répondu 😉"
    assert reviews(db) == [("correct", 3, "")]


async def test_a_teacher_reviews_a_self_rated_card_of_a_draft(
    bot: BotApplication, tg: FakeTelegram, teacher: FakeUser, db: sessionmaker[Session]
) -> None:
    from tests.services.test_classes import TEXT

    services = bot.bot_data.services
    teacher.send_command("/aide")
    await teacher.wait_for_message("Voici ce que je sais faire")
    prof = get_user(db, TEACHER_ID)
    assert prof is not None
    draft = services.drafts.create(prof.id, TEXT, utcnow(), file_name="essai.txt")
    card = Question(
        "pourquoi-1991",
        QuestionKind.SELF_RATED,
        "Pourquoi la Biélorussie devient-elle indépendante en 1991 ?",
        "L'URSS se disloque.",
    )
    services.drafts.fill(draft.id, Deck(slug="x", title="x", questions=(card,)), utcnow())
    teacher.send_command("/brouillons")
    listed = await teacher.wait_for_message("Tes brouillons")
    teacher.press(listed, button="essai — 0/1 relues")
    item = await teacher.wait_for_message("question 1 sur 1")
    assert (
        "❓ Pourquoi la Biélorussie devient-elle indépendante en 1991 ?\n"
        "🃏 Carte à auto-évaluer : l'élève voit cette réponse et dit lui-même s'il la savait.\n"
        "💬 Réponse montrée : L'URSS se disloque."
    ) in item["text"]
    assert "Réponse attendue" not in item["text"]

    teacher.press(item, button="✏️ Corriger")
    what = await teacher.wait_for_message("Que veux-tu corriger")
    teacher.press(what, button=next(b for b in buttons(what) if "réponse" in b.lower()))
    prompt = await teacher.wait_for_message("élément")
    teacher.send_text("L'URSS se disloque en 1991.", reply_to=prompt)
    done = await teacher.wait_for_message("1 corrigée")
    assert "0 supprimée" in done["text"]
    deck = services.drafts.deck(draft.id, prof.id)
    assert [(q.kind, q.answer) for q in deck.questions] == [
        (QuestionKind.SELF_RATED, "L'URSS se disloque en 1991.")
    ]


OPEN_THEN_CARD = """\
version: 1
deck:
  id: melange
  title: "Mélange"
questions:
  - id: ue-gel-avoirs-2006
    kind: open
    prompt: "En quelle année l'UE gèle-t-elle les avoirs des dirigeants biélorusses ?"
    answer: "2006"
  - id: sanctions-pourquoi
    kind: self_rated
    prompt: "Pourquoi l'UE sanctionne-t-elle la Biélorussie en 2006 ?"
    answer: "Elle juge l'élection présidentielle truquée."
"""


@pytest.mark.parametrize("deck_yaml", [OPEN_THEN_CARD])
async def test_revealing_keeps_the_override_of_the_answer_above(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/quiz")
    await student.wait_for_message("En quelle année")
    typed = student.send_text("en 2007")
    card = await student.wait_for_message("Pourquoi l'UE sanctionne", after=typed)
    assert list(buttons(card)) == ["✋ J'avais raison", "👀 Voir la réponse", "⏹ Stop"]

    student.press(card, button="👀 Voir la réponse")
    revealed = await student.wait_for_message("La réponse : Elle juge")
    assert list(buttons(revealed))[:2] == ["✋ J'avais raison", "✅ Je savais"]
    student.press(revealed, button="✋ J'avais raison")
    await student.wait_for_message("compte")

    def override_gone() -> bool:
        now = next(m for m in student.messages() if m["message_id"] == card["message_id"])
        return "✋ J'avais raison" not in buttons(now)

    await tg.wait_for(override_gone, what="the override button gone")
    now = next(m for m in student.messages() if m["message_id"] == card["message_id"])
    assert list(buttons(now)) == ["✅ Je savais", "🤏 En partie", "❌ Je ne savais pas", "⏹ Stop"]
    with db() as s:  # overruled: counted right, rated Good; the card still to rate
        assert [(r.correct, r.rating) for r in s.scalars(select(Review))] == [(True, 3)]
