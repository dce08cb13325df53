"""Teacher exports read back: the CSV with the csv module, the .apkg as a zip of SQLite."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Card, Deck, Question, Review, User
from bot.services.exports import CSV_COLUMNS, ExportService, UnknownDeck

UTC = dt.UTC
NOW = dt.datetime(2026, 5, 20, 12, tzinfo=UTC)


def _seed(session: Session) -> None:
    deck = Deck(slug="histoire", title="Histoire", content_hash="h")
    other = Deck(slug="geo", title="Géo", content_hash="h")
    qs = [
        Question(
            deck=deck,
            key="annee",
            position=0,
            kind="open",
            prompt="En quelle année ?",
            answer="2006",
            source_sentence="En 2006, l'UE gèle les avoirs.",
            content_hash="h",
        ),
        Question(
            deck=deck,
            key="pays",
            position=1,
            kind="choice",
            prompt="Quel pays ?",
            answer="la Russie",
            distractors=["la Chine", "l'Inde"],
            content_hash="h",
        ),
        Question(
            deck=deck,
            key="trou",
            position=2,
            kind="cloze",
            prompt="L'UE gèle les avoirs en {{2006}}.",
            answer="2006",
            content_hash="h",
        ),
        Question(
            deck=deck,
            key="vieux",
            position=3,
            kind="open",
            prompt="Retirée ?",
            answer="x",
            content_hash="h",
            retired_at=NOW,
        ),
        Question(
            deck=other,
            key="capitale",
            position=0,
            kind="open",
            prompt="Capitale ?",
            answer="Minsk",
            content_hash="h",
        ),
    ]
    lea, tom = User(telegram_id=1, display_name="Léa"), User(telegram_id=2, display_name="Tom")
    session.add_all([deck, other, *qs, lea, tom])
    session.flush()
    plan = [
        (lea, qs[0], [True, False]),
        (lea, qs[4], [True]),
        (tom, qs[0], []),
        (tom, qs[1], [False]),
    ]
    n = 0
    for user, q, results in plan:
        card = Card(user_id=user.id, question_id=q.id, due=NOW, reps=len(results))
        session.add(card)
        session.flush()
        for i, ok in enumerate(results):
            n += 1
            when = NOW - dt.timedelta(days=10 * i)
            session.add(
                Review(
                    card_id=card.id,
                    user_id=user.id,
                    question_id=q.id,
                    idempotency_key=f"k{n}",
                    rating=3,
                    verdict="correct" if ok else "wrong",
                    correct=ok,
                    given_answer="",
                    reviewed_at=when,
                    prev_state=1,
                    prev_due=when,
                    prev_reps=0,
                    prev_lapses=0,
                )
            )
    session.commit()


def test_class_csv_has_one_row_per_student_and_deck(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session:
        _seed(session)
    rows = list(csv.DictReader(io.StringIO(ExportService(session_factory).class_csv(NOW))))
    assert tuple(rows[0]) == CSV_COLUMNS
    got = {(r["eleve"], r["paquet"]): r for r in rows}
    assert set(got) == {("Léa", "geo"), ("Léa", "histoire"), ("Tom", "histoire")}
    lea = got[("Léa", "histoire")]
    assert (lea["cartes"], lea["reponses"], lea["bonnes_reponses"]) == ("1", "2", "1")
    assert (lea["reussite_pct"], lea["reponses_7j"]) == ("50", "1")
    tom = got[("Tom", "histoire")]
    assert (tom["cartes"], tom["reponses"], tom["reussite_pct"]) == ("2", "1", "0")


def test_class_csv_leaves_the_teachers_out(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        _seed(session)
    text = ExportService(session_factory).class_csv(NOW, exclude_telegram_ids={2})  # Tom
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["eleve"], r["paquet"]) for r in rows] == [("Léa", "geo"), ("Léa", "histoire")]


def test_anki_package_holds_the_live_questions(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory() as session:
        _seed(session)
    out = tmp_path / "histoire.apkg"
    result = ExportService(session_factory).anki_package("histoire", out)
    assert result.notes == 3
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "col").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col")
    try:
        fields = [row[0].split("\x1f") for row in db.execute("select flds from notes")]
        decks = db.execute("select decks from col").fetchone()[0]
    finally:
        db.close()
    assert len(fields) == 3
    assert ["L'UE gèle les avoirs en {{c1::2006}}.", ""] in [
        [f.replace("&#x27;", "'") for f in note] for note in fields
    ]
    assert any(note[0].startswith("Quel pays ?<br>") and "la Chine" in note[0] for note in fields)
    assert "Histoire" in decks


def test_anki_unknown_deck(session_factory: sessionmaker[Session], tmp_path: Path) -> None:
    with pytest.raises(UnknownDeck):
        ExportService(session_factory).anki_package("nope", tmp_path / "x.apkg")
