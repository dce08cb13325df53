"""Read every generated item again before keeping it.

Two families of checks, each giving the rubric's reason for refusing an item:

- **form** (questions and true/false statements are re-parsed with spaCy): a finite verb,
  no stray punctuation or symbol (« officiellement % des voix »), an inverted pronoun that
  matches the subject's gender and number (« Iouchtchenko l'emporte-t-elle »), subjects and
  verbs that agree, no pronoun or demonstrative whose referent the item does not give
  (« ce phénomène », « trois ans plus tard », « y »);
- **answer**: not the text's own subject, not a bare count (« ces {{deux}} »), not a fragment
  of a longer name (« {{Odes}} et poésies diverses »), not given away by the prompt (also as an
  acronym in parentheses or a derived adjective: « Europe » / « européen »).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.content.generator import alone, broken, lexicon, normalise, review, transfer
from bot.content.generator.model import AnswerType, Candidate, Draft
from bot.content.generator.rank import fold, problems
from bot.content.generator.realise import antecedents_of
from bot.domain.deck import CLOZE_GAP, fill_gaps

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

_VAGUE = re.compile(
    r"\b(?:(?:ce|cet|cette|ces)\s+(?!qui\b|que\b|qu')[a-zà-ÿœ]|plus tard\b|même année\b"
    r"|année suivante\b|ce dernier\b|cette dernière\b|celui-ci|celle-ci|ceux-ci|celles-ci"
    r"|là-bas|là-haut|ci-dessus|auparavant\b|de même\b|la même façon\b|un an après\b"
    r"|ans après\b|le même\b|la même\b|\beux\b|d'entre eux\b"
    r"|^\w+ (?:son|sa|ses|leur|leurs)\b"
    r"|^(?:Qui|Que|Quel|Quelle|Quels|Quelles|Combien|Où|Comment|Pourquoi|En quelle année"
    r"|À quelle date|Qu'est-ce que)(?: \w+)? (?:son|sa|ses|leur|leurs)\b)",
    re.IGNORECASE,
)
_START_PRONOUN = re.compile(
    r"^(?:il|elle|ils|elles|son|sa|ses|leur|leurs|lui|eux|cela|ceci"
    r"|c'est|celui|celle|ceux)\b",
    re.IGNORECASE,
)
_STRAY = re.compile(
    r"(?:(?<!av\. )(?<!apr\. )(?<!avant )(?<!après )\bJ\.-C\."
    r"|\bCombien (?:de|d') ?(?:environ|près de|plus de|moins de)\b"
    r"|(?<![\d\s])\s*%|(?<=[a-zà-ÿ])\s+%|^\s*[,.;:%]|[,;:]\s*[.?]|(?<!J\.-C)\.\s*[,?]"
    r"|\?\s*\?|\(\s*\)|«\s*»|\s[,.]\s|,,)"
)
_INVERSION = re.compile(r"-(?:t-)?(il|elle|ils|elles)\b")
_PRONOUN_MORPH = {
    "il": ("Masc", "Sing"),
    "elle": ("Fem", "Sing"),
    "ils": ("Masc", "Plur"),
    "elles": ("Fem", "Plur"),
}
_NUMBER_WORDS = set(lexicon.NUMBER_WORDS) | {"un", "une"}
_TRIVIAL_DETS = {"les", "ces", "ses", "leurs", "des", "nos", "vos", "mes"}
_ARTICLES = ("le ", "la ", "les ", "l'", "un ", "une ", "des ", "de la ", "du ", "de l'")
#: Names everyone knows: never worth an item on their own.
_GENERAL = {
    "terre",
    "soleil",
    "lune",
    "france",
    "europe",
    "paris",
    "monde",
    "etat",
    "français",
    "francais",
    "françaises",
    "francaises",
}
_SMALL = {"de", "du", "des", "la", "le", "les", "l'", "d'", "et", "en", "à", "au", "aux"}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class TextContext:
    """What the checks need to know about the whole text."""

    subjects: frozenset[str]  # folded forms of the text's own subject
    text: str
    #: « le fleuve » → « la Loire » when the title says « La Loire, le plus long fleuve … »
    aliases: tuple[tuple[str, str], ...] = ()
    #: third round: the one year of an event's title, the stems of the text's main actors
    years: frozenset[str] = frozenset()
    actors: frozenset[str] = frozenset()


def title_aliases(title: str) -> tuple[tuple[str, str], ...]:
    """The noun a title's apposition gives its subject: (« fleuve », « la Loire »)."""
    if "," not in title:
        return ()
    name, rest = (p.strip() for p in title.split(",", 1))
    if not name or len(name.split()) > 4:
        return ()
    name = name[0].lower() + name[1:] if name.split()[0].lower() in {"le", "la", "les"} else name
    nouns = [
        w
        for w in re.findall(r"[a-zà-ÿœ]+", rest.lower())
        if len(w) >= 5
        and w not in {"plus", "moins", "grand", "grande", "premier", "première", "france", "monde"}
    ]
    return tuple((n, name) for n in nouns[:1])


