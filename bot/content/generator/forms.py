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
        return f"{kind} list"
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
#: v3.10 re-decides on the pooled record of every rated round (v3 – v3.9, each reader's first
#: verdict on each item, after :func:`shape_refusal`): off under 75 % A with 10 ratings or more,
#: or so low that even 4 ratings rule 75 % out; a v3.3 form back on at 75 % or more with 10
#: ratings; fewer ratings keep v3.3's decision (``rounds.decide``, pooled records in comments;
#: ``tests/generation/test_gen8.py`` checks this set against the ratings).
OFF: frozenset[str] = frozenset(
    {
        "choice combien",  # 10/16
        "choice dans-quel",  # v3.10: 2/6
        "choice de-quelle-annee",  # 0/6
        "choice qu-est-ce-que",  # v3.10: 28/44 (64 %)
        "choice quel-nom",  # 4/12
        "choice quel-pourcentage",  # 0/4
        "cloze autre",  # v3.10: 164/232 (71 %)
        "cloze notion",  # v3.10: 15/22 (68 %)
        "cloze pays",  # 23/34
        "cloze personne",  # 40/54 (74 %)
        "cloze pourcentage",  # v3.10: 6/14
        "open comment-appelle-t-on",  # 24/38
        "open dans-quel",  # v3.10: 10/16
        "open list",  # 4/10
        "open ou",  # 9/18
        "open qu-est-ce-qui",  # 16/68
        "open quel-nom",  # v3.10: 10/16
        "open qui",  # 10/20
        "self_rated pourquoi",  # v3.10: 27/50 (54 %)
        "true_false nombre faux",  # v3.10: 40/66 (61 %)
        "true_false nombre vrai",  # v3.10: 61/84 (73 %)
        "true_false personne vrai",  # 31/44 (70 %)
        "true_false pourcentage faux",  # v3.10: 10/14 (71 %)
    }
)
#: v3.10: on again (v3.3 had them off): « choice pourquoi » 33/44 (75 %), « choice qui » 23/28
#: (82 %), « cloze date » 42/54 (78 %), « true_false personne faux » 20/26 (77 %).


#: v3.8: the turned-off forms a thin text may still be filled with (``pipeline.fill``): those
#: whose pooled record (every rated round since v3, both readers, each verdict once, tuned
#: texts included) is 70 % A or more. Measured on the 64 fallback items rated since v3.4
#: (``docs/generation.md``, « v3.8 »): the fallback items of these forms were 22 of 30 A
#: (73 %), those of the other forms 10 of 34 (29 %: « open qu-est-ce-qui » 1/12, « open ou »
#: 1/6, « open comment-appelle-t-on » 0/4, « open qui » 4/6, « choice quel-nom » 2/4,
#: « cloze pays » 2/2 with a pooled 23/34).
FALLBACK_FORMS: frozenset[str] = frozenset(
    {
        # v3.10: the same bar on the v3.10 record (``rounds.fallback_pooled``)
        "cloze autre",  # 164/232 (71 %)
        "cloze personne",  # 40/54 (74 %)
        "true_false nombre vrai",  # 61/84 (73 %)
        "true_false personne vrai",  # 31/44 (70 %)
        "true_false pourcentage faux",  # 10/14 (71 %)
    }
)


def fallback_allowed(draft: Draft) -> bool:
    """v3.8: the draft's form may fill a thin text (:data:`FALLBACK_FORMS`)."""
    return draft_form(draft) in FALLBACK_FORMS


def gate(kind: str, tag: str, prompt: str, answer: str = "") -> str | None:
    """Why the generator no longer writes this item (None when its form earned its place or
    has no record yet)."""
    refusal = shape_refusal(kind, prompt)
    if refusal:
        return refusal
    form = form_of(kind, tag, prompt, answer)
    return f"forme désactivée ({form})" if form in OFF else None


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
