"""Answers beyond names, dates and numbers: terms the text defines, causes, enumerations.

Each pattern reads one parsed sentence and returns drafts tagged with the pattern that made
them (a feature of the ranker):

- ``named``: « une enzyme appelée amylase, qui … » → « Comment appelle-t-on l'enzyme qui … ? »;
  « On appelle bol alimentaire la boule … » → « Comment appelle-t-on la boule … ? »;
- ``apposition``: « le péristaltisme, une suite de contractions … » → « Comment appelle-t-on une
  suite de contractions … ? »;
- ``definition``: « La réfraction est le changement de direction … » → « Comment appelle-t-on le
  changement de direction … ? », or « Qu'est-ce que X ? » as a multiple choice when X is the
  text's own subject; « Le Sénat est l'assemblée qui … » → « Quelle est l'assemblée qui … ? »;
- ``cause``: « … car / parce que / grâce à / en raison de / c'est pourquoi … » → « Pourquoi … ? »
  (« Grâce à quoi … ? »), a multiple choice whose distractors are other causes and clauses of
  the text (a cause cannot be graded by string matching);
- ``list``: « … trois régions : A, B et C » → « Quelles régions … ? » with the whole list as the
  answer (graded item by item, partial credit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.content.generator import lexicon, realise, syntax
from bot.content.generator.model import AnswerType, Candidate, Draft
from bot.content.generator.rank import fold

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

MAX_PREDICATE_WORDS = 26
_INDEF = {"un", "une", "des"}
_DEF = {"le", "la", "les", "l'"}
_VOWEL = re.compile(r"^[aeiouyhàâéèêëîïôöûüœ]", re.IGNORECASE)
_NAMING_LEMMAS = {"appeler", "nommer", "baptiser", "surnommer"}
_CAUSE_PREPS = {
    "grâce à": "Grâce à quoi",
    "en raison de": "Pourquoi",
    "à cause de": "Pourquoi",
    "sous l'effet de": "Pourquoi",
    "du fait de": "Pourquoi",
}
_QUANT = {
    "plusieurs",
    "nombreux",
    "nombreuses",
    "de",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "quelques",
    "certains",
    "certaines",
    "les",
    "des",
    "ces",
}


def _text(tokens: Sequence[Token]) -> str:
    toks = sorted(tokens, key=lambda t: t.i)
    if toks and toks[-1].i - toks[0].i + 1 == len(toks):  # contiguous: the text as written
        span = toks[0].doc[toks[0].i : toks[-1].i + 1]
        text = span.text
        if toks[0].is_sent_start and toks[0].pos_ != "PROPN" and not text[1:2].isupper():
            text = text[0].lower() + text[1:]
        return syntax.tidy(text)
    return syntax.tidy(syntax.join(toks))


def _definite(np: str, gender: str | None, plural: bool) -> str:
    """« une enzyme » → « l'enzyme », « des replis » → « les replis »."""
    words = np.split(" ", 1)
    if len(words) < 2 or words[0].lower() not in _INDEF:
        return np
    rest = words[1]
    if words[0].lower() == "des" or plural:
        return f"les {rest}"
    if _VOWEL.match(rest):
        return f"l'{rest}"
    return ("la " if words[0].lower() == "une" else "le ") + rest


def _draft(
    sent: Span,
    index: int,
    prompt: str,
    answer: str,
    type_: AnswerType,
    pattern: str,
    confidence: float,
    accept: tuple[str, ...] = (),
    distractors: tuple[str, ...] = (),
) -> Draft:
    prompt = syntax.tidy(prompt).rstrip(" ?") + " ?"
    prompt = prompt[0].upper() + prompt[1:]
    return Draft(
        False,
        prompt,
        answer,
        type_,
        sent.text,
        index,
        fold(answer),
        confidence,
        accept=accept,
        distractors=distractors,
        pattern=pattern,
    )


#: v3.13: where a description stops being one: a semicolon, a bracket, or a comma that opens
#: another clause (« …, tandis qu'un réducteur … », « …, et veines ceux qui … »). Not a colon:
#: what follows it belongs to the definition (« … qui remplit trois conditions : … »).
_CLAUSE_BREAK = re.compile(
    r"\s*(?:[;(]|,\s*(?:tandis qu|alors qu|mais\b|car\b|et\b|si bien qu|c'est pourquoi"
    r"|ce qui\b|d'où\b|puis\b|or\b))"
)


def clip_description(text: str) -> str:
    """v3.13: a description up to the end of its own clause (« une espèce capable de capter des
    électrons, tandis qu'un réducteur est capable d'en céder » → « une espèce capable de capter
    des électrons »): a definition the text follows with a second clause is still a definition,
    once the second clause is cut off."""
    m = _CLAUSE_BREAK.search(text)
    return (text[: m.start()] if m else text).strip(" ,")


def _bare(answer: str) -> tuple[str, ...]:
    """The answer without its article, as an accepted form."""
    low = answer.lower()
    for art in ("le ", "la ", "les ", "l'", "un ", "une ", "des "):
        if low.startswith(art) and len(answer) > len(art) + 2:
            return (answer[len(art) :],)
    return ()


# --- « appelé », « on appelle » -------------------------------------------------------------


def _named_term(part: Token) -> list[Token]:
    """The words after « appelé » that name the thing (up to a comma, « qui », « que »)."""
    out: list[Token] = []
    sent = part.sent
    quoted = False
    for tok in sent[part.i - sent.start + 1 :]:
        if tok.text == "«":
            quoted = True
            continue
        if tok.text == "»":
            break
        if not quoted and (
            tok.is_punct
            or tok.lower_
            in {"qui", "que", "qu'", "dont", "et", "ou", "car", "mais", "c'", "ainsi"}
            or (out and tok.pos_ in {"VERB", "AUX", "ADP"})
        ):
            break
        out.append(tok)
        if len(out) > 5:
            return []
    return out


