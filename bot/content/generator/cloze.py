"""Step 6 fallback: a cloze (gap-fill) from the source sentence, the article inside the gap."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING

from bot.content.generator.model import Candidate, Draft

if TYPE_CHECKING:
    from spacy.tokens import Span

MAX_WORDS = 45


def _segment(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Cut a long sentence to the part between « ; » / « : » that holds the gap."""
    if len(text.split()) <= MAX_WORDS:
        return text, start, end
    bounds = [0] + [m.end() for m in re.finditer(r"[;:]\s", text)] + [len(text) + 2]
    for a, b in pairwise(bounds):
        if a <= start and end <= b - 2:
            piece = text[a : b - 2].rstrip(" ;:")
            if len(piece.split()) >= 6:
                if not piece.endswith((".", "!", "?")):
                    piece += "."
                return piece, start - a, end - a
    return text, start, end


def cloze(cand: Candidate, sent: Span) -> Draft | None:
    doc = sent.doc
    start = doc[cand.start].idx - sent.start_char
    end = doc[cand.end - 1].idx + len(doc[cand.end - 1].text) - sent.start_char
    text, start, end = _segment(sent.text, start, end)
    gap = text[start:end]
    if not gap or "{" in gap or "}" in gap:
        return None
    prompt = f"{text[:start]}{{{{{gap}}}}}{text[end:]}"
    prompt = prompt[0].upper() + prompt[1:]
    words = len(text.split())
    confidence = 0.9 if cand.type.is_numeric else 0.8
    if words > MAX_WORDS:
        confidence -= 0.2
    accept = tuple(a for a in cand.accept if a != gap)
    return Draft(
        True,
        prompt,
        gap,
        cand.type,
        sent.text,
        cand.sentence,
        cand.value,
        round(confidence, 2),
        accept=accept,
    )
