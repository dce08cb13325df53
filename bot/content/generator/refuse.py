"""Fifth round (gen7): refusals that hold on any French text, not patterns of the rated ones.

Four rounds of readers rated unseen texts' questions far below the texts the rules were written
from. These checks do not repair an item: they refuse the shapes that go wrong whatever the
words (``docs/generation.md``). Each returns the rubric's reason, or nothing.
"""

from __future__ import annotations

import re

from bot.content.generator import lexicon
from bot.content.generator.model import AnswerType, Draft
from bot.content.generator.rank import fold

_W = r"[\wÀ-ÿœ'-]"
#: A question-word question whose verb is inverted (« … a-t-il été … ? », « … est-elle … ? »).
_INVERTED = re.compile(rf"\b{_W}+-(?:t-)?(?:il|elle|ils|elles)\b")
#: What must not sit between the question word and the inverted verb.
_SPLICE = re.compile(r"c'est-à-dire|\(|\)|;|:| – | — ")
#: An unnamed description standing for a person.
_PERSON_DESCRIPTION = re.compile(
    r"\b(?:[Ll]e|[Ll]a|[Ll]'|[Cc]e|[Cc]ette|[Cc]et)\s*"
    r"(?:jeune homme|jeune femme|jeune fille|écrivain|écrivaine|"
    r"savant|savante|chercheur|chercheuse|romancier|romancière|poète|poétesse|"
    r"auteur|autrice|scientifique|physicien|physicienne|chimiste|biologiste|"
    r"vieil homme|vieillard)\b"
    r"(?!\s+(?:[a-zà-ÿ]+\s+)?[A-ZÀ-Ý])",
)
#: « De quelle année date la mauvaise récolte ? »: a definite noun with nothing to identify it.
_BARE_DEFINITE = re.compile(
    r"^(?:De quelle année|De quand|En quelle année) date(?:nt)? "
    r"(?:le|la|l'|les) ?[a-zà-ÿœ'-]+ [a-zà-ÿœ'-]+ \?$"
)
#: Conditions: dropped from a « Qu'est-ce qui … ? », they leave a false general statement.
_CONDITION = re.compile(
    r"\b(?:si|s'il|s'ils|lorsque|lorsqu'|quand|en cas d'|en cas de|chaque fois que|"
    r"chaque fois qu'|dès que|dès qu'|faute d'|faute de|à condition que|pourvu que)\b",
    re.IGNORECASE,
)
#: « Plusieurs causes expliquent … »: a sentence that only announces what follows.
_ANNOUNCEMENT = re.compile(
    r"^(?:Plusieurs|Différents|Différentes|Divers|Diverses|De nombreux|De nombreuses|"
    r"Certains|Certaines|Quelques)\s",
)


_PREP = {
    "avec",
    "grâce",
    "dans",
    "selon",
    "en",
    "par",
    "pour",
    "à",
    "sur",
    "sous",
    "malgré",
    "depuis",
    "après",
    "avant",
    "sans",
    "entre",
    "vers",
    "chez",
    "contre",
    "dès",
    "lors",
}


def _words(text: str) -> list[str]:
    return re.findall(rf"{_W}+", fold(text))


def spliced_question(d: Draft) -> str | None:
    """A question-word question only inverts a simple clause: nothing spliced in, no part of a
    second clause of the sentence (after « ; », « , et », « , puis ») carried into it."""
    if d.cloze or d.true_false or not d.prompt.endswith("?"):
        return None
    inverted = _INVERTED.search(d.prompt)
    if inverted is not None and _SPLICE.search(d.prompt[: inverted.start()]):
        return "ungrammatical: a parenthetical inside the inverted clause"
    # the sentence has two clauses: the question must stay inside the one holding the answer
    parts = re.split(r"\s*;\s*|,\s+puis\s+", d.source)
    if len(parts) < 2:
        return None
    answer = fold(d.answer)
    home = [p for p in parts if answer in fold(p)]
    if len(home) != 1:
        return None
    asked = " ".join(_words(d.prompt))
    for p in parts:
        if p is home[0]:
            continue
        w = _words(p)
        for i in range(len(w) - 2):
            three = " ".join(w[i : i + 3])
            if f" {three} " in f" {asked} " and three not in " ".join(_words(home[0])):
                return "ungrammatical: another clause of the sentence spliced into the question"
    return None


