"""The rules of a class game: which questions become quiz polls, scores, the leaderboard."""

from __future__ import annotations

import random

import pytest

from bot.domain import game
from bot.domain.deck import Question, QuestionKind


def q(kind: QuestionKind, answer: str, *distractors: str, prompt: str = "Question ?") -> Question:
    return Question(key="k", kind=kind, prompt=prompt, answer=answer, distractors=distractors)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (q(QuestionKind.CHOICE, "la Russie", "la Chine", "l'Ukraine"), True),
        (q(QuestionKind.TRUE_FALSE, "faux"), True),
        (q(QuestionKind.OPEN, "2006"), False),
        (q(QuestionKind.OPEN, "2006", "2004"), True),
        (q(QuestionKind.CLOZE, "1994", prompt="Arrivé en {{1994}}."), False),
        (q(QuestionKind.CLOZE, "1994", "1990", prompt="Arrivé en {{1994}}."), True),
        (q(QuestionKind.CHOICE, "A", "a"), False),  # the only distractor is the answer
        (q(QuestionKind.CHOICE, "A", "B", prompt="x" * 301), False),
        (q(QuestionKind.CHOICE, "A", "B" * 101), False),
        # The loader refuses distractors on a self-rated card; even built with some, the
        # student's own verdict is nothing a poll can score.
        (q(QuestionKind.SELF_RATED, "Parce que…", "Non", "Peut-être"), False),
        (q(QuestionKind.SELF_RATED, "Parce que…"), False),
    ],
)
def test_which_questions_can_be_a_quiz_poll(question: Question, expected: bool) -> None:
    assert game.playable(question) is expected


def test_a_poll_has_the_answer_among_at_most_three_distractors_shuffled_by_the_seed() -> None:
    question = q(QuestionKind.CHOICE, "A", "B", "C", "D", "E", "F")
    poll = game.quiz_poll(question, random.Random(1))
    assert len(poll.options) == 4
    assert poll.options[poll.correct] == "A"
    assert poll == game.quiz_poll(question, random.Random(1))


def test_true_false_keeps_vrai_then_faux_and_a_cloze_is_blanked() -> None:
    poll = game.quiz_poll(q(QuestionKind.TRUE_FALSE, "faux"), random.Random(0))
    assert (poll.options, poll.correct) == (("vrai", "faux"), 1)
    cloze = q(QuestionKind.CLOZE, "1994", "1990", prompt="Arrivé en {{1994}}.")
    assert game.quiz_poll(cloze, random.Random(0)).question == "Arrivé en _____."


def test_the_explanation_is_the_source_sentence_cut_to_200_characters() -> None:
    long = Question("k", QuestionKind.CHOICE, "Q ?", "A", distractors=("B",), source="mot " * 80)
    text = game.explanation_for(long)
    assert text is not None and len(text) == 200 and text.endswith("…")


def test_scores_rank_by_right_answers_then_speed_and_the_top_is_ten() -> None:
    answers = [
        game.Answer(1, "Ana", 0, True, 3000),
        game.Answer(2, "Bob", 0, True, 1000),
        game.Answer(3, "Cy", 0, False, 500),
        game.Answer(1, "Ana B.", 1, True, 3000),
        game.Answer(2, "Bob", 1, False, 900),
    ]
    ranked = game.scores(answers)
    assert [(s.name, s.correct, s.correct_ms) for s in ranked] == [
        ("Ana B.", 2, 6000),
        ("Bob", 1, 1000),
        ("Cy", 0, 0),
    ]
    many = [game.Answer(i, f"P{i:02d}", 0, True, i) for i in range(15)]
    assert [s.player_id for s in game.leaderboard(game.scores(many))] == list(range(10))


def test_the_hardest_question_has_the_lowest_share_of_right_answers() -> None:
    per = [
        game.QuestionScore(0, 10, 9),
        game.QuestionScore(1, 10, 2),
        game.QuestionScore(2, 0, 0),
        game.QuestionScore(3, 5, 0),
    ]
    assert game.hardest(per) == game.QuestionScore(3, 5, 0)
    assert game.hardest(per[:2]) == game.QuestionScore(1, 10, 2)
    assert game.hardest([game.QuestionScore(0, 0, 0)]) is None


def test_everyone_answered_counts_the_group_first_then_the_players() -> None:
    assert game.everyone_answered(30, 30, 30, 0)
    assert not game.everyone_answered(29, 29, 30, 0)
    assert game.everyone_answered(29, 29, 30, 1)
    assert not game.everyone_answered(0, 0, 0, 0)
