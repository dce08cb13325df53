"""Grading of students' answers, on facts from the sample text (Biélorussie, relations
extérieures). One table of (given, expected, verdict); then reasons, lists and kinds."""

from __future__ import annotations

import pytest

from bot.domain.deck import Question, QuestionKind
from bot.domain.grading import (
    DatePart,
    Grade,
    Quantity,
    Reason,
    ReasonCode,
    SelfRating,
    Verdict,
    grade,
    grade_answer,
    grade_self,
    normalize,
)
from bot.i18n import catalogue


def said(result: Grade, language: str = "fr") -> str:
    """The grade's reason as the student reads it (empty when there is none)."""
    return catalogue(language).reason(result.reason) if result.reason else ""


C, CL, P, W = Verdict.CORRECT, Verdict.CLOSE, Verdict.PARTIAL, Verdict.WRONG

OCS_MEMBERS = (
    "la Russie, la Chine, le Kazakhstan, le Kirghizistan, le Tadjikistan et l'Ouzbékistan"
)
TYRANNY = "la Corée du Nord, l'Iran et Cuba"
OTSC = "l'Organisation du traité de sécurité collective"

CASES: list[tuple[str, str, Verdict]] = [
    # years: the exact year only, in digits or words, with or without « en »
    ("2006", "2006", C),
    ("en 2006", "2006", C),
    ("2006.", "en 2006", C),
    ("2007", "2006", W),
    ("2005", "2006", W),
    ("deux mille six", "2006", C),
    ("1994", "1994", C),
    ("en 1994", "1994", C),
    ("1 994", "1994", C),
    ("mil neuf cent quatre-vingt-quatorze", "1994", C),
    ("1995", "1994", W),
    ("1993", "1994", W),
    ("2011", "en 2011", C),
    ("2012", "en 2011", W),
    ("2014", "pour 2014", C),
    ("2006 ou 2007", "2006", W),
    ("en 2006, lors de l'élection de mars 2006", "2006", C),
    ("je ne sais pas", "2006", W),
    # months and dates
    ("mars 2006", "2006", C),
    ("mars 2006", "en mars 2006", C),
    ("en mars 2006", "mars 2006", C),
    ("Mars 2006.", "mars 2006", C),
    ("03/2006", "mars 2006", C),
    ("3/2006", "mars 2006", C),
    ("mars deux mille six", "mars 2006", C),
    ("2006", "mars 2006", P),
    ("mars", "mars 2006", P),
    ("avril 2006", "mars 2006", W),
    ("mars 2007", "mars 2006", W),
    ("février 2006", "mars 2006", W),
    ("juin 2011", "en juin 2011", C),
    ("juillet 2011", "en juin 2011", W),
    ("sept. 2009", "en septembre 2009", C),
    ("09/2009", "en septembre 2009", C),
    ("oct. 2006", "en octobre 2006", C),
    ("20 octobre 2004", "le 20 octobre 2004", C),
    ("20/10/2004", "le 20 octobre 2004", C),
    ("2004-10-20", "le 20 octobre 2004", C),
    ("octobre 2004", "le 20 octobre 2004", P),
    ("2004", "le 20 octobre 2004", P),
    ("21 octobre 2004", "le 20 octobre 2004", W),
    ("le 28 septembre", "28 septembre", C),
    ("1er mars 2006", "1 mars 2006", C),
    # amounts: notation, scale words, currency symbols; never another number
    ("3 milliards de dollars", "3 milliards de dollars", C),
    ("3 milliards", "3 milliards de dollars", C),
    ("3 000 000 000 $", "3 milliards de dollars", C),
    ("3000000000 dollars", "3 milliards de dollars", C),
    ("trois milliards de dollars", "3 milliards de dollars", C),
    ("3 Mds $", "3 milliards de dollars", C),
    ("$3 milliards", "3 milliards de dollars", C),
    ("3 milliards d'euros", "3 milliards de dollars", W),
    ("3 millions de dollars", "3 milliards de dollars", W),
    ("4 milliards", "3 milliards de dollars", W),
    ("3", "3 milliards de dollars", P),
    ("2,5 milliards de dollars", "2,5 milliards de dollars", C),
    ("2.5 milliards", "2,5 milliards de dollars", C),
    ("2 500 000 000 $", "2,5 milliards de dollars", C),
    ("2\u202f500\u202f000\u202f000 $", "2,5 milliards de dollars", C),
    ("2500000000 dollars", "2,5 milliards de dollars", C),
    ("2,500,000,000", "2,5 milliards de dollars", C),
    ("2 500 millions de dollars", "2,5 milliards de dollars", C),
    ("2 milliards 500 millions", "2,5 milliards de dollars", C),
    ("deux milliards cinq cents millions de dollars", "2,5 milliards de dollars", C),
    ("2,5 Md$", "2,5 milliards de dollars", C),
    ("2,6 milliards", "2,5 milliards de dollars", W),
    ("2 milliards", "2,5 milliards de dollars", W),
    ("2,5 milliards de dollars pour 50 %", "2,5 milliards de dollars", C),
    ("2 milliards de dollars", "2 milliards de dollars", C),
    ("3 milliards de dollars", "2 milliards de dollars", W),
    # « et demi », and the same amounts in English (billion: 10⁹)
    ("deux milliards et demi de dollars", "2,5 milliards de dollars", C),
    ("deux et demi", "2,5", C),
    ("un milliard et demi", "1,5 milliard", C),
    ("2.5 billion dollars", "2 500 000 000 dollars", C),
    ("2.5 billion dollars", "2,5 milliards de dollars", C),
    ("2,5 billion dollars", "2,5 milliards de dollars", C),
    ("$2.5 billion", "2,5 milliards de dollars", C),
    ("2.5bn dollars", "2,5 milliards de dollars", C),
    ("two and a half billion dollars", "2,5 milliards de dollars", C),
    ("two billion five hundred million dollars", "2,5 milliards de dollars", C),
    ("a billion dollars", "1 milliard de dollars", C),
    ("one million", "1 000 000", C),
    ("three billion", "3 milliards de dollars", C),
    ("2.5 million dollars", "2,5 milliards de dollars", W),
    ("3 billion", "2,5 milliards", W),
    ("2.5 billion pounds", "2,5 milliards de dollars", W),
    ("2.5", "2,5 milliards de dollars", P),
    ("two thousand six", "2006", C),
    ("two thousand and seven", "2006", W),
    ("two hundred and five", "205", C),
    ("fifteen hundred", "1500", C),
    ("ninety-eight percent", "98 %", C),
    ("twenty-five", "25", C),
    ("six months", "six mois", C),
    ("six years", "six mois", W),
    # percentages
    ("50 %", "50 %", C),
    ("50%", "50 %", C),
    ("50 pour cent", "50 %", C),
    ("50 pourcent", "50 %", C),
    ("cinquante pour cent", "50 %", C),
    ("50", "50 %", C),
    ("51 %", "50 %", W),
    ("50 dollars", "50 %", W),
    # counts and durations
    ("six", "six", C),
    ("6", "six", C),
    ("7", "six", W),
    ("dix", "six", W),
    ("6", "six ex-républiques soviétiques", C),
    ("six mois", "six mois", C),
    ("6 mois", "six mois", C),
    ("6", "six mois", C),
    ("six ans", "six mois", W),
    ("vingt-sept", "27", C),
    ("27", "vingt-sept", C),
    ("quatre-vingt-dix-sept", "97", C),
    ("soixante et onze", "71", C),
    ("deux", "deux prisonniers", C),
    ("trois", "deux prisonniers", W),
    ("1 an", "un an", C),
    ("deux ans", "un an", W),
    # names: case, accents, typos (close), never a different name
    ("Loukachenko", "Loukachenko", C),
    ("loukachenko", "Loukachenko", C),
    ("LOUKACHENKO", "le président Loukachenko", P),
    ("Loukachenka", "Loukachenko", CL),
    ("Lukashenko", "Loukachenko", CL),
    ("Loukhachenkko", "Loukachenko", CL),
    ("Loukchnk", "Loukachenko", W),
    ("Poutine", "Loukachenko", W),
    ("Loukachenko", "Aleksandr Loukachenko", C),
    ("Aleksandr Loukachenko", "Aleksandr Loukachenko", C),
    ("Aleksandr", "Aleksandr Loukachenko", P),
    ("Milinkievitch", "A. Milinkievitch", C),
    ("Milinkevitch", "A. Milinkievitch", CL),
    ("le prix Sakharov", "le prix Sakharov", C),
    ("prix Nobel", "le prix Sakharov", W),
    ("Beltransgaz", "Beltransgaz", C),
    ("la société Beltransgaz", "Beltransgaz", C),
    ("Beltrans gaz", "Beltransgaz", CL),
    ("Gazprom", "Beltransgaz", W),
    ("Gazprom et Beltransgaz", "Beltransgaz", W),
    ("Minsk", "Minsk", C),
    ("Moscou", "Minsk", W),
    ("Pragues", "Prague", CL),
    ("zapad 2009", "Zapad-2009", C),
    ("Zapad-2008", "Zapad-2009", W),
    # countries: articles, accents, short names get no typo
    ("la Russie", "la Russie", C),
    ("Russie", "la Russie", C),
    ("RUSSIE", "la Russie", C),
    ("Rusie", "la Russie", CL),
    ("la Chine", "la Russie", W),
    ("Russie ou Chine", "la Russie", W),
    ("la Russie évidemment", "la Russie", C),
    ("pas la Russie", "la Russie", W),
    ("la Bielorussie", "la Biélorussie", C),
    ("Biélorussie", "la Biélorussie", C),
    ("Bélarus", "la Biélorussie", W),
    ("l'Iran", "l'Iran", C),
    ("Iran", "l'Iran", C),
    ("Irak", "l'Iran", W),
    ("Cuba", "Cuba", C),
    ("Cuva", "Cuba", CL),
    ("ONG", "l'ONU", W),
    ("aux États-Unis", "les États-Unis", C),
    ("Etats Unis", "les États-Unis", C),
    ("l’Ouzbékistan", "l'Ouzbékistan", C),
    ("Ouzbekistan", "l'Ouzbékistan", C),
    ("Ouzbékistant", "l'Ouzbékistan", CL),
    # organisations: full name, acronym, partial names
    ("OTSC", OTSC, C),
    ("O.T.S.C.", OTSC, C),
    ("otsc", OTSC, C),
    ("Organisation du traité de sécurité collective", "OTSC", C),
    ("organisation du traite de securite collective", OTSC, C),
    ("Organisation de traité de sécurité collective", OTSC, CL),
    ("OTAN", OTSC, W),
    ("CEI", "la Communauté des États indépendants", C),
    ("Communauté des États indépendants", "la CEI", C),
    ("la communaute economique eurasiatique", "la Communauté économique eurasiatique", C),
    ("Communauté économique eurasiatque", "la Communauté économique eurasiatique", CL),
    ("Communauté économique", "la Communauté économique eurasiatique", P),
    ("Communauté européenne", "la Communauté économique eurasiatique", W),
    ("Communauté", "la Communauté économique eurasiatique", W),
    ("OCS", "l'Organisation de coopération de Shangai", C),
    ("Organisation de coopération de Shanghai", "l'Organisation de coopération de Shangai", CL),
    ("UE", "l'Union européenne", C),
    ("le Partenariat oriental", "le Partenariat oriental", C),
    ("partenariat orientale", "le Partenariat oriental", CL),
    # lists: any order, separators, partial, wrong extras
    (OCS_MEMBERS, OCS_MEMBERS, C),
    ("Chine, Russie, Ouzbékistan, Tadjikistan, Kirghizistan, Kazakhstan", OCS_MEMBERS, C),
    ("Russie; Chine; Kazakhstan; Kirghizistan; Tadjikistan; Ouzbékistan", OCS_MEMBERS, C),
    ("Russie Chine Kazakhstan Kirghizistan Tadjikistan Ouzbekistan", OCS_MEMBERS, C),
    ("Russie, Chine, Kazakstan, Kirghizstan, Tadjikistan, Ouzbékistan", OCS_MEMBERS, CL),
    ("Russie, Kazakhstan, Kirghizistan, Tadjikistan et Ouzbékistan", OCS_MEMBERS, P),
    ("la Russie et la Chine", OCS_MEMBERS, P),
    ("Russie, Chine, France", OCS_MEMBERS, P),
    ("Russie, France, Allemagne", OCS_MEMBERS, W),
    ("France, Allemagne", OCS_MEMBERS, W),
    (TYRANNY, TYRANNY, C),
    ("Cuba / Iran / Corée du Nord", TYRANNY, C),
    ("Cuba, l'Iran, la Corée-du-Nord", TYRANNY, C),
    ("Cuba, Iran, Corée du Sud", TYRANNY, P),
    ("Cuba, Irak et la Corée du Nord", TYRANNY, P),
    ("l'Iran", TYRANNY, P),
    ("l'Abkhazie et l'Ossétie du Sud", "l'Abkhazie et l'Ossétie du Sud", C),
    ("Ossétie du Sud, Abkhazie", "l'Abkhazie et l'Ossétie du Sud", C),
    ("Ossétie du Sud", "l'Abkhazie et l'Ossétie du Sud", P),
    ("Ossétie du Nord", "l'Abkhazie et l'Ossétie du Sud", W),
    ("1995 et 1996", "1995 et 1996", C),
    ("1996, 1995", "1995 et 1996", C),
    ("1995 et 1997", "1995 et 1996", P),
    # nothing typed
    ("", "2006", W),
    ("  . ", "la Russie", W),
]


