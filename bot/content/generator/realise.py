"""Steps 4–5: attach an answer to its clause and realise a French question about it.

A clause is read off the dependency tree around its top verb: subject, clitics (« se »,
« ne »), the finite verb or auxiliary, negation, participles and the rest. A question fronts
a question phrase and inverts the subject with -t-il / -t-elle (« est-ce que » when the
gender is unknown); a question about the subject itself needs no inversion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.content.generator import lexicon, syntax
from bot.content.generator.conjugate import present
from bot.content.generator.model import AnswerType, Candidate, Draft

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SUBJ = ("nsubj", "nsubj:pass")
#: A longer subject makes an unreadable question (the length filter of ``rank`` applies too).
MAX_SUBJECT_TOKENS = 22
_AUX = ("aux", "aux:tense", "aux:pass", "aux:caus")
_CLITIC_DEPS = ("expl:comp", "expl:pass", "expl", "obj", "iobj", "expl:subj", "obl:arg")
#: Phrases the parser hangs before a subject noun (« dans un discours …, le président »).
_LEFT_REMARKS = frozenset({"nmod", "obl", "obl:mod", "acl", "advmod", "punct"})
#: A subject keeps its name in apposition (« le président égyptien Gamal Abdel Nasser »).
_SUBJECT_DROP = syntax.SIDE_DEPS - {"appos"}
_NEG = frozenset({"pas", "plus", "jamais", "guère", "point", "rien"})
_CLAUSE_DROP = frozenset(
    {
        "punct",
        "advcl",
        "parataxis",
        "cc",
        "mark",
        "discourse",
        "vocative",
        "dislocated",
        "acl:relcl",
        "appos",
    }
)
_PRONOUNS = {
    "il": ("Masc", False),
    "elle": ("Fem", False),
    "ils": ("Masc", True),
    "elles": ("Fem", True),
}
_DANGLING = frozenset(
    {
        "il",
        "elle",
        "ils",
        "elles",
        "celui-ci",
        "celle-ci",
        "ceux-ci",
        "lui",
        "cela",
        "ceci",
        "y",
        "duquel",
        "laquelle",
        "lequel",
        "lesquels",
        "lesquelles",
        "auquel",
        "dont",
    }
)
_PRONOUN_CLITIC_TEXT = frozenset(
    {
        "se",
        "s'",
        "ne",
        "n'",
        "y",
        "en",
        "lui",
        "leur",
        "le",
        "la",
        "les",
        "l'",
        "me",
        "m'",
        "te",
        "t'",
        "nous",
        "vous",
    }
)


@dataclass(frozen=True, slots=True)
class Antecedent:
    text: str
    gender: str | None
    plural: bool


@dataclass(slots=True)
class Subject:
    text: str
    gender: str | None
    plural: bool
    tokens: frozenset[int]
    resolved: bool = False  # a pronoun replaced by its antecedent

    @property
    def pronoun(self) -> str | None:
        if self.gender is None:
            return None
        return (
            ("elles" if self.plural else "elle")
            if self.gender == "Fem"
            else ("ils" if self.plural else "il")
        )


@dataclass(slots=True)
class Clause:
    """The parts of a clause needed to turn it into a question."""

    top: Token
    subject: Subject
    clitics: list[Token]
    finite: str
    conjugated: bool  # the finite form was built (participle/infinitive → present)
    negation: list[Token]
    participles: list[Token]
    skip: set[int]  # tokens not to repeat in the rest (subject, verb group)

    def rest(self, remove: set[int], move_front_to_end: bool = True) -> str:
        """The clause after the verb group, without ``remove``-d subtrees or side clauses."""
        kept: list[Token] = []
        front: list[Token] = []
        for child in self.top.children:
            if child.i in self.skip or child.i in remove or child.dep_ in _CLAUSE_DROP:
                continue
            if child.dep_ in {"conj"} and child.pos_ in {"VERB", "AUX"}:
                continue
            if child.dep_ in {"advmod", "obl:mod"} and _connector(child):
                continue
            if child.left_edge.lower_ == "soit" and child.left_edge.i > self.top.i:
                continue  # « …, soit près de 2 % du PIB »: a restatement, not a complement
            if child.dep_ == "obl:mod" and any(c.lower_ == "même" for c in child.children):
                continue  # « la même année »: the same as what? (not in the question)
            toks = syntax.collect(child, remove | self.skip)
            if child.i < self.verb_start:
                # Fronted phrases: a date is kept (moved after the verb), others dropped.
                if any(t.like_num and len(t.text) == 4 for t in toks):
                    front.extend(toks)
            else:
                kept.extend(toks)
        kept.sort(key=lambda t: t.i)
        cut = remove | self.skip
        kept = [t for t in kept if not (t.text == "," and (t.i - 1 in cut or t.i + 1 in cut))]
        text = syntax.join(kept)
        if move_front_to_end and front:
            text = f"{text} {syntax.join(front)}"
        return syntax.tidy(text)

    @property
    def verb_start(self) -> int:
        return min([t.i for t in self.clitics] + [self.top.i] + [t.i for t in self.participles])

    def verb_group(self, invert: bool) -> str:
        """« ne reconnaît-elle pas », « se voit-elle », « a-t-il signé »."""
        clitics = " ".join(t.text for t in self.clitics)
        finite = self.finite
        if invert:
            pron = self.subject.pronoun
            assert pron is not None
            link = "-t-" if finite[-1] in "aeéc" else "-"
            finite = f"{finite}{link}{pron}"
        parts = [clitics.replace("' ", "'")] if clitics else []
        parts.append(finite)
        parts.extend(t.text for t in self.negation)
        parts.extend(t.text for t in self.participles)
        return _reelide(" ".join(parts))


def _reelide(text: str) -> str:
    for full, short in (("ne ", "n'"), ("se ", "s'")):
        for vowel in "aeéèêiouyh":
            text = text.replace(f"{full}{vowel}", f"{short}{vowel}")
    text = text.replace("n' ", "n'").replace("s' ", "s'")
    return text


def is_connector(tok: Token) -> bool:
    """« ensuite », « pourtant », « par exemple »: a phrase that links to the text around."""
    return _connector(tok)


def _connector(tok: Token) -> bool:
    words = " ".join(t.lower_ for t in tok.subtree)
    return words in lexicon.CONNECTORS or tok.lower_ in lexicon.CONNECTORS


def _finite_verb(tok: Token) -> bool:
    return "Fin" in tok.morph.get("VerbForm", [])


def top_verb(tok: Token) -> Token:
    """Climb from an infinitive complement to the verb that governs it (« décide d'octroyer »)."""
    seen = 0
    while (
        (tok.dep_ in {"xcomp", "ccomp"} or (tok.dep_ == "conj" and not _finite_verb(tok)))
        and tok.head.pos_ in {"VERB", "AUX"}
        and tok.head is not tok
        and seen < 4
        and not any(c.dep_ in _SUBJ for c in tok.children)
    ):
        tok = tok.head
        seen += 1
    return tok


def attachment(cand: Candidate, sent: Span) -> Token:
    """The answer's own head token (the one whose head lies outside the answer)."""
    doc = sent.doc
    tokens = [doc[i] for i in range(cand.start, cand.end)]
    for tok in tokens:
        if not (cand.start <= tok.head.i < cand.end) or tok.head is tok:
            return tok
    return tokens[0]


def find_subject(top: Token, antecedents: list[Antecedent]) -> Subject | None:
    subj = next((c for c in top.children if c.dep_ in _SUBJ), None)
    if subj is None and top.dep_ in {"conj"} and top.head.pos_ in {"VERB", "AUX"}:
        subj = next((c for c in top.head.children if c.dep_ in _SUBJ), None)
    if subj is None:
        return None
    if "Rel" in subj.morph.get("PronType", []) or subj.lower_ in {"qui", "lequel", "laquelle"}:
        if (
            top.dep_ != "acl:relcl"
            or top.head.pos_ not in {"NOUN", "PROPN"}
            or top.i in syntax.paren_ranges(top.sent)
        ):
            return None
        head = top.head
        skip = {top.i} | {c.i for c in head.children if c.dep_ in {"punct"}}
        toks = syntax.collect(head, skip)
        text = syntax.definite(syntax.join(toks))
        return Subject(
            text, syntax.gender(head), syntax.plural(head), frozenset(t.i for t in subj.subtree)
        )
    if subj.pos_ == "PRON":
        if subj.lower_ not in _PRONOUNS:
            return None
        g, pl = _PRONOUNS[subj.lower_]
        inner = list(antecedents_of(subj.sent, before=subj.i))[:1]
        for ante in (*inner, *antecedents):
            if ante.gender == g and ante.plural == pl:
                return Subject(ante.text, g, pl, frozenset({subj.i}), resolved=True)
        return None
    if subj.lower_.startswith(("celui", "celle", "ceux")):
        return None  # « Celui-ci reçoit … »: who?
    left = {
        t.i for c in subj.children if c.i < subj.i and c.dep_ in _LEFT_REMARKS for t in c.subtree
    }
    if any("Rel" in subj.doc[i].morph.get("PronType", []) for i in left):
        return None  # « dont le siège est … »: the relative's antecedent is outside
    toks = syntax.collect(subj, left, _SUBJECT_DROP)
    if toks and toks[0].dep_ == "cc":  # « et la Communauté … voit le jour »
        toks = toks[1:]
    text = syntax.definite(syntax.join(toks))
    if text.split(" ")[0].lower() in {"son", "sa", "ses", "leur", "leurs"}:
        # « son fils adoptif Octave », « son collègue Paul Langevin »: the name alone says
        # who; the possessive role refers to someone outside the question
        name = _trailing_name(toks)
        if name is None or syntax.plural(subj):
            return None  # « ses représentants »: whose? the question would not say
        return Subject(name, syntax.gender(subj), False, frozenset(t.i for t in subj.subtree))
    if (
        not text
        or len(toks) > MAX_SUBJECT_TOKENS
        or any(
            t.pos_ in {"VERB", "AUX"} and "Fin" in t.morph.get("VerbForm", []) and t.dep_ != "amod"
            for t in toks
        )
    ):
        return None
    return Subject(
        text, syntax.gender(subj), syntax.plural(subj), frozenset(t.i for t in subj.subtree)
    )


def _trailing_name(toks: list[Token]) -> str | None:
    """The proper name that ends a role phrase (« son fils adoptif Octave » → « Octave »)."""
    tail: list[Token] = []
    for tok in reversed(toks):
        if tok.pos_ != "PROPN":
            break
        tail.insert(0, tok)
    if (
        not tail
        or len(tail) == len(toks)
        or toks[len(toks) - len(tail) - 1].pos_
        not in {
            "NOUN",
            "ADJ",
        }
    ):
        return None
    if not all(t.text[:1].isupper() or t.lower_ in {"de", "du", "d'"} for t in tail):
        return None
    return syntax.join(tail)


def build_clause(top: Token, antecedents: list[Antecedent]) -> Clause | None:
    subject = find_subject(top, antecedents)
    if subject is None:
        return None
    aux = sorted((c for c in top.children if c.dep_ in _AUX and c.i < top.i), key=lambda t: t.i)
    clitics = sorted(
        (
            c
            for c in top.children
            if c.i < top.i
            and c.lower_ in _PRONOUN_CLITIC_TEXT
            and c.dep_ in (*_CLITIC_DEPS, "advmod")
            and c.pos_ in {"PRON", "ADV"}
        ),
        key=lambda t: t.i,
    )
    negation = [c for c in top.children if c.lower_ in _NEG and c.dep_ == "advmod"]
    if aux:
        finite_tok, participles = aux[0], [*aux[1:], top]
    else:
        finite_tok, participles = top, []
    conjugated = False
    if _finite_verb(finite_tok):
        finite = finite_tok.text
        number = finite_tok.morph.get("Number", [])
        if number and (number[0] == "Plur") != subject.plural:
            return None  # subject and verb disagree: the parse is wrong
    else:
        if finite_tok.pos_ not in {"VERB", "AUX"}:
            return None
        finite = present(finite_tok.lemma_.lower(), subject.plural)
        conjugated = True
    skip = (
        set(subject.tokens)
        | {t.i for t in aux}
        | {t.i for t in clitics}
        | {t.i for t in negation}
        | {top.i}
    )
    return Clause(top, subject, clitics, finite, conjugated, negation, participles, skip)


def _remove_phrase(head: Token) -> set[int]:
    return {t.i for t in head.subtree}


def _case(head: Token) -> str:
    """The preposition introducing a phrase (« en », « à partir de », « pour »)."""
    words = [c.lower_ for c in head.children if c.dep_ in {"case", "fixed"} and c.i < head.i]
    for c in head.children:
        if c.dep_ == "case":
            words += [f.lower_ for f in c.children if f.dep_ == "fixed"]
    return " ".join(words)


_YEAR_WH = {
    "en": "En quelle année",
    "": "En quelle année",
    "depuis": "Depuis quelle année",
    "à partir de": "À partir de quelle année",
    "pour": "Pour quelle année",
    "dès": "Dès quelle année",
    "jusqu' en": "Jusqu'en quelle année",
}


def _wh_for(cand: Candidate, head: Token) -> tuple[str, str] | None:
    """(question phrase, answer text) for an answer attached to the clause verb."""
    case = _case(head)
    t = cand.type
    if t is AnswerType.YEAR:
        wh = _YEAR_WH.get(case)
        return (wh, cand.text) if wh else None
    if t is AnswerType.MONTH and case in {"en", ""}:
        return ("En quel mois de quelle année", cand.text)
    if t is AnswerType.DATE and case in {"", "le"}:
        return ("À quelle date", cand.text)
    if t is AnswerType.MONEY:
        if case == "pour":
            return ("Pour quel montant", cand.text)
        if case == "" and head.dep_ in {"obj", "obl:arg", "nmod"}:
            verb = head.head.lemma_.lower()
            return ("Quel montant" if verb in lexicon.LEVEL_VERBS else "Combien", cand.text)
        return None
    if t is AnswerType.PERCENT and case == "" and head.dep_ in {"obj", "nsubj"}:
        # « 28 % des voix aux élections … » → « Quel pourcentage des voix aux élections … »
        skip = {c.i for c in head.children if c.dep_ in {"nummod", "advmod"}}
        of = syntax.join(t for t in syntax.collect(head, skip) if t.i != head.i)
        if not of.startswith(("des ", "de ", "du ", "d'")) or len(of.split()) > 10:
            of = ""
        return (f"Quel pourcentage {of}".strip(), cand.text)
    if t in {AnswerType.PERSON, AnswerType.COUNTRY, AnswerType.ORG, AnswerType.CITY}:
        base = _entity_wh(cand)
        if base is None:
            return None
        wh, answer = base
        if case == "" and head.dep_ in {"obj"}:
            return wh, answer
        if case == "à" and cand.type is AnswerType.CITY:
            return "Dans quelle ville", cand.text
        if case == "à" and head.dep_ in {"obl:arg", "iobj", "obl"}:
            return f"À {wh[0].lower()}{wh[1:]}", answer
        if case == "avec":
            return f"Avec {wh[0].lower()}{wh[1:]}", answer
    return None


_NAME_TYPES = frozenset({AnswerType.PERSON, AnswerType.COUNTRY, AnswerType.ORG})
_POSSESSIVES = frozenset({"leur", "leurs"})


def _stray_possessive(rest: str, clause: Clause) -> bool:
    """« leur achat » left in a question whose subject is singular: whose? (the answer's)."""
    return not clause.subject.plural and any(w in _POSSESSIVES for w in rest.lower().split())


def _possessive_adjuncts(top: Token, clause: Clause) -> set[int]:
    """Adjuncts of the clause holding a « leur »: dropped (the question stays true)."""
    out: set[int] = set()
    for child in top.children:
        if (
            child.dep_ in {"obl:mod", "obl", "obl:arg", "advmod"}
            and child.i not in clause.skip
            and any(t.lower_ in _POSSESSIVES for t in child.subtree)
        ):
            out |= {t.i for t in child.subtree}
    return out


def _adverbial_date(cand: Candidate, head: Token) -> bool:
    """A date « en avril 1957 » / « le 1er janvier 1973 » after a complement of the verb."""
    noun = head.head
    if cand.type not in {AnswerType.YEAR, AnswerType.MONTH, AnswerType.DATE}:
        return False
    if noun.lemma_.lower() in lexicon.EVENT_NOUNS or noun.lower_ in lexicon.EVENT_NOUNS:
        return False
    case = _case(head)
    if case not in {"en", ""} or (case == "" and cand.type is AnswerType.YEAR):
        return False
    last = max(t.i for t in noun.subtree)
    return (
        noun.dep_ in {"obj", "obl:arg", "obl:mod", "obl"}
        and noun.head.pos_ == "VERB"
        and last == cand.end - 1
    )


_TITLE_DEPS = frozenset({"appos", "nmod", "flat:name"})


def _title_of(cand: Candidate, head: Token) -> Token | None:
    """« le président égyptien Gamal Abdel Nasser »: the title noun a person's name hangs on."""
    if cand.type is not AnswerType.PERSON or head.dep_ not in _TITLE_DEPS:
        return None
    title = head.head
    if (
        title.lemma_.lower() not in lexicon.PERSON_TITLES
        or title.i > head.i
        or any(c.dep_ == "case" for c in head.children)
    ):
        return None
    if title.dep_ in _SUBJ or (
        title.dep_ in {"obl:arg", "iobj", "obl"} and _case(title) in {"à", "au"}
    ):
        return title
    return None


def _person_question(
    cand: Candidate, title: Token, sent: Span, antecedents: list[Antecedent]
) -> Draft | None:
    """« Quel président américain condamne … ? » / « À qui … confient-ils … ? »."""
    verb = title.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    if title.dep_ in _SUBJ:
        clause = build_clause(verb, [])
        if clause is None or clause.subject.plural:
            return None
        if any(t.lower_ in {"en", "y"} and t.pos_ == "PRON" for t in clause.clitics):
            return None  # « Walter Hallstein en devient le président »: of what?
        named = {t.i for t in sent.doc[cand.start : cand.end]}
        words = [
            t for t in syntax.collect(title, named) if t.dep_ not in {"det"} and t.i not in named
        ]
        wh = "Qui"
        if 2 <= len(words) <= 4:
            det = "Quelle" if syntax.gender(title) == "Fem" else "Quel"
            wh = f"{det} {syntax.join(words)}"
        prompt = f"{wh} {clause.verb_group(False)} {clause.rest(set())}"
        return _draft(cand, sent, prompt, cand.text, 0.75)
    clause = build_clause(top_verb(verb), antecedents)
    if clause is None or clause.subject.pronoun is None:
        return None
    rest = clause.rest({t.i for t in title.subtree})
    prompt = f"À qui {clause.subject.text} {clause.verb_group(True)} {rest}"
    return _draft(cand, sent, prompt, cand.text, 0.7)


#: Common nouns that introduce a name (« la société Beltransgaz »): asked « De quelle société ».
_WRAPPERS = frozenset(
    {
        "société",
        "entreprise",
        "compagnie",
        "groupe",
        "organisation",
        "alliance",
        "banque",
        "ville",
        "région",
        "république",
    }
)


def _wrapper(head: Token) -> Token | None:
    """« de la société Beltransgaz »: the common noun before the name, or None."""
    noun = head.head
    if (
        head.dep_ in {"nmod", "appos", "flat:name"}
        and noun.pos_ == "NOUN"
        and noun.i < head.i
        and noun.lower_ in _WRAPPERS
        and not any(c.dep_ == "case" for c in head.children)
        and _case(noun) in {"de", "d'", "du", "des"}
    ):
        return noun
    return None


def _inner_object_question(
    cand: Candidate, head: Token, sent: Span, antecedents: list[Antecedent]
) -> Draft | None:
    """A name inside the object: « prendre le contrôle total de la société Beltransgaz » →
    « De quelle société Moscou parvient-elle à prendre le contrôle total ? »."""
    wrapper = _wrapper(head)
    phrase = wrapper if wrapper is not None else head
    owner = phrase.head
    if phrase.dep_ != "nmod" or owner.pos_ != "NOUN":
        return None
    for _ in range(3):  # « le statut de partenaire de dialogue de l'Organisation »
        if (
            owner.dep_ != "nmod"
            or owner.head.pos_ != "NOUN"
            or _case(owner) not in {"de", "d'"}
            or any(c.dep_ == "det" for c in owner.children)
        ):
            break
        owner = owner.head
    if owner.dep_ != "obj" or owner.head.pos_ != "VERB":
        return None
    kept = [t for t in syntax.collect(owner, set()) if not t.is_punct]
    if kept and kept[-1].i != max(t.i for t in syntax.collect(phrase, set())):
        return None  # the name is not the end of the object: fronting it would scramble it
    if any(t.dep_ == "conj" for t in head.children) or cand.plural:
        return None
    if wrapper is not None:
        g = syntax.gender(wrapper)
        wh = f"{'quelle' if g == 'Fem' else 'quel'} {wrapper.lower_}"
    else:
        base = _entity_wh(cand)
        if base is None or base[0] == "Qui":
            return None
        wh = base[0][0].lower() + base[0][1:]
    clause = build_clause(top_verb(owner.head), antecedents)
    if clause is None or clause.subject.resolved:
        return None
    rest = clause.rest({t.i for t in phrase.subtree})
    if not rest or rest.endswith((" de", " du", " des")):
        return None
    prompt_wh = syntax.elide("de", wh).capitalize() if wh[0] in "aeiouy" else f"De {wh}"
    if clause.subject.pronoun is None:
        que = syntax.elide("que", clause.subject.text)
        prompt = f"{prompt_wh} est-ce {que} {clause.verb_group(False)} {rest}"
        return _draft(cand, sent, prompt, cand.text, 0.6)
    prompt = f"{prompt_wh} {clause.subject.text} {clause.verb_group(True)} {rest}"
    return _draft(cand, sent, prompt, cand.text, 0.7)


def _entity_wh(cand: Candidate) -> tuple[str, str] | None:
    t = cand.type
    name = cand.value
    if t is AnswerType.PERSON:
        return "Qui", cand.text
    if t is AnswerType.COUNTRY:
        return ("Quels pays" if cand.plural else "Quel pays"), cand.text
    if t is AnswerType.CITY:
        return "Quelle ville", cand.text
    if t is AnswerType.ORG:
        head = name.split()[0]
        if head.lower() in _WRAPPERS and head.lower() != "organisation":
            g = lexicon.NOUN_GENDER.get(head) or cand.gender
            return f"{'Quelle' if g == 'Fem' else 'Quel'} {head.lower()}", cand.text
        if head in lexicon.INSTITUTION_HEADS:
            return "Quelle institution", cand.text
        return "Quelle organisation", cand.text
    return None


def _metonym(cand: Candidate, period: int | None) -> tuple[str, str, tuple[str, ...]] | None:
    """« Moscou » / « le Kremlin » as a subject stands for a state: (wh, answer, accept);
    the state of the text's period (``period``: a year): l'Union soviétique before 1991."""
    target = lexicon.metonym(cand.value, period)
    if target is None:
        return None
    if target in lexicon.COUNTRIES:
        form = lexicon.COUNTRIES[target][0]
        return "Quel pays", form, (cand.text, target)
    return "Quelle institution", f"l'{target}", (cand.text, "l'UE", "UE", target)


def question(
    cand: Candidate, sent: Span, antecedents: list[Antecedent], period: int | None = None
) -> Draft | None:
    """The best question-word question for one candidate answer, or None.

    ``period``: the text's period (median year of its dates), for metonyms."""
    return _question(cand, sent, antecedents, period)


def relative_question(cand: Candidate, sent: Span) -> Draft | None:
    """« Le Parlement, qui vote les lois et contrôle le gouvernement, comprend … » → « Quelle
    institution vote les lois et contrôle le gouvernement ? »: a name's relative clause
    between commas says what it does, a question of its own."""
    head = attachment(cand, sent)
    wh = _entity_wh(cand)
    if wh is None or cand.plural or cand.listed_with:
        return None
    owners = [head]
    if head.dep_ in {"nmod", "appos"} and head.head.pos_ == "NOUN" and head.head.i < head.i:
        owners.append(head.head)  # « l'astronome italien Galilée, qui … »: on the title
    for rel in (c for o in owners for c in o.children):
        if rel.dep_ != "acl:relcl" or rel.i < cand.end:
            continue
        subj = next((c for c in rel.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ != "qui" or sent.doc[subj.i - 1].text != ",":
            continue
        end = rel.right_edge.i
        if end + 1 >= sent.end or sent.doc[end + 1].text not in {",", "."}:
            continue
        words = list(sent.doc[subj.i + 1 : end + 1])
        if not 3 <= len(words) <= 16 or any(t.text in {"(", ")", ";", ":", "«"} for t in words):
            continue
        # « qui vote » is a finite verb even when the tagger read « vote » as a noun
        if rel.morph.get("VerbForm", ["Fin"])[0] != "Fin" or _morph_number(rel) == "Plur":
            continue
        body = syntax.tidy(sent.doc[subj.i + 1 : end + 1].text)
        if re.search(r"\b(il|elle|ils|elles|le|la|les|l'|lui|leur|y|en)\s+(?=[a-zà-ÿ])", body[:4]):
            continue  # « qui la rejoint »: a clitic whose referent is outside the question
        return _draft(cand, sent, f"{wh[0]} {body}", wh[1], 0.7)
    return None


def _morph_number(tok: Token) -> str | None:
    return next(iter(tok.morph.get("Number", [])), None)


def _question(
    cand: Candidate, sent: Span, antecedents: list[Antecedent], period: int | None = None
) -> Draft | None:
    if cand.listed_with:
        return None  # one item of an enumeration: the question would have several answers
    head = attachment(cand, sent)
    if (
        not cand.type.is_numeric
        and head.dep_ in {"obj", "obl", "obl:arg", "obl:mod", "iobj"}
        and any(c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN"} for c in head.children)
    ):
        # « bat Marc Antoine et Cléopâtre »: asking for one of two coordinated objects
        # leaves the other hanging (« Qui Octave bat-il la reine d'Égypte ? »)
        return None
    if cand.type is AnswerType.COUNT:
        return _count_question(cand, head, sent, antecedents)
    title = _title_of(cand, head)
    if title is not None:
        return _person_question(cand, title, sent, antecedents)
    if cand.type in _NAME_TYPES and (
        _case(head) in {"de", "d'", "du", "des"} or _wrapper(head) is not None
    ):
        return _inner_object_question(cand, head, sent, antecedents)
    gov = head.head
    if gov.pos_ in {"NOUN", "PROPN"} and cand.type in {
        AnswerType.YEAR,
        AnswerType.MONTH,
        AnswerType.DATE,
        AnswerType.MONEY,
    }:
        found = _noun_question(cand, head, sent, antecedents)
        if found is not None or not _adverbial_date(cand, head):
            return found
        # « rouvre à la navigation en avril 1957 »: the date modifies the verb, not the noun.
        gov = gov.head
    if (
        gov.pos_ == "VERB"
        and gov.dep_ == "acl"
        and "Part" in gov.morph.get("VerbForm", [])
        and cand.type in {AnswerType.YEAR, AnswerType.MONTH, AnswerType.DATE}
    ):
        return _participle_question(cand, head, gov, sent)
    if gov.pos_ not in {"VERB", "AUX"} and head.dep_ not in _SUBJ:
        return None
    if head.dep_ in _SUBJ:
        return _subject_question(cand, head, sent, period)
    top = top_verb(gov)
    clause = build_clause(top, antecedents)
    if clause is None:
        return None
    wh = _wh_for(cand, head)
    if wh is None:
        return None
    phrase, answer = wh
    remove = _remove_phrase(head)
    rest = clause.rest(remove)
    if _stray_possessive(rest, clause) and " des " not in f" {phrase} ":
        if cand.type.is_numeric and cand.type not in {AnswerType.PERCENT, AnswerType.MONEY}:
            return None  # the date may belong to the phrase with the possessive
        remove |= _possessive_adjuncts(top, clause)
        rest = clause.rest(remove)
    confidence = 0.85
    if clause.subject.resolved:
        confidence -= 0.1
    if clause.conjugated:
        confidence -= 0.1
    if clause.subject.pronoun is None:
        body = f"est-ce {syntax.elide('que', clause.subject.text)}"
        prompt = f"{phrase} {body} {clause.verb_group(False)} {rest}"
        confidence -= 0.1
    else:
        prompt = f"{phrase} {clause.subject.text} {clause.verb_group(True)} {rest}"
    return _draft(cand, sent, prompt, answer, confidence)


def _draft(
    cand: Candidate,
    sent: Span,
    prompt: str,
    answer: str,
    confidence: float,
    accept: tuple[str, ...] = (),
) -> Draft:
    prompt = syntax.tidy(prompt).rstrip(" ?") + " ?"
    prompt = prompt[0].upper() + prompt[1:]
    accept = tuple(a for a in (*accept, *cand.accept) if a != answer)
    return Draft(
        False,
        prompt,
        answer,
        cand.type,
        sent.text,
        cand.sentence,
        cand.value,
        round(max(0.05, min(confidence, 0.95)), 2),
        accept=tuple(dict.fromkeys(accept)),
    )


def _subject_question(
    cand: Candidate, head: Token, sent: Span, period: int | None = None
) -> Draft | None:
    top = head.head
    if top.pos_ not in {"VERB", "AUX"}:
        # « Moscou reste le principal soutien » parses fine; copulas hang on the attribute.
        cop = next((c for c in top.children if c.dep_ == "cop"), None)
        if cop is None:
            return None
    base = _metonym(cand, period) or (_entity_wh(cand) and (*_entity_wh(cand), ()))  # type: ignore[misc]
    if not base:
        return None
    wh, answer, accept = base
    if answer != cand.text:  # a metonym: the answer is a state or an institution
        kind = AnswerType.COUNTRY if wh == "Quel pays" else AnswerType.ORG
        target = lexicon.metonym(cand.value, period)
        assert target is not None
        cand = replace(cand, type=kind, value=target)
    if cand.plural:
        return None
    clause = build_clause(top, [])
    if clause is None:
        return None
    if cand.type is AnswerType.PERSON and clause.subject.text != cand.text:
        # « le président américain Dwight Eisenhower »: the title is kept as a hint.
        wh = "Qui"
    rest = clause.rest(set(), move_front_to_end=True)
    if top.pos_ not in {"VERB", "AUX"}:
        cop = next(c for c in top.children if c.dep_ == "cop")
        attribute = syntax.join(syntax.collect(top, set(clause.subject.tokens) | {cop.i}))
        prompt = f"{wh} {cop.text} {attribute}"
    else:
        prompt = f"{wh} {clause.verb_group(False)} {rest}"
    return _draft(cand, sent, prompt, answer, 0.8, accept)


def _count_question(
    cand: Candidate, head: Token, sent: Span, antecedents: list[Antecedent]
) -> Draft | None:
    noun = head.head if head.dep_ == "nummod" else None
    if noun is None or noun.pos_ != "NOUN" or noun.lower_ in {"tiers", "quart", "quarts"}:
        return None
    skip = {head.i} | {c.i for c in noun.children if c.dep_ in {"det", "nummod", "case"}}
    toks = syntax.collect(noun, skip)
    stop = next((t.i for t in toks if t.is_punct and t.i > noun.i), None)
    counted = syntax.join(t for t in toks if stop is None or t.i < stop)
    phrase = syntax.elide("de", counted)
    verb = noun.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    if noun.dep_ in _SUBJ:
        clause = build_clause(verb, antecedents)
        if clause is None:
            return None
        group = clause.verb_group(False)
        prompt = f"Combien {phrase} {group} {clause.rest(set())}"
        return _draft(cand, sent, prompt, cand.text, 0.8)
    if noun.dep_ == "obj":
        clause = build_clause(top_verb(verb), antecedents)
        if clause is None or clause.subject.pronoun is None:
            return None
        rest = clause.rest({t.i for t in noun.subtree})
        prompt = f"Combien {phrase} {clause.subject.text} {clause.verb_group(True)} {rest}"
        return _draft(cand, sent, prompt, cand.text, 0.75)
    prep = _case(noun)
    if noun.dep_ in {"obl:mod", "obl:arg", "obl"} and prep in _COUNT_PREPS:
        # « avec six États » → « Avec combien d'États … ? »
        clause = build_clause(top_verb(verb), antecedents)
        if clause is None or clause.subject.pronoun is None:
            return None
        rest = clause.rest({t.i for t in noun.subtree})
        prompt = (
            f"{prep.capitalize()} combien {phrase} {clause.subject.text} "
            f"{clause.verb_group(True)} {rest}"
        )
        return _draft(cand, sent, prompt, cand.text, 0.7)
    return None


_COUNT_PREPS = frozenset({"avec", "entre", "pour", "dans", "sur", "par", "parmi", "pendant"})


def _np(noun: Token, remove: set[int]) -> str:
    """A noun phrase without its own preposition (« depuis l'arrivée » → « l'arrivée »)."""
    cases = [c for c in noun.children if c.dep_ == "case"]
    text = syntax.definite(syntax.join(syntax.collect(noun, remove | {c.i for c in cases})))
    article = {"au": "le", "aux": "les", "du": "le", "des": "les"}
    for c in cases:
        if c.lower_ in article:
            return f"{article[c.lower_]} {text}"
    return text


def _noun_question(
    cand: Candidate, head: Token, sent: Span, antecedents: list[Antecedent]
) -> Draft | None:
    noun = head.head
    remove = _remove_phrase(head)
    if cand.type is AnswerType.MONEY:
        if noun.lemma_ in {"montant", "somme", "total"} and noun.head.pos_ == "NOUN":
            remove |= {t.i for t in noun.subtree}
            noun = noun.head
        if noun.lemma_.lower() not in lexicon.MONEY_NOUNS:
            return None
        np = _np(noun, remove)
        if np.lower().startswith(("son ", "sa ", "ses ", "leur ")):
            return None
        prompt = f"Quel est le montant {syntax.with_de(np, syntax.gender(noun))}"
        if (
            noun.dep_ == "obj"
            and noun.head.pos_ == "VERB"
            and not any(c.dep_ == "acl" for c in noun.children)
        ):
            clause = build_clause(top_verb(noun.head), antecedents)
            if clause is not None:
                rest = clause.rest({t.i for t in noun.subtree})
                que = syntax.elide("que", clause.subject.text)
                prompt = f"{prompt} {que} {clause.verb_group(False)} {rest}"
        return _draft(cand, sent, prompt, cand.text, 0.7)
    # A date on a noun: « l'élection présidentielle de mars 2006 ».
    event = noun
    for _ in range(2):
        if event.lemma_.lower() in lexicon.EVENT_NOUNS or event.lower_ in lexicon.EVENT_NOUNS:
            break
        if event.head.pos_ != "NOUN" or event.dep_ not in {"nmod"}:
            break
        event = event.head
    case = _case(head)
    np = _np(event, remove)
    if np.split()[0].lower() in {"son", "sa", "ses", "leur", "leurs"}:
        return None
    np_low = np[0].lower() + np[1:] if not np[:2].isupper() else np
    when = {
        AnswerType.YEAR: "En quelle année",
        AnswerType.MONTH: "En quel mois de quelle année",
        AnswerType.DATE: "À quelle date",
    }[cand.type]
    if event.lemma_.lower() in lexicon.EVENT_NOUNS or event.lower_ in lexicon.EVENT_NOUNS:
        verb = "ont lieu" if np_low.startswith("les ") else "a lieu"
        return _draft(cand, sent, f"{when} {verb} {np_low}", cand.text, 0.65)
    if case == "de" and event is noun and cand.type is AnswerType.YEAR:
        return _draft(cand, sent, f"De quelle année date {np_low}", cand.text, 0.65)
    return None


def _participle_question(cand: Candidate, head: Token, part: Token, sent: Span) -> Draft | None:
    """« l'Accord … négocié en 1995 » → « En quelle année l'Accord … est-il négocié ? »."""
    noun = part.head
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return None
    np = _np(noun, {part.i} | {t.i for t in part.subtree})
    g = syntax.gender(noun)
    if g is None or np.split()[0].lower() in {"son", "sa", "ses", "leur", "leurs"}:
        return None
    pl = syntax.plural(noun)
    if part.morph.get("Gender", []) and part.morph.get("Gender", [])[0] != g:
        return None  # the participle agrees with another noun: wrong attachment
    pron = ("elles" if pl else "elle") if g == "Fem" else ("ils" if pl else "il")
    aux = "sont" if pl else "est"
    wh = _wh_for(cand, head)
    if wh is None:
        return None
    others = syntax.join(t for t in syntax.collect(part, _remove_phrase(head)) if t.i != part.i)
    prompt = f"{wh[0]} {np} {aux}-{pron} {part.text} {others}"
    return _draft(cand, sent, prompt, wh[1], 0.7)


def antecedents_of(sent: Span, before: int | None = None) -> list[Antecedent]:
    """Non-pronoun subjects of a sentence's clauses, latest first, for pronoun resolution;
    with ``before``, only those before that token (« La Loire est … : elle parcourt … »: the
    pronoun's referent is the subject of the sentence's first clause)."""
    found: list[Antecedent] = []
    for tok in sent:
        if before is not None and tok.i >= before:
            break
        if (
            tok.dep_ in _SUBJ
            and tok.pos_ in {"NOUN", "PROPN"}
            and tok.head.pos_ in {"VERB", "AUX", "ADJ", "NOUN"}
            and tok.head.dep_ != "acl:relcl"
        ):
            remarks = {
                t.i
                for c in tok.children
                if c.dep_ == "acl" and c.i > tok.i and tok.doc[c.left_edge.i - 1].text == ","
                for t in c.subtree
            }
            text = syntax.definite(syntax.join(syntax.collect(tok, remarks)))
            found.append(Antecedent(text, syntax.gender(tok), syntax.plural(tok)))
    return list(reversed(found))


_RELATIVES = frozenset(
    {"duquel", "laquelle", "lequel", "lesquels", "lesquelles", "auquel", "dont"}
)
_REL_PREPS = frozenset(
    {"par", "dans", "sur", "pour", "avec", "sans", "sous", "selon", "parmi", "vers", "entre"}
)


def _relative_with_antecedent(words: list[str], i: int) -> bool:
    """« un phénomène par lequel … », « l'ensemble des terres dont … »: a relative pronoun
    right after its noun (or its noun and a preposition) refers to something the question
    names; at the start of the question (« Dans lequel … ? ») it does not."""
    before = words[max(0, i - 2) : i]
    if i < 3 or not before:
        return False
    if words[i] == "dont":
        return before[-1] not in _DANGLING and before[-1].isalpha()
    return len(before) == 2 and before[-1] in _REL_PREPS and before[-2].isalpha()


def dangling(prompt: str) -> bool:
    """A pronoun that refers to nothing inside the question."""
    words = prompt.lower().replace("?", " ").replace(",", " ").replace("'y ", "' y ").split()
    return any(
        w in _DANGLING and not (w in _RELATIVES and _relative_with_antecedent(words, i))
        for i, w in enumerate(words)
    )
