"""Text folding shared by grading, the question-file checks and the generator."""

from __future__ import annotations

#: Every character students, teachers and source texts type for an apostrophe: the ASCII one
#: first, then the typographic ’ and ‘, the modifier letter ʼ, the backtick, the acute accent
#: and the prime.
APOSTROPHES = "'’‘ʼ`´′"

_TO_ASCII = str.maketrans(dict.fromkeys(APOSTROPHES[1:], "'"))


def fold_apostrophes(text: str) -> str:
    """Every apostrophe of :data:`APOSTROPHES` written as the ASCII ``'``."""
    return text.translate(_TO_ASCII)
