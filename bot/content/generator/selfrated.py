"""v3.8: self-rated cards (``QuestionKind.SELF_RATED``) for what string matching cannot grade.

A cause, a process and a definition are a clause or a description: asked as a multiple choice,
their options were other clauses of the text (rated « weak » by every reader); asked as an open
question, no student types them word for word. A self-rated card shows the whole answer and
the student says whether they knew it (as in Anki): no distractor, no ``accept``.

- **Causes** (« Pourquoi … ? ») are the drafts of ``enrich.causes`` (pattern ``cause``): the
  card's answer is the complete cause (« Parce qu'il renferme de l'acide chlorhydrique. »).
- **Definitions** (« Qu'est-ce que X ? ») are the copula definitions of ``explain`` and
  ``enrich.definitions`` (pattern ``definition-choice``), and the terms the text names
  (« … appelés villosités », « On appelle X … », appositions: patterns ``named``,
  ``definition``, ``apposition``), asked the other way round: the term in the prompt, its
  description as the answer (« Que désigne le mot « amylase » ? » → « L'enzyme qui … »).
- **Processes** (« Comment … ? ») are the manner gerunds of a clause (« Pasteur met au point
  des vaccins en affaiblissant les microbes … » → « Comment Pasteur met-il au point des
  vaccins ? » → « En affaiblissant les microbes … »), with their « puis en … » steps.

Each card goes through the same checks as any question (``checker.check``: well formed,
reads alone, not broken) and one item per fact (``pipeline.one_per_fact``).
"""

from __future__ import annotations

import copy
import itertools
import re
from typing import TYPE_CHECKING

from bot.content.generator import checker, enrich, forms, realise
from bot.content.generator.model import AnswerType, Draft
from bot.content.generator.rank import fold

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: The longest answer a card shows (``bot.content.deckfile.MAX_REVEALED_CHARS`` is 600): a
#: card is read at a glance.
MAX_ANSWER_CHARS = 300
#: Patterns turned into cards, by ``Draft.pattern``.
CAUSE_PATTERNS = frozenset({"cause"})
DEFINITION_PATTERNS = frozenset({"definition-choice"})
#: (``apposition`` is left out: its one draft on the 48 texts was a misparse, « Que désigne le
#: mot « île » ? » → « Un quartier de négociants … »)
NAMED_PATTERNS = frozenset({"named", "definition"})
#: A description shorter than this is a restatement, not a definition (« La cloison
#: étanche. », « L'affrontement resté célèbre. », « La réaction chimique. »).
MIN_DESCRIPTION_WORDS = 4
PROCESS_PATTERN = "process"

#: A possessive or a demonstrative whose owner the card does not give (« leurs dangers »,
#: « c'est ce jour-là »): the answer would not read alone.
_DANGLING = re.compile(
    r"\b(?:leur|leurs|lui|eux|celui-ci|celle-ci|ceux-ci|celles-ci|cela|ceci|ce jour-là|c'est ce)\b"
    r"|^(?:parce que|parce qu'|en)\s*(?:c'|ce |cet |cette |ces )",
    re.IGNORECASE,
)
#: A description that ranks or contrasts rather than defines (« la principale cause de … »,
#: « l'ennemi principal des poumons », « le phénomène inverse », « aussi un axe … »): what the
#: text says of the term, not what the term is.
_NOT_A_DEFINITION = re.compile(
    r"\b(?:principale?s?|premi(?:er|ère)s?|seule?s?|inverse|aussi|également|surtout"
    r"|au contraire|notamment|(?:le|la|les|l') ?(?:plus|moins))\b"
    # v3.13: a superlative ranks (« le plus grand désert »); a comparative describes
    # (« des champs plus vastes »)
    r"|^(?:plus|moins)\b",
    re.IGNORECASE,
)
#: A term worth asking: one to four words, letters only (no « l' » left alone, no « ce … »).
_TERM = re.compile(r"^[A-Za-zÀ-ÿœŒ'’-]+(?: [A-Za-zÀ-ÿœŒ'’-]+){0,3}$")
_VOWEL = re.compile(r"^[aeiouyhàâéèêëîïôûùœ]", re.IGNORECASE)


def card_text(answer: str) -> str:
    """« parce qu'il renferme … » → « Parce qu'il renferme …. » (a sentence, as shown)."""
    text = " ".join(answer.split()).strip(" ,;:")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "»")) else f"{text}."


#: The subject pronoun of an inverted question (« … est-il … ? ») and the words an answer may
#: open with that stand for that subject (« Parce qu'il renferme … », « Parce que ses murs … »).
_SAME_SUBJECT = {
    "il": ("il", "son", "sa", "ses"),
    "elle": ("elle", "son", "sa", "ses"),
    "ils": ("ils", "leur", "leurs"),
    "elles": ("elles", "leur", "leurs"),
}


