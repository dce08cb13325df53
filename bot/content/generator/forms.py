"""v3.3: the form of an item — its kind and the realisation path that made it — read the same
way from a draft and from a rated deck, so that a form's record on text no rule author had seen
decides whether the generator still writes it (« a form earns its place on unseen text, or is
turned off », ``docs/generation.md``).

A question's form is its opening (« Qu'est-ce qui », « Comment appelle-t-on », « Où », « À
quelle date », « En quelle année », « Combien », « Qui », « Pourquoi », « Grâce à quoi », …) and
whether it offers options; a list question is « list »; a true/false statement is its fact's
answer type and whether it is true or made false by a swap; a cloze is its answer type.
"""

from __future__ import annotations

import re

from bot.content.generator.model import TYPE_TAGS, Draft

#: Openings of a question-word question, most specific first (the first match names it).
_OPENINGS: tuple[tuple[str, str], ...] = (
    ("comment-appelle-t-on", r"Comment appelle-t-on\b"),
    ("qu-est-ce-qui", r"Qu'est-ce qui\b"),
    ("qu-est-ce-que", r"Qu'est-ce qu(?:e\b|')"),
    ("que-signifie", r"Que signifient?\b"),
    ("grace-a-quoi", r"Grâce à quoi\b"),
    ("par-quoi", r"Par (?:quoi|qui)\b"),
    ("pourquoi", r"Pourquoi\b"),
    ("a-quelle-date", r"À quelle date\b"),
    ("en-quelle-annee", r"En quelle année\b"),
    ("de-quelle-annee", r"De (?:quelle année|quand)\b"),
    ("combien", r"Combien\b"),
    ("quel-pourcentage", r"Quel pourcentage\b"),
    ("ou", r"Où\b"),
    ("dans-quel", r"(?:Dans|De|Sur|À|En|Par|Pour|Avec) (?:quel|quelle|quels|quelles)\b"),
    ("quel-est", r"(?:Quel|Quelle|Quels|Quelles) (?:est|sont|était|étaient|fut|furent)\b"),
    ("quel-nom", r"(?:Quel|Quelle|Quels|Quelles) \w"),
    ("qui", r"Qui\b"),
)
_COUNTED = re.compile(
    r"^(?:Quels|Quelles) (?:sont les )?(?:deux|trois|quatre|cinq|six|sept|huit)\b"
)
_COMPILED = tuple((name, re.compile(rf"^{pattern}")) for name, pattern in _OPENINGS)


def opening(prompt: str) -> str:
    """The question word that opens ``prompt`` (« other » when none of ours)."""
    for name, pattern in _COMPILED:
        if pattern.match(prompt):
            return name
    return "other"


def form_of(kind: str, tag: str, prompt: str, answer: str = "") -> str:
    """``kind``: cloze | open | choice | true_false | self_rated; ``tag``: the answer type's
    tag (date, personne, notion, …); ``answer``: « vrai » / « faux » for a statement.

    >>> form_of("choice", "date", "En quelle année Rome est-elle fondée ?")
    'choice en-quelle-annee'
    >>> form_of("true_false", "nombre", "Le pont a 12 arches.", "faux")
    'true_false nombre faux'
    """
    if kind == "cloze":
        return f"cloze {tag}"
    if kind == "true_false":
        return f"true_false {tag} {'vrai' if answer == 'vrai' else 'faux'}"
    if tag == "liste":
        # v3.11: a list whose question gives how many items (« Quelles trois familles … ? »,
        # ``enrich.lists``) is a form of its own, with no record yet
        return f"{kind} list-counted" if _COUNTED.match(prompt) else f"{kind} list"
    return f"{kind} {opening(prompt)}"


def kind_of(draft: Draft) -> str:
    """The kind a draft will be written as (the rule of ``pipeline.to_question``)."""
    if draft.self_rated:
        return "self_rated"
    if draft.true_false:
        return "true_false"
    if draft.cloze:
        return "cloze"
    return "choice" if len(draft.distractors) >= 2 else "open"


def draft_form(draft: Draft) -> str:
    """The form of a draft, as :func:`form_of` reads it from the written item."""
    answer = "vrai" if draft.truth else "faux"
    return form_of(kind_of(draft), TYPE_TAGS[draft.type], draft.prompt, answer)


# --- v3.3: which forms the generator still writes ------------------------------------------

#: A capitalised word or a quotation after the question word: a name that identifies what the
#: question is about (« En quelle année Volta invente-t-il … ? », « … « René » … »).
_NAMED = re.compile(r"(?:^|[\s'’(])[A-ZÀ-Ý][\wÀ-ÿ-]*|«")
_QUOTED = re.compile(r"«[^»]*»")


