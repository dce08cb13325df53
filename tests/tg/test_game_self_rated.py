"""Class games leave self-rated cards out: a deck made only of them is not offered, and the
teacher is told why (through the real Application against the fake Bot API)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import buttons

GROUP = -100778

ONLY_SELF_RATED = """\
version: 1
deck:
  id: comprendre
  title: "Comprendre la Biélorussie"
questions:
  - id: sanctions
    kind: self_rated
    prompt: "Pourquoi l'UE sanctionne-t-elle la Biélorussie en 2006 ?"
    answer: "Elle juge l'élection truquée."
"""


@pytest.fixture
def questions_dir(tmp_path: Path, deck_yaml: str) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "comprendre.yaml").write_text(ONLY_SELF_RATED, encoding="utf-8")
    if deck_yaml:
        (folder / "deck.yaml").write_text(deck_yaml, encoding="utf-8")
    return folder


async def test_a_deck_of_self_rated_cards_is_not_offered_and_the_teacher_is_told(
    tg: FakeTelegram, bot: BotApplication, teacher: FakeUser
) -> None:
    teacher.in_group(GROUP).send_command("/jeu")
    picker = await tg.wait_for_message(GROUP, "quel paquet")
    assert list(buttons(picker)) == ["Biélorussie : relations extérieures"]
    assert picker["text"] == (
        "🎲 Jeu en classe : quel paquet ?\n\n"
        "Pas proposé : « Comprendre la Biélorussie », que des cartes à auto-évaluer (l'élève"
        " dit lui-même s'il savait) ; un sondage du jeu a besoin de propositions à toucher."
    )


@pytest.mark.parametrize("deck_yaml", [""])
async def test_only_self_rated_decks_no_game_and_why(
    tg: FakeTelegram, bot: BotApplication, teacher: FakeUser
) -> None:
    teacher.in_group(GROUP).send_command("/jeu")
    message = await tg.wait_for_message(GROUP, "Aucun paquet ne peut servir au jeu")
    assert "« Comprendre la Biélorussie », que des cartes à auto-évaluer" in message["text"]
    assert not buttons(message)
    assert not tg.poll_messages(GROUP)