def _why_not(answer: str, prompt: str = "") -> str | None:
    """Why an answer cannot be shown on a card (None when it can). A leading pronoun or
    possessive is read as the question's subject when the question is inverted on a pronoun
    of the same person (« Pourquoi le suc gastrique est-il … ? » → « Parce qu'il … »)."""
    if len(answer) > MAX_ANSWER_CHARS:
        return "réponse trop longue pour une carte"
    clause = answer.removeprefix("parce que ").removeprefix("parce qu'")
    first = clause.split(" ", 1)[0].lower()
    inverted = re.search(r"-(?:t-)?(il|elle|ils|elles)\b", prompt)
    if inverted and first in _SAME_SUBJECT[inverted[1]]:
        clause = clause.split(" ", 1)[1] if " " in clause else ""
        answer = answer.replace(f" {first} ", " ", 1)
    if _DANGLING.search(answer):
        return "réponse avec un possessif ou un démonstratif sans référent"
    if checker.vague(clause):
        return "réponse vague"
    if re.search(r"[;:]", answer):
        return "réponse de deux propositions"
    return None


#: v3.13: « une perte d'électrons et la réduction un gain … »: a second subject whose verb is
#: left out (the definition of another term); not « … en un lieu et à un moment … ».
_GAPPED = re.compile(
    r"\bet (?:le |la |les |l')?(?!(?:à|de|en|par|pour|dans|sur|avec)\b)[\w-]{3,} (?:un|une)\b"
)


def _is_definition(description: str) -> bool:
    words = description.split()
    return (
        2 <= len(words) <= 30
        and not _NOT_A_DEFINITION.search(description)
        and not re.search(r"[;:]", description)
        and not re.search(r"\b(?:il|elle|ils|elles|lui|eux)\b", description.lower())
        # « ceux qui y ramènent »: a clitic standing for something the card does not name
        and not re.search(
            r"\b(?:y|en) (?:ne |n')?[a-zà-ÿ]+(?:e|es|ent|ont|a|ait|aient)\b", description
        )
        and ", et " not in description
        and not _GAPPED.search(description)
        # « une vaste étendue de dunes, reg une plaine … »: an enumeration of terms
        and not re.search(
            r", (?!(?:de|du|des|à|au|aux|en|par|pour|avec|dans|sur|sans|entre)\b)[a-zà-ÿ]+"
            r" (?:un|une|le|la|les|des) ",
            description,
        )
    )


#: v3.9: what the text says of a term, not what it is (judged on the rated cards: « Un enjeu
#: économique important », « Un axe de communication majeur … », « L'œuvre de Jules César »).
_EVALUATION = re.compile(
    r"\b(?:importante?s?|majeure?s?|essentiel(?:le)?s?|célèbres?|fondamenta(?:le?s?|ux)"
    r"|considérables?|décisi(?:f|ve)s?|remarquables?|exceptionnel(?:le)?s?"
    r"|immenses?|énormes?|enjeu|œuvre|symbole|exemple|rôle)\b",
    re.IGNORECASE,
)
#: A copula in the past or reported by someone (« le catholicisme était la religion du
#: royaume », « Lavoisier montra que l'air est un mélange … »): true then, or a finding.
_NOT_NOW = re.compile(r"\b(?:était|étaient|fut|furent)\b")
_REPORTED = "définition rapportée"
_PREPOSITIONS = r"(?:de|du|des|d'|à|au|aux|contre|pour|par|sur|sous|entre|avec|dans|en)"


def refused_definition(term: str, description: str, source: str, title: str = "") -> str | None:
    """v3.9: why a definition card (term → description) is not a real definition, or None.

    - an evaluation or a single trait (« important », « majeur », « l'œuvre de … »);
    - a term that is not a noun phrase the text defines: a word after a determiner inside it
      (« cycle de l'eau l'ensemble »), or a complement (« la conquête du reste du pays »,
      « la lutte contre la corrosion ») unless the title names it (« la Constitution de la Ve
      République »);
    - a definition true only then or reported (« était », « fut », « montra que … est »);
    - a definition cut from its subject: « Les deux premiers siècles de l'Empire forment une
      longue période de paix, appelée la Pax Romana » gives « La longue période de paix »."""
    if _EVALUATION.search(description):
        return "une évaluation, pas une définition"
    bare = checker.strip_article(term)
    words = re.sub(r"\b([dl])'", r"\1' ", bare.lower()).split()
    if any(
        w in {"l'", "le", "la", "les", "un", "une", "des"}
        and not re.fullmatch(_PREPOSITIONS, words[i - 1])
        for i, w in enumerate(words)
        if i > 0
    ):
        return "terme coupé"
    complement = re.search(
        r"\b(?:du|des|au|aux|(?:de|à|contre|pour|par|sur|sous|entre|avec|dans) (?:la|le|les|l'))\b"
        r"|\b(?:de|à|contre|pour|par|sur|sous|entre|avec|dans) l'",
        bare.lower(),
    )
    if complement and fold(bare) not in fold(title):
        return "terme qui n'est pas une notion définie"
    folded, core = fold(source), fold(checker.strip_article(description.rstrip(" .")))
    at = folded.find(core)
    before = folded[:at] if at >= 0 else ""
    if _NOT_NOW.search(source) and re.search(rf"\b{re.escape(fold(bare))}\b", folded):
        clause = re.search(rf"{re.escape(fold(bare))} (?:etait|etaient|fut|furent)\b", folded)
        if clause:
            return "définition au passé"
    if re.search(
        rf"\bque (?:l'|le |la |les |un |une )?{re.escape(fold(bare))} (?:est|sont)\b", folded
    ):
        return _REPORTED
    if at > 0:
        words = re.findall(r"[a-z'-]+", before)
        last = [w for w in words if w not in {"un", "une", "le", "la", "les", "l'", "des"}][-1:]
        if (
            last
            and last[0] != fold(bare).split()[-1]
            and re.search(r"(?:ent|ont|ait|aient|it|a)$", last[0])
            and last[0]
            not in {
                "est",
                "sont",
                "etait",
                "appelait",
                "appelle",
                "designe",
                "comme",
            }
            and not re.match(rf"^{_PREPOSITIONS}$", last[0])
        ):
            return "définition coupée de son sujet"
    return None