def resolve_aliases(text: str, ctx: TextContext) -> str:
    """« Où le fleuve reçoit-il la Maine ? » → « Où la Loire reçoit-elle la Maine ? » is too
    much for a regular expression: only the noun phrase is replaced, when no inversion
    pronoun depends on its gender."""
    for noun, name in ctx.aliases:
        m = re.search(rf"\b([Ll]e|[Ll]a|[Ll]') ?{noun}\b", text)
        if m is None or "{{" in text[max(0, m.start() - 2) : m.end() + 2]:
            continue
        inv = _INVERSION.search(text, m.end())
        gender = (
            "Fem"
            if name.lower().startswith("la ")
            else ("Masc" if name.lower().startswith("le ") else None)
        )
        if inv is not None and (gender is None or inv[1] not in {"il", "elle"}):
            continue
        repl = name if m.start() > 0 else name[0].upper() + name[1:]
        if inv is not None:
            pron = "elle" if gender == "Fem" else "il"
            text = text[: inv.start(1)] + pron + text[inv.end(1) :]
        text = text[: m.start()] + repl + text[m.end() :]
    return text


def _title_parts(title: str) -> set[str]:
    parts: set[str] = set()
    for chunk in re.split(
        r",|:|\bet\b|\ben\b|\bchez\b|\bà\b|\bde la\b|\bde l'|\bdu\b|\bdes\b|\bde\b", title
    ):
        f = fold(re.sub(r"^(?:de |De )", "", chunk.strip()))
        if f and len(f) > 2 and f not in {"une pionniere", "un", "une"}:
            parts.add(f)
    if "," in title:  # « La Loire, le plus long fleuve de France »: « fleuve » is the Loire
        apposition = fold(title.split(",", 1)[1])
        parts.update(
            w
            for w in re.findall(r"[a-z]+", apposition)
            if len(w) >= 5 and w not in {"plus", "moins", "grand", "grande", "premier", "premiere"}
        )
    return parts


def text_context(text: str, pool: Sequence[Candidate]) -> TextContext:
    """The text's own subject: its title's nouns and its most frequent person or name."""
    blocks = normalise.split_blocks(text)
    subjects: set[str] = set()
    if blocks and blocks[0].heading:
        # « Louis Pasteur (1822-1895) »: the dates in brackets are not part of the name
        bare = re.sub(r"\s*\([^)]*\)", "", blocks[0].text).strip()
        subjects |= _title_parts(bare)
        subjects.add(fold(bare.split(",")[0]))  # « La Constitution de la Ve République »
    persons = Counter(c.value for c in pool if c.type is AnswerType.PERSON)
    if persons:
        value, n = persons.most_common(1)[0]
        if n >= 3 or any(fold(value) in s or s in fold(value) for s in subjects):
            subjects.add(fold(value))
    title_words = {w for part in subjects for w in part.split()}
    for value in {c.value for c in pool if not c.type.is_numeric}:
        stem = _stem(fold(value))
        if (
            len(stem) >= 3
            and " " not in value
            and any(w.startswith(stem) and w != fold(value) for w in title_words)
        ):
            subjects.add(fold(value))  # « Rome » in a text titled « … romaine … »
    names = Counter(c.value for c in pool if not c.type.is_numeric)
    if names:
        value, n = names.most_common(1)[0]
        if n >= 4:
            subjects.add(fold(value))
    title = blocks[0].text if blocks and blocks[0].heading else ""
    return TextContext(
        frozenset(subjects),
        text,
        title_aliases(title),
        transfer.title_years(title),
        transfer.main_actors(text),
    )


def strip_article(text: str) -> str:
    low = text.lower()
    for art in _ARTICLES:
        if low.startswith(art):
            return text[len(art) :]
    return text


# --- items read alone ------------------------------------------------------------------------


def vague(text: str) -> str | None:
    """Why a sentence cannot be understood out of the text (None when it can)."""
    if _VAGUE.search(text) or re.search(
        r"\b(?:\w+) en (?:fabriqu|produi|trouv|compt|constru)", text
    ):
        return "vague"
    if _START_PRONOUN.match(text):
        return "vague"
    return None


_OBJECT_CLITICS = {"la", "le", "les", "l'", "lui", "leur"}
_EN_CLITIC = re.compile(
    r"\b(?:en|y) (?:ne |n')?[a-zà-ÿ]+(?:ait|aient|a|ont|est|sont|it|ut|èrent)\b"
)


def vague_tokens(sent: Span | Doc) -> bool:
    """Clitics « y », « en », « la » standing for something the sentence does not name."""
    return any(
        # gen6: the tagger reads « la » of « Roux la découvre » as a determiner, but its
        # relation (obj) tells the clitic
        (t.pos_ == "PRON" or (t.pos_ == "DET" and t.dep_ in {"obj", "iobj"}))
        and (
            t.lower_ in {"y", "en"}
            or (t.lower_ in _OBJECT_CLITICS and t.dep_ in {"obj", "iobj", "obl:arg"})
        )
        and t.dep_ not in {"case", "det"}
        for t in sent
    )


def standalone(sent: Span, antecedent: str | None) -> str | None:
    """The sentence as a student reads it alone: a leading subject pronoun replaced by its
    antecedent (« Elle se déroule … » → « La digestion se déroule … »); None when something
    else would stay unclear."""
    text = sent.text.strip()
    first = sent[0]
    if first.lower_ in {"il", "elle", "ils", "elles"} and first.dep_.startswith("nsubj"):
        if antecedent is None:
            return None
        name = antecedent[0].upper() + antecedent[1:]
        text = name + text[len(first.text) :]
    if vague(text) or vague_tokens(sent):
        return None
    inner = re.findall(r"(?<!^)\b(il|elle|ils|elles)\b", text[1:], re.IGNORECASE)
    if (
        inner
        and not (
            first.lower_ in {"il", "elle", "ils", "elles"}
            and all(p.lower() == first.lower_ for p in inner)
        )
        and not all(_resolved_inside(t) for t in sent[1:] if t.lower_ in _SUBJECT_PRONOUNS)
    ):
        return None
    return text


