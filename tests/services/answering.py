"""The front ends' answer calls, reduced to their outcome, for tests that look at one answer.

Both front ends answer through ``answer_choice_and_next`` / ``answer_open_and_next`` (an
answer is always followed by the next question in the same call); these keep the tests short.
"""

from __future__ import annotations

import datetime as dt

from bot.services.study import StudyService
from bot.services.views import AnswerOutcome


def answer(
    study: StudyService,
    user_id: int,
    token: str,
    given: str,
    now: dt.datetime,
    *,
    idempotency_key: str,
    response_ms: int | None = None,
    easy: bool = False,
) -> AnswerOutcome:
    """A typed answer to the showing ``token``."""
    step = study.answer_open_and_next(
        user_id,
        given,
        now,
        token=token,
        idempotency_key=idempotency_key,
        response_ms=response_ms,
        easy=easy,
    )
    return step.outcome


def answer_choice(
    study: StudyService,
    user_id: int,
    token: str,
    choice_index: int,
    now: dt.datetime,
    *,
    idempotency_key: str,
    response_ms: int | None = None,
    easy: bool = False,
) -> AnswerOutcome:
    """The button ``choice_index`` of the showing ``token``."""
    step = study.answer_choice_and_next(
        user_id,
        token,
        choice_index,
        now,
        idempotency_key=idempotency_key,
        response_ms=response_ms,
        easy=easy,
    )
    return step.outcome
