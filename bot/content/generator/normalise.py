"""Step 1: normalise the raw text and cut it into paragraphs; headings are not sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.text import fold_apostrophes

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009]+")
_QUOTES = re.compile(r"[\u201c\u201d\u201e]")
_OPEN_GUILLEMET = re.compile(r"«\s*")
_CLOSE_GUILLEMET = re.compile(r"\s*»")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_END_PUNCT = (".", "!", "?", ":", ";", "…", "»", ")")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (to parse) or a heading (kept for context, never asked about)."""

    text: str
    heading: bool = False


def normalise(raw: str) -> str:
    """Typographic apostrophes and quotes, non-breaking and repeated spaces, line ends."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = fold_apostrophes(text)
    text = _QUOTES.sub('"', text)
    text = _OPEN_GUILLEMET.sub("« ", text)
    text = _CLOSE_GUILLEMET.sub(" »", text)
    text = text.replace("\u2026", "...")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


def is_heading(line: str) -> bool:
    """A short line that does not end a sentence is a title, not a sentence."""
    if _MD_HEADING.match(line):
        return True
    words = line.split()
    if 0 < len(words) <= 14 and re.search(r"\(\s*\d[\d\s–-]*\)$", line):
        return True  # « Louis Pasteur (1822-1895) », « La bataille de Verdun (1916) »
    return 0 < len(words) <= 14 and not line.endswith(_END_PUNCT)


def split_blocks(text: str) -> list[Block]:
    """One block per non-empty line; markdown markers removed."""
    blocks: list[Block] = []
    for line in normalise(text).split("\n"):
        if not line:
            continue
        heading = is_heading(line)
        line = _MD_HEADING.sub("", line)
        line = _MD_BULLET.sub("", line).replace("**", "").replace("__", "")
        if line:
            blocks.append(Block(line, heading))
    return blocks