_SUBJECT_PRONOUNS = {
    "il": ("Masc", False),
    "elle": ("Fem", False),
    "ils": ("Masc", True),
    "elles": ("Fem", True),
}


def _resolved_inside(pron: Token) -> bool:
    """« La Loire est le plus long fleuve de France : elle parcourt … »: a subject pronoun
    whose referent is the subject of an earlier clause of the same sentence (the nearest one,
    a noun or a name of the pronoun's gender and number) is understood when the sentence is
    read alone."""
    if not pron.dep_.startswith("nsubj"):
        return False
    nearest = antecedents_of(pron.sent, before=pron.i)[:1]
    return (
        bool(nearest)
        and (nearest[0].gender, nearest[0].plural) == _SUBJECT_PRONOUNS[pron.lower_]
        and not vague(nearest[0].text)
    )


#: A clause that starts with one of these is not a cause (« parce que Comme la Terre … »).
_ADVERBIAL_STARTS = {
    "en",
    "dans",
    "pendant",
    "au",
    "aux",
    "à",
    "comme",
    "entre",
    "selon",
    "grâce",
    "après",
    "avant",
    "depuis",
    "lors",
    "vers",
    "sur",
    "sous",
    "par",
    "pour",
    "chaque",
    "dès",
    "ainsi",
    "mais",
    "or",
    "donc",
    "puis",
    "enfin",
    "aujourd'hui",
    "d'abord",
    "alors",
    "si",
    "quand",
    "lorsque",
    "malgré",
    "contrairement",
    "cependant",
    "pourtant",
    "toutefois",
    "de",
    "du",
    "des",
    "certains",
    "certaines",
    "tous",
    "toutes",
    "chez",
    "outre",
    "face",
    "ici",
    "là",
}


def standalone_clause(sentence: str) -> str | None:
    """A short sentence of the text as a clause (the distractor of a cause), or None."""
    text = sentence.strip().rstrip(".!?")
    if (
        vague(text)
        or len(text.split()) > 16
        or len(text.split()) < 5
        or re.search(r"[;:()«»]|\b(?:il|elle|ils|elles|y|on)\b", text, re.IGNORECASE)
        or re.search(r"\bpar exemple\b|\bcar\b|\bparce que\b|\bla plupart\b", text)
    ):
        return None
    lead = re.match(r"[^,]+, (?=(?:le|la|les|l'|un|une|des|[A-ZÀ-Ý])[\s'A-Za-zÀ-ÿ])", text)
    if lead and len(lead[0].split()) <= 6:  # « En 1903, Marie Curie reçoit … »: the clause
        text = text[lead.end() :]
    if text.split(" ", 1)[0].lower() in _ADVERBIAL_STARTS or len(text.split()) < 5:
        return None
    first = text.split(" ", 1)[0]
    if first.lower() in {"le", "la", "les", "l'", "un", "une", "des"} or first.startswith("L'"):
        text = text[0].lower() + text[1:]
    return text


# --- form ------------------------------------------------------------------------------------


def _morph(tok: object, key: str) -> str | None:
    values = tok.morph.get(key)  # type: ignore[attr-defined]
    return values[0] if values else None


