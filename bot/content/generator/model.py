"""Values passed between the generator's stages (no spaCy types leak out of a stage's API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AnswerType(StrEnum):
    """What an answer is; decides the question word and the distractors."""

    YEAR = "year"
    MONTH = "month"  # month + year: « juin 2011 »
    DATE = "date"  # day + month + year: « 20 octobre 2004 »
    MONEY = "money"
    PERCENT = "percent"
    COUNT = "count"
    PERSON = "person"
    ORG = "org"
    COUNTRY = "country"
    CITY = "city"
    PLACE = "place"
    OTHER = "other"
    CONCEPT = "concept"  # a term defined by the text (« le chyme »)
    CAUSE = "cause"  # « parce que … », « grâce à … »: offered as a multiple choice
    LIST = "list"  # an enumeration asked as one answer (graded item by item)
    TITLE = "title"  # a work (« Les Regrets »)
    PROCESS = "process"  # v3.8: how something is done (« en affaiblissant les microbes »)

    @property
    def is_numeric(self) -> bool:
        return self in NUMERIC_TYPES


NUMERIC_TYPES = frozenset(
    {
        AnswerType.YEAR,
        AnswerType.MONTH,
        AnswerType.DATE,
        AnswerType.MONEY,
        AnswerType.PERCENT,
        AnswerType.COUNT,
    }
)

#: Tag written in the YAML for each answer type (teachers filter on tags).
TYPE_TAGS: dict[AnswerType, str] = {
    AnswerType.YEAR: "date",
    AnswerType.MONTH: "date",
    AnswerType.DATE: "date",
    AnswerType.MONEY: "montant",
    AnswerType.PERCENT: "pourcentage",
    AnswerType.COUNT: "nombre",
    AnswerType.PERSON: "personne",
    AnswerType.ORG: "organisation",
    AnswerType.COUNTRY: "pays",
    AnswerType.CITY: "lieu",
    AnswerType.PLACE: "lieu",
    AnswerType.OTHER: "autre",
    AnswerType.CONCEPT: "notion",
    AnswerType.CAUSE: "cause",
    AnswerType.LIST: "liste",
    AnswerType.TITLE: "titre",
    AnswerType.PROCESS: "processus",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """An answer found in a sentence: tokens ``start:end`` of the parsed document.

    ``text`` is the answer as a student would type it (« la Russie », « juin 2011 »);
    ``gap`` is the exact surface text to blank out in a cloze (may differ, « Kremlin »);
    ``value`` is a normalised form used to compare answers (aliases share it).
    """

    type: AnswerType
    text: str
    gap: str
    start: int
    end: int
    value: str
    sentence: int
    gender: str | None = None  # "Masc" | "Fem"
    plural: bool = False
    accept: tuple[str, ...] = ()
    listed_with: tuple[str, ...] = ()  # values of the items of the same enumeration
    kind: str | None = None  # organisations: "entreprise", "institution", "programme", …
    unit: str | None = None  # counts: the lemma of the counted noun (« minute », « proton »)


@dataclass(slots=True)
class Draft:
    """A generated item before ranking: a question-word question or a cloze."""

    cloze: bool
    prompt: str
    answer: str
    type: AnswerType
    source: str
    sentence: int
    value: str
    confidence: float
    accept: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    #: How the item was made (« entity », « definition », « cause », « list », « truefalse »…):
    #: a feature of the ranker and the order in which forms of one fact are preferred.
    pattern: str = "entity"
    #: A true/false statement: True or False (None for every other item).
    truth: bool | None = None
    #: v3.4: an item of a turned-off form, written last only to fill a text that would get
    #: too few items (``pipeline.fill``).
    fallback: bool = False
    #: v3.8: a self-rated card (``QuestionKind.SELF_RATED``, ``selfrated.py``): the answer is
    #: shown, the student says whether they knew it; no distractor, no ``accept``.
    self_rated: bool = False

    @property
    def true_false(self) -> bool:
        return self.truth is not None

    @property
    def fact(self) -> tuple[int, str]:
        """One fact = one answer value in one sentence."""
        return (self.sentence, self.value)
