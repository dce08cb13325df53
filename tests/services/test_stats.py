"""/stats figures from the database, on both engines, and the chart built from them."""

from __future__ import annotations

import datetime as dt
import io
import struct

from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Card, Deck, DeckChoice, Question, Review, User
from bot.render.chart import HEIGHT_PX, WIDTH_PX, chart_data, render_chart
from bot.render.stats_text import render_stats
from bot.services.stats import StatsService

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 10, 22, 30, tzinfo=UTC)


def _seed(session: Session, tz: str) -> int:
    user = User(telegram_id=1, display_name="Léa", timezone=tz)
    deck = Deck(slug="d", title="D", content_hash="h")
    questions = [
        Question(
            deck=deck,
            key=f"q{i}",
            position=i,
            kind="open",
            prompt=f"Question {i} ?",
            answer="2006",
            content_hash="h",
        )
        for i in range(5)
    ]
    session.add_all([user, deck, *questions])
    session.flush()
    due = [dt.datetime(2026, 3, 8, tzinfo=UTC), dt.datetime(2026, 3, 11, 3, tzinfo=UTC)]
    cards = [
        Card(user_id=user.id, question_id=q.id, state=2, reps=2, due=d, stability=3.0)
        for q, d in zip(questions[:2], due, strict=True)
    ]
    session.add_all(cards)
    session.flush()
    answers = [  # (card, when, correct)
        (0, dt.datetime(2026, 3, 9, 23, 30, tzinfo=UTC), False),
        (0, dt.datetime(2026, 3, 9, 23, 31, tzinfo=UTC), False),
        (1, dt.datetime(2026, 3, 10, 12, 0, tzinfo=UTC), True),
        (1, dt.datetime(2026, 3, 8, 12, 0, tzinfo=UTC), True),
    ]
    for i, (c, when, ok) in enumerate(answers):
        card = cards[c]
        session.add(
            Review(
                card_id=card.id,
                user_id=user.id,
                question_id=card.question_id,
                idempotency_key=f"k{i}",
                rating=3 if ok else 1,
                verdict="correct" if ok else "wrong",
                correct=ok,
                given_answer="x",
                reviewed_at=when,
                prev_state=1,
                prev_due=when,
                prev_reps=0,
                prev_lapses=0,
            )
        )
    session.commit()
    return user.id


def test_student_figures_in_paris(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        user_id = _seed(session, "Europe/Paris")
    report = StatsService(session_factory).student(user_id, NOW)
    f = report.figures
    assert (f.new, f.learning, f.known) == (3, 0, 2)
    assert (f.answers_7d, f.correct_7d, f.answers_30d) == (4, 2, 4)
    # Paris: answers on the 8th and the 10th (23:30 UTC is already the 10th): nothing on
    # the 9th, so the current run is the 10th alone.
    assert (f.current_streak, f.best_streak) == (1, 1)
    assert (f.due_today, f.due_tomorrow) == (1, 1)
    assert [w.prompt for w in report.weakest] == ["Question 0 ?"]
    text = render_stats(report)
    assert "3 nouvelles · 0 en cours · 2 connues" in text
    assert "4 en 7 jours (50 % de justes)" in text
    assert "1 aujourd'hui · 1 demain" in text


def test_student_figures_in_montreal(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        user_id = _seed(session, "America/Montreal")
    f = StatsService(session_factory).student(user_id, NOW).figures
    # Montreal: the 8th, the 9th (late answers) and the 10th: three days in a row.
    assert (f.current_streak, f.best_streak) == (3, 3)
    assert (f.due_today, f.due_tomorrow) == (2, 0)


def test_new_questions_are_the_studyable_ones_without_a_card(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session:
        user_id = _seed(session, "Europe/Paris")
        off = Deck(slug="off", title="Coupé", content_hash="h")
        gone = Deck(slug="gone", title="Retiré", content_hash="h", retired_at=NOW)
        session.add_all([off, gone])
        session.flush()
        session.add_all(
            Question(
                deck_id=deck.id, key="k", kind="open", prompt="?", answer="a", content_hash="h"
            )
            for deck in (off, gone)
        )
        retired = session.query(Question).filter_by(key="q4").one()
        retired.retired_at = NOW
        session.add(DeckChoice(user_id=user_id, deck_id=off.id, enabled=False))
        session.commit()
    # Five questions in « d », two with a card, one retired; « off » switched off, « gone »
    # retired: two new questions.
    assert StatsService(session_factory).student(user_id, NOW).figures.new == 2


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_chart_is_a_png_of_the_expected_size_drawn_from_the_text_figures(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session:
        user_id = _seed(session, "Europe/Paris")
    report = StatsService(session_factory).student(user_id, NOW)
    png = render_chart(report.figures)
    assert _png_size(png) == (WIDTH_PX, HEIGHT_PX)
    data = chart_data(report.figures)
    f = report.figures
    assert sum(data.answers) == f.answers_30d
    assert sum(data.answers[-7:]) == f.answers_7d
    assert data.forecast[0] == f.due_today and data.forecast[1] == f.due_tomorrow
    assert sum(data.forecast[:7]) == f.due_week
    assert io.BytesIO(png).getbuffer().nbytes > 5000
