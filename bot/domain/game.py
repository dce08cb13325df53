"""The rules of a live class game: which questions can be a Telegram quiz poll, the poll of
a question, scoring, the leaderboard and the hardest question.

Pure: no Telegram, no database. The randomness (which questions, the order of the options)
comes from the caller's :class:`random.Random`, so a seeded game is always the same game.

Telegram's quiz polls (Bot API ``sendPoll``): a question of 1–300 characters, 2–12 options of
1–100 characters each, one correct option, an explanation of at most 200 characters (shown
after answering: here the source sentence), open for 5–600 seconds.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.deck import FALSE_ANSWER, TRUE_ANSWER, Question, QuestionKind

MIN_OPTIONS = 2
MAX_OPTIONS = 12
MAX_QUESTION_CHARS = 300
MAX_OPTION_CHARS = 100
MAX_EXPLANATION_CHARS = 200
MIN_OPEN_SECONDS = 5
MAX_OPEN_SECONDS = 600
#: Options of a game question: the answer and up to three distractors (a phone screen).
GAME_OPTIONS = 4
#: What the teacher can pick.
QUESTION_COUNTS = (5, 10, 20)
SECONDS_CHOICES = (10, 20, 30)
#: The leaderboard shows this many players.
LEADERBOARD_SIZE = 10

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class QuizPoll:
    """A question as a quiz poll: ``options[correct]`` is the answer."""

    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str | None


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _candidates(question: Question) -> list[str] | None:
    """The answer then the other options a question offers, or None when it offers none."""
    if question.kind.self_graded:
        return None  # a self-rated card: an answer to read, nothing to tap
    if question.kind is QuestionKind.TRUE_FALSE:
        return [question.answer, FALSE_ANSWER if question.answer == TRUE_ANSWER else TRUE_ANSWER]
    answer = _clean(question.answer)
    others = [d for d in dict.fromkeys(_clean(d) for d in question.distractors) if d]
    others = [d for d in others if d.casefold() != answer.casefold()]
    if not answer or not others:
        return None  # an open question or a cloze without distractors: no options to tap
    return [answer, *others]


def explanation_for(question: Question) -> str | None:
    """The source sentence (else the teacher's explanation), cut to 200 characters."""
    text = _clean(question.source or question.explanation or "")
    if not text:
        return None
    if len(text) <= MAX_EXPLANATION_CHARS:
        return text
    return text[: MAX_EXPLANATION_CHARS - 1].rstrip() + "…"


def playable(question: Question) -> bool:
    """Whether the question can be a quiz poll: a choice or true/false question, or a cloze
    or open question with distractors; its prompt and options within Telegram's lengths.
    Never a self-rated card (the student rates themself: nothing a poll can score)."""
    options = _candidates(question)
    if options is None:
        return False
    prompt = _clean(question.display_prompt)
    return (
        0 < len(prompt) <= MAX_QUESTION_CHARS
        and all(0 < len(o) <= MAX_OPTION_CHARS for o in options)
        and len(options) >= MIN_OPTIONS
    )


def quiz_poll(question: Question, rng: random.Random) -> QuizPoll:
    """The poll of a playable question: the answer among up to three distractors, shuffled
    (true/false keeps « vrai » then « faux »)."""
    options = _candidates(question)
    if options is None or not playable(question):
        raise ValueError(f"question {question.key!r} cannot be a quiz poll")
    answer = options[0]
    if question.kind is QuestionKind.TRUE_FALSE:
        ordered = [TRUE_ANSWER, FALSE_ANSWER]
    else:
        others = rng.sample(options[1:], min(len(options) - 1, GAME_OPTIONS - 1))
        ordered = [answer, *others]
        rng.shuffle(ordered)
    return QuizPoll(
        question=_clean(question.display_prompt),
        options=tuple(ordered),
        correct=ordered.index(answer),
        explanation=explanation_for(question),
    )


def pick(questions: Sequence[Question], count: int, rng: random.Random) -> list[int]:
    """Indexes of ``count`` playable questions (all of them if fewer), in a random order."""
    eligible = [i for i, q in enumerate(questions) if playable(q)]
    return rng.sample(eligible, min(count, len(eligible)))


# -- answers and scores ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """One player's answer to the question at ``position``."""

    player_id: int
    name: str
    position: int
    correct: bool
    response_ms: int


@dataclass(frozen=True, slots=True)
class PlayerScore:
    """Score = correct answers; ties broken by the time taken on them (faster first)."""

    player_id: int
    name: str
    correct: int
    answered: int
    correct_ms: int


@dataclass(frozen=True, slots=True)
class QuestionScore:
    position: int
    answered: int
    correct: int


def scores(answers: Iterable[Answer]) -> list[PlayerScore]:
    """Every player, best first: most correct answers, then least time on them, then name.
    A player's name is the one of their latest answer (as Telegram shows it then)."""
    table: dict[int, list[Answer]] = {}
    for answer in answers:
        table.setdefault(answer.player_id, []).append(answer)
    result = []
    for player_id, given in table.items():
        latest = max(given, key=lambda a: a.position)
        right = [a for a in given if a.correct]
        result.append(
            PlayerScore(
                player_id=player_id,
                name=latest.name,
                correct=len(right),
                answered=len(given),
                correct_ms=sum(a.response_ms for a in right),
            )
        )
    result.sort(key=lambda s: (-s.correct, s.correct_ms, s.name.casefold(), s.player_id))
    return result


def leaderboard(ranked: Sequence[PlayerScore]) -> list[PlayerScore]:
    """The top of :func:`scores`: ``LEADERBOARD_SIZE`` players at most."""
    return list(ranked[:LEADERBOARD_SIZE])


def question_scores(asked: int, answers: Iterable[Answer]) -> list[QuestionScore]:
    """How many answered each of the ``asked`` first questions, and how many got it right."""
    answered = [0] * asked
    correct = [0] * asked
    for answer in answers:
        if 0 <= answer.position < asked:
            answered[answer.position] += 1
            correct[answer.position] += answer.correct
    return [QuestionScore(p, answered[p], correct[p]) for p in range(asked)]


def hardest(per_question: Sequence[QuestionScore]) -> QuestionScore | None:
    """The question with the lowest share of right answers among those answered at all (the
    earliest on a tie); None when nobody answered anything."""
    answered = [q for q in per_question if q.answered]
    if not answered:
        return None
    return min(answered, key=lambda q: (q.correct / q.answered, q.position))


def everyone_answered(answered: int, players: int, expected_first: int, position: int) -> bool:
    """Whether the question can close before its time: everybody present has answered.

    Present: for the first question, the group's members minus the bot and the teacher
    (``expected_first``); after it, the players who answered at least once (``players``).
    """
    expected = expected_first if position == 0 else players
    return expected > 0 and answered >= expected
