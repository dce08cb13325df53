"""v3.4: what a deck leaves out, text by text — so that recall is measured before it is grown.

::

    python -m bot.content.generator.evaluate --recall [--decks DIR]

Per corpus text: items, fallback items (``pipeline.FALLBACK_TAG``), non-cloze items per 1,000
words, and each gold fact (``tests/data/corpus/gold``) that no item of the deck asks, with why:
« no candidate » when no realisation path drafts it at all (or the checks refuse it), else the
form of the best raw draft that asks it and what left it out (its form turned off, the ranker's
gate, one item per fact). Coverage here is automatic (``evaluate.covers``: answer and sentence),
whatever the item's rating: it counts what is asked, not what is acceptable.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.content.generator import forms
from bot.content.generator.evaluate import CORPUS, GoldFact, covers, load_corpus_gold
from bot.domain.deck import Deck, Question, QuestionKind


def per_1000(n: int, words: int) -> float:
    return 1000 * n / max(words, 1)


def _why(fact: GoldFact, raw: list[tuple[Question, str | None]]) -> str:
    """Why no item of the deck asks ``fact``: the first raw draft that asks it, and its gate."""
    for q, reason in raw:
        if covers(q, fact):
            tag = q.tags[0] if q.tags else ""
            form = forms.form_of(q.kind.value, tag, q.prompt, q.answer)
            return f"{form}: {reason or 'rang / un item par fait'}"
    return "aucun candidat"


def measure(name: str, deck: Deck | None, raw: list[tuple[Question, str | None]]) -> list[str]:
    """The report's lines for one text."""
    text = (CORPUS / "texts" / f"{name}.txt").read_text(encoding="utf-8")
    words = len(text.split())
    questions = deck.questions if deck is not None else ()
    non_cloze = sum(q.kind is not QuestionKind.CLOZE for q in questions)
    fallback = sum(forms.FALLBACK_TAG in q.tags for q in questions)
    _, facts = load_corpus_gold(CORPUS / "gold" / f"{name}.yaml")
    missed = [f for f in facts if not any(covers(q, f) for q in questions)]
    lines = [
        f"{name}: {len(questions)} items ({fallback} fallback), "
        f"non-cloze {per_1000(non_cloze, words):.1f}/1000 words, "
        f"gold asked {len(facts) - len(missed)}/{len(facts)}"
    ]
    lines += [f"    {f.kind or '?'} {f.id}: {f.answer!r} — {_why(f, raw)}" for f in missed]
    return lines


def main(names: list[str], decks: Path | None) -> int:
    """``decks``: frozen decks to measure (None: generate each text now)."""
    from bot.content.deckfile import load_deck_file
    from bot.content.generator.pipeline import generate_deck, generate_drafts, load_model
    from bot.content.generator.pipeline import to_question as to_q

    nlp = load_model()
    by_kind: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    total_items = total_non_cloze = total_words = 0
    for name in names:
        text = (CORPUS / "texts" / f"{name}.txt").read_text(encoding="utf-8")
        if decks is not None:
            path = decks / f"{name}.yaml"
            deck = load_deck_file(path) if path.exists() else None
        else:
            deck = generate_deck(text, deck_id=name, title=name, nlp=nlp)
        raw = [(to_q(d), forms.draft_gate(d)) for d in generate_drafts(text, nlp, raw=True)]
        print("\n".join(measure(name, deck, raw)))
        questions = deck.questions if deck is not None else ()
        _, facts = load_corpus_gold(CORPUS / "gold" / f"{name}.yaml")
        for f in facts:
            by_kind[f.kind] += 1
            asked[f.kind] += any(covers(q, f) for q in questions)
        total_items += len(questions)
        total_non_cloze += sum(q.kind is not QuestionKind.CLOZE for q in questions)
        total_words += len(text.split())
    print(
        f"all: {total_items} items, non-cloze {total_non_cloze} "
        f"({per_1000(total_non_cloze, total_words):.1f}/1000 words), gold asked "
        f"{sum(asked.values())}/{sum(by_kind.values())}"
    )
    print("  by kind: " + ", ".join(f"{k} {asked[k]}/{n}" for k, n in sorted(by_kind.items())))
    return 0
