"""Step 6: filter over-generated drafts, rank them, keep one question and one cloze per fact."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

from bot.content.generator.model import TYPE_TAGS, Draft
from bot.content.generator.realise import dangling
from bot.domain.deck import Question

MIN_WORDS, MAX_QUESTION_WORDS = 5, 38


def fold(text: str) -> str:
    """Lower case, no accents, no article: for « is the answer given away? »."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"^(?:l'|la |le |les )", "", text).strip()


def problems(draft: Draft) -> list[str]:
    """Why a draft should not be shown to a student (empty when it is fine)."""
    found: list[str] = []
    prompt = draft.prompt
    words = len(prompt.split())
    # « Qu'est-ce qu'un affluent ? », « Que signifie atomos ? »: the term is the whole question
    short_ok = (
        draft.pattern
        in {
            "definition-choice",
            "meaning",
            "definition-card",
            "named-card",
            "apposition-card",
            "naming-card",
        }
        and words >= 3
    )
    if words < MIN_WORDS and not short_ok:
        found.append("trop court")
    if draft.cloze:
        shown = re.sub(r"\{\{.*?\}\}", " ", prompt)
        if prompt.count("{{") != 1:
            found.append("pas exactement un trou")
    else:
        shown = prompt
        if words > MAX_QUESTION_WORDS:
            found.append("trop long")
        if dangling(prompt):
            found.append("pronom sans antécédent")
        if prompt.count("«") != prompt.count("»") or prompt.count("(") != prompt.count(")"):
            found.append("guillemets ou parenthèses déséquilibrés")
        if re.search(r"[:;]", prompt):
            found.append("plusieurs propositions")
        if re.search(r"\b(\w+) \1\b", prompt):
            found.append("mot répété")
    answer = fold(draft.answer)
    if answer and re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", fold(shown)):
        found.append("la réponse est dans la question")
    return found


def select(drafts: Iterable[Draft]) -> list[Draft]:
    """Best question and best cloze per fact, in text order."""
    best: dict[tuple[bool, int, str], Draft] = {}
    for d in drafts:
        if problems(d):
            continue
        key = (d.cloze, *d.fact)
        if key not in best or d.confidence > best[key].confidence:
            best[key] = d
    prompts: set[str] = set()
    kept: list[Draft] = []
    for d in sorted(best.values(), key=lambda d: (d.sentence, d.cloze, -d.confidence)):
        if d.prompt in prompts:
            continue
        prompts.add(d.prompt)
        kept.append(d)
    return kept


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:32].strip("-") or "x"


def stable_id(draft: Draft) -> str:
    """Derived from the fact (sentence text, answer, kind), not from the wording or position.

    Rewording a prompt or inserting a paragraph elsewhere does not change the id.
    """
    kind = "vf" if draft.truth is not None else ("cloze" if draft.cloze else "q")
    if draft.self_rated:  # v3.8: a card is not the question it replaces (no rating carried)
        kind = "carte"
    digest = hashlib.sha1(f"{kind}|{draft.source}|{draft.value}".encode()).hexdigest()[:6]
    answer = draft.notes[0] if draft.truth is not None and draft.notes else draft.answer
    return f"{TYPE_TAGS[draft.type]}-{_slug(answer)}-{kind}-{digest}"


def spread_siblings(questions: Sequence[Question]) -> list[Question]:
    """Deck order in which items from the same sentence are as far apart as possible.

    Round-robin over sentences in text order: the first pass takes each sentence's first item
    (its question before its cloze), the next pass the second ones, and so on. A student who
    meets the deck in file order never sees a cloze right after the question that gives its
    answer away.
    """
    by_sentence: dict[str, list[Question]] = {}
    for q in questions:
        by_sentence.setdefault(q.source or q.key, []).append(q)
    rounds = max((len(items) for items in by_sentence.values()), default=0)
    return [items[i] for i in range(rounds) for items in by_sentence.values() if i < len(items)]


def best_first(questions: Sequence[Question]) -> list[Question]:
    """Highest ``confidence`` first, but never two items of one sentence in a row when another
    sentence's item can come between (one would give the other away)."""
    left = sorted(questions, key=lambda q: -(q.confidence or 0.0))
    out: list[Question] = []
    while left:
        last = out[-1].source if out else None
        pick = next((i for i, q in enumerate(left) if q.source != last), 0)
        out.append(left.pop(pick))
    return out