def form_problems(prompt: str, doc: Doc) -> list[str]:  # noqa: PLR0912, PLR0915 - one independent check per rule of the rubric
    """Problems of a re-parsed question or statement (empty when well formed)."""
    found: list[str] = []
    if (
        not any(_morph(t, "VerbForm") == "Fin" and t.pos_ in {"VERB", "AUX"} for t in doc)
        and not _INVERSION.search(prompt)
        and not any(
            t.pos_ in {"VERB", "AUX"} and _morph(t, "VerbForm") not in {"Inf", "Part"} for t in doc
        )
    ):
        found.append("ungrammatical: no finite verb")
    if any(
        t.lower_ in {"la", "le", "les", "l'"}
        and i + 1 < len(doc)
        and doc[i + 1].pos_ in {"VERB", "AUX"}
        and _morph(doc[i + 1], "VerbForm") == "Inf"
        for i, t in enumerate(doc)
    ):
        found.append("vague")
    if _STRAY.search(prompt):
        found.append("ungrammatical: stray punctuation")
    if re.search(r"\b(\w+) \1\b", prompt, re.IGNORECASE):
        found.append("ungrammatical: repeated word")
    if (
        vague(prompt.split(" ", 1)[1] if prompt.startswith(("Pourquoi", "Comment")) else prompt)
        or (vague(prompt) == "vague" and re.search(r"\b(?:son|sa|ses|leur|leurs)\b", prompt[:40]))
        or vague_tokens(doc)
    ):
        found.append("vague")
    for tok in doc:
        if tok.dep_ == "appos" and tok.head.pos_ in {"NOUN", "PROPN"} and tok.i > tok.head.i:
            left = doc[tok.left_edge.i - 1] if tok.left_edge.i > 0 else None
            if (
                left is not None
                and left.text not in {",", "(", "«", ":", "-"}
                and tok.pos_ == "NOUN"
                and any(c.dep_ == "det" and c.lower_ in {"un", "une"} for c in tok.children)
            ):
                found.append("ungrammatical: apposition without its comma")
    for tok in doc:
        if (
            tok.lower_ in {"que", "qui", "qu'", "dont"}
            and tok.i > 2
            and doc[tok.i - 1].lower_ not in {"ce", "est-ce", "-ce"}
        ):
            rest = list(doc[tok.i + 1 :])
            if any(t.text == "," for t in rest) and not any(
                t.pos_ in {"VERB", "AUX"} and _morph(t, "VerbForm") != "Part" for t in rest
            ):
                found.append("ungrammatical: a clause without its verb")
    m_esk = re.search(r"est-ce (?:que|qu')\s*(\w+)", prompt)
    if m_esk:
        nxt = next((t for t in doc if t.idx >= m_esk.start(1)), None)
        if nxt is not None and nxt.pos_ in {"NOUN", "ADJ"}:
            found.append("ungrammatical: a subject without its determiner")
    if re.search(r"(?<=\s)[A-ZÀ-Ý][\wà-ÿ-]+ (?:un|une) [a-zà-ÿ]", prompt) and not re.search(
        r"-(?:t-)?(?:il|elle|ils|elles) (?:un|une) ", prompt
    ):
        found.append("ungrammatical: apposition without its comma")
    if re.search(
        r"\b(?:appel|nomm|surnomm)(?:é|ée|és|ées)\s+\S+-(?:t-)?(?:il|elle|ils|elles)\b", prompt
    ):
        found.append("ungrammatical: « appelé » without its name")
    if (
        re.match(r"^(?:En|À|Depuis|Vers|Pour) quel", prompt)
        and len(re.findall(r"(?<![\w-])(?:1[0-9]{3}|20[0-9]{2})(?![\w-])", prompt)) >= 1
    ):
        found.append("ambiguous: another year in a question on a date")
    if re.match(r"^Qu'est-ce qui\b", prompt) and re.search(r"\b\w+ées?\b", prompt.split("?")[0]):
        found.append("ungrammatical: « qu'est-ce qui » with a feminine participle")
    if re.search(r"\b[lLdDnNsS]' ", prompt):
        found.append("ungrammatical: stray apostrophe")
    if re.match(r"^(?:Combien d[e']|Que |Qu')", prompt) and re.search(
        r"-(?:t-)?(?:il|elle|ils|elles) (?:le |la |les |l'|un |une |des )", prompt
    ):
        found.append("ungrammatical: the asked object is also given")
    if re.match(r"^(?:Qui|Que|Combien d[e'])", prompt):
        for m in _INVERSION.finditer(prompt):
            verb = next((t for t in doc if t.idx < m.start() <= t.idx + len(t.text) + 1), None)
            if (
                verb is not None
                and any(
                    c.dep_ == "obj" and c.i > verb.i and c.pos_ in {"NOUN", "PROPN"}
                    for c in verb.children
                )
                and not prompt.startswith("Qui")
            ):
                found.append("ungrammatical: the asked object is also given")
    for m in _INVERSION.finditer(prompt):
        verb_word = prompt[: m.start()].split(" ")[-1].lower()
        if verb_word in {"est", "sont", "était", "étaient", "fut", "furent", "a", "ont"}:
            next_tokens = [t for t in doc if t.idx > m.end()][:3]
            part = next(
                (
                    t
                    for t in next_tokens
                    if _morph(t, "VerbForm") == "Part"
                    and _morph(t, "Gender")
                    and t.lower_ != "été"
                ),
                None,
            )
            passive = verb_word not in {"a", "ont"} or any(t.lower_ == "été" for t in next_tokens)
            if part is not None and passive:
                pg, pn = _PRONOUN_MORPH[m[1]]
                if _morph(part, "Gender") != pg or (_morph(part, "Number") or pn) != pn:
                    found.append("ungrammatical: the participle does not agree")
            words_after = prompt[m.end() :].split()
            if words_after and words_after[0] == "été":
                words_after = words_after[1:]
            if passive and words_after:
                w = words_after[0].lower()
                pg, _pn = _PRONOUN_MORPH[m[1]]
                if (w.endswith(("ée", "ées")) and pg == "Masc") or (
                    re.search(r"(?:é|és|is|it|u|us)$", w)
                    and pg == "Fem"
                    and not w.endswith(("ée", "ées"))
                ):
                    found.append("ungrammatical: the participle does not agree")
        if any(
            t.idx > m.end()
            and t.dep_ == "conj"
            and t.pos_ == "VERB"
            and _morph(t, "VerbForm") == "Fin"
            for t in doc
        ):
            found.append("ungrammatical: a second verb left after the question")
        start = 1
        quel = next(
            (
                t
                for t in doc
                if t.lower_ in {"quel", "quelle", "quels", "quelles"} and t.idx < m.start()
            ),
            None,
        )
        if quel is not None:
            start = max(quel.head.i, quel.i) + 1
        elif doc[0].lower_ == "combien":
            nxt_noun = next((t for t in doc[1:] if t.pos_ == "NOUN"), None)
            start = nxt_noun.i + 1 if nxt_noun is not None else 1
        first_noun = next(
            (t for t in doc[start:] if t.pos_ in {"NOUN", "PROPN"} and t.idx < m.start()), None
        )
        if first_noun is not None:
            gender, number = _PRONOUN_MORPH[m[1]]
            g, n = _morph(first_noun, "Gender"), _morph(first_noun, "Number")
            if (n and n != number) or (first_noun.pos_ == "NOUN" and g and g != gender):
                found.append("ungrammatical: inversion does not match the subject")
                break
    for m in _INVERSION.finditer(prompt):
        gender, number = _PRONOUN_MORPH[m[1]]
        head_text = prompt[: m.start()]
        first_comma = head_text.find(",")
        if first_comma >= 0 and head_text.count(",") % 2 == 1:
            found.append("ungrammatical: a remark left open before the verb")
    for tok in doc:
        if not tok.dep_.startswith("nsubj") or tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        verb = tok.head
        if verb.pos_ not in {"VERB", "AUX"}:
            verb = next((c for c in verb.children if c.dep_ == "cop"), verb)
        vn, sn = _morph(verb, "Number"), _morph(tok, "Number")
        coordinated = any(c.dep_ == "conj" for c in tok.children)
        # « l'ensemble des terres dont les eaux s'écoulent »: a noun between them that agrees
        # with the verb is its real subject (the parse attached the verb to the wrong noun)
        between = doc[tok.i + 1 : verb.i] if verb.i > tok.i else doc[0:0]
        rel = next((t.i for t in between if t.lower_ in {"dont", "où"}), None)
        nearer = rel is not None and any(
            t.pos_ == "NOUN" and _morph(t, "Number") == vn for t in doc[rel + 1 : verb.i]
        )
        if (
            vn
            and sn
            and vn != sn
            and not coordinated
            and not nearer
            and _morph(verb, "VerbForm") == "Fin"
            and verb.i > tok.i
        ):
            found.append("ungrammatical: subject and verb disagree")
    return found


