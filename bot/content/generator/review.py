"""Second round of checks, from an independent reader's ratings of the first frozen decks
(``tests/data/ratings/v1/reader-2``, development texts only; ``docs/generation.md``).

Each check returns the rubric's reason for refusing an item, or nothing; :func:`tidy` makes the
small edits the reader asked for (« fait alors appel », « , par exemple, », « Pierre » alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.content.generator.lexicon import NUMBER_WORDS
from bot.content.generator.model import AnswerType, Draft
from bot.content.generator.rank import fold
from bot.domain.deck import fill_gaps

_W = r"[\wÀ-ÿœ'-]"
#: « plus de 250 », « environ 8 mètres »: a bound or an estimate, never an exact answer.
BOUND = re.compile(
    r"\b(?:plus de|moins de|près de|environ|presque|au moins|au plus|jusqu'à|quelque|"
    r"plus d'|moins d'|près d')\s*$",
    re.IGNORECASE,
)
#: A bound (not an estimate): a false statement that moves it is not clearly false. The
#: number in digits or in words (v3.9: « plus de deux millions » → « plus de trois millions »
#: is not said by the text, « plus de cinq milliards » → « plus de quatre » is even true).
_BOUND_NUMBER = re.compile(
    r"\b(?:plus de|moins de|plus d'|moins d'|au moins|au plus|jusqu'à)\s*"
    rf"(\d[\d\s ,.]*|(?:{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})\b)",
    re.IGNORECASE,
)
#: Nouns that need a complement or an earlier sentence to be understood (« le projet »,
#: « la réforme », « la première estimation », « le couple »).
RELATIONAL = {
    "projet",
    "réforme",
    "estimation",
    "couple",
    "texte",
    "loi",
    "mesure",
    "décision",
    "expérience",
    "découverte",
    "ouvrage",
    "méthode",
    "théorie",
    "idée",
    "accord",
    "traité",
    "événement",
    "phénomène",
    "hypothèse",
    "invention",
    "opération",
    "campagne",
    "mission",
    "équipe",
    "procédé",
    "technique",
    "modèle",
    "réaction",
    "système",
}
#: A person named by a role alone: « Le météorologue allemand », « le physicien ».
ROLES = {
    "météorologue",
    "géologue",
    "physicien",
    "physicienne",
    "chimiste",
    "savant",
    "poète",
    "écrivain",
    "auteur",
    "astronome",
    "philosophe",
    "mathématicien",
    "biologiste",
    "médecin",
    "chercheur",
    "chercheuse",
    "inventeur",
    "imprimeur",
    "explorateur",
    "historien",
    "économiste",
    "romancier",
    "dramaturge",
    "peintre",
    "compositeur",
    "ingénieur",
    "naturaliste",
    "géographe",
    "navigateur",
    "président",
    "ministre",
    "général",
    "roi",
    "reine",
    "empereur",
    "dirigeant",
    "banquier",
    "financier",
    "associé",
    "jeune",
}
_DEF = r"(?:[Ll]e|[Ll]a|[Ll]es|[Ll]')\s?"
_ADJ = r"(?:premier|première|premiers|premières|dernier|dernière|nouveau|nouvelle|même|seul|seule)"


def vague_description(
    text: str, subject_words: Iterable[str] = (), question: bool = False
) -> str | None:
    """A definite description as the subject whose referent the sentence does not give:
    « La première estimation est due à … », « Le projet est rédigé … », « En quelle année la
    réforme est-elle approuvée ? », « le couple », « Le météorologue allemand » without the
    name. Not the deck's own subject (« Le traité » in a text on the traité de Rome)."""
    subjects = {w for s in subject_words for w in re.findall(r"[a-z]+", fold(s))}
    for m in re.finditer(rf"(?<![\wÀ-ÿ]){_DEF}(?:{_ADJ}\s)?({_W}+)((?:\s{_W}+)?)", text):
        noun = m[1].lower()
        after = text[m.end(1) :]
        if fold(noun) in subjects:
            continue
        if question:  # the subject of the inversion: « la réforme est-elle … ? »
            if not re.match(rf"(?:\s[a-zà-ÿ]+)?\s{_W}+-(?:t-)?(?:il|elle|ils|elles)\b", after):
                continue
        elif m.start() > 0 and not re.fullmatch(r"[^,]{1,40}, ", text[: m.start()]):
            continue  # the subject: at the start, or after « En 1898, »
        if noun in RELATIONAL:
            if re.match(r"\s*(?:de |d'|du |des |à |qui |que |qu'|dont |où |[A-ZÀ-Ý«(])", after):
                continue
            if re.match(r"\s+[a-zà-ÿ]+(?:é|ée|és|ées|ique|iques|al|ale|aux|elle|el)\b", after):
                continue  # « la réforme agraire », « le projet européen »: named enough
            return f"vague: « {m[0].strip()} » (which {noun}?)"
        if noun in ROLES:
            # « le physicien britannique Joseph John Thomson »: named right after
            if re.match(rf"(?:\s[a-zà-ÿ-]+){{0,2}},?\s+(?:[A-ZÀ-Ý]{_W}+)", after):
                continue
            if re.match(r"\s*(?:de |d'|du |des )", after):
                continue  # « le président de la République »
            return f"vague: « {m[0].strip()} » (which person?)"
    return None