def _card(d: Draft, prompt: str, answer: str, pattern: str) -> Draft:
    d.prompt = prompt
    d.answer = card_text(answer)
    d.value = fold(d.answer)
    d.accept = ()
    d.distractors = ()
    d.self_rated = True
    d.pattern = pattern
    return d


def _card_draft(
    sent: Span, index: int, prompt: str, answer: str, type_: AnswerType, pattern: str
) -> Draft:
    """A self-rated card drafted from a sentence: the answer shown as a sentence."""
    draft = enrich._draft(sent, index, prompt, answer, type_, pattern, 0.6)
    draft.answer = card_text(answer)
    draft.value = fold(draft.answer)
    draft.self_rated = True
    return draft


def _what_is(term: str) -> str:
    """« la digestion » → « Qu'est-ce que la digestion ? », « amylase » → « Que désigne le mot
    « amylase » ? » (a bare term has no article to ask it with)."""
    low = term.lower()
    if low.startswith(("les ", "des ")):
        return f"Que sont {term} ?"
    if low.startswith(("le ", "la ", "l'", "un ", "une ")):
        return f"Qu'est-ce qu'{term} ?" if _VOWEL.match(term) else f"Qu'est-ce que {term} ?"
    return f"Que désigne le mot « {term} » ?"


def convert(  # noqa: PLR0912 - one branch per kind of card
    drafts: list[Draft], title: str = "", off: frozenset[str] = forms.OFF
) -> list[Draft]:
    """The drafts with causes and definitions made into cards; a cause whose answer cannot be
    shown is dropped (its multiple choice was off from v3.3 to v3.9: its options were the weak
    part). v3.11: a cause becomes a card only while the card's form is on (``off``: the forms
    turned off, ``forms.OFF``); otherwise it stays the multiple choice it was drafted as, whose
    form has its own record (v3.10 turned « self_rated pourquoi » off, 27/50, and « choice
    pourquoi » back on, 33/44, so a cause was written in neither form);
    a definition that is no definition stays as it was (its choice form has its own record).
    v3.9: a definition :func:`refused_definition` refuses is dropped, but for a reported one
    (« Lavoisier montra que l'air est … »: its two choices were A by both readers)."""
    out: list[Draft] = []
    defined = {
        (d.sentence, fold(checker.strip_article(d.prompt.removeprefix("Qu'est-ce que "))))
        for d in drafts
        if d.pattern in DEFINITION_PATTERNS
    }
    for d in drafts:
        if d.cloze or d.true_false:
            out.append(d)
        elif d.pattern in CAUSE_PATTERNS and d.type is AnswerType.CAUSE:
            if _why_not(d.answer, d.prompt) is None:
                card = _card(copy.copy(d), d.prompt, d.answer, "cause-card")
                out.append(d if forms.draft_form(card) in off else card)
        elif d.pattern in DEFINITION_PATTERNS:
            term = d.prompt.removeprefix("Qu'est-ce que ").removeprefix("Qu'est-ce qu'")
            why = refused_definition(term.rstrip(" ?"), d.answer, d.source, title)
            if why is not None:
                if why == _REPORTED:
                    out.append(d)
            elif _is_definition(d.answer) and _why_not(d.answer) is None:
                d.type = AnswerType.CONCEPT
                prompt = re.sub(r"^Qu'est-ce que (les|des) ", r"Que sont \1 ", d.prompt)
                out.append(_card(d, prompt, d.answer, "definition-card"))
            else:
                out.append(d)
        elif d.pattern in NAMED_PATTERNS and d.prompt.startswith("Comment appelle-t-on "):
            description = d.prompt.removeprefix("Comment appelle-t-on ").rstrip(" ?").strip()
            term = d.answer.strip(" ,")
            if (
                _TERM.match(term)
                and not term.lower().startswith(("ce ", "cet ", "cette ", "ces "))
                and len(checker.strip_article(term)) > 2
                and not _NOT_A_DEFINITION.search(term)
                and len(description.split()) >= MIN_DESCRIPTION_WORDS
                and _is_definition(description)
                and _why_not(description) is None
                and (d.sentence, fold(checker.strip_article(term))) not in defined
                and refused_definition(term, description, d.source, title) is None
            ):
                d.type = AnswerType.CONCEPT
                out.append(_card(d, _what_is(term), description, "named-card"))
            else:
                out.append(d)
        else:
            out.append(d)
    return out


