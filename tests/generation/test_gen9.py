"""v3.4 (gen9): recall back without the forms that failed — statements on the terms of any
sentence read alone, the elision after a swap, no name completed inside a statement, the
fallback fill of a near-empty deck. Invented sentences only."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from bot.content.generator import forms
from bot.content.generator import truefalse as tf
from bot.content.generator.model import AnswerType
from bot.content.generator.pipeline import (
    FALLBACK_TAG,
    UNPROVEN_TAG,
    fill,
    generate_drafts,
    one_per_fact,
    to_question,
)
from tests.generation.drafts import make_draft

if TYPE_CHECKING:
    from spacy.language import Language

#: An invented text on a made-up organ: « la glande », « la membrane », « le canal », « les
#: cellules » come back, so they are terms of the text a statement can be about.
TEXT = (
    "La glande verte produit un liquide épais que les cellules rejettent. "
    "La membrane protège la glande verte contre les chocs. "
    "Le canal central relie la glande verte à la membrane externe. "
    "Les cellules du canal central absorbent le liquide épais chaque matin. "
    "La membrane externe se renouvelle au printemps dans les cellules voisines."
)


def _sentences(nlp: Language, text: str) -> list[tuple[object, str | None]]:
    doc = nlp(text)
    return [(s, s.text.strip()) for s in doc.sents]


def test_a_term_keeps_its_article_gender_and_number_when_swapped(nlp: Language) -> None:
    sentences = _sentences(nlp, TEXT)
    made = tf.term_statements(sentences, set(), set(), {"organe"})  # type: ignore[arg-type]
    assert made, "every sentence here reads alone and has a term of the text"
    for d in made:
        assert d.pattern == "truefalse-term" and d.type is AnswerType.CONCEPT
        if d.truth:
            assert d.prompt.rstrip(".") in d.source
        else:
            assert d.prompt != d.source
            term = d.notes[0]
            assert term.lower() in d.source.lower() and term.lower() not in d.prompt.lower()
            # the swap has the article of the term it replaces: « la glande » ↔ « la membrane »
            swapped = d.prompt.split(" ")
            assert term.split(" ")[0].lower() in {w.lower() for w in swapped}


def test_half_true_half_false_is_decided_by_the_sentence_and_stable(nlp: Language) -> None:
    sentences = _sentences(nlp, TEXT)
    first = tf.term_statements(sentences, set(), set(), set())  # type: ignore[arg-type]
    again = tf.term_statements(sentences, set(), set(), set())  # type: ignore[arg-type]
    assert [(d.prompt, d.truth) for d in first] == [(d.prompt, d.truth) for d in again]
    for d in first:
        assert d.truth == tf.truth_of(d.source, "terme")


def test_no_term_statement_on_a_sentence_that_has_one_or_on_the_texts_subject(
    nlp: Language,
) -> None:
    sentences = _sentences(nlp, TEXT)
    taken = set(range(len(sentences)))
    assert tf.term_statements(sentences, taken, set(), set()) == []  # type: ignore[arg-type]
    made = tf.term_statements(sentences, set(), set(), {"glande"})  # type: ignore[arg-type]
    assert all("glande" not in d.notes[0] for d in made)
    assert all(d.truth or "glande" in d.source.lower() or "glande" not in d.prompt for d in made)


def test_a_blank_already_asked_by_a_cloze_is_left_to_it(nlp: Language) -> None:
    sentences = _sentences(nlp, TEXT)
    asked = {(1, "membrane")}
    made = tf.term_statements(sentences, set(), asked, set())  # type: ignore[arg-type]
    assert all(not (d.sentence == 1 and "membrane" in d.notes[0]) for d in made)


def test_a_question_gets_no_term_statement(nlp: Language) -> None:
    text = "La membrane protège-t-elle la glande verte contre les chocs du canal ?"
    made = tf.term_statements(_sentences(nlp, text), set(), set(), set())  # type: ignore[arg-type]
    assert made == []


def test_a_dates_statement_keeps_the_sentences_one_statement() -> None:
    date = make_draft("La glande grossit en 1907.", "vrai", AnswerType.YEAR, truth=True)
    date.notes, date.confidence = ["1907"], 0.6
    term = make_draft("La membrane grossit en 1907.", "faux", AnswerType.CONCEPT, truth=False)
    term.notes, term.confidence, term.pattern = ["la glande"], 0.45, "truefalse-term"
    assert one_per_fact([term, date]) == [date]


def test_elision_follows_the_swapped_word() -> None:
    assert tf.elide("Il écrit tandis qu'", "François-René") == "Il écrit tandis que "
    assert tf.elide("Il dit que ", "Albert") == "Il dit qu'"
    assert tf.elide("la mort de ", "Ernest") == "la mort d'"
    assert tf.elide("la mort d'", "Zacharie") == "la mort de "
    assert tf.elide("la mort de ", "Zacharie") == "la mort de "


def test_a_statement_keeps_a_first_name_as_written(nlp: Language) -> None:
    text = (
        "Le peintre Anselme Berthier naît à Dole en 1820.\n\n"
        "En 1851, Anselme expose ses paysages au salon de Besançon."
    )
    drafts = generate_drafts(text, nlp, raw=True)
    statements = [d for d in drafts if d.true_false and "1851" in d.source]
    for d in statements:
        assert "Anselme Berthier expose" not in d.prompt


def test_fill_adds_turned_off_forms_last_and_below_the_kept_items() -> None:
    kept = [
        replace(make_draft("En {{1820}}, le peintre naît.", "1820", AnswerType.YEAR, cloze=True))
    ]
    kept[0].confidence = 0.7
    # v3.8: a fallback form needs a pooled record of 70 % A; v3.10: « choice qui » is on
    # again (pooled 23/28), « cloze personne » (40/54) and « cloze autre » (164/232) fill
    spare = [
        replace(
            make_draft(
                "{{Anselme Berthier}} naît à Dole.",
                "Anselme Berthier",
                AnswerType.PERSON,
                cloze=True,
            ),
            sentence=1,
            confidence=0.9,
        ),
        replace(
            make_draft(
                "Anselme Berthier peint avec {{Lucie Morel}}.",
                "Lucie Morel",
                AnswerType.PERSON,
                cloze=True,
            ),
            sentence=2,
            confidence=0.5,
        ),
        # a form that earned its place is never a fallback (the gates already judged it)
        replace(
            make_draft("La laine est {{lavée}}.", "lavée", AnswerType.PLACE, cloze=True),
            sentence=3,
            confidence=0.95,
        ),
    ]
    assert forms.draft_gate(spare[0]) is not None
    out = fill(kept, spare, need=3)
    assert [d.prompt for d in out] == [
        "{{Anselme Berthier}} naît à Dole.",
        "Anselme Berthier peint avec {{Lucie Morel}}.",
    ]
    assert all(d.fallback and d.confidence < 0.7 for d in out)
    assert FALLBACK_TAG in to_question(out[0]).tags
    assert fill(kept, spare, need=1) == []


def test_fill_never_adds_a_second_form_of_a_kept_fact() -> None:
    kept = [
        make_draft("Qui fonde Dole ?", "Anselme Berthier", AnswerType.PERSON),
    ]
    spare = [
        make_draft(
            "{{Anselme Berthier}} fonde Dole.", "Anselme Berthier", AnswerType.PERSON, cloze=True
        )
    ]
    assert fill(kept, spare, need=5) == []


def test_an_unproven_path_is_tagged_for_the_next_unseen_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    d = make_draft("La membrane protège la glande.", "vrai", AnswerType.CONCEPT, truth=True)
    d.pattern = "truefalse-term"
    monkeypatch.setitem(forms.UNPROVEN, "truefalse-term", "an unproven path")
    assert UNPROVEN_TAG in to_question(d).tags
    d.pattern = "truefalse"
    assert UNPROVEN_TAG not in to_question(d).tags


def test_a_term_is_swapped_for_one_of_its_kind(nlp: Language) -> None:
    text = (
        "Le chapeau du jardinier reste accroché au mur de la cabane. "
        "Le pancréas déverse un suc dans le tube digestif. "
        "Le foie fabrique une substance verte chaque jour."
    )
    sentences = _sentences(nlp, text)
    every = [t for i, (s, _) in enumerate(sentences) for t in tf.terms_of(s, i)]  # type: ignore[arg-type]
    liver = next(t for t in every if t.text == "Le foie")
    swap = tf._swap_term(liver, every, "Le foie fabrique une substance verte chaque jour.")
    assert swap is not None and swap.text == "Le pancréas"  # an organ for an organ


def test_a_swap_never_brings_a_second_complement(nlp: Language) -> None:
    doc = nlp("La bataille d'Hernani reste célèbre. La révolution de juillet éclate.")
    sents = list(doc.sents)
    battle = next(t for t in tf.terms_of(sents[0], 0) if t.lemma == "bataille")
    revolution = next(t for t in tf.terms_of(sents[1], 1) if t.lemma == "revolution")
    assert revolution.complement
    assert not tf._fits("La bataille d'Hernani reste célèbre.", battle, revolution)


def test_no_term_statement_on_an_indefinite_subject(nlp: Language) -> None:
    text = "La plupart se concentrent dans la glande verte près de la membrane externe."
    made = tf.term_statements(_sentences(nlp, text), set(), set(), set())  # type: ignore[arg-type]
    assert made == []


def test_the_evaluation_reports_fallback_and_unproven_items_apart() -> None:
    from bot.content.generator import evaluate

    decks = evaluate.RATINGS / "v3.4" / "decks"
    name = "litterature-fables-la-fontaine"
    deck = evaluate.load_frozen(name, decks)
    tagged = [q for q in deck.questions if FALLBACK_TAG in q.tags]
    assert tagged, "the frozen deck of a short text has fallback items"
    assert deck.questions[-len(tagged) :] == tuple(tagged)  # written last
    ratings = {q.key: {"rating": "A" if FALLBACK_TAG in q.tags else "N"} for q in deck.questions}
    t = evaluate.tally(name, ratings, decks)
    assert t.tagged[FALLBACK_TAG] == [len(tagged), len(tagged)]
    kept = [q.confidence or 0 for q in deck.questions if FALLBACK_TAG not in q.tags]
    assert all((q.confidence or 0) < min(kept) for q in tagged)


def test_a_path_turned_off_by_its_record_is_not_written(nlp: Language) -> None:
    """« truefalse-term » was rated once (``forms.PATTERNS_OFF``): the generator drops it, even
    where a thin text would take a fallback item; ``raw`` still writes it, for these tests."""
    raw = generate_drafts(TEXT, nlp, raw=True)
    assert any(d.pattern == "truefalse-term" for d in raw)  # the text does offer them
    assert "truefalse-term" in forms.PATTERNS_OFF
    assert not [d.prompt for d in generate_drafts(TEXT, nlp) if d.pattern in forms.PATTERNS_OFF]
