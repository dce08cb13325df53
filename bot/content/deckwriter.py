"""A deck written as a question file (format v1) in the teachers' guide's layout
(``questions/README.md``): two-space indentation, every text in double quotes, lists on one
line, a blank line between questions. What it writes, :mod:`bot.content.deckfile` reads back
into the same deck (tested), so a teacher can edit it and send it back.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.deck import FORMAT_VERSION, Deck, Question, QuestionKind

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quote(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in text) + '"'


def _flow(items: Iterable[str]) -> str:
    return "[" + ", ".join(quote(item) for item in items) + "]"


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value not in (0, 1) else str(int(value))


def question_lines(question: Question) -> list[str]:
    """One question, as the lines of the ``questions:`` list (indented by two)."""
    lines = [f"  - id: {question.key}", f"    kind: {question.kind.value}"]
    lines.append(f"    prompt: {quote(question.prompt)}")
    if question.kind is QuestionKind.TRUE_FALSE:
        lines.append(f"    answer: {question.answer}")
    elif question.kind is not QuestionKind.CLOZE:
        lines.append(f"    answer: {quote(question.answer)}")
    if question.accept:
        lines.append(f"    accept: {_flow(question.accept)}")
    if question.kind is QuestionKind.CHOICE and question.distractors:
        lines.append(f"    distractors: {_flow(question.distractors)}")
    if question.explanation:
        lines.append(f"    explanation: {quote(question.explanation)}")
    if question.source:
        lines.append(f"    source: {quote(question.source)}")
    if question.tags:
        lines.append(f"    tags: {_flow(question.tags)}")
    if question.confidence is not None:
        lines.append(f"    confidence: {_number(question.confidence)}")
    return lines


def dump_deck(deck: Deck, *, comment: str | None = None, source: str | None = None) -> str:
    """The whole file. ``comment``: first lines, each written as a ``#`` comment;
    ``source``: the text the deck was made from, relative to the file (``deck.source``)."""
    lines = [f"# {line}".rstrip() for line in (comment or "").splitlines()]
    lines += [
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
    lines += ["", "questions:"]
    for number, question in enumerate(deck.questions):
        if number:
            lines.append("")
        lines += question_lines(question)
    return "\n".join(lines) + "\n"
