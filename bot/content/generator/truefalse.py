"""True/false statements: a sentence of the text read alone, true as written or made false by
swapping one date, number or name for a distractor of the same type (never a co-answer)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.content.generator import distractors
from bot.content.generator.model import AnswerType, Candidate, Draft
from bot.domain.deck import FALSE_ANSWER, TRUE_ANSWER

if TYPE_CHECKING:
    from spacy.tokens import Span

MAX_WORDS = 32
MIN_WORDS = 6
#: Answer types a statement can be made false with (a swapped name must stay plausible).
SWAPPABLE = frozenset(
    {
        AnswerType.YEAR,
        AnswerType.MONTH,
        AnswerType.DATE,
        AnswerType.MONEY,
        AnswerType.PERCENT,
        AnswerType.COUNT,
        AnswerType.PERSON,
        AnswerType.CONCEPT,
    }
)


def _other_term(cand: Candidate, pool: Sequence[Candidate]) -> str | None:
    """« une bouillie appelée chyme » → another term the text names (« villosités »), of the
    same number, from another sentence (« levées ou turcies »: never the other name given)."""
    terms = sorted(
        {
            c.text
            for c in pool
            if c.type is AnswerType.CONCEPT
            and c.sentence != cand.sentence
            and c.plural == cand.plural
            and c.value != cand.value
        }
    )
    if not terms:
        return None
    pick = hashlib.sha1(cand.value.encode()).digest()[0] % len(terms)
    return terms[pick]


_NUM = re.compile(r"^(\d+(?:[ \u202f]\d{3})*)(?:,(\d+))?$")


_NUMBER_WORDS = {
    "un",
    "une",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "quinze",
    "vingt",
    "trente",
    "cent",
    "mille",
}


def _near_year(year: str, sentence: str, pool: Sequence[Candidate]) -> str | None:
    """Another year of the text of the same era (before/after J.-C.), else one close by."""
    if not year.isdigit():
        return None
    y = int(year)
    bc = bool(re.search(rf"{year}\s+av", sentence))
    others = sorted(
        {
            int(c.gap)
            for c in pool
            if c.type is AnswerType.YEAR and c.gap.isdigit() and int(c.gap) != y
        },
        key=lambda v: abs(v - y),
    )
    if not bc:
        close = [v for v in others if abs(v - y) <= 40]
        if close:
            return str(close[0])
    return str(y + 7 if bc else y + 6)


def _near_number(gap: str) -> str | None:
    """A plausible wrong number of the same form: « 6 » → « 8 », « 1,5 » → « 2,5 »."""
    m = _NUM.match(gap)
    if not m:
        return None
    whole = int(m[1].replace(" ", "").replace("\u202f", ""))
    if m[2]:
        return f"{whole + 1},{m[2]}"
    if whole < 10:
        new = whole + 2
    elif whole < 100:
        new = whole + (10 if whole % 10 == 0 else 7)
    else:
        new = whole * 2
    return f"{new:,}".replace(",", " ") if new >= 1000 else str(new)


def truth_of(source: str, value: str) -> bool:
    """Half of the statements are true: decided by the fact, so it is stable across runs."""
    return hashlib.sha1(f"{source}|{value}".encode()).digest()[0] % 2 == 0


def statement(  # noqa: PLR0912 - one branch per kind of swap
    cand: Candidate, sent: Span, text: str, pool: Sequence[Candidate]
) -> Draft | None:
    """``text``: the sentence as read alone (a leading pronoun already replaced)."""
    if cand.type not in SWAPPABLE or not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
        return None
    if text.count(cand.gap) != 1:
        return None
    truth = truth_of(sent.text, cand.value)
    prompt = text
    if not truth:
        probe = Draft(False, text, cand.text, cand.type, sent.text, cand.sentence, cand.value, 0.5)
        if cand.gap != cand.text:
            return None  # the gap is a metonym or an inflected form: the swap would not read
        near = (
            _near_number(cand.gap)
            if cand.type in {AnswerType.COUNT, AnswerType.PERCENT, AnswerType.MONEY}
            else None
        )
        if cand.type is AnswerType.YEAR and "-" not in cand.value:
            near = _near_year(cand.gap, sent.text, pool)
        if cand.type is AnswerType.PERSON and (
            len(cand.text.split()) < 2 or re.search(rf"\bnée?\s+{re.escape(cand.gap)}", text)
        ):
            return None  # « née Maria Skłodowska »: another person's name would be absurd
        if cand.type is AnswerType.CONCEPT:
            near = _other_term(cand, pool)
            if near is None:
                return None
        if near is not None:
            swap = near
        else:
            options = distractors.choose(probe, cand, pool)
            if cand.type is AnswerType.PERSON:
                known = {c.text for c in pool if c.type is AnswerType.PERSON}
                options = tuple(o for o in options if o in known and len(o.split()) >= 2)
            if not options:
                return None
            swap = options[len(options) // 2]
        if not text.startswith(cand.gap) and swap.lower() in _NUMBER_WORDS:
            swap = swap.lower()
        if swap[:1].islower() and text.startswith(cand.gap):
            swap = swap[0].upper() + swap[1:]
        prompt = text.replace(cand.gap, swap, 1)
    prompt = prompt.rstrip()
    if not prompt.endswith((".", "!", "»")):
        prompt += "."
    return Draft(
        False,
        prompt,
        TRUE_ANSWER if truth else FALSE_ANSWER,
        cand.type,
        sent.text,
        cand.sentence,
        cand.value,
        # a term's statement gives way to a date's or a number's in the same sentence (one
        # statement per sentence; the term keeps its cloze)
        0.5 if cand.type is AnswerType.CONCEPT else 0.6,
        notes=[cand.text],
        pattern="truefalse",
        truth=truth,
    )
