"""Fifth round of the generator (gen7): general refusals (``refuse.py``), each shown on an
invented sentence (never a corpus passage), with the near miss each must keep."""

from __future__ import annotations

from bot.content.generator import refuse
from bot.content.generator.model import AnswerType
from tests.generation.drafts import make_draft

_draft = make_draft


def test_parenthetical_inside_the_inverted_clause_is_refused() -> None:
    source = "Le pont Neuf, c'est-à-dire le plus vieux pont de la ville, a été achevé en 1607."
    bad = _draft(
        "En quelle année le pont Neuf, c'est-à-dire le plus vieux pont, a-t-il été achevé ?",
        "1607",
        AnswerType.YEAR,
        source,
    )
    ok = _draft(
        "En quelle année le pont Neuf a-t-il été achevé ?", "1607", AnswerType.YEAR, source
    )
    assert refuse.refusal(bad)
    assert refuse.refusal(ok) is None


def test_second_clause_spliced_into_the_question_is_refused() -> None:
    source = (
        "Le viaduc des Prés, long de 300 mètres, a été ouvert en 1972 ; "
        "celui des Saules, plus au nord, est devenu en 2001 le plus haut du pays."
    )
    bad = _draft(
        "En quelle année le viaduc des Prés a-t-il été ouvert celui des Saules, plus au nord ?",
        "1972",
        AnswerType.YEAR,
        source,
    )
    ok = _draft(
        "En quelle année le viaduc des Prés a-t-il été ouvert ?", "1972", AnswerType.YEAR, source
    )
    assert refuse.spliced_question(bad)
    assert refuse.spliced_question(ok) is None


def test_comma_of_an_enumeration_dropped_is_refused_not_an_incise() -> None:
    source = "Dans le conte, le loup figure la faim, le chat la paresse, la pie le bavardage."
    bad = _draft(
        "Qu'est-ce qui figure la faim, le chat la paresse la pie le bavardage ?",
        "le loup",
        AnswerType.CONCEPT,
        source,
    )
    assert refuse.dropped_comma(bad)
    incise = "Le maire inaugure, avec le préfet et la députée, le nouveau pont."
    ok = _draft(
        "Qui inaugure avec le préfet et la députée le nouveau pont ?",
        "le maire",
        AnswerType.PERSON,
        incise,
    )
    assert refuse.dropped_comma(ok) is None


def test_unnamed_description_of_a_person_is_refused_unless_named() -> None:
    source = "En 1880, le jeune homme épousa Louise Martin."
    bad = _draft(
        "En quelle année le jeune homme épousa-t-il Louise Martin ?",
        "1880",
        AnswerType.YEAR,
        source,
    )
    named = _draft(
        "En quelle année le peintre Paul Durand épousa-t-il Louise Martin ?",
        "1880",
        AnswerType.YEAR,
        "En 1880, le peintre Paul Durand épousa Louise Martin.",
    )
    also_named = _draft(
        "En quelle année le savant Paul Durand épousa-t-il Louise Martin ?",
        "1880",
        AnswerType.YEAR,
    )
    assert refuse.unnamed(bad)
    assert refuse.unnamed(named) is None
    assert refuse.unnamed(also_named) is None


def test_unidentified_definite_noun_is_refused() -> None:
    bad = _draft("De quelle année date la grande crue ?", "1910", AnswerType.YEAR)
    ok = _draft("De quelle année date la grande crue de la Seine ?", "1910", AnswerType.YEAR)
    assert refuse.unnamed(bad)
    assert refuse.unnamed(ok) is None


def test_what_question_that_drops_the_condition_is_refused() -> None:
    source = "Le lait tourne lorsqu'il reste trop longtemps au soleil."
    bad = _draft("Qu'est-ce qui tourne ?", "le lait", AnswerType.CONCEPT, source)
    plain = _draft(
        "Qu'est-ce qui tourne autour du Soleil ?",
        "la Terre",
        AnswerType.CONCEPT,
        "La Terre tourne autour du Soleil.",
    )
    assert refuse.dropped_condition(bad)
    assert refuse.dropped_condition(plain) is None


def test_count_announcing_a_list_is_never_made_false() -> None:
    source = (
        "Pour faire ce gâteau, trois ingrédients suffisent : la farine, le beurre et le sucre."
    )
    bad = _draft(
        "Pour faire ce gâteau, quatre ingrédients suffisent : la farine, le beurre et le sucre.",
        "faux",
        AnswerType.COUNT,
        source,
        truth=False,
    )
    other = _draft(
        "Le gâteau cuit pendant quarante minutes.",
        "faux",
        AnswerType.COUNT,
        "Le gâteau cuit pendant trente minutes.",
        truth=False,
    )
    assert refuse.counted_list(bad)
    assert refuse.counted_list(other) is None


def test_true_announcement_is_refused() -> None:
    bad = _draft(
        "Plusieurs raisons expliquent la grève de 1906.", "vrai", AnswerType.YEAR, truth=True
    )
    ok = _draft("La grève de 1906 a duré trois semaines.", "vrai", AnswerType.YEAR, truth=True)
    assert refuse.counted_list(bad)
    assert refuse.counted_list(ok) is None


def test_a_title_is_no_option_for_a_person() -> None:
    d = _draft(
        "Qui a écrit ces contes ?",
        "Charles Perrault",
        AnswerType.PERSON,
        distractors=("Contes", "Marie Leprince", "Madame d'Aulnoy"),
    )
    assert refuse.foreign_options(d) == ("Marie Leprince", "Madame d'Aulnoy")
