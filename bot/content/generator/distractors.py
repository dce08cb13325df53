"""Step 7: wrong answers of the same type and form as the answer, from the text first.

Dates: other dates of the text nearest the answer, then shifted ones in the same form.
Amounts: other amounts with the same unit, then scaled ones. Names: other names of the same
type in the text (same article, gender and number when possible), then the gazetteer; never
an alias of the answer, an item listed with it, or a name the question already shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.content.generator import lexicon
from bot.content.generator.model import AnswerType, Candidate, Draft

WANTED = 3
_MONTH_INDEX = {m: i for i, m in enumerate(lexicon.MONTHS)}


def _fold(text: str) -> str:
    return re.sub(r"^(?:l'|la |le |les )", "", text.strip().lower())


def _time_key(value: str) -> float | None:
    parts = value.split()
    try:
        if len(parts) == 1:
            return float(parts[0])
        if len(parts) == 2:
            return int(parts[1]) + _MONTH_INDEX[parts[0]] / 12
        day = 1 if parts[0] == "1er" else int(parts[0])
        return int(parts[2]) + _MONTH_INDEX[parts[1]] / 12 + day / 400
    except (KeyError, ValueError):
        return None


def _synth_time(kind: AnswerType, value: str) -> list[str]:
    parts = value.split()
    if kind is AnswerType.YEAR:
        y = int(parts[0])
        return [str(y + d) for d in (1, -1, 2, -2, 3, -3)]
    if kind is AnswerType.MONTH:
        m, y = _MONTH_INDEX[parts[0]], int(parts[1])
        return [f"{lexicon.MONTHS[m]} {y + d}" for d in (1, -1)] + [
            f"{lexicon.MONTHS[(m + d) % 12]} {y}" for d in (3, -4, 6)
        ]
    day = 1 if parts[0] == "1er" else int(parts[0])
    m, y = _MONTH_INDEX[parts[1]], int(parts[2])
    other_day = 12 if day != 12 else 14
    return [
        f"{parts[0]} {lexicon.MONTHS[m]} {y + 1}",
        f"{other_day} {lexicon.MONTHS[m]} {y}",
        f"{parts[0]} {lexicon.MONTHS[(m + 2) % 12]} {y}",
        f"{parts[0]} {lexicon.MONTHS[m]} {y - 1}",
    ]


_NUMBER = re.compile(r"^(\d+(?:,\d+)?)(.*)$")


def _format_number(x: float) -> str:
    if abs(x - round(x)) < 1e-9:
        return str(round(x))
    return f"{x:.1f}".replace(".", ",")


def _synth_amount(text: str) -> list[str]:
    m = _NUMBER.match(text)
    if not m:
        return []
    x = float(m[1].replace(",", "."))
    unit = m[2]
    out = []
    for factor in (2, 0.5, 3, 1.5, 4):
        y = x * factor
        new_unit = unit
        if y < 2 and unit.startswith(" milliards"):
            new_unit = unit.replace("milliards", "milliard")
        if y >= 2 and unit.startswith(" milliard "):
            new_unit = unit.replace("milliard", "milliards")
        out.append(_format_number(y) + new_unit)
    return out


def _synth_count(text: str) -> list[str]:
    if text.lower() in lexicon.NUMBER_WORDS:
        n = lexicon.NUMBER_WORDS[text.lower()]
        near = [k for k in (n + 1, n - 1, n + 2, n - 2, n + 4, n * 2) if k in lexicon.NUMBER_NAMES]
        return [lexicon.NUMBER_NAMES[k] for k in near if k > 1]
    digits = text.replace(" ", "")
    if digits.isdigit():
        n = int(digits)
        return [f"{k:,}".replace(",", " ") for k in (n * 2, n // 2, n + n // 4) if k > 0]
    return []


def _unit(text: str) -> str:
    m = _NUMBER.match(text)
    return m[2].strip().replace("milliard ", "milliards ") if m else ""


def _article_kind(form: str) -> str:
    low = form.lower()
    if low.startswith("l'"):
        return "l'"
    for art in ("les ", "la ", "le "):
        if low.startswith(art):
            return art.strip()
    return ""


def period_of(pool: Sequence[Candidate]) -> int | None:
    """The text's period: the median year of its dates (None without dates)."""
    years = sorted(
        int(c.value.split()[-1])
        for c in pool
        if c.type in {AnswerType.YEAR, AnswerType.MONTH, AnswerType.DATE}
        and c.value.split()[-1].isdigit()
    )
    return years[len(years) // 2] if years else None


def _org_kind(c: Candidate) -> str | None:
    return c.kind or lexicon.org_kind(c.value)


def _entity_ok(answer: Candidate | None, draft: Draft, other: Candidate) -> bool:
    if (
        other.value in draft.accept
        or other.text in draft.accept
        or (answer is not None and (other.value in answer.accept or draft.value in other.accept))
    ):
        return False  # an alias of the answer (« OECE » for the Organisation …)
    if (
        other.type is AnswerType.ORG
        and answer is not None
        and answer.type is AnswerType.ORG
        and _org_kind(other) != _org_kind(answer)
    ):
        return False  # a company is no distractor for an institution
    if other.sentence == draft.sentence and other.value.isupper():
        return False  # « le Fonds … de la Communauté … (CEEA) »: an acronym of part of the answer
    if other.value in lexicon.METONYMS or (
        other.type is AnswerType.ORG
        and len(other.value.split()) == 1
        and other.value.istitle()
        and other.text != other.value
    ):
        return False  # « le Kremlin » is no organisation; « l'Assemblée » alone is too vague
    if other.value == draft.value or _fold(other.text) == _fold(draft.answer):
        return False
    if answer is not None and (other.value in answer.listed_with):
        return False
    a, b = _fold(other.text), _fold(draft.answer)
    if a in b or b in a:
        return False
    if lexicon.METONYMS.get(other.value) in {draft.value, _fold(draft.answer).capitalize()}:
        return False
    shown = draft.prompt.lower()
    return _fold(other.text) not in shown


_SAME_STATE = (
    frozenset({"Union soviétique", "URSS", "Russie"}),
    frozenset({"Allemagne", "RFA", "République fédérale d'Allemagne"}),
    frozenset({"Royaume-Uni", "Angleterre"}),
)


def _same_state(a: str, b: str) -> bool:
    """« l'URSS » is no distractor for « l'Union soviétique » (nor « la Russie »)."""
    return a == b or any(a in s and b in s for s in _SAME_STATE)


def _bc_options(draft: Draft, pool: Sequence[Candidate]) -> tuple[str, ...]:
    """Years before the common era: other such years of the text, then close ones, in the
    answer's form (« 509 av. J.-C. »)."""
    year = int(draft.value.split()[-1].lstrip("-"))
    m = re.search(rf"(?<!\d){year}(?!\d)", draft.answer)
    suffix = draft.answer[m.end() :] if m else " av. J.-C."
    prefix = draft.answer[: m.start()].strip() if m else ""
    others = sorted(
        {
            int(c.value.lstrip("-"))
            for c in pool
            if c.type is AnswerType.YEAR and c.value.startswith("-") and c.value != f"-{year}"
        },
        key=lambda y: abs(y - year),
    )
    picked = [y for y in others if abs(y - year) <= 400][:2] if not prefix else []
    step = (
        1
        if prefix
        else (
            100
            if year % 100 == 0 and year >= 200
            else (10 if year % 10 == 0 else max(2, year // 100))
        )
    )
    for delta in (step, -step, 2 * step, -2 * step):
        if len(picked) >= WANTED:
            break
        if year + delta > 0 and year + delta not in picked:
            picked.append(year + delta)
    out = [f"{prefix + ' ' if prefix else ''}{y}{suffix}" for y in sorted(picked, reverse=True)]
    return tuple(o for o in out if o != draft.answer)[:WANTED]


def choose(draft: Draft, answer: Candidate | None, pool: Sequence[Candidate]) -> tuple[str, ...]:
    """Up to three distractors for a question (not for a cloze)."""
    kind = draft.type
    if draft.answer in {f for f, _g, _p in lexicon.COUNTRIES.values()}:
        kind = AnswerType.COUNTRY
    # Items listed together with the answer anywhere in the text may be right too.
    listed = {v for c in pool if draft.value in c.listed_with for v in c.listed_with}
    same = [c for c in pool if c.type is kind and c.value not in listed]
    picked: list[str] = []

    def add(options: Iterable[str]) -> None:
        for opt in options:
            low = opt.lower()
            if len(picked) >= WANTED:
                return
            if low == draft.answer.lower() or low in (p.lower() for p in picked):
                continue
            if low in draft.prompt.lower() and kind.is_numeric:
                continue
            picked.append(opt)

    if kind in {AnswerType.YEAR, AnswerType.DATE} and "-" in draft.value:
        return _bc_options(draft, pool)
    if kind in {AnswerType.YEAR, AnswerType.MONTH, AnswerType.DATE}:
        target = _time_key(draft.value)
        if target is None:
            return ()
        others = sorted(  # ties (as near before as after) in time order: never set order
            {c.value for c in same if c.value != draft.value},
            key=lambda v: (abs((_time_key(v) or 0) - target), _time_key(v) or 0, v),
        )
        # The nearest dates of the text are the most plausible; keep them in time order.
        add(o for o in others if abs((_time_key(o) or 0) - target) <= 12)
        add(_synth_time(kind, draft.value))
        return tuple(sorted(picked, key=lambda v: _time_key(v) or 0))
    if kind is AnswerType.MONEY:
        unit = _unit(draft.answer)
        add(c.text for c in same if _unit(c.text) == unit and c.value != draft.value)
        add(_synth_amount(draft.answer))
        return tuple(picked)
    if kind is AnswerType.PERCENT:
        add(c.text for c in same if c.value != draft.value)
        m = _NUMBER.match(draft.answer)
        if m:
            x = float(m[1].replace(",", "."))
            add(f"{_format_number(v)} %" for v in (x + 10, x - 10, x * 2, x / 2) if 0 < v < 100)
        return tuple(picked)
    if kind is AnswerType.COUNT:
        words = draft.answer.lower() in lexicon.NUMBER_WORDS
        counted = answer.unit if answer is not None else None
        add(
            c.text
            for c in same
            if c.value != draft.value
            and (c.text.lower() in lexicon.NUMBER_WORDS) == words
            and (counted is None or c.unit == counted)
        )  # 8 minutes: not 800 nanomètres
        add(_synth_count(draft.answer))
        return tuple(picked)
    # Names: same type, same article form first (« la Chine » for « la Russie »).
    candidates_ = [c for c in same if _entity_ok(answer, draft, c)]
    if kind is AnswerType.PERSON:  # « Loukachenko » is « Aleksandr Loukachenko »
        roles = {c.text.split()[-1]: c.kind for c in pool if c.type is kind and c.kind}
        mine = roles.get(draft.answer.split()[-1])
        if mine and not draft.prompt.startswith(("Qui ", "À qui ")):
            # « Quel président américain … ? »: not « Nasser », « président égyptien »
            candidates_ = [c for c in candidates_ if roles.get(c.text.split()[-1]) in {None, mine}]
        surnames = {draft.answer.split()[-1]}
        unique: list[Candidate] = []
        for c in candidates_:
            if c.text.split()[-1] not in surnames:
                surnames.add(c.text.split()[-1])
                unique.append(c)
        candidates_ = unique
    aliases: set[str] = set()
    distinct: list[Candidate] = []
    for c in candidates_:  # « l'Organisation … » and « OECE » are one distractor, not two
        if c.value not in aliases:
            distinct.append(c)
            aliases |= {c.value, *c.accept}
    candidates_ = distinct
    art = _article_kind(draft.answer)
    gender = answer.gender if answer is not None else None
    if kind is AnswerType.COUNTRY:
        form = lexicon.COUNTRIES.get(draft.value) or next(
            (v for v in lexicon.COUNTRIES.values() if v[0] == draft.answer), None
        )
        if form is not None:
            gender = form[1]
    best = [
        c.text
        for c in candidates_
        if _article_kind(c.text) == art and (gender is None or c.gender in {None, gender})
    ]
    add(best)
    if kind is AnswerType.COUNTRY:
        # Pad from the answer's regions (not alphabetically), states of the text's period.
        listed_names = answer.listed_with if answer is not None else ()
        period = period_of(pool)
        name_of = {form: name for name, (form, _g, _p) in lexicon.COUNTRIES.items()}
        value = draft.value if draft.value in lexicon.COUNTRIES else name_of.get(draft.answer, "")
        in_text = {c.value for c in pool}  # a country of the text may be a co-answer
        regions = lexicon.regions_of(value)
        pad: list[str] = []
        second: list[str] = []  # same gender and number, other article (« la » for « l' »)
        for region in regions:
            for name in region:
                pad_form, g, pl = lexicon.COUNTRIES[name]
                if (
                    g != gender
                    or pl != (art == "les")
                    or name in listed_names
                    or name in listed
                    or _fold(pad_form) in draft.prompt.lower()
                    or name in in_text
                    or _same_state(name, value)
                    or not lexicon.existed(name, period)
                    or pad_form in pad + second
                ):
                    continue
                (pad if _article_kind(pad_form) == art else second).append(pad_form)
        pad += second
        add(pad)
    if len(picked) < 2:
        add(c.text for c in candidates_)
    return tuple(picked)
