"""Step 3: candidate answers in a parsed sentence (dates, numbers, entities, enumerations).

spaCy's French models label only PER/ORG/LOC/MISC, so dates and numbers come from regular
expressions over the sentence text, mapped back onto tokens; entity spans are repaired
(cut names joined, over-long names cut, elided articles dropped) and typed with the lexicons.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.content.generator import lexicon
from bot.content.generator.model import AnswerType, Candidate

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_MONTH = "|".join(lexicon.MONTHS)
_NUMBER_WORD = "|".join(sorted(lexicon.NUMBER_WORDS, key=len, reverse=True))
_YEAR = r"(?<![\w-])(1[0-9]{3}|20[0-9]{2})(?![\w-])"
FULL_DATE = re.compile(rf"(?<![\w-])(1er|[0-3]?[0-9])\s+({_MONTH})\s+(1[0-9]{{3}}|20[0-9]{{2}})\b")
MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(1[0-9]{{3}}|20[0-9]{{2}})\b", re.IGNORECASE)
YEAR = re.compile(_YEAR)
#: « 753 av. J.-C. », « le 15 mars 44 av. J.-C. »: years before the common era (value < 0).
BC_DATE = re.compile(
    rf"(?<![\w-])(?:(1er|[0-3]?[0-9])\s+({_MONTH})\s+)?(\d{{1,4}})\s+"
    r"(?:av\.|avant)\s+J\.-C\."
)
MONEY = re.compile(
    r"(?<![\w,])(\d+(?:[,.]\d+)?|" + _NUMBER_WORD + r")\s+(milliards?|millions?|mille)?\s*"
    r"(?:de\s+|d')?(dollars|euros|francs|roubles|livres(?: sterling)?)\b"
)
BARE_AMOUNT = re.compile(r"(?<![\w,])(\d+(?:[,.]\d+)?)\s+(milliards?|millions?)\b(?!\s+d)")
PERCENT = re.compile(r"(?<![\w,])(\d+(?:[,.]\d+)?)\s?(%|pour\s?cent)")
COUNT = re.compile(
    rf"(?<![\w,-])(\d{{1,3}}(?: \d{{3}})*|{_NUMBER_WORD})\s+(?=[\w-])", re.IGNORECASE
)

_ELIDED = {"l'", "d'", "c'", "n'", "s'", "qu'", "j'", "m'", "t'"}
_ARTICLE = {"le", "la", "les", "l'"}
_CONTRACTED = {"du": "le", "au": "le", "aux": "les", "des": "les"}


def _span_of(sent: Span, start: int, end: int) -> Span | None:
    return sent.doc.char_span(
        sent.start_char + start, sent.start_char + end, alignment_mode="expand"
    )


def _numeric(sent: Span, taken: list[tuple[int, int]], sent_index: int) -> list[Candidate]:
    text = sent.text
    found: list[Candidate] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(kind: AnswerType, m: re.Match[str], value: str, group: int = 0) -> None:
        a, b = m.span(group)
        if not free(a, b):
            return
        span = _span_of(sent, a, b)
        if span is None:
            return
        taken.append((a, b))
        surface = text[a:b]
        found.append(Candidate(kind, surface, surface, span.start, span.end, value, sent_index))

    for m in BC_DATE.finditer(text):
        kind = AnswerType.DATE if m[1] else AnswerType.YEAR
        value = f"{m[1]} {m[2].lower()} -{m[3]}" if m[1] else f"-{m[3]}"
        add(kind, m, value)
    for m in FULL_DATE.finditer(text):
        add(AnswerType.DATE, m, f"{m[1]} {m[2].lower()} {m[3]}")
    for m in MONTH_YEAR.finditer(text):
        add(AnswerType.MONTH, m, f"{m[1].lower()} {m[2]}")
    for m in MONEY.finditer(text):
        add(AnswerType.MONEY, m, _money_value(m[0]))
    for m in BARE_AMOUNT.finditer(text):
        add(AnswerType.MONEY, m, _money_value(m[0]))
    for m in PERCENT.finditer(text):
        add(AnswerType.PERCENT, m, m[1].replace(".", ",") + " %")
    for m in YEAR.finditer(text):
        # « entre 1948 et 1952 », « de 1938 »: still years; a year inside a name is excluded
        # by the lookarounds (« Zapad-2009 »).
        add(AnswerType.YEAR, m, m[1], 1)
    for m in COUNT.finditer(text):
        a, b = m.span(1)
        if not free(a, b):
            continue
        span = _span_of(sent, a, b)
        if span is None or span.end >= sent.end:
            continue
        noun = sent.doc[span.end]
        if noun.pos_ != "NOUN" or noun.text.lower() in lexicon.MONTHS:
            continue
        word = m[1].lower()
        value = str(lexicon.NUMBER_WORDS.get(word, word)).replace(" ", "")
        taken.append((a, b))
        found.append(
            Candidate(
                AnswerType.COUNT,
                m[1],
                m[1],
                span.start,
                span.end,
                value,
                sent_index,
                plural=True,
                unit=noun.lemma_.lower(),
            )
        )
    return found


def _money_value(surface: str) -> str:
    return re.sub(r"\s+", " ", surface.replace("d'", "de ")).replace(".", ",").lower()


def _repair(span: Span) -> tuple[int, int] | None:
    """Token bounds of an entity, repaired; None for junk (« C' », « n' »)."""
    doc = span.doc
    start, end = span.start, span.end
    # Cut an over-long name at « et des / et les … » or at a verb.
    for i in range(start + 1, end):
        tok = doc[i]
        if tok.pos_ in {"VERB", "AUX"} or (
            tok.lower_ == "et" and i + 1 < end and doc[i + 1].lower_ in {"des", "les", "le", "la"}
        ):
            end = i
            break
    # Join a name cut after « de la » / « des » with the entity that follows.
    while end < len(doc) and doc[end - 1].lower_ in {"de", "la", "du", "des", "d'", "l'"}:
        nxt = doc[end]
        if nxt.ent_iob_ == "B":
            end = nxt.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
        else:
            break
    while end > start and doc[end - 1].lower_ in {"de", "la", "du", "des", "d'", "l'", "et"}:
        end -= 1
    text = doc[start:end].text
    if end <= start or len(text) <= 2 or text.lower() in _ELIDED or text.endswith("'"):
        return None
    if not any(c.isupper() for c in text):
        return None
    return start, end


def _article(doc: Doc, start: int) -> tuple[str | None, int]:
    """The article before a name (« la », contracted « du » → « le »), and where it starts."""
    if start == 0:
        return None, start
    prev = doc[start - 1]
    low = prev.lower_
    if low in _ARTICLE:
        return low, start - 1
    if low in _CONTRACTED:
        return _CONTRACTED[low], start
    return None, start


def _gender(tok: Token) -> str | None:
    g = tok.morph.get("Gender", [])
    return g[0] if g else None


def _entities(sent: Span, sent_index: int) -> list[Candidate]:
    doc = sent.doc
    found: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    for ent in sent.ents:
        bounds = _repair(ent)
        if bounds is None or bounds in seen:
            continue
        if any(bounds[0] < e and bounds[1] > s for s, e in seen):
            continue
        seen.add(bounds)
        start, end = bounds
        name = doc[start:end].text
        if name.endswith(")") or name.startswith("("):
            continue
        article, gap_start = _article(doc, start)
        cand = _typed(ent.label_, name, article, doc, start, end, gap_start, sent_index)
        if cand is not None:
            found.append(cand)
    return _aliases(_enumerations(found, sent), sent)


def _typed(
    label: str,
    name: str,
    article: str | None,
    doc: Doc,
    start: int,
    end: int,
    gap_start: int,
    sent_index: int,
) -> Candidate | None:
    gender: str | None
    head = doc[start]
    gap = doc[gap_start:end].text
    country = lexicon.country_form(name)
    if country is not None:
        form, gender, plural = country
        return Candidate(
            AnswerType.COUNTRY,
            form,
            gap,
            gap_start,
            end,
            name,
            sent_index,
            gender,
            plural,
            accept=(name,),
        )
    if name in lexicon.CITIES:
        return Candidate(
            AnswerType.CITY,
            name,
            gap,
            gap_start,
            end,
            name,
            sent_index,
            lexicon.NOUN_GENDER.get(name),
        )
    shown = f"{article} {name}".replace("' ", "'") if article else name
    gender = lexicon.NOUN_GENDER.get(name.split()[0]) or _gender(head)
    if article == "la":
        gender = "Fem"
    elif article == "le":
        gender = "Masc"
    if name[0].islower():  # « plan Marshall », « prix Sakharov »: not an organisation
        return Candidate(AnswerType.OTHER, shown, gap, gap_start, end, name, sent_index, gender)
    if name in {"Kremlin"}:
        return Candidate(AnswerType.ORG, shown, gap, gap_start, end, name, sent_index, "Masc")
    if label == "PER":
        if len(name.split()) == 1 and name[0].isupper() and name.isalpha() and article:
            return None
        return Candidate(
            AnswerType.PERSON,
            name,
            gap,
            gap_start,
            end,
            name,
            sent_index,
            gender,
            kind=_title(doc, gap_start),
        )
    if label == "ORG":
        value = lexicon.ORG_ALIASES.get(name, name)
        accept = (name,) if article else ()
        j = gap_start - 1  # « la société Beltransgaz », « le groupe russe Gazprom »
        while j > gap_start - 3 and j > 0 and doc[j].pos_ == "ADJ":
            j -= 1
        before = doc[j].lemma_.lower() if j >= 0 else ""
        return Candidate(
            AnswerType.ORG,
            shown,
            gap,
            gap_start,
            end,
            value,
            sent_index,
            gender,
            accept=accept,
            kind=lexicon.org_kind(value, before),
        )
    if label == "LOC":
        return Candidate(AnswerType.PLACE, shown, gap, gap_start, end, name, sent_index, gender)
    return Candidate(AnswerType.OTHER, shown, gap, gap_start, end, name, sent_index, gender)


def _title(doc: Doc, start: int) -> str | None:
    """The role written before a person's name: « président égyptien », « ministre »."""
    words: list[str] = []
    j = start - 1
    while j >= 0 and doc[j].pos_ == "ADJ" and len(words) < 2:
        words.insert(0, doc[j].lower_)
        j -= 1
    if j >= 0 and doc[j].lemma_.lower() in lexicon.PERSON_TITLES:
        return " ".join([doc[j].lemma_.lower(), *words])
    return None


