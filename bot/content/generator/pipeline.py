"""The whole generator: text → parsed sentences → drafts → ranked questions → Deck."""

from __future__ import annotations

import copy
import functools
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.content.generator import (
    alone,
    checker,
    distractors,
    enrich,
    explain,
    extract,
    forms,
    normalise,
    rank,
    realise,
    refuse,
    review,
    selfrated,
)
from bot.content.generator import cloze as cloze_mod
from bot.content.generator import truefalse as tf_mod
from bot.content.generator.model import TYPE_TAGS, AnswerType, Candidate, Draft
from bot.domain.deck import Deck, Question, QuestionKind

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

#: v3.4: the tags of a fallback item (``fill``) and of an unproven path (``forms.UNPROVEN``).
FALLBACK_TAG = forms.FALLBACK_TAG
UNPROVEN_TAG = forms.UNPROVEN_TAG
#: v3.4: a text gets at least 8 items per 400 words (« a teacher who sends a 400-word text
#: and gets 3 items is badly served»), filled from turned-off forms when the gates leave fewer.
MIN_ITEMS_PER_400 = 8

#: Inherited dates are less certain than a date written in the clause itself.
INHERITED_CONFIDENCE = 0.55


def parse(
    text: str, nlp: Language, progress: Callable[[int], None] | None = None
) -> Iterator[Doc]:
    """Paragraphs (headings left out) parsed in batches; ``progress`` gets words done."""
    paragraphs = [b.text for b in normalise.split_blocks(text) if not b.heading]
    for para, doc in zip(paragraphs, nlp.pipe(paragraphs, batch_size=64), strict=True):
        if progress is not None:
            progress(len(para.split()))
        yield doc


def _inherited(
    sent: Span, cands: list[Candidate], antecedents: list[realise.Antecedent]
) -> list[Draft]:
    """« … l'élection de mars 2006 : l'UE décide … » → the clause after the colon gets 2006."""
    drafts: list[Draft] = []
    dates = [c for c in cands if c.type in {AnswerType.YEAR, AnswerType.MONTH, AnswerType.DATE}]
    for colon in (t for t in sent if t.text == ":"):
        before = [c for c in dates if c.end <= colon.i]
        if not before:
            continue
        verb = next(
            (
                t
                for t in sent[colon.i - sent.start + 1 :]
                if t.pos_ == "VERB" and "Fin" in t.morph.get("VerbForm", [])
            ),
            None,
        )
        if verb is None or any(c.start > colon.i for c in dates):
            continue
        clause = realise.build_clause(verb, antecedents)
        if clause is None or clause.subject.pronoun is None:
            continue
        source = before[-1]
        year = source.value.split()[-1]
        prompt = (
            f"En quelle année {clause.subject.text} {clause.verb_group(True)} {clause.rest(set())}"
        )
        cand = replace(source, type=AnswerType.YEAR, text=year, gap=year, value=year)
        draft = realise._draft(cand, sent, prompt, year, INHERITED_CONFIDENCE)
        draft.notes.append("date héritée de la proposition précédente")
        drafts.append(draft)
    return drafts


def _antecedent(sent: Span, antecedents: list[realise.Antecedent]) -> str | None:
    """The antecedent of a sentence's leading subject pronoun: the main subject of the
    sentence before, when it has the pronoun's gender and number (None when unsure)."""
    first = sent[0]
    wanted = {
        "il": ("Masc", False),
        "elle": ("Fem", False),
        "ils": ("Masc", True),
        "elles": ("Fem", True),
    }.get(first.lower_)
    if wanted is None:
        return None
    for ante in antecedents[-1:]:
        if (ante.gender, ante.plural) == wanted:
            low = ante.text.lower()
            if (
                low.split(" ")[0]
                in {"son", "sa", "ses", "leur", "leurs", "ce", "cet", "cette", "ces", "on"}
                or len(low.split()) > 8
            ):
                return None
            return ante.text
        break  # the nearest subject of another gender: the pronoun is not about it
    return None


