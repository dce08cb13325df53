"""Third round: rules from the two readers' verdicts on the first unseen texts.

Each rule is a general rule of French or of school texts (never a word list keyed to one
passage); when a rule cannot tell, the item is refused: precision on unseen texts first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.content.generator import lexicon
from bot.content.generator.model import AnswerType, Draft
from bot.content.generator.rank import fold
from bot.domain.deck import fill_gaps

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Nouns of time, season or state: « au repos », « à l'automne » answer « Quand » or
# « Dans quel état », never « Où ».
_NOT_PLACE = frozenset(
    {
        "automne",
        "hiver",
        "printemps",
        "été",
        "saison",
        "matin",
        "soir",
        "nuit",
        "jour",
        "journée",
        "semaine",
        "année",
        "an",
        "début",
        "fin",
        "moment",
        "époque",
        "lendemain",
        "veille",
        "repos",
        "effort",
        "cours",
        "total",
        "moyenne",
        "siècle",
        "heure",
        "instant",
        "mois",
        "fois",
        "naissance",
        "mort",
        "âge",
        "contraire",
        "hasard",
        "secret",
        "besoin",
        *lexicon.MONTHS,
    }
)

# Hypernyms a French text uses to refer back to a thing it has named (« le haut barrage
# d'Assouan … L'ouvrage protège … »): as an answer, they name nothing.
_ANAPHORIC_NOUNS = frozenset(
    {
        "ouvrage",
        "édifice",
        "bâtiment",
        "monument",
        "construction",
        "installation",
        "appareil",
        "dispositif",
        "instrument",
        "engin",
        "machine",
        "procédé",
        "système",
        "ensemble",
        "phénomène",
        "processus",
        "projet",
        "texte",
        "document",
        "événement",
        "mesure",
        "réforme",
        "expérience",
        "découverte",
        "invention",
        "site",
        "lieu",
        "pays",
        "région",
        "organe",
        "structure",
    }
)

_NUMBER_WORDS_SMALL = frozenset({"deux", "trois", "quatre"})

_OBJECT_CLITIC_VERB = re.compile(
    r"(?<![\wÀ-ÿ'])(?:la|le|les) (?:ne )?[a-zà-ÿ]+(?:èrent|irent|urent|aient)\b"
    r"|(?<![\wÀ-ÿ'])(?:l'|les )(?:a|ont|avait|avaient|eut|eurent) "
    r"[a-zà-ÿ]+(?:é|ée|és|ées|i|ie|is|u|ue|us)\b",
)


def title_years(title: str) -> frozenset[str]:
    """« La bataille de Verdun (1916) »: the one year of an event's title is the deck's own
    subject. A span of years (« Louis Pasteur (1822-1895) ») is a life, and its years are
    facts of the biography."""
    years = re.findall(r"\b(1\d{3}|20\d{2})\b", title)
    if len(years) == 1 and not re.search(r"\d{3,4}\s*[-–]\s*\d", title):
        return frozenset(years)
    return frozenset()


def main_actors(text: str) -> frozenset[str]:
    """Peoples and countries the text keeps naming (« allemand », « Allemands »,
    « l'Allemagne »): the 5-letter stems of capitalised names whose words, names and derived
    adjectives, occur at least four times. The text's main actors are no answer."""
    words = re.findall(r"[A-Za-zÀ-ÿœ]+", text)
    counts: dict[str, int] = {}
    for w in words:
        if len(w) >= 5:
            key = fold(w)[:5]
            counts[key] = counts.get(key, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= 4)


def _head_word(answer: str) -> str:
    core = re.sub(
        r"^(?:les |le |la |l'|un |une |des |au |aux |à l'|à la |à |en |dans (?:le |la |les |l')?)",
        "",
        answer.strip(),
        flags=re.IGNORECASE,
    )
    return core.split()[0].lower() if core.split() else ""


def _gap_free(prompt: str) -> str:
    return re.sub(r"\{\{.*?\}\}", " ", prompt)


def _subject_mismatch(d: Draft) -> bool:
    """« Qu'est-ce qui peut battre … ? → le myocarde » when the text says « le cœur peut
    battre … »: the predicate stands in the source after another noun phrase than the
    answer (a pronoun or the answer itself are fine)."""
    if d.cloze or d.true_false:
        return False
    m = re.match(r"(?:Qu'est-ce qui|Qui) (\S+ \S+)", d.prompt)
    subject = d.answer
    if m is None:
        m2 = re.match(r"Pourquoi (.+?) (\S+?)-(?:t-)?(?:il|elle|ils|elles) (\S+)", d.prompt)
        if m2 is None:
            return False
        subject = m2[1]
        pred = f"{m2[2]} {m2[3]}"
    else:
        pred = m[1]
    at = d.source.find(pred)
    if at <= 0:
        return False
    before = d.source[:at].rstrip().split()
    if not before:
        return False
    if before[-1].endswith(","):  # « Alexis Saint-Martin, un jeune trappeur, fut … »
        return False
    last = before[-1].lower()
    if last in {"il", "elle", "ils", "elles", "on", "qui", "ne", "n'", "se", "s'"}:
        return False
    words = set(re.findall(r"[\wÀ-ÿœ'-]+", fold(subject)))
    return bool(words) and fold(last) not in words


def _broken_coordination(doc: Doc) -> bool:
    """« En quelle année a lieu la Révolution, la Constitution instaure … ? »: after the
    question's verb, a comma opens a second clause with its own subject and finite verb."""
    for t in doc:
        if t.dep_ != "nsubj" or t.pos_ not in {"NOUN", "PROPN"}:
            continue
        head = t.head
        if head.pos_ not in {"VERB", "AUX"} or head.dep_ in {"acl", "acl:relcl"}:
            continue  # the tagger reads « instaure » as a participle: the position decides
        left = t.left_edge.i
        if left == 0 or doc[left - 1].text != "," or head.i < t.i:
            continue
        earlier = [
            v
            for v in doc[:left]
            if v.pos_ in {"VERB", "AUX"} and "Fin" in v.morph.get("VerbForm", [])
        ]
        if earlier and not any(
            x.lower_ in {"qui", "que", "qu'", "dont", "où"} for x in doc[:left]
        ):
            return True
    return False


def _repeated_kinds(noun: str, text: str) -> bool:
    """The text names two or more things with this noun (« le haut barrage d'Assouan », « le
    Grand barrage de la Renaissance »): « le barrage » alone is one of them."""
    names = {
        fold(m[1])
        for m in re.finditer(
            rf"\b{re.escape(noun)}s? (?:de la |de l'|du |des |de |d')([A-ZÀ-Ý][\wÀ-ÿ-]+)", text
        )
    }
    names |= {
        fold(m[1])
        for m in re.finditer(rf"\b([A-ZÀ-Ý][\wÀ-ÿ-]+) {re.escape(noun)}\b", text)
        if m.start() > 0 and text[m.start() - 2 : m.start()].strip() not in {".", ""}
    }
    return len(names) >= 2


def _relative_object_lost(prompt: str, source: str) -> bool:
    """« le Grand barrage de la Renaissance, que l'Éthiopie a commencé à bâtir en 2011 » →
    « Quel pays a commencé à bâtir en 2011 ? »: the verb's object was the relative pronoun's
    antecedent, and the question left the verb without it."""
    if re.search(r"\bque\b|\bqu'", prompt.split(" ", 2)[-1]):
        return False
    for m in re.finditer(
        r"\b([a-zà-ÿ]{2,}(?:er|ir|re|é|ée|és|ées|i|ie|u|ue|it|ite))"
        r"(?= (?:sur|en|dans|à|au|aux|vers|pendant|depuis)\b| \?)",
        prompt,
    ):
        # v3.9: « si bien que », « bien que » are conjunctions, not a relative pronoun
        if re.search(rf"(?<!bien )\bqu(?:e |')[^,.;:«»]{{0,40}}?\b{re.escape(m[1])}\b", source):
            return True
    return False


def _other_segment(prompt: str, answer: str, source: str) -> bool:
    """« …, que l'Éthiopie a commencé à bâtir en 2011 … : l'Égypte craint que … » asked as
    « En quelle année l'Égypte craint-elle … ? »: the question's words stand in another part of
    the sentence (cut at « : » or « ; ») than its answer."""
    parts = re.split(r"\s[:;]\s", source)
    if len(parts) < 2 or not answer:
        return False
    home = next((p for p in parts if answer in p), None)
    if home is None:
        return False
    words = [
        w
        for w in re.findall(r"[a-zà-ÿœ]{5,}", prompt.lower())
        if w not in {"quelle", "combien", "année", "date", "depuis", "pendant"}
    ]
    if len(words) < 2:
        return False
    here = sum(w in home.lower() for w in words)
    elsewhere = sum(any(w in p.lower() for p in parts if p is not home) for w in words)
    return here < len(words) / 2 and elsewhere > here


def _coordination_cut(prompt: str, source: str) -> bool:
    """« Combien de soldats ont été tués ? » when the text says « tués ou portés disparus »:
    the question's last word is the first member of a coordination it drops."""
    m = re.search(r"([a-zà-ÿ]{3,}) \?$", prompt)
    if m is None:
        return False
    nxt = re.search(rf"\b{re.escape(m[1])} (ou|et) ([a-zà-ÿ]+)", source)
    return nxt is not None and nxt[2] not in prompt and nxt[2] not in {"le", "la", "les", "de"}


def problems(  # noqa: PLR0912, PLR0915 - one independent check per reader's finding
    d: Draft,
    doc: Doc | None,
    text: str,
    years: Iterable[str],
    actors: Iterable[str],
) -> list[str]:
    """Every reason of the third round to refuse ``d`` (``doc``: its prompt's parse)."""
    found: list[str] = []
    answer = d.notes[0] if d.true_false and d.notes else d.answer
    shown = _gap_free(d.prompt)
    filled = fill_gaps(d.prompt)
    question = not d.cloze and not d.true_false
    # --- trivial: the deck's own subject --------------------------------------------------
    if d.type is AnswerType.YEAR and answer.strip() in set(years):
        found.append("trivial: the year of the title's event")
    people = re.fullmatch(r"[Ll]es [A-ZÀ-Ý][a-zà-ÿ]+s", answer.strip()) is not None
    if d.type is AnswerType.COUNTRY or people:
        head = fold(_head_word(answer))
        if len(head) >= 5 and head[:5] in set(actors):
            found.append("trivial: one of the text's main actors")
    if not d.true_false and d.type is AnswerType.COUNT and fold(answer) in _NUMBER_WORDS_SMALL:
        found.append("trivial: a bare count")
    # --- wrong: « Où » on a time or a state -------------------------------------------------
    if question and d.prompt.startswith("Où ") and _head_word(answer) in _NOT_PLACE:
        found.append("wrong: « Où » on an answer that is not a place")
    if question and _subject_mismatch(d):
        found.append("wrong: the text gives the verb another subject")
    # --- vague -----------------------------------------------------------------------------
    if (d.cloze or d.true_false) and _OBJECT_CLITIC_VERB.search(filled):
        found.append("vague: an object pronoun whose referent the item does not give")
    if question and re.match(r"De quelle année date (?:un|une|le|la|l') ?[\wÀ-ÿ-]+ \?$", d.prompt):
        found.append("vague: a bare noun as the dated thing")
    if (
        question
        and d.prompt.startswith(("Qu'est-ce qui", "Qu'est-ce que"))
        and _head_word(answer) in _ANAPHORIC_NOUNS
        and len(answer.split()) <= 2
    ):
        found.append("vague: the answer is a noun that refers back")
    if question:
        for m in re.finditer(r"\b(?:le|la|l') ?([a-zà-ÿ]{4,})(?= \?| [,.])", d.prompt):
            if _repeated_kinds(m[1], text):
                found.append("ambiguous: the text names several things with this noun")
                break
    if (
        question
        and d.prompt.startswith("Qu'est-ce qui")
        and _head_word(answer) in lexicon.ROLE_NOUNS | {"électeur", "électrice", "citoyen"}
    ):
        found.append("ungrammatical: « Qu'est-ce qui » for a person")
    if question and _relative_object_lost(d.prompt, d.source):
        found.append("vague: the verb's object was the antecedent of a relative « que »")
    bare = re.fullmatch(r"(?:[Ll]e |[Ll]a |[Ll]')([A-ZÀ-Ý][a-zà-ÿ-]+)", answer.strip())
    if (
        bare
        and not d.true_false
        and re.search(
            rf"\b{re.escape(bare[1])} (?:de |du |d')(?:la |l')?(?:[A-ZÀ-Ý]|\d{{3,4}}\b)", text
        )
    ):
        found.append("ambiguous: the text names several things with this noun")
    # --- giveaway ----------------------------------------------------------------------------
    if d.cloze and re.search(
        r"\}\},? (?:la |sa )?capitale d|capitale (?:du|de la|de l'|des|d') ?\{\{", d.prompt
    ):
        found.append("giveaway: a country beside its capital")
    if d.cloze and d.type in {AnswerType.YEAR, AnswerType.MONTH}:
        year = re.search(r"\d{4}", answer)
        if year and re.search(rf"(?<!\d){year[0]}(?!\d)", shown):
            found.append("giveaway: the answer's year stands in the prompt")
    if not d.true_false and d.type not in {AnswerType.CAUSE, AnswerType.LIST}:
        for w in re.findall(r"[a-zà-ÿœ]{6,}", answer):
            stem = re.sub(r"(?:e|es|s)$", "", w)
            if any(
                x != w and x.startswith(stem) and len(x) - len(stem) <= 3
                for x in re.findall(r"[a-zà-ÿœ]+", shown.lower())
            ):
                found.append("giveaway: a derived adjective in the prompt")
                break
    if question and d.type.is_numeric and _other_segment(d.prompt, d.answer, d.source):
        found.append("wrong: the number or date belongs to another clause of the sentence")
    if question and _coordination_cut(d.prompt, d.source):
        found.append("wrong: the question keeps one member of a coordination")
    if (
        not d.true_false
        and not d.type.is_numeric
        and d.type not in {AnswerType.CAUSE, AnswerType.LIST}
    ):
        # « {{la Première Guerre mondiale}} est devenue une guerre de position »
        # the question word's own noun (« Quelle organisation … ? ») names the type, not it
        asked = re.sub(
            r"^(?:Dans |De |À |Par |Pour |Avec |Sur )?(?:quel|quelle|quels|quelles) \S+",
            "",
            shown,
            flags=re.IGNORECASE,
        )
        for w in re.findall(r"[\wÀ-ÿœ-]{5,}", answer):  # words of 5+: never an article
            if re.search(rf"(?<![\w-]){re.escape(fold(w))}s?(?![\w-])", fold(asked)):
                found.append("giveaway: the answer's own noun stands in the prompt")
                break
    if (
        d.cloze
        and answer[:1].islower()
        and re.search(
            rf"\b(?:le|la|les) (?:plus|moins) [a-zà-ÿ]+ \{{{{{re.escape(answer)}\}}}}", d.prompt
        )
    ):
        found.append("ambiguous: the noun of a superlative (« le plus vaste {{lac d'…}} »)")
    # --- ungrammatical -------------------------------------------------------------------------
    if question and doc is not None and _broken_coordination(doc):
        found.append("ungrammatical: a second clause left in the question")
    if (
        question
        and re.search(
            r"\b(?:nettement|bien|beaucoup|largement|deux fois) [a-zà-ÿ]+ que\b", d.prompt
        )
        and not re.search(r"\b(?:plus|moins|aussi|autant)\b", d.prompt)
    ):
        found.append("ungrammatical: a comparison without « plus »")
    return found
