"""True/false statements: a sentence of the text read alone, true as written or made false by
swapping one date, number or name for a distractor of the same type (never a co-answer)."""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
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


#: Words elided before a vowel: « qu' » ↔ « que », « d' » ↔ « de », « lorsqu' » ↔ « lorsque ».
_ELIDED = re.compile(r"(?<![\w-])(qu|lorsqu|puisqu|jusqu|d)'$", re.IGNORECASE)
_FULL = re.compile(r"(?<![\w-])(que|lorsque|puisque|jusque|de) $", re.IGNORECASE)


def elide(before: str, word: str) -> str:
    """The text before a swapped word, its last word elided or not as the new word wants:
    « tandis qu' » + « François-René » → « tandis que », « que » + « Albert » → « qu' »."""
    vowel = word[:1].lower() in "aeéèêëiîïoôuûyh"
    m = _ELIDED.search(before)
    if m and not vowel:
        return before[: m.start()] + m[1] + "e "
    m = _FULL.search(before)
    if m and vowel:
        return before[: m.start()] + m[1][:-1] + "'"
    return before


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
        at = text.index(cand.gap)
        prompt = elide(text[:at], swap) + swap + text[at + len(cand.gap) :]
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


# --- v3.4: statements on the terms of any sentence that reads alone ---------------------------

#: Nouns too general to be the fact a statement is about (« le rôle », « la plupart »).
_GENERIC = frozenset(
    {
        "plupart",
        "rôle",
        "partie",
        "fois",
        "cas",
        "moment",
        "façon",
        "manière",
        "reste",
        "ensemble",
        "fin",
        "début",
        "suite",
        "lieu",
        "nom",
        "exemple",
        "type",
        "forme",
        "place",
        "moitié",
        "nombre",
        "chose",
        "côté",
        "an",
        "année",
        "jour",
        "siècle",
        "mois",
        "temps",
        "époque",
    }
)
_DEFINITE = {"le", "la", "les", "l'"}
#: Words before the article that make it no term's: a partitive, a quantifier, an infinitive.
_BEFORE_TERM = frozenset({"de", "à", "tout", "tous", "pour", "sans"})


@dataclass(frozen=True, slots=True)
class Term:
    """A definite noun phrase of the text (« la bile », « les villosités intestinales »):
    what a statement is about, and what another such term can be swapped with."""

    text: str  # as written in its sentence, article included
    lemma: str  # the head noun's lemma, folded
    article: str  # le | la | les | l' (lower case)
    gender: str
    plural: bool
    sentence: int
    dep: str  # the head noun's relation: a subject is swapped for a subject first
    #: a person's noun (« le chimiste », « les députés », a noun before a name): swapped only
    #: for another person's, never for a thing's
    human: bool = False
    #: the term carries its own « de N » (« le dioxyde de carbone »)
    complement: bool = False
    #: the head noun's word vector (the model's): a swap is of the same kind when near
    vector: tuple[float, ...] = field(default=(), compare=False, repr=False)


def terms_of(sent: Span, index: int) -> list[Term]:
    """« le/la/les/l' + NOUN (+ ADJ) » of a sentence, with the noun's gender and number."""
    found: list[Term] = []
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.i == sent.start or not tok.text.islower():
            continue  # a capitalised noun is a name (« la Terre », « Le Tour du monde … »)
        det = tok.doc[tok.i - 1]
        if det.lower_ not in _DEFINITE or det.dep_ != "det" or det.head.i != tok.i:
            continue
        if det.i > sent.start and tok.doc[det.i - 1].lower_ in {
            "de",
            "à",
            "tout",
            "tous",
            "pour",
            "sans",
        }:
            continue  # « de la bile » reads as a partitive, « tous les … » as a quantifier
        gender = tok.morph.get("Gender", [])
        number = tok.morph.get("Number", [])
        if not gender or not number or tok.lemma_.lower() in _GENERIC or len(tok.text) < 4:
            continue
        end = tok.i + 1
        doc = tok.doc
        complement = end + 1 < sent.end and doc[end].lower_ == "de" and doc[end + 1].pos_ == "NOUN"
        if complement:
            end += 2  # « le dioxyde de carbone » is one term
        if end < sent.end and doc[end].pos_ == "ADJ" and doc[end].head.i in {tok.i, end - 1}:
            end += 1  # « le sulfate de cuivre anhydre », « la vésicule biliaire »
        if end < sent.end and doc[end].pos_ in {"ADJ", "VERB"} and doc[end].head.i == tok.i:
            continue  # a second adjective, or a participle the parser hangs on the noun
        if end + 1 < sent.end and doc[end].text in {"et", ","} and doc[end + 1].pos_ == "ADJ":
            continue  # « les lumières rouge et bleue »: the term does not end at its adjective
        text = tok.doc[det.i : end].text
        human = (
            tok.lemma_.lower() in _human_nouns()
            or tok.lower_ in _human_nouns()
            or (end < sent.end and doc[end].pos_ == "PROPN")
        )
        found.append(
            Term(
                text,
                fold_word(tok.lemma_),
                det.lower_,
                gender[0],
                number[0] == "Plur",
                index,
                tok.dep_.split(":")[0],
                human,
                complement,
                tuple(float(x) for x in tok.vector) if tok.has_vector else (),
            )
        )
    return found


@functools.cache
def _human_nouns() -> frozenset[str]:
    from bot.content.generator import enrich, lexicon

    return frozenset(enrich._HUMAN | lexicon.PERSON_TITLES)


