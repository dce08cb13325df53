"""Question banks as the rest of the program sees them: frozen, validated values.

The YAML loader (:mod:`bot.content.deckfile`) is the only producer; the import service and the
generator's writer are the consumers. Nothing here knows about files or databases.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum

FORMAT_VERSION = 1

#: A cloze prompt holds exactly one gap written ``{{answer}}``.
CLOZE_GAP = re.compile(r"\{\{(.+?)\}\}")
#: What a student sees in place of the gap.
CLOZE_BLANK = "_____"


def blank_gaps(prompt: str) -> str:
    """A prompt as a student sees it: each ``{{gap}}`` blanked out (other prompts unchanged)."""
    return CLOZE_GAP.sub(CLOZE_BLANK, prompt)


def fill_gaps(prompt: str) -> str:
    """A prompt with each ``{{gap}}`` filled by its answer: the sentence as the text has it."""
    return CLOZE_GAP.sub(r"\1", prompt)


class QuestionKind(StrEnum):
    CHOICE = "choice"
    OPEN = "open"
    CLOZE = "cloze"
    TRUE_FALSE = "true_false"
    #: A card the student grades: the answer is shown, the student says whether they knew it
    #: (as in Anki). For what string matching cannot grade: a cause, a process, a definition.
    SELF_RATED = "self_rated"

    @property
    def uses_buttons(self) -> bool:
        return self in (QuestionKind.CHOICE, QuestionKind.TRUE_FALSE)

    @property
    def self_graded(self) -> bool:
        """The student, not the grader, says whether the answer was known."""
        return self is QuestionKind.SELF_RATED


TRUE_ANSWER = "vrai"
FALSE_ANSWER = "faux"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a deck. ``key`` is the teacher's stable ``id``, unique in its deck.

    For a cloze, ``prompt`` keeps its ``{{gap}}`` and ``answer`` is the gap's text.
    For a true/false question, ``answer`` is ``"vrai"`` or ``"faux"``. For a self-rated card,
    ``answer`` is what is revealed (never compared with what the student types).
    """

    key: str
    kind: QuestionKind
    prompt: str
    answer: str
    accept: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    explanation: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    confidence: float | None = None
    line: int | None = field(default=None, compare=False)

    @property
    def display_prompt(self) -> str:
        """The prompt as a student sees it (a cloze's gap blanked out)."""
        if self.kind is QuestionKind.CLOZE:
            return blank_gaps(self.prompt)
        return self.prompt

    def content_hash(self) -> str:
        """Hash of what a student sees and is graded on; a change means the question was edited."""
        payload = {
            "kind": self.kind.value,
            "prompt": self.prompt,
            "answer": self.answer,
            "accept": list(self.accept),
            "distractors": list(self.distractors),
            "explanation": self.explanation,
            "source": self.source,
            "tags": list(self.tags),
        }
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(raw).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Deck:
    """A question bank: one YAML file. ``slug`` is the file's ``deck.id``."""

    slug: str
    title: str
    questions: tuple[Question, ...]
    language: str = "fr"
    description: str | None = None
    source_text: str | None = None
    path: str | None = field(default=None, compare=False)
    version: int = FORMAT_VERSION

    def content_hash(self) -> str:
        h = hashlib.sha256()
        for part in (self.slug, self.title, self.language, self.description or ""):
            h.update(part.encode())
            h.update(b"\0")
        for q in self.questions:
            h.update(q.key.encode())
            h.update(q.content_hash().encode())
        return h.hexdigest()[:32]


#: The longest ids and title the database holds: ``bot/db/models.py`` sizes its columns with
#: these, and the question-file checker refuses longer ones, so whatever ``quizbot validate``
#: accepts imports on both engines (PostgreSQL refuses a longer text, SQLite keeps it).
MAX_DECK_ID = 128
MAX_DECK_TITLE = 256
MAX_QUESTION_ID = 128
#: The question file's path as the database keeps it (``decks.source_file``).
MAX_SOURCE_FILE = 512