# --- processes --------------------------------------------------------------------------------


def processes(sent: Span, index: int, antecedents: list[realise.Antecedent]) -> list[Draft]:
    """« X fait Y en V-ant …(, puis en V-ant …) » → « Comment X fait-il Y ? » → « En V-ant … »."""
    drafts: list[Draft] = []
    for tok in sent:
        if not (
            tok.pos_ == "VERB"
            and tok.dep_ == "advcl"
            and "Part" in tok.morph.get("VerbForm", [])
            and "Pres" in tok.morph.get("Tense", [])
        ):
            continue
        en = tok.doc[tok.left_edge.i] if tok.left_edge.i >= sent.start else None
        if en is None or en.lower_ != "en" or en.i >= tok.i:
            continue
        main = tok.head
        if main.pos_ not in {"VERB", "AUX"} or main.i > en.i:
            continue  # the gerund before its verb: a circumstance, not how it is done
        if "Fin" not in realise.top_verb(main).morph.get("VerbForm", []):
            continue
        steps = list(tok.subtree)
        # « en comptant …, puis en divisant … »: the following steps belong to the answer
        for conj in (c for c in tok.children if c.dep_ == "conj"):
            steps += [t for t in conj.subtree if t not in steps]
        steps = sorted({t.i: t for t in steps}.values(), key=lambda t: t.i)
        while steps and steps[-1].is_punct:
            steps.pop()
        if not steps or any(t.text in {";", ":"} for t in steps):
            continue
        remove = {t.i for t in steps}
        # a comma left before the gerund belongs to it
        if en.i - 1 >= sent.start and tok.doc[en.i - 1].text == ",":
            remove.add(en.i - 1)
        prompt = enrich._question_on(main, remove, "Comment", antecedents)
        answer = enrich._text(steps)
        if (
            prompt is None
            or "," in prompt
            or not answer.lower().startswith("en ")
            or not 3 <= len(answer.split()) <= 35
            or _why_not(answer, prompt) is not None
        ):
            continue
        drafts.append(
            _card_draft(sent, index, prompt, answer, AnswerType.PROCESS, PROCESS_PATTERN)
        )
    return drafts


# --- v3.11: « X, c'est-à-dire Y » ---------------------------------------------------------------

RESTATED_PATTERN = "that-is-card"
_THAT_IS = re.compile(r",\s*c'est-à-dire\s+", re.IGNORECASE)
#: The determiner a term is asked with, from the one it has in the sentence (« du système
#: immunitaire » → « le système immunitaire », « Ce krach » → « le krach », « des oppida » →
#: « les oppida »); None: the term is not asked (no determiner, « en écriture spéculaire »).
_TERM_DET = {
    "le": "le",
    "la": "la",
    "l'": "l'",
    "les": "les",
    "un": "un",
    "une": "une",
    "du": "le",
    "des": "les",
    "au": "le",
    "aux": "les",
    "ce": "le",
    "cet": "l'",
    "cette": "la",
    "ces": "les",
    "son": None,
    "sa": "la",
    "ses": "les",
    "leur": None,
    "leurs": "les",
}
#: What a definition may open with once « de » is taken off (« de l'ensemble des … »).
_DEF_OPENING = re.compile(r"^(?:d'|de |du |des )?(?:un|une|le|la|les|l'|des|de|du|d')\b", re.I)


def _asked_term(tokens: list[Token]) -> str | None:
    """« du système immunitaire » → « le système immunitaire »; None when the noun phrase has
    no determiner to ask it with, or its owner is elided (« son bassin » of what gender?)."""
    words = [t.text for t in tokens]
    if len(words) < 2:
        return None
    first = words[0].lower()
    # « de la », « de l' », « à la »: the preposition goes, the article stays
    if (first in {"de", "à", "d'"} or tokens[0].pos_ == "ADP") and words[1].lower() in {
        "la",
        "l'",
        "les",
        "un",
        "une",
    }:
        words, first = words[1:], words[1].lower()
    elif first in {"de", "d'"} and "Plur" in tokens[1].morph.get("Number", []):
        words, first = ["les", *words[1:]], "les"  # « d'hydrocarbures » → « les hydrocarbures »
    det = _TERM_DET.get(first, "")
    if det == "" or det is None:
        if (
            first == "son"
            and tokens[1].pos_ == "NOUN"
            and "Masc" in tokens[1].morph.get("Gender", [])
        ):
            det = "le"
        else:
            return None
    rest = " ".join(words[1:]).replace(" ' ", "'").replace("' ", "'")
    if det in {"le", "la"} and _VOWEL.match(rest):
        det = "l'"
    if det == "l'":
        return f"l'{rest}"
    return f"{det} {rest}"


