"""Classes on both engines: create, invite, join, leave, co-teachers, isolation, decks, CSV,
and drafts reviewed then published for a class."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.content.deckfile import DeckFormatError, load_deck_file
from bot.domain.deck import Deck, Question, QuestionKind
from bot.services.classes import ClassService, InvalidClassName, JoinStatus
from bot.services.classroom import ClassroomService
from bot.services.drafts import DraftAction, DraftService, Field, NothingToPublish, TextTooShort
from bot.services.importing import ImportService
from bot.services.study import StudyService
from bot.services.users import UserService
from bot.services.views import NotTeacherOfClass
from tests.tg.decks import BELARUS, SUEZ

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
SessionFactory = sessionmaker[Session]
TEXT = " ".join(["La Biélorussie devient indépendante en 1991."] * 8)


@pytest.fixture
def users(session_factory: SessionFactory) -> UserService:
    return UserService(session_factory, Settings(_env_file=None))  # type: ignore[call-arg]


@pytest.fixture
def classes(session_factory: SessionFactory) -> ClassService:
    return ClassService(session_factory)


@pytest.fixture
def importer(session_factory: SessionFactory) -> ImportService:
    return ImportService(session_factory)


def _user(users: UserService, telegram_id: int, name: str) -> int:
    return users.register_telegram(telegram_id, telegram_id, name, "fr", NOW).id


def test_create_invite_join_leave(classes: ClassService, users: UserService) -> None:
    prof, lea, tom = (_user(users, i, n) for i, n in ((1, "Prof"), (2, "Léa"), (3, "Tom")))
    invite = classes.create(prof, "  3e   B ", NOW)
    assert invite.class_name == "3e B" and len(invite.code) == 16
    with pytest.raises(InvalidClassName) as taken:
        classes.create(prof, "3E b", NOW)
    assert taken.value.taken
    with pytest.raises(InvalidClassName):
        classes.create(prof, "   ", NOW)

    assert classes.join(invite.code, lea, NOW).status is JoinStatus.JOINED
    assert classes.join(invite.code, lea, NOW).status is JoinStatus.ALREADY
    assert classes.join(invite.code, prof, NOW).status is JoinStatus.ALREADY_TEACHER
    assert classes.join("forged-code-1234", tom, NOW).status is JoinStatus.UNKNOWN
    for forged in ("", "\x00", "a" * 33, "code avec espaces", "' OR 1=1 --"):
        assert classes.join(forged, tom, NOW).status is JoinStatus.UNKNOWN

    renewed = classes.renew_invite(invite.class_id, prof, NOW)
    assert renewed.code != invite.code
    assert classes.join(invite.code, tom, NOW).status is JoinStatus.REVOKED
    assert classes.join(renewed.code, tom, NOW).status is JoinStatus.JOINED
    assert classes.invite(invite.class_id, prof, NOW).code == renewed.code
    assert [m.display_name for m in classes.members(invite.class_id, prof)] == ["Léa", "Tom"]

    second = classes.create(prof, "4e A", NOW)
    classes.join(second.code, lea, NOW)
    assert [c.name for c in classes.classes_of_student(lea)] == ["3e B", "4e A"]
    assert classes.leave(invite.class_id, lea)
    assert not classes.leave(invite.class_id, lea)
    assert [c.name for c in classes.classes_of_student(lea)] == ["4e A"]
    assert [(c.name, c.students) for c in classes.classes_taught(prof)] == [
        ("3e B", 1),
        ("4e A", 1),
    ]


def test_teachers_see_only_their_classes(classes: ClassService, users: UserService) -> None:
    martin, durand, lea = (_user(users, i, n) for i, n in ((1, "M"), (2, "D"), (3, "Léa")))
    b = classes.create(martin, "3e B", NOW)
    classes.create(durand, "3e B", NOW)  # same name, another teacher: fine
    classes.join(b.code, lea, NOW)
    assert [c.name for c in classes.classes_taught(durand)] == ["3e B"]
    assert classes.classes_taught(durand)[0].id != b.class_id
    for call in (
        lambda: classes.members(b.class_id, durand),
        lambda: classes.invite(b.class_id, durand, NOW),
        lambda: classes.class_csv(b.class_id, durand, NOW, "Europe/Paris"),
        lambda: classes.link_chat(-100, b.class_id, durand, NOW),
    ):
        with pytest.raises(NotTeacherOfClass):
            call()
    assert not classes.is_teacher_of(b.class_id, durand)
    assert not classes.is_teacher(lea)

    co = classes.invite(b.class_id, martin, NOW, role="teacher")
    assert classes.join(co.code, durand, NOW).status is JoinStatus.TEACHER_ADDED
    assert classes.is_teacher_of(b.class_id, durand)
    assert [m.display_name for m in classes.members(b.class_id, durand)] == ["Léa"]
    assert classes.link_chat(-100, b.class_id, durand, NOW).name == "3e B"
    assert classes.class_of_chat(-100) is not None
    assert classes.class_of_chat(-200) is None


def test_class_decks_and_what_students_study(
    session_factory: SessionFactory,
    classes: ClassService,
    users: UserService,
    importer: ImportService,
) -> None:
    importer.import_bytes(BELARUS.encode(), "b.yaml", NOW)
    importer.import_bytes(SUEZ.encode(), "s.yaml", NOW)
    prof, lea, tom = (_user(users, i, n) for i, n in ((1, "Prof"), (2, "Léa"), (3, "Tom")))
    b = classes.create(prof, "3e B", NOW)
    classes.join(b.code, lea, NOW)
    assert classes.assign_deck(b.class_id, prof, "crise-de-suez", NOW)
    assert [d.slug for d in classes.decks_of_class(b.class_id)] == ["crise-de-suez"]
    assert [d.slug for d in classes.decks_for_class(b.class_id)] == [
        "bielorussie",
        "crise-de-suez",
    ]
    other = classes.create(prof, "4e A", NOW)
    assert [d.slug for d in classes.decks_for_class(other.class_id)] == ["bielorussie"]

    # Léa (in the class) sees both; Tom only the deck without a class.
    assert [d.slug for d in users.decks(lea)] == ["bielorussie", "crise-de-suez"]
    assert [d.slug for d in users.decks(tom)] == ["bielorussie"]
    study = StudyService(session_factory)
    seen = set()
    for _ in range(8):
        shown = study.next_question(tom, NOW)
        if shown is None:
            break
        seen.add(shown.deck_slug)
        study.end_session(tom, NOW)
        users.set_deck_enabled(tom, shown.deck_slug, False)
    assert seen == {"bielorussie"}

    classes.leave(b.class_id, lea)
    assert [d.slug for d in users.decks(lea)] == ["bielorussie"]


def test_class_csv_semicolons_local_times(
    session_factory: SessionFactory,
    classes: ClassService,
    users: UserService,
    importer: ImportService,
) -> None:
    importer.import_bytes(BELARUS.encode(), "b.yaml", NOW)
    prof, lea, out = (_user(users, i, n) for i, n in ((1, "Prof"), (2, "Léa"), (3, "Hors")))
    b = classes.create(prof, "3e B", NOW)
    classes.join(b.code, lea, NOW)
    study = StudyService(session_factory)
    for student in (lea, out):
        shown = study.next_question(student, NOW)
        assert shown is not None
        study.answer_choice_and_next(student, shown.token, 0, NOW, idempotency_key=f"k{student}")
    text = classes.class_csv(b.class_id, prof, NOW, "Europe/Paris")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "eleve" and len(rows) == 2  # Hors is in no class of the teacher
    assert rows[1][:2] == ["Léa", "bielorussie"] and rows[1][3] == "1"  # one answer
    assert rows[1][-1] == "10/03/2026 10:00"  # 09:00 UTC is 10:00 in Paris
    overview = ClassroomService(session_factory).overview(b.class_id, prof, NOW)
    assert (overview.students, overview.answers) == (1, 1)


def _generated() -> Deck:
    return Deck(
        slug="x",
        title="x",
        questions=(
            Question("q-low", QuestionKind.OPEN, "Quand ?", "1991", confidence=0.3),
            Question(
                "q-high",
                QuestionKind.CHOICE,
                "Quel pays ?",
                "la Russie",
                distractors=("la Chine", "l'Ukraine"),
                source="La Russie est l'allié.",
                confidence=0.9,
            ),
            Question(
                "q-mid", QuestionKind.CLOZE, "En {{1994}}, il arrive.", "1994", confidence=0.6
            ),
        ),
    )


def test_draft_review_and_publish_for_a_class(
    session_factory: SessionFactory,
    classes: ClassService,
    users: UserService,
    importer: ImportService,
    tmp_path: Path,
) -> None:
    importer.import_bytes(BELARUS.encode(), "b.yaml", NOW)
    prof, lea, tom = (_user(users, i, n) for i, n in ((1, "Prof"), (2, "Léa"), (3, "Tom")))
    b = classes.create(prof, "3e B", NOW)
    classes.join(b.code, lea, NOW)
    drafts = DraftService(session_factory, importer)
    with pytest.raises(TextTooShort):
        drafts.create(prof, "Trop court.", NOW)
    with pytest.raises(NotTeacherOfClass):
        drafts.create(tom, TEXT, NOW, class_id=b.class_id)
    draft = drafts.create(prof, TEXT, NOW, class_id=b.class_id, file_name="indépendance.txt")
    assert draft.status == "queued" and draft.slug == f"independance-{draft.id}"
    assert drafts.start(draft.id, NOW) and not drafts.start(draft.id, NOW)
    draft = drafts.fill(draft.id, _generated(), NOW)
    assert (draft.status, draft.pending, draft.class_name) == ("review", 3, "3e B")

    first = drafts.current(draft.id, prof)
    assert first is not None and first.question.key == "q-high" and first.number == 1
    step = drafts.decide(draft.id, first.id, prof, DraftAction.LATER, NOW)
    assert step.next is not None and step.next.question.key == "q-mid"
    with pytest.raises(DeckFormatError):  # a cloze needs its gap: nothing changed
        drafts.correct(draft.id, step.next.id, prof, Field.PROMPT, "Sans {{a}} et {{b}}", NOW)
    step = drafts.correct(draft.id, step.next.id, prof, Field.ANSWER, "1995", NOW)
    assert step.next is not None and step.next.question.key == "q-low"
    step = drafts.decide(draft.id, step.next.id, prof, DraftAction.DELETE, NOW)
    assert step.next is not None and step.next.question.key == "q-high"  # came back
    with pytest.raises(DeckFormatError):  # the answer among the distractors
        drafts.correct(draft.id, step.next.id, prof, Field.ANSWER, "la Chine", NOW)
    done = drafts.keep_rest(draft.id, prof, NOW)
    assert (done.kept, done.corrected, done.deleted, done.pending) == (1, 1, 1, 0)
    assert drafts.current(draft.id, prof) is None

    name, text = drafts.yaml(draft.id, prof)
    assert name == f"{draft.slug}.yaml" and "{{1995}}" in text and "q-low" not in text

    # Nothing of it is studied before publishing.
    assert [d.slug for d in users.decks(lea)] == ["bielorussie"]
    published = drafts.publish(draft.id, prof, tmp_path, NOW)
    assert published.path == tmp_path / "publies" / f"{draft.slug}.yaml"
    assert published.questions == 2 and published.draft.status == "published"
    assert [q.key for q in load_deck_file(published.path).questions] == ["q-high", "q-mid"]
    assert [d.slug for d in users.decks(lea)] == ["bielorussie", draft.slug]
    assert [d.slug for d in users.decks(tom)] == ["bielorussie"]
    assert [d.slug for d in classes.decks_of_class(b.class_id)] == [draft.slug]
    with pytest.raises(NothingToPublish):
        drafts.publish(draft.id, prof, tmp_path, NOW)
    assert drafts.drafts(prof) == []


def test_a_draft_sent_back_as_a_file_replaces_its_items(
    session_factory: SessionFactory, users: UserService, importer: ImportService
) -> None:
    prof = _user(users, 1, "Prof")
    drafts = DraftService(session_factory, importer)
    draft = drafts.create(prof, TEXT, NOW)
    drafts.fill(draft.id, _generated(), NOW)
    _, text = drafts.yaml(draft.id, prof)
    edited = text.replace('"Quand ?"', '"En quelle année ?"')
    back = drafts.replace_from_file(prof, edited.encode(), "b.yaml", NOW)
    assert back is not None and (back.kept, back.pending) == (3, 0)
    deck = drafts.deck(draft.id, prof)
    assert "En quelle année ?" in [q.prompt for q in deck.questions]
    other = _user(users, 2, "Autre")
    assert drafts.replace_from_file(other, edited.encode(), "b.yaml", NOW) is None
    interrupted = drafts.create(prof, TEXT, NOW)
    drafts.start(interrupted.id, NOW)
    assert [d.id for d in drafts.interrupted(NOW)] == [interrupted.id]
    assert drafts.get(interrupted.id, prof).status == "failed"


def test_class_game_access_follows_the_group_s_class(
    session_factory: SessionFactory,
    classes: ClassService,
    users: UserService,
    importer: ImportService,
) -> None:
    """A group linked to a class: its teachers only (a co-teacher too, a TEACHER_IDS teacher
    of another class not), on the class's decks; a group with no class: TEACHER_IDS, any deck."""
    from bot.services.classes import ClassGameAccess

    prof, durand, coll = (_user(users, i, n) for i, n in ((1, "Prof"), (2, "Durand"), (3, "Coll")))
    importer.import_bytes(BELARUS.encode(), "b.yaml", NOW)
    importer.import_bytes(SUEZ.encode(), "s.yaml", NOW)
    b = classes.create(prof, "3e B", NOW)
    classes.create(durand, "4e A", NOW)
    assert classes.assign_deck(b.class_id, prof, "crise-de-suez", NOW)
    co_code = classes.invite(b.class_id, prof, NOW, role="teacher").code
    classes.join(co_code, coll, NOW)
    classes.link_chat(-100, b.class_id, prof, NOW)
    access = ClassGameAccess(session_factory, teacher_ids={1, 2})

    assert access.may_run(-100, 1) and access.may_run(-100, 3)
    assert not access.may_run(-100, 2)  # a teacher, but not of 3e B
    assert not access.may_run(-100, 99)
    assert access.deck_slugs(-100) == ["crise-de-suez"]

    assert access.may_run(-200, 2) and not access.may_run(-200, 3)
    assert access.deck_slugs(-200) is None


