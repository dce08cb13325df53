"""Text folding shared by grading, the question-file checks and the generator."""

from __future__ import annotations

import re

#: Every character students, teachers and source texts type for an apostrophe: the ASCII one
#: first, then the typographic ’ and ‘, the modifier letter ʼ, the backtick, the acute accent
#: and the prime.
APOSTROPHES = "'’‘ʼ`´′"

_ANY_APOSTROPHE = re.compile(f"[{re.escape(APOSTROPHES)}]")


def fold_apostrophes(text: str, into: str = "'") -> str:
    """Every apostrophe of :data:`APOSTROPHES` written as ``into`` (the ASCII ``'``)."""
    return _ANY_APOSTROPHE.sub(into, text)