def _definition_tokens(sent: Span, start: Token, head: Token) -> list[Token]:
    """The definition after « c'est-à-dire »: the noun phrase of ``head`` up to a colon or a
    semicolon, or a comma that closes it (the sentence goes on: « …, prennent … ») or opens a
    side clause (« un homme condamné aux travaux forcés, qui avait volé un pain »: what the
    character did, not what a « forçat » is); a phrase the parse cut short (« l'ensemble des
    terres dont les eaux ») runs on to the next punctuation."""
    inside = {t.i for t in head.subtree}
    toks: list[Token] = []
    i = start.i
    while i < sent.end:
        t = sent.doc[i]
        if t.text in {":", ";", ".", "(", "!", "?"}:
            break
        if t.text == ",":
            nxt = sent.doc[i + 1] if i + 1 < sent.end else None
            if (
                nxt is None
                or nxt.i not in inside
                or "Rel" in nxt.morph.get("PronType", [])
                or nxt.pos_ in {"VERB", "AUX"}  # « …, ruine des milliers … »: the main verb
            ):
                segment = []
                for x in sent.doc[i + 1 : sent.end]:
                    if x.is_punct:
                        break
                    segment.append(x)
                if (
                    nxt is not None
                    and (nxt.pos_ in {"ADP", "DET"} or nxt.lower_ in {"de", "d'"})
                    and any(x.pos_ == "CCONJ" for x in segment)
                ):
                    return []  # « le droit de croire, de ne pas croire ou de … »: a list goes on
                break
        if t.i > head.right_edge.i and t.is_punct:
            break
        toks.append(t)
        i += 1
    return toks


def restated(sent: Span, index: int, title: str = "") -> list[Draft]:  # noqa: PLR0912 - the guards of one pattern
    """v3.11: « Celle-ci organisait un marché commun, c'est-à-dire un espace où les marchandises
    circulent sans droits de douane. » → « Qu'est-ce qu'un marché commun ? » → « Un espace où
    les marchandises circulent sans droits de douane. »: the text restates a term it uses with
    « c'est-à-dire » followed by a noun phrase (a definition; not an adjective, « c'est-à-dire
    chaud et humide », nor a clause, « c'est-à-dire qu'elle … »). The term is the noun phrase
    before the comma, asked with a definite or indefinite article; the definition is the noun
    phrase after « c'est-à-dire », up to where it ends in the parse (« …, prennent … » is the
    sentence going on)."""
    drafts: list[Draft] = []
    for m in _THAT_IS.finditer(sent.text):
        comma = sent.start_char + m.start()
        opening = sent.start_char + m.end()
        before = [t for t in sent if t.idx + len(t.text) <= comma]
        after = [t for t in sent if t.idx >= opening]
        if not before or not after:
            continue
        last = before[-1]
        head = next(
            (
                t
                for t in reversed(before)
                if t.pos_ in {"NOUN", "PROPN"} and t.left_edge.i <= last.i
            ),
            None,
        )
        if head is None or last.i - head.i > 3:
            continue
        # the noun phrase opens at its determiner (« des pictogrammes », not the clause a
        # misparse hangs on it: « Les premiers signes étaient des pictogrammes »)
        start = head.i
        while start > sent.start and head.i - start < 4:
            prev = sent.doc[start - 1]
            if prev.is_punct or prev.pos_ in {"VERB", "AUX", "PRON", "SCONJ", "CCONJ"}:
                break
            start -= 1
            if prev.pos_ == "DET" or prev.lower_ in {"du", "des", "au", "aux"}:
                if start > sent.start and sent.doc[start - 1].lower_ in {"de", "d'", "à"}:
                    start -= 1
                break
        term_toks = [t for t in sent.doc[start : last.i + 1] if t.dep_ != "acl:relcl"]
        if any(t.is_punct for t in term_toks) or (
            start - 1 > sent.start
            and sent.doc[start - 1].text == ","
            and sent.doc[start - 2].pos_ in {"NOUN", "PROPN"}
        ):
            continue  # « les femmes, les métèques »: the noun phrase before is a list
        term = _asked_term(term_toks)
        if term is None or not _TERM.match(checker.strip_article(term)):
            continue
        if _NOT_A_DEFINITION.search(term) or len(checker.strip_article(term)) <= 2:
            continue
        def_head = next((t for t in after if t.pos_ in {"NOUN", "PROPN"}), None)
        if def_head is None or def_head.i - after[0].i > 3:
            continue
        toks = _definition_tokens(sent, after[0], def_head)
        description = enrich._text(toks)
        if not _DEF_OPENING.match(description):
            continue
        description = re.sub(r"^(?:de |d')(?=(?:un|une|le|la|les|l'|des)\b)", "", description)
        description = re.sub(r"^du ", "le ", description)
        if toks[0].lower_ in {"de", "d'"} and len(toks) > 1 and toks[1].pos_ == "NOUN":
            # « de molécules formées … » → « des molécules formées … »
            description = re.sub(r"^(?:de |d')", "des ", description)
        if (
            not _is_definition(description)
            or _why_not(description) is not None
            or refused_definition(term, description, sent.text, title) is not None
            or fold(checker.strip_article(term)) in fold(description)
        ):
            continue
        drafts.append(
            _card_draft(
                sent, index, _what_is(term), description, AnswerType.CONCEPT, RESTATED_PATTERN
            )
        )
    return drafts


