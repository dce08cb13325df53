"""Random damage to a valid question file never crashes the loader.

Each example either loads into a deck that keeps every rule of the format, or raises
DeckFormatError whose problems all carry a line number within the file. The only problem
without a line a damaged file can produce is « le fichier est vide » (the size limit, the
other whole-file problem, cannot be reached from a small file).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content import deckfile
from bot.content.deckfile import DeckFormatError, load_deck_bytes
from bot.domain.deck import CLOZE_GAP, Deck, QuestionKind

VALID = Path(__file__).resolve().parents[1] / "data" / "decks" / "valid"
BASE = (VALID / "bielorussie-relations.yaml").read_text(encoding="utf-8")
NAME = "questions/fuzz.yaml"
LINE_FREE = {"le fichier est vide"}

FUZZ = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Characters that mean something to YAML, plus text, accents and odd white space.
PIECES = st.text(
    alphabet=st.sampled_from(
        list(":-[]{}\"'#&*!|>?%@`,\\\t \n\r") + list("azAZ09éÉ’«» ") + ["\x00", "\x85", "\u2028"]
    ),
    min_size=1,
    max_size=6,
)


def fold(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).casefold().split())


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """The sample file with 1 to 4 random edits of its lines, then maybe of its bytes."""
    lines = BASE.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        edit = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "indent", "dedent", "insert", "replace"]
            )
        )
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(j, lines[i])
        elif edit == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + lines[i]
        elif edit == "dedent":
            lines[i] = (
                lines[i][draw(st.integers(1, 4)) :] if lines[i].startswith(" ") else lines[i]
            )
        elif edit == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(PIECES) + lines[i][at:]
        else:
            lines[i] = draw(PIECES) + "\n"
    data = "".join(lines).encode("utf-8")
    byte_edit = draw(st.sampled_from(["none", "none", "truncate", "byte"]))
    if byte_edit == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif byte_edit == "byte" and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + bytes([draw(st.integers(0x80, 0xFF))]) + data[at:]
    return data


def line_count(data: bytes) -> int:
    """An upper bound of the lines YAML sees (it also breaks lines on \\r, \\x85, \\u2028…)."""
    return max(data.count(b"\n"), len(data.decode("utf-8", "replace").splitlines())) + 1


def check_problems(error: DeckFormatError, data: bytes) -> None:
    assert error.problems
    assert str(error).split("\n") == [str(problem) for problem in error.problems]
    for problem in error.problems:
        assert problem.file == NAME
        assert problem.message
        assert "\n" not in str(problem)
        if problem.line is None:
            assert problem.message in LINE_FREE
        else:
            assert 1 <= problem.line <= line_count(data)
        assert problem.question_id is None or problem.question_id.strip() == problem.question_id


def check_deck(deck: Deck) -> None:
    """Every rule of the format holds in a deck that loaded."""
    assert deck.questions
    assert len({q.key for q in deck.questions}) == len(deck.questions)
    lines = [q.line or 0 for q in deck.questions]
    assert all(line > 0 for line in lines)
    assert lines == sorted(lines)
    for q in deck.questions:
        texts = [q.key, q.prompt, q.answer, *q.accept, *q.distractors, *q.tags]
        texts += [text for text in (q.explanation, q.source) if text is not None]
        assert all(text and text == text.strip() for text in texts)
        assert q.confidence is None or 0 <= q.confidence <= 1
        gaps = CLOZE_GAP.findall(q.prompt)
        if q.kind is QuestionKind.CLOZE:
            assert [gap.strip() for gap in gaps] == [q.answer]
        else:
            assert "{{" not in q.prompt
        if q.kind is QuestionKind.CHOICE:
            folded = [fold(text) for text in q.distractors]
            assert len(folded) >= 2
            assert len(set(folded)) == len(folded)
            assert fold(q.answer) not in folded
        else:
            assert q.distractors == ()
        if q.kind is QuestionKind.TRUE_FALSE:
            assert q.answer in ("vrai", "faux")


def outcome(data: bytes) -> Deck | DeckFormatError:
    try:
        return load_deck_bytes(data, NAME)
    except DeckFormatError as error:
        return error


@FUZZ
@given(damaged())
def test_damaged_file_loads_or_reports_located_problems(data: bytes) -> None:
    result = outcome(data)

    if isinstance(result, DeckFormatError):
        check_problems(result, data)
    else:
        check_deck(result)


@FUZZ
@given(damaged())
def test_pure_python_parser_keeps_the_same_promises(data: bytes) -> None:
    # libyaml accepts a few texts PyYAML refuses (a tab inside plain text), so the outcomes
    # may differ between the two parsers; the promises hold with both.
    with mock.patch.object(deckfile, "_FAST_LOADER", None):
        result = outcome(data)

    if isinstance(result, DeckFormatError):
        check_problems(result, data)
    else:
        check_deck(result)


@FUZZ
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_arbitrary_input_never_crashes(data: bytes) -> None:
    result = outcome(data)

    if isinstance(result, DeckFormatError):
        check_problems(result, data)
    else:
        check_deck(result)
