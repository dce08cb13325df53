"""Write a deck as a YAML file in format v1, laid out for a teacher to review and edit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.domain.deck import FORMAT_VERSION, Deck, Question, QuestionKind


class _Dumper(yaml.SafeDumper):
    """Block style; long strings folded by width only; no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _question(q: Question) -> dict[str, Any]:
    item: dict[str, Any] = {"id": q.key, "kind": q.kind.value, "prompt": q.prompt}
    if q.kind is not QuestionKind.CLOZE:
        item["answer"] = q.answer
    if q.accept:
        item["accept"] = list(q.accept)
    if q.distractors:
        item["distractors"] = list(q.distractors)
    if q.explanation:
        item["explanation"] = q.explanation
    if q.source:
        item["source"] = q.source
    if q.tags:
        item["tags"] = list(q.tags)
    if q.confidence is not None:
        item["confidence"] = q.confidence
    return item


def deck_to_yaml(deck: Deck, source: str | None = None) -> str:
    """The YAML text of a deck (``source``: the text file, relative to the YAML file)."""
    header: dict[str, Any] = {"id": deck.slug, "title": deck.title, "language": deck.language}
    if source:
        header["source"] = source
    if deck.description:
        header["description"] = deck.description
    data = {
        "version": FORMAT_VERSION,
        "deck": header,
        "questions": [_question(q) for q in deck.questions],
    }
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100, indent=2)
    # A blank line between questions makes a long file easier to review.
    return body.replace("\n- id:", "\n\n- id:").replace("\n  - id:", "\n\n  - id:")


def write_deck_yaml(deck: Deck, path: Path, source: str | None = None) -> None:
    """Write ``deck`` to ``path`` (UTF-8), creating the folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(deck_to_yaml(deck, source), encoding="utf-8")