def _enumerations(found: list[Candidate], sent: Span) -> list[Candidate]:
    """Mark the items of « A, B, C et D »: never distractors of one another."""
    doc = sent.doc
    groups: list[list[int]] = []
    ordered = sorted(range(len(found)), key=lambda i: found[i].start)
    for idx in ordered:
        cand = found[idx]
        if groups:
            prev = found[groups[-1][-1]]
            between = [t.lower_ for t in doc[prev.end : cand.start]]
            if (
                prev.type == cand.type
                and set(between) <= {",", "et", "ou", "de", "d'", "à"}
                and len(between) <= 2
            ):
                groups[-1].append(idx)
                continue
        groups.append([idx])
    result = list(found)
    for group in groups:
        if len(group) < 2:
            continue
        values = tuple(found[i].value for i in group)
        for i in group:
            c = found[i]
            result[i] = Candidate(
                c.type,
                c.text,
                c.gap,
                c.start,
                c.end,
                c.value,
                c.sentence,
                c.gender,
                c.plural,
                c.accept,
                values,
            )
    return result


def _aliases(found: list[Candidate], sent: Span) -> list[Candidate]:
    """« l'Organisation européenne de coopération économique (OECE) »: the acronym in
    parentheses is another name of the organisation (accepted, never its distractor) when it
    starts like it: « le Fonds … de la Communauté économique eurasiatique (CEEA) » is not."""
    doc = sent.doc
    result = list(found)
    for i, full in enumerate(found):
        for j, short in enumerate(found):
            if (
                short.start == full.end + 1
                and doc[full.end].text == "("
                and short.end < len(doc)
                and doc[short.end].text == ")"
                and short.type is full.type
                and short.value[:1] == full.value[:1]
            ):
                result[i] = replace(result[i], accept=(*result[i].accept, short.value))
                result[j] = replace(
                    result[j],
                    accept=(*result[j].accept, full.value),
                    kind=result[j].kind or full.kind,
                )
    return result