# --- answers ---------------------------------------------------------------------------------


def _stem(word: str) -> str:
    return re.sub(r"[aeiouy]+$", "", _plain(word))


def _acronym(words: Iterable[str]) -> str:
    return "".join(w[0] for w in words if w and w.lower() not in _SMALL and w[0].isupper())


#: v3.12: the endings of a people's name (« les Canadiens », « les Japonais », « les Romains »).
_DEMONYM = re.compile(
    r"^[A-ZÀ-Ý][a-zà-ÿ]+(?:ais|aises|ois|oises|iens|iennes|ains|aines|éens|éennes|ins|ines)$"
)


def _demonym_of_subject(answer: str, subjects: Iterable[str]) -> bool:
    """« les {{Canadiens}} » in a text about Canada: the answer names the people of the text's
    own subject (the same stem: four letters, three for a shorter name)."""
    if not _DEMONYM.match(answer):
        return False
    folded = fold(answer)
    for subject in subjects:
        for word in subject.split():
            need = 4 if len(word) >= 5 else 3
            if len(word) >= 3 and folded[:need] == word[:need]:
                return True
    return False


def answer_problems(  # noqa: PLR0912, PLR0915 - one independent check per rule of the rubric
    answer: str, prompt: str, source: str, ctx: TextContext, type_: AnswerType
) -> list[str]:
    found: list[str] = []
    core = fold(strip_article(answer))
    if core and (core in ctx.subjects or fold(answer) in ctx.subjects):
        found.append("trivial: the text's own subject")
    elif _demonym_of_subject(strip_article(answer), ctx.subjects):
        found.append("trivial: the people of the text's own subject")
    if (
        type_ is AnswerType.CAUSE
        and re.match(r"(?:parce que|parce qu'|car|grâce à)\s*(?:leur|leurs)\b", answer)
        and not re.search(r"\b(?:les|des|ces|ils|elles)\b|-(?:t-)?(?:ils|elles)\b", prompt)
    ):
        # « Pourquoi Marie Curie ne se protégeait-elle pas ? → parce que leurs dangers … »:
        # whose dangers? the question names no plural owner
        found.append("vague: a possessive in the cause whose owner the question does not name")
    if "{{" in prompt and re.search(r"\b(?:un|une)\s+\{\{", prompt) and not type_.is_numeric:
        # « Recopier une {{Bible}} entière … »: an indefinite noun phrase names a kind, and
        # other words of the kind fit the gap
        found.append("ambiguous: the gap is an indefinite noun phrase")
    if type_ is AnswerType.PERSON and core and any(core in s.split() for s in ctx.subjects):
        found.append("trivial: the text's own subject (by a part of the name)")
    if core in _GENERAL:
        found.append("trivial: general knowledge")
    shown = re.sub(r"\{\{.*?\}\}", " ", prompt)
    src = source
    pos = src.find(answer) if answer else -1
    if type_ is AnswerType.COUNT or _plain(answer) in _NUMBER_WORDS or answer.isdigit():
        before = src[:pos].split()[-1:] if pos > 0 else []
        if before and before[0].lower() in _TRIVIAL_DETS and not re.search(r"\d{4}", answer):
            found.append("trivial: a bare count")
        if pos >= 0 and re.match(r"\s+[\wÀ-ÿ'-]+(?:\s+[\wÀ-ÿ'-]+)?\s*:", src[pos + len(answer) :]):
            found.append("trivial: the count of the enumeration that follows")
    if pos >= 0 and type_ not in {AnswerType.CAUSE, AnswerType.LIST}:
        after = src[pos + len(answer) :]
        prev = src[:pos].rstrip()
        nxt = re.match(r"\s+([^\s,.;:)»]+)(?:\s+([^\s,.;:)»]+))?", after)
        if nxt and not type_.is_numeric:
            w1, w2 = nxt[1], nxt[2] or ""
            if w1[:1].isupper() and not re.match(r"[,.;:)»]", w1):
                found.append("fragment: followed by a capitalised word")
            elif (
                w1.lower() in {"et", "de", "du", "des"}
                and w2[:1].isupper()
                and answer[:1].isupper()
                and type_ in {AnswerType.TITLE, AnswerType.OTHER}
            ):
                found.append("fragment: part of a longer title")
        capital = strip_article(answer)[:1].isupper()
        if prev and not type_.is_numeric and capital:
            last = prev.split()[-1]
            before_last = prev.split()[-2].lower() if len(prev.split()) > 1 else ""
            if (
                last[:1].isupper()
                and not re.search(r"[,.;:(«]$", last)
                and len(prev.split()) > 1
                and before_last not in {"le", "la", "les", "l'", "un", "une"}
            ):
                found.append("fragment: preceded by a capitalised word")
        if nxt and nxt[1].lower() in {"siècle", "siècles", "millénaire"}:
            found.append("fragment: part of a century")
        if (
            nxt
            and capital
            and re.fullmatch(
                r"[a-zà-ÿ]+(?:el|elle|al|ale|aux|ien|ienne|ique|aire|if|ive|ais|aise)s?", nxt[1]
            )
        ):
            found.append("fragment: an adjective of the name left out")
        if (
            re.search(
                r"\b(?:garde des|président du|présidente du|ministre de l[a']|chef de l')\s*$",
                prev,
            )
            and len(strip_article(answer).split()) == 1
        ):
            found.append("fragment: part of a title (garde des Sceaux)")
        if "«" in answer or "»" in answer:
            found.append("fragment: a quotation mark in the answer")
        if re.match(r"(?:de|d'|du|des) [A-ZÀ-Ý]|d'[A-ZÀ-Ý]", answer) and type_ not in {
            AnswerType.CONCEPT,
            AnswerType.PERSON,  # « de Gaulle »
            AnswerType.ORG,
            AnswerType.TITLE,
        }:
            # « le plus long fleuve {{de France}} »: the gap holds the noun's complement with
            # its preposition, not a name
            found.append("fragment: a noun's complement with its preposition")
        if (
            re.search(r"\b(?:jours?|ans|années|plus tard|quelques)\b", answer)
            and answer[:1].isupper()
        ):
            found.append("fragment: runs over a time phrase")
    if core and len(core) > 1 and re.search(rf"(?<!\w){re.escape(core)}(?!\w)", fold(shown)):
        found.append("giveaway: the answer is in the prompt")
    words = re.findall(r"[\wÀ-ÿœ'-]+", strip_article(answer))
    if type_ is AnswerType.PERSON:
        for w in words:
            if (
                len(w) >= 4
                and w[:1].isupper()
                and re.search(
                    rf"(?<![A-ZÀ-Ý][\wà-ÿ-] )(?<![A-ZÀ-Ý][\wà-ÿ-]{{2}} )(?<!\w)"
                    rf"(?<![A-ZÀ-Ý][\wà-ÿ-]{{3}} ){re.escape(w)}(?!\w)",
                    shown,
                )
            ):
                prev_word = re.search(rf"(\S+)\s+{re.escape(w)}(?!\w)", shown)
                if prev_word is None or not prev_word[1][:1].isupper():
                    found.append("giveaway: a part of the name is in the prompt")
                    break
    if answer.isupper() and len(answer) >= 2:
        caps = re.findall(r"[A-ZÀ-Ý][\wà-ÿ'-]*|de|la|du|des|et", shown)
        if answer in _acronym(caps):
            found.append("giveaway: the acronym is spelled out in the prompt")
    if answer.isupper() and f"({{{{{answer}}}}})" in prompt.replace(" ", ""):
        before = re.findall(r"[\wÀ-ÿœ'-]+", prompt.split("({{")[0])
        initials = "".join(
            w.split("'")[-1][:1].upper()
            for w in before
            if w.lower() not in _SMALL | {"pour", "sur", "par", "avec"} and w.split("'")[-1]
        )
        if initials.endswith(answer.upper()) or answer.upper() in initials:
            found.append("giveaway: the acronym is spelled out before it")
    # v3.12: « 10 {{000 euros}} », « {{10}} 000 euros »: a gap that cuts a number written with
    # a space between its groups of digits
    if re.search(r"\d[ \u00a0\u202f]?\{\{\s*\d{3}(?!\d)", prompt) or re.search(
        r"\d\s*\}\}[ \u00a0\u202f]\d{3}(?!\d)", prompt
    ):
        found.append("fragment: part of a number")
    # v3.12: « l'Union internationale de chimie pure et appliquée, {{l'UICPA}} »: the letters
    # of the acronym are the initials of words of the prompt, capitalised or not
    bare = strip_article(answer).strip()
    if 3 <= len(bare) <= 8 and bare.isalpha() and bare.isupper():
        content = [
            w.split("'")[-1]
            for w in re.findall(r"[\wÀ-ÿœ'’-]+", shown)
            if w.lower() not in _SMALL | {"pour", "sur", "par", "avec"} and w.split("'")[-1]
        ]
        if bare in "".join(w[:1].upper() for w in content):
            found.append("giveaway: the acronym's words are in the prompt")
    acro = _acronym(words)
    if len(acro) >= 2 and re.search(rf"\(\s*{re.escape(acro)}\s*\)", shown):
        found.append("giveaway: the acronym is in the prompt")
    for w in words:
        if w[:1].isupper() and len(w) >= 4 and type_ not in {AnswerType.CAUSE, AnswerType.LIST}:
            stem = _stem(w)
            if len(stem) >= 3 and any(
                _plain(x).startswith(stem) and _plain(x) != _plain(w) and x[:1].islower()
                for x in re.findall(r"[\wÀ-ÿœ-]+", shown)
            ):
                found.append("giveaway: a derived adjective in the prompt")
                break
    return found