# --- v3.13: « T, un N …, » ------------------------------------------------------------------

APPOSITION_PATTERN = "apposition-card"
#: « Le mistral, un vent froid …, s'engouffre … »: a term opening the sentence, a description
#: between commas, then the sentence's verb.
_SUBJECT_APPOSITION = re.compile(
    r"^(?P<term>(?:Le |La |Les |L')[\wÀ-ÿœ'-]+(?: [\wÀ-ÿœ'-]+){0,2}), "
    r"(?P<what>(?:un|une|des|de|d') ?[^,;:()«»]{6,140}?), (?=\S)"
)
#: « … s'étend le Bouclier canadien, un plateau de roches …. »: a description that closes the
#: sentence after the noun phrase it describes.
_CLOSING_APPOSITION = re.compile(r", (?P<what>(?:un|une) [^,;:()«»]{6,140})\.$")


def _described(sent: Span, term_toks: list[Token]) -> bool:
    """The term is a noun phrase of common nouns or a place, not a person (« le capitaine
    Dreyfus »), not a noun phrase with a verb or a pronoun in it, and not the end of a name
    the noun phrase cut (« Notre-Dame de {Paris} », « le Hameau de {la Reine} »)."""
    if not term_toks:
        return False
    first = term_toks[0]
    before = sent.doc[first.i - 1] if first.i > sent.start else None
    if (
        before is not None
        and before.lower_ in {"de", "d'", "du", "des"}
        and first.i - 1 > sent.start
    ):
        before = sent.doc[first.i - 2]
    return not (
        any(
            t.ent_type_ == "PER"
            or t.pos_ in {"VERB", "AUX", "PRON", "NUM"}
            or t.lemma_.lower() in enrich._HUMAN
            for t in term_toks
        )
        or any(  # « le capitaine Dreyfus », « le général de Gaulle »: a person
            a.pos_ == "NOUN" and b.pos_ == "PROPN" for a, b in itertools.pairwise(term_toks)
        )
        or (before is not None and before.pos_ == "PROPN")
        or (before is not None and before.text[:1].isupper() and before.i > sent.start)
    )


#: « un parachute, un char d'assaut ou encore un scaphandre », « une vacuole … et des
#: chloroplastes »: an enumeration, not a description.
_ENUMERATION = re.compile(r"\b(?:et|ou(?: encore)?) (?:un|une|des|le|la|les|l')\b", re.IGNORECASE)


def _apposed(sent: Span, comma: int) -> bool:
    """The noun phrase after ``comma`` is not the subject of a clause that starts there
    (« À la sortie de la centrale, un transformateur élève la tension … »)."""
    head = next((t for t in sent if t.idx > comma and t.pos_ in {"NOUN", "PROPN", "PRON"}), None)
    if head is None or head.pos_ == "PRON":
        return False
    return not (head.dep_ in {"nsubj", "nsubj:pass"} and head.head.i > head.i)


def _governed(sent: Span, start: int) -> bool:
    """The noun phrase starting at ``start`` is a complement that the description after it
    may not be about: after a preposition (« sur la BBC, un appel … », « pour l'orge, une tête
    de bœuf … »), or after « de » that completes a noun (« autour d'un noyau de fer doux, un
    fil … »); « par » (an agent) and « de » after a verb (« s'emparent de la Bastille ») are
    not."""
    if start <= sent.start:
        return False
    prev = sent.doc[start - 1]
    if prev.pos_ != "ADP" and prev.lower_ not in {"de", "d'", "du", "des", "au", "aux"}:
        return False
    if prev.lower_ == "par":
        return False
    if prev.lower_ in {"de", "d'", "du", "des"} and start - 1 > sent.start:
        return sent.doc[start - 2].pos_ not in {"VERB", "AUX"}
    return True


def _subject_apposed(sent: Span, text: str) -> tuple[str, str] | None:
    """« Le mistral, un vent froid …, s'engouffre … » → (« le mistral », « un vent froid … »)."""
    m = _SUBJECT_APPOSITION.match(text)
    if not m:
        return None
    after = [t for t in sent if t.idx - sent.start_char >= m.end()]
    term_toks = [t for t in sent if t.idx - sent.start_char < m.end("term")]
    # the sentence goes on with its verb (« …, souffle sur … », « …, ne … », « …, s'… »), not
    # with another noun phrase (« le fer, un métal, le cuivre … »: a list); the parse may tag
    # a verb as a noun (« souffle »), so the test is on what the next word is not
    if (
        after
        and after[0].text[:1].islower()
        and after[0].pos_ not in {"DET", "ADP", "CCONJ", "PUNCT", "NUM", "PROPN", "ADJ"}
        and _described(sent, term_toks[1:])
    ):
        return m["term"][0].lower() + m["term"][1:], m["what"]
    return None


