"""Drafts: a generated deck a teacher reviews item by item, then publishes for a class.

A draft is stored in the database (``drafts``, ``draft_items``), never in the questions
folder, so it cannot go live by itself: students see its questions only once it is
published. Publishing writes the kept and corrected items as a question file (format v1, the
guide's layout) under ``<questions>/publies/``, imports that file and assigns the deck to the
class in one transaction (all or nothing).

Life of a draft: ``queued`` → ``generating`` (the worker process) → ``review`` →
``published``; or ``failed`` (the text gave nothing, the worker crashed or ran out of time).
The review state is stored item by item (``pending``, ``kept``, ``corrected``, ``deleted``),
so it survives restarts and can be resumed days later.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from bot.content.deckfile import DeckFormatError, DeckProblem, load_deck_bytes
from bot.content.deckwriter import dump_deck
from bot.db.repositories import drafts as store_mod
from bot.db.repositories.classes import ClassStore
from bot.db.repositories.drafts import DraftStore, StoredDraft, StoredItem
from bot.db.session import Session, SessionFactory
from bot.domain.deck import CLOZE_GAP, Deck, Question, QuestionKind
from bot.services.importing import ImportReport, ImportService
from bot.services.views import DraftNotFound, NotTeacherOfClass, ServiceError

QUEUED = "queued"
GENERATING = "generating"
REVIEW = "review"
PUBLISHED = "published"
FAILED = "failed"
OPEN_STATUSES = (QUEUED, GENERATING, REVIEW)

#: The sub-folder of the questions folder where published decks are written.
PUBLISHED_DIR = "publies"
MAX_TITLE = 120
MIN_WORDS = 30


class DraftAction(StrEnum):
    KEEP = "keep"
    DELETE = "delete"
    LATER = "later"


class Field(StrEnum):
    PROMPT = "prompt"
    ANSWER = "answer"


class TextTooShort(ServiceError, ValueError):
    def __init__(self, words: int) -> None:
        super().__init__(f"text of {words} words, {MIN_WORDS} needed")
        self.words = words


class NothingToPublish(ServiceError, ValueError):
    """Every item was deleted (or the draft is not under review)."""


@dataclass(frozen=True, slots=True)
class DraftView:
    id: int
    teacher_id: int
    class_id: int | None
    class_name: str | None
    slug: str
    title: str
    status: str
    error: str | None
    chat_id: int | None
    message_id: int | None
    created_at: dt.datetime
    pending: int
    kept: int
    corrected: int
    deleted: int

    @property
    def total(self) -> int:
        return self.pending + self.kept + self.corrected + self.deleted

    @property
    def reviewed(self) -> int:
        return self.total - self.pending


@dataclass(frozen=True, slots=True)
class DraftItemView:
    id: int
    draft_id: int
    number: int  # 1-based rank among the draft's items, best first
    state: str
    question: Question


@dataclass(frozen=True, slots=True)
class ReviewStep:
    """The draft after a decision and the item to show next (None: review finished)."""

    draft: DraftView
    next: DraftItemView | None


@dataclass(frozen=True, slots=True)
class SavedUpload:
    report: ImportReport
    path: Path
    #: The earlier version of the file, kept (None: there was none).
    backup: Path | None


@dataclass(frozen=True, slots=True)
class Published:
    draft: DraftView
    path: Path
    report: ImportReport
    questions: int


def _view(row: StoredDraft) -> DraftView:
    return DraftView(
        row.id,
        row.teacher_id,
        row.class_id,
        row.class_name,
        row.slug,
        row.title,
        row.status,
        row.error,
        row.chat_id,
        row.message_id,
        row.created_at,
        row.pending,
        row.kept,
        row.corrected,
        row.deleted,
    )


def slugify(text: str, limit: int = 60) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:limit].strip("-")
    return slug or "paquet"


def title_from(text: str, file_name: str | None) -> str:
    """A title for a draft: the file's name, else the text's first words (control characters
    dropped: PostgreSQL refuses NUL)."""
    file_name = "".join(c for c in (file_name or "") if c.isprintable())
    if file_name:
        stem = Path(file_name).stem.replace("_", " ").replace("-", " ").strip()
        if stem:
            return stem[:MAX_TITLE]
    words = text.split()[:8]
    title = " ".join(words).strip(" .,;:!?") or "Nouveau paquet"
    return title[:MAX_TITLE]


def word_count(text: str) -> int:
    return len(text.split())


def best_first(questions: tuple[Question, ...]) -> list[Question]:
    """Higher confidence first (none given counts as 0.5); equal ones in the generator's
    order."""

    def rank(i: int) -> tuple[float, int]:
        confidence = questions[i].confidence
        return (-(0.5 if confidence is None else confidence), i)

    return [questions[i] for i in sorted(range(len(questions)), key=rank)]


def check_question(question: Question, file_name: str = "correction.yaml") -> Question:
    """The question as the file checker reads it (``DeckFormatError`` with its problems):
    a correction typed in the chat passes the very checks of a file."""
    text = dump_deck(Deck(slug="verification", title="Vérification", questions=(question,)))
    deck = load_deck_bytes(text.encode(), file_name)
    return deck.questions[0]


def corrected(question: Question, field: Field, value: str) -> Question:
    """``question`` with its prompt or answer replaced by what the teacher typed."""
    value = value.strip()
    if field is Field.PROMPT:
        # A cloze prompt typed without its gap keeps the gap's answer: mark it.
        if (
            question.kind is QuestionKind.CLOZE
            and not CLOZE_GAP.search(value)
            and question.answer
            and question.answer in value
        ):
            value = value.replace(question.answer, "{{" + question.answer + "}}", 1)
        return replace(question, prompt=value)
    if question.kind is QuestionKind.CLOZE:
        prompt = CLOZE_GAP.sub(lambda _m: "{{" + value + "}}", question.prompt, count=1)
        return replace(question, prompt=prompt, answer=value)
    if question.kind is QuestionKind.TRUE_FALSE:
        return replace(question, answer=value.lower())
    accept = tuple(a for a in question.accept if a != value)
    return replace(question, answer=value, accept=accept)


class DraftService:
    def __init__(self, session_factory: SessionFactory, importer: ImportService) -> None:
        self._sessions = session_factory
        self._importer = importer

    # --- creating and generating ----------------------------------------------------------

    def create(
        self,
        teacher_id: int,
        text: str,
        now: dt.datetime,
        *,
        class_id: int | None = None,
        file_name: str | None = None,
        chat_id: int | None = None,
    ) -> DraftView:
        """A queued draft for ``text`` (at least ``MIN_WORDS`` words, :class:`TextTooShort`);
        ``class_id``: the class it is meant for (the teacher must teach it)."""
        text = text.replace("\x00", "").strip()
        if word_count(text) < MIN_WORDS:
            raise TextTooShort(word_count(text))
        title = title_from(text, file_name)
        with self._sessions() as session:
            if (
                class_id is not None
                and ClassStore(session).teacher_role(class_id, teacher_id) is None
            ):
                raise NotTeacherOfClass(class_id, teacher_id)
            store = DraftStore(session)
            draft_id = store.add(
                {
                    "teacher_id": teacher_id,
                    "class_id": class_id,
                    "slug": "",
                    "title": title,
                    "status": QUEUED,
                    "source_text": text,
                    "chat_id": chat_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            # Unique across teachers and drafts: the draft's number ends the deck id.
            store.change(draft_id, {"slug": f"{slugify(title)}-{draft_id}"})
            session.commit()
            return self._get(store, draft_id)

    def set_message(self, draft_id: int, message_id: int) -> None:
        """The chat message that shows the draft's progress (edited in place)."""
        with self._sessions() as session:
            DraftStore(session).change(draft_id, {"message_id": message_id})
            session.commit()

    def source_text(self, draft_id: int) -> str:
        """The text the draft is generated from (for the worker)."""
        with self._sessions() as session:
            text = DraftStore(session).source_text(draft_id)
        if text is None:
            raise DraftNotFound(draft_id)
        return text

    def start(self, draft_id: int, now: dt.datetime) -> bool:
        """The worker takes the draft; False if it is no longer waiting."""
        with self._sessions() as session:
            done = DraftStore(session).set_status(draft_id, GENERATING, now, only_from=(QUEUED,))
            session.commit()
            return done

    def fill(self, draft_id: int, deck: Deck, now: dt.datetime) -> DraftView:
        """The generator's questions become the draft's items, best first; the draft goes to
        review (or fails when the text gave no question)."""
        with self._sessions() as session:
            store = DraftStore(session)
            questions = best_first(deck.questions)
            store.replace_items(draft_id, questions, store_mod.PENDING, now)
            if questions:
                store.change(draft_id, {"status": REVIEW, "error": None, "updated_at": now})
            else:
                store.change(draft_id, {"status": FAILED, "error": "empty", "updated_at": now})
            session.commit()
            return self._get(store, draft_id)

    def fail(self, draft_id: int, reason: str, now: dt.datetime) -> DraftView:
        """The generation of this draft failed (``reason``: ``timeout``, ``memory``,
        ``crash``, ``interrupted``…); other drafts are not affected."""
        with self._sessions() as session:
            store = DraftStore(session)
            store.change(draft_id, {"status": FAILED, "error": reason[:500], "updated_at": now})
            session.commit()
            return self._get(store, draft_id)

    def waiting(self) -> list[DraftView]:
        """Drafts still queued (to hand to the worker again after a restart)."""
        with self._sessions() as session:
            return [_view(d) for d in DraftStore(session).with_status((QUEUED,))]

    def interrupted(self, now: dt.datetime) -> list[DraftView]:
        """At start-up: drafts whose generation was cut by a stop are marked failed (the
        teacher is told and can send the text again); returns them."""
        with self._sessions() as session:
            store = DraftStore(session)
            found = store.with_status((GENERATING,))
            for draft in found:
                store.change(
                    draft.id, {"status": FAILED, "error": "interrupted", "updated_at": now}
                )
            session.commit()
            return [self._get(store, d.id) for d in found]

    # --- the review -----------------------------------------------------------------------

    def drafts(self, teacher_id: int) -> list[DraftView]:
        """The teacher's drafts not yet published (queued, generating, under review)."""
        with self._sessions() as session:
            return [_view(d) for d in DraftStore(session).of_teacher(teacher_id, OPEN_STATUSES)]

    def get(self, draft_id: int, teacher_id: int) -> DraftView:
        with self._sessions() as session:
            return _view(self._mine(DraftStore(session), draft_id, teacher_id))

    def current(self, draft_id: int, teacher_id: int) -> DraftItemView | None:
        """The next item to review (best first, « later » ones after), None when done."""
        with self._sessions() as session:
            store = DraftStore(session)
            self._mine(store, draft_id, teacher_id)
            return self._next(store, draft_id)

    def decide(
        self, draft_id: int, item_id: int, teacher_id: int, action: DraftAction, now: dt.datetime
    ) -> ReviewStep:
        """Keep, delete or postpone one item; an item already decided is left as it is (a
        button pressed twice)."""
        with self._sessions() as session:
            store = DraftStore(session)
            self._reviewing(store, draft_id, teacher_id)
            item = store.item(draft_id, item_id)
            if item is not None and item.state == store_mod.PENDING:
                if action is DraftAction.KEEP:
                    store.set_item_state(item_id, store_mod.KEPT, now)
                elif action is DraftAction.DELETE:
                    store.set_item_state(item_id, store_mod.DELETED, now)
                else:
                    store.move_to_end(draft_id, item_id, now)
            session.commit()
            return ReviewStep(self._get(store, draft_id), self._next(store, draft_id))

    def keep_rest(self, draft_id: int, teacher_id: int, now: dt.datetime) -> DraftView:
        """« Tout garder à partir d'ici »: every item not yet decided is kept."""
        with self._sessions() as session:
            store = DraftStore(session)
            self._reviewing(store, draft_id, teacher_id)
            store.keep_pending(draft_id, now)
            session.commit()
            return self._get(store, draft_id)

    def correct(
        self,
        draft_id: int,
        item_id: int,
        teacher_id: int,
        field: Field,
        value: str,
        now: dt.datetime,
    ) -> ReviewStep:
        """Replace the item's prompt or answer; checked as a file is
        (:class:`~bot.content.deckfile.DeckFormatError`, nothing changed, when refused)."""
        with self._sessions() as session:
            store = DraftStore(session)
            self._reviewing(store, draft_id, teacher_id)
            item = store.item(draft_id, item_id)
            if item is None:
                raise DraftNotFound(draft_id)
            checked = check_question(corrected(item.question, field, value))
            store.set_question(item_id, checked, store_mod.CORRECTED, now)
            session.commit()
            return ReviewStep(self._get(store, draft_id), self._next(store, draft_id))

    # --- files ----------------------------------------------------------------------------

    def deck(self, draft_id: int, teacher_id: int, *, everything: bool = False) -> Deck:
        """The draft as a deck: the kept and corrected items (and the undecided ones, or
        every item with ``everything``), best first."""
        with self._sessions() as session:
            store = DraftStore(session)
            draft = self._mine(store, draft_id, teacher_id)
            items = store.items(draft_id)
        wanted = {store_mod.KEPT, store_mod.CORRECTED, store_mod.PENDING}
        if everything:
            wanted.add(store_mod.DELETED)
        # In the draft's rank (best first), whatever was postponed during the review.
        ordered = sorted(items, key=lambda item: item.id)
        questions = tuple(item.question for item in ordered if item.state in wanted)
        return Deck(slug=draft.slug, title=draft.title, questions=questions, language="fr")

    def yaml(self, draft_id: int, teacher_id: int) -> tuple[str, str]:
        """(file name, text) of the draft for editing on a computer (the deleted items left
        out, the undecided ones in)."""
        deck = self.deck(draft_id, teacher_id)
        comment = (
            "Brouillon : relisez, corrigez, puis renvoyez ce fichier au bot.\n"
            "Il ne sera proposé aux élèves qu'une fois publié."
        )
        return f"{deck.slug}.yaml", dump_deck(deck, comment=comment)

    def replace_from_file(
        self, teacher_id: int, data: bytes, file_name: str, now: dt.datetime
    ) -> DraftView | None:
        """A file sent back by the teacher: when its deck id is one of their drafts under
        review, its questions become the draft's items, all kept (reviewed on the computer);
        None when it is not a draft of theirs. ``DeckFormatError`` when the file is invalid."""
        deck = load_deck_bytes(data, file_name)
        with self._sessions() as session:
            store = DraftStore(session)
            draft = store.by_slug(teacher_id, deck.slug)
            if draft is None or draft.status != REVIEW:
                return None
            store.replace_items(draft.id, list(deck.questions), store_mod.KEPT, now)
            store.change(draft.id, {"title": deck.title[:256], "updated_at": now})
            session.commit()
            return self._get(store, draft.id)

    def publish(
        self, draft_id: int, teacher_id: int, questions_dir: Path, now: dt.datetime
    ) -> Published:
        """Write the kept and corrected items to ``<questions_dir>/publies/<deck id>.yaml``
        (an earlier file of that name is kept as ``.yaml.bak``), import it and assign the
        deck to the draft's class, in one transaction. The undecided items are kept too
        (the teacher chose to publish)."""
        with self._sessions() as session:
            store = DraftStore(session)
            draft = self._reviewing(store, draft_id, teacher_id)
        deck = self.deck(draft_id, teacher_id)
        if not deck.questions:
            raise NothingToPublish(draft_id)
        text = dump_deck(deck, comment=f"Publié depuis le bot le {now.date().isoformat()}.")
        check = load_deck_bytes(text.encode(), f"{deck.slug}.yaml")  # never write a bad file
        folder = questions_dir / PUBLISHED_DIR
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{deck.slug}.yaml"
        backup = write_keeping_backup(path, text)
        class_id = draft.class_id

        def assign(session: Session, report: ImportReport) -> None:
            classes = ClassStore(session)
            deck_id = classes.deck_id(deck.slug)
            if deck_id is None:  # pragma: no cover - the import just wrote it
                raise DeckFormatError([DeckProblem(str(path), None, None, "paquet introuvable")])
            if class_id is not None:
                if classes.teacher_role(class_id, teacher_id) is None:
                    raise NotTeacherOfClass(class_id, teacher_id)
                classes.assign_deck(class_id, deck_id, now)
            drafts = DraftStore(session)
            drafts.change(draft_id, {"status": PUBLISHED, "deck_id": deck_id, "updated_at": now})

        try:
            report = self._importer.import_paths([path], now, then=assign)
        except BaseException:
            # Nothing was imported: the folder goes back to what it was.
            restore_backup(path, backup)
            raise
        with self._sessions() as session:
            view = self._get(DraftStore(session), draft_id)
        return Published(view, path, report, len(check.questions))

    def set_class(self, draft_id: int, teacher_id: int, class_id: int | None) -> DraftView:
        """The class the draft will be published for (None: every student)."""
        with self._sessions() as session:
            store = DraftStore(session)
            self._mine(store, draft_id, teacher_id)
            classes = ClassStore(session)
            if class_id is not None and classes.teacher_role(class_id, teacher_id) is None:
                raise NotTeacherOfClass(class_id, teacher_id)
            store.change(draft_id, {"class_id": class_id})
            session.commit()
            return self._get(store, draft_id)

    def save_upload(
        self, data: bytes, file_name: str, questions_dir: Path, now: dt.datetime
    ) -> SavedUpload:
        """A question file sent by a teacher goes into the questions folder, then is imported
        from there, so the folder and the database agree (the next start-up or /recharger
        imports the teacher's version, not an older copy). The file it replaces (the one that
        holds the same deck id, else ``publies/<deck id>.yaml``) is kept as ``.bak``.
        ``DeckFormatError`` (nothing written, nothing imported) when the file is invalid."""
        deck = load_deck_bytes(data, file_name)
        with self._sessions() as session:
            stored = DraftStore(session).deck_source_file(deck.slug)
        folder = questions_dir.resolve()
        path = folder / PUBLISHED_DIR / f"{deck.slug}.yaml"
        if stored:
            candidate = Path(stored)
            if not candidate.is_absolute():
                candidate = Path.cwd() / candidate
            candidate = candidate.resolve()
            if candidate.is_relative_to(folder) and candidate.suffix.lower() in (".yaml", ".yml"):
                path = candidate
        path.parent.mkdir(parents=True, exist_ok=True)
        backup = write_keeping_backup(path, data.decode("utf-8-sig"))
        try:
            report = self._importer.import_paths([path], now)
        except BaseException:
            restore_backup(path, backup)
            raise
        return SavedUpload(report, path, backup)

    # --- helpers --------------------------------------------------------------------------

    @staticmethod
    def _get(store: DraftStore, draft_id: int) -> DraftView:
        found = store.get(draft_id)
        if found is None:
            raise DraftNotFound(draft_id)
        return _view(found)

    @staticmethod
    def _mine(store: DraftStore, draft_id: int, teacher_id: int) -> StoredDraft:
        found = store.get(draft_id)
        if found is None or found.teacher_id != teacher_id:
            raise DraftNotFound(draft_id)
        return found

    def _reviewing(self, store: DraftStore, draft_id: int, teacher_id: int) -> StoredDraft:
        found = self._mine(store, draft_id, teacher_id)
        if found.status != REVIEW:
            raise NothingToPublish(draft_id)
        return found

    @staticmethod
    def _next(store: DraftStore, draft_id: int) -> DraftItemView | None:
        item = store.next_pending(draft_id)
        if item is None:
            return None
        return _item_view(store, item)


def _item_view(store: DraftStore, item: StoredItem) -> DraftItemView:
    items = store.items(item.draft_id)
    number = 1 + sorted(i.id for i in items).index(item.id) if items else 1
    return DraftItemView(item.id, item.draft_id, number, item.state, item.question)


def write_keeping_backup(path: Path, text: str) -> Path | None:
    """Write ``text`` to ``path`` atomically; an existing file is first copied to
    ``<name>.bak`` (returned)."""
    backup = None
    if path.exists():
        backup = path.with_name(path.name + ".bak")
        backup.write_bytes(path.read_bytes())
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return backup


def restore_backup(path: Path, backup: Path | None) -> None:
    if backup is not None and backup.exists():
        os.replace(backup, path)
    elif backup is None:
        path.unlink(missing_ok=True)