_BOUND = r"(?:\d+(?:,\d+)?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)"


def _whole_range(draft: Draft) -> None:
    """« de 24 à {{72}} heures » → « de {{24 à 72}} heures »: a bound alone is half a fact."""
    for pattern in (
        rf"({_BOUND}) (à|et) \{{\{{({_BOUND})\}}\}}",
        rf"\{{\{{({_BOUND})\}}\}} (à|et) ({_BOUND})",
    ):
        m = re.search(pattern, draft.prompt)
        if m:
            gap = f"{m[1]} {m[2]} {m[3]}"
            draft.prompt = draft.prompt[: m.start()] + "{{" + gap + "}}" + draft.prompt[m.end() :]
            draft.answer = gap
            draft.value = rank.fold(gap)
            draft.accept = ()
            return


def _standalone_cloze(draft: Draft, sent: Span, text: str | None) -> Draft | None:
    """A cloze read alone: the sentence's leading pronoun replaced by its antecedent."""
    if text is None:
        return None
    _whole_range(draft)
    first = sent[0].text
    original = sent.text.strip()
    if text != original and draft.prompt.startswith(first) and not draft.prompt.startswith("{{"):
        replacement = text[: len(text) - len(original) + len(first)]
        draft.prompt = replacement + draft.prompt[len(first) :]
    return draft


def drafts_for(
    docs: Iterator[Doc], text: str = ""
) -> tuple[list[Draft], list[Candidate], dict[int, Candidate], checker.TextContext]:
    """Over-generate: for each candidate answer, a question (when one can be realised), a
    cloze and a true/false statement; the enriched patterns of each sentence. Returns the
    drafts, every candidate (the distractor pool), per draft id the candidate it asks about,
    and what the checks need to know of the text."""
    drafts: list[Draft] = []
    pool: list[Candidate] = []
    owner: dict[int, Candidate] = {}
    antecedents: list[realise.Antecedent] = []
    previous: list[realise.Antecedent] = []
    sentences: list[tuple[Span, list[Candidate]]] = []
    read_alone: list[tuple[Span, str | None]] = []
    for doc in docs:
        for sent in doc.sents:
            cands = extract.candidates(sent, len(sentences))
            sentences.append((sent, cands))
            pool.extend(cands)
    ctx = checker.text_context(text, pool)
    period = distractors.period_of(pool)  # « Moscou » is the USSR in a text about 1947
    persons = {rank.fold(c.text) for c in pool if c.type is AnswerType.PERSON}
    title = text.strip().split("\n", 1)[0]
    for index, (sent, cands) in enumerate(sentences):
        alone = checker.standalone(sent, _antecedent(sent, previous))
        read_alone.append((sent, alone))
        for cand in cands:
            made: list[Draft | None] = [
                realise.question(cand, sent, antecedents, period),
                realise.relative_question(cand, sent),
            ]
            c = cloze_mod.cloze(cand, sent) if len(cand.listed_with) < 2 else None
            made.append(_standalone_cloze(c, sent, alone) if c is not None else None)
            if alone is not None and not cand.listed_with:
                made.append(tf_mod.statement(cand, sent, alone, pool))
            for draft in made:
                if draft is not None:
                    drafts.append(draft)
                    owner[id(draft)] = cand
        drafts.extend(_inherited(sent, cands, antecedents))
        drafts.extend(enrich.drafts_for(sent, index, antecedents, set(ctx.subjects)))
        drafts.extend(explain.drafts_for(sent, index, persons, set(ctx.subjects)))
        drafts.extend(
            enrich.run_patterns(
                [
                    functools.partial(selfrated.processes, sent, index, antecedents),
                    functools.partial(selfrated.restated, sent, index, title),
                    functools.partial(selfrated.appositions, sent, index, title),
                    functools.partial(selfrated.namings, sent, index, title),
                ]
            )
        )
        if index > 0:
            prev_sent, before = sentences[index - 1]
            drafts.extend(
                enrich.demonstrative_subject(sent, index, before, set(ctx.subjects), prev_sent)
            )
        previous = realise.antecedents_of(sent)
        antecedents = (previous + antecedents)[:8]
    # a sentence's date or number statement is preferred by one item per fact (its one
    # statement); a person's, turned off, leaves the sentence to its term
    taken: set[int] = set()
    asked = {(d.sentence, rank.fold(checker.strip_article(d.answer))) for d in drafts if d.cloze}
    drafts.extend(tf_mod.term_statements(read_alone, taken, asked, set(ctx.subjects)))
    return drafts, pool, owner, ctx