def bounded(answer: str, prompt_or_source: str) -> bool:
    """``answer`` (a number) follows « plus de », « environ », … in the sentence."""
    i = prompt_or_source.find(answer)
    return i >= 0 and bool(BOUND.search(prompt_or_source[:i]))


def problems(d: Draft, subject_words: Iterable[str] = ()) -> list[str]:  # noqa: PLR0912 - one rule per reader's finding
    """The second round's reasons to refuse ``d`` (empty when none applies)."""
    found: list[str] = []
    prompt = d.prompt
    filled = fill_gaps(prompt)
    answer = d.notes[0] if d.true_false and d.notes else d.answer
    # giveaway: « à Varsovie, en {{Pologne}} », « Mayence, en {{Allemagne}} »
    if d.cloze and re.search(r"\b(?:à|de|d') ?[A-ZÀ-Ý][\wÀ-ÿ'-]+, en \{\{", prompt):
        found.append("giveaway: a country given by its city")
    # giveaway: « le polonium, ainsi nommé en hommage à {{la Pologne}} »
    head = re.sub(r"^(?:le |la |les |l')", "", answer, flags=re.IGNORECASE)
    if (
        not d.true_false
        and head[:1].isupper()
        and len(head) >= 5
        and re.search(r"\b(?:hommage|honneur)\b", d.source)
    ):
        outside = re.sub(r"\{\{.*?\}\}", " ", prompt) if d.cloze else prompt
        stem = fold(head)[:4]
        if any(
            fold(w).startswith(stem) and fold(w) != fold(head)
            for w in re.findall(r"[a-zà-ÿœ]{5,}", outside)
        ):
            found.append("giveaway: a word derived from the answer")
    # numbers: a bound is not an exact answer, a benchmark has no year
    if not d.cloze and not d.true_false:
        i = d.source.find(d.answer)
        before = d.source[:i] if i >= 0 else ""
        if (
            d.type.is_numeric
            and d.type not in {AnswerType.YEAR, AnswerType.MONTH, AnswerType.DATE}
            and (
                re.search(
                    r"\b(?:plus|moins) d(?:e |')\s*$|\bau (?:moins|plus) $|\bjusqu'à $", before
                )  # a bound: « plus de 250 » is not 250
                or (BOUND.search(before) and not d.distractors)  # « environ 8 »: a choice only
            )
        ):
            found.append("ambiguous: « plus de / environ » N asked as an exact number")
        if d.type in {AnswerType.YEAR, AnswerType.MONTH, AnswerType.DATE} and re.search(
            r"\b(?:plus de|moins de|plus d'|moins d')\s*\d", prompt
        ):
            found.append("ambiguous: the year of a benchmark (« plus de 250 villes »)")
    if d.true_false and d.truth is False:
        for m in _BOUND_NUMBER.finditer(d.source):
            if m[0].strip() not in prompt:
                found.append("ambiguous: a false statement that moves a bound")
                break
    # trivial: the text's own subject inside the answer, « l'UNESCO » of « patrimoine mondial »
    if not d.true_false:
        a = fold(answer)
        content = [
            w
            for w in re.findall(r"[a-z0-9]+", a)
            if len(w) >= 3 and w not in {"dans", "les", "des", "sur", "aux", "par"}
        ]
        for s in subject_words:
            fs = re.sub(r"^(?:le |la |les |l')", "", fold(s))
            if (
                len(fs) >= 4
                and a != fs
                and re.search(rf"(?<![a-z0-9]){re.escape(fs)}(?![a-z0-9])", a)
                and d.type in {AnswerType.PLACE, AnswerType.OTHER, AnswerType.ORG}
                and len(fs.split()) * 2 >= len(content)  # « le Val de Loire », not « la
                # Compagnie universelle du canal de Suez »
                and not (  # « l'Empire d'Occident » in a text on the Republic and the Empire
                    content[:1] == fs.split()[:1] and re.search(r"\b(?:de|du|des|d')\b", a)
                )
            ):
                found.append(f"trivial: the answer names the text's subject ({s})")
                break
        if re.search(r"patrimoine mondial (?:de l'|de la |du )\{\{", prompt) or (
            fold(answer) in {"l'unesco", "unesco"} and "patrimoine mondial" in d.source
        ):
            found.append("trivial: general knowledge (patrimoine mondial de l'UNESCO)")
        # « ce malaise », « cette idée »: a demonstrative is not an answer
        if re.match(r"(?:ce|cet|cette|ces)\s", answer, re.IGNORECASE):
            found.append("wrong: a demonstrative answer")
    # ambiguous « Qu'est-ce qui … ? »: short ones (water fits too), « ne … que »
    if prompt.startswith("Qu'est-ce qui ") and (
        len(prompt.split()) <= 6 or re.search(r"\bne\b.*\bque\b", prompt)
    ):
        found.append("ambiguous: « Qu'est-ce qui … ? » that several things answer")
    # wrong: « fait jouer Chatterton » read as « joue Chatterton »
    if not d.cloze and not d.true_false:
        for m in re.finditer(
            r"\bf(?:ait|it|ont|irent|aisait|aisaient|era|eront|ait)\s+([a-zà-ÿ]+(?:er|ir|re))\b",
            d.source,
        ):
            stem = m[1][: max(3, len(m[1]) - 2)]
            if re.search(rf"\b{re.escape(stem)}", prompt) and not re.search(
                r"\bf(?:ait|it|ont|irent|aisait)\b", prompt
            ):
                found.append("wrong: « faire + verbe » read as the verb")
                break
    # vague: « Comment appelle-t-on la longue période de paix ? » (whose? when?)
    named = re.match(r"Comment appelle-t-on ((?:le |la |les |l').*?) \?$", prompt)
    if named and re.fullmatch(rf"(?:le |la |les |l')(?:{_W}+ ){{0,2}}(?:de |d')?{_W}+", named[1]):
        found.append("vague: a short description that names no one thing")
    text = filled if d.cloze else prompt
    why = vague_description(text, subject_words, question=not (d.cloze or d.true_false))
    if why:
        found.append(why)
    return found


