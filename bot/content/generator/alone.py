"""v3.6 (gen10): an item must read alone — general checks on the parse of the item itself.

In every unseen round the first reason items failed was ``vague``: the item cannot be
understood out of the text (« … en est le modèle le plus célèbre », « la troupe parcourt les
provinces » — whose troupe?, « Les plus dangereuses produisent … », « En la comparant … »).
These checks read the item's own parse (spaCy dependencies and morphology), not word lists of
the rated texts: each names a shape of French that points outside the sentence. Each returns
the rubric's reason or None; :data:`RULES` lists them by name so that their effect on the
rated items can be measured one by one (``docs/generation.md``, « Reads alone »).

Also here: the leading connector a statement or cloze keeps from its sentence (« Ensuite, »,
« Mais »), stripped when what is left is a whole sentence (:func:`strip_connector`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.content.generator.rank import fold
from bot.domain.deck import CLOZE_GAP, fill_gaps

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Object clitics a gerund or participle may carry (« en la comparant »).
_OBJECT_CLITICS = {"la", "le", "les", "l'", "lui", "leur", "y", "en"}
#: Subject pronouns that stand for a group named elsewhere (« Certains jalonnent … »).
_INDEFINITE_SUBJECTS = {
    "certains",
    "certaines",
    "d'autres",
    "autres",
    "quelques-uns",
    "quelques-unes",
    "plusieurs",
    "beaucoup",
}
_DEFINITE = {"le", "la", "les", "l'"}
_DEMONSTRATIVE = {"ce", "cet", "cette", "ces"}
_SUBJECT_DEPS = {"nsubj", "nsubj:pass"}


def _verbal(tok: Token) -> bool:
    return tok.pos_ in {"VERB", "AUX"}


def adverbial_pronoun(doc: Doc, gap: str = "") -> str | None:
    """« … en est le modèle le plus célèbre », « Les deux poumons en renferment … », « on y
    trouve … »: the clitic « en » / « y » before a verb stands for something the item does not
    name. Not the preposition (« en 1670 », « en France »: a noun or number follows), not a
    gerund (« en comparant »), not « il y a », « y a-t-il », « y compris »."""
    del gap
    for t in doc:
        if t.lower_ not in {"en", "y"} or t.i + 1 >= len(doc):
            continue
        nxt = doc[t.i + 1]
        after = doc[t.i + 2] if t.i + 2 < len(doc) else None
        if t.lower_ == "y" and (
            nxt.lower_ == "compris"
            or (t.i > 0 and doc[t.i - 1].lower_ in {"il", "n'"})
            or re.match(r"y (?:a|avait|eut|aura)-t?-?il\b", doc[t.i :].text.lower())
        ):
            continue  # « il y a », « il n'y a », « y a-t-il », « y compris »
        if nxt.lower_ in {"ne", "n'"} and after is not None:
            nxt = after
        if not _verbal(nxt) or nxt.text.lower().endswith("ant"):
            continue  # a preposition, or the gerund « en comparant »
        if t.lower_ == "en" and "Part" in nxt.morph.get("VerbForm", []) and t.dep_ == "case":
            continue  # « en effet » / « en cours » read as preposition before a participle
        return "vague: « en » / « y » sans antécédent dans l'item"
    return None


def gerund_clitic(doc: Doc, gap: str = "") -> str | None:
    """« En la comparant à d'autres inscriptions, Champollion … »: a gerund or participle
    whose object clitic points to the sentence before."""
    del gap
    for t in doc:
        if not t.lower_.endswith("ant"):
            continue  # « comparant », « la voyant »: the form in -ant, whatever its tag
        before = doc[t.i - 1] if t.i > 0 else None
        if (
            before is not None
            and before.lower_ in _OBJECT_CLITICS
            and (before.pos_ == "PRON" or before.dep_ in {"obj", "iobj", "expl:comp", "det"})
            and t.pos_ in {"VERB", "AUX"}
        ):  # the tagger reads « la » of « en la comparant » as the verb's determiner
            return "vague: participe avec un pronom complément sans antécédent"
    return None


def substantivised(doc: Doc, gap: str = "") -> str | None:
    """« Les plus dangereuses produisent des nuées ardentes », « Certains jalonnent les
    dorsales »: a subject that is an adjective without its noun, or an indefinite pronoun
    without « de N », stands for a group the sentence does not name."""
    for t in doc:
        if t.dep_ not in _SUBJECT_DEPS or (gap and fold(t.text) in fold(gap)):
            continue
        kids = {c.dep_ for c in t.children}
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if (
            t.pos_ == "ADJ"
            and any(c.lower_ in _DEFINITE for c in t.children)
            and (
                any(c.lower_ in {"plus", "moins"} for c in t.children)
                or ("Plur" in t.morph.get("Number", []) and t.lower_ != "autres")
            )
            and (nxt is None or nxt.pos_ not in {"NOUN", "PROPN"})
        ):  # « Les plus dangereuses … », not a noun the tagger misread (« la tectonique »)
            return "vague: adjectif substantivé sans son nom"
        if (
            t.pos_ in {"PRON", "ADJ", "DET"}
            and t.lower_ in _INDEFINITE_SUBJECTS
            and "nmod" not in kids
            and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ in {"de", "d'", "des"})
        ):
            return "vague: pronom indéfini sujet sans son nom"
    return None


def _bare(noun: Token) -> bool:
    """A noun with only its determiner (no adjective, complement, relative or name)."""
    return all(c.dep_ in {"det", "case", "punct", "cc"} for c in noun.children)


def _determiner(noun: Token) -> str:
    dets = [c.lower_ for c in noun.children if c.dep_ == "det"]
    return dets[0] if dets else ""


def _recent(earlier: str, n: int = 3) -> str:
    """The last ``n`` sentences of ``earlier`` (the text before the item's sentence)."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", earlier.strip()) if p]
    return " ".join(parts[-n:])


def anaphoric_np(
    doc: Doc, gap: str = "", earlier: str = "", source: str = "", text: str = ""
) -> str | None:
    """« le même traité », « ce procédé » (a demonstrative or « même » without a relative);
    « la troupe parcourt … » two sentences after « … fonde une troupe »: a bare definite
    subject whose noun one of the three sentences before introduced with an indefinite
    article refers back to that one thing — not a predicate (« est une monarchie »), not a
    noun the text introduces again and again (« une solution »: a kind, not one thing);
    « Dans quelle ville le siège se trouve-t-il ? » from « …, dont le siège se trouve à
    Genève »: the question lost the owner « dont » gave its subject. ``earlier``: the text
    before the item's sentence; ``source``: that sentence; ``text``: the whole text."""
    recent = fold(_recent(earlier))
    for t in doc:
        if t.pos_ != "NOUN" or (gap and fold(t.text) in fold(gap)):
            continue
        det = _determiner(t)
        if det in _DEMONSTRATIVE and not any(c.dep_ in {"acl:relcl", "acl"} for c in t.children):
            return "vague: démonstratif sans référent dans l'item"
        if det in _DEFINITE and any(c.lower_ == "même" for c in t.children):
            return "vague: « le même … » sans référent dans l'item"
        if t.dep_ not in _SUBJECT_DEPS or det not in _DEFINITE or not _bare(t):
            continue
        noun = fold(t.text)
        if len(noun) < 4:
            continue
        if (
            source
            and "dont" not in doc.text
            and re.search(rf"\bdont (?:le|la|les|l') ?{re.escape(t.text)}\b", source)
        ):
            return "vague: le possesseur que « dont » donnait manque"
        if len(re.findall(rf"\bune? {re.escape(noun)}\b", fold(text or earlier))) != 1:
            continue  # « forme une solution », « dilue une solution »: a kind, not one thing
        for m in re.finditer(rf"\b(\w+) (?:une?) {re.escape(noun)}\b", recent):
            if m[1] not in {"est", "sont", "etait", "devient", "reste", "fut", "comme"}:
                return "vague: groupe nominal défini qui renvoie à une phrase précédente"
    return None


Rule = Callable[..., str | None]
#: The reads-alone checks by name, in the order they run (``docs/generation.md``).
RULES: dict[str, Rule] = {
    "en-y": adverbial_pronoun,
    "gerund-clitic": gerund_clitic,
    "substantivised": substantivised,
    "anaphoric-np": anaphoric_np,
}
#: The rules the pipeline applies (those whose measure on the rated items kept them): the
#: reads-alone checks, the leading connector stripped (``connector``), a cloze dropped on the
#: span a statement tests (``statement-span``, ``pipeline.one_per_fact``).
ON: frozenset[str] = frozenset({*RULES, "connector", "statement-span"})


def problems(
    doc: Doc,
    gap: str = "",
    earlier: str = "",
    source: str = "",
    text: str = "",
    on: frozenset[str] = ON,
) -> list[str]:
    """Why an item (its parse: a question, a statement, a cloze with its gap filled) does not
    read alone; ``gap``: a cloze's answer (its words are given, not referred to)."""
    found: list[str] = []
    for name, rule in RULES.items():
        if name not in on:
            continue
        why = rule(doc, gap, earlier, source, text) if name == "anaphoric-np" else rule(doc, gap)
        if why:
            found.append(f"{why} [{name}]")
    return found


# --- leading connectors ------------------------------------------------------------------------

#: Connectors that tie a sentence to the one before and carry no fact of their own.
_CONNECTORS = (
    "ensuite|d'abord|tout d'abord|enfin|puis|mais|cependant|pourtant|toutefois|alors|ainsi"
    "|de plus|en outre|par ailleurs|en effet|or|donc|néanmoins|en revanche|au contraire"
    "|finalement|aussi|de même|par conséquent|en fait"
)
_LEADING = re.compile(rf"^(?:{_CONNECTORS})(?:,\s*|\s+)(?=\S)", re.IGNORECASE)
#: What may start the sentence that is left: a determiner, a name, a pronoun subject, a number.
_SENTENCE_START = re.compile(
    r"^(?:\{\{)?(?:le|la|les|l'|un|une|des|du|ce|cet|cette|ces|son|sa|ses|leur|leurs|il|elle"
    r"|ils|elles|on|en \d|au |aux |à |dans |chaque |\d|[A-ZÀ-Ý])",
    re.IGNORECASE,
)


def strip_connector(prompt: str) -> str:
    """« Ensuite, au cours du cycle de Calvin, le dioxyde … » → « Au cours du cycle de Calvin,
    le dioxyde … »; « Mais la première machine … » → « La première machine … ». A phrase that
    carries a fact (« Trois ans plus tard, ») is no connector and stays (the item stays
    refused for it by the checks); « Ainsi nommé … » / « Alors que … » are not stripped."""
    m = _LEADING.match(prompt)
    if not m or "connector" not in ON:
        return prompt
    rest = prompt[m.end() :]
    if re.match(r"(?:que|qu'|nommée?s?|appelée?s?|,)", rest, re.IGNORECASE):
        return prompt  # « Alors que … », « Ainsi nommé … »: part of the clause
    if m[0].strip().lower() in {"ainsi", "aussi", "alors", "or", "donc"} and "," not in m[0]:
        return prompt  # « Ainsi le roi … », « Aussi le … »: adverbs of the clause without comma
    if not _SENTENCE_START.match(rest) or len(rest.split()) < 5:
        return prompt
    if rest.startswith("{{"):
        return "{{" + rest[2].upper() + rest[3:]
    return rest[0].upper() + rest[1:]


def earlier_text(text: str, source: str) -> str:
    """The text before the item's sentence (empty when the sentence is not found)."""
    here = text.find(source[:60]) if source else -1
    return text[:here] if here > 0 else ""


# --- the measure of each rule on rated items ------------------------------------------------


def measure(round_dir: str = "tests/data/ratings/v3.5") -> dict[str, list[int]]:
    """Per rule: [items it refuses or repairs, then per reader (``rounds.READERS``) of those
    items how many were rated A (the cost) and M/N (the gain)], on a round's frozen decks and
    ratings (``docs/generation.md``, step 7i). Needs the French model."""
    from bot.content.generator import pipeline, rounds

    nlp = pipeline.load_model()

    def rules_of(q: dict[str, Any], text: str) -> set[str]:
        prompt, source = str(q["prompt"]), str(q.get("source", ""))
        gap = CLOZE_GAP.search(prompt)
        doc = nlp(fill_gaps(prompt))
        found = {
            p.rsplit("[", 1)[1].rstrip("]")
            for p in problems(doc, gap[1] if gap else "", earlier_text(text, source), source, text)
        }
        if q["kind"] in {"cloze", "true_false"} and strip_connector(prompt) != prompt:
            found.add("connector")
        return found

    return rounds.rule_table(round_dir, rules_of)


def main(argv: list[str]) -> int:
    """``python -m bot.content.generator.alone [ROUND_DIR]``: the table of step 7i."""
    from bot.content.generator import rounds

    rounds.print_rule_table(measure(*argv[:1]))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