#: Preferred form of one fact: a question-word question, then a true/false statement, then
#: a cloze (the cloze of a fact already asked is a duplicate).
def _form_rank(d: Draft) -> int:
    if d.true_false:
        return 1
    return 2 if d.cloze else 0


def _fact_key(d: Draft) -> tuple[int, str]:
    answer = d.notes[0] if d.true_false and d.notes else d.answer
    return (d.sentence, rank.fold(checker.strip_article(answer)))


def one_per_fact(drafts: list[Draft]) -> list[Draft]:
    """The best form of each fact; at most one true/false statement per sentence."""
    forms: dict[tuple[int, str], list[Draft]] = {}
    for d in drafts:
        forms.setdefault(_fact_key(d), []).append(d)
    for group in forms.values():
        group.sort(key=lambda d: (_form_rank(d), -d.confidence))
    best = {key: group[0] for key, group in forms.items()}
    # a fact whose statement loses the sentence's one statement keeps its next form (a cloze)
    tf_taken: set[int] = set()
    for d in sorted(best.values(), key=lambda d: (d.sentence, _form_rank(d), -d.confidence)):
        if not d.true_false:
            continue
        if d.sentence not in tf_taken:
            tf_taken.add(d.sentence)
            continue
        rest = [x for x in forms[_fact_key(d)] if not x.true_false]
        if rest:
            best[_fact_key(d)] = rest[0]
    kept: list[Draft] = []
    tf_sentences: set[int] = set()
    prompts: set[str] = set()
    for d in sorted(best.values(), key=lambda d: (d.sentence, _form_rank(d), -d.confidence)):
        if d.true_false:
            if d.sentence in tf_sentences:
                continue
            tf_sentences.add(d.sentence)
        if d.prompt in prompts:
            continue
        answer = rank.fold(
            checker.strip_article(d.notes[0] if d.true_false and d.notes else d.answer)
        )
        if _form_rank(d) > 0 and any(
            k.sentence == d.sentence
            and _form_rank(k) == 0
            and not k.self_rated  # v3.8: a card and an item of its fact: ``_card_or_item``
            and len(answer) > 2
            and (answer in rank.fold(k.answer) or rank.fold(k.answer) in answer)
            for k in kept
        ):
            continue  # the same fact as a question of this sentence
        if d.cloze and "statement-span" in alone.ON and _tested_by_statement(d, answer, kept):
            continue  # v3.6: the same span as a kept statement of this sentence
        prompts.add(d.prompt)
        kept.append(d)
    return kept


def _same_fact_as_card(d: Draft, card: Draft) -> bool:
    """v3.8: a cloze or a statement of the card's sentence asks the card's fact when its answer
    is part of the card's answer (a word of the cause: « {{150}} millions de kilomètres »), or
    the term a definition card asks (« … appelée {{amylase}} » beside « Que désigne le mot
    « amylase » ? »)."""
    if d.self_rated or card.sentence != d.sentence or not (d.cloze or d.true_false):
        return False
    answer = rank.fold(checker.strip_article(d.notes[0] if d.true_false and d.notes else d.answer))
    if len(answer) <= 2:
        return False
    return answer in rank.fold(card.answer) or (
        card.type is AnswerType.CONCEPT and answer in rank.fold(card.prompt)
    )


