"""Teachers' question files into the database: add, update in place, retire; all or nothing.

Every file is parsed and checked before the database is opened, so an invalid file changes
nothing (:class:`~bot.content.deckfile.DeckFormatError` is raised with every problem). The sync
then runs in one transaction:

* a question is matched by its key (the teacher's ``id``) within its deck; an edited question
  is updated in place, so its row id, students' cards and review history stay;
* a question gone from its file is retired (``retired_at``), never deleted, and comes back
  (un-retired) if the file lists it again;
* :meth:`ImportService.import_paths` also retires the decks whose file was in the scanned
  folders (or among the files given) but is gone; :meth:`ImportService.import_bytes` (a file
  sent to the bot) only touches its own deck.

Rows are written only when a value differs, so a second run changes nothing, ``updated_at``
included. Two imports at once cannot duplicate rows: deck rows are locked (``FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) and the unique constraints on ``decks.slug`` and
``questions(deck_id, key)`` stop two inserts of a new deck; the loser's transaction is rolled
back and run again on the new state.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bot.content.deckfile import YAML_SUFFIXES as YAML_SUFFIXES  # the names an upload may have
from bot.content.deckfile import DeckFormatError, DeckProblem, load_deck_bytes, load_decks
from bot.db.errors import WRITE_CONFLICTS, db_error_summary
from bot.db.repositories.content import (
    DeckValues,
    ImportStore,
    NewQuestion,
    QuestionValues,
    StoredDeck,
    StoredQuestion,
)
from bot.db.session import SessionFactory
from bot.domain.deck import Deck, Question

log = logging.getLogger(__name__)

#: A concurrent import can make ours fail (unique violation, lock timeout, deadlock): retry.
DEFAULT_ATTEMPTS = 3


class DeckStatus(StrEnum):
    """What happened to the deck row itself (its questions are counted apart)."""

    NEW = "new"
    RESTORED = "restored"  # was retired, its file is back
    UPDATED = "updated"  # title, language, description, file name or question order changed
    RETIRED = "retired"  # its file is gone
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class DeckReport:
    """One deck's outcome. ``added + updated + unchanged`` is the number of questions in its file.

    ``added`` counts new questions and retired ones brought back; ``updated`` counts questions
    whose stored row changed (content, position in the file or generator confidence);
    ``retired`` counts questions retired by this import.
    """

    slug: str
    title: str
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    status: DeckStatus = DeckStatus.UNCHANGED

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired) or (
            self.status is not DeckStatus.UNCHANGED
        )


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Per deck: the decks of the imported files in file order, then the decks retired."""

    decks: tuple[DeckReport, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return any(deck.changed for deck in self.decks)

    @property
    def added(self) -> int:
        return sum(deck.added for deck in self.decks)

    @property
    def updated(self) -> int:
        return sum(deck.updated for deck in self.decks)

    @property
    def retired(self) -> int:
        return sum(deck.retired for deck in self.decks)

    @property
    def unchanged(self) -> int:
        return sum(deck.unchanged for deck in self.decks)

    def deck(self, slug: str) -> DeckReport:
        """The report of one deck (KeyError if it was not part of the import)."""
        for report in self.decks:
            if report.slug == slug:
                return report
        raise KeyError(slug)


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where the files of an ``import_paths`` come from: a deck stored from there whose slug
    was not loaded has lost its file."""

    folders: tuple[Path, ...]
    files: frozenset[Path]

    @classmethod
    def of(cls, paths: Sequence[Path]) -> _Scope:
        resolved = [Path(path).resolve() for path in paths]
        return cls(
            folders=tuple(path for path in resolved if path.is_dir()),
            files=frozenset(path for path in resolved if not path.is_dir()),
        )

    def contains(self, source_file: str | None) -> bool:
        if not source_file:
            return False
        path = Path(source_file).resolve()
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)


class ImportService:
    """Sync question files into the database (see the module docstring for the rules)."""

    def __init__(
        self, session_factory: SessionFactory, *, attempts: int = DEFAULT_ATTEMPTS
    ) -> None:
        self._session_factory = session_factory
        self._attempts = max(1, attempts)

    def import_paths(self, paths: Sequence[Path], now: dt.datetime) -> ImportReport:
        """Import every question file given or found under the folders given.

        Decks whose file was under those folders (or among those files) and is gone are
        retired with their questions.

        Raises:
            DeckFormatError: a file is invalid, or no question file was found; nothing changed.
        """
        paths = [Path(path) for path in paths]
        decks = load_decks(paths)
        if not decks:
            # Retiring every deck because a folder is empty (a wrong folder, an unmounted
            # volume) would hide all of the students' work: refuse instead.
            where = ", ".join(str(path) for path in paths) or "."
            raise DeckFormatError(
                [
                    DeckProblem(
                        where,
                        None,
                        None,
                        "aucun fichier de questions (.yaml ou .yml) trouvé : rien n'a été"
                        " importé ni retiré",
                    )
                ]
            )
        _check_text_limits(decks)
        return self._sync(decks, now, _Scope.of(paths))

    def import_bytes(self, data: bytes, filename: str, now: dt.datetime) -> ImportReport:
        """Import one file's content (a file sent to the bot): adds or updates its deck only.

        Raises:
            DeckFormatError: the file is invalid; nothing changed.
        """
        deck = load_deck_bytes(data, filename)
        _check_text_limits([deck])
        return self._sync([deck], now, None)

    def _sync(self, decks: Sequence[Deck], now: dt.datetime, scope: _Scope | None) -> ImportReport:
        if now.tzinfo is None:
            raise ValueError(f"naive datetime refused: {now!r}")
        for attempt in range(1, self._attempts + 1):
            try:
                with self._session_factory() as session, session.begin():
                    return _apply(ImportStore(session), decks, now, scope)
            except WRITE_CONFLICTS as exc:
                if attempt == self._attempts:
                    raise
                log.info(
                    "import : conflit avec une autre écriture (%s), nouvel essai %d/%d",
                    db_error_summary(exc),
                    attempt + 1,
                    self._attempts,
                )
        raise AssertionError("unreachable")  # pragma: no cover


def _apply(
    store: ImportStore, decks: Sequence[Deck], now: dt.datetime, scope: _Scope | None
) -> ImportReport:
    store.lock()
    # A whole-folder import needs every deck (to find the ones whose file is gone).
    slugs = None if scope is not None else [deck.slug for deck in decks]
    stored = store.decks(slugs, for_update=True)
    questions = store.questions_of_decks([row.id for row in stored.values()])
    reports = {
        deck.slug: _sync_deck(store, deck, stored.get(deck.slug), questions, now)
        for deck in sorted(decks, key=lambda deck: deck.slug)  # insert order: no deadlock
    }
    ordered = [reports[deck.slug] for deck in decks]
    if scope is not None:
        loaded = {deck.slug for deck in decks}
        ordered.extend(
            _retire_deck(store, row, questions.get(row.id, {}), now)
            for slug, row in sorted(stored.items())
            if slug not in loaded
            and row.retired_at is None
            and scope.contains(row.values.source_file)
        )
    return ImportReport(tuple(ordered))


def _sync_deck(
    store: ImportStore,
    deck: Deck,
    row: StoredDeck | None,
    stored: Mapping[int, Mapping[str, StoredQuestion]],
    now: dt.datetime,
) -> DeckReport:
    values = _deck_values(deck)
    questions: Mapping[str, StoredQuestion] = {}
    if row is None:
        deck_id = store.add_deck(deck.slug, values, now)
        status = DeckStatus.NEW
    else:
        deck_id = row.id
        questions = stored.get(row.id, {})
        status = DeckStatus.UNCHANGED
        if row.values != values:
            status = DeckStatus.UPDATED
        if row.retired_at is not None:
            status = DeckStatus.RESTORED
        if status is not DeckStatus.UNCHANGED:
            store.update_deck(deck_id, values, now)

    added = updated = unchanged = 0
    new: list[NewQuestion] = []
    changed: dict[int, QuestionValues] = {}
    for position, question in enumerate(deck.questions):
        question_values = _question_values(question, position)
        existing = questions.get(question.key)
        if existing is None:
            new.append(NewQuestion(question.key, question_values))
            added += 1
            continue
        edited = existing.values != question_values
        restored = existing.retired_at is not None
        if restored:
            added += 1
        elif edited:
            updated += 1
        else:
            unchanged += 1
        if edited or restored:
            changed[existing.id] = question_values
    store.update_questions(changed, now)
    store.add_questions(deck_id, new, now)

    keys = {question.key for question in deck.questions}
    gone = [q.id for key, q in questions.items() if key not in keys and q.retired_at is None]
    store.retire_questions(gone, now)
    return DeckReport(
        slug=deck.slug,
        title=deck.title,
        added=added,
        updated=updated,
        retired=len(gone),
        unchanged=unchanged,
        status=status,
    )


def _retire_deck(
    store: ImportStore, row: StoredDeck, questions: Mapping[str, StoredQuestion], now: dt.datetime
) -> DeckReport:
    store.retire_deck(row.id, now)
    live = [question.id for question in questions.values() if question.retired_at is None]
    store.retire_questions(live, now)
    return DeckReport(
        slug=row.slug, title=row.values.title, retired=len(live), status=DeckStatus.RETIRED
    )


def _deck_values(deck: Deck) -> DeckValues:
    return DeckValues(
        title=deck.title,
        language=deck.language,
        description=deck.description,
        source_file=_source_name(deck.path),
        content_hash=deck.content_hash(),
    )


def _question_values(question: Question, position: int) -> QuestionValues:
    return QuestionValues(
        position=position,
        kind=question.kind.value,
        prompt=question.prompt,
        answer=question.answer,
        accept=question.accept,
        distractors=question.distractors,
        explanation=question.explanation,
        source_sentence=question.source,
        tags=question.tags,
        confidence=question.confidence,
        content_hash=question.content_hash(),
    )


def _source_name(path: str | None) -> str | None:
    """The file's path relative to the working directory when inside it (stable across
    ``quizbot import questions`` and ``quizbot import /abs/questions``), else as given."""
    if path is None:
        return None
    candidate = Path(path)
    if candidate.is_absolute() and candidate.is_relative_to(Path.cwd()):
        candidate = candidate.relative_to(Path.cwd())
    return candidate.as_posix()


def _check_text_limits(decks: Sequence[Deck]) -> None:
    """Texts longer than their column: a teacher's message here, not a database error later
    (PostgreSQL refuses them; SQLite would store them silently)."""
    limits = ImportStore.text_limits()
    problems: list[DeckProblem] = []
    for deck in decks:
        file = deck.path or "?"
        checks: list[tuple[str, str | None, int | None]] = [
            ("l'identifiant du paquet", deck.slug, limits.deck_slug),
            ("le titre du paquet", deck.title, limits.deck_title),
            ("le chemin du fichier", _source_name(deck.path), limits.source_file),
        ]
        problems.extend(
            DeckProblem(file, None, None, f"{label} dépasse {limit} caractères")
            for label, text, limit in checks
            if text is not None and limit is not None and len(text) > limit
        )
        key_limit = limits.question_key
        if key_limit is None:
            continue
        problems.extend(
            DeckProblem(
                file,
                question.line,
                question.key[:40] + "…",
                f"l'identifiant de la question dépasse {key_limit} caractères",
            )
            for question in deck.questions
            if len(question.key) > key_limit
        )
    if problems:
        raise DeckFormatError(problems)