_CLITIC_WORDS = {"ne", "n'", "se", "s'", "y", "en", "le", "la", "les", "l'", "lui", "leur"}


def repair(prompt: str) -> str:
    """Small repairs of a realised question: « Combien d'environ minutes » → « Combien de
    minutes »; « les cendres … ont-ils été transférées » → « ont-elles »; a remark left open
    before an inverted verb closed (« Alexis Saint-Martin, un jeune trappeur canadien
    fut-il blessé » → « …, un jeune trappeur canadien, fut-il blessé »)."""
    prompt = re.sub(r"\b([Cc]ombien) d'(?:environ|près de|plus de|moins de) ", r"\1 de ", prompt)
    prompt = re.sub(r"\b([Cc]ombien) de ([aeéiouyh])", r"\1 d'\2", prompt)
    inv = _INVERSION.search(prompt)
    if inv is not None:
        after = prompt[inv.end() :].split()
        if after and after[0] == "été":
            after = after[1:]
        verb = prompt[: inv.start()].split(" ")[-1].lower()
        if (
            after
            and verb in {"est", "sont", "était", "étaient", "fut", "furent", "ont", "a"}
            and after[0].endswith(("ée", "ées"))
            and inv[1] in {"il", "ils"}
        ):
            prompt = (
                prompt[: inv.start(1)]
                + ("elles" if inv[1] == "ils" else "elle")
                + prompt[inv.end(1) :]
            )
    return _close_remark(prompt)