def _card_or_item(ranked: list[Draft]) -> list[Draft]:
    """v3.8: one item per fact between a self-rated card and a cloze or statement of the same
    fact: the one the ranker gives the higher confidence is kept (the card on a tie)."""
    dropped: set[int] = set()
    for card in (d for d in ranked if d.self_rated):
        rivals = [d for d in ranked if id(d) not in dropped and _same_fact_as_card(d, card)]
        if any(r.confidence > card.confidence for r in rivals):
            dropped.add(id(card))
        else:
            dropped |= {id(r) for r in rivals}
    return [d for d in ranked if id(d) not in dropped]


def _tested_by_statement(d: Draft, answer: str, kept: list[Draft]) -> bool:
    """v3.6: a cloze whose gap is (or overlaps) the span a kept true/false statement of the
    same sentence tests — « {{25 %}} » beside the statement on « 25 % » — asks that fact
    twice; the statement, the better form, stays."""
    for k in kept:
        if not k.true_false or k.sentence != d.sentence or not k.notes:
            continue
        tested = rank.fold(checker.strip_article(k.notes[0]))
        if len(answer) > 2 and len(tested) > 2 and (answer in tested or tested in answer):
            return True
    return False


def _name_demonstrative(prompt: str, term: str) -> str:
    """« Pourquoi ce phénomène se produit-il ? » → « … le phénomène de réfraction … »."""

    def named(m: re.Match[str]) -> str:
        return f"{'L' if m[1] == 'C' else 'l'}e {m[2]} {syntax_de(term)}"

    return re.sub(r"\b([Cc])e (phénomène|procédé|mécanisme|processus)\b", named, prompt)


def syntax_de(term: str) -> str:
    """« de réfraction », « d'absorption »."""
    return f"d'{term}" if term[:1].lower() in "aeéèêiouyh" else f"de {term}"


def _with_a(lead: str, term: str) -> str:
    """« grâce » + « le péristaltisme » → « grâce au péristaltisme »."""
    low = term.lower()
    for art, contracted in (("le ", "au "), ("les ", "aux "), ("la ", "à la "), ("l'", "à l'")):
        if low.startswith(art):
            return f"{lead} {contracted}{term[len(art) :]}"
    return f"{lead} à {term}"


#: An option that cannot be read alone: an indefinite pronoun as its subject, « ce qui »
#: about the clause before, « enfin » / « ensuite » of a sequence.
_VAGUE_CAUSE = re.compile(
    r"^(?:parce que|parce qu'|grâce à|car)\s*(?:[A-ZÀ-Ý]\w*-une?s?\b|certaine?s\b|plusieurs\b"
    r"|d'autres\b|aucune?\b|la plupart\b|beaucoup\b)"
    r"|\bce qu[ie]\b|\b(?:enfin|ensuite|alors)\b",
    re.IGNORECASE,
)