def shape_refusal(kind: str, prompt: str) -> str | None:
    """General shapes of a question-word question that readers refused on unseen text,
    whatever its form (``rounds.shape_rows`` gives their record):

    - a comma outside a quotation: a remark or a second clause spliced into the question
      (« En quelle année le tunnel du Mont-Blanc, long de 11,6 kilomètres a-t-il été … ? »);
    - « En quelle année » without a name after it, or with « est-ce que »: the question lost
      the context that made it answerable (« En quelle année un roman est-il publié ? »).
    """
    if kind not in {"open", "choice", "self_rated"}:  # v3.8: a card's prompt is a question
        return None
    if "," in _QUOTED.sub("", prompt):
        return "virgule dans la question"
    if opening(prompt) == "en-quelle-annee":
        rest = prompt.removeprefix("En quelle année")
        if "est-ce qu" in rest or not _NAMED.search(rest):
            return "année sans nom qui la situe"
    return None


#: Forms turned off. v3.3 decided on three rounds' record on text no rule author had seen;
#: v3.10 re-decided on the pooled record of every rated round (each reader's first verdict on
#: each item, after :func:`shape_refusal`): off under 75 % A with 10 ratings or more; v3.11
#: applied that rule with v3.10's ratings added. v3.12 (``rounds.decide_settled``): the record
#: with v3.11's ratings (the twelfth round and v3.11's new items), and a decision changes only
#: when the record settles it: off when even the upper end of the Wilson 95 % interval is
#: under 75 %, on when even its lower end is at or above, v3.11's decision otherwise. Pooled
#: records in comments; ``tests/generation/test_gen14.py`` checks this set against the ratings.
OFF: frozenset[str] = frozenset(
    {
        "choice combien",  # 10/16 (62 %)
        "choice dans-quel",  # v3.12: 6/12 (50 %)
        "choice de-quelle-annee",  # 0/6 (0 %)
        "choice en-quelle-annee",  # 109/148 (74 %)
        "choice pourquoi",  # v3.12: 57/88 (65 %)
        "choice qu-est-ce-que",  # 28/44 (64 %)
        "choice quel-nom",  # 4/12 (33 %)
        "choice quel-pourcentage",  # 0/4 (0 %)
        "choice qui",  # 47/70 (67 %)
        "cloze autre",  # 185/278 (67 %)
        "cloze notion",  # 15/22 (68 %)
        "cloze pays",  # 23/34 (68 %)
        "cloze personne",  # 45/60 (75 %)
        "cloze pourcentage",  # 8/16 (50 %)
        "open comment-appelle-t-on",  # 24/38 (63 %)
        "open dans-quel",  # 10/18 (56 %)
        "open list",  # 4/10 (40 %)
        "open ou",  # 9/18 (50 %)
        "open qu-est-ce-qui",  # 16/68 (24 %)
        "open quel-nom",  # 10/24 (42 %)
        "open qui",  # 10/20 (50 %)
        "self_rated pourquoi",  # 33/66 (50 %)
        "true_false montant faux",  # v3.12: 0/4 (0 %)
        "true_false nombre faux",  # 44/78 (56 %)
        "true_false nombre vrai",  # 75/106 (71 %)
        "true_false personne faux",  # 37/60 (62 %)
        "true_false personne vrai",  # 32/46 (70 %)
        "true_false pourcentage faux",  # 10/18 (56 %)
    }
)
#: v3.13 re-decided with v3.12's ratings (the thirteenth round released): no form moved.
#: v3.10 turned « choice pourquoi » and « cloze date » back on; v3.11 turned « choice qui »,
#: « true_false personne faux » and « choice en-quelle-annee » off again and « choice
#: dans-quel » on; v3.12's settled rule turns « choice pourquoi » (57/88: a cause is written in
#: neither form again), « choice dans-quel » (6/12) and « true_false montant faux » (0/4) off.


#: v3.8: the turned-off forms a thin text may still be filled with (``pipeline.fill``): those
#: whose pooled record (every rated round since v3, both readers, each verdict once, tuned
#: texts included) is 70 % A or more. Measured on the 64 fallback items rated since v3.4
#: (``docs/generation.md``, « v3.8 »): the fallback items of these forms were 22 of 30 A
#: (73 %), those of the other forms 10 of 34 (29 %: « open qu-est-ce-qui » 1/12, « open ou »
#: 1/6, « open comment-appelle-t-on » 0/4, « open qui » 4/6, « choice quel-nom » 2/4,
#: « cloze pays » 2/2 with a pooled 23/34).
FALLBACK_FORMS: frozenset[str] = frozenset(
    {
        # v3.12: the same bar on the v3.12 record (``rounds.fallback_settled``)
        "choice en-quelle-annee",  # 109/148 (74 %)
        "cloze personne",  # 45/60 (75 %)
        "true_false nombre vrai",  # 75/106 (71 %)
    }
)


