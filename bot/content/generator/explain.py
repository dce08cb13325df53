"""Fourth round (gen5): what a word means, what makes a thing, what a term is.

Three sentence patterns of school texts that carry concept facts the other extractors miss,
each read from the spaCy parse and the sentence's surface, never from a list of words:

- **meaning**: « les initiales SPQR, qui signifient « le Sénat et le peuple romain » » →
  « Que signifient les initiales SPQR ? » → « le Sénat et le peuple romain » (the quoted
  meaning, short enough to be graded by string);
- **agent**: a participle between commas after a subject, with its agent (« La bile,
  produite par le foie, est stockée … ») → « Par quoi la bile est-elle produite ? » →
  « le foie » (« Par qui » for a person);
- **definition-choice** for any term a copula defines (« Un affluent est un cours d'eau
  qui … ») → « Qu'est-ce qu'un affluent ? » as a multiple choice among the text's other
  descriptions; the pipeline keeps it instead of « Comment appelle-t-on … ? » only when two
  options of the same number exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.content.generator import syntax
from bot.content.generator.enrich import (
    _HUMAN,
    _VOWEL,
    _draft,
    _text,
    definitions,
    run_patterns,
)
from bot.content.generator.model import AnswerType, Draft
from bot.content.generator.rank import fold

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: A meaning graded by string: a few words.
MAX_MEANING_WORDS = 8
#: A definition offered among options: short enough to read on a button.
MAX_CHOICE_DEFINITION_WORDS = 16
_PRONOUNS = {"il", "elle", "ils", "elles", "on", "cela", "ce", "ceci", "celui", "celle"}
_DEMONSTRATIVE_OR_POSSESSIVE = re.compile(
    r"^(?:ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|nos|votre|vos)\b", re.IGNORECASE
)
#: Suffixes of nouns that often name people (« électeur », « chimiste », « ouvrier »).
_AGENTIVE = re.compile(r"(?:eur|euse|ien|ienne|iste|ier|ière|ant|ante|ain|aine|ais|aise)$")
_DE = ("du ", "des ", "de la ", "de l'")


def _np_before(comma: Token) -> str | None:
    """The noun phrase that ends right before ``comma``, as a subject (« par les initiales
    SPQR » → « les initiales SPQR »; « du grec atomos » → « le mot atomos »)."""
    doc = comma.doc
    if comma.i == 0:
        return None
    last = doc[comma.i - 1]
    head = last
    while (
        head.dep_ in {"amod", "nmod", "appos", "flat:name", "fixed", "flat"}
        and head.head.i < head.i
        and head.head.pos_ in {"NOUN", "PROPN"}
    ):
        head = head.head
    if head.pos_ not in {"NOUN", "PROPN"}:
        return None
    # the noun phrase itself: the head's own left words (a determiner, an adjective, its
    # preposition), never a clause the parser hung on it (« Le chef-d'œuvre … est la Bible »)
    left = min(
        [head.i]
        + [c.left_edge.i for c in head.lefts if c.dep_ in {"det", "amod", "nummod", "case"}]
    )
    toks = list(doc[left : comma.i])
    if any(t.is_punct and t.text not in {"'", "-"} for t in toks):
        return None
    case = {t.i for t in toks if t.dep_ == "case" and t.head.i == head.i}
    np = _text([t for t in toks if t.i not in case or t.lower_ in {"du", "des"}])
    low = np.lower()
    for de in _DE:
        if low.startswith(de) or any(doc[c].lower_ == de.strip() for c in case):
            # « vient du grec atomos »: an origin, not the word itself; the word is its name
            if last.pos_ == "PROPN" and last.i != head.i:
                return f"le mot {last.text}"
            return None
    if not low.startswith(("le ", "la ", "les ", "l'")):
        return last.text if last.i == head.i and last.pos_ == "PROPN" and len(toks) == 1 else None
    if len(np.split()) > 6 or _DEMONSTRATIVE_OR_POSSESSIVE.match(np):
        return None
    return np


_MEANING = re.compile(
    r", qui (?P<verb>signifie|signifient|signifiait|signifiaient) « (?P<q>[^»]+) »"
)


def meanings(sent: Span, index: int) -> list[Draft]:
    """« N, qui signifie « … » » → « Que signifie N ? »."""
    drafts: list[Draft] = []
    for m in _MEANING.finditer(sent.text):
        comma = next((t for t in sent if t.idx - sent.start_char == m.start()), None)
        if comma is None or comma.text != ",":
            continue
        np = _np_before(comma)
        meaning = m["q"].strip()
        if np is None or not meaning or len(meaning.split()) > MAX_MEANING_WORDS:
            continue
        if np.lower() in _PRONOUNS or fold(meaning) in fold(np):
            continue
        if np[:1].isupper() and np.split()[0].lower() in {"le", "la", "les"}:
            np = np[0].lower() + np[1:]
        verb = m["verb"]
        drafts.append(
            _draft(
                sent,
                index,
                f"Que {verb} {np}",
                meaning,
                AnswerType.CONCEPT,
                "meaning",
                0.7,
                (f"« {meaning} »",),
            )
        )
    return drafts


def _subject_np(noun: Token, drop: set[int]) -> str | None:
    toks = [t for t in noun.subtree if t.i not in drop and t.i < min(drop, default=noun.i + 99)]
    while toks and toks[-1].is_punct:
        toks.pop()
    np = _text(toks)
    if not re.match(r"^(?:le|la|les|l')\s?", np, re.IGNORECASE) or len(np.split()) > 5:
        return None
    if any(t.is_punct for t in toks):
        return None
    return np[0].lower() + np[1:]


def agents(sent: Span, index: int, persons: set[str]) -> list[Draft]:
    """« La bile, produite par le foie, est … » → « Par quoi la bile est-elle produite ? »."""
    drafts: list[Draft] = []
    doc = sent.doc
    for part in sent:
        if (
            part.pos_ != "VERB"
            or "Part" not in part.morph.get("VerbForm", [])
            or part.dep_ not in {"acl", "appos"}
            or part.i == 0
            or doc[part.i - 1].text != ","
        ):
            continue
        noun = part.head
        if noun.pos_ != "NOUN" or noun.dep_ not in {"nsubj", "nsubj:pass"} or noun.i > part.i:
            continue
        agent = next((c for c in part.children if c.dep_ == "obl:agent"), None)
        if agent is None or agent.pos_ not in {"NOUN", "PROPN"}:
            continue
        span = list(part.subtree)
        end = span[-1].i
        after = doc[end + 1] if end + 1 < sent.end else None
        if after is None or after.text != ",":
            continue  # the participle must close with a comma: a remark, not the predicate
        if any(c.dep_ in {"conj", "obj", "obl:mod", "obl:arg"} for c in part.children):
            continue  # only « produite par le foie », nothing more to carry
        subject = _subject_np(noun, {t.i for t in span} | {part.i - 1})
        a_toks = [t for t in agent.subtree if not (t.dep_ == "case" and t.head.i == agent.i)]
        answer = _text(a_toks)
        if subject is None or not answer or len(answer.split()) > 6:
            continue
        if _DEMONSTRATIVE_OR_POSSESSIVE.match(answer) or answer.lower() in _PRONOUNS:
            continue
        who = (
            agent.ent_type_ in {"PER", "ORG"}
            or fold(answer) in persons
            or agent.lemma_.lower() in _HUMAN
        )
        if not who and (syntax.plural(agent) or _AGENTIVE.search(agent.lemma_.lower())):
            continue  # « les électeurs », « l'ouvrier »: perhaps people, « Par quoi » unsure
        gender = syntax.gender(noun)
        plural = syntax.plural(noun)
        pron = (
            ("elles" if gender == "Fem" else "ils")
            if plural
            else ("elle" if gender == "Fem" else "il")
        )
        aux = "sont" if plural else "est"
        drafts.append(
            _draft(
                sent,
                index,
                f"Par {'qui' if who else 'quoi'} {subject} {aux}-{pron} {part.text}",
                answer,
                AnswerType.PERSON if who else AnswerType.CONCEPT,
                "agent",
                0.65,
                (f"par {answer}",),
            )
        )
    return drafts


_SO_NAMED = re.compile(
    r", (?P<part>appelée?s?|nommée?s?|surnommée?s?) ainsi (?P<cause>(?:parce que|parce qu'|car) "
    r"[^;:]+?)\.?$"
)


def name_causes(sent: Span, index: int) -> list[Draft]:
    """« la Bible à 42 lignes, appelée ainsi parce que … » → « Pourquoi la Bible à 42 lignes
    est-elle appelée ainsi ? » (a cause, offered among the text's other causes; « ce nom »
    would read as a demonstrative without its referent)."""
    m = _SO_NAMED.search(sent.text)
    if m is None:
        return []
    comma = next((t for t in sent if t.idx - sent.start_char == m.start()), None)
    if comma is None or comma.text != ",":
        return []
    np = _np_before(comma)
    if np is None or np.lower() in _PRONOUNS or len(m["cause"].split()) > 22:
        return []
    part = m["part"]
    plural, fem = part.endswith("s"), part.rstrip("s").endswith("ée")
    pron = ("elles" if fem else "ils") if plural else ("elle" if fem else "il")
    aux = "sont" if plural else "est"
    cause = m["cause"]
    if cause.startswith("car "):
        cause = "parce que " + cause[4:]
    return [
        _draft(
            sent,
            index,
            f"Pourquoi {np} {aux}-{pron} {part} ainsi",
            cause,
            AnswerType.CAUSE,
            "cause",
            0.6,
        )
    ]


def term_questions(sent: Span, index: int, subjects: set[str]) -> list[Draft]:
    """« Un affluent est un cours d'eau qui … » → « Qu'est-ce qu'un affluent ? », the definition
    among options (the pipeline keeps it only when it finds two, and then drops the
    « Comment appelle-t-on … ? » of the same term)."""
    drafts: list[Draft] = []
    for d in definitions(sent, index, subjects):
        if d.pattern != "definition" or not d.prompt.startswith("Comment appelle-t-on "):
            continue
        predicate = d.prompt.removeprefix("Comment appelle-t-on ").removesuffix(" ?")
        term = d.answer
        if len(predicate.split()) > MAX_CHOICE_DEFINITION_WORDS or not re.match(
            r"^(?:un|une|le|la|les|l')\b", term, re.IGNORECASE
        ):
            continue
        que = "qu'" if _VOWEL.match(term) else "que "
        drafts.append(
            _draft(
                sent,
                index,
                f"Qu'est-ce {que}{term}",
                predicate,
                AnswerType.CONCEPT,
                "definition-choice",
                0.6,
            )
        )
    return drafts


def drafts_for(sent: Span, index: int, persons: set[str], subjects: set[str]) -> list[Draft]:
    """Every gen5 draft of one sentence."""
    makers: list[Callable[[], list[Draft]]] = [
        lambda: meanings(sent, index),
        lambda: agents(sent, index, persons),
        lambda: term_questions(sent, index, subjects),
        lambda: name_causes(sent, index),
    ]
    return run_patterns(makers)