def _enrich_distractors(
    d: Draft, kept: list[Draft], clauses: list[str], descriptions: Sequence[str] = ()
) -> tuple[str, ...]:
    """Options for a cause or a definition: other causes / definitions of the text."""
    same = [
        k.answer
        for k in kept
        if k is not d
        and k.type is d.type
        and k.pattern == d.pattern
        and rank.fold(k.answer) != rank.fold(d.answer)
    ]
    if d.pattern == "definition-choice":
        same += [
            k.prompt.removeprefix("Comment appelle-t-on ").rstrip(" ?")
            for k in kept
            if k.prompt.startswith("Comment appelle-t-on ")
        ]
        same += [x for x in descriptions if rank.fold(x) != rank.fold(d.answer)]
    if d.pattern == "cause-prep":
        lead = d.answer.split(" ", 1)[0].lower()  # « grâce », « en raison », …
        terms = [
            k.answer
            for k in kept
            if k.type is AnswerType.CONCEPT and k is not d and len(k.answer.split()) <= 4
        ]
        same += [
            _with_a(lead, t)
            for t in terms
            if lead == "grâce" and t.lower().startswith(("le ", "la ", "les ", "l'"))
        ]
    if d.type is AnswerType.CAUSE and d.pattern == "cause":
        # the clauses closest to the question first: more plausible than unrelated ones
        mine = set(re.findall(r"[a-zà-ÿ]{4,}", d.prompt.lower()))

        # a narrated event (a year, a number, a full name) reads as an unrelated fact, not
        # as a cause: such clauses come after the general statements
        def narrative(c: str) -> bool:
            return bool(re.search(r"\d|\b[A-ZÀ-Ý][a-zà-ÿ]+ [A-ZÀ-Ý][a-zà-ÿ]+", c))

        near = sorted(
            clauses,
            key=lambda c: (
                narrative(c),
                -len(mine & set(re.findall(r"[a-zà-ÿ]{4,}", c.lower()))),
            ),
        )
        same += [enrich._because(c) for c in near]

    def plural(text: str) -> bool:
        return text.lower().split(" ", 1)[0] in {"les", "des", "ces"}

    # capitalised words that stand inside a clause: names (« Newton », « Marie Curie »)
    names = {w for c in (*clauses, d.source) for w in re.findall(r"(?<=[\w,] )[A-ZÀ-Ý][\w-]*", c)}
    picked: list[str] = []
    for opt in same:
        if d.pattern == "definition-choice" and (
            plural(opt) != plural(d.answer)
            or any(
                w in enrich._HUMAN or w.endswith(("ienne", "icien"))
                for w in opt.lower().split()[1:3]
            )
        ):
            continue  # « un physicien … » is not what a phenomenon is
        core = re.sub(
            r"^(?:grâce|en raison|à cause|du fait|sous l'effet)\s+"
            r"(?:à la |à l'|au |aux |à |de la |de l'|du |des |de )",
            "",
            opt,
        )
        if len(core) > 3 and rank.fold(core) in rank.fold(d.prompt):
            continue
        if _VAGUE_CAUSE.search(opt):
            continue  # « parce que Quelques-unes rebondissaient, ce qui … »: read alone, vague
        first = re.match(r"^(?:parce que|parce qu'|car|grâce à)\s*([A-ZÀ-Ý][\w-]*)", opt)
        if first and first[1] not in names:
            continue  # « parce qu'Autour du noyau … »: a sentence's first word, not a name
        if rank.fold(opt) == rank.fold(d.answer):
            continue  # the answer itself, from « Comment appelle-t-on <it> ? »
        if _OTHER_OWNER.match(opt):
            continue  # gen5: « parce que ses murs … » under another question: whose walls?
        if re.search(r", (?:lui|elle|eux|elles),", opt):
            continue  # gen6: « le Nil Bleu, lui, prend … »: a contrast left from its sentence
        if opt not in picked and rank.fold(opt) not in rank.fold(d.prompt) and len(picked) < 3:
            picked.append(opt)
    return tuple(picked)


#: A clause offered as another cause whose pronoun or possessive points to its own sentence.
_OTHER_OWNER = re.compile(
    r"^(?:parce que|car) (?:son|sa|ses|leur|leurs|il|elle|ils|elles)\b|^parce qu'(?:il|elle)",
    re.IGNORECASE,
)
#: An indefinite noun phrase with its relative clause, up to the next punctuation.
_DESCRIBED = re.compile(
    r"(?<![\w'])(?:un|une) [a-zà-ÿœ'-]+(?: [a-zà-ÿœ'-]+){0,2} "
    r"(?:qui|dont|où|par lequel|par laquelle|dans lequel|dans laquelle) "
    r"[^,.;:()«»]{8,80}(?=[,.;:])"
)