def named(sent: Span, index: int, subjects: set[str]) -> list[Draft]:  # noqa: PLR0912 - two patterns, each with its guards
    drafts: list[Draft] = []
    # (a term does not end on « de »: « On appelle cycle de l'eau l'ensemble … »)
    m = re.match(
        r"^On appelle (.+?)(?<!\bde)(?<!\bdu)(?<!\bdes)(?<!\bd') "
        r"((?:(?:l[ae]s?|une?|des) |l')\S.+?)\s*\.$",
        sent.text,
    )
    if m and len(m[1].split()) <= 4:
        drafts.append(
            _draft(
                sent,
                index,
                f"Comment appelle-t-on {clip_description(m[2])}",
                m[1],
                AnswerType.CONCEPT,
                "named",
                0.8,
                _bare(m[1]),
            )
        )
    for part in sent:
        if (
            part.lemma_.lower() not in _NAMING_LEMMAS
            or "Part" not in part.morph.get("VerbForm", [])
            or part.i == sent.start
        ):
            continue
        term = _named_term(part)
        noun = part.head
        if (term and part.dep_ == "ROOT") or any(c.dep_ == "aux:pass" for c in part.children):
            # « Les livres imprimés avant 1501 sont appelés incunables »
            subj = next((c for c in part.children if c.dep_ == "nsubj:pass"), None)
            if subj is None or subj.pos_ != "NOUN" or not term:
                continue
            np_text = _text([t for t in subj.subtree if not t.is_punct]).split(";")[0].strip()
            if len(np_text.split()) < 3 or np_text.lower().split()[0] not in _DEF:
                continue
            answer = _text(term).split(",")[0].strip()
            drafts.append(
                _draft(
                    sent,
                    index,
                    f"Comment appelle-t-on {np_text}",
                    answer,
                    AnswerType.CONCEPT,
                    "named",
                    0.75,
                    _bare(answer),
                )
            )
            continue
        if (
            not term
            or noun.pos_ not in {"NOUN", "ADV"}
            or noun.i > part.i
            or not any(c.dep_ == "det" for c in noun.children)
        ):
            continue
        if term[0].lower_ in {"ainsi", "en", "à", "par"}:
            continue
        gap = set(range(part.i, term[-1].i + 1)) | {t.i for t in part.subtree}
        if sent.doc[term[-1].i + 1 : term[-1].i + 2].text == "»":
            gap.add(term[-1].i + 1)
        np_tokens = [t for t in noun.subtree if t.i not in gap and t.i >= noun.left_edge.i]
        # A relative clause on the term (« amylase, qui commence … ») describes the noun.
        for child in sent.doc[term[-1].i].children:
            if child.dep_ == "acl:relcl":
                np_tokens.extend(child.subtree)
        np_tokens = list({t.i: t for t in np_tokens}.values())
        stop = next(
            (t.i for t in sorted(np_tokens, key=lambda t: t.i) if t.text in {";", ":"}), None
        )
        if stop is not None:
            np_tokens = [t for t in np_tokens if t.i < stop]
        np_tokens = [
            t
            for t in np_tokens
            if not (t.text == "," and t.i == min((x.i for x in np_tokens), default=0))
        ]
        np_text = _text(np_tokens)
        np_text = clip_description(re.sub(r"\s*,\s*(qui|que|dont)\b", r" \1", np_text))
        if len(np_text.split()) < 3 or np_text.lower().split()[0] in {
            "son",
            "sa",
            "ses",
            "leur",
            "leurs",
        }:
            continue
        np_text = _definite(np_text, syntax.gender(noun), syntax.plural(noun))
        if np_text.lower().split()[0] not in _DEF and not np_text.lower().startswith("l'"):
            continue
        answer = _text(term).split(",")[0].strip()
        if fold(answer) in subjects or ";" in np_text:
            continue
        also = re.match(
            rf"{re.escape(answer)} ou ([\wÀ-ÿ-]+)", sent.text[term[0].idx - sent.start_char :]
        )
        accept = (*_bare(answer), also[1]) if also else _bare(answer)
        drafts.append(
            _draft(
                sent,
                index,
                f"Comment appelle-t-on {np_text}",
                answer,
                AnswerType.CONCEPT,
                "named",
                0.75,
                accept,
            )
        )
    return drafts


# --- appositions and definitions -----------------------------------------------------------


def _np_without(head: Token, drop: set[int]) -> str:
    toks = [t for t in head.subtree if t.i not in drop and not (t.is_punct and t.text in ",;:")]
    return _text(toks)