def _case_id(case: tuple[str, str, Verdict]) -> str:
    given, expected, verdict = case
    return f"{given[:30]}|{expected[:30]}|{verdict}"


def test_the_table_is_large() -> None:
    assert len(CASES) >= 90


@pytest.mark.parametrize(("given", "expected", "verdict"), CASES, ids=map(_case_id, CASES))
def test_open_answer_verdict(given: str, expected: str, verdict: Verdict) -> None:
    assert grade_answer(given, expected).verdict is verdict


@pytest.mark.parametrize(
    ("given", "expected", "reason"),
    [
        ("2007", "2006", "Ce n'est pas la bonne année."),
        ("1995", "1994", "Ce n'est pas la bonne année."),
        ("mars 2007", "mars 2006", "Ce n'est pas la bonne année."),
        ("avril 2006", "mars 2006", "Ce n'est pas le bon mois."),
        ("21 octobre 2004", "le 20 octobre 2004", "Ce n'est pas le bon jour."),
        ("2006", "mars 2006", "Il manque le mois."),
        ("mars", "mars 2006", "Il manque l'année."),
        ("2004", "le 20 octobre 2004", "Il manque le jour et le mois."),
        ("2006 ou 2007", "2006", "Une seule réponse est attendue."),
        ("je ne sais pas", "2006", "On attendait une année."),
        ("3 millions de dollars", "3 milliards de dollars", "Ce n'est pas le bon montant."),
        ("3 milliards d'euros", "3 milliards de dollars", "Ce n'est pas la bonne unité."),
        ("3", "3 milliards de dollars", "Précisez l'ordre de grandeur (milliards)."),
        ("51 %", "50 %", "Ce n'est pas le bon pourcentage."),
        ("7", "six", "Ce n'est pas le bon nombre."),
        ("deux ans", "un an", "Ce n'est pas la bonne durée."),
        (
            "Loukachenka",
            "Loukachenko",
            "Petite faute de frappe acceptée : on écrit « Loukachenko ».",
        ),
        (
            "la Bielorussie",
            "la Biélorussie",
            "Attention aux accents : on écrit « la Biélorussie ».",
        ),
        ("Russie", "la Russie", ""),
        ("Poutine", "Loukachenko", "Ce n'est pas la bonne réponse."),
        ("", "2006", "Pas de réponse."),
        (
            "Communauté économique",
            "Communauté économique eurasiatique",
            "Réponse incomplète : on attendait « Communauté économique eurasiatique ».",
        ),
    ],
)
def test_reason_shown_to_the_student(given: str, expected: str, reason: str) -> None:
    assert said(grade_answer(given, expected)) == reason


