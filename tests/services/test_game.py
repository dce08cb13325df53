"""The class game's use cases on both engines: who may run it, one game per group, votes
counted once, the timer and the last vote racing, practice logged once, stop and restart."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Card, Question, Review, User
from bot.services.game import (
    ABANDONED_AFTER,
    AnswerStatus,
    EndReason,
    GameService,
    NextStatus,
    PollToSend,
    ResumeAction,
    StartStatus,
    StopStatus,
    TeachersAnywhere,
)
from bot.services.importing import ImportService
from bot.services.study import StudyService
from bot.services.views import UndoStatus

NOW = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)
CHAT = -100900
TEACHER = 900
SECOND = dt.timedelta(seconds=1)

DECK = (
    """\
version: 1
deck:
  id: jeu
  title: "Jeu"
questions:
"""
    + "".join(
        f"""\
  - id: q{n}
    kind: choice
    prompt: "Question {n} ?"
    answer: "oui {n}"
    distractors: ["non {n}", "peut-être {n}"]
"""
        for n in range(1, 7)
    )
    + """\
  - id: ouverte
    kind: open
    prompt: "Sans propositions ?"
    answer: "rien"
"""
)


class ClassAccess:
    """A class of the group: its teacher only, its decks only (as ClassService will)."""

    def __init__(self, teacher: int, slugs: Sequence[str]) -> None:
        self.teacher, self.slugs = teacher, list(slugs)

    def may_run(self, chat_id: int, telegram_id: int) -> bool:
        return telegram_id == self.teacher

    def deck_slugs(self, chat_id: int) -> Sequence[str] | None:
        return self.slugs


@pytest.fixture
def games(session_factory: sessionmaker[Session]) -> GameService:
    ImportService(session_factory).import_bytes(DECK.encode(), "jeu.yaml", NOW)
    return GameService(
        session_factory, TeachersAnywhere({TEACHER}), rng_factory=lambda: random.Random(5)
    )


def started(games: GameService, count: int = 5, players: int = 2) -> int:
    outcome = games.start(CHAT, TEACHER, "jeu", count, 10, NOW, players_expected=players)
    assert outcome.status is StartStatus.STARTED and outcome.game is not None
    return outcome.game.id


def ask(games: GameService, game_id: int, at: dt.datetime = NOW) -> PollToSend:
    step = games.next_question(game_id)
    assert step.status is NextStatus.ASK and step.poll is not None
    games.poll_sent(step.poll.game_question_id, f"poll-{step.poll.position}", 10, at)
    return step.poll


def test_only_teachers_start_and_only_playable_questions_count(games: GameService) -> None:
    assert games.decks(CHAT)[0].playable == 6
    assert games.start(CHAT, 1, "jeu", 5, 10, NOW).status is StartStatus.NOT_ALLOWED
    assert games.start(CHAT, TEACHER, "nope", 5, 10, NOW).status is StartStatus.NO_DECK
    with pytest.raises(ValueError, match="unsupported"):
        games.start(CHAT, TEACHER, "jeu", 7, 10, NOW)
    outcome = games.start(CHAT, TEACHER, "jeu", 10, 10, NOW)
    assert outcome.game is not None and outcome.game.question_count == 6  # all it has
    again = games.start(CHAT, TEACHER, "jeu", 5, 10, NOW)
    assert again.status is StartStatus.ALREADY_RUNNING


def test_a_class_access_limits_teachers_and_decks(
    session_factory: sessionmaker[Session], games: GameService
) -> None:
    other = GameService(session_factory, ClassAccess(42, ["autre"]))
    assert other.decks(CHAT) == ()
    assert other.start(CHAT, TEACHER, "jeu", 5, 10, NOW).status is StartStatus.NOT_ALLOWED
    assert other.start(CHAT, 42, "jeu", 5, 10, NOW).status is StartStatus.NO_DECK


def test_votes_count_once_and_the_last_expected_one_closes_the_question(
    games: GameService,
) -> None:
    game_id = started(games, players=2)
    poll = ask(games, game_id)
    pid = "poll-0"
    right, wrong = poll.correct, (poll.correct + 1) % len(poll.options)
    first = games.answer(pid, 1, "Ana", [right], NOW + 2 * SECOND)
    assert (first.status, first.everyone_in) == (AnswerStatus.RECORDED, False)
    assert games.answer(pid, 1, "Ana", [wrong], NOW + 3 * SECOND).status is AnswerStatus.DUPLICATE
    assert games.answer(pid, TEACHER, "Prof", [right], NOW).status is AnswerStatus.IGNORED
    assert games.answer("other", 1, "Ana", [right], NOW).status is AnswerStatus.UNKNOWN
    last = games.answer(pid, 2, "Bob", [wrong], NOW + 4 * SECOND)
    assert last.everyone_in

    # The last vote and the timer race: one closes, the other finds it closed.
    closed = games.close(game_id, 0, NOW + 4 * SECOND)
    assert closed is not None and (closed.answered, closed.correct) == (2, 1)
    assert closed.closed_early
    assert games.close(game_id, 0, NOW + 11 * SECOND) is None
    assert games.answer(pid, 3, "Cy", [right], NOW + 5 * SECOND).status is AnswerStatus.LATE

    results = games.results(game_id)
    assert results is not None
    assert [(p.name, p.correct, p.correct_ms, p.by_question) for p in results.players] == [
        ("Ana", 1, 2000, (True,)),
        ("Bob", 0, 0, (False,)),
    ]


def test_a_students_vote_is_practice_once_and_leaves_the_schedule_alone(
    session_factory: sessionmaker[Session], games: GameService
) -> None:
    with session_factory() as session:
        user = User(telegram_id=1, chat_id=1, display_name="Ana")
        session.add(user)
        session.flush()
        user_id = user.id
        for qid in session.scalars(select(Question.id)):
            session.add(Card(user_id=user_id, question_id=qid, due=NOW, state=1))
        session.commit()
    game_id = started(games)
    poll = ask(games, game_id)
    games.answer("poll-0", 1, "Ana", [poll.correct], NOW + SECOND)
    games.answer("poll-0", 1, "Ana", [poll.correct], NOW + SECOND)  # re-delivered
    with session_factory() as session:
        reviews = session.scalars(select(Review)).all()
        assert [(r.practice, r.correct, r.response_ms) for r in reviews] == [(True, True, 1000)]
        assert session.scalar(select(func.max(Card.reps))) == 0
        assert {c.due for c in session.scalars(select(Card))} == {NOW}
    # /annuler in private right after the game takes back no game answer.
    undone = StudyService(session_factory).undo_last(user_id, NOW + 2 * SECOND)
    assert undone.status is UndoStatus.NOTHING
    with session_factory() as session:
        assert len(session.scalars(select(Review)).all()) == 1


def test_stop_ends_the_game_with_the_scores_so_far(games: GameService) -> None:
    game_id = started(games)
    poll = ask(games, game_id)
    games.answer("poll-0", 1, "Ana", [poll.correct], NOW + SECOND)
    assert games.stop(CHAT, 1, NOW).status is StopStatus.NOT_ALLOWED
    stopped = games.stop(CHAT, TEACHER, NOW + 2 * SECOND)
    assert stopped.status is StopStatus.STOPPED and stopped.results is not None
    assert stopped.closed is not None and stopped.closed.closed_early
    assert stopped.results.reason is EndReason.STOPPED
    assert (stopped.results.asked, stopped.results.total) == (1, 5)
    assert games.stop(CHAT, TEACHER, NOW).status is StopStatus.NO_GAME
    assert games.next_question(game_id).status is NextStatus.ENDED


def test_after_a_restart_each_game_closes_on_time_goes_on_or_is_ended(
    session_factory: sessionmaker[Session], games: GameService
) -> None:
    open_poll = started(games)
    ask(games, open_poll)
    other = GameService(session_factory, TeachersAnywhere({TEACHER}))
    never_sent = other.start(-2, TEACHER, "jeu", 5, 10, NOW).game
    assert never_sent is not None
    step = other.next_question(never_sent.id)  # advanced, then the process died
    assert step.poll is not None
    old = other.start(-3, TEACHER, "jeu", 5, 10, NOW - ABANDONED_AFTER - SECOND).game
    assert old is not None

    steps = {s.game_id: s for s in games.resume(NOW + 3 * SECOND)}
    assert steps[open_poll].action is ResumeAction.CLOSE_AT
    assert steps[open_poll].closes_at == NOW + 10 * SECOND
    assert steps[never_sent.id].action is ResumeAction.NEXT
    again = games.next_question(never_sent.id)  # the same question, not the next one
    assert again.poll is not None and again.poll.position == step.poll.position == 0
    assert steps[old.id].action is ResumeAction.ENDED
    ended = steps[old.id].results
    assert ended is not None and ended.reason is EndReason.ABANDONED


def test_the_last_question_closed_means_the_game_is_done(games: GameService) -> None:
    game_id = started(games, count=5)
    for position in range(5):
        poll = ask(games, game_id)
        assert poll.position == position
        assert games.next_question(game_id).status is NextStatus.OPEN
        games.close(game_id, position, NOW + SECOND)
    assert games.next_question(game_id).status is NextStatus.DONE
    results = games.finish(game_id, NOW)
    assert results is not None and results.asked == 5 and results.players == ()
    assert results.hardest is None
    assert games.finish(game_id, NOW) is None  # summed up once
