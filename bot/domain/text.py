"""Text from outside made storable: what no database text column can hold is replaced."""

from __future__ import annotations

import re

#: A surrogate left alone in a ``str`` (JSON's ``"\ud800"``; a valid pair is joined into one
#: character by the JSON decoder, so any surrogate still there is lone). UTF-8 cannot encode
#: it: SQLite's driver and psycopg both raise ``UnicodeEncodeError``.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` without NUL (PostgreSQL text refuses it) and with every lone surrogate
    replaced by U+FFFD (the replacement character)."""
    return _LONE_SURROGATE.sub("\ufffd", text.replace("\x00", ""))