@pytest.mark.parametrize(
    ("given", "expected", "reason", "english"),
    [
        ("2006", "mars 2006", Reason(ReasonCode.MISSING_PARTS, parts=(DatePart.MONTH,)),
         "The month is missing."),
        ("2004", "le 20 octobre 2004",
         Reason(ReasonCode.MISSING_PARTS, parts=(DatePart.DAY, DatePart.MONTH)),
         "The day and month are missing."),
        ("3", "3 milliards de dollars", Reason(ReasonCode.SCALE, scale=10**9),
         "Give the order of magnitude (billions)."),
        ("51 %", "50 %", Reason(ReasonCode.WRONG_QUANTITY, quantity=Quantity.PERCENTAGE),
         "That's not the right percentage."),
        ("je ne sais pas", "2006", Reason(ReasonCode.EXPECTED_YEAR), "A year was expected."),
        ("Loukachenka", "Loukachenko", Reason(ReasonCode.TYPO, forms=("Loukachenko",)),
         "Small typo accepted: it's spelt “Loukachenko”."),
        ("Poutine", "Loukachenko", Reason(ReasonCode.NOT_THE_ANSWER),
         "That's not the right answer."),
    ],
)  # fmt: skip
def test_reason_is_a_code_with_its_data_said_in_english_too(
    given: str, expected: str, reason: Reason, english: str
) -> None:
    result = grade_answer(given, expected)
    assert result.reason == reason
    assert said(result, "en") == english


