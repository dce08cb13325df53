"""Reads for the teacher's exports: per student × deck figures, and a deck's live questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select, true
from sqlalchemy.orm import Session

from bot.db.models import Card, Deck, Question, Review, User


@dataclass(frozen=True, slots=True)
class StudentDeckRow:
    user_id: int
    student: str
    deck_slug: str
    cards: int
    answers: int
    correct: int
    answers_7d: int
    last_answer_at: dt.datetime | None
    #: Practice answers (not in ``answers``).
    practice_answers: int = 0


def student_deck_rows(
    session: Session,
    week_start: dt.datetime,
    *,
    exclude_telegram_ids: Collection[int] = (),
    members: Select[int] | None = None,
) -> list[StudentDeckRow]:
    """One row per (student, deck) the student holds cards in; ``exclude_telegram_ids``: the
    teachers, left out; ``members``: only these users (a class's students)."""
    studied = Review.practice.is_(False)
    answers = (
        select(
            Review.user_id.label("user_id"),
            Question.deck_id.label("deck_id"),
            # Practice answers (the schedule untouched) are counted apart, not as study.
            func.sum(case((studied, 1), else_=0)).label("answers"),
            func.sum(case((studied & Review.correct, 1), else_=0)).label("correct"),
            func.sum(case((studied & (Review.reviewed_at >= week_start), 1), else_=0)).label(
                "answers_7d"
            ),
            func.sum(case((Review.practice, 1), else_=0)).label("practice"),
            func.max(Review.reviewed_at).label("last_at"),
        )
        .join(Question, Question.id == Review.question_id)
        .where(true() if members is None else Review.user_id.in_(members))
        .group_by(Review.user_id, Question.deck_id)
        .subquery()
    )
    cards = (
        select(
            Card.user_id.label("user_id"),
            Question.deck_id.label("deck_id"),
            func.count(Card.id).label("cards"),
        )
        .join(Question, Question.id == Card.question_id)
        .where(true() if members is None else Card.user_id.in_(members))
        .group_by(Card.user_id, Question.deck_id)
        .subquery()
    )
    query = (
        select(
            User.id,
            User.display_name,
            Deck.slug,
            cards.c.cards,
            func.coalesce(answers.c.answers, 0),
            func.coalesce(answers.c.correct, 0),
            func.coalesce(answers.c.answers_7d, 0),
            answers.c.last_at,
            func.coalesce(answers.c.practice, 0),
        )
        .select_from(cards)
        .join(User, User.id == cards.c.user_id)
        .join(Deck, Deck.id == cards.c.deck_id)
        .outerjoin(
            answers,
            (answers.c.user_id == cards.c.user_id) & (answers.c.deck_id == cards.c.deck_id),
        )
        .order_by(Deck.slug, User.display_name, User.id)
    )
    if exclude_telegram_ids:
        query = query.where(
            User.telegram_id.is_(None) | User.telegram_id.not_in(list(exclude_telegram_ids))
        )
    rows = session.execute(query).all()
    return [
        StudentDeckRow(uid, name, slug, n, int(a), int(c), int(a7), last, int(p))
        for uid, name, slug, n, a, c, a7, last, p in rows
    ]


@dataclass(frozen=True, slots=True)
class ExportedQuestion:
    """What an Anki note needs of a question."""

    key: str
    kind: str
    prompt: str
    answer: str
    distractors: tuple[str, ...]
    source_sentence: str | None


@dataclass(frozen=True, slots=True)
class ExportedDeck:
    slug: str
    title: str
    questions: tuple[ExportedQuestion, ...]


def live_questions(session: Session, deck_slug: str) -> ExportedDeck | None:
    """The deck (retired or not) with its live questions in file order; None if unknown."""
    found = session.execute(
        select(Deck.id, Deck.title).where(Deck.slug == deck_slug)
    ).one_or_none()
    if found is None:
        return None
    deck_id, title = found
    rows = session.execute(
        select(
            Question.key,
            Question.kind,
            Question.prompt,
            Question.answer,
            Question.distractors,
            Question.source_sentence,
        )
        .where(Question.deck_id == deck_id, Question.retired_at.is_(None))
        .order_by(Question.position, Question.id)
    )
    questions = tuple(
        ExportedQuestion(key, kind, prompt, answer, tuple(distractors), source)
        for key, kind, prompt, answer, distractors, source in rows
    )
    return ExportedDeck(deck_slug, title, questions)