def generate_drafts(
    text: str,
    nlp: Language,
    progress: Callable[[int], None] | None = None,
    *,
    raw: bool = False,
) -> list[Draft]:
    """Checked, ranked drafts with distractors — the generator's output, best first.

    ``raw``: every realisation path, the forms turned off (``forms.OFF``) and the items under
    the ranker's threshold included — for the tests of a path (a form is turned off, not
    deleted: it can come back once it earns its place) and for collecting its next record."""
    from bot.content.generator import ranker

    drafts, pool, owner, ctx = drafts_for(parse(text, nlp, progress), text)
    # v3.8: causes and definitions as self-rated cards (v3.9: the title exempts its own term)
    # (v3.11: raw, every path: the cards of a form turned off too)
    drafts = selfrated.convert(
        drafts, text.strip().split("\n", 1)[0], frozenset() if raw else forms.OFF
    )
    if not raw:  # a path whose record ruled it out is not written, not even as a fallback
        drafts = [d for d in drafts if d.pattern not in forms.PATTERNS_OFF]
    for d in drafts:
        if not d.cloze and not d.true_false and not d.distractors and d.pattern == "entity":
            d.distractors = distractors.choose(d, owner.get(id(d)), pool)
    terms: dict[int, str] = {}
    for d in drafts:
        if d.pattern in {"named", "definition", "apposition"} and d.type is AnswerType.CONCEPT:
            terms.setdefault(d.sentence, checker.strip_article(d.answer))
    full_names = sorted(
        {c.text for c in pool if c.type is AnswerType.PERSON and len(c.text.split()) >= 2}
    )
    for d in drafts:
        d.prompt = checker.resolve_aliases(d.prompt, ctx)
        # v3.4: no name completed inside a statement (« une Vie de Charlemagne empereur … »
        # rewrote a true sentence into a wrong one); questions keep it
        names = () if d.cloze or d.true_false else full_names
        d.prompt = review.tidy(d.prompt, names, text, d.source)
        d.prompt = review.resolve_roles(d.prompt, text, d.source)
        if d.cloze or d.true_false:  # v3.6: « Ensuite, … », « Mais … » read alone
            d.prompt = alone.strip_connector(d.prompt)
        term = terms.get(d.sentence - 1)
        if term and not d.cloze and len(term.split()) <= 3:
            d.prompt = _name_demonstrative(d.prompt, term)
    checked = checker.check(drafts, nlp, ctx)
    if raw:
        return _finish(checked, pool, full_names, text, ctx, earned=False)
    untouched = copy.deepcopy(checked)  # _finish edits drafts (options, full names)
    words = len(text.split())
    kept = ranker.gate(_finish(checked, pool, full_names, text, ctx, earned=True), words)
    need = math.ceil(MIN_ITEMS_PER_400 * words / 400)
    if len(kept) >= need:
        return kept
    spare = _finish(untouched, pool, full_names, text, ctx, earned=False)
    return kept + fill(kept, spare, need)


def _finish(
    checked: list[Draft],
    pool: list[Candidate],
    full_names: list[str],
    text: str,
    ctx: checker.TextContext,
    *,
    earned: bool,
) -> list[Draft]:
    """From checked drafts to ranked items: one per fact, options, the general refusals;
    ``earned``: only the forms that earned their place (``forms.OFF`` left out)."""
    from bot.content.generator import ranker

    kept = one_per_fact(_earned(checked, expected=True) if earned else checked)
    for d in kept:
        if (
            d.type is AnswerType.PERSON
            and not d.true_false
            and not d.cloze
            and " " not in d.answer
        ):
            whole = [n for n in full_names if n.split()[-1] == d.answer]
            if len(whole) == 1:  # « Fresnel » is « Augustin Fresnel »
                d.accept = tuple(dict.fromkeys((*d.accept, d.answer)))
                d.answer = whole[0]
            elif d.distractors:  # « Newton » among full names: the form gives it away
                d.distractors = tuple(
                    dict.fromkeys(
                        x.split()[-1] if len(x.split()) == 2 else x
                        for x in d.distractors
                        if x.split()[-1] != d.answer
                    )
                )
    # every sentence of the text that reads as a clause (not only those with an item)
    sentences = [
        *(d.source for d in checked),
        *(
            x
            for b in normalise.split_blocks(text)
            if not b.heading
            for x in re.split(r"(?<=[.!?])\s+", b.text)
        ),
    ]
    clauses = list(
        dict.fromkeys(
            review.tidy(c) for c in (checker.standalone_clause(x) for x in sentences) if c
        )
    )
    # what the text says things are: distractors of « Qu'est-ce que … ? »
    descriptions = list(
        dict.fromkeys(
            [
                d.prompt.removeprefix("Comment appelle-t-on ").rstrip(" ?")
                for d in checked
                if d.prompt.startswith("Comment appelle-t-on ")
            ]
            + [
                m[1]
                for m in re.finditer(r", ((?:un|une) [^,.;:()«»]{6,70})(?=[,.])", text)
                if not checker.vague(m[1]) and not re.search(r"\b(?:il|elle|ils|elles)\b", m[1])
            ]
            + [  # gen5: « un N qui / par lequel … » anywhere in the text: what a thing is
                m[0]
                for m in _DESCRIBED.finditer(text)
                if not checker.vague(m[0])
                and not re.search(r"\b(?:il|elle|ils|elles|y|en|se|s')\b", m[0].lower())
            ]
        )
    )
    for d in kept:
        if d.self_rated:
            continue  # v3.8: a card has no options
        if d.type in {AnswerType.CAUSE} or d.pattern == "definition-choice":
            d.distractors = _enrich_distractors(d, kept, clauses, descriptions)
    kept = [
        d
        for d in kept
        if d.self_rated
        or not (
            (d.type is AnswerType.CAUSE or d.pattern == "definition-choice")
            and len(d.distractors) < 2
        )
    ]
    kept = _one_definition_form(kept)
    return _card_or_item(
        ranker.order(_earned(_general_refusals(kept)) if earned else _general_refusals(kept), ctx)
    )


