"""The one place where « studyable » and « due » are written, as SQL expression builders.

Studying (:mod:`bot.db.repositories.study`: the next card, the next new question, when
something is next) and the daily prompts (:mod:`bot.db.repositories.reminders`: how much there
is to study) both build their statements from these, so the two cannot disagree:

* a question is **studyable** for a student when it and its deck are live (not retired), the
  deck is *available* to the student (:func:`available`: a deck without a class is for
  everybody, a class's deck for the class's students, or the student switched it on
  themselves) and the student has not switched the deck off;
* a card is **due** at ``now`` when it was answered at least once outside practice
  (``reps > 0``), ``due <= now``, it is not suspended and its question is studyable;
* a question is **new** for a student when it is studyable and the student has no card for
  it, or only an unsuspended card never answered outside practice (``reps == 0``: shown and
  left unanswered, or met in practice). New questions go through the daily limit of new
  cards; a never-answered card is not « due » (practice cannot bypass the limit).

The builders work on the tables (Core), with the student given as any integer expression: a
bind parameter for one student, ``cards.user_id`` for a batch of them. They need
``questions`` and ``decks`` in the FROM clause (and ``cards`` for :func:`due_card`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, exists, not_, or_

from bot.db.models import Card, ClassDeck, ClassMember, Deck, DeckChoice, Question

questions = cast(Table, Question.__table__)
decks = cast(Table, Deck.__table__)
choices = cast(Table, DeckChoice.__table__)
cards = cast(Table, Card.__table__)
class_decks = cast(Table, ClassDeck.__table__)
class_members = cast(Table, ClassMember.__table__)


def live_question() -> ColumnElement[bool]:
    """The question and its deck are live (not retired), for everybody."""
    return and_(questions.c.retired_at.is_(None), decks.c.retired_at.is_(None))


def switched_off() -> ColumnElement[bool]:
    """A ``deck_choices`` row that switches its deck off for its student."""
    return choices.c.enabled.is_(False)


def available(user_id: ColumnElement[Any], deck_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """The deck ``deck_id`` is for the student ``user_id``: it has no class (everybody's, as
    before classes existed), or it is a deck of one of the student's classes, or the student
    switched it on themselves."""
    # Aliases: the caller's FROM may hold these tables (a deck list joins its choices).
    assigned, mine, member, chosen = (
        class_decks.alias("cd_any"),
        class_decks.alias("cd_mine"),
        class_members.alias("cm_mine"),
        choices.alias("dc_on"),
    )
    in_a_class = exists().where(assigned.c.deck_id == deck_id)
    of_my_class = exists().where(
        mine.c.deck_id == deck_id,
        member.c.class_id == mine.c.class_id,
        member.c.user_id == user_id,
    )
    switched_on = exists().where(
        chosen.c.user_id == user_id, chosen.c.deck_id == deck_id, chosen.c.enabled.is_(True)
    )
    return or_(not_(in_a_class), of_my_class, switched_on)


def studyable(user_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """The question and its deck are live, the deck is :func:`available` to the student
    ``user_id`` and they have not switched it off."""
    off = exists().where(
        choices.c.user_id == user_id, choices.c.deck_id == questions.c.deck_id, switched_off()
    )
    return and_(live_question(), available(user_id, questions.c.deck_id), not_(off))


def started_card() -> ColumnElement[bool]:
    """The card was answered at least once outside practice (it has a schedule)."""
    return cards.c.reps > 0


def due_card(
    user_id: ColumnElement[Any], now: ColumnElement[Any] | dt.datetime
) -> ColumnElement[bool]:
    """The card is the student's, started, due at ``now``, unsuspended and its question
    studyable."""
    return and_(
        cards.c.user_id == user_id,
        started_card(),
        cards.c.due <= now,
        cards.c.suspended_at.is_(None),
        studyable(user_id),
    )


def live_card(user_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """The card is the student's, started, unsuspended and its question studyable (due or
    not)."""
    return and_(
        cards.c.user_id == user_id,
        started_card(),
        cards.c.suspended_at.is_(None),
        studyable(user_id),
    )


def not_started(user_id: ColumnElement[Any]) -> ColumnElement[bool]:
    """The student has no card for the question in the FROM clause, or only an unsuspended
    one never answered outside practice: with :func:`studyable`, the question is new."""
    # An alias: the outer query may join ``cards`` itself (the never-answered card).
    other = cards.alias("started_cards")
    started_or_suspended = exists().where(
        other.c.user_id == user_id,
        other.c.question_id == questions.c.id,
        (other.c.reps > 0) | other.c.suspended_at.is_not(None),
    )
    return not_(started_or_suspended)
