"""Hostile question files (issue 17, rows 3–5, 9, 10): each a French message with its line,
never a traceback, and the other files' problems still listed."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from bot.content.deckfile import DeckFormatError, load_deck_bytes, load_decks
from bot.domain.deck import MAX_DECK_ID, MAX_DECK_TITLE, MAX_QUESTION_ID

NAME = "questions/hostile.yaml"


def deck(
    *,
    version: str = "1",
    deck_id: str = "paquet",
    title: str = '"Un paquet"',
    qid: str = "q1",
    prompt: str = '"Combien font 2 + 2 ?"',
    extra: str = "",
) -> str:
    return (
        f"version: {version}\n"
        "deck:\n"
        f"  id: {deck_id}\n"
        f"  title: {title}\n"
        "questions:\n"
        f"  - id: {qid}\n"
        "    kind: open\n"
        f"    prompt: {prompt}\n"
        '    answer: "4"\n'
        f"{extra}"
    )


def shown_safely(text: str) -> bool:
    """No control character nor surrogate: safe to print to a terminal."""
    return not any(unicodedata.category(c) in ("Cc", "Cs") for c in text)


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(DeckFormatError) as caught:
        load_deck_bytes(text.encode(), NAME)
    return [(p.line, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (deck(extra="    confidence: !!int abc\n"), 10, "confidence"),
        (deck(extra="    confidence: !!float abc\n"), 10, "confidence"),
        (deck(extra="    confidence: 0x_\n"), 10, "confidence"),
        (deck(extra="    confidence: 0b_\n"), 10, "confidence"),
        (deck(extra="    confidence: 0o_\n"), 10, "confidence"),
        (deck(extra="    confidence: " + "9" * 400 + "\n"), 10, "entre 0 et 1"),
        (deck(extra="    confidence: " + "9" * 5000 + "\n"), 10, "entre 0 et 1"),
        (deck(extra="    confidence: 1" + "0" * 400 + ".5\n"), 10, "entre 0 et 1"),
        (deck(version="0b_"), 1, "version"),
        (deck(version="0x_"), 1, "version"),
        (deck(version="!!int abc"), 1, "version"),
        (deck(version="9" * 400), 1, "version"),
        (deck(version="9" * 5000), 1, "version"),
    ],
    ids=[
        "int-tag-on-text", "float-tag-on-text", "0x_", "0b_", "0o_", "400-digits",
        "5000-digits", "huge-float", "version-0b_", "version-0x_", "version-int-tag",
        "version-400-digits", "version-5000-digits",
    ],
)  # fmt: skip
def test_odd_numbers_are_a_problem_with_their_line(text: str, line: int, words: str) -> None:
    found = problems(text)

    assert [where for where, _ in found] == [line], found
    assert words in found[0][1]


def test_an_odd_number_in_one_file_does_not_hide_the_other_files_problems(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.yaml").write_text(deck(extra="    confidence: 0x_\n"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(deck(deck_id="autre", qid="x y"), encoding="utf-8")

    with pytest.raises(DeckFormatError) as caught:
        load_decks([tmp_path])

    assert [(Path(p.file).name, p.line) for p in caught.value.problems] == [
        ("a.yaml", 10),
        ("b.yaml", 6),
    ]


@pytest.mark.parametrize(
    ("prompt", "shown"),
    [
        (r'"Nul\0 ici"', r"\x00"),
        (r'"Moitié \ud800 de paire"', r"\ud800"),
        (r'"Fin \udfff"', r"\udfff"),
        (r'"Titre \e]0;pirate\a"', r"\x1b"),
        (r'"Efface \e[2J"', r"\x1b"),
        (r'"Retour \x08 arrière"', r"\x08"),
        (r'"C1 \x9b"', r"\x9b"),
    ],
)
def test_characters_no_database_or_terminal_takes_are_refused_with_the_line(
    prompt: str, shown: str
) -> None:
    found = problems(deck(prompt=prompt))

    assert [where for where, _ in found] == [8]
    message = found[0][1]
    assert "prompt" in message and shown in message
    assert shown_safely(message), message


def test_a_pair_of_escaped_surrogates_is_one_character_and_accepted() -> None:
    loaded = load_deck_bytes(deck(prompt=r'"Un emoji \ud83d\ude00 ?"').encode(), NAME)
    assert loaded.questions[0].prompt == "Un emoji 😀 ?"


@pytest.mark.parametrize(
    ("field", "limit"),
    [("deck_id", MAX_DECK_ID), ("title", MAX_DECK_TITLE), ("qid", MAX_QUESTION_ID)],
)
def test_texts_longer_than_their_column_are_refused_by_the_checker(field: str, limit: int) -> None:
    at_limit = deck(**{field: "a" * limit})
    load_deck_bytes(at_limit.encode(), NAME)  # exactly the limit: accepted

    found = problems(deck(**{field: "a" * (limit + 1)}))
    assert len(found) == 1 and f"{limit} caractères" in found[0][1]
    assert found[0][0] == {"deck_id": 3, "title": 4, "qid": 6}[field]


def test_a_problem_quoting_escape_sequences_shows_them_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "q\x1b[2J"
    folder.mkdir()
    (folder / "a\x1b]0;x\x07.yaml").write_text(
        deck(qid='"\x1b[31mrouge"', extra="    \x1b[2Jclé: 1\n").replace("\x1b", "\\e")
        .replace("    \\e[2Jclé", '    "\\e[2Jclé"'),
        encoding="utf-8",
    )  # fmt: skip

    with pytest.raises(DeckFormatError) as caught:
        load_decks([folder])

    lines = [str(p) for p in caught.value.problems]
    assert len(lines) >= 2
    for line in lines:
        assert shown_safely(line), repr(line)
    assert "\\x1b" in lines[0]


def test_a_fifo_named_yaml_is_refused_without_blocking(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(deck(), encoding="utf-8")
    os.mkfifo(tmp_path / "tube.yaml")
    os.mkfifo(tmp_path / "direct.yml")

    # Nobody writes to them: opening one blocking would hang this test for ever.
    for paths in ([tmp_path], [tmp_path / "direct.yml"]):
        with pytest.raises(DeckFormatError) as caught:
            load_decks(paths)
        found = [(Path(p.file).name, p.message) for p in caught.value.problems]
        assert found and all("fichier ordinaire" in message for _, message in found), found
    names = {Path(p.file).name for p in caught.value.problems}
    assert names == {"direct.yml"}


def test_a_device_linked_as_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")

    with pytest.raises(DeckFormatError) as caught:
        load_decks([tmp_path])
    assert ["fichier ordinaire" in p.message for p in caught.value.problems] == [True]