def test_partial_list_names_the_missing_items() -> None:
    result = grade_answer(
        "Russie, Kazakhstan, Kirghizistan, Tadjikistan et Ouzbékistan", OCS_MEMBERS
    )
    assert (result.verdict, result.matched, result.missing) == (
        Verdict.PARTIAL, OCS_MEMBERS, ("la Chine",)
    )  # fmt: skip
    assert said(result) == "Il manque : la Chine."


def test_list_with_a_wrong_item_names_it() -> None:
    result = grade_answer("Cuba, Irak et la Corée du Nord", TYRANNY)
    assert result.verdict is Verdict.PARTIAL
    assert result.missing == ("l'Iran",)
    assert result.extra == ("Irak",)
    assert said(result) == "Il manque : l'Iran. En trop : Irak."
    assert said(result, "en") == "Missing: l'Iran. Not in the answer: Irak."


def test_list_typos_are_listed() -> None:
    result = grade_answer(
        "Russie, Chine, Kazakstan, Kirghizstan, Tadjikistan, Ouzbékistan", OCS_MEMBERS
    )
    assert result.verdict is Verdict.CLOSE
    assert said(result) == (
        "Petites fautes de frappe acceptées : on écrit « le Kazakhstan », « le Kirghizistan »."
    )


def test_more_wrong_than_right_items_is_wrong() -> None:
    result = grade_answer("Russie, France, Allemagne", OCS_MEMBERS)
    assert result.verdict is Verdict.WRONG
    assert result.extra == ("France", "Allemagne")
    assert result.matched is None