def apposition(sent: Span, index: int, subjects: set[str]) -> list[Draft]:
    drafts: list[Draft] = []
    for app in sent:
        if app.dep_ != "appos" or app.pos_ != "NOUN":
            continue
        term = app.head
        det = next((c for c in app.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in {"un", "une"} or term.pos_ not in {"NOUN", "PROPN"}:
            continue
        if term.ent_type_ == "PER" or term.i > app.i:
            continue
        desc = _text([t for t in app.subtree if not (t.is_punct and t.i == app.right_edge.i)])
        if not 3 <= len(desc.split()) <= 16 or re.search(r"\b(il|elle|ils|elles|y|en)\b", desc):
            continue
        # the term: its own words (determiner, adjectives), not other complements
        lo = term.i
        while (
            lo - 1 >= sent.start
            and sent.doc[lo - 1].head is term
            and sent.doc[lo - 1].dep_ in {"det", "amod", "nummod"}
        ):
            lo -= 1
        hi = term.i + 1
        while (
            hi < app.left_edge.i
            and sent.doc[hi].head is term
            and sent.doc[hi].dep_ in {"amod", "flat:name"}
        ):
            hi += 1
        term_toks = list(sent.doc[lo:hi])
        answer = _text(term_toks)
        prev = sent.doc[lo - 1].lower_ if lo > sent.start else ""
        if lo == term.i and prev in {"au", "du", "aux", "des"}:
            answer = ("les " if prev in {"aux", "des"} else "le ") + answer
        elif lo == term.i and term.pos_ == "NOUN" and prev not in {"de", "d'"}:
            continue
        if not answer or len(answer.split()) > 5 or fold(answer) in subjects:
            continue
        if answer.lower().split()[0] in {
            "son",
            "sa",
            "ses",
            "leur",
            "leurs",
            "ce",
            "cette",
            "ces",
            "cet",
        }:
            continue
        if any(t.pos_ in {"VERB", "AUX"} for t in term_toks):
            continue
        drafts.append(
            _draft(
                sent,
                index,
                f"Comment appelle-t-on {desc}",
                answer,
                AnswerType.CONCEPT,
                "apposition",
                0.7,
                _bare(answer),
            )
        )
    return drafts


def definitions(sent: Span, index: int, subjects: set[str]) -> list[Draft]:  # noqa: PLR0912, PLR0915 - the guards of one pattern
    """« S est un/une/l'… N … » (a copula with a noun subject)."""
    drafts: list[Draft] = []
    for pred in sent:
        cop = next((c for c in pred.children if c.dep_ == "cop" and c.lemma_ == "être"), None)
        subj = next((c for c in pred.children if c.dep_ == "nsubj"), None)
        if cop is None or subj is None or pred.pos_ != "NOUN" or subj.i > cop.i:
            continue
        if subj.pos_ not in {"NOUN", "PROPN"} or "Fin" not in cop.morph.get("VerbForm", []):
            continue
        det = next((c for c in pred.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in _INDEF | _DEF:
            continue
        s_toks = [
            t
            for t in subj.subtree
            if t.text not in {",", ";", ":"} and t.dep_ not in {"appos", "acl"}
        ]
        s_toks = [t for t in s_toks if t.i < cop.i]
        subject = _text(s_toks)
        if (
            not subject
            or len(subject.split()) > 6
            or subject.lower().split()[0]
            in {"son", "sa", "ses", "leur", "leurs", "ce", "cette", "ces", "cet", "il", "elle"}
        ):
            continue
        drop = {t.i for t in subj.subtree} | {cop.i}
        drop |= {
            t.i for c in pred.children if c.dep_ in {"conj", "cc", "parataxis"} for t in c.subtree
        }
        p_toks = [t for t in pred.subtree if t.i not in drop and t.i > cop.i]
        while p_toks and p_toks[-1].is_punct:
            p_toks.pop()
        whole = _text(p_toks)
        if any(c.lower_ in {"ne", "n'", "pas", "jamais", "plus"} for c in pred.children):
            continue  # « Le pharaon n'est pas un souverain ordinaire »: not what it is
        # v3.13: a definition ends with its clause (:func:`clip_description`); a name or a
        # title asked from the predicate keeps v3's rule (no second clause at all)
        predicate = clip_description(whole)
        if not re.match(r"(?:un|une|des|le|la|les|l'|d')\b", predicate, re.IGNORECASE):
            continue  # « est ainsi un alliage … »: the words do not open on the noun phrase
        n = len(predicate.split())
        if (
            n < 2
            or n > MAX_PREDICATE_WORDS
            or re.search(r"\b(il|elle|ils|elles|y)\b|[;:]", predicate)
        ):
            continue
        if predicate != whole and (pred.text[0].isupper() or subj.pos_ == "PROPN"):
            continue
        plural = syntax.plural(pred)
        if pred.text[0].isupper() and subj.pos_ == "NOUN" and subject.lower().split()[0] in _DEF:
            # « Le chef-d'œuvre de Gutenberg est la Bible à 42 lignes »: ask for the name
            gender = syntax.gender(subj)
            wh = "Quelle est" if gender == "Fem" else "Quel est"
            if syntax.plural(subj):
                wh = "Quelles sont" if gender == "Fem" else "Quels sont"
            name = predicate.split(",")[0].strip()
            drafts.append(
                _draft(
                    sent,
                    index,
                    f"{wh} {subject}",
                    name,
                    AnswerType.TITLE if name[:1].isupper() else AnswerType.CONCEPT,
                    "definition-name",
                    0.7,
                    _bare(name),
                )
            )
            continue
        if fold(subject) in subjects:
            if len(predicate.split()) >= 3 and subj.pos_ == "NOUN":
                que = "qu'" if _VOWEL.match(subject) else "que "
                drafts.append(
                    _draft(
                        sent,
                        index,
                        f"Qu'est-ce {que}{subject}",
                        predicate,
                        AnswerType.CONCEPT,
                        "definition-choice",
                        0.6,
                    )
                )
            continue
        if subj.pos_ == "PROPN" and det.lower_ in _DEF:
            gender = syntax.gender(pred)
            wh = (
                ("Quelles sont" if gender == "Fem" else "Quels sont")
                if plural
                else ("Quelle est" if gender == "Fem" else "Quel est")
            )
            if gender is None:
                continue
            drafts.append(
                _draft(
                    sent,
                    index,
                    f"{wh} {predicate}",
                    subject,
                    AnswerType.CONCEPT,
                    "definition",
                    0.7,
                    _bare(subject),
                )
            )
        elif subj.pos_ == "NOUN" and len(predicate.split()) >= 3:
            drafts.append(
                _draft(
                    sent,
                    index,
                    f"Comment appelle-t-on {predicate}",
                    subject,
                    AnswerType.CONCEPT,
                    "definition",
                    0.7,
                    _bare(subject),
                )
            )
    return drafts


_RESTATED = re.compile(
    r"(?:^|, )(?P<term>(?:[Ll]es? |[Ll]a |[Ll]'|[Ss]on |[Ss]a |[Ss]es |[Ll]eurs? )"
    r"[a-zà-ÿœ'-]+(?: [a-zà-ÿœ'-]+){0,3}), c'est-à-dire "
    r"(?P<what>(?:le|la|les|l'|un|une|des) ?[^,;:()«»]{8,140}?)(?=, |\.$|;)"
)
_POSSESSIVE_TO_DEF = {"son": "le", "sa": "la", "ses": "les", "leur": "le", "leurs": "les"}


def restatements(sent: Span, index: int, subjects: set[str]) -> list[Draft]:
    """« Son bassin versant, c'est-à-dire l'ensemble des terres dont les eaux s'écoulent vers
    le fleuve, couvre … » → « Comment appelle-t-on l'ensemble des terres dont … ? » → « le
    bassin versant »: the text restates a term with « c'est-à-dire »; a possessive becomes
    the definite article (the term is general, « le bassin versant »)."""
    drafts: list[Draft] = []
    for m in _RESTATED.finditer(sent.text):
        term, what = m["term"], m["what"].strip()
        first, _, rest = term.partition(" ")
        low = first.lower()
        if low in _POSSESSIVE_TO_DEF:
            head = next(
                (
                    t
                    for t in sent
                    if t.idx - sent.start_char >= m.start("term") + len(first) and t.pos_ == "NOUN"
                ),
                None,
            )
            if head is None or not rest:
                continue
            art = _POSSESSIVE_TO_DEF[low]
            if low == "leur":
                art = "la" if syntax.gender(head) == "Fem" else "le"
            elided = art in {"le", "la"} and _VOWEL.match(rest)
            term = f"l'{rest}" if elided else f"{art} {rest}"
        term = term[0].lower() + term[1:]
        if fold(term) in subjects or re.search(r"\b(il|elle|ils|elles|y|en)\b", what):
            continue
        if len(what.split()) < 3 or len(term.split()) > 4:
            continue
        drafts.append(
            _draft(
                sent,
                index,
                f"Comment appelle-t-on {what}",
                term,
                AnswerType.CONCEPT,
                "definition",
                0.7,
                _bare(term),
            )
        )
    return drafts


# --- causes ----------------------------------------------------------------------------------


def _copula_question(pred: Token, remove: set[int], wh: str) -> str | None:
    """« Le suc gastrique est très acide » → « Pourquoi le suc gastrique est-il très acide »."""
    cop = next((c for c in pred.children if c.dep_ == "cop"), None)
    subj = next((c for c in pred.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
    if cop is None or subj is None or subj.pos_ not in {"NOUN", "PROPN", "ADJ"} or subj.i > cop.i:
        return None
    if subj.pos_ == "ADJ" and not any(c.dep_ == "det" for c in subj.children):
        return None
    if "Fin" not in cop.morph.get("VerbForm", []):
        return None
    s_toks = [t for t in subj.subtree if not t.is_punct or t.text == "'"]
    subject = _text(s_toks)
    if subject.lower().split()[0] in {
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "ce",
        "cette",
        "ces",
        "cet",
    }:
        return None
    gender, plural = syntax.gender(subj), syntax.plural(subj)
    det = next((c for c in subj.children if c.dep_ == "det"), None)
    if gender is None and det is not None:
        gender = {"le": "Masc", "un": "Masc", "la": "Fem", "une": "Fem"}.get(det.lower_)
    if gender is None:
        return None
    pron = ("elles" if plural else "elle") if gender == "Fem" else ("ils" if plural else "il")
    link = "-t-" if cop.text[-1] in "ae" else "-"
    skip = {t.i for t in subj.subtree} | {cop.i} | remove
    neg = [c for c in pred.children if c.lower_ in {"ne", "n'"}]
    adv = [c for c in pred.children if c.lower_ in {"pas", "plus", "jamais"} and c.i > cop.i]
    skip |= {t.i for t in neg} | {t.i for t in adv}
    stop = next((t.i for t in pred.subtree if t.i > cop.i and t.text in {":", ";"}), None)
    rest_toks = [
        t for t in pred.subtree if t.i not in skip and t.i > cop.i and (stop is None or t.i < stop)
    ]
    rest_toks = [
        t
        for t in rest_toks
        if not any(
            a.dep_ in {"conj", "parataxis", "advcl"}
            and a.head is pred
            and t.i in {x.i for x in a.subtree}
            for a in pred.children
        )
    ]
    while rest_toks and rest_toks[-1].is_punct:
        rest_toks.pop()
    rest = _text(rest_toks)
    if not rest:
        return None
    verb = f"{cop.text}{link}{pron}"
    if neg:
        ne = "n'" if cop.text[0] in "aeéio" else "ne "
        verb = f"{ne}{verb} {' '.join(a.text for a in adv)}"
    return f"{wh} {subject} {verb} {rest}"


def _question_on(
    verb: Token, remove: set[int], wh: str, antecedents: list[realise.Antecedent]
) -> str | None:
    if verb.pos_ not in {"VERB", "AUX"}:
        return _copula_question(verb, remove, wh)
    verb = realise.top_verb(verb)  # « peuvent se produire »: the clause is on « peuvent »
    clause = realise.build_clause(verb, antecedents)
    if clause is None:
        return None
    rest = clause.rest(remove)
    if clause.subject.pronoun is not None:
        return f"{wh} {clause.subject.text} {clause.verb_group(True)} {rest}"
    return f"{wh} est-ce que {clause.subject.text} {clause.verb_group(False)} {rest}"


def _possessive_question(verb: Token, before: set[int], sent: Span) -> str | None:
    """« A est …, c'est pourquoi sa surface atteint … » → « Pourquoi la surface de A
    atteint-elle … »: the possessive resolved to the first clause's subject."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    first_subj = next(
        (t for t in sent if t.dep_.startswith("nsubj") and t.i in before and t.pos_ == "NOUN"),
        None,
    )
    if subj is None or first_subj is None:
        return None
    det = next((c for c in subj.children if c.dep_ == "det"), None)
    if det is None or det.lower_ not in {"son", "sa", "ses"}:
        return None
    owner = _text(
        [
            t
            for t in first_subj.subtree
            if t.i in before and not t.is_punct and t.dep_ not in {"acl", "acl:relcl"}
        ]
    )
    gender, plural = syntax.gender(subj), syntax.plural(subj)
    if gender is None or len(owner.split()) > 5:
        return None
    art = (
        "les"
        if plural
        else ("l'" if _VOWEL.match(subj.text) else ("la" if gender == "Fem" else "le"))
    )
    noun = _text([t for t in subj.subtree if t.i != det.i and t.i > max(before)])
    subject = (
        f"{art}{'' if art == chr(39) or art.endswith(chr(39)) else ' '}{noun} "
        f"{syntax.with_de(owner, syntax.gender(first_subj))}"
    )
    pron = ("elles" if plural else "elle") if gender == "Fem" else ("ils" if plural else "il")
    finite = verb.text
    link = "-t-" if finite[-1] in "aeéc" else "-"
    rest = (
        _text(
            [
                t
                for t in verb.subtree
                if t.i > verb.i and not (t.is_punct and t.i == verb.subtree[-1].i)
            ]
        )
        if False
        else _text([t for t in sent if t.i > verb.i and not t.is_punct])
    )
    return f"Pourquoi {subject} {finite}{link}{pron} {rest}"


def _because(clause_text: str) -> str:
    first = clause_text.split(" ", 1)[0]
    if first.lower() in {
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "ce",
        "cette",
        "ces",
        "il",
        "elle",
        "ils",
        "elles",
        "on",
        "en",
        "sa",
        "son",
        "ses",
        "leur",
        "leurs",
        "tous",
        "toutes",
        "chaque",
        "au",
        "aux",
        "dans",
        "pendant",
        "après",
        "avant",
        "selon",
        "sur",
        "sous",
        "par",
        "pour",
        "grâce",
        "chez",
        "vers",
        "depuis",
        "à",
        "de",
        "du",
        "d'",
        "lorsque",
        "quand",
        "si",
        "mais",
        "et",
        "puis",
        "enfin",
        "ainsi",
        "aujourd'hui",
        "cet",
        "plusieurs",
        "certains",
        "certaines",
        "notre",
        "nos",
    } or first.startswith(("L'", "D'")):
        clause_text = clause_text[0].lower() + clause_text[1:]
    # gen5: « ces conquêtes enrichissent … » offered alone: the demonstrative pointed back
    # to the sentence before; as a cause of the question it is the definite article
    m = re.match(r"^(ces|cette|cet|ce) (?=[a-zà-ÿœ])", clause_text)
    if m:
        art = {"ces": "les ", "cette": "la ", "cet": "l'", "ce": "le "}[m[1]]
        rest = clause_text[m.end() :]
        if art in {"la ", "le "} and _VOWEL.match(rest):
            art = "l'"
        clause_text = art + rest
    return (
        syntax.elide("que", clause_text).replace("que ", "parce que ", 1)
        if not _VOWEL.match(clause_text)
        else f"parce qu'{clause_text}"
    )


def causes(sent: Span, index: int, antecedents: list[realise.Antecedent]) -> list[Draft]:  # noqa: PLR0912, PLR0915 - one block per connector of cause
    drafts: list[Draft] = []
    doc = sent.doc
    for tok in sent:
        low = tok.lower_
        # « … car il renferme … », « … parce qu'il … »
        if low == "comme" and tok.i == sent.start and tok.dep_ == "mark":
            cause_verb = tok.head
            main = cause_verb.head
            comma = next((t for t in sent if t.text == "," and t.i > cause_verb.i), None)
            if (
                main is cause_verb
                or main.pos_ not in {"VERB", "AUX"}
                or comma is None
                or main.i < comma.i
            ):
                continue
            cause_ids = {t.i for t in sent if t.i <= comma.i}
            answer = _because(_text([t for t in sent if tok.i < t.i < comma.i]))
            prompt = _question_on(main, cause_ids, "Pourquoi", antecedents)
            if prompt and len(answer.split()) <= 22:
                drafts.append(_draft(sent, index, prompt, answer, AnswerType.CAUSE, "cause", 0.6))
            continue
        if low in {"car", "parce"} and tok.i > sent.start:
            cause_verb = tok.head
            if low == "parce":
                nxt = doc[tok.i + 1] if tok.i + 1 < sent.end else None
                if nxt is None or nxt.lower_ not in {"que", "qu'"}:
                    continue
            if cause_verb.pos_ not in {"VERB", "AUX", "ADJ", "NOUN"} or cause_verb.i < tok.i:
                continue
            main = cause_verb.head
            if main is cause_verb or main.i > tok.i:
                continue
            if main.pos_ not in {"VERB", "AUX"}:
                cop = next((c for c in main.children if c.dep_ == "cop"), None)
                if cop is None:
                    continue
            cause_ids = {t.i for t in cause_verb.subtree} | {tok.i}
            cause_toks = [
                t
                for t in cause_verb.subtree
                if (t.i > tok.i and t.lower_ not in {"que", "qu'"}) or t.i > tok.i + 1
            ]
            cause_toks = [t for t in cause_toks if t.i > tok.i + (1 if low == "parce" else 0)]
            while cause_toks and cause_toks[-1].is_punct:
                cause_toks.pop()
            cut = next((i for i, t in enumerate(cause_toks) if t.text in {":", ";"}), None)
            if cut is not None:
                cause_toks = cause_toks[:cut]
            answer = _because(_text(cause_toks))
            prompt = _question_on(main, cause_ids, "Pourquoi", antecedents)
            if prompt and len(answer.split()) <= 22:
                drafts.append(_draft(sent, index, prompt, answer, AnswerType.CAUSE, "cause", 0.6))
        # « grâce à X », « en raison de X »
        if tok.dep_ in {"obl:arg", "obl:mod", "obl", "nmod"} and tok.pos_ in {"NOUN", "PROPN"}:
            case = realise._case(tok)
            lead = " ".join(
                t.lower_
                for t in doc[tok.left_edge.i : tok.i]
                if t.dep_ in {"case", "fixed", "det"}
            )
            for short, full in (
                ("au", "à le"),
                ("aux", "à les"),
                ("du", "de le"),
                ("des", "de les"),
            ):
                lead = re.sub(rf"\b{short}\b", full, lead)
            key = next((k for k in _CAUSE_PREPS if lead.startswith(k) or case == k), None)
            if key is None:
                continue
            head = tok.head
            hops = 0
            while (
                head.pos_ not in {"VERB", "AUX"}
                and head.dep_ in {"nmod", "obl", "obl:arg", "obl:mod", "obj"}
                and hops < 3
            ):
                head, hops = head.head, hops + 1
            if head.pos_ not in {"VERB", "AUX"}:
                continue
            remove = {t.i for t in tok.subtree}
            phrase = _text(
                [
                    t
                    for t in tok.subtree
                    if not (t.is_punct and t.i == tok.right_edge.i)
                    and t.dep_ not in {"appos"}
                    and t.i
                    not in {x.i for c in tok.children if c.dep_ == "appos" for x in c.subtree}
                ]
            )
            phrase = re.sub(r",$", "", phrase).strip()
            prompt = _question_on(head, remove, _CAUSE_PREPS[key], antecedents)
            if prompt and 2 <= len(phrase.split()) <= 14:
                drafts.append(
                    _draft(sent, index, prompt, phrase, AnswerType.CAUSE, "cause-prep", 0.6)
                )
    # « A, c'est pourquoi B »
    m = re.search(r"^(.+?), c'est pourquoi (.+?)\.?$", sent.text)
    if m:
        pourquoi = next((t for t in sent if t.lower_ == "pourquoi"), None)
        if pourquoi is not None:
            verb = next(
                (
                    t
                    for t in sent
                    if t.i > pourquoi.i
                    and t.pos_ in {"VERB", "AUX"}
                    and "Fin" in t.morph.get("VerbForm", [])
                    and t.dep_ != "aux"
                ),
                None,
            )
            if verb is not None:
                before = {t.i for t in sent if t.i <= pourquoi.i}
                prompt = _question_on(verb, before, "Pourquoi", antecedents)
                if prompt is None:
                    prompt = _possessive_question(verb, before, sent)
                answer = _because(m[1])
                if prompt and len(answer.split()) <= 22:
                    drafts.append(
                        _draft(sent, index, prompt, answer, AnswerType.CAUSE, "cause", 0.6)
                    )
    drafts += _so_that(sent, index, antecedents)
    return drafts


def _so_that(sent: Span, index: int, antecedents: list[realise.Antecedent]) -> list[Draft]:
    """v3.9: « A, si bien que B » → « Pourquoi B ? » → « Parce que A » (the consequence asked,
    its cause the answer, as « c'est pourquoi »). The cause is cut after a colon or a semicolon
    (« … la noria : les divisions sont relevées … »); not when the consequence goes on with
    another clause (« …, et le delta recule »), nor when the cause opens on a possessive
    whose owner the question may not be (« ses goudrons … » for « le fumeur »)."""
    m = re.search(r"^(.+?), si bien que (.+?)\.?$", sent.text)
    if m is None or re.search(r", et |;|:", m[2]):
        return []
    cause = re.split(r"\s*[;:]\s*", m[1])[-1].strip()
    if re.match(r"(?i)(?:son|sa|ses|leur|leurs|celui-ci|celle-ci|il|elle|ils|elles)\b", cause):
        return []
    que = next(
        (
            t
            for t in sent
            if t.lower_ in {"que", "qu'"} and t.i > 0 and sent.doc[t.i - 1].lower_ == "bien"
        ),
        None,
    )
    if que is None:
        return []
    verb = sent.doc[que.i - 2].head  # « si » marks the consequence's verb
    if sent.doc[que.i - 2].lower_ != "si" or verb.pos_ not in {"VERB", "AUX"} or verb.i < que.i:
        return []
    before = {t.i for t in sent if t.i <= que.i}
    prompt = _question_on(verb, before, "Pourquoi", antecedents)
    answer = _because(cause[0].lower() + cause[1:])
    if prompt is None or not 4 <= len(answer.split()) <= 22:
        return []
    kept = set(re.findall(r"\w+", prompt.lower()))
    if not set(re.findall(r"\w+", m[2].lower())) <= kept | {"de", "des", "du", "d", "se", "s"}:
        return []  # « plus des deux tiers des soldats » asked as « les deux tiers »: not the fact
    return [_draft(sent, index, prompt, answer, AnswerType.CAUSE, "cause", 0.6)]


# --- enumerations ----------------------------------------------------------------------------


def _items(first: Token) -> list[Token]:
    items = [first]
    stack = [first]
    while stack:
        t = stack.pop()
        for c in t.children:
            # « le Cher, l'Indre et la Vienne » is often parsed with « l'Indre » as an
            # apposition of « le Cher » that carries the rest of the enumeration
            appos_list = (
                c.dep_ == "appos" and t is first and any(g.dep_ == "conj" for g in c.children)
            )
            if (c.dep_ == "conj" or appos_list) and c.pos_ in {"NOUN", "PROPN"}:
                items.append(c)
                stack.append(c)
    return sorted(items, key=lambda t: t.i)


def object_list(sent: Span, index: int, antecedents: list[realise.Antecedent]) -> list[Draft]:
    """« Le fleuve reçoit le Cher, l'Indre et la Vienne » → « Qu'est-ce que le fleuve
    reçoit … ? » (three items or more)."""
    drafts: list[Draft] = []
    for obj in sent:
        if obj.dep_ != "obj" or obj.pos_ not in {"NOUN", "PROPN"} or obj.head.pos_ != "VERB":
            continue
        items = _items(obj)
        if len(items) < 3:
            continue
        first = obj.left_edge.i
        last = items[-1].right_edge.i
        answer = syntax.tidy(sent.doc[first : last + 1].text)
        if len(answer.split()) > 14 or re.search(r"\b(qui|que|dont)\b|[;:(]", answer):
            continue
        clause = realise.build_clause(obj.head, antecedents)
        if clause is None:
            continue
        remove = set(range(first, last + 1))
        que = "qu'" if _VOWEL.match(clause.subject.text) else "que "
        # « Sur la rive gauche, le fleuve reçoit … »: a fronted complement restricts the
        # enumeration (without it the question has other answers), so it moves after the verb
        fronted = [
            syntax.join(syntax.collect(c, clause.skip | remove))
            for c in clause.top.children
            if c.i < clause.verb_start
            and c.dep_ in {"obl", "obl:mod"}
            and c.i not in clause.skip
            and not realise.is_connector(c)
            and not any(t.like_num and len(t.text) == 4 for t in c.subtree)
        ]
        rest = " ".join(x for x in (clause.rest(remove), *fronted) if x)
        prompt = f"Qu'est-ce {que}{clause.subject.text} {clause.verb_group(False)} {rest}"
        drafts.append(_draft(sent, index, prompt, answer, AnswerType.LIST, "list", 0.6))
    return drafts


#: v3.11: the number words a class noun may announce an enumeration with (« trois familles : »).
_COUNTS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8}
#: The longest item a typed list asks for (a student types each one).
MAX_ITEM_WORDS = 5


def _count(cls: Token) -> int | None:
    """« trois familles » → 3 (the number the class noun announces), else None."""
    for c in cls.children:
        if c.dep_ in {"det", "nummod"} and c.lower_ in _COUNTS:
            return _COUNTS[c.lower_]
    return None


def _enumerated(after: list[Token]) -> list[list[Token]]:  # noqa: PLR0912 - one branch per kind of token
    """v3.11: the items of an enumeration after a colon, each as its leading noun phrase: an item
    opens after the colon, a comma, « et » or « ou » (determiners and adjectives between) on a
    noun, and stops at the first comma, verb or pronoun (« une oreillette en haut, qui reçoit
    le sang, et un ventricule en bas » → « une oreillette en haut », « un ventricule en bas »)."""
    items: list[list[Token]] = []
    current: list[Token] | None = None
    opening: list[Token] = []
    after_sep = True
    for t in after:
        if t.text in {",", ":"} or t.lower_ in {"et", "ou"}:
            if current is not None:
                items.append(current)
                current = None
            opening, after_sep = [], True
            continue
        if t.text in {";", "(", ")"}:
            return []  # a second enumeration or an aside: not one list
        if current is not None:
            if t.text == "-" and not t.nbor(-1).whitespace_:  # « combustion-détente »
                current.append(t)
            elif t.is_punct or t.pos_ in {"VERB", "AUX", "PRON", "SCONJ"}:
                items.append(current)
                current, after_sep = None, False
            else:
                current.append(t)
            continue
        if not after_sep:
            continue
        if t.pos_ in {"DET", "ADJ", "NUM"}:
            opening.append(t)
        elif t.pos_ in {"NOUN", "PROPN"}:
            current = [*opening, t]
        else:
            after_sep = False
    if current is not None:
        items.append(current)
    return items


def _counted_list(
    sent: Span, index: int, antecedents: list[realise.Antecedent], colon: Token
) -> list[Draft]:
    """v3.11: « Le granite réunit trois minéraux visibles à l'œil nu : le quartz, le feldspath et
    le mica. » → « Quels trois minéraux visibles à l'œil nu le granite réunit-il ? »: the class
    noun announces a number, the enumeration after the colon holds exactly that many items (a
    parse that cut or merged one is refused), the question keeps the number (the student knows
    how many to give) and each item is asked as its noun phrase, without its side clauses."""
    before = [t for t in sent if t.i < colon.i]
    after = [t for t in sent if t.i > colon.i]
    counted = [t for t in before if t.pos_ == "NOUN" and _count(t) is not None]
    if not counted:
        return []
    cls = counted[-1]
    items = _enumerated(after)
    if len(items) != _count(cls) or any(len(i) > MAX_ITEM_WORDS for i in items):
        return []
    texts = [_text(i) for i in items]
    answer = f"{', '.join(texts[:-1])} et {texts[-1]}"
    gender = syntax.gender(cls)
    if gender is None:
        return []
    wh = "Quelles" if gender == "Fem" else "Quels"
    cls_np = _text(
        [
            t
            for t in cls.subtree
            if t.i < colon.i
            and t.dep_ not in {"acl:relcl", "appos", "punct"}
            and not (t.dep_ == "det" and t.head is cls)
        ]
    )
    clitics = {t.i for t in before if t.lower_ in {"y", "en"} and t.pos_ == "PRON"}
    verb = cls.head
    # « Pour qu'un feu démarre …, trois éléments doivent être réunis »: a fronted clause or
    # complement restricts the list, so it moves after the verb
    fronted = [
        c
        for c in verb.children
        if c.i < cls.left_edge.i
        and c.dep_ in {"advcl", "obl", "obl:mod"}
        and not realise.is_connector(c)
        and c.i not in clitics
    ]
    moved = {t.i for c in fronted for t in c.subtree}
    tail = " ".join(_text(list(c.subtree)).strip(" ,") for c in fronted)
    if cls.dep_ in {"nsubj", "nsubj:pass"}:
        rest = _text(
            [
                t
                for t in before
                if t.i not in {x.i for x in cls.subtree} | clitics | moved
                and t.i > cls.right_edge.i
                and not (t.is_punct and t.i == colon.i - 1)
            ]
        )
        if re.search(r"\b(il|elle|ils|elles|leur|ce|cet|cette|ces)\b", rest):
            return []  # « ce massif »: which one the question does not say
        prompt = f"{wh} {cls_np} {rest} {tail}"
    elif cls.dep_ == "obj" and verb.pos_ == "VERB":
        # « Quels sont les trois minéraux … que le granite réunit ? » (no inversion to build)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return []
        if subj.lower_ == "on":
            subject = "on"
        else:
            found = realise.find_subject(verb, antecedents)
            if found is None:
                return []
            subject = found.text
        group = [
            c
            for c in verb.children
            if c.i < verb.i
            and c.i > subj.i
            and c.i not in clitics
            and (c.pos_ in {"AUX", "PRON"} or c.lower_ in {"ne", "n'", "pas"})
        ]
        rest = _text(
            [t for t in before if t.i > cls.right_edge.i and t.i not in moved and not t.is_punct]
        )
        que = "qu'" if _VOWEL.match(subject) else "que "
        verbs = syntax.join(sorted([*group, verb], key=lambda t: t.i))
        prompt = f"{wh} sont les {cls_np} {que}{subject} {verbs} {rest} {tail}"
    else:
        return []
    return [_draft(sent, index, prompt, answer, AnswerType.LIST, "list", 0.65)]


def lists(sent: Span, index: int, antecedents: list[realise.Antecedent]) -> list[Draft]:  # noqa: PLR0912 - the guards of one pattern
    """An enumeration after a colon that names its class before it (« trois régions : »);
    v3.11: a counted one first (:func:`_counted_list`)."""
    drafts: list[Draft] = []
    colon = next((t for t in sent if t.text == ":"), None)
    if colon is None:
        return object_list(sent, index, antecedents)
    counted = _counted_list(sent, index, antecedents, colon)
    if counted:
        return counted
    after = [t for t in sent if t.i > colon.i]
    if not after:
        return drafts
    first = next((t for t in after if t.pos_ in {"NOUN", "PROPN"}), None)
    if first is None:
        return drafts
    items = _items(first)
    if len(items) < 2:
        return drafts
    before = [t for t in sent if t.i < colon.i]
    cls = next(
        (
            t
            for t in before
            if t.pos_ == "NOUN"
            and any(c.lower_ in _QUANT and c.dep_ in {"det", "nummod"} for c in t.children)
        ),
        None,
    )
    if cls is None:
        return drafts
    end = after[-1].i if after[-1].is_punct else after[-1].i + 1
    answer = syntax.tidy(sent.doc[after[0].i : end].text)
    if (
        len(answer.split()) > 20
        or ";" in answer
        or re.search(r"\b(qui|que|dont|il|elle)\b", answer)
    ):
        return drafts
    gender = syntax.gender(cls)
    if gender is None:
        return drafts
    wh = "Quelles" if gender == "Fem" else "Quels"
    quant = {
        c.i for c in cls.children if c.lower_ in _QUANT and c.dep_ in {"det", "nummod", "amod"}
    }
    cls_np = _text(
        [
            t
            for t in cls.subtree
            if t.i not in quant and t.i < colon.i and t.dep_ not in {"acl:relcl"}
        ]
    )
    clitic_y = {t.i for t in before if t.lower_ in {"y", "en"} and t.pos_ == "PRON"}
    if cls.dep_ in {"nsubj", "nsubj:pass"}:
        verb = cls.head
        rest = _text(
            [
                t
                for t in before
                if t.i not in {x.i for x in cls.subtree} | clitic_y
                and t.i >= verb.left_edge.i
                and t.i > cls.right_edge.i
            ]
        )
        if re.search(r"\b(il|elle|ils|elles|leur)\b", rest) and "leurs" not in rest:
            return drafts
        prompt = f"{wh} {cls_np} {rest}"
    elif cls.dep_ in {"obj"}:
        clause = realise.build_clause(cls.head, antecedents)
        if clause is None or clause.subject.pronoun is None:
            return drafts
        remove = {t.i for t in cls.subtree} | {t.i for t in after} | {colon.i} | clitic_y
        prompt = (
            f"{wh} {cls_np} {clause.subject.text} {clause.verb_group(True)} {clause.rest(remove)}"
        )
    else:
        return drafts
    drafts.append(_draft(sent, index, prompt, answer, AnswerType.LIST, "list", 0.65))
    return drafts


# --- « Qu'est-ce qui … ? », « Où … ? », works ------------------------------------------------

_DETS = {"le", "la", "les", "l'", "un", "une", "ce", "cet", "cette"}
_HUMAN = lexicon.ROLE_NOUNS | {
    "citoyen",
    "député",
    "gouvernement",
    "juge",
    "maire",
    "peuple",
    "sénat",
}
_VAGUE_NOUNS = {
    "couple",
    "fleuve",
    "pays",
    "ville",
    "région",
    "texte",
    "phénomène",
    "premier",
    "dernier",
    "second",
    "autre",
    "reste",
    "ensemble",
    "plupart",
}
_WHERE = {"dans", "à", "au", "en", "sur", "sous", "vers"}
_WORKS = {
    "recueil": "Masc",
    "ouvrage": "Masc",
    "traité": "Masc",
    "roman": "Masc",
    "livre": "Masc",
    "poème": "Masc",
    "épopée": "Fem",
    "pièce": "Fem",
    "drame": "Masc",
    "œuvre": "Fem",
    "tableau": "Masc",
    "opéra": "Masc",
    "journal": "Masc",
    "manifeste": "Masc",
    "essai": "Masc",
    "récit": "Masc",
    "chef-d'œuvre": "Masc",
    "article": "Masc",
    "symphonie": "Fem",
    "film": "Masc",
    "revue": "Fem",
}


def subject_questions(
    sent: Span, index: int, antecedents: list[realise.Antecedent], subjects: set[str]
) -> list[Draft]:
    """« Le gros intestin récupère l'eau » → « Qu'est-ce qui récupère … ? » (singular common
    noun subjects with a complement; names are asked by the entity patterns)."""
    drafts: list[Draft] = []
    for subj in sent:
        if subj.dep_ != "nsubj" or subj.pos_ != "NOUN" or syntax.plural(subj):
            continue
        verb = subj.head
        if (
            verb.pos_ != "VERB"
            or "Fin" not in verb.morph.get("VerbForm", [])
            or verb.dep_ in {"acl:relcl", "advcl", "ccomp"}
        ):
            continue
        det = next((c for c in subj.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in _DETS - {"ce", "cet", "cette", "un", "une"}:
            continue
        s_toks = [
            t
            for t in subj.subtree
            if t.dep_ not in {"acl:relcl", "appos", "punct"}
            and not any(
                a.dep_ in {"acl:relcl", "appos", "acl"} and t.i in {x.i for x in a.subtree}
                for a in subj.children
            )
        ]
        answer = _text(s_toks)
        if not answer or len(answer.split()) > 6 or fold(answer) in subjects:
            continue
        if (
            any(t.pos_ == "PROPN" or t.ent_type_ for t in subj.subtree)
            or subj.lower_ in _VAGUE_NOUNS
        ):
            continue  # a name is asked by the entity patterns; « le couple »: who?
        if not any(c.dep_ in {"obj", "obl:arg", "xcomp", "ccomp"} for c in verb.children):
            continue
        clause = realise.build_clause(verb, antecedents)
        if clause is None or clause.subject.resolved:
            continue
        rest = clause.rest(set())
        if len(rest.split()) < 2:
            continue
        wh = "Qui" if subj.lower_ in _HUMAN else "Qu'est-ce qui"
        drafts.append(
            _draft(
                sent,
                index,
                f"{wh} {clause.verb_group(False)} {rest}",
                answer,
                AnswerType.CONCEPT,
                "subject",
                0.55,
                _bare(answer),
            )
        )
    return drafts


def where_questions(
    sent: Span, index: int, antecedents: list[realise.Antecedent], subjects: set[str]
) -> list[Draft]:
    """« La bile est stockée dans la vésicule biliaire » → « Où la bile est-elle stockée ? »."""
    drafts: list[Draft] = []
    for obl in sent:
        if obl.dep_ not in {"obl:arg", "obl:mod", "obl"} or obl.pos_ not in {"NOUN", "PROPN"}:
            continue
        case = [c for c in obl.children if c.dep_ == "case"]
        if (
            len(case) != 1
            or case[0].lower_ not in _WHERE
            or case[0].i != obl.left_edge.i
            or any(c.dep_ == "fixed" for c in case[0].children)
        ):
            continue
        if obl.lower_ in {
            "cours",
            "fin",
            "début",
            "milieu",
            "moment",
            "temps",
            "époque",
            "siècle",
            "année",
            "an",
            "mois",
            "jour",
            "cas",
            "total",
            "règne",
            "contraire",
            "lendemain",
            "veille",
            "lors",
            "sein",
            "cadre",
            "lieu",
            "effet",
            "fait",
            "outre",
            "vide",
        }:
            continue
        if any(
            c.dep_ == "obj" and any(x.dep_ == "conj" for x in c.children)
            for c in obl.head.children
        ):
            continue  # « reçoit le Cher, l'Indre et la Vienne »: the list is the fact
        if (
            obl.pos_ == "NOUN"
            and not any(c.dep_ == "det" for c in obl.children)
            and case[0].lower_ not in {"au"}
        ):
            continue
        verb = obl.head
        if verb.pos_ != "VERB":
            continue
        if any(
            c.dep_ in {"obl:arg", "obl:mod", "obl"}
            and c is not obl
            and c.i > verb.i
            and any(x.lower_ in _WHERE for x in c.children if x.dep_ == "case")
            for c in verb.children
        ):
            continue  # two places: which one is asked?
        phrase = _text(list(obl.subtree))
        if (
            len(phrase.split()) > 7
            or re.search(r"\d", phrase)
            or fold(checker_strip(phrase)) in subjects
        ):
            continue
        remove = {t.i for t in obl.subtree}
        prompt = _question_on(verb, remove, "Où", antecedents)
        if prompt is None or "est-ce que" in prompt:
            continue
        bare = checker_strip(phrase.split(" ", 1)[1] if " " in phrase else phrase)
        drafts.append(
            _draft(
                sent,
                index,
                prompt,
                phrase,
                AnswerType.PLACE,
                "where",
                0.55,
                (phrase.split(" ", 1)[1],) if " " in phrase else (),
            )
        )
        del bare
    return drafts


def checker_strip(text: str) -> str:
    low = text.lower()
    for art in ("dans ", "à ", "au ", "en ", "sur ", "sous ", "vers ", "le ", "la ", "les ", "l'"):
        if low.startswith(art):
            return text[len(art) :]
    return text


def works(sent: Span, index: int, antecedents: list[realise.Antecedent]) -> list[Draft]:
    """« Virgile compose « L'Énéide », une épopée … » → « Quelle épopée Virgile compose-t-il …
    ? »; « dans son recueil « Les Regrets » » → « Dans quel recueil … ? »."""
    drafts: list[Draft] = []
    text = sent.text
    for m in re.finditer(r"«\s*([A-ZÀ-ÝŒ][^«»]{1,60}?)\s*»", text):
        title = m[1].strip()
        start_char = sent.start_char + m.start(1)
        toks = [t for t in sent if t.idx >= start_char and t.idx < sent.start_char + m.end(1)]
        if not toks:
            continue
        head = next((t for t in toks if t.head.i < toks[0].i or t.head.i > toks[-1].i), toks[0])
        before = sent.doc[toks[0].i - 2] if toks[0].i - 2 >= sent.start else None
        noun: str | None = None
        if before is not None and before.lower_ in _WORKS:
            noun = before.lower_
            anchor = before
        else:
            app = next(
                (c for c in head.children if c.dep_ == "appos" and c.lower_ in _WORKS), None
            )
            if app is None:
                nxt = sent.doc[toks[-1].i + 2 : toks[-1].i + 5]
                app = next((t for t in nxt if t.lower_ in _WORKS), None)
                if app is None or sent.doc[toks[-1].i + 2].text != ",":
                    app = None
            if app is None:
                continue
            noun = app.lower_
            anchor = head
        gender = _WORKS[noun]
        wh = "Quelle" if gender == "Fem" else "Quel"
        verb = anchor.head
        prep = ""
        case = next((c for c in anchor.children if c.dep_ == "case"), None)
        if case is not None:
            prep = case.lower_
            verb = anchor.head
        hops = 0
        while verb.pos_ not in {"VERB", "AUX"} and hops < 2:
            verb, hops = verb.head, hops + 1
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        remove = {t.i for t in anchor.subtree} | {t.i for t in toks}
        wh_phrase = f"{prep.capitalize() + ' ' if prep else ''}{wh.lower() if prep else wh} {noun}"
        prompt = _question_on(verb, remove, wh_phrase, antecedents)
        if prompt is None:
            continue
        drafts.append(
            _draft(sent, index, prompt, title, AnswerType.TITLE, "work", 0.6, _bare(title))
        )
    return drafts


_DEMONSTRATIVES = frozenset({"ce", "cet", "cette"})
#: « Cette institution » stands for an organisation of the sentence before, « ce savant »
#: for a person.
_ORG_NOUNS = frozenset({"institution", "organisation", "organisme", "assemblée", "instance"})


def _whole_name(cand: Candidate, where: Span) -> str:
    """« le {Conseil} constitutionnel »: the candidate with the adjectives that follow it."""
    doc = where.doc
    end = cand.end
    while end < where.end and doc[end].pos_ == "ADJ" and cand.start <= doc[end].head.i < end:
        end += 1
    if end == cand.end:
        return cand.text
    return f"{cand.text} {doc[cand.end : end].text}"


def demonstrative_subject(
    sent: Span,
    index: int,
    before: Sequence[Candidate],
    subjects: set[str],
    previous: Span | None = None,
) -> list[Draft]:
    """« Enfin, la Constitution crée le Conseil constitutionnel. Cette institution, composée de
    neuf membres …, vérifie que les lois respectent la Constitution. » → « Quelle institution
    vérifie que les lois respectent la Constitution ? » → « le Conseil constitutionnel »: a
    demonstrative subject names the one organisation (or person) of the sentence before."""
    if len(sent) < 5 or sent[0].lower_ not in _DEMONSTRATIVES:
        return []
    noun = sent[1]
    if noun.pos_ != "NOUN" or not noun.dep_.startswith("nsubj"):
        return []
    verb = noun.head
    if verb.pos_ not in {"VERB", "AUX"} or "Fin" not in verb.morph.get("VerbForm", []):
        cop = next((c for c in verb.children if c.dep_ == "cop"), None)
        if cop is None:
            return []
    lemma = noun.lemma_.lower()
    if lemma in _ORG_NOUNS:
        wanted = {AnswerType.ORG}
        wh = f"Quel{'le' if syntax.gender(noun) == 'Fem' else ''} {noun.text.lower()}"
    elif lemma in _HUMAN:
        wanted = {AnswerType.PERSON}
        wh = "Qui"
    else:
        return []
    found = [c for c in before if c.type in wanted and fold(c.text) not in subjects]
    if len({c.value for c in found}) != 1:
        return []  # nobody or several: the demonstrative cannot be resolved
    # the words after the subject's phrase (its remarks between commas left out)
    subject_ids = {t.i for t in noun.subtree} | {sent[0].i}
    rest = [
        t
        for t in sent
        if t.i not in subject_ids
        and t.i > noun.i
        and not (t.head is verb and t.dep_ == "advmod" and realise.is_connector(t))
    ]
    while rest and rest[0].is_punct:
        rest = rest[1:]
    text = syntax.tidy(syntax.join(rest)).rstrip(" .")
    if (
        not rest
        or rest[0].i > verb.i
        or len(text.split()) < 3
        or re.search(r"\b(il|elle|ils|elles|y|en|lui|leur)\b|[;:]", text)
    ):
        return []
    answer = found[0].text if previous is None else _whole_name(found[0], previous)
    return [_draft(sent, index, f"{wh} {text}", answer, found[0].type, "subject", 0.6)]


def run_patterns(makers: list[Callable[[], list[Draft]]]) -> list[Draft]:
    """The drafts of each pattern of one sentence; a pattern the parse trips up (an odd
    tree) gives nothing, the others still run."""
    found: list[Draft] = []
    for make in makers:
        try:
            found.extend(make())
        except (IndexError, ValueError):
            continue
    return found


def drafts_for(
    sent: Span, index: int, antecedents: list[realise.Antecedent], subjects: set[str]
) -> list[Draft]:
    """Every enriched draft of one sentence."""
    makers: list[Callable[[], list[Draft]]] = [
        lambda: named(sent, index, subjects),
        lambda: apposition(sent, index, subjects),
        lambda: definitions(sent, index, subjects),
        lambda: restatements(sent, index, subjects),
        lambda: causes(sent, index, antecedents),
        lambda: lists(sent, index, antecedents),
        lambda: subject_questions(sent, index, antecedents, subjects),
        lambda: where_questions(sent, index, antecedents, subjects),
        lambda: works(sent, index, antecedents),
    ]
    return run_patterns(makers)