def test_a_self_rated_card_is_corrected_and_published(
    session_factory: SessionFactory, users: UserService, importer: ImportService, tmp_path: Path
) -> None:
    prof = _user(users, 1, "Prof")
    drafts = DraftService(session_factory, importer)
    draft = drafts.create(prof, TEXT, NOW)
    card = Question(
        "pourquoi-1991",
        QuestionKind.SELF_RATED,
        "Pourquoi la Biélorussie devient-elle indépendante en 1991 ?",
        "L'URSS se disloque.",
    )
    drafts.fill(draft.id, Deck(slug="x", title="x", questions=(card,)), NOW)
    item = drafts.current(draft.id, prof)
    assert item is not None and item.question.kind is QuestionKind.SELF_RATED

    with pytest.raises(DeckFormatError) as refused:  # a card's answer fits on a screen
        drafts.correct(draft.id, item.id, prof, Field.ANSWER, "mot " * 160, NOW)
    assert "600 au maximum pour une carte à auto-évaluer" in str(refused.value.problems[0])
    sentence = "L'URSS se disloque et les républiques proclament leur indépendance."
    step = drafts.correct(draft.id, item.id, prof, Field.ANSWER, sentence, NOW)
    assert step.next is None and step.draft.corrected == 1

    published = drafts.publish(draft.id, prof, tmp_path, NOW)
    assert "kind: self_rated" in published.path.read_text(encoding="utf-8")
    (back,) = load_deck_file(published.path).questions
    assert (back.kind, back.answer) == (QuestionKind.SELF_RATED, sentence)