def test_listing_everything_is_wrong() -> None:
    given = "Russie, Chine, Kazakhstan, Kirghizistan, Tadjikistan, Ouzbékistan, " * 3
    result = grade_answer(given, OCS_MEMBERS)
    assert result.verdict is Verdict.WRONG
    assert said(result) == "Trop d'éléments : la réponse en compte 6."


def test_accepted_alternatives_are_tried() -> None:
    result = grade_answer(
        "CEEA", "la Communauté économique eurasiatique", accept=("CEEA", "EurAsEC")
    )
    assert result == Grade(Verdict.CORRECT, None, "CEEA")


def test_wrong_answer_keeps_the_main_answer_reason() -> None:
    result = grade_answer("2007", "2006", accept=("en 2006", "l'an 2006"))
    assert result == Grade(Verdict.WRONG, Reason(ReasonCode.WRONG_YEAR))
    assert said(result) == "Ce n'est pas la bonne année."


def test_best_form_wins() -> None:
    result = grade_answer("Loukachenka", "le président Loukachenko", accept=("Loukachenko",))
    assert result.verdict is Verdict.CLOSE
    assert result.matched == "Loukachenko"


def test_close_is_accepted_partial_is_not() -> None:
    assert grade_answer("Lukashenko", "Loukachenko").accepted
    assert not grade_answer("2006", "mars 2006").accepted
    assert Verdict.CLOSE.accepted and not Verdict.PARTIAL.accepted


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        ("vrai", C),
        ("Vrai", C),
        ("V", C),
        ("oui", C),
        ("true", C),
        ("c'est vrai", C),
        ("faux", W),
        ("F", W),
        ("non", W),
        ("False", W),
        ("peut-être", W),
        ("ce n'est pas faux", W),
    ],
)
def test_true_false_synonyms(given: str, verdict: Verdict) -> None:
    question = Question(
        "vf-otsc", QuestionKind.TRUE_FALSE, "La Biélorussie est membre de l'OTSC.", "vrai"
    )
    assert grade(given, question).verdict is verdict


