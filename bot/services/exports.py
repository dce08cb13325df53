"""Teacher exports: a CSV of the class (student × deck), and an Anki package of a deck."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from bot.db.repositories import exports as repo
from bot.db.session import SessionFactory
from bot.domain.deck import CLOZE_GAP

CSV_COLUMNS = (
    "eleve_id",
    "eleve",
    "paquet",
    "cartes",
    "reponses",
    "bonnes_reponses",
    "reussite_pct",
    "reponses_7j",
    "derniere_reponse_utc",
    # Answers in practice mode (the schedule untouched): not in « reponses ».
    "reponses_entrainement",
)

# Fixed so that re-exporting updates the teacher's Anki notes instead of duplicating them.
ANKI_BASIC_MODEL_ID = 1_607_392_319
ANKI_CLOZE_MODEL_ID = 1_607_392_320


class UnknownDeck(LookupError):
    """The deck slug asked for is not in the database."""


@dataclass(frozen=True, slots=True)
class AnkiExport:
    path: Path
    notes: int


def _stable_id(text: str) -> int:
    # Anki ids are 63-bit; keep well inside and away from the small ids Anki uses itself.
    return 1 << 30 | int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) % (1 << 40)


class ExportService:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    def class_csv(self, now: dt.datetime, *, exclude_telegram_ids: Collection[int] = ()) -> str:
        """One row per student × deck (``CSV_COLUMNS``); ``exclude_telegram_ids``: the
        teachers, left out as in /classe."""
        with self._sessions() as session:
            rows = repo.student_deck_rows(
                session, now - dt.timedelta(days=7), exclude_telegram_ids=exclude_telegram_ids
            )
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            rate = round(100 * row.correct / row.answers) if row.answers else ""
            last = row.last_answer_at.isoformat(timespec="seconds") if row.last_answer_at else ""
            writer.writerow(
                (
                    row.user_id,
                    row.student,
                    row.deck_slug,
                    row.cards,
                    row.answers,
                    row.correct,
                    rate,
                    row.answers_7d,
                    last,
                    row.practice_answers,
                )
            )
        return out.getvalue()

    def anki_package(self, deck_slug: str, path: Path) -> AnkiExport:
        import genanki

        with self._sessions() as session:
            deck = repo.live_questions(session, deck_slug)
        if deck is None:
            raise UnknownDeck(deck_slug)
        questions = deck.questions
        basic = genanki.Model(
            ANKI_BASIC_MODEL_ID,
            "quizbot question",
            fields=[{"name": "Question"}, {"name": "Réponse"}, {"name": "Source"}],
            templates=[
                {
                    "name": "Carte",
                    "qfmt": "{{Question}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Réponse}}<br><i>{{Source}}</i>",
                }
            ],
        )
        cloze = genanki.Model(
            ANKI_CLOZE_MODEL_ID,
            "quizbot texte à trous",
            fields=[{"name": "Text"}, {"name": "Source"}],
            templates=[
                {
                    "name": "Texte à trous",
                    "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}<br><i>{{Source}}</i>",
                }
            ],
            model_type=genanki.Model.CLOZE,
        )
        anki_deck = genanki.Deck(_stable_id(deck.slug), deck.title)
        for q in questions:
            source = html.escape(q.source_sentence or "")
            guid = genanki.guid_for(deck.slug, q.key)
            if q.kind == "cloze":
                text = CLOZE_GAP.sub(
                    lambda m: "{{c1::" + html.escape(m.group(1)) + "}}", html.escape(q.prompt)
                )
                note = genanki.Note(model=cloze, fields=[text, source], guid=guid)
            else:
                prompt = html.escape(q.prompt)
                if q.kind == "choice":
                    options = sorted([q.answer, *q.distractors], key=str.casefold)
                    prompt += "<br>" + " · ".join(html.escape(o) for o in options)
                fields = [prompt, html.escape(q.answer), source]
                note = genanki.Note(model=basic, fields=fields, guid=guid)
            anki_deck.add_note(note)
        genanki.Package(anki_deck).write_to_file(str(path))
        return AnkiExport(path=path, notes=len(questions))