def similarity(a: Term, b: Term) -> float:
    """Cosine of the two head nouns' vectors (0 without vectors)."""
    if not a.vector or not b.vector:
        return 0.0
    dot = sum(x * y for x, y in zip(a.vector, b.vector, strict=True))
    norm = math.sqrt(sum(x * x for x in a.vector)) * math.sqrt(sum(y * y for y in b.vector))
    return dot / norm if norm else 0.0


def fold_word(word: str) -> str:
    from bot.content.generator.rank import fold

    return fold(word)


def _occurrences(text: str, term: str) -> int:
    return len(re.findall(rf"(?<![\w'-]){re.escape(term)}(?![\w'-])", text, re.IGNORECASE))


def term_statements(
    sentences: Sequence[tuple[Span, str | None]],
    taken: set[int],
    asked: set[tuple[int, str]],
    subjects: set[str],
) -> list[Draft]:
    """v3.4: a true/false statement for a sentence that reads alone and has none yet
    (``taken``: sentences with a date, number or term statement): about one of its terms,
    true as written or made false by another term of the text with the same article, gender
    and number (so that the grammar does not give the swap away), a subject for a subject
    first, the nearest sentence first; half true, half false by :func:`truth_of`. ``asked``:
    (sentence, folded answer) of the clozes already drafted, whose blank is left to them
    (one item per fact, and no rated cloze churned)."""
    every = [t for i, (sent, _) in enumerate(sentences) for t in terms_of(sent, i)]
    counts: dict[str, int] = {}
    for t in every:
        counts[t.lemma] = counts.get(t.lemma, 0) + 1
    # a swap is another term the text comes back to (twice or more), never its own subject
    usable = [t for t in every if not _is_subject(t, subjects)]
    out: list[Draft] = []
    for index, (sent, alone) in enumerate(sentences):
        if alone is None or index in taken or not MIN_WORDS <= len(alone.split()) <= MAX_WORDS:
            continue
        if alone.rstrip().endswith(("?", ":")) or _INDEFINITE.match(alone):
            continue  # a question or an announcement is no fact; « Quelques-unes … »: which?
        mine = sorted(
            (
                t
                for t in terms_of(sent, index)
                if not _is_subject(t, subjects)
                and not _blank_taken(index, t, asked)
                and _occurrences(alone, t.text) == 1
            ),
            key=lambda t: -counts[t.lemma],
        )
        if not mine:
            continue
        # a statement that could not have been false teaches nothing: the term must have a
        # swap of its kind, whether this statement is the true or the false one
        pairs = [(t, _swap_term(t, usable, alone)) for t in mine]
        found = next(((t, o) for t, o in pairs if o is not None and _fits(alone, t, o)), None)
        if found is None:
            continue
        term, swap = found
        truth = truth_of(sent.text, "terme")
        prompt = alone.strip()
        value = fold_word(term.text)
        if not truth:
            pattern = re.compile(rf"(?<![\w'-]){re.escape(term.text)}(?![\w'-])", re.IGNORECASE)
            m = pattern.search(prompt)
            if m is None:
                continue
            new = swap.text
            new = (
                new[0].upper() + new[1:] if m.group(0)[:1].isupper() else new[0].lower() + new[1:]
            )
            prompt = prompt[: m.start()] + new + prompt[m.end() :]
        if not prompt.endswith((".", "!", "»")):
            prompt += "."
        out.append(
            Draft(
                False,
                prompt,
                TRUE_ANSWER if truth else FALSE_ANSWER,
                AnswerType.CONCEPT,
                sent.text,
                index,
                value,
                0.45,
                notes=[term.text],
                pattern="truefalse-term",
                truth=truth,
            )
        )
    return out


#: An indefinite pronoun as the sentence's subject: read alone, nobody knows of what.
_INDEFINITE = re.compile(
    r"^(?:Quelques-une?s|Certaine?s|Plusieurs|La plupart|Beaucoup|D'autres|Aucune?|Chacune?)\b"
)


def _fits(alone: str, term: Term, swap: Term) -> bool:
    """A swap that brings its own « de N » does not go before the term's: « la bataille
    d'Hernani » never becomes « la révolution de Juillet d'Hernani »."""
    at = alone.lower().find(term.text.lower())
    after = alone[at + len(term.text) :] if at >= 0 else ""
    return not (swap.complement and re.match(r"\s*(?:de|d'|du|des)\b", after))


def _is_subject(term: Term, subjects: set[str]) -> bool:
    """The text's own subject (« la digestion » in a text on digestion): no fact, no swap."""
    return any(term.lemma in s.split() or term.lemma == s for s in subjects)


def _blank_taken(index: int, term: Term, asked: set[tuple[int, str]]) -> bool:
    """A cloze of this sentence already blanks (part of) the term."""
    mine = fold_word(term.text)
    return any(i == index and len(a) > 2 and a in mine for i, a in asked)


#: A swap is of the same kind as the term (an organ for an organ, a gas for a gas) when their
#: head nouns' vectors are this near (the model's pruned table gives words of one kind the
#: same row: « foie » and « pancréas » are at 1.0, « sang » and « diaphragme » at 0.11).
NEAR = 0.35


def _swap_term(term: Term, every: Sequence[Term], alone: str) -> Term | None:
    """Another term of the same article, gender, number and humanness, from another sentence,
    not in this one, of the same kind (:data:`NEAR`); the nearest in meaning first."""
    low = alone.lower()
    options = {
        t.lemma: t
        for t in every
        if t.lemma != term.lemma
        and t.sentence != term.sentence
        and (t.article, t.gender, t.plural, t.human)
        == (term.article, term.gender, term.plural, term.human)
        and t.lemma not in fold_word(low)
        and t.text.lower().split(" ", 1)[-1] not in low
        and similarity(term, t) >= NEAR
    }
    if not options:
        return None
    return max(options.values(), key=lambda t: (similarity(term, t), t.text))