@pytest.mark.parametrize("given", ["faux", "f", "non", "false", "FAUX."])
def test_false_statement(given: str) -> None:
    question = Question(
        "vf-otan", QuestionKind.TRUE_FALSE, "La Biélorussie est membre de l'OTAN.", "faux"
    )
    assert grade(given, question) == Grade(Verdict.CORRECT, None, "faux")


def test_unclear_true_false_asks_for_vrai_or_faux() -> None:
    assert said(grade_answer("peut-être", "vrai", kind="true_false")) == (
        "Répondez par « vrai » ou par « faux »."
    )


def test_true_false_answer_must_be_vrai_or_faux() -> None:
    with pytest.raises(ValueError, match="vrai"):
        grade_answer("vrai", "peut-être", kind=QuestionKind.TRUE_FALSE)


CHOICE = Question(
    "allie-principal",
    QuestionKind.CHOICE,
    "Quel pays est le principal soutien de la Biélorussie ?",
    "la Russie",
    distractors=("la Chine", "l'Ukraine", "la Pologne"),
)


@pytest.mark.parametrize(
    ("given", "verdict"),
    [("la Russie", C), ("Russie", C), ("LA RUSSIE ", C), ("la Chine", W), ("Rusie", W)],
)
def test_choice_needs_the_exact_option(given: str, verdict: Verdict) -> None:
    assert grade(given, CHOICE).verdict is verdict


def test_cloze_is_graded_like_an_open_answer() -> None:
    question = Question(
        "ue-2006-cloze",
        QuestionKind.CLOZE,
        "En {{2006}}, l'UE décide de geler les avoirs des dirigeants biélorusses.",
        "2006",
    )
    assert grade("en 2006", question).verdict is Verdict.CORRECT
    assert said(grade("2007", question)) == "Ce n'est pas la bonne année."


def test_long_answers_are_cut() -> None:
    assert grade_answer("Russie " * 2000, "la Russie").verdict is Verdict.WRONG


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("L’Ouzbékistan.", "ouzbekistan"),
        ("en mars 2006", "mars 2006"),
        ("03/2006", "mars 2006"),
        ("« la Communauté  économique-eurasiatique »", "communaute economique eurasiatique"),
        ("2 500 000 000 $", "2500000000 $"),
        ("2,5 milliards.", "2,5 milliards"),
        ("50%", "50 %"),
        ("Manœuvres", "manoeuvres"),
        ("de la Russie", "russie"),
        ("la", "la"),
        ("", ""),
    ],
)
def test_normalize(text: str, normal: str) -> None:
    assert normalize(text) == normal


# --- self-rated cards: the student's own verdict ---------------------------------------------

SELF_RATED_CARD = Question(
    "pourquoi", QuestionKind.SELF_RATED, "Pourquoi ?", "Parce que l'élection est truquée."
)


@pytest.mark.parametrize(
    ("rating", "verdict"),
    [
        (SelfRating.KNEW, Verdict.CORRECT),
        (SelfRating.PARTLY, Verdict.PARTIAL),
        (SelfRating.DID_NOT, Verdict.WRONG),
    ],
)
def test_a_self_rated_card_gets_the_students_own_verdict(
    rating: SelfRating, verdict: Verdict
) -> None:
    assert grade_self(rating, SELF_RATED_CARD) == Grade(verdict, None, SELF_RATED_CARD.answer)


def test_a_self_rated_card_is_never_compared_and_others_are_never_self_rated() -> None:
    with pytest.raises(ValueError, match="graded by the student"):
        grade(SELF_RATED_CARD.answer, SELF_RATED_CARD)
    with pytest.raises(ValueError, match="graded, not self-rated"):
        grade_self(SelfRating.KNEW, Question("q", QuestionKind.OPEN, "Quand ?", "2006"))