_LINKS = (
    "au contraire|en revanche|pourtant|cependant|toutefois|par ailleurs|de plus|en effet"
    "|quant à lui|quant à elle"
)


def tidy(prompt: str, full_names: Iterable[str] = (), text: str = "", source: str = "") -> str:
    """Small edits: « fait alors appel » → « fait appel »; « , par exemple, » dropped;
    « Pierre meurt-il » → « Pierre Curie meurt-il » when the text named one Pierre before
    (never « Romulus », the founder, as « Romulus Augustule », named after him)."""
    prompt = re.sub(
        r"(?<=[a-zà-ÿ]) (?:alors|pourtant|donc|cependant|toutefois)\b(?! que)", "", prompt
    )
    prompt = re.sub(r",? par exemple,?(?=\s)", "", prompt)
    # « En automne, au contraire, de violentes crues … »: a connector between commas links to
    # the sentence before, which the item does not show
    prompt = re.sub(rf", (?:{_LINKS}),(?=\s)", ",", prompt)
    m = re.match(rf"(?:{_LINKS}), (?=\S)", prompt, re.IGNORECASE)
    if m and not prompt[m.end() :].startswith("{{"):
        prompt = prompt[m.end()].upper() + prompt[m.end() + 1 :]
    names = [n for n in full_names if len(n.split()) >= 2]
    for first in {n.split()[0] for n in names}:
        matching = [n for n in names if n.split()[0] == first]
        here = text.find(source) if source else -1
        if len(matching) != 1 or not 0 <= text.find(matching[0]) < here:
            continue
        alone = rf"(?<![\wÀ-ÿ-]){re.escape(first)}(?![\wÀ-ÿ-])"
        for m in reversed(list(re.finditer(alone, prompt))):
            before, after = prompt[: m.start()], prompt[m.end() :]
            if (
                re.match(r"\s(?:[A-ZÀ-Ý]|et\b|\}\})", after)
                or re.search(r"(?:[A-ZÀ-Ý][\wÀ-ÿ-]*\s|\{\{)$", before)
                or after.startswith("}}")
                or prompt[m.start() :].startswith(matching[0])
            ):
                continue
            prompt = before + matching[0] + after
    return prompt


