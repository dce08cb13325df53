"""ImportService on SQLite and PostgreSQL: add, update in place, retire, all or nothing."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.content.deckfile import DeckFormatError
from bot.db.models import Base, Card, Deck, Question, Review, User
from bot.db.repositories import content
from bot.reports import describe_deck, describe_import
from bot.services.importing import DeckReport, DeckStatus, ImportReport, ImportService

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 3, 4, 8, 0, tzinfo=dt.UTC)
T3 = dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.UTC)

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "decks" / "valid"

Factory = sessionmaker[Session]


# -- helpers ----------------------------------------------------------------------------------


def q(key: str, answer: str = "2006", **extra: Any) -> dict[str, Any]:
    """An open question; ``extra`` overrides or adds fields."""
    return {"id": key, "kind": "open", "prompt": f"Question {key} ?", "answer": answer, **extra}


def deck_text(slug: str, questions: Sequence[Mapping[str, Any]], title: str = "") -> str:
    doc = {
        "version": 1,
        "deck": {"id": slug, "title": title or f"Paquet {slug}", "language": "fr"},
        "questions": [dict(question) for question in questions],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def write_deck(
    folder: Path, slug: str, questions: Sequence[Mapping[str, Any]], title: str = ""
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.yaml"
    path.write_text(deck_text(slug, questions, title), encoding="utf-8")
    return path


def dump(factory: Factory) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with factory() as session:
        result: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table).order_by(*table.primary_key.columns))
            result[table.name] = [tuple(row) for row in rows]
        return result


def deck_row(factory: Factory, slug: str) -> Deck:
    with factory() as session:
        deck = session.scalar(select(Deck).where(Deck.slug == slug))
        assert deck is not None
        return deck


def question_rows(factory: Factory, slug: str) -> dict[str, Question]:
    with factory() as session:
        rows = session.scalars(
            select(Question).join(Deck).where(Deck.slug == slug).order_by(Question.id)
        )
        return {row.key: row for row in rows}


def add_progress(factory: Factory, question_id: int) -> tuple[int, int]:
    """A student's card on the question and one review of it: (card id, review id)."""
    with factory() as session, session.begin():
        user = User(telegram_id=42, display_name="Léa", created_at=T0)
        session.add(user)
        session.flush()
        card = Card(
            user_id=user.id, question_id=question_id, state=2, due=T1, reps=1, created_at=T0
        )
        session.add(card)
        session.flush()
        review = Review(
            card_id=card.id,
            user_id=user.id,
            question_id=question_id,
            idempotency_key="k1",
            rating=3,
            verdict="correct",
            correct=True,
            given_answer="2006",
            reviewed_at=T0,
            prev_state=1,
            prev_due=T0,
            prev_reps=0,
            prev_lapses=0,
        )
        session.add(review)
        session.flush()
        return card.id, review.id


def counts(report: DeckReport) -> tuple[int, int, int, int]:
    return report.added, report.updated, report.retired, report.unchanged


# -- first import, idempotence ----------------------------------------------------------------


def test_first_import_adds_every_question_in_file_order(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    path = write_deck(folder, "suez", [q("b"), q("a", "1956"), q("c", explanation="Car.")])

    report = ImportService(session_factory).import_paths([folder], T0)

    assert (
        describe_import(report)
        == "suez (nouveau paquet) : 3 ajoutées, 0 modifiée, 0 retirée, 0 inchangée"
    )
    assert report.changed
    assert report.decks == (DeckReport("suez", "Paquet suez", added=3, status=DeckStatus.NEW),)
    deck = deck_row(session_factory, "suez")
    assert deck.source_file == path.as_posix()
    assert deck.retired_at is None
    assert (deck.created_at, deck.updated_at) == (T0, T0)
    assert len(deck.content_hash) == 32
    rows = question_rows(session_factory, "suez")
    assert [(key, row.position) for key, row in rows.items()] == [("b", 0), ("a", 1), ("c", 2)]
    assert rows["a"].answer == "1956"
    assert rows["c"].explanation == "Car."
    assert all(row.retired_at is None and row.updated_at == T0 for row in rows.values())


def test_second_import_changes_nothing(session_factory: Factory, tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("b", tags=["date"], accept=["en 2006"])])
    write_deck(folder, "rome", [q("r1", confidence=0.75)])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    before = dump(session_factory)

    report = service.import_paths([folder], T1)

    assert dump(session_factory) == before
    assert not report.changed
    assert describe_import(report) == (
        "rome : 0 ajoutée, 0 modifiée, 0 retirée, 1 inchangée\n"
        "suez : 0 ajoutée, 0 modifiée, 0 retirée, 2 inchangées"
    )
    assert describe_import(report, "en").splitlines()[1] == (  # a teacher who reads English
        "suez: 0 added, 0 changed, 0 retired, 2 unchanged"
    )


