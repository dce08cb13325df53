"""Tolerant grading of a student's answer against a question's expected answer.

A :class:`Grade` carries a :class:`Verdict` and, when there is something to tell the student, a
:class:`Reason`: a :class:`ReasonCode` and its data (the date parts missing, the items expected,
the forms a typo was corrected to), never text; the front ends say it in the student's language
(:meth:`bot.i18n.Catalogue.reason`). The service maps the verdict to an FSRS rating
(:func:`bot.domain.scheduling.rating_for`).

How an open or cloze answer is compared with each expected form (the answer, then each
``accept`` entry; the best verdict wins, the answer's reason is kept when all are wrong):

1. **Normalisation** (:func:`normalize`): case, accents (NFKD), ligatures (œ → oe),
   typographic apostrophes and quotes, hyphens, spaces (also non-breaking), punctuation, a
   trailing full stop, and leading articles or prepositions (le, la, les, l', un, une, des, du,
   de, d', en, au, aux, à). Numeric dates are rewritten first: « 03/2006 » → « mars 2006 »,
   « 20/10/2004 » or « 2004-10-20 » → « 20 octobre 2004 ». Equal normal forms are correct
   (with a note when only the accents differ).
2. **Numbers and dates** decide when the expected form holds any: numbers are read as numbers
   in French and English notation, in digits or in words, French or English (« 2,5 milliards »
   = « 2.5 milliards » = « 2 500 000 000 » = « deux milliards cinq cents millions » = « deux
   milliards et demi » = « 2.5 billion » = « two and a half billion »; « billion » is 10⁹, the
   English short scale). One separator is a decimal mark (« 2,500 » = 2.5); two or more equal
   ones group thousands (« 2,500,000 »). An integer
   from 1000 to 2100 with no unit is a year; « mars 2006 », « 28 septembre » are dates. The
   words around the numbers are not graded. Rules:

   - a different number, year, month or day is wrong, even one keystroke away;
   - expected unit (dollars, euros, roubles, %, years, months, weeks, days) omitted: correct;
     a different unit: wrong;
   - only the year when month and year were expected (or month without year, or no day): partial;
     a more precise date than expected (« mars 2006 » for « 2006 ») is correct;
   - the right mantissa without the expected scale (« 3 » for « 3 milliards »): partial; a scale
     the expected form lacks (« 3 milliards » for « 3 », the question said « combien de
     milliards ») is correct;
   - two candidates of the same kind (« 2006 ou 2007 »): wrong, one answer was expected.
3. **Lists**: an expected form split on « , », « ; », « / », « et », « ou » into two or more
   items is graded item by item, in any order. All items and nothing else: correct (close if an
   item needed a typo). Otherwise, with f items found and x wrong items given: partial when
   ``1 <= f`` and ``x <= f`` (reason lists what is missing and what is wrong), wrong when
   nothing is found or wrong items outnumber right ones (listing everything is not rewarded).
   A list typed with spaces only (« Russie Chine ») is split on words when every expected item
   is one word.
4. **Words** (names, organisations): small typos are accepted as *close*, never for numbers:
   per word, no edit up to 3 letters, one edit for 4 to 7, two from 8 (optimal string
   alignment distance: a swap of two letters is one edit). Known near-homonyms (Iran/Irak,
   Gambie/Zambie, Mali/Bali, Autriche/Australie) never match. Also correct: the acronym of the
   expected name (« OTSC » for « Organisation du traité de sécurité collective ») and the other
   way round, and the surname alone for a two-word proper name (« Loukachenko » for « Aleksandr
   Loukachenko »). For a single expected answer: several answers (« la Russie ou la Chine »)
   are wrong; the expected words plus at most three others without a negation (« la société
   Beltransgaz ») are correct; at least half of the expected words and nothing else (« Communauté
   économique » for « Communauté économique eurasiatique ») is partial.

A ``choice`` answer is the option chosen: a button is right only when it *is* the right option
(:func:`grade_option`, by identity, not by normalised text: « C# » is not « C++ »). An option's
text typed out (:func:`grade_typed_choice`) is matched to the option it names by
:func:`option_key` (case, accents, spaces, leading articles and end punctuation do not count;
symbols such as « + » or « # » do); a text naming no option is graded like an open answer
(« 2 000 000 000 de dollars » for « 2 milliards de dollars »), unless it is as close to a wrong
option. The file checker refuses options with the same key: a typed answer could not tell them
apart. A ``true_false`` answer accepts vrai/v/oui/o/true/t/yes/juste/exact and
faux/f/non/n/false/no/inexact. An answer that is only punctuation (« + », « ? ») is right when
the expected answer is that very punctuation.

A ``self_rated`` card (a cause, a process: what string matching cannot grade) is never
compared with anything: its answer is revealed and the student grades themself, as in Anki
(:class:`SelfRating`, :func:`grade_self`): « Je savais » is correct, « En partie » partial,
« Je ne savais pas » wrong; the service maps the verdict to an FSRS rating like any other
(Good, Hard, Again). A text the student types to such a card is their attempt, shown beside
the answer, not graded; :func:`grade_answer` refuses the kind.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from rapidfuzz.distance import OSA

from bot.domain.deck import FALSE_ANSWER, TRUE_ANSWER, Question, QuestionKind
from bot.domain.text import fold_apostrophes

__all__ = [
    "DatePart",
    "Grade",
    "Quantity",
    "Reason",
    "ReasonCode",
    "SelfRating",
    "Verdict",
    "answer_items",
    "answer_numbers",
    "grade",
    "grade_answer",
    "grade_option",
    "grade_self",
    "grade_typed_choice",
    "is_dont_know",
    "normalize",
    "option_key",
]


class Verdict(StrEnum):
    """How good an answer is, best first."""

    CORRECT = "correct"
    CLOSE = "close"
    PARTIAL = "partial"
    WRONG = "wrong"

    @property
    def accepted(self) -> bool:
        """True when the answer counts as right (correct, or close enough)."""
        return self in (Verdict.CORRECT, Verdict.CLOSE)


class SelfRating(StrEnum):
    """What a student says of a self-rated card once its answer is shown."""

    KNEW = "knew"  # « Je savais »
    PARTLY = "partly"  # « En partie »
    DID_NOT = "did_not"  # « Je ne savais pas »

    @property
    def verdict(self) -> Verdict:
        return _SELF_VERDICTS[self]


_SELF_VERDICTS = {
    SelfRating.KNEW: Verdict.CORRECT,
    SelfRating.PARTLY: Verdict.PARTIAL,
    SelfRating.DID_NOT: Verdict.WRONG,
}


def grade_self(rating: SelfRating, question: Question) -> Grade:
    """A self-rated card: the student's own verdict, with the answer they were shown.

    Raises:
        ValueError: If ``question`` is not a self-rated card (those are graded by the bot).
    """
    if not question.kind.self_graded:
        raise ValueError(f"a {question.kind.value} question is graded, not self-rated")
    return Grade(rating.verdict, None, question.answer)


_RANK = {Verdict.CORRECT: 0, Verdict.CLOSE: 1, Verdict.PARTIAL: 2, Verdict.WRONG: 3}


class ReasonCode(StrEnum):
    """Why an answer got its verdict; the catalogues say each as ``reason.<value>``."""

    NO_ANSWER = "no_answer"
    NOT_THE_ANSWER = "not_the_answer"
    ONE_ANSWER_ONLY = "one_answer_only"
    INCOMPLETE = "incomplete"
    WRONG_YEAR = "wrong_year"
    WRONG_MONTH = "wrong_month"
    WRONG_DAY = "wrong_day"
    WRONG_UNIT = "wrong_unit"
    TRUE_OR_FALSE = "true_or_false"
    EXPECTED_YEAR = "expected_year"
    EXPECTED_DATE = "expected_date"
    #: No number of the kind expected (:attr:`Reason.quantity`: an amount, a percentage…).
    EXPECTED_QUANTITY = "expected_quantity"
    #: A number of the right kind but not the right one (:attr:`Reason.quantity`).
    WRONG_QUANTITY = "wrong_quantity"
    #: Part of a date is missing (:attr:`Reason.parts`: day, month, year).
    MISSING_PARTS = "missing_parts"
    #: The right number without its order of magnitude (:attr:`Reason.scale`: 10**9…).
    SCALE = "scale"
    #: Far more items than the list holds (:attr:`Reason.count`: how many it holds).
    TOO_MANY_ITEMS = "too_many_items"
    #: Accepted with small typos: :attr:`Reason.forms` are the words as they are spelt.
    TYPO = "typo"
    #: Right but for accents: :attr:`Reason.forms` holds the answer as it is spelt.
    ACCENTS = "accents"
    #: Part of the words: :attr:`Reason.forms` holds the whole answer expected.
    PARTIAL_WORDS = "partial_words"
    #: A list partly right: :attr:`Reason.missing` items not given, :attr:`Reason.extra` wrong.
    LIST = "list"


class Quantity(StrEnum):
    """What kind of number a question expects (« le bon montant », « un pourcentage »)."""

    AMOUNT = "amount"
    PERCENTAGE = "percentage"
    DURATION = "duration"
    NUMBER = "number"


class DatePart(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a grade is what it is, as a code and its data (no words: see the module docstring).

    Items and forms are as written in the question file or typed by the student.
    """

    code: ReasonCode
    forms: tuple[str, ...] = ()
    parts: tuple[DatePart, ...] = ()
    quantity: Quantity | None = None
    scale: int | None = None
    count: int = 0
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Grade:
    """The result of grading one answer.

    Attributes:
        verdict: Correct, close (accepted with a typo), partial or wrong.
        reason: Why, for the student (a code and its data); None when there is nothing to
            add.
        matched: The expected form (answer or accepted alternative, as written) the answer was
            graded against, or None when the answer is wrong.
        missing: For lists, the expected items not given (as written in the expected form).
        extra: For lists and multiple answers, the given items that are wrong (as typed).
    """

    verdict: Verdict
    reason: Reason | None = None
    matched: str | None = None
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    #: The student said they do not know (« je ne sais pas », « ? »): wrong, told kindly.
    dont_know: bool = False

    @property
    def accepted(self) -> bool:
        """True when the answer counts as right (correct, or close enough)."""
        return self.verdict.accepted