def resolve_roles(prompt: str, text: str, source: str) -> str:
    """« Le météorologue allemand propose … » → « Alfred Wegener propose … » when an earlier
    sentence of the text named him « le météorologue allemand Alfred Wegener »."""
    here = text.find(source) if source else -1
    if here <= 0:
        return prompt
    earlier = text[:here]
    for m in reversed(
        list(
            re.finditer(
                rf"(?<![\wÀ-ÿ])(?:[Ll]e|[Ll]a|[Ll]')\s?({'|'.join(sorted(ROLES))})((?:\s[a-zà-ÿ-]+)?)"
                rf"(?=[\s,.?])",
                prompt,
            )
        )
    ):
        after = prompt[m.end() :]
        if re.match(r"\s*(?:de |d'|du |des |\}\})", prompt[m.end(1) :]) or re.match(
            r",?\s+[A-ZÀ-Ý]|\s*(?:de |d'|du |des )|\s*\}\}", after
        ):
            continue  # named right after, « le président de la République », a gap
        adjective = m[2]
        if adjective and not re.fullmatch(
            r"\s[a-zà-ÿ-]+(?:ais|aise|and|ande|ain|aine|ien|ienne"
            r"|ois|oise|ique|ais|é|ée)",
            adjective,
        ):
            adjective = ""  # « le physicien propose »: the verb is not part of the role
        found = list(
            re.finditer(
                rf"\b{re.escape(m[1])}{re.escape(adjective)}(?:\s[a-zà-ÿ-]+)?\s+"
                rf"((?:[A-ZÀ-Ý][\wÀ-ÿ-]+)(?:\s(?:de |du |von |van )?[A-ZÀ-Ý][\wÀ-ÿ-]+)+)",
                earlier,
            )
        )
        if len({f[1] for f in found}) != 1:
            continue  # nobody, or several physicists: which one?
        name = found[-1][1]
        end = m.start(2) + len(adjective)
        prompt = prompt[: m.start()] + name + prompt[end:]
    return prompt