def _close_remark(prompt: str) -> str:
    m = _INVERSION.search(prompt)
    if m is None or prompt[: m.start()].count(",") % 2 == 0:
        return prompt
    words = prompt[: m.start()].split(" ")
    i = len(words) - 1  # the verb itself
    while i > 0 and words[i - 1].lower() in _CLITIC_WORDS:
        i -= 1
    if i <= 1 or words[i - 1].endswith(","):
        return prompt
    words[i - 1] += ","
    return " ".join(words) + prompt[m.start() :]


_HUMAN_VERBS = re.compile(
    r"\b(?:meurt|meurent|mourut|naît|naquit|est née?|épouse|se marie|étudie)-?(?:t-)?"
    r"(?:il|elle|ils|elles)?\b"
)
_EVENT_ONLY = re.compile(
    r"^(?:En quelle année|À quelle date|En quel mois de quelle année|De quelle année date)"
    r"(?: a lieu)? (?:le |la |l')([\wÀ-ÿ-]+) \?$"
)


def context_problems(prompt: str, doc: Doc, ctx: TextContext) -> list[str]:
    """What only the whole text tells: a short event question whose noun names several
    events of the text (« En quelle année a lieu le référendum ? »); a person's verb
    (« meurt ») on a subject that is a thing (a pronoun resolved to the wrong antecedent)."""
    found: list[str] = []
    m = _EVENT_ONLY.match(prompt)
    if m and len(re.findall(rf"\b{re.escape(m[1].lower())}s?\b", ctx.text.lower())) >= 2:
        found.append("ambiguous: several events of the text have this name")
    if _HUMAN_VERBS.search(prompt):
        inv = _INVERSION.search(prompt)
        subject = [
            t
            for t in doc
            if inv is not None
            and t.idx < inv.start()
            and t.pos_ in {"NOUN", "PROPN"}
            and t.lower_ not in {"année", "date", "ville", "mois", "quelle"}
        ]
        head = subject[0] if subject else None
        compound = head is not None and head.i + 1 < len(doc) and doc[head.i + 1].text == "-"
        if (
            head is not None
            and head.pos_ == "NOUN"
            and (head.lower_ not in _PERSON_NOUNS or compound)
        ):  # « chef-d'œuvre »
            found.append("wrong: a person's verb on a thing (pronoun resolved wrongly)")
    return found


_PERSON_NOUNS = lexicon.ROLE_NOUNS | {
    "chercheur",
    "chercheuse",
    "enfant",
    "fille",
    "fils",
    "frère",
    "mari",
    "mère",
    "père",
    "sœur",
    "trappeur",
    "épouse",
}


