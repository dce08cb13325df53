"""The whole generator: text → parsed sentences → drafts → ranked questions → Deck."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.content.generator import cloze as cloze_mod
from bot.content.generator import distractors, extract, normalise, rank, realise
from bot.content.generator.model import TYPE_TAGS, AnswerType, Candidate, Draft
from bot.domain.deck import Deck, Question, QuestionKind

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

#: Inherited dates are less certain than a date written in the clause itself.
INHERITED_CONFIDENCE = 0.55


def parse(text: str, nlp: Language, progress: Callable[[int], None] | None = None
          ) -> Iterator[Doc]:
    """Paragraphs (headings left out) parsed in batches; ``progress`` gets words done."""
    paragraphs = [b.text for b in normalise.split_blocks(text) if not b.heading]
    for para, doc in zip(paragraphs, nlp.pipe(paragraphs, batch_size=64), strict=True):
        if progress is not None:
            progress(len(para.split()))
        yield doc


def _inherited(sent: Span, cands: list[Candidate],
               antecedents: list[realise.Antecedent]) -> list[Draft]:
    """« … l'élection de mars 2006 : l'UE décide … » → the clause after the colon gets 2006."""
    drafts: list[Draft] = []
    dates = [c for c in cands if c.type in {AnswerType.YEAR, AnswerType.MONTH, AnswerType.DATE}]
    for colon in (t for t in sent if t.text == ":"):
        before = [c for c in dates if c.end <= colon.i]
        if not before:
            continue
        verb = next((t for t in sent[colon.i - sent.start + 1:]
                     if t.pos_ == "VERB" and "Fin" in t.morph.get("VerbForm", [])), None)
        if verb is None or any(c.start > colon.i for c in dates):
            continue
        clause = realise.build_clause(verb, antecedents)
        if clause is None or clause.subject.pronoun is None:
            continue
        source = before[-1]
        year = source.value.split()[-1]
        prompt = f"En quelle année {clause.subject.text} {clause.verb_group(True)} " \
                 f"{clause.rest(set())}"
        cand = replace(source, type=AnswerType.YEAR, text=year, gap=year, value=year)
        draft = realise._draft(cand, sent, prompt, year, INHERITED_CONFIDENCE)
        draft.notes.append("date héritée de la proposition précédente")
        drafts.append(draft)
    return drafts


def drafts_for(docs: Iterator[Doc]) -> tuple[list[Draft], list[Candidate], dict[int, Candidate]]:
    """Over-generate: for each candidate answer, a question (when one can be realised) and
    a cloze. Returns the drafts, every candidate (the distractor pool) and, per draft id,
    the candidate it asks about."""
    drafts: list[Draft] = []
    pool: list[Candidate] = []
    owner: dict[int, Candidate] = {}
    antecedents: list[realise.Antecedent] = []
    sentences: list[tuple[Span, list[Candidate]]] = []
    for doc in docs:
        for sent in doc.sents:
            cands = extract.candidates(sent, len(sentences))
            sentences.append((sent, cands))
            pool.extend(cands)
    period = distractors.period_of(pool)  # « Moscou » is the USSR in a text about 1947
    for sent, cands in sentences:
        for cand in cands:
            for draft in (realise.question(cand, sent, antecedents, period),
                          cloze_mod.cloze(cand, sent)):
                if draft is not None:
                    drafts.append(draft)
                    owner[id(draft)] = cand
        drafts.extend(_inherited(sent, cands, antecedents))
        antecedents = (realise.antecedents_of(sent) + antecedents)[:8]
    return drafts, pool, owner


def generate_drafts(text: str, nlp: Language,
                    progress: Callable[[int], None] | None = None) -> list[Draft]:
    """Ranked drafts with distractors (questions) — the generator's raw output."""
    drafts, pool, owner = drafts_for(parse(text, nlp, progress))
    kept = rank.select(drafts)
    for d in kept:
        if not d.cloze:
            d.distractors = distractors.choose(d, owner.get(id(d)), pool)
    return kept


def to_question(draft: Draft) -> Question:
    kind = QuestionKind.CLOZE if draft.cloze else (
        QuestionKind.CHOICE if len(draft.distractors) >= 2 else QuestionKind.OPEN)
    return Question(
        key=rank.stable_id(draft),
        kind=kind,
        prompt=draft.prompt,
        answer=draft.answer,
        accept=draft.accept,
        distractors=draft.distractors if kind is QuestionKind.CHOICE else (),
        source=draft.source,
        tags=(TYPE_TAGS[draft.type], "texte-a-trous" if draft.cloze else "question"),
        confidence=draft.confidence,
    )


@functools.cache
def load_model() -> Language:
    """The French model, loaded once per process."""
    from bot.content.generator import nlp as nlp_mod

    return nlp_mod.load()


def generate_deck(text: str, *, deck_id: str, title: str, nlp: Language | None = None,
                  progress: Callable[[int], None] | None = None) -> Deck:
    """Generate a deck from French text. ``nlp``: a loaded model (loaded here if None)."""
    model = nlp if nlp is not None else load_model()
    questions = tuple(to_question(d) for d in generate_drafts(text, model, progress))
    seen: set[str] = set()
    unique: list[Question] = []
    for q in questions:
        key, n = q.key, 2
        while key in seen:
            key, n = f"{q.key}-{n}", n + 1
        seen.add(key)
        unique.append(q if key == q.key else replace(q, key=key))
    return Deck(
        slug=deck_id, title=title, questions=tuple(rank.spread_siblings(unique)), language="fr"
    )
