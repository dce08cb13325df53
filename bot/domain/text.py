"""Text from outside: folding shared by grading, the question-file checks and the generator,
and what no database text column can hold replaced (:func:`storable`)."""

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


#: A surrogate left alone in a ``str`` (JSON's ``"\ud800"``; a valid pair is joined into one
#: character by the JSON decoder, so any surrogate still there is lone). UTF-8 cannot encode
#: it: SQLite's driver and psycopg both raise ``UnicodeEncodeError``.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` without NUL (PostgreSQL text refuses it) and with every lone surrogate
    replaced by U+FFFD (the replacement character)."""
    return _LONE_SURROGATE.sub("\ufffd", text.replace("\x00", ""))