_NAMING = frozenset({"appeler", "nommer", "surnommer", "baptiser", "dénommer"})
_TERM_STOP = frozenset(
    {"qui", "que", "qu'", "dont", "et", "ou", "car", "mais", "c'", "ainsi", "en", "à", "par"}
)


def named_terms(sent: Span, sent_index: int) -> list[Candidate]:
    """The term a sentence names: « une bouillie appelée chyme », « des replis appelés
    villosités », « des ateliers appelés scriptoria » → the term (up to a comma, a
    conjunction or a relative), one to four words and no verb. A term is what the text
    teaches; its cloze reads as the sentence itself."""
    found: list[Candidate] = []
    for part in sent:
        if (
            part.lemma_.lower() not in _NAMING
            or "Part" not in part.morph.get("VerbForm", [])
            or part.i == sent.start
            or part.i + 1 >= sent.end
        ):
            continue
        first = part.doc[part.i + 1]
        quoted = first.text == "«"
        toks: list[Token] = []
        for tok in part.doc[part.i + 1 + quoted : sent.end]:
            if quoted and tok.text == "»":
                break
            if not quoted and (
                tok.is_punct or tok.lower_ in _TERM_STOP or tok.pos_ in {"VERB", "AUX", "ADP"}
            ):
                break
            toks.append(tok)
        if (
            not toks
            or len(toks) > 4
            or toks[0].lower_ in _TERM_STOP | {"le", "la", "les", "l'", "un", "une", "des"}
            or any(t.pos_ in {"VERB", "AUX", "PRON", "NUM"} for t in toks)
            or not toks[0].is_alpha
        ):
            continue
        start, end = toks[0].i, toks[-1].i + 1
        text = part.doc[start:end].text
        found.append(
            Candidate(
                AnswerType.CONCEPT,
                text,
                text,
                start,
                end,
                text.lower(),
                sent_index,
                gender=next(iter(toks[0].morph.get("Gender", [])), None),
                plural="Plur" in toks[0].morph.get("Number", []),
            )
        )
    return found


def candidates(sent: Span, sent_index: int) -> list[Candidate]:
    """Every candidate answer of one sentence, in text order."""
    taken: list[tuple[int, int]] = []
    found = _numeric(sent, taken, sent_index)
    occupied = {i for c in found for i in range(c.start, c.end)}
    for cand in (*_entities(sent, sent_index), *named_terms(sent, sent_index)):
        if not occupied.intersection(range(cand.start, cand.end)):
            found.append(cand)
            occupied |= set(range(cand.start, cand.end))
    return sorted(found, key=lambda c: c.start)