def fill(kept: list[Draft], spare: list[Draft], need: int) -> list[Draft]:
    """v3.4: never an empty or near-empty deck. When a text has fewer than ``need`` items
    after the gates, the best-ranked items of turned-off forms (``spare``: every path, ranked)
    that ask a fact no kept item asks are written after the others, tagged
    :data:`FALLBACK_TAG`, their confidence kept under the lowest kept item's so that the top
    of the deck stays what earned its place (a teacher reviews drafts: a weak item to edit is
    better than nothing). v3.8: only the forms of ``forms.FALLBACK_FORMS`` (a pooled record
    of 70 % A or more) fill a text."""
    facts = {_fact_key(d) for d in kept}
    prompts = {d.prompt for d in kept}
    tf_sentences = {d.sentence for d in kept if d.true_false}
    floor = min((d.confidence for d in kept), default=1.0)
    out: list[Draft] = []
    for d in sorted(spare, key=lambda d: -d.confidence):
        if len(kept) + len(out) >= need:
            break
        if forms.draft_gate(d) is None or _fact_key(d) in facts or d.prompt in prompts:
            continue  # a form that earned its place was already offered to the gates
        if not forms.fallback_allowed(d):
            continue  # v3.8: a form whose pooled record is under 70 % A never fills a text
        if d.true_false and d.sentence in tf_sentences:
            continue  # one statement per sentence
        answer = rank.fold(checker.strip_article(d.notes[0] if d.true_false else d.answer))
        if any(
            k.sentence == d.sentence and len(answer) > 2 and answer in rank.fold(k.answer)
            for k in (*kept, *out)
        ):
            continue  # the same fact in another form
        if any(k.self_rated and _same_fact_as_card(d, k) for k in kept):
            continue  # v3.8: the fact of a card
        d.fallback = True
        d.confidence = round(max(0.01, min(d.confidence, floor - 0.01)), 2)
        facts.add(_fact_key(d))
        prompts.add(d.prompt)
        tf_sentences |= {d.sentence} if d.true_false else set()
        out.append(d)
    return out


def _expected_kind(d: Draft) -> str:
    """The kind a draft will be written as once the options of causes and definitions are
    chosen (they are kept only as multiple choices)."""
    if (
        not d.cloze
        and not d.true_false
        and not d.self_rated
        and (d.type is AnswerType.CAUSE or d.pattern == "definition-choice")
    ):
        return "choice"
    return forms.kind_of(d)


