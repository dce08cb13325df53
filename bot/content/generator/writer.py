"""Write a deck as a YAML file in format v1, in the layout of ``questions/README.md``.

Two-space indentation, every text in double quotes (``"…"``, with ``\\"`` and ``\\\\``
escaped), lists written inline (``accept: ["…", "…"]``), a blank line between questions. A
file that exists is never overwritten unless ``force`` is given: a teacher's reviewed deck is
not lost by running the generator again.
"""

from __future__ import annotations

from pathlib import Path

from bot.domain.deck import FORMAT_VERSION, Deck, Question, QuestionKind


class OutputExistsError(FileExistsError):
    """The output file exists and ``force`` was not given."""


def quote(text: str) -> str:
    """A YAML double-quoted scalar on one line."""
    body = " ".join(str(text).split())
    body = body.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{body}"'


def _inline(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(quote(i) for i in items) + "]"


def _question(q: Question) -> list[str]:
    lines = [f"  - id: {q.key}", f"    kind: {q.kind.value}", f"    prompt: {quote(q.prompt)}"]
    if q.kind is not QuestionKind.CLOZE:
        lines.append(f"    answer: {quote(q.answer)}")
    if q.accept and q.kind is not QuestionKind.TRUE_FALSE:
        lines.append(f"    accept: {_inline(q.accept)}")
    if q.distractors and q.kind is QuestionKind.CHOICE:
        lines.append(f"    distractors: {_inline(q.distractors)}")
    if q.explanation:
        lines.append(f"    explanation: {quote(q.explanation)}")
    if q.source:
        lines.append(f"    source: {quote(q.source)}")
    if q.tags:
        lines.append(f"    tags: {_inline(q.tags)}")
    if q.confidence is not None:
        lines.append(f"    confidence: {q.confidence}")
    return lines


def deck_to_yaml(deck: Deck, source: str | None = None) -> str:
    """The YAML text of a deck (``source``: the text file, relative to the YAML file)."""
    lines = [
        f"version: {FORMAT_VERSION}",
        "deck:",
        f"  id: {deck.slug}",
        f"  title: {quote(deck.title)}",
        f"  language: {deck.language}",
    ]
    if source:
        lines.append(f"  source: {quote(source)}")
    if deck.description:
        lines.append(f"  description: {quote(deck.description)}")
    lines.append("questions:")
    for q in deck.questions:
        lines.append("")
        lines.extend(_question(q))
    return "\n".join(lines) + "\n"


def write_deck_yaml(
    deck: Deck, path: Path, source: str | None = None, *, force: bool = False
) -> None:
    """Write ``deck`` to ``path`` (UTF-8), creating the folder if needed.

    Raises :class:`OutputExistsError` when ``path`` exists and ``force`` is False.
    """
    if path.exists() and not force:
        raise OutputExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(deck_to_yaml(deck, source), encoding="utf-8")