def test_sample_decks_import_then_reimport_unchanged(session_factory: Factory) -> None:
    if not SAMPLES.is_dir():
        pytest.skip("no sample decks in tests/data/decks/valid")
    service = ImportService(session_factory)
    first = service.import_paths([SAMPLES], T0)
    with session_factory() as session:
        stored = session.scalar(select(func.count()).select_from(Question))
    assert first.added == stored and stored > 0
    assert all(deck.status is DeckStatus.NEW for deck in first.decks)
    before = dump(session_factory)

    second = service.import_paths([SAMPLES], T1)

    assert not second.changed
    assert second.unchanged == stored
    assert dump(session_factory) == before


# -- edits, removals, restorations -------------------------------------------------------------


def test_edited_question_keeps_its_row_card_and_reviews(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("b"), q("c")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    old = question_rows(session_factory, "suez")
    card_id, review_id = add_progress(session_factory, old["b"].id)

    write_deck(folder, "suez", [q("a"), q("b", answer="1956", prompt="Nouvelle ?"), q("c")])
    report = service.import_paths([folder], T1)

    assert counts(report.deck("suez")) == (0, 1, 0, 2)
    assert report.deck("suez").status is DeckStatus.UPDATED  # the deck's hash changed
    assert describe_import(report) == (
        "suez (paquet mis à jour) : 0 ajoutée, 1 modifiée, 0 retirée, 2 inchangées"
    )
    new = question_rows(session_factory, "suez")
    assert {key: row.id for key, row in new.items()} == {key: row.id for key, row in old.items()}
    edited = new["b"]
    assert (edited.prompt, edited.answer) == ("Nouvelle ?", "1956")
    assert edited.content_hash != old["b"].content_hash
    assert (edited.created_at, edited.updated_at, edited.retired_at) == (T0, T1, None)
    assert new["a"].updated_at == T0 and new["c"].updated_at == T0
    assert deck_row(session_factory, "suez").updated_at == T1
    with session_factory() as session:
        card = session.get(Card, card_id)
        review = session.get(Review, review_id)
        assert card is not None and card.question_id == edited.id and card.reps == 1
        assert review is not None and review.question_id == edited.id


def test_removed_question_is_retired_then_restored(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("b"), q("c")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    b_id = question_rows(session_factory, "suez")["b"].id
    card_id, review_id = add_progress(session_factory, b_id)

    write_deck(folder, "suez", [q("a"), q("c")])
    removed = service.import_paths([folder], T1)

    assert counts(removed.deck("suez")) == (0, 1, 1, 1)  # "c" moved from position 2 to 1
    rows = question_rows(session_factory, "suez")
    assert rows["b"].id == b_id
    assert (rows["b"].retired_at, rows["b"].updated_at) == (T1, T1)
    assert rows["a"].retired_at is None and rows["c"].retired_at is None
    with session_factory() as session:
        assert session.get(Card, card_id) is not None
        assert session.get(Review, review_id) is not None

    again = service.import_paths([folder], T2)
    assert not again.changed
    assert question_rows(session_factory, "suez")["b"].retired_at == T1

    write_deck(folder, "suez", [q("a"), q("b"), q("c")])
    back = service.import_paths([folder], T3)

    assert counts(back.deck("suez")) == (1, 1, 0, 1)  # "b" back, "c" moved back to 2
    rows = question_rows(session_factory, "suez")
    assert rows["b"].id == b_id
    assert (rows["b"].retired_at, rows["b"].updated_at) == (None, T3)
    assert [rows[key].position for key in "abc"] == [0, 1, 2]
    with session_factory() as session:
        card = session.get(Card, card_id)
        assert card is not None and card.question_id == b_id


def test_reordering_updates_positions(session_factory: Factory, tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("b"), q("c")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    hashes = {key: row.content_hash for key, row in question_rows(session_factory, "suez").items()}

    write_deck(folder, "suez", [q("c"), q("b"), q("a")])
    report = service.import_paths([folder], T1)

    assert counts(report.deck("suez")) == (0, 2, 0, 1)
    rows = question_rows(session_factory, "suez")
    assert {key: row.position for key, row in rows.items()} == {"a": 2, "b": 1, "c": 0}
    assert {key: row.content_hash for key, row in rows.items()} == hashes
    assert rows["b"].updated_at == T0


def test_deck_title_change_updates_the_deck_only(session_factory: Factory, tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a")], title="Suez")
    service = ImportService(session_factory)
    service.import_paths([folder], T0)

    write_deck(folder, "suez", [q("a")], title="La crise de Suez")
    report = service.import_paths([folder], T1)

    assert report.decks == (
        DeckReport("suez", "La crise de Suez", unchanged=1, status=DeckStatus.UPDATED),
    )
    assert report.changed
    deck = deck_row(session_factory, "suez")
    assert (deck.title, deck.updated_at) == ("La crise de Suez", T1)
    assert question_rows(session_factory, "suez")["a"].updated_at == T0


# -- decks whose file is gone -----------------------------------------------------------------


def test_deck_whose_file_is_gone_is_retired_then_restored(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a")])
    rome = write_deck(folder / "europe", "rome", [q("r1"), q("r2")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    r1 = question_rows(session_factory, "rome")["r1"].id
    card_id, review_id = add_progress(session_factory, r1)

    rome.unlink()
    report = service.import_paths([folder], T1)

    assert report.decks == (
        DeckReport("suez", "Paquet suez", unchanged=1),
        DeckReport("rome", "Paquet rome", retired=2, status=DeckStatus.RETIRED),
    )
    assert describe_import(report) == (
        "suez : 0 ajoutée, 0 modifiée, 0 retirée, 1 inchangée\n"
        "rome (paquet retiré : fichier absent) : 0 ajoutée, 0 modifiée, 2 retirées, 0 inchangée"
    )
    assert deck_row(session_factory, "rome").retired_at == T1
    assert {row.retired_at for row in question_rows(session_factory, "rome").values()} == {T1}
    assert deck_row(session_factory, "suez").retired_at is None
    with session_factory() as session:
        assert session.get(Card, card_id) is not None
        assert session.get(Review, review_id) is not None

    assert not service.import_paths([folder], T2).changed  # retired once, not again

    write_deck(folder / "europe", "rome", [q("r1"), q("r2"), q("r3")])
    back = service.import_paths([folder], T3)

    assert back.deck("rome") == DeckReport(
        "rome", "Paquet rome", added=3, status=DeckStatus.RESTORED
    )
    assert deck_row(session_factory, "rome").retired_at is None
    rows = question_rows(session_factory, "rome")
    assert rows["r1"].id == r1
    assert all(row.retired_at is None for row in rows.values())


def test_importing_some_files_does_not_retire_the_others(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    suez = write_deck(folder, "suez", [q("a")])
    write_deck(folder, "rome", [q("r1")])
    write_deck(tmp_path / "ailleurs", "marshall", [q("m1")])
    service = ImportService(session_factory)
    service.import_paths([folder, tmp_path / "ailleurs"], T0)

    write_deck(folder, "suez", [q("a"), q("b")])
    one_file = service.import_paths([suez], T1)
    one_folder = service.import_paths([folder], T2)

    assert [report.slug for report in one_file.decks] == ["suez"]
    assert counts(one_file.deck("suez")) == (1, 0, 0, 1)
    # marshall's file is outside the folder imported: it did not disappear.
    assert [report.slug for report in one_folder.decks] == ["rome", "suez"]
    assert not one_folder.changed
    for slug in ("suez", "rome", "marshall"):
        assert deck_row(session_factory, slug).retired_at is None


def test_deck_id_renamed_in_its_file_retires_the_old_deck(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    path = write_deck(folder, "suez", [q("a")])
    service = ImportService(session_factory)
    service.import_paths([path], T0)

    path.write_text(deck_text("crise-de-suez", [q("a")]), encoding="utf-8")
    report = service.import_paths([path], T1)

    assert [(deck.slug, deck.status) for deck in report.decks] == [
        ("crise-de-suez", DeckStatus.NEW),
        ("suez", DeckStatus.RETIRED),
    ]


# -- invalid input changes nothing ------------------------------------------------------------


def test_invalid_file_among_valid_ones_changes_nothing(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("b")])
    write_deck(folder, "rome", [q("r1")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    before = dump(session_factory)

    # Every kind of change at once, plus one broken file: none of it may land.
    write_deck(folder, "suez", [q("a", answer="1956"), q("c")])
    (folder / "rome.yaml").unlink()
    write_deck(folder, "marshall", [q("m1")])
    (folder / "zz-broken.yaml").write_text(
        "version: 1\ndeck:\n  id: broken\n  title: Cassé\nquestions:\n  - id: x\n    kind: open\n",
        encoding="utf-8",
    )
    with pytest.raises(DeckFormatError) as excinfo:
        service.import_paths([folder], T1)

    assert {problem.file for problem in excinfo.value.problems} == {str(folder / "zz-broken.yaml")}
    assert dump(session_factory) == before


def test_empty_folder_is_refused_and_retires_nothing(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    path = write_deck(folder, "suez", [q("a")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    before = dump(session_factory)
    path.unlink()

    with pytest.raises(DeckFormatError, match="aucun fichier de questions"):
        service.import_paths([folder], T1)

    assert dump(session_factory) == before


def test_question_id_longer_than_its_column_is_a_teacher_error(
    session_factory: Factory, tmp_path: Path
) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("x" * 200)])

    with pytest.raises(DeckFormatError) as excinfo:
        ImportService(session_factory).import_paths([folder], T0)

    [problem] = excinfo.value.problems
    assert problem.line is not None
    assert "dépasse 128 caractères" in problem.message
    assert all(rows == [] for rows in dump(session_factory).values())


def test_failure_while_writing_rolls_everything_back(
    session_factory: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("b")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    before = dump(session_factory)

    real_add = content.ImportStore.add_questions
    added: list[int] = []

    def broken(
        store: content.ImportStore,
        deck_id: int,
        questions: Sequence[content.NewQuestion],
        now: dt.datetime,
    ) -> None:
        real_add(store, deck_id, questions, now)  # the writes reach the database first
        added.append(deck_id)
        if len(added) == 2:
            raise RuntimeError("disque plein")

    monkeypatch.setattr(content.ImportStore, "add_questions", broken)
    write_deck(folder, "suez", [q("a", answer="1956"), q("c")])
    write_deck(folder, "rome", [q("r1")])
    with pytest.raises(RuntimeError, match="disque plein"):
        service.import_paths([folder], T1)

    assert dump(session_factory) == before


def test_naive_now_is_refused(session_factory: Factory, tmp_path: Path) -> None:
    write_deck(tmp_path, "suez", [q("a")])
    with pytest.raises(ValueError, match="naive"):
        ImportService(session_factory).import_paths([tmp_path], dt.datetime(2026, 3, 2, 8))


def test_repository_reads_include_retired_rows(session_factory: Factory, tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("b")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    write_deck(folder, "suez", [q("b")])
    service.import_paths([folder], T1)

    with session_factory() as session:
        store = content.ImportStore(session)
        decks = store.decks()
        assert list(decks) == ["suez"]
        assert store.decks([]) == {}
        assert list(store.decks(["suez", "autre"])) == ["suez"]
        questions = store.questions(decks["suez"].id)
        assert {key: row.retired_at for key, row in questions.items()} == {"b": None, "a": T1}
        assert questions["b"].values.position == 0


# -- a file sent to the bot -------------------------------------------------------------------


def test_import_bytes_syncs_its_deck_only(session_factory: Factory, tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q("a"), q("b")])
    write_deck(folder, "rome", [q("r1")])
    service = ImportService(session_factory)
    service.import_paths([folder], T0)
    b_id = question_rows(session_factory, "suez")["b"].id

    data = deck_text("suez", [q("a", answer="1956"), q("c")]).encode()
    report = service.import_bytes(data, "suez.yaml", T1)

    assert report == ImportReport(
        (
            DeckReport(
                "suez", "Paquet suez", added=1, updated=1, retired=1, status=DeckStatus.UPDATED
            ),
        )
    )
    assert describe_import(report) == (
        "suez (paquet mis à jour) : 1 ajoutée, 1 modifiée, 1 retirée, 0 inchangée"
    )
    rows = question_rows(session_factory, "suez")
    assert rows["b"].id == b_id and rows["b"].retired_at == T1
    assert rows["a"].answer == "1956"
    assert deck_row(session_factory, "suez").source_file == "suez.yaml"
    assert deck_row(session_factory, "rome").retired_at is None
    assert question_rows(session_factory, "rome")["r1"].retired_at is None

    before = dump(session_factory)
    assert not service.import_bytes(data, "suez.yaml", T2).changed
    assert dump(session_factory) == before


def test_import_bytes_new_deck_and_invalid_file(session_factory: Factory) -> None:
    service = ImportService(session_factory)
    report = service.import_bytes(
        deck_text("plan-marshall", [q("m1"), q("m2")]).encode(), "m.yml", T0
    )
    assert report.decks == (
        DeckReport("plan-marshall", "Paquet plan-marshall", added=2, status=DeckStatus.NEW),
    )
    before = dump(session_factory)

    with pytest.raises(DeckFormatError) as excinfo:
        service.import_bytes(b"version: 1\ndeck:\n  id: plan-marshall\n", "m.yml", T1)

    assert excinfo.value.problems and all(p.file == "m.yml" for p in excinfo.value.problems)
    assert dump(session_factory) == before


# -- two imports at once ----------------------------------------------------------------------


def _race(
    factory: Factory, runs: Sequence[Callable[[ImportService], ImportReport]]
) -> list[ImportReport]:
    """Start every run at the same instant, each in its own thread with its own service."""
    barrier = threading.Barrier(len(runs))
    reports: list[ImportReport] = []
    errors: list[BaseException] = []

    def work(run: Callable[[ImportService], ImportReport]) -> None:
        try:
            barrier.wait()
            reports.append(run(ImportService(factory)))
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    assert len(reports) == len(runs)
    return reports


def test_concurrent_imports_create_no_duplicates(session_factory: Factory, tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    write_deck(folder, "suez", [q(f"s{i}") for i in range(20)])
    write_deck(folder, "rome", [q(f"r{i}") for i in range(20)])

    first = _race(session_factory, [lambda service: service.import_paths([folder], T0)] * 4)

    # Exactly one import wrote the rows; the others found them in place.
    assert sum(report.added for report in first) == 40
    assert sum(report.unchanged for report in first) == 40 * 3
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Deck)) == 2
        assert session.scalar(select(func.count()).select_from(Question)) == 40

    # The teacher edits both files, then imports the folder and uploads rome twice, at once.
    write_deck(folder, "suez", [q(f"s{i}", answer="1956") for i in range(10)])
    write_deck(folder, "rome", [q(f"r{i}") for i in range(25)])
    data = (folder / "rome.yaml").read_bytes()
    second = _race(
        session_factory,
        [
            lambda service: service.import_paths([folder], T1),
            lambda service: service.import_paths([folder], T1),
            lambda service: service.import_bytes(data, "rome.yaml", T1),
            lambda service: service.import_bytes(data, "rome.yaml", T1),
        ],
    )

    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Question)) == 45
        keys = session.execute(select(Question.deck_id, Question.key)).all()
        assert len(keys) == len(set(keys))
    suez = question_rows(session_factory, "suez")
    assert sum(row.retired_at is not None for row in suez.values()) == 10
    # Each change was made by exactly one of the imports.
    assert sum(r.deck("suez").updated for r in second if "suez" in _slugs(r)) == 10
    assert sum(r.deck("suez").retired for r in second if "suez" in _slugs(r)) == 10
    assert sum(r.deck("rome").added for r in second) == 5


def _slugs(report: ImportReport) -> set[str]:
    return {deck.slug for deck in report.decks}


# -- the report's French ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "line"),
    [
        (
            DeckReport("bielorussie-relations-exterieures", "B", 12, 1, 0, 40),
            "bielorussie-relations-exterieures : 12 ajoutées, 1 modifiée, 0 retirée,"
            " 40 inchangées",
        ),
        (
            DeckReport("a", "A", 1, 2, 2, 1, DeckStatus.RESTORED),
            "a (paquet rétabli) : 1 ajoutée, 2 modifiées, 2 retirées, 1 inchangée",
        ),
    ],
)
def test_deck_report_describe(report: DeckReport, line: str) -> None:
    assert describe_deck(report) == line


def test_report_changed_and_totals() -> None:
    same = DeckReport("a", "A", unchanged=3)
    assert not ImportReport((same,)).changed
    assert ImportReport((same, DeckReport("b", "B", status=DeckStatus.RETIRED))).changed
    report = ImportReport((DeckReport("a", "A", 1, 2, 3, 4), DeckReport("b", "B", 1, 1, 1, 1)))
    assert (report.added, report.updated, report.retired, report.unchanged) == (2, 3, 4, 5)
    assert describe_import(ImportReport()) == "Aucun paquet de questions."
