"""Self-rated cards in the terminal quiz, on both engines: Entrée (or an attempt) shows the
answer, « Tu la savais ? » takes o / p / n and their variants, anything else asks again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.console.chat import self_rating
from bot.db.models import Review
from bot.domain.grading import SelfRating
from tests.console.test_chat import Script, chat

DECK = """\
version: 1
deck:
  id: pourquoi
  title: "Comprendre"
questions:
  - id: sanctions
    kind: self_rated
    prompt: "Pourquoi l'UE sanctionne-t-elle la Biélorussie en 2006 ?"
    answer: "Elle juge l'élection truquée et condamne la répression."
    explanation: "Les sanctions visent les dirigeants."
  - id: gaz
    kind: self_rated
    prompt: "Pourquoi la Biélorussie dépend-elle de la Russie ?"
    answer: "Elle achète le gaz russe à bas prix."
"""


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "pourquoi.yaml").write_text(DECK, encoding="utf-8")
    return folder


@pytest.fixture
def settings(questions_dir: Path) -> Settings:
    return Settings(_env_file=None, questions_dir=questions_dir)  # type: ignore[call-arg]


def test_reveal_then_rate_yourself(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    script = Script("", "peut-être", "P", "à cause du gaz", "Non !", "/quitter")

    assert chat(settings, engine, script) == 0

    out = script.out.getvalue()
    assert (
        "— Comprendre · nouvelle —\n"
        "Pourquoi l'UE sanctionne-t-elle la Biélorussie en 2006 ?\n"
        "Entrée pour voir la réponse (ou tape ta réponse).\n"
        "> \n"
        "Réponse : Elle juge l'élection truquée et condamne la répression.\n"
        "Explication : Les sanctions visent les dirigeants.\n"
        "Tu la savais ? o = oui, p = en partie, n = non\n"
        "> peut-être\n"
        "Réponds juste o (oui), p (en partie) ou n (non).\n"
        "Tu la savais ? o = oui, p = en partie, n = non\n"
        "> P\n"
        "En partie : elle reviendra un peu plus tôt.\n"
        "Session : 1 réponse, 0 juste.\n"
    ) in out
    assert (
        "> à cause du gaz\n"
        "Réponse : Elle achète le gaz russe à bas prix.\n"
        "Ta réponse : à cause du gaz\n"
        "Tu la savais ? o = oui, p = en partie, n = non\n"
        "> Non !\n"
        "Pas grave, elle reviendra bientôt pour que tu la retiennes.\n"
        "Session : 2 réponses, 0 juste.\n"
    ) in out
    with session_factory() as s:
        rows = s.scalars(select(Review).order_by(Review.id)).all()
        assert [(r.verdict, r.rating, r.given_answer) for r in rows] == [
            ("partial", 2, ""),
            ("wrong", 1, "à cause du gaz"),
        ]


def test_quitting_before_rating_records_nothing(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    script = Script("", "/quitter")
    assert chat(settings, engine, script) == 0
    assert "Tu la savais ?" in script.out.getvalue()
    with session_factory() as s:
        assert s.scalars(select(Review)).all() == []


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("o", SelfRating.KNEW),
        ("Oui", SelfRating.KNEW),
        ("  yes. ", SelfRating.KNEW),
        ("je savais", SelfRating.KNEW),
        ("p", SelfRating.PARTLY),
        ("En partie", SelfRating.PARTLY),
        ("un peu", SelfRating.PARTLY),
        ("n", SelfRating.DID_NOT),
        ("NON", SelfRating.DID_NOT),
        ("je ne savais pas", SelfRating.DID_NOT),
        ("", None),
        ("peut-être", None),
        ("on", None),
    ],
)
def test_the_variants_of_an_answer_to_did_you_know_it(
    typed: str, rating: SelfRating | None
) -> None:
    assert self_rating(typed) is rating
