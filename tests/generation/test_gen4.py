"""Third round of the generator (gen4): rules from the v2 readers' reasons, each shown on an
invented sentence (never a corpus passage) so that the rule, not the text, is tested."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.content.generator import checker, realise
from bot.content.generator.model import AnswerType
from bot.content.generator.pipeline import generate_drafts

if TYPE_CHECKING:
    from spacy.language import Language


CTX = checker.TextContext(frozenset({"rivieres"}), "")


def _sent(nlp: Language, text: str):  # type: ignore[no-untyped-def]
    return next(iter(nlp(text).sents))


def _items(nlp: Language, text: str) -> list[tuple[str, str]]:
    # raw: the path itself, forms v3.3 turned off included (test_gen8 tests the gate)
    return [(d.prompt, d.answer) for d in generate_drafts(text, nlp, raw=True)]


# --- a relative pronoun after its noun is not a dangling pronoun ------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Comment appelle-t-on un processus par lequel les plantes fabriquent leur matière ?",
        "Comment appelle-t-on un régime dans lequel le roi n'a aucun pouvoir ?",
        "Comment appelle-t-on l'ensemble des terres dont les eaux rejoignent le fleuve ?",
    ],
)
def test_a_relative_after_its_noun_is_not_dangling(prompt: str) -> None:
    assert not realise.dangling(prompt)


@pytest.mark.parametrize(
    "prompt",
    ["Dans lequel le roi règne-t-il ?", "Dont les eaux rejoignent-elles le fleuve ?"],
)
def test_a_relative_without_its_noun_is_dangling(prompt: str) -> None:
    assert realise.dangling(prompt)


def test_a_definition_with_par_lequel_asks_for_the_term(nlp: Language) -> None:
    items = _items(
        nlp,
        "La photosynthèse est un processus par lequel les plantes vertes fabriquent leur "
        "matière à partir de la lumière.",
    )
    assert (
        "Comment appelle-t-on un processus par lequel les plantes vertes fabriquent leur "
        "matière à partir de la lumière ?",
        "la photosynthèse",
    ) in items


# --- a pronoun whose referent is the subject of the sentence's first clause -------------------


def test_a_pronoun_resolved_inside_the_sentence_reads_alone(nlp: Language) -> None:
    sent = _sent(
        nlp,
        "Le Danube est un long fleuve d'Europe : il parcourt environ 2 850 km avant de se "
        "jeter dans la mer Noire.",
    )
    assert checker.standalone(sent, None) is not None


def test_a_pronoun_of_another_gender_does_not_read_alone(nlp: Language) -> None:
    sent = _sent(nlp, "Le Danube traverse la ville, puis elle devient une capitale importante.")
    assert checker.standalone(sent, None) is None


def test_the_inner_pronoun_is_resolved_in_the_question(nlp: Language) -> None:
    items = _items(
        nlp,
        "La Garonne est un fleuve du sud-ouest : elle parcourt environ 529 km avant de "
        "rejoindre l'estuaire de la Gironde.",
    )
    assert any(p.startswith("Combien de km la Garonne parcourt-elle") for p, _a in items)


# --- a gap that holds a preposition and a name ------------------------------------------------


def test_a_gap_with_its_preposition_is_a_fragment() -> None:
    source = "L'Isar est la grande rivière de Bavière : elle se jette dans le Danube."
    found = checker.answer_problems(
        "de Bavière",
        "L'Isar est la grande rivière {{de Bavière}} : elle se jette dans le Danube.",
        source,
        CTX,
        AnswerType.OTHER,
    )
    assert any(p.startswith("fragment") for p in found), found


# --- the term a sentence names is an answer (its cloze reads as the sentence) ----------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Les abeilles vivent dans des colonies appelées essaims au printemps.", "essaims"),
        ("Le sol est couvert de plantes appelées mousses, qui retiennent l'eau.", "mousses"),
        ("Le volcan rejette une roche fondue appelée « lave » lors des éruptions.", "lave"),
    ],
)
def test_a_named_term_is_a_candidate(nlp: Language, text: str, term: str) -> None:
    from bot.content.generator.extract import named_terms

    assert [c.text for c in named_terms(_sent(nlp, text), 0)] == [term]


@pytest.mark.parametrize(
    "text",
    [
        "Ce fleuve, ainsi appelé par les Romains, traverse la plaine.",
        "La ville est appelée à grandir rapidement.",
    ],
)
def test_no_term_after_ainsi_or_a_verb(nlp: Language, text: str) -> None:
    from bot.content.generator.extract import named_terms

    assert named_terms(_sent(nlp, text), 0) == []


def test_a_named_term_gets_an_item(nlp: Language) -> None:
    """Its cloze, or (preferred, one item per fact) its true/false statement."""
    items = _items(nlp, "Les abeilles d'une ruche vivent dans des colonies appelées essaims.")
    assert any("{{essaims}}" in p or a in {"vrai", "faux"} for p, a in items), items


def test_a_false_statement_swaps_a_term_for_another_term_of_the_text(nlp: Language) -> None:
    from bot.content.generator import extract, truefalse

    lines = [
        "Le miel est stocké dans des cellules de cire appelées alvéoles.",
        "Les abeilles d'une ruche vivent dans des colonies appelées essaims.",
        "Le volcan rejette une roche fondue appelée lave.",
        "La reine pond ses œufs dans une chambre appelée couvain.",
    ]
    sents = [_sent(nlp, line) for line in lines]
    pool = [c for i, s in enumerate(sents) for c in extract.named_terms(s, i)]
    made = [truefalse.statement(c, sents[c.sentence], sents[c.sentence].text, pool) for c in pool]
    false = [d for d in made if d is not None and d.truth is False]
    assert false
    for d in false:
        term = d.notes[0]
        assert term not in d.prompt
        # the swapped term is another term of the text, of the same number
        assert any(
            c.text in d.prompt and c.plural == pool[lines.index(d.source)].plural for c in pool
        )


def test_a_name_with_its_particle_is_not_a_fragment() -> None:
    source = "Le régime change, car de Gaulle juge les partis trop puissants."
    found = checker.answer_problems(
        "de Gaulle",
        "Le régime change, car {{de Gaulle}} juge les partis trop puissants.",
        source,
        CTX,
        AnswerType.PERSON,
    )
    assert not any(p.startswith("fragment") for p in found), found


# --- an enumeration as an object keeps the complement that restricts it ----------------------


def test_an_object_list_keeps_its_fronted_complement(nlp: Language) -> None:
    from bot.content.generator import enrich

    sent = _sent(
        nlp, "Sur la rive gauche, le Rhône reçoit ensuite l'Isère, la Drôme et la Durance."
    )
    drafts = enrich.object_list(sent, 0, [])
    assert [(d.prompt, d.answer) for d in drafts] == [
        ("Qu'est-ce que le Rhône reçoit sur la rive gauche ?", "l'Isère, la Drôme et la Durance")
    ]


# --- « c'est-à-dire »: the text restates a term ------------------------------------------------


def test_a_restated_term_is_asked(nlp: Language) -> None:
    from bot.content.generator import enrich

    sent = _sent(
        nlp,
        "Son delta, c'est-à-dire l'ensemble des bras par lesquels le fleuve rejoint la mer, "
        "couvre une vaste plaine.",
    )
    drafts = enrich.restatements(sent, 0, set())
    assert [(d.prompt, d.answer) for d in drafts] == [
        (
            "Comment appelle-t-on l'ensemble des bras par lesquels le fleuve rejoint la mer ?",
            "le delta",
        )
    ]


def test_a_restated_title_without_article_is_not_asked(nlp: Language) -> None:
    from bot.content.generator import enrich

    sent = _sent(nlp, "Jean Dupont, garde des Sceaux, c'est-à-dire ministre de la Justice, signe.")
    assert enrich.restatements(sent, 0, set()) == []


def test_a_verb_agreeing_with_the_noun_after_dont_is_not_a_disagreement(nlp: Language) -> None:
    prompt = "Comment appelle-t-on l'ensemble des terres dont les eaux s'écoulent vers la Seine ?"
    assert not any("disagree" in p for p in checker.form_problems(prompt, nlp(prompt)))


# --- a name's relative clause between commas is a question of its own ------------------------


def test_a_relative_clause_on_a_name_is_asked(nlp: Language) -> None:
    from bot.content.generator import extract

    sent = _sent(
        nlp,
        "L'astronome italien Galilée, qui observa en 1610 les satellites de Jupiter, fut "
        "condamné par l'Église.",
    )
    made = [realise.relative_question(c, sent) for c in extract.candidates(sent, 0)]
    assert [(d.prompt, d.answer) for d in made if d is not None] == [
        ("Qui observa en 1610 les satellites de Jupiter ?", "Galilée")
    ]


def test_a_relative_clause_with_a_clitic_is_not_asked(nlp: Language) -> None:
    from bot.content.generator import extract

    sent = _sent(nlp, "Le Rhône reçoit la Saône, qui le rejoint à Lyon, puis descend vers la mer.")
    made = [realise.relative_question(c, sent) for c in extract.candidates(sent, 0)]
    assert [d for d in made if d is not None] == []


# --- one statement per sentence: the facts that lose it keep their cloze ---------------------


def test_a_fact_whose_statement_loses_the_sentence_keeps_its_cloze() -> None:
    from bot.content.generator.model import Draft
    from bot.content.generator.pipeline import one_per_fact

    src = "Le pont est construit en 1850 par Jean Dupont."

    def tf(value: str, conf: float) -> Draft:
        return Draft(
            False,
            src,
            "vrai",
            AnswerType.YEAR,
            src,
            0,
            value,
            conf,
            notes=[value],
            pattern="truefalse",
            truth=True,
        )

    def gap(value: str) -> Draft:
        prompt = src.replace(value, "{{" + value + "}}")
        return Draft(True, prompt, value, AnswerType.YEAR, src, 0, value, 0.5)

    kept = one_per_fact([tf("1850", 0.6), tf("Jean Dupont", 0.5), gap("1850"), gap("Jean Dupont")])
    assert [(d.true_false, d.answer) for d in kept] == [(True, "vrai"), (False, "Jean Dupont")]


# --- the clauses offered as other causes read alone --------------------------------------------


def test_cause_options_that_do_not_read_alone_are_left_out() -> None:
    from bot.content.generator import pipeline
    from bot.content.generator.model import Draft

    src = "Le fer rouille parce que l'oxygène de l'air l'oxyde lentement."
    d = Draft(
        False,
        "Pourquoi le fer rouille-t-il ?",
        "parce que l'oxygène de l'air l'oxyde",
        AnswerType.CAUSE,
        src,
        0,
        "x",
        0.6,
        pattern="cause",
    )
    clauses = [
        "Quelques-unes rebondissaient, ce qui révélait un noyau",
        "Autour du noyau se déplacent les électrons",
        "le cuivre conduit bien le courant électrique",
        "l'or ne réagit presque pas avec l'air",
        "Ernest Rutherford découvre le noyau en 1911",
    ]
    picked = pipeline._enrich_distractors(d, [d], clauses)
    assert "parce que Quelques-unes rebondissaient, ce qui révélait un noyau" not in picked
    assert not any("Autour" in p for p in picked)
    # general statements before a narrated event
    assert picked[:2] == (
        "parce que le cuivre conduit bien le courant électrique",
        "parce que l'or ne réagit presque pas avec l'air",
    )


# --- a demonstrative subject names the one organisation / person of the sentence before ------


def test_a_demonstrative_subject_is_resolved_by_the_sentence_before(nlp: Language) -> None:
    items = _items(
        nlp,
        "En 1946, la loi crée le Conseil économique et social.\n"
        "Cette institution, composée de deux cents membres, donne son avis sur les projets de "
        "loi.",
    )
    assert (
        "Quelle institution donne son avis sur les projets de loi ?",
        "le Conseil économique et social",
    ) in items


def test_a_demonstrative_with_two_possible_referents_is_not_asked(nlp: Language) -> None:
    from bot.content.generator import enrich, extract

    doc = nlp(
        "Le Sénat et l'Assemblée nationale votent la loi. Cette institution contrôle aussi le "
        "gouvernement."
    )
    first, second = list(doc.sents)
    before = extract.candidates(first, 0)
    assert enrich.demonstrative_subject(second, 1, before, set(), first) == []


def test_the_demonstratives_referent_keeps_its_adjective(nlp: Language) -> None:
    from bot.content.generator import enrich, extract

    doc = nlp(
        "Enfin, la loi crée le Conseil constitutionnel. Cette institution vérifie que les lois "
        "respectent les droits."
    )
    first, second = list(doc.sents)
    drafts = enrich.demonstrative_subject(second, 1, extract.candidates(first, 0), set(), first)
    assert [(d.prompt, d.answer) for d in drafts] == [
        (
            "Quelle institution vérifie que les lois respectent les droits ?",
            "le Conseil constitutionnel",
        )
    ]


# --- a possessive role before a name; coordinated objects; a remark's comma lost --------------


def test_a_possessive_role_before_a_name_asks_with_the_name(nlp: Language) -> None:
    items = _items(nlp, "En 1905, son collègue Paul Langevin publie un article sur le magnétisme.")
    assert any(
        p.startswith("En quelle année") and "Paul Langevin" in p and "collègue" not in p
        for p, _a in items
    ), items


def test_one_of_two_coordinated_objects_is_not_asked(nlp: Language) -> None:
    from bot.content.generator import extract

    sent = _sent(
        nlp,
        "En 31 av. J.-C., son fils adoptif Octave bat Marc Antoine et Cléopâtre, la reine "
        "d'Égypte, à la bataille d'Actium.",
    )
    cands = [c for c in extract.candidates(sent, 0) if c.text == "Marc Antoine"]
    assert cands
    assert realise.question(cands[0], sent, []) is None


def test_a_remarks_opening_comma_lost_is_refused(nlp: Language) -> None:
    from bot.content.generator.model import Draft

    source = "En 31 av. J.-C., Octave bat Antoine et Cléopâtre, la reine d'Égypte, à Actium."
    prompt = "En quelle année Octave bat-il Antoine et Cléopâtre la reine d'Égypte, à Actium ?"
    d = Draft(False, prompt, "31 av. J.-C.", AnswerType.YEAR, source, 0, "-31", 0.8)
    assert "ungrammatical: a comma of the text lost" in checker.refusals(d, nlp(prompt), CTX)


# --- a cause with an unnamed possessive owner; a gap that is an indefinite noun phrase ------


def test_a_cause_whose_possessive_owner_is_not_named_is_refused() -> None:
    found = checker.answer_problems(
        "parce que leurs effets étaient mal connus",
        "Pourquoi le médecin ne portait-il pas de gants ?",
        "Le médecin ne portait pas de gants, parce que leurs effets étaient mal connus.",
        CTX,
        AnswerType.CAUSE,
    )
    assert any(p.startswith("vague") for p in found), found


def test_a_cause_whose_possessive_owner_is_the_plural_subject_passes() -> None:
    found = checker.answer_problems(
        "parce que leurs racines sont profondes",
        "Pourquoi les chênes résistent-ils à la sécheresse ?",
        "Les chênes résistent à la sécheresse parce que leurs racines sont profondes.",
        CTX,
        AnswerType.CAUSE,
    )
    assert not any(p.startswith("vague") for p in found), found


def test_a_gap_after_an_indefinite_article_is_ambiguous() -> None:
    found = checker.answer_problems(
        "Encyclopédie",
        "Imprimer une {{Encyclopédie}} complète demande des années.",
        "Imprimer une Encyclopédie complète demande des années.",
        CTX,
        AnswerType.OTHER,
    )
    assert any(p.startswith("ambiguous") for p in found), found


@pytest.mark.parametrize(
    ("prompt", "tidied"),
    [
        (
            "En hiver, au contraire, le lac {{gèle}} souvent.",
            "En hiver, le lac {{gèle}} souvent.",
        ),
        (
            "Pourtant, le canal reste fermé jusqu'en {{1957}}.",
            "Le canal reste fermé jusqu'en {{1957}}.",
        ),
        ("En revanche, {{Lyon}} grandit vite.", "En revanche, {{Lyon}} grandit vite."),
    ],
)
def test_a_connector_to_the_sentence_before_is_dropped(prompt: str, tidied: str) -> None:
    from bot.content.generator import review

    assert review.tidy(prompt) == tidied