# --- reasons shown to the student (as codes: the front ends word them) -----------------------

NO_ANSWER = Reason(ReasonCode.NO_ANSWER)
NOT_THE_ANSWER = Reason(ReasonCode.NOT_THE_ANSWER)
ONE_ANSWER_ONLY = Reason(ReasonCode.ONE_ANSWER_ONLY)
INCOMPLETE = Reason(ReasonCode.INCOMPLETE)
WRONG_YEAR = Reason(ReasonCode.WRONG_YEAR)
WRONG_MONTH = Reason(ReasonCode.WRONG_MONTH)
WRONG_DAY = Reason(ReasonCode.WRONG_DAY)
WRONG_UNIT = Reason(ReasonCode.WRONG_UNIT)
TRUE_OR_FALSE = Reason(ReasonCode.TRUE_OR_FALSE)

#: A typed answer is graded on its first 500 characters: a pasted essay must not make grading
#: (words, lists, numbers against every alternative) slow for everyone.
_MAX_ANSWER_CHARS = 500

# --- normalisation ---------------------------------------------------------------------------

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})
_ORDINAL_ONE = re.compile(r"\b1(?:er|re|ère|ere)\b")
_DIGIT_GROUPS = re.compile(r"\b\d{1,3}(?: \d{3})+\b")
_SYMBOLS = re.compile(r"([%$€£])")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_LOOSE_SEPARATOR = re.compile(r"[.,](?!\d)|(?<!\d)[.,]")
_OTHER = re.compile(r"[^\w%$€£.,]+|_")

_LEADING = frozenset(
    {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "en", "au", "aux", "a", "à"}
)
_STOPWORDS = _LEADING | {"et", "ou", "pour", "par", "sur", "dans", "avec", "the", "of", "and"}
_NEGATIONS = frozenset(
    {"ne", "n", "pas", "non", "jamais", "sauf", "ni", "aucun", "aucune", "not", "no"}
)

_MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTHS: dict[str, int] = {
    **{unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode(): number
       for number, name in enumerate(_MONTH_NAMES, start=1)},
    # abbreviations, except « sept » (seven) and « mar » (a word)
    "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_FULL_DATE = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTH_YEAR = re.compile(r"\b(\d{1,2})[/-](\d{4})\b")


def _rewrite_numeric_dates(text: str) -> str:
    """Spell numeric dates with the month's name so they compare with written ones."""

    def spell(day: str | None, month: str, year: str) -> str | None:
        m, d = int(month), int(day) if day else None
        if not 1 <= m <= 12 or (d is not None and not 1 <= d <= 31):
            return None
        return f"{d} {_MONTH_NAMES[m - 1]} {year}" if d else f"{_MONTH_NAMES[m - 1]} {year}"

    text = _FULL_DATE.sub(lambda m: spell(m[1], m[3], m[4]) or m[0], text)
    text = _ISO_DATE.sub(lambda m: spell(m[3], m[2], m[1]) or m[0], text)
    return _MONTH_YEAR.sub(lambda m: spell(None, m[1], m[2]) or m[0], text)


def _fold(text: str, *, keep_accents: bool = False) -> list[str]:
    """Split ``text`` into comparable tokens: lower case, plain letters, numbers kept whole.

    Grading one answer folds the same texts many times (the answer once per expected form
    and per rule): the tokens are cached, so the cost of an answer grows with the forms, not
    with the rules times the forms."""
    return list(_folded(text, keep_accents))


#: A roman numeral in capitals after a capitalised name: « Louis XVI », « Jean-Paul II ».
_ROMAN_AFTER_NAME = re.compile(
    r"(\b[A-ZÀ-Ý][a-zà-ÿ'-]{1,30} )"
    r"(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\b(?!['’-])"
)
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman_value(numeral: str) -> int:
    total = 0
    for i, letter in enumerate(numeral):
        value = _ROMAN_VALUES[letter]
        following = _ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _rewrite_roman(text: str) -> str:
    """« Louis XVI » → « Louis 16 »: a ruler's number read the same in both notations (only
    capitals after a capitalised word, and at least two letters: « Louis I » stays)."""
    return _ROMAN_AFTER_NAME.sub(
        lambda m: m[1] + str(_roman_value(m[2])) if len(m[2]) >= 2 else m[0], text
    )


_ROMAN_TYPED = re.compile(
    r"(\b[^\W\d_][\w'-]{1,30} )"
    r"(m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))\b(?!['’-])",
    re.IGNORECASE,
)
#: Words a student may type after a name that read as roman numerals.
_NOT_ROMAN = frozenset({"di", "mi", "vi", "ci", "li", "dix", "mix", "mil", "cv", "cd", "dc"})


def _rewrite_typed_roman(text: str) -> str:
    """A typed answer's roman numeral in any case (« louis xvi »), read when the expected
    answer has one."""

    def number(m: re.Match[str]) -> str:
        numeral = m[2]
        if len(numeral) < 2 or numeral.casefold() in _NOT_ROMAN:
            return m[0]
        return m[1] + str(_roman_value(numeral.upper()))

    return _ROMAN_TYPED.sub(number, text)


@functools.lru_cache(maxsize=1024)
def _folded(text: str, keep_accents: bool) -> tuple[str, ...]:
    text = _rewrite_numeric_dates(_rewrite_roman(text)).casefold().translate(_LIGATURES)
    text = unicodedata.normalize("NFKD", text)  # also turns non-breaking spaces into spaces
    if keep_accents:
        text = unicodedata.normalize("NFC", text)
    else:
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = fold_apostrophes(text, " ")
    text = _ORDINAL_ONE.sub("1", text)
    text = _DIGIT_GROUPS.sub(lambda m: m[0].replace(" ", ""), text)
    text = _SYMBOLS.sub(r" \1 ", text)
    text = _DIGIT_LETTER.sub(" ", text)
    text = _LOOSE_SEPARATOR.sub(" ", text)
    return tuple(_OTHER.sub(" ", text).split())


def _strip_leading(tokens: list[str]) -> list[str]:
    """Drop leading articles and prepositions, keeping at least one token."""
    start = 0
    while start < len(tokens) - 1 and tokens[start] in _LEADING:
        start += 1
    return tokens[start:]


def _words(text: str) -> list[str]:
    return _strip_leading(_fold(text))


def normalize(text: str) -> str:
    """Return the comparable form of a short answer.

    Lower case, no accents, apostrophes/quotes/hyphens/punctuation as spaces, single spaces,
    numeric dates spelt out, and no leading article or preposition.

    Args:
        text: An answer as typed or as written in a question file.

    Returns:
        The normal form, e.g. ``normalize("L’Ouzbékistan.") == "ouzbekistan"`` and
        ``normalize("en mars 2006") == normalize("03/2006") == "mars 2006"``.
    """
    return " ".join(_words(text))


# --- numbers and dates -----------------------------------------------------------------------

_NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "octante": 80, "nonante": 90,
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_ONE_WORDS = frozenset({"un", "une", "one"})
_HUNDREDS = frozenset({"cent", "cents", "hundred", "hundreds"})
_THOUSAND = frozenset({"mille", "mil"})
#: English « billion » is 10⁹ (the short scale): the French 10¹² is never what a student means.
_SCALES: dict[str, int] = {
    "mille": 10**3, "mil": 10**3, "million": 10**6, "millions": 10**6, "mio": 10**6,
    "milliard": 10**9, "milliards": 10**9, "md": 10**9, "mds": 10**9, "mrd": 10**9,
    "mrds": 10**9,
    "thousand": 10**3, "thousands": 10**3, "billion": 10**9, "billions": 10**9, "bn": 10**9,
}  # fmt: skip
#: « et demi », « and a half » (after the number or its scale: « deux milliards et demi »).
_HALVES = (("et", "demi"), ("et", "demie"), ("and", "a", "half"), ("and", "half"))

_CURRENCIES: dict[str, str] = {
    "$": "USD", "dollar": "USD", "dollars": "USD", "usd": "USD",
    "€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "£": "GBP", "livre": "GBP", "livres": "GBP", "gbp": "GBP",
    "rouble": "RUB", "roubles": "RUB", "rub": "RUB",
    "pound": "GBP", "pounds": "GBP", "ruble": "RUB", "rubles": "RUB",
}  # fmt: skip
_DURATIONS: dict[str, str] = {
    "an": "an", "ans": "an", "annee": "an", "annees": "an", "mois": "mois",
    "semaine": "semaine", "semaines": "semaine", "jour": "jour", "jours": "jour",
    "year": "an", "years": "an", "month": "mois", "months": "mois", "week": "semaine",
    "weeks": "semaine", "day": "jour", "days": "jour",
}  # fmt: skip
_UNITS: dict[str, str] = {
    **_CURRENCIES, **_DURATIONS, "%": "%", "pourcent": "%", "pourcents": "%", "percent": "%",
}  # fmt: skip
_PERCENT_PHRASES = (("pour", "cent"), ("per", "cent"))
_UNIT_LINKS = frozenset({"de", "d", "des"})
_PREFIX_CURRENCIES = frozenset({"$", "€", "£", "usd", "eur", "gbp"})
_NUMERAL = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class _Quantity:
    value: Decimal
    unit: str | None
    scale: int | None  # the first scale word (10**9 for « 2,5 milliards »)
    mantissa: Decimal  # the number before that scale word (2.5)


@dataclass(frozen=True, slots=True)
class _Date:
    day: int | None = None
    month: int | None = None
    year: int | None = None


_Fact = _Quantity | _Date


def _parse_numeral(token: str) -> Decimal:
    """Read digits with French or English separators (see the module docstring)."""
    separators = [c for c in token if c in ".,"]
    if not separators:
        return Decimal(token)
    if len(set(separators)) == 2:  # « 1,234.5 » or « 1.234,5 »: the last one is decimal
        decimal_mark = separators[-1]
        grouping = "," if decimal_mark == "." else "."
        return Decimal(token.replace(grouping, "").replace(decimal_mark, "."))
    if len(separators) >= 2:  # « 2,500,000 » or « 2.500.000 »
        return Decimal(token.replace(separators[0], ""))
    return Decimal(token.replace(",", "."))


def _is_integer(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _can_add(current: Decimal, word: str, value: int) -> bool:
    """Whether number word ``word`` continues the number read so far (« vingt » + « sept »)."""
    if not _is_integer(current):
        return False
    last = int(current) % 100
    if word in ("vingt", "vingts") and last == 4:  # quatre-vingt(s)
        return True
    if last == 0:
        return True
    if last == 10:
        return value in (7, 8, 9)  # dix-sept, dix-huit, dix-neuf
    if last in (60, 80) and 10 <= value < 20:  # soixante-douze, quatre-vingt-dix
        return True
    return last >= 20 and last % 10 == 0 and value < 10


def _skip_link(tokens: Sequence[str], index: int) -> int:
    return index + 1 if index < len(tokens) and tokens[index] in _UNIT_LINKS else index


def _read_unit(tokens: Sequence[str], index: int) -> tuple[str | None, int]:
    """The unit after a number (« de dollars », « % », « pour cent »), and where it ends."""
    k = _skip_link(tokens, index)
    if tuple(tokens[k : k + 2]) in _PERCENT_PHRASES:
        return "%", k + 2
    if k < len(tokens) and tokens[k] in _UNITS:
        return _UNITS[tokens[k]], k + 1
    return None, index


def _half_at(tokens: Sequence[str], index: int) -> int:
    """The length of « et demi » / « and a half » at ``index``, 0 if none."""
    for phrase in _HALVES:
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


@dataclass(slots=True)
class _Reading:
    """A number being read, word by word (:func:`_read_number`)."""

    total: Decimal = Decimal(0)  # what the scales read so far add up to
    current: Decimal | None = None  # the group being read (before its scale, if any)
    scale: int | None = None  # the first scale word
    mantissa: Decimal = Decimal(0)  # the group before that first scale
    last_scale: int = 0

    def digits(self, tokens: Sequence[str], j: int) -> bool:
        if self.current is not None:
            return False  # « 1994 2006 »: two numbers
        following = tokens[j + 1] if j + 1 < len(tokens) else ""
        if self.total and not (following in _SCALES and _SCALES[following] < self.last_scale):
            return False  # only « 2 milliards 500 millions » continues after a scale
        self.current = _parse_numeral(tokens[j])
        return True

    def half(self) -> None:
        if self.current is not None:  # « deux et demi », « two and a half (billion) »
            self.current += Decimal("0.5")
            return
        self.total += Decimal(self.last_scale) / 2  # « deux milliards et demi »
        if self.last_scale == self.scale:
            self.mantissa += Decimal("0.5")

    def word(self, tokens: Sequence[str], j: int) -> bool:
        token = tokens[j]
        value = _NUMBER_WORDS[token]
        if self.current is None:
            if token in _ONE_WORDS and not _counts_as_one(tokens, j):
                return False
            self.current = Decimal(value)
        elif _can_add(self.current, token, value):
            quatre_vingt = value == 20 and int(self.current) % 100 == 4
            self.current += 76 if quatre_vingt else value
        else:
            return False
        return True

    def scale_word(self, token: str) -> bool:
        if self.current is None and (self.total or token not in _THOUSAND):
            return False  # « des milliards »: no number
        current = Decimal(1) if self.current is None else self.current  # « mille dollars »
        if self.scale is None:
            self.scale, self.mantissa = _SCALES[token], current
        self.total += current * _SCALES[token]
        self.last_scale = _SCALES[token]
        self.current = None
        return True

    def link(self, tokens: Sequence[str], j: int) -> bool:
        """« vingt et un », « soixante et onze », « two hundred and five », « a billion »."""
        token, following = tokens[j], tokens[j + 1] if j + 1 < len(tokens) else ""
        if token == "a":
            if self.current is not None or self.total:
                return False
            if following not in _SCALES and following not in _HUNDREDS:
                return False
            self.current = Decimal(1)
            return True
        if token == "and":
            return (self.current is not None or bool(self.total)) and following in _NUMBER_WORDS
        # « et »
        if self.current is None or following not in ("un", "une", "onze"):
            return False
        return not int(self.current) % 10


def _read_number(tokens: Sequence[str], start: int) -> tuple[Decimal, int | None, Decimal, int]:
    """Read a number at ``start``: (value, first scale, mantissa, end), or end == start.

    French and English words alike: « deux milliards et demi », « two and a half billion »,
    « two hundred and five », « 2.5 billion »."""
    r = _Reading()
    j = start
    while j < len(tokens):
        token = tokens[j]
        if _NUMERAL.fullmatch(token):
            if not r.digits(tokens, j):
                break
        elif (half := _half_at(tokens, j)) and (r.current is not None or r.last_scale):
            r.half()
            j += half
            continue
        elif token in ("a", "and", "et"):
            if not r.link(tokens, j):
                break
        elif token in _NUMBER_WORDS:
            if not r.word(tokens, j):
                break
        elif token in _HUNDREDS and (r.current is None or _is_integer(r.current)):
            r.current = (r.current or Decimal(1)) * 100
        elif token in _SCALES:
            if not r.scale_word(token):
                break
        else:
            break
        j += 1
    if r.current is None and j == start:
        return Decimal(0), None, Decimal(0), start
    value = r.total + (r.current or Decimal(0))
    return value, r.scale, (r.mantissa if r.scale else value), j


def _counts_as_one(tokens: Sequence[str], index: int) -> bool:
    """« un »/« une » is the number 1 before a scale or a unit, or as the whole answer."""
    if len(tokens) == 1:
        return True
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    if following in _SCALES or following in _HUNDREDS or _half_at(tokens, index + 1):
        return True
    return _read_unit(tokens, index + 1)[0] is not None


def _as_year(value: Decimal, scale: int | None) -> int | None:
    """The year a unitless number stands for (« 2006 », « deux mille six »), if any."""
    if scale in (None, 1000) and _is_integer(value) and 1000 <= value <= 2100:
        return int(value)
    return None


def _month_at(tokens: Sequence[str], index: int) -> int | None:
    """The month named at ``index``; « sept » is September only before a year (« sept. 2009 »)."""
    if index >= len(tokens):
        return None
    if tokens[index] == "sept":
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        return 9 if re.fullmatch(r"\d{4}", following) else None
    return _MONTHS.get(tokens[index])


def _read_date(tokens: Sequence[str], index: int, day: int | None) -> tuple[_Date, int]:
    """Read « mars [2006] » at ``index`` (a month name); ``day`` was read before it."""
    month = _month_at(tokens, index)
    assert month is not None  # callers only call at a month name
    value, scale, _, end = _read_number(tokens, index + 1)
    year = _as_year(value, scale) if end > index + 1 else None
    if year is not None:
        return _Date(day, month, year), end
    return _Date(day, month, None), index + 1


def _facts(tokens: Sequence[str]) -> list[_Fact]:
    """The numbers and dates in ``tokens`` (folded, articles kept)."""
    facts: list[_Fact] = []
    i = 0
    while i < len(tokens):
        if _month_at(tokens, i):
            date, i = _read_date(tokens, i, None)
            facts.append(date)
            continue
        value, scale, mantissa, end = _read_number(tokens, i)
        if end == i:
            i += 1
            continue
        is_day = scale is None and _is_integer(value) and 1 <= value <= 31
        if is_day and _month_at(tokens, end):
            date, i = _read_date(tokens, end, int(value))
            facts.append(date)
            continue
        unit, end = _read_unit(tokens, end)
        if unit is None and i > 0 and tokens[i - 1] in _PREFIX_CURRENCIES:
            unit = _UNITS[tokens[i - 1]]
        year = _as_year(value, scale) if unit is None else None
        if year is not None:
            facts.append(_Date(year=year))
        else:
            facts.append(_Quantity(value, unit, scale, mantissa))
        i = end
    return facts


def _quantity_kind(quantity: _Quantity) -> Quantity:
    """What a quantity is, for the reasons (« le bon montant », « un montant »)."""
    if quantity.unit in _CURRENCIES.values():
        return Quantity.AMOUNT
    if quantity.unit == "%":
        return Quantity.PERCENTAGE
    if quantity.unit in _DURATIONS.values():
        return Quantity.DURATION
    return Quantity.NUMBER


def _missing_reason(fact: _Fact) -> Reason:
    if isinstance(fact, _Date):
        code = ReasonCode.EXPECTED_YEAR if fact.month is None else ReasonCode.EXPECTED_DATE
        return Reason(code)
    return Reason(ReasonCode.EXPECTED_QUANTITY, quantity=_quantity_kind(fact))


def _compare_date(expected: _Date, given: _Date) -> tuple[Verdict, Reason | None]:
    parts = (
        (expected.year, given.year, WRONG_YEAR, DatePart.YEAR),
        (expected.month, given.month, WRONG_MONTH, DatePart.MONTH),
        (expected.day, given.day, WRONG_DAY, DatePart.DAY),
    )
    for want, got, wrong, _ in parts:
        if want is not None and got is not None and want != got:
            return Verdict.WRONG, wrong
    missing = [name for want, got, _, name in reversed(parts) if want is not None and got is None]
    if not missing:
        return Verdict.CORRECT, None
    if len(missing) == sum(want is not None for want, *_ in parts):
        return Verdict.WRONG, _missing_reason(expected)
    return Verdict.PARTIAL, Reason(ReasonCode.MISSING_PARTS, parts=tuple(missing))


def _compare_quantity(expected: _Quantity, given: _Quantity) -> tuple[Verdict, Reason | None]:
    same_value = given.value == expected.value or (
        expected.scale is None and given.scale is not None and given.mantissa == expected.value
    )
    units_differ = expected.unit is not None and given.unit is not None
    units_differ = units_differ and expected.unit != given.unit
    if same_value:
        return (Verdict.WRONG, WRONG_UNIT) if units_differ else (Verdict.CORRECT, None)
    bare_mantissa = expected.scale is not None and given.scale is None
    if bare_mantissa and given.value == expected.mantissa and not units_differ:
        return Verdict.PARTIAL, Reason(ReasonCode.SCALE, scale=expected.scale)
    return Verdict.WRONG, Reason(ReasonCode.WRONG_QUANTITY, quantity=_quantity_kind(expected))


def _compare_fact(expected: _Fact, given: _Fact) -> tuple[Verdict, Reason | None]:
    if isinstance(expected, _Date) and isinstance(given, _Date):
        return _compare_date(expected, given)
    if isinstance(expected, _Quantity) and isinstance(given, _Quantity):
        return _compare_quantity(expected, given)
    raise TypeError("facts of different kinds")  # pragma: no cover - callers pair by kind


def _competes(expected: Iterable[_Fact], extra: _Fact) -> bool:
    """Whether an unused given fact contradicts an expected one (« 2006 ou 2007 »).

    A consistent extra (« en 2006, en mars 2006 ») or one in another unit does not.
    """
    for fact in expected:
        if type(fact) is not type(extra):
            continue
        if (
            isinstance(fact, _Quantity)
            and isinstance(extra, _Quantity)
            and None not in (fact.unit, extra.unit)
            and fact.unit != extra.unit
        ):
            continue
        if _compare_fact(fact, extra)[0] is Verdict.WRONG:
            return True
    return False


#: Given numbers beyond twice the expected ones (plus this) are not compared one by one: so
#: many numbers are not one answer, and the comparison cost stays bounded.
_EXTRA_FACTS = 8


def _grade_facts(expected: list[_Fact], given: list[_Fact]) -> tuple[Verdict, Reason | None]:
    if len(given) > 2 * len(expected) + _EXTRA_FACTS:
        return Verdict.WRONG, ONE_ANSWER_ONLY
    unused = list(given)
    outcomes: list[tuple[Verdict | None, Reason | None]] = []
    for fact in expected:
        candidates = [g for g in unused if type(g) is type(fact)]
        if not candidates:
            outcomes.append((None, _missing_reason(fact)))
            continue
        scored = [(_compare_fact(fact, g), g) for g in candidates]
        best, chosen = min(scored, key=lambda pair: _RANK[pair[0][0]])
        unused.remove(chosen)
        outcomes.append(best)
    verdicts = [verdict for verdict, _ in outcomes]
    for verdict, reason in outcomes:
        if verdict is Verdict.WRONG:
            return Verdict.WRONG, reason
    if any(_competes(expected, extra) for extra in unused):
        return Verdict.WRONG, ONE_ANSWER_ONLY
    if all(verdict is None for verdict in verdicts):
        return Verdict.WRONG, outcomes[0][1]
    if None in verdicts:
        return Verdict.PARTIAL, INCOMPLETE
    for verdict, reason in outcomes:
        if verdict is Verdict.PARTIAL:
            return Verdict.PARTIAL, reason
    return Verdict.CORRECT, None


# --- words -----------------------------------------------------------------------------------

_CONFUSABLE = (
    frozenset({"iran", "irak", "iraq"}),
    frozenset({"gambie", "zambie"}),
    frozenset({"mali", "bali"}),
    frozenset({"autriche", "australie"}),
)


def _typo_budget(length: int) -> int:
    if length <= 3:
        return 0
    return 1 if length <= 7 else 2


def _close_enough(expected: str, given: str) -> bool:
    """Same word, or a small typo of it; never for digits or known near-homonyms."""
    if expected == given:
        return True
    if abs(len(expected) - len(given)) > _typo_budget(len(expected)):
        return False  # the edit distance is at least the difference in length
    if any(c.isdigit() for c in expected + given):
        return False
    if any(expected in group and given in group for group in _CONFUSABLE):
        return False
    budget = _typo_budget(len(expected))
    return budget > 0 and OSA.distance(expected, given, score_cutoff=budget) <= budget


def _content(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in _STOPWORDS]


def _sequence_verdict(expected: list[str], given: list[str]) -> Verdict | None:
    """Correct for the same words, close for the same words with small typos, else None."""
    if expected == given:
        return Verdict.CORRECT
    if not expected or not given:
        return None
    if len(expected) == len(given):
        pairs = zip(expected, given, strict=True)
        return Verdict.CLOSE if all(_close_enough(e, g) for e, g in pairs) else None
    return Verdict.CLOSE if _close_enough("".join(expected), "".join(given)) else None


def _letters(words: list[str]) -> str | None:
    """The word if ``words`` could be an acronym (« otsc », « o t s c »), else None."""
    if len(words) == 1 and words[0].isalpha() and len(words[0]) >= 2:
        return words[0]
    if len(words) >= 2 and all(len(w) == 1 and w.isalpha() for w in words):
        return "".join(words)
    return None


def _is_acronym_of(expected: str, given: str) -> bool:
    expected_words, given_words = _content(_fold(expected)), _content(_fold(given))
    acronym = _letters(given_words)
    if acronym and len(expected_words) >= 2 and acronym == "".join(w[0] for w in expected_words):
        return True
    acronym = _letters(expected_words)  # « la CEI », « O.T.S.C. », written in capitals
    return bool(
        acronym
        and acronym.upper() in expected.replace(".", "")
        and len(given_words) >= 2
        and acronym == "".join(w[0] for w in given_words)
    )


def _is_two_word_name(expected: str) -> bool:
    """« Aleksandr Loukachenko », « A. Milinkievitch »: a first name and a surname."""
    words = expected.split()
    return len(words) == 2 and all(w[:1].isupper() for w in words)


def _compare_words(given: str, expected: str) -> Verdict | None:
    """Strict word matching (also used for list items): same words, typos, acronym, surname."""
    expected_words, given_words = _words(expected), _words(given)
    verdict = _sequence_verdict(_content(expected_words), _content(given_words))
    if verdict is not None:
        return Verdict.CLOSE if expected_words != given_words else verdict
    if _is_acronym_of(expected, given):
        return Verdict.CORRECT
    if _is_two_word_name(expected):
        return _sequence_verdict(_content(expected_words)[-1:], _content(given_words))
    return None


def _loose_words(given: str, expected: str) -> Verdict | None:
    """Expected words plus a few others (correct or close), or most of them (partial)."""
    expected_words, given_words = _content(_words(expected)), _content(_words(given))
    if not expected_words or not given_words:
        return None
    unmatched = list(given_words)
    found = exact = 0
    for word in expected_words:
        match = next((g for g in unmatched if _close_enough(word, g)), None)
        if match is not None:
            unmatched.remove(match)
            found += 1
            exact += match == word
    if found == len(expected_words):
        if len(unmatched) > 3 or _NEGATIONS.intersection(unmatched):
            return None
        return Verdict.CORRECT if exact == found else Verdict.CLOSE
    if not unmatched and len(expected_words) >= 2 and 2 * found >= len(expected_words):
        return Verdict.PARTIAL
    return None


# --- lists -----------------------------------------------------------------------------------

_ITEM_SEPARATOR = re.compile(
    r"\s*(?:[;/&+]|,(?!\d)|(?<!\d),)\s*|\s+(?:et|ou|and|or)\s+", re.IGNORECASE
)
_LEADING_CONJUNCTION = re.compile(r"^(?:et|ou|and|or)\s+", re.IGNORECASE)


def _split_items(text: str) -> list[str]:
    """Split a list answer into its items, as written (cached: the answer is split once per
    expected form)."""
    return list(_split_items_cached(text))


@functools.lru_cache(maxsize=1024)
def _split_items_cached(text: str) -> tuple[str, ...]:
    parts = (_LEADING_CONJUNCTION.sub("", p.strip()) for p in _ITEM_SEPARATOR.split(text))
    return tuple(p.strip() for p in parts if _fold(p))


def _compare_item(given: str, expected: str) -> Verdict | None:
    """Verdict of one list item: correct, close or None (not this item)."""
    if _words(given) == _words(expected):
        return Verdict.CORRECT
    expected_facts = _facts(_fold(expected))
    if expected_facts:
        verdict, _ = _grade_facts(expected_facts, _facts(_fold(given)))
        return Verdict.CORRECT if verdict is Verdict.CORRECT else None
    return _compare_words(given, expected)


def _typo_reason(corrected: Sequence[str]) -> Reason:
    return Reason(ReasonCode.TYPO, forms=tuple(corrected))


def _grade_list(given: str, expected: str, expected_items: list[str]) -> Grade:
    given_items = _split_items(given)
    if len(given_items) == 1 and all(len(_words(item)) == 1 for item in expected_items):
        given_items = _content(_words(given)) or given_items  # « Russie Chine »
    if len(given_items) > 2 * len(expected_items):  # wrong items must outnumber right ones
        return Grade(Verdict.WRONG, Reason(ReasonCode.TOO_MANY_ITEMS, count=len(expected_items)))
    remaining = list(given_items)
    matches: dict[int, Verdict] = {}
    for wanted in (Verdict.CORRECT, Verdict.CLOSE):  # exact matches first, then typos
        for index, item in enumerate(expected_items):
            if index in matches:
                continue
            for candidate in remaining:
                if _compare_item(candidate, item) is wanted:
                    matches[index] = wanted
                    remaining.remove(candidate)
                    break
    missing = tuple(item for i, item in enumerate(expected_items) if i not in matches)
    corrected = [expected_items[i] for i, v in sorted(matches.items()) if v is Verdict.CLOSE]
    extra = tuple(remaining)
    found = len(matches)
    if not missing and not extra:
        if corrected:
            return Grade(Verdict.CLOSE, _typo_reason(corrected), expected)
        return Grade(Verdict.CORRECT, None, expected)
    if found == 0:
        return Grade(Verdict.WRONG, NOT_THE_ANSWER, None, missing, extra)
    verdict = Verdict.WRONG if len(extra) > found else Verdict.PARTIAL
    reason = Reason(ReasonCode.LIST, missing=missing, extra=extra)
    return Grade(verdict, reason, expected if verdict is Verdict.PARTIAL else None,
                 missing, extra)  # fmt: skip


# --- grading ---------------------------------------------------------------------------------


def _accent_note(given: str, expected: str) -> Reason | None:
    kept = _strip_leading(_fold(given, keep_accents=True))
    if kept == _strip_leading(_fold(expected, keep_accents=True)):
        return None
    return Reason(ReasonCode.ACCENTS, forms=(expected.strip().rstrip("."),))


def _grade_form(given: str, expected: str) -> Grade:
    """Grade an open answer against one expected form."""
    if _words(given) == _words(expected):
        return Grade(Verdict.CORRECT, _accent_note(given, expected), expected)
    if _is_acronym_of(expected, given):
        return Grade(Verdict.CORRECT, None, expected)
    expected_items = _split_items(expected)
    if len(expected_items) >= 2:
        return _grade_list(given, expected, expected_items)
    expected_facts = _facts(_fold(expected))
    if expected_facts:
        outcome, reason = _grade_facts(expected_facts, _facts(_fold(given)))
        return Grade(outcome, reason, None if outcome is Verdict.WRONG else expected)
    verdict = _compare_words(given, expected)
    if verdict is None:
        given_items = _split_items(given)
        if len(given_items) >= 2:
            if any(_compare_words(item, expected) for item in given_items):
                extra = tuple(i for i in given_items if not _compare_words(i, expected))
                return Grade(Verdict.WRONG, ONE_ANSWER_ONLY, None, (), extra)
        else:
            verdict = _loose_words(given, expected)
    display = expected.strip().rstrip(".")
    if verdict is Verdict.CORRECT:
        return Grade(verdict, None, expected)
    if verdict is Verdict.CLOSE:
        return Grade(verdict, _typo_reason([display]), expected)
    if verdict is Verdict.PARTIAL:
        return Grade(verdict, Reason(ReasonCode.PARTIAL_WORDS, forms=(display,)), expected)
    return Grade(Verdict.WRONG, NOT_THE_ANSWER)


_TRUE_WORDS = frozenset({"vrai", "v", "oui", "o", "true", "t", "yes", "y", "juste", "exact"})
_FALSE_WORDS = frozenset({"faux", "f", "non", "n", "false", "no", "inexact"})


def _truth(text: str) -> bool | None:
    words = _fold(text)
    normal = " ".join(words)
    if normal in _TRUE_WORDS:
        return True
    if normal in _FALSE_WORDS:
        return False
    said = {w for w in words if w in ("vrai", "faux")}  # « c'est vrai »
    if len(said) != 1 or _NEGATIONS.intersection(words):  # « ce n'est pas faux »: ask again
        return None
    return said == {"vrai"}


def _grade_true_false(given: str, answer: str) -> Grade:
    expected = _truth(answer)
    if expected is None:
        raise ValueError(f"a true/false answer must be {TRUE_ANSWER!r} or {FALSE_ANSWER!r}")
    said = _truth(given)
    display = TRUE_ANSWER if expected else FALSE_ANSWER
    if said is None:
        return Grade(Verdict.WRONG, TRUE_OR_FALSE)
    if said is expected:
        return Grade(Verdict.CORRECT, None, display)
    return Grade(Verdict.WRONG, NOT_THE_ANSWER)


def grade_answer(
    given: str,
    answer: str,
    accept: Sequence[str] = (),
    kind: QuestionKind | str = QuestionKind.OPEN,
) -> Grade:
    """Grade a student's answer against an expected answer and its accepted alternatives.

    Args:
        given: The answer as the student typed it (or the text of the button pressed).
        answer: The expected answer, as written in the question file.
        accept: Other accepted answers; each is tried like ``answer``.
        kind: The question kind: ``choice`` needs the exact option (after normalisation),
            ``true_false`` understands vrai/faux and their synonyms, ``open`` and ``cloze`` are
            graded tolerantly (see the module docstring).

    Returns:
        The best grade over ``answer`` and ``accept``; when every form is wrong, the reason
        comes from ``answer``.

    Raises:
        ValueError: If a true/false question's answer is neither vrai nor faux, or for a
            self-rated card (the student grades it: :func:`grade_self`).
    """
    given = given[:_MAX_ANSWER_CHARS]
    kind = QuestionKind(kind)
    if kind.self_graded:
        raise ValueError("a self-rated card is graded by the student (grade_self)")
    if kind is QuestionKind.TRUE_FALSE:
        return _grade_true_false(given, answer)
    forms = [answer, *accept]
    if any(_rewrite_roman(form) != form for form in forms):
        given = _rewrite_typed_roman(given)
    if not _fold(given):
        # Only punctuation: right when an expected form is that very punctuation (« + »).
        key = option_key(given)
        match = next((f for f in forms if not _fold(f) and option_key(f) == key), None)
        if key and match is not None:
            return Grade(Verdict.CORRECT, None, match)
        return Grade(Verdict.WRONG, NO_ANSWER)
    if kind is QuestionKind.CHOICE:
        chosen = option_key(given)
        match = next((form for form in forms if option_key(form) == chosen), None)
        if match is None:
            return Grade(Verdict.WRONG, NOT_THE_ANSWER)
        return Grade(Verdict.CORRECT, None, match)
    best: Grade | None = None
    for form in forms:
        result = _grade_form(given, form)
        if result.verdict is Verdict.CORRECT:
            return result
        if best is None or _RANK[result.verdict] < _RANK[best.verdict]:
            best = result
    assert best is not None  # forms always holds the answer
    return best


def grade(given: str, question: Question) -> Grade:
    """Grade a student's answer to ``question``.

    Args:
        given: The answer as the student typed it (or the text of the button pressed).
        question: The question asked; its ``answer``, ``accept`` and ``kind`` are used.

    Returns:
        The grade; see :func:`grade_answer`.
    """
    return grade_answer(given, question.answer, question.accept, question.kind)


# --- multiple choice: the option chosen ------------------------------------------------------

#: Not part of what an option says: spaces and punctuation at either end, quotes, brackets.
_OPTION_EDGES = re.compile(r"^[\s.,;:!?…«»\"'()\[\]-]+|[\s.,;:!?…«»\"'()\[\]-]+$")
_OPTION_ARTICLE = re.compile(
    r"^(?:les|le|la|l'|une|un|des|du|de la|de l'|d'|the|an|a)(?:\s+|(?<='))"
)
_SPACES = re.compile(r"\s+")


def option_key(text: str) -> str:
    """What a typed answer can tell apart among options: « Russie », « la Russie »,
    « russie. » and « RUSSIE » have one key; « C++ », « C# » and « C » three. Case, accents,
    ligatures, typographic apostrophes, spaces, a leading article and punctuation at either end
    do not count; every other symbol does. Only punctuation (« ? »): the punctuation itself."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_LIGATURES)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = fold_apostrophes(text)
    bare = _OPTION_EDGES.sub("", text)
    bare = _OPTION_EDGES.sub("", _OPTION_ARTICLE.sub("", bare, count=1))
    return _SPACES.sub("", bare or text)


def grade_option(chosen: str, question: Question) -> Grade:
    """A button: right only when ``chosen`` is the right option itself (never by its
    normalised text: « C# » is not « C++ »). True/false buttons are « vrai » and « faux »."""
    if question.kind is QuestionKind.TRUE_FALSE:
        return _grade_true_false(chosen, question.answer)
    if chosen == question.answer:
        return Grade(Verdict.CORRECT, None, question.answer)
    return Grade(Verdict.WRONG, NOT_THE_ANSWER)


def grade_typed_choice(given: str, question: Question, options: Sequence[str]) -> Grade:
    """An option's text typed to a multiple-choice question showing ``options``.

    The option it names (by :func:`option_key`, else by normalised words when that names one
    option only) is graded as if chosen (:func:`grade_option`). A text naming no option is
    graded like an open answer against the answer and its alternatives, and is wrong when a
    wrong option grades at least as well (the answer is typed, not guessed between options).
    """
    given = given[:_MAX_ANSWER_CHARS]
    if question.kind is QuestionKind.TRUE_FALSE:
        return _grade_true_false(given, question.answer)
    key = option_key(given)
    named = [option for option in options if option_key(option) == key]
    if len(named) != 1 and _fold(given):
        words = _words(given)
        named = [option for option in options if _words(option) == words]
    if len(named) == 1:
        return grade_option(named[0], question)
    result = grade_answer(given, question.answer, question.accept, QuestionKind.OPEN)
    if not result.accepted:
        return Grade(Verdict.WRONG, result.reason or NOT_THE_ANSWER)
    for option in options:
        if option == question.answer:
            continue
        other = grade_answer(given, option, (), QuestionKind.OPEN)
        if other.accepted and _RANK[other.verdict] <= _RANK[result.verdict]:
            return Grade(Verdict.WRONG, NOT_THE_ANSWER)
    return result


def answer_numbers(text: str) -> int:
    """How many numbers and dates the grader reads in ``text`` (each is compared)."""
    return len(_facts(_fold(text)))


def answer_items(text: str) -> list[str]:
    """The items of a list answer (« Russie, Chine et Inde »), as the grader splits it."""
    return _split_items(text)


# --- « je ne sais pas » ----------------------------------------------------------------------

_DONT_KNOW = frozenset(
    {
        "je ne sais pas",
        "je sais pas",
        "sais pas",
        "ne sais pas",
        "chais pas",
        "jsp",
        "jsais pas",
        "aucune idee",
        "pas d idee",
        "je ne sais plus",
        "je sais plus",
        "j ai oublie",
        "oublie",
        "je ne me souviens pas",
        "joker",
        "i don t know",
        "dont know",
        "don t know",
        "idk",
        "no idea",
    }
)


def is_dont_know(given: str) -> bool:
    """« je ne sais pas », « jsp », « ? »…: the student asks for the answer (graded Again,
    told kindly). Only punctuation « ? » counts too."""
    folded = " ".join(_fold(given))
    if not folded:
        return given.strip().strip("?").strip() == "" and "?" in given
    return folded.rstrip(" .!") in _DONT_KNOW