def dropped_comma(d: Draft) -> str | None:
    """« le renard la ruse l'âne la sottise », « un genre plus large l'apologue »: two words the
    source separates by a comma, run together in the prompt."""
    if d.true_false:
        return None
    prompt = d.prompt.replace("{{", "").replace("}}", "")
    for m in re.finditer(rf"({_W}+), ({_W}+(?: {_W}+)?)", d.source):
        a, b = m[1], m[2]
        if not re.match(r"(?:le|la|les|l'|un|une|des|du)\b", b.lower()):
            continue  # an incise (« , grâce à … , ») may lose its commas
        before = d.source[: m.start(2)].rstrip(", ").rsplit(",", 1)
        if len(before) == 2 and before[1].split()[:1] and before[1].split()[0].lower() in _PREP:
            continue  # the closing comma of an incise (« , avec A et B, le prix »)
        if re.search(rf"(?<![\wÀ-ÿ'-]){re.escape(a)} {re.escape(b)}(?![\wÀ-ÿ'-])", prompt) and (
            f"{a} {b}" not in d.source
        ):
            return "ungrammatical: a comma of the source dropped"
    return None


def unnamed(d: Draft) -> str | None:
    """« le jeune homme », « l'écrivain » standing for a person, « la mauvaise récolte » with
    nothing to say which: the question cannot be answered out of its text."""
    if d.true_false:
        return None
    prompt = d.prompt
    if d.cloze:
        prompt = re.sub(r"\{\{.*?\}\}", "Nom", prompt)  # the blank may be the name
    if _PERSON_DESCRIPTION.search(prompt):
        return "unclear: an unnamed description stands for a person"
    if not d.cloze and _BARE_DEFINITE.search(prompt):
        return "unclear: a definite noun the question does not identify"
    return None


def dropped_condition(d: Draft) -> str | None:
    """« Qu'est-ce qui devient jaune et fumeuse ? » without « lorsque le dioxygène manque »."""
    if d.cloze or d.true_false or not d.prompt.startswith("Qu'est-ce qu"):
        return None
    for m in _CONDITION.finditer(d.source):
        if m[0].lower() not in d.prompt.lower():
            return "false: the sentence's condition is left out"
    return None


def counted_list(d: Draft) -> str | None:
    """A true/false never turns false by the count that announces a list (« deux éléments : A,
    B et C »): the list says the true count. A true announcement (« Plusieurs causes
    expliquent … ») teaches nothing."""
    if not d.true_false:
        return None
    if d.truth is False and d.type is AnswerType.COUNT:
        shown = set(_words(d.prompt))
        for w in set(_words(d.source)) - shown:
            if (w in lexicon.NUMBER_WORDS or w.isdigit()) and re.search(
                rf"\b{re.escape(w)}\b[^.:;,]*:", fold(d.source)
            ):
                return "wrong: the count of a listed enumeration changed"
    if d.truth is True and _ANNOUNCEMENT.match(d.prompt) and len(d.prompt.split()) <= 8:
        return "not worth learning: an announcement"
    return None


def foreign_options(d: Draft) -> tuple[str, ...]:
    """Options of another type than the answer: a person question offers only names."""
    if d.type is not AnswerType.PERSON or d.cloze or d.true_false:
        return d.distractors
    answer_words = len(d.answer.split())
    return tuple(
        x
        for x in d.distractors
        if not (answer_words >= 2 and len(x.split()) == 1 and x.endswith("s") and x[:1].isupper())
    )


CHECKS = (spliced_question, dropped_comma, unnamed, dropped_condition, counted_list)


def refusal(d: Draft) -> str | None:
    """The first general reason to refuse ``d``, or None."""
    for check in CHECKS:
        reason = check(d)
        if reason:
            return reason
    return None