def fallback_allowed(draft: Draft) -> bool:
    """v3.8: the draft's form may fill a thin text (:data:`FALLBACK_FORMS`)."""
    return draft_form(draft) in FALLBACK_FORMS


# --- v3.13: a form split by whether the item names what it is about ---------------------------

NAMED = "nommé"
UNNAMED = "sans nom"


def context_of(prompt: str) -> str:
    """v3.13: « nommé » when the item names what it is about (a capitalised word or a quotation
    beyond its first word, the gap of a cloze left out: « Le pont de Normandie a 12 arches »,
    « En quelle année Volta invente-t-il la pile ? »), « sans nom » otherwise (« Le pont a 12
    arches », « À quelle date la famille royale fut-elle … ? »). Readers call an item that
    names nothing `vague` most often: on the pooled record, « true_false nombre vrai » is 44/48
    named and 31/58 not, « cloze date » 87/104 and 7/16 (``rounds.split_record``)."""
    if prompt.startswith("{{"):
        rest = prompt.split("}}", 1)[-1]
    else:
        parts = prompt.split(None, 1)
        rest = parts[1] if len(parts) > 1 else ""
    rest = re.sub(r"\{\{.*?\}\}", " ", rest)
    return NAMED if _NAMED.search(rest) else UNNAMED


def split_form(kind: str, tag: str, prompt: str, answer: str = "") -> str:
    """The form of :func:`form_of` and its :func:`context_of` (« cloze date sans nom »)."""
    return f"{form_of(kind, tag, prompt, answer)} {context_of(prompt)}"


#: v3.13 (``rounds.decide_split``): split forms whose settled record turns them on although
#: their form is off (pooled record in comments) …
SPLIT_ON: frozenset[str] = frozenset(
    {
        "true_false nombre vrai nommé",  # 44/48 (92 %)
    }
)
#: … and split forms it turns off although their form is on.
SPLIT_OFF: frozenset[str] = frozenset(
    {
        "choice a-quelle-date sans nom",  # 11/24 (46 %)
        "choice other sans nom",  # 5/12 (42 %)
        "cloze date sans nom",  # 7/16 (44 %)
        "cloze lieu sans nom",  # 37/64 (58 %)
    }
)


def gate(kind: str, tag: str, prompt: str, answer: str = "") -> str | None:
    """Why the generator no longer writes this item (None when its form earned its place or
    has no record yet). v3.13: a form turned off may be on for the items that name what they
    are about (:data:`SPLIT_ON`), a form turned on off for those that do not
    (:data:`SPLIT_OFF`)."""
    refusal = shape_refusal(kind, prompt)
    if refusal:
        return refusal
    form = form_of(kind, tag, prompt, answer)
    split = f"{form} {context_of(prompt)}"
    if split in SPLIT_OFF or (form in OFF and split not in SPLIT_ON):
        return f"forme désactivée ({split if split in SPLIT_OFF else form})"
    return None


def draft_gate(draft: Draft, kind: str | None = None) -> str | None:
    """:func:`gate` of a draft; ``kind`` when the draft's options are not chosen yet."""
    answer = "vrai" if draft.truth else "faux"
    return gate(kind or kind_of(draft), TYPE_TAGS[draft.type], draft.prompt, answer)


#: v3.4: the tag of an item of a turned-off form written only to fill a text that would
#: otherwise get too few items (``pipeline.fill``): written last, reported apart.
FALLBACK_TAG = "repli"
#: v3.4: the tag of an item made by a path with no record on unseen text yet (:data:`UNPROVEN`).
UNPROVEN_TAG = "non-prouve"

#: v3.4: realisation paths with no record on unseen text yet, by ``Draft.pattern``: their items
#: carry the tag ``non-prouve`` so that the next unseen set judges them apart
#: (``docs/generation.md``, « Recall back »). Empty since that judgement (:data:`PATTERNS_OFF`).
UNPROVEN: dict[str, str] = {}

#: Realisation paths turned off once their first record came in, by ``Draft.pattern``, with
#: that record (``docs/generation.md``, « The sixth round »). The generator no longer writes
#: them, not even to fill a thin text; ``generate_drafts(raw=True)`` still does, for tests.
PATTERNS_OFF: dict[str, str] = {
    "truefalse-term": (
        "v3.4's true/false on a term of any sentence, the term swapped for another term of the "
        "text: 110 items first rated by two fresh readers, 40 and 41 of 107 statements "
        "acceptable; the false ones 5 of 50 (a swap no student would believe: « En 1898, le "
        "corps découvre deux nouveaux éléments », or a synonym that makes « faux » wrong: « le "
        "personnage principal » for « le héros »), the true ones 35 of 57"
    ),
}
