"""Whatever the checker accepts imports on both engines, and its question is shown and
answered (issue 17): odd Unicode, escapes, long fields and huge numbers, hypothesis-generated.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.content.deckfile import DeckFormatError, load_deck_bytes
from bot.domain.deck import MAX_DECK_ID, MAX_DECK_TITLE, MAX_QUESTION_ID
from bot.domain.grading import Verdict
from bot.services.importing import ImportService
from bot.services.study import StudyService
from bot.services.users import UserService
from tests.services.answering import answer, answer_choice

NOW = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)

#: Any character, lone surrogates, controls and NUL included (written as JSON escapes, which
#: are YAML double-quoted escapes too), favouring the odd ones.
ODD = st.sampled_from(
    ["\x00", "\x1b", "\x07", "\x9b", "\ud800", "\udfff", "\u202e", "\ufeff", "😀", "é", " "]
)
TEXT = st.text(st.one_of(st.characters(), ODD), min_size=1, max_size=40) | st.builds(
    lambda c, n: c * n, st.sampled_from("aé😀"), st.integers(100, 300)
)
ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"
NUMBER = st.one_of(
    st.integers(0, 1).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(1, 5000).map(lambda n: "9" * n),
    st.sampled_from(["0x_", "0b_", "0o_", "!!int abc", "!!float x", ".5", "1e400", "0x1"]),
)


def quoted(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted scalar, every odd character escaped


@st.composite
def deck_file(draw: st.DrawFn) -> bytes:
    slug = draw(st.text(ID_CHARS, min_size=1, max_size=MAX_DECK_ID + 3))
    qid = draw(st.text(ID_CHARS, min_size=1, max_size=MAX_QUESTION_ID + 3))
    title = draw(TEXT | st.just("t" * (MAX_DECK_TITLE + draw(st.integers(-1, 1)))))
    kind = draw(st.sampled_from(["open", "choice"]))
    answer_text = draw(TEXT)
    lines = [
        f"version: {draw(st.sampled_from(['1', '1', '0x1', '0b_', '9' * 400]))}",
        "deck:",
        f"  id: {slug if slug[0].isalnum() else 'a' + slug}",
        f"  title: {quoted(title)}",
        "questions:",
        f"  - id: {qid}",
        f"    kind: {kind}",
        f"    prompt: {quoted(draw(TEXT))}",
        f"    answer: {quoted(answer_text)}",
        f"    confidence: {draw(NUMBER)}",
    ]
    if draw(st.booleans()):
        lines.append(f"    explanation: {quoted(draw(TEXT))}")
    if kind == "choice":
        wrong = draw(st.lists(TEXT, min_size=2, max_size=3))
        lines.append(f"    distractors: [{', '.join(quoted(w) for w in wrong)}]")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=deck_file())
def test_what_the_checker_accepts_imports_and_can_be_answered(
    session_factory: sessionmaker[Session], data: bytes
) -> None:
    try:
        deck = load_deck_bytes(data, "gen.yaml")
    except DeckFormatError:
        return  # refused by the checker (test_deckfile_hostile.py checks the messages)
    ImportService(session_factory).import_bytes(data, "gen.yaml", NOW)
    telegram_id = next(_ids)
    users = UserService(session_factory, Settings(_env_file=None))  # type: ignore[call-arg]
    user = users.register_telegram(telegram_id, telegram_id, "Élève", "fr", NOW)
    study = StudyService(session_factory)
    shown = study.next_question(user.id, NOW, deck_slug=deck.slug, practice=True)
    assert shown is not None and shown.prompt == deck.questions[0].prompt
    key, right = f"k{telegram_id}", deck.questions[0].answer
    if shown.choices:
        index = shown.choices.index(right)
        outcome = answer_choice(study, user.id, shown.token, index, NOW, idempotency_key=key)
    else:
        outcome = answer(study, user.id, shown.token, right, NOW, idempotency_key=key)
    assert outcome.verdict is not None  # recorded, with a verdict
    # The right answer typed exactly is right, whatever it is made of (only emoji, say).
    assert outcome.verdict is Verdict.CORRECT


_ids = itertools.count(10_000)
