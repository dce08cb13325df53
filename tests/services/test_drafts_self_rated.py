"""A self-rated card in a draft under review (both engines): its answer corrected in the chat
is checked as a file is (600 characters at most), and it is published as ``kind: self_rated``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.deckfile import DeckFormatError, load_deck_file
from bot.domain.deck import Deck, Question, QuestionKind
from bot.services.drafts import DraftService, Field
from bot.services.importing import ImportService
from bot.services.users import UserService
from tests.services.test_classes import (  # noqa: F401 (fixtures)
    NOW,
    TEXT,
    SessionFactory,
    _user,
    importer,
    users,
)


def test_a_self_rated_card_is_corrected_and_published(
    session_factory: SessionFactory, users: UserService, importer: ImportService, tmp_path: Path
) -> None:
    prof = _user(users, 1, "Prof")
    drafts = DraftService(session_factory, importer)
    draft = drafts.create(prof, TEXT, NOW)
    card = Question(
        "pourquoi-1991",
        QuestionKind.SELF_RATED,
        "Pourquoi la Biélorussie devient-elle indépendante en 1991 ?",
        "L'URSS se disloque.",
    )
    drafts.fill(draft.id, Deck(slug="x", title="x", questions=(card,)), NOW)
    item = drafts.current(draft.id, prof)
    assert item is not None and item.question.kind is QuestionKind.SELF_RATED

    with pytest.raises(DeckFormatError) as refused:  # a card's answer fits on a screen
        drafts.correct(draft.id, item.id, prof, Field.ANSWER, "mot " * 160, NOW)
    assert "600 au maximum pour une carte à auto-évaluer" in str(refused.value.problems[0])
    sentence = "L'URSS se disloque et les républiques proclament leur indépendance."
    step = drafts.correct(draft.id, item.id, prof, Field.ANSWER, sentence, NOW)
    assert step.next is None and step.draft.corrected == 1

    published = drafts.publish(draft.id, prof, tmp_path, NOW)
    assert "kind: self_rated" in published.path.read_text(encoding="utf-8")
    (back,) = load_deck_file(published.path).questions
    assert (back.kind, back.answer) == (QuestionKind.SELF_RATED, sentence)