def _noun_phrase_before(sent: Span, last: Token) -> tuple[list[Token], str]:
    """The noun phrase that ends at ``last`` (its determiner and adjectives, four words at
    most) and the term to ask it with (« de magnétite » → « la magnétite »; « » when the
    gender is unknown)."""
    start = last.i
    while start > sent.start and last.i - start < 4:
        prev = sent.doc[start - 1]
        if prev.pos_ not in {"DET", "ADJ", "NOUN", "PROPN"} or prev.lower_ in _CONTRACTED:
            break
        start -= 1
        if prev.pos_ == "DET":
            break
    toks = list(sent.doc[start : last.i + 1])
    before = sent.doc[start - 1] if start > sent.start else None
    if toks[0].pos_ == "DET" or before is None or before.lower_ not in {"de", "d'"}:
        return toks, _asked_term(toks) or ""
    gender = toks[0].morph.get("Gender", [])
    det = "l'" if _VOWEL.match(toks[0].text) else ("la " if "Fem" in gender else "le ")
    if "Plur" in toks[0].morph.get("Number", []):
        det = "les "
    known = gender or det in {"les ", "l'"}
    return toks, det + enrich._text(toks) if known else ""


_CONTRACTED = frozenset({"du", "des", "au", "aux"})


def _closing_apposed(sent: Span, text: str) -> tuple[str, str] | None:
    """« … s'étend le Bouclier canadien, un plateau de roches …. » → (« le Bouclier
    canadien », « un plateau de roches … »)."""
    m = _CLOSING_APPOSITION.search(text)
    if not m:
        return None
    comma = sent.start_char + m.start()
    before = [t for t in sent if t.idx + len(t.text) <= comma]
    if not before or not _apposed(sent, comma):
        return None
    last = before[-1]
    if not (
        last.pos_ in {"NOUN", "PROPN"}
        or (
            last.pos_ == "ADJ"
            and last.i > sent.start
            and sent.doc[last.i - 1].pos_ in {"NOUN", "PROPN"}
        )
    ):
        return None
    toks, term = _noun_phrase_before(sent, last)
    start = toks[0].i
    listed = start > sent.start and sent.doc[start - 1].text == ","
    if (
        term
        and not listed
        and not _governed(sent, start)
        and toks[0].pos_ != "PROPN"
        and _described(sent, toks if toks[0].pos_ != "DET" else toks[1:])
    ):
        return term, m["what"]
    return None


def _refused_apposition(term: str, description: str, source: str, title: str) -> bool:
    """The guards of every definition card, and those an apposition needs: the term's number
    is the description's (« les anciennes métropoles » is no « situation »), no enumeration,
    no date range (« de 218 à 201 avant J.-C. »)."""
    bare = checker.strip_article(term)
    plural_term = term.lower().startswith(("les ", "des "))
    plural_what = description.lower().startswith(("des ", "de ", "d'"))
    return (
        plural_term != plural_what
        or bool(_ENUMERATION.search(description))
        or bool(re.match(r"^(?:de|d')\s*\d", description))
        or not _TERM.match(bare)
        or len(bare) <= 2
        or bool(_NOT_A_DEFINITION.search(term))
        or len(description.split()) < MIN_DESCRIPTION_WORDS
        or not _is_definition(description)
        or _why_not(description) is not None
        or refused_definition(term, description, source, title) is not None
        or fold(bare) in fold(description)
    )


def appositions(sent: Span, index: int, title: str = "") -> list[Draft]:
    """v3.13: a term the text describes in passing, in an apposition, as a definition card:
    « Le mistral, un vent froid et violent venu du nord, s'engouffre dans ce couloir » →
    « Qu'est-ce que le mistral ? » → « Un vent froid et violent venu du nord. », and « … s'étend
    le Bouclier canadien, un plateau de roches très anciennes. » → « Qu'est-ce que le Bouclier
    canadien ? ». The description must read as one (:func:`_refused_apposition`); the subject
    form needs the sentence to go on with its verb after the second comma, so that a list
    (« le fer, un métal, le cuivre, … ») is not read as a description."""
    drafts: list[Draft] = []
    text = sent.text.strip()
    for found in (_subject_apposed(sent, text), _closing_apposed(sent, text)):
        if found is None:
            continue
        term, what = found
        description = enrich.clip_description(what)
        if _refused_apposition(term, description, sent.text, title):
            continue
        drafts.append(
            _card_draft(
                sent, index, _what_is(term), description, AnswerType.CONCEPT, APPOSITION_PATTERN
            )
        )
    return drafts


# --- v3.13: « X désigne Y », « on parle de X lorsque … », « X s'appelle Y », « …, que l'on
# appelle Y » --------------------------------------------------------------------------------

