"""The message catalogues: every user-facing text, in French and English, read with Babel.

The texts live in ``bot/locale/<language>/LC_MESSAGES/messages.po``, one gettext catalogue per
language. A ``msgid`` is a stable key named after the front end and the text (``bot.welcome``,
``classes.joined``, ``console.greeting``, ``stats.title``, ``reason.wrong_year``,
``format.time``), not the French sentence: rewording French then leaves the English entry
valid instead of orphaned, and a key missing in one catalogue is caught by
``tests/test_catalogues.py`` instead of showing French to an English speaker. The ``msgstr`` is
a ``str.format`` template with named fields; a plural entry counts with ``{n}`` and picks its
form by the catalogue's ``Plural-Forms`` header (French: ``n > 1``, so « 0 réponse »).

The ``.po`` files are read at start-up (:func:`catalogue`, once per language) and compiled in
memory into :class:`babel.support.Translations`: no compile step, nothing generated to commit,
and a fresh clone runs as is. Numbers, percentages, dates and times go through
:mod:`babel.numbers` and :mod:`babel.dates` with the catalogue's locale and the patterns the
catalogue itself holds (``format.*``: « 10 h 43 » in the terminal, « 18:30 » on Telegram).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import typing
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

from bot.domain.grading import Reason, ReasonCode

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALE_DIR",
    "Catalogue",
    "Plural",
    "catalogue",
    "fill",
]

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "fr"
LANGUAGES = ("fr", "en")

#: The catalogue word for each order of magnitude (``reason.scale.<name>``).
_SCALES = {10**3: "thousand", 10**6: "million", 10**9: "billion"}


class MissingText(LookupError):
    """A key that the catalogue does not hold (a bug: the catalogue test prevents it)."""


@dataclass(frozen=True, slots=True)
class Plural:
    """A counted text: ``t.reminder_prompt(3)`` → « … 3 questions à revoir … »."""

    catalogue: Catalogue
    key: str

    def __call__(self, n: int, **fields: object) -> str:
        return self.catalogue.plural(self.key, n, **fields)


class Catalogue:
    """One language's texts and its way of writing numbers, dates and times."""

    def __init__(self, language: str, translations: Translations, keys: tuple[str, ...]) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self._translations = translations
        #: Every key, in the catalogue's order.
        self.keys = keys
        self._known = frozenset(keys)

    # --- texts ------------------------------------------------------------------------------

    def text(self, key: str, **fields: object) -> str:
        """The text of ``key``, formatted with ``fields`` when any are given."""
        if key not in self._known:
            raise MissingText(f"{key!r} is not in the {self.language} catalogue")
        template = self._translations.gettext(key)
        return template.format(**fields) if fields else template

    def plural(self, key: str, n: int, **fields: object) -> str:
        """The form of ``key`` for ``n`` (the catalogue's plural rule), ``{n}`` as a number."""
        if key not in self._known:
            raise MissingText(f"{key!r} is not in the {self.language} catalogue")
        template = self._translations.ngettext(key, key, n)
        return template.format(n=self.number(n), **fields)

    def choose(self, n: int, forms: tuple[str, ...]) -> str:
        """The form of ``forms`` (one per plural form of the language) that ``n`` takes."""
        return forms[min(self._translations.plural(n), len(forms) - 1)]

    def counted(self, key: str) -> Plural:
        return Plural(self, key)

    def section(self, prefix: str) -> dict[str, str]:
        """The texts under ``prefix.`` by the rest of their key, in the catalogue's order."""
        start = prefix + "."
        return {k.removeprefix(start): self.text(k) for k in self.keys if k.startswith(start)}

    # --- numbers, dates, times --------------------------------------------------------------

    def number(self, value: float) -> str:
        """« 1 234 » in French, « 1,234 » in English (integers stay whole)."""
        return format_decimal(value, locale=self.locale)

    def percent(self, ratio: float) -> str:
        """« 87 % » (French, a plain space as the terminal and the tests read it), « 87% »."""
        return format_percent(ratio, self.text("format.percent"), locale=self.locale)

    def time(self, value: dt.time | dt.datetime, style: str = "format.time") -> str:
        """« 18:30 » (``format.time``) or « 18 h 30 » (``format.time_spoken``, French)."""
        return format_time(value, self.text(style), locale=self.locale)

    def date(self, value: dt.date, style: str = "format.date") -> str:
        """« 03/12/2026 » (``format.date``); ``format.day`` « jeudi 3 décembre »…"""
        return format_date(value, self.text(style), locale=self.locale)

    def quote(self, text: str) -> str:
        """« texte » in French, “text” in English."""
        return self.text("format.quote", text=text)

    # --- grading reasons --------------------------------------------------------------------

    def reason(self, reason: Reason) -> str:
        """What a grading :class:`~bot.domain.grading.Reason` says to the student."""
        code = reason.code
        if code is ReasonCode.MISSING_PARTS:
            parts = [self.text(f"reason.part.{part.value}") for part in reason.parts]
            joined = format_list(parts, locale=self.locale)
            return self.plural("reason.missing_parts", len(parts), parts=joined)
        if code in (ReasonCode.EXPECTED_QUANTITY, ReasonCode.WRONG_QUANTITY):
            kind = reason.quantity.value if reason.quantity else "number"
            prefix = "expected" if code is ReasonCode.EXPECTED_QUANTITY else "wrong"
            return self.text(f"reason.{prefix}_{kind}")
        if code is ReasonCode.SCALE:
            name = _SCALES.get(reason.scale or 0, "")
            scale = self.text(f"reason.scale.{name}") if name else ""
            return self.text("reason.scale", scale=scale)
        if code is ReasonCode.TOO_MANY_ITEMS:
            return self.plural("reason.too_many_items", reason.count)
        if code is ReasonCode.TYPO:
            forms = ", ".join(self.quote(form) for form in reason.forms)
            return self.plural("reason.typo", len(reason.forms), forms=forms)
        if code in (ReasonCode.ACCENTS, ReasonCode.PARTIAL_WORDS):
            return self.text(f"reason.{code.value}", form=self.quote(reason.forms[0]))
        if code is ReasonCode.LIST:
            lines = []
            if reason.missing:
                lines.append(self.text("reason.list_missing", items=", ".join(reason.missing)))
            if reason.extra:
                lines.append(self.text("reason.list_extra", items=", ".join(reason.extra)))
            return " ".join(lines)
        return self.text(f"reason.{code.value}")


@functools.cache
def catalogue(language: str | None) -> Catalogue:
    """The catalogue of ``language`` (French for anything unknown), read once."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as fh:
        po = read_po(fh, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, po)  # fuzzy entries are left out, as gettext does
    compiled.seek(0)
    keys = tuple(
        str(m.id[0] if isinstance(m.id, tuple) else m.id) for m in po if m.id and not m.fuzzy
    )
    return Catalogue(language, Translations(compiled, domain=DOMAIN), keys)


T = typing.TypeVar("T")


def fill(cls: type[T], texts: Catalogue, prefix: str, **given: Any) -> T:
    """A texts dataclass whose fields come from ``prefix.<field>`` in the catalogue: a ``str``
    field gets the text, a :class:`Plural` field the counted text; ``given`` fields are kept."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = dict(given)
    for field in fields(cls):  # type: ignore[arg-type]
        if field.name in values:
            continue
        key = f"{prefix}.{field.name}"
        values[field.name] = texts.counted(key) if hints[field.name] is Plural else texts.text(key)
    return cls(**values)