def _earned(drafts: list[Draft], *, expected: bool = False) -> list[Draft]:
    """v3.3: only the forms that earned their place on unseen text (``forms.gate``). Before
    one item per fact is chosen (``expected``), so that a fact whose question form is off
    keeps its next form (a true/false statement, a cloze); again at the end, on the kind
    each item is written as."""
    out: list[Draft] = []
    debug = bool(os.environ.get("QUIZBOT_GEN_DEBUG"))
    for d in drafts:
        reason = forms.draft_gate(d, _expected_kind(d) if expected else None)
        if reason is None:
            out.append(d)
        elif debug:
            print(f"OFF [{d.pattern}] {d.prompt} -> {d.answer}: {reason}", file=sys.stderr)
    return out


def _general_refusals(kept: list[Draft]) -> list[Draft]:
    """gen7: refuse the shapes that go wrong on any text (``refuse.py``)."""
    out: list[Draft] = []
    for d in kept:
        if refuse.refusal(d):
            continue
        d.distractors = refuse.foreign_options(d)
        out.append(d)
    return out


def _one_definition_form(kept: list[Draft]) -> list[Draft]:
    """A term the text defines is asked once: « Qu'est-ce qu'un affluent ? » (a choice, kept
    when it found its options) rather than « Comment appelle-t-on un cours d'eau … ? »."""
    chosen = [d for d in kept if d.pattern == "definition-choice"]
    if not chosen:
        return kept

    def asked(d: Draft) -> bool:
        term = rank.fold(checker.strip_article(d.answer))
        return any(
            c.sentence == d.sentence and rank.fold(c.prompt).endswith(f"{term} ?") for c in chosen
        )

    return [d for d in kept if not (d.pattern == "definition" and asked(d))]


def to_question(draft: Draft) -> Question:
    if draft.self_rated:
        kind = QuestionKind.SELF_RATED
    elif draft.true_false:
        kind = QuestionKind.TRUE_FALSE
    else:
        kind = (
            QuestionKind.CLOZE
            if draft.cloze
            else (QuestionKind.CHOICE if len(draft.distractors) >= 2 else QuestionKind.OPEN)
        )
    return Question(
        key=rank.stable_id(draft),
        kind=kind,
        prompt=draft.prompt,
        answer=draft.answer,
        accept=() if draft.true_false or draft.self_rated else draft.accept,
        distractors=draft.distractors if kind is QuestionKind.CHOICE else (),
        source=draft.source,
        tags=(
            TYPE_TAGS[draft.type],
            (
                "auto-evaluation"
                if draft.self_rated
                else (
                    "vrai-faux"
                    if draft.true_false
                    else ("texte-a-trous" if draft.cloze else "question")
                )
            ),
            *((FALLBACK_TAG,) if draft.fallback else ()),
            *((UNPROVEN_TAG,) if draft.pattern in forms.UNPROVEN else ()),
        ),
        confidence=draft.confidence,
    )


@functools.cache
def load_model() -> Language:
    """The French model, loaded once per process."""
    from bot.content.generator import nlp as nlp_mod

    return nlp_mod.load()


def generate_deck(
    text: str,
    *,
    deck_id: str,
    title: str,
    nlp: Language | None = None,
    progress: Callable[[int], None] | None = None,
) -> Deck:
    """Generate a deck from French text. ``nlp``: a loaded model (loaded here if None)."""
    model = nlp if nlp is not None else load_model()
    drafts = generate_drafts(text, model, progress)
    questions = tuple(to_question(d) for d in drafts)
    seen: set[str] = set()
    unique: list[Question] = []
    for q in questions:
        key, n = q.key, 2
        while key in seen:
            key, n = f"{q.key}-{n}", n + 1
        seen.add(key)
        unique.append(q if key == q.key else replace(q, key=key))
    # the fallback items stay last, whatever their order among themselves
    main = rank.best_first([q for q in unique if FALLBACK_TAG not in q.tags])
    spare = rank.best_first([q for q in unique if FALLBACK_TAG in q.tags])
    return Deck(slug=deck_id, title=title, questions=tuple(main + spare), language="fr")