def refusals(draft: Draft, doc: Doc | None, ctx: TextContext) -> list[str]:  # noqa: PLR0912 - one independent check per rule
    """Every reason to refuse ``draft`` (``doc``: the parse of its prompt, None for a cloze)."""
    found = [f"rank: {p}" for p in problems(draft)] if not draft.true_false else []
    if draft.true_false:
        found = [p for p in found if "réponse" not in p]
    if doc is not None and not draft.true_false:
        found += form_problems(draft.prompt, doc)
        found += context_problems(draft.prompt, doc, ctx)
        for m in re.finditer(r"([\wÀ-ÿ'-]+), ([\wÀ-ÿ'-]+)", draft.source):
            at = draft.prompt.find(f"{m[1]} {m[2]}")
            if (
                at >= 0
                and (
                    m[2].lower() in {"un", "une", "qui"}
                    # « Cléopâtre, la reine d'Égypte, » read as « Cléopâtre la reine d'Égypte, »:
                    # the remark's closing comma left without its opening one
                    or (m[2].lower() in {"le", "la", "les"} and "," in draft.prompt[at:])
                )
            ):
                found.append("ungrammatical: a comma of the text lost")
                break
    elif doc is not None:  # a sentence of the text: only what a swap or a repair could break
        found += [
            p
            for p in form_problems(draft.prompt, doc)
            if p.startswith(("vague", "ungrammatical: stray"))
        ]
    if draft.cloze:
        filled = fill_gaps(draft.prompt)
        if vague(filled):
            found.append("vague")
        if "« {{" in draft.prompt and draft.type not in {AnswerType.TITLE, AnswerType.OTHER}:
            found.append("fragment: a quotation, not a name")
    elif not draft.true_false and not draft.type.is_numeric:
        app = (
            re.search(
                rf"{re.escape(draft.answer)}, ((?:un|une|le|la|l') [\wÀ-ÿ'-]+(?: [\wÀ-ÿ'-]+)?)",
                draft.source,
            )
            if draft.answer
            else None
        )
        if app and app[1] in draft.prompt:
            found.append("ungrammatical: the answer's apposition left in the question")
    answer = draft.notes[0] if draft.true_false and draft.notes else draft.answer
    if not draft.true_false:
        found += answer_problems(answer, draft.prompt, draft.source, ctx, draft.type)
    else:
        found += [
            p
            for p in answer_problems(answer, "", draft.source, ctx, draft.type)
            if not p.startswith("giveaway")
        ]
        if re.search(
            rf"(?:\d|\b(?:{'|'.join(_NUMBER_WORDS)}))\s+(?:à|et|ou)\s+{re.escape(answer)}\b"
            rf"|\b{re.escape(answer)}\s+(?:à|et|ou)\s+\d",
            draft.source,
        ):
            found.append("true/false: a bound of a range")
    for d in draft.distractors:
        if fold(d) == fold(draft.answer) or (
            len(fold(d)) > 3
            and fold(d) in fold(draft.prompt)
            and draft.type is not AnswerType.CAUSE
        ):
            found.append("distractor: also in the prompt or equal to the answer")
    found += review.problems(draft, ctx.subjects)
    found += transfer.problems(draft, doc, ctx.text, ctx.years, ctx.actors)
    return found


def _broken_item(d: Draft, ctx: TextContext) -> broken.Item:
    """What ``broken.py`` reads of a draft (a statement's answer is its truth, not a span)."""
    kind = "cloze" if d.cloze else ("true_false" if d.true_false else "question")
    gap = CLOZE_GAP.search(d.prompt)
    answer = gap[1] if gap else ("" if d.true_false else d.answer)
    return broken.Item(kind, d.prompt, answer, d.source, ctx.text)


def check(drafts: list[Draft], nlp: Language, ctx: TextContext) -> list[Draft]:
    """The drafts that pass every check, in the order given."""
    parse = broken.cached(nlp)
    for d in drafts:
        if not d.cloze and not d.true_false:
            d.prompt = repair(d.prompt)
        if "main-entity-np" in broken.ON:  # v3.7: « le fleuve » → « l'Amazone » (one name)
            d.prompt = broken.repair(_broken_item(d, ctx), parse)
        # v3.9: « l'enfant » → « Louis Braille », « au fleuve » → « au Rhône »
        d.prompt = broken.name_main_entity(_broken_item(d, ctx), parse)
    to_parse = [d for d in drafts if not d.cloze]
    docs = dict(
        zip(
            (id(d) for d in to_parse),
            nlp.pipe([d.prompt for d in to_parse], batch_size=64),
            strict=True,
        )
    )
    # gen6: a cloze is its sentence read alone: a clitic (« la mesurèrent », « y », « en »)
    # standing for something it does not name makes it vague
    sources = list(dict.fromkeys(fill_gaps(d.prompt) for d in drafts if d.cloze))
    cloze_docs = dict(zip(sources, nlp.pipe(sources, batch_size=64), strict=True))
    clitic = {text for text, doc in cloze_docs.items() if vague_tokens(doc)}
    kept: list[Draft] = []
    debug = bool(os.environ.get("QUIZBOT_GEN_DEBUG"))
    for d in drafts:
        reasons = refusals(d, docs.get(id(d)), ctx)
        plain = fill_gaps(d.prompt)
        if d.cloze and plain in clitic:
            reasons.append("vague: a clitic whose referent the sentence does not give")
        # v3.6: the item reads alone (``alone.py``: « en est », « la troupe », « En la … »)
        doc = cloze_docs.get(plain) if d.cloze else docs.get(id(d))
        if doc is not None and not reasons:
            gap = CLOZE_GAP.search(d.prompt)
            reasons += alone.problems(
                doc,
                gap[1] if gap else "",
                alone.earlier_text(ctx.text, d.source),
                d.source,
                ctx.text,
            )
        if not reasons:  # v3.7: the item is not broken (``broken.py``: lost argument, …)
            reasons += broken.problems(_broken_item(d, ctx), parse)
        if not reasons:
            kept.append(d)
        elif debug:
            print(f"REFUSED [{d.pattern}] {d.prompt} -> {d.answer}: {reasons}", file=sys.stderr)
    return kept