NAMING_PATTERN = "naming-card"
_WORD = r"[\wÀ-ÿœŒ'’-]+"
_DET = r"(?:[Ll]es |[Ll]a |[Ll]e |[Ll]'|[Uu]ne? |[Dd]es )"
#: « Le chômage désigne la situation des personnes qui … »
_DESIGNATES = re.compile(
    rf"^(?P<term>{_DET}{_WORD}(?: {_WORD}){{0,3}}) désigne(?:nt)? (?P<what>{_DET}.+)\.$"
)
#: « On désigne par mondialisation l'intensification des échanges … »
_DESIGNATED_BY = re.compile(
    rf"^On désigne par (?P<term>{_WORD}(?: {_WORD}){{0,3}}?)(?<!\bde)(?<!\bdu)(?<!\bdes) "
    rf"(?P<what>{_DET}.+)\.$"
)
#: « Lorsque le pollen provient d'une autre fleur …, on parle de pollinisation croisée. »
_SPOKEN_AFTER = re.compile(
    r"^(?P<cond>(?:Lorsqu|Quand)[^,;:]+), on parle (?P<de>de |d'|du |des )(?P<term>[^,;:]+)\.$"
)
#: « On parle de chômage de longue durée lorsqu'une personne cherche un emploi … »
_SPOKEN_BEFORE = re.compile(
    r"^On parle (?P<de>de |d'|du |des )(?P<term>[^,;:]+?) (?P<cond>(?:lorsqu|quand)[^;:]+)\.$"
)
#: « Le prix pour lequel les quantités … sont égales s'appelle le prix d'équilibre. »
_CALLED = re.compile(
    rf"^(?P<what>(?:Les |La |Le |L')[^,;:]+?) s'appelle(?:nt)? (?P<term>{_DET}[^,;:]+)\.$"
)
#: « …, les cellules sanguines, que l'on appelle aussi éléments figurés. »
_ALSO_CALLED = re.compile(
    rf"(?:^|\s)(?P<what>(?:les |la |le |l'){_WORD}(?: {_WORD}){{0,3}}), que l'on appell?e "
    rf"(?P<when>aussi |aujourd'hui |parfois |souvent )?(?P<term>[^,;:.]+)[,.]"
)


def _naming_drafts(text: str) -> list[tuple[str, str, str | None]]:
    """(prompt, answer, the term a definition card asks or None) of every naming pattern
    that matches ``text``."""
    found: list[tuple[str, str, str | None]] = []
    for pattern in (_DESIGNATES, _DESIGNATED_BY):
        m = pattern.match(text)
        if m:
            term = m["term"][0].lower() + m["term"][1:]
            found.append((_what_is(term), enrich.clip_description(m["what"]), term))
    for pattern in (_SPOKEN_AFTER, _SPOKEN_BEFORE):
        m = pattern.match(text)
        if m:
            cond = enrich.clip_description(m["cond"])
            found.append((f"Quand parle-t-on {m['de']}{m['term'].strip()} ?", cond, None))
    m = _CALLED.match(text)
    if m:
        term = m["term"]
        found.append((_what_is(term), m["what"][0].lower() + m["what"][1:], term))
    m = _ALSO_CALLED.search(text)
    if m:
        when = (m["when"] or "").strip()
        prompt = " ".join(x for x in ("Comment appelle-t-on", when, m["what"]) if x) + " ?"
        found.append((prompt, m["term"], None))
    return found


def namings(sent: Span, index: int, title: str = "") -> list[Draft]:
    """v3.13: what the text names in so many words, as a card: « Le chômage désigne la
    situation des personnes qui … » → « Qu'est-ce que le chômage ? »; « Lorsque …, on parle de
    pollinisation croisée » → « Quand parle-t-on de pollinisation croisée ? » → « Lorsque … »;
    « Le prix pour lequel … s'appelle le prix d'équilibre » → « Qu'est-ce que le prix
    d'équilibre ? »; « les cellules sanguines, que l'on appelle aussi éléments figurés » →
    « Comment appelle-t-on aussi les cellules sanguines ? » → « Éléments figurés. ». A
    description must read as one (:func:`_is_definition`, :func:`_why_not`,
    :func:`refused_definition`); a demonstrative or a pronoun for the thing named (« Ce
    phénomène s'appelle … ») leaves the card without its subject, so it is not matched."""
    drafts: list[Draft] = []
    text = sent.text.strip()
    for prompt, answer, term in _naming_drafts(text):
        asks_term = prompt.startswith("Comment appelle-t-on")
        description = (
            re.sub(
                r"^(?:aussi|aujourd'hui|parfois|souvent) ",
                "",
                prompt.removeprefix("Comment appelle-t-on ").rstrip(" ?"),
            )
            if asks_term
            else answer
        )
        if (
            len(description.split()) < (2 if asks_term else MIN_DESCRIPTION_WORDS)
            or not _is_definition(description)
            or _why_not(description) is not None
            or re.search(
                r"\b(?:ce|cet|cette|ces|il|elle|ils|elles)\b",
                f"{term or ''} {description}".lower(),
            )
            or len(answer.split()) > 30
        ):
            continue
        if term is not None and (
            refused_definition(term, description, sent.text, title) is not None
            or fold(checker.strip_article(term)) in fold(description)
        ):
            continue
        if asks_term and not _TERM.match(answer.strip()):
            continue
        drafts.append(_card_draft(sent, index, prompt, answer, AnswerType.CONCEPT, NAMING_PATTERN))
    return drafts
