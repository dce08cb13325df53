"""Third round of the generator (gen6): rules from the readers' verdicts on the first unseen
texts, each shown on an invented sentence (never a corpus passage)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.content.generator import normalise, transfer
from bot.content.generator.checker import text_context
from bot.content.generator.model import AnswerType, Draft
from bot.content.generator.pipeline import generate_drafts
from tests.generation.drafts import make_draft

if TYPE_CHECKING:
    from spacy.language import Language


_draft = make_draft


def _why(d: Draft, text: str = "", doc: object = None) -> list[str]:
    ctx = text_context(text or d.source, [])
    return transfer.problems(d, doc, ctx.text, ctx.years, ctx.actors)  # type: ignore[arg-type]


# --- trivial: the deck's own subject ------------------------------------------------------------


def test_a_title_with_bracketed_years_is_a_heading() -> None:
    assert normalise.is_heading("Jeanne Martin (1801-1870)")
    assert normalise.is_heading("Le siège de Brest (1944)")
    assert not normalise.is_heading("Elle meurt en 1870 (à Lyon).")


def test_the_subject_of_a_title_with_years_is_not_an_answer(nlp: Language) -> None:
    text = (
        "Jeanne Martin (1801-1870)\n\n"
        "Jeanne Martin naît le 3 mars 1801 à Tulle. Elle fonde une école à Lyon en 1830."
    )
    items = [(d.prompt, d.answer) for d in generate_drafts(text, nlp, raw=True)]
    assert not any(a == "Jeanne Martin" for _, a in items)
    assert not any("(1801-1870)" in p for p, _ in items)


def test_the_one_year_of_an_event_title_is_not_an_answer() -> None:
    text = "Le siège de Brest (1944)\n\nAu début de 1944, la ville est encerclée."
    assert transfer.title_years("Le siège de Brest (1944)") == {"1944"}
    assert transfer.title_years("Jeanne Martin (1801-1870)") == frozenset()
    d = _draft(
        "Au début de {{1944}}, la ville est encerclée.", "1944", AnswerType.YEAR, cloze=True
    )
    assert "trivial: the year of the title's event" in _why(d, text)


def test_a_people_the_text_keeps_naming_is_not_an_answer() -> None:
    text = (
        "Les Normands débarquent. Le chef normand attaque. Les navires normands brûlent. "
        "La Normandie résiste."
    )
    d = _draft("{{Les Normands}} débarquent.", "Les Normands", AnswerType.PLACE, cloze=True)
    assert "trivial: one of the text's main actors" in _why(d, text)
    other = _draft("{{Les Bretons}} débarquent.", "Les Bretons", AnswerType.PLACE, cloze=True)
    assert not any("main actors" in r for r in _why(other, text))


def test_a_small_spelled_count_is_trivial_but_not_in_a_statement() -> None:
    q = _draft("Combien de chambres la maison compte-t-elle ?", "deux", AnswerType.COUNT)
    assert "trivial: a bare count" in _why(q)
    tf = _draft(
        "La maison compte trois chambres.", "faux", AnswerType.COUNT, truth=False, notes=["deux"]
    )
    assert "trivial: a bare count" not in _why(tf)


# --- wrong -----


def test_where_is_not_asked_of_a_time_or_a_state() -> None:
    for answer in ("au repos", "à l'automne", "en hiver"):
        d = _draft("Où le chat dort-il ?", answer, AnswerType.PLACE, "Le chat dort au repos.")
        assert "wrong: « Où » on an answer that is not a place" in _why(d)
    place = _draft("Où le chat dort-il ?", "dans la grange", AnswerType.PLACE)
    assert not any("Où" in r for r in _why(place))


def test_a_question_whose_verb_has_another_subject_in_the_text() -> None:
    source = (
        "Son toit est fait d'une tuile, l'ardoise, c'est pourquoi la maison peut durer cent ans."
    )
    d = _draft("Qu'est-ce qui peut durer cent ans ?", "l'ardoise", AnswerType.CONCEPT, source)
    assert "wrong: the text gives the verb another subject" in _why(d)
    ok = _draft("Qu'est-ce qui peut durer cent ans ?", "la maison", AnswerType.CONCEPT, source)
    assert not any("another subject" in r for r in _why(ok))


# --- vague / ambiguous -----


def test_an_object_pronoun_without_referent_in_a_cloze() -> None:
    d = _draft(
        "En 1850, le savant {{Paul Roux}} la calculèrent dans un tube.",
        "Paul Roux",
        AnswerType.PERSON,
        cloze=True,
    )
    assert "vague: an object pronoun whose referent the item does not give" in _why(d)
    art = _draft("En 1850, {{Paul Roux}} la maison.", "Paul Roux", AnswerType.PERSON, cloze=True)
    assert not any("object pronoun" in r for r in _why(art))


def test_a_bare_dated_noun_is_vague() -> None:
    d = _draft("De quelle année date une loi ?", "1905", AnswerType.YEAR)
    assert "vague: a bare noun as the dated thing" in _why(d)


def test_an_anaphoric_noun_is_no_answer() -> None:
    d = _draft("Qu'est-ce qui abrite les bateaux ?", "l'ouvrage", AnswerType.CONCEPT)
    assert "vague: the answer is a noun that refers back" in _why(d)


def test_a_noun_the_text_uses_for_two_named_things() -> None:
    text = "Le pont de Tancarville est ancien. Le pont de Normandie est récent. Le fleuve passe."
    d = _draft("Qu'est-ce qui passe sous le pont ?", "le fleuve", AnswerType.CONCEPT)
    assert "ambiguous: the text names several things with this noun" in _why(d, text)


def test_a_bare_name_of_several_dated_things() -> None:
    text = "La Charte de 1814 est octroyée. Selon la Charte, le roi gouverne."
    d = _draft("Selon {{la Charte}}, le roi gouverne.", "la Charte", AnswerType.ORG, cloze=True)
    assert "ambiguous: the text names several things with this noun" in _why(d, text)


def test_a_verb_whose_object_was_a_relative_antecedent() -> None:
    source = "La ville craint le grand mur, que le voisin a commencé à bâtir en 2015."
    d = _draft("Qui a commencé à bâtir en 2015 ?", "le voisin", AnswerType.PERSON, source)
    assert "vague: the verb's object was the antecedent of a relative « que »" in _why(d)


def test_what_for_a_person_is_ungrammatical() -> None:
    d = _draft("Qu'est-ce qui signe le registre ?", "l'électeur", AnswerType.CONCEPT)
    assert "ungrammatical: « Qu'est-ce qui » for a person" in _why(d)


# --- giveaway -----


def test_a_country_beside_its_capital() -> None:
    for prompt, answer in (
        ("Le train arrive à {{Lima}}, la capitale du Pérou.", "Lima"),
        ("Le train arrive à Lima, la capitale du {{Pérou}}.", "Pérou"),
    ):
        d = _draft(prompt, answer, AnswerType.CITY, cloze=True)
        assert "giveaway: a country beside its capital" in _why(d)


def test_a_lowercase_derived_adjective_gives_the_answer() -> None:
    d = _draft(
        "Les pays de {{l'Union africaine}} tiennent des sommets africains.",
        "l'Union africaine",
        AnswerType.ORG,
        cloze=True,
    )
    assert "giveaway: a derived adjective in the prompt" in _why(d)


def test_the_answers_year_elsewhere_in_the_cloze() -> None:
    d = _draft(
        "Après la crise de {{mai 1877}}, une loi du 3 juin 1877 est votée.",
        "mai 1877",
        AnswerType.MONTH,
        cloze=True,
    )
    assert "giveaway: the answer's year stands in the prompt" in _why(d)


# --- ungrammatical -----


def test_a_second_clause_after_a_comma_in_a_question(nlp: Language) -> None:
    prompt = "En quelle année a lieu la Réforme, la Charte instaure le vote ?"
    d = _draft(prompt, "1830", AnswerType.YEAR)
    assert "ungrammatical: a second clause left in the question" in _why(d, doc=nlp(prompt))
    fine = "En quelle année la Charte instaure-t-elle le vote ?"
    assert not any(
        "second clause" in r for r in _why(_draft(fine, "1830", AnswerType.YEAR), doc=nlp(fine))
    )


def test_a_comparison_without_plus() -> None:
    d = _draft(
        "Pourquoi la tour est-elle nettement haute que celle de l'église ?",
        "parce qu'elle sert de phare",
        AnswerType.CAUSE,
    )
    assert "ungrammatical: a comparison without « plus »" in _why(d)


# --- cause distractors -------------------------------------------------------------------------


def test_a_clause_with_a_contrast_remark_is_no_cause_option() -> None:
    from bot.content.generator.pipeline import _enrich_distractors

    d = _draft(
        "Pourquoi la rivière déborde-t-elle au printemps ?",
        "parce que la neige fond",
        AnswerType.CAUSE,
    )
    d.pattern = "cause"
    clauses = [
        "le lac, lui, reste calme toute l'année",
        "la rivière traverse trois villes",
        "les digues protègent les champs",
    ]
    options = _enrich_distractors(d, [d], clauses)
    assert options and not any(", lui," in o for o in options)


def test_a_question_that_drops_a_coordinated_member() -> None:
    source = "Environ 2 000 marins ont été blessés ou faits prisonniers."
    d = _draft("Combien de marins ont été blessés ?", "2 000", AnswerType.COUNT, source)
    assert "wrong: the question keeps one member of a coordination" in _why(d)


def test_a_cloze_with_a_clitic_is_parsed_and_refused(nlp: Language) -> None:
    from bot.content.generator import checker

    text = "La comète de Roux\n\nEn 1850, Paul Roux la découvre dans le ciel de Nice."
    d = _draft(
        "En 1850, {{Paul Roux}} la découvre dans le ciel de Nice.",
        "Paul Roux",
        AnswerType.PERSON,
        cloze=True,
    )
    ok = _draft(
        "En 1850, {{Paul Roux}} observe le ciel de Nice.",
        "Paul Roux",
        AnswerType.PERSON,
        cloze=True,
    )
    kept = checker.check([d, ok], nlp, text_context(text, []))
    assert d not in kept and ok in kept


def test_a_year_asked_of_the_other_clause_of_the_sentence() -> None:
    source = (
        "Le village redoute le grand mur, que le voisin a bâti en 2015 : "
        "le maire craint que son ombre ne couvre le jardin public."
    )
    d = _draft(
        "En quelle année le maire craint-il que son ombre ne couvre le jardin public ?",
        "2015",
        AnswerType.YEAR,
        source,
    )
    assert "wrong: the number or date belongs to another clause of the sentence" in _why(d)
    ok = _draft(
        "En quelle année le voisin a-t-il bâti le grand mur ?", "2015", AnswerType.YEAR, source
    )
    assert not any("another clause" in r for r in _why(ok))


def test_the_answers_own_noun_in_the_prompt() -> None:
    d = _draft(
        "En 1800, {{la Grande Famine}} est devenue une famine de longue durée.",
        "la Grande Famine",
        AnswerType.OTHER,
        cloze=True,
    )
    assert "giveaway: the answer's own noun stands in the prompt" in _why(d)


def test_the_noun_of_a_superlative_is_ambiguous() -> None:
    d = _draft(
        "La rivière sort du lac Bleu, le plus profond {{lac d'Europe}}, au nord.",
        "lac d'Europe",
        AnswerType.OTHER,
        cloze=True,
    )
    assert "ambiguous: the noun of a superlative (« le plus vaste {{lac d'…}} »)" in _why(d)


def test_the_question_words_noun_is_no_giveaway() -> None:
    d = _draft(
        "Quelle organisation les pays fondent-ils en 1950 ?",
        "l'Organisation des ports du Nord",
        AnswerType.ORG,
    )
    assert "giveaway: the answer's own noun stands in the prompt" not in _why(d)
