"""The question-file loader: valid samples, a corpus of invalid files, and the folder scan."""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content import deckfile
from bot.content.deckfile import (
    MAX_FILE_BYTES,
    DeckFormatError,
    DeckProblem,
    load_deck_bytes,
    load_deck_file,
    load_decks,
    summarize,
)
from bot.domain.deck import Deck, Question, QuestionKind

DECKS = Path(__file__).resolve().parents[1] / "data" / "decks"
VALID = DECKS / "valid"
INVALID = DECKS / "invalid"

HEADER = "version: 1\ndeck:\n  id: paquet\n  title: Un paquet\nquestions:\n"


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test with libyaml's parser (when built) and with PyYAML's pure-Python one."""
    if request.param == "pure-python":
        monkeypatch.setattr(deckfile, "_FAST_LOADER", None)
    elif deckfile._FAST_LOADER is None:
        pytest.skip("PyYAML built without libyaml")
    return request.param


def problems_of(data: bytes, filename: str = "x.yaml") -> list[DeckProblem]:
    with pytest.raises(DeckFormatError) as excinfo:
        load_deck_bytes(data, filename)
    return excinfo.value.problems


def one_question(body: str) -> bytes:
    """A file with one question whose keys (indented by 4) are ``body``."""
    return (HEADER + "  - id: q1\n" + body).encode()


# -- valid files ------------------------------------------------------------------------------


def test_small_sample_gives_exact_values(parser: str) -> None:
    path = VALID / "economie.yml"

    deck = load_deck_file(path)

    assert deck == Deck(
        slug="bielorussie-economie",
        title="Biélorussie et Russie, l'économie",
        language="fr",
        questions=(
            Question(
                key="beltransgaz.montant",
                kind=QuestionKind.OPEN,
                prompt="Pour combien Gazprom rachète-t-il\n50 % des actions de Beltransgaz ?",
                answer="2,5 milliards de dollars",
            ),
            Question(
                key="credit_2014",
                kind=QuestionKind.CLOZE,
                prompt="La Russie accorde un nouveau crédit de {{2 milliards}} de dollars"
                " pour 2014.",
                answer="2 milliards",
            ),
            Question(
                key="reformes",
                kind=QuestionKind.CHOICE,
                prompt="Quelles réformes s'avèrent nécessaires ?",
                answer="des privatisations",
                distractors=("des nationalisations", "une dévaluation"),
            ),
            Question(
                key="42",
                kind=QuestionKind.TRUE_FALSE,
                prompt="Les réformes structurelles ont déjà été menées.",
                answer="faux",
            ),
            Question(
                key="dependance.pourquoi",
                kind=QuestionKind.SELF_RATED,
                prompt="Pourquoi l'économie biélorusse dépend-elle autant de la Russie ?",
                answer="Elle achète son gaz et son pétrole russes à bas prix, revend des"
                " produits pétroliers raffinés, et vit de crédits russes.",
                explanation="Sans ces subventions, la croissance des années 2000 n'aurait"
                " pas tenu.",
            ),
        ),
    )
    assert deck.path == str(path)
    assert [q.line for q in deck.questions] == [6, 12, 15, 22, 26]


def test_full_sample_covers_every_key(parser: str) -> None:
    deck = load_deck_file(VALID / "bielorussie-relations.yaml")

    assert deck.slug == "bielorussie-relations-exterieures"
    assert deck.title == "Biélorussie : relations extérieures"
    assert deck.source_text == "sources/bielorussie-relations-exterieures.txt"
    assert deck.description == (
        "Questions sur les relations de la Biélorussie avec la Russie,"
        " l'Union européenne et les États-Unis."
    )
    by_key = {q.key: q for q in deck.questions}
    assert list(by_key) == [
        "ue-gel-avoirs-2006",
        "credit-ceea-2011",
        "allie-principal",
        "sakharov-2006",
        "ue-2006-cloze",
        "beltransgaz-cloze",
        "vf-otan",
        "vf-conseil-europe",
    ]
    first = by_key["ue-gel-avoirs-2006"]
    assert first.answer == "2006"  # a YAML integer, kept as written
    assert first.accept == ("en 2006",)
    assert first.tags == ("date", "ue")
    assert first.confidence == 0.8
    assert first.source == (
        "l'UE décide d'interdire l'entrée d'autorités biélorusses sur son territoire"
        " et de geler leurs avoirs à l'étranger."
    )
    assert by_key["credit-ceea-2011"].accept == ("3 milliards", "3 000 000 000 de dollars")
    assert by_key["credit-ceea-2011"].confidence == 1.0
    # ``choices`` holds the answer: the distractors are the other choices, in order.
    assert by_key["sakharov-2006"].distractors == (
        "Aleksandr Loukachenko",
        "Vladimir Poutine",
        "Andreï Sakharov",
    )
    assert by_key["ue-2006-cloze"].answer == "2006"
    assert by_key["ue-2006-cloze"].display_prompt == (
        "En _____, l'UE décide de geler les avoirs des dirigeants biélorusses."
    )
    assert by_key["beltransgaz-cloze"].answer == "50 %"
    assert by_key["vf-otan"].answer == "vrai"
    assert by_key["vf-conseil-europe"].answer == "faux"


def test_every_kind_is_covered_by_the_samples() -> None:
    decks = load_decks([VALID])

    assert {q.kind for deck in decks for q in deck.questions} == set(QuestionKind)


def test_folder_scan_loads_the_samples_in_order_and_summarizes_them() -> None:
    decks = load_decks([VALID])

    assert [deck.slug for deck in decks] == [
        "bielorussie-relations-exterieures",
        "bielorussie-economie",
    ]
    assert summarize(decks) == (
        "2 paquets, 13 questions : 3 ouvertes, 3 à choix, 3 à trous, 3 vrai/faux, 1 à auto-évaluer"
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("10:30", "10:30"),  # YAML 1.1 would read 630 (base 60)
        ("2.50", "2.50"),
        ("1_000", "1_000"),
        ("2006-05-01", "2006-05-01"),  # not a date object
        ("0x10", "0x10"),
        ('"  2006  "', "2006"),
        ("2,5 milliards", "2,5 milliards"),
        ("l’UE", "l’UE"),  # typographic apostrophe kept as written
    ],
)
def test_answers_are_kept_as_written(written: str, expected: str) -> None:
    deck = load_deck_bytes(
        one_question(f"    kind: open\n    prompt: Q ?\n    answer: {written}\n"), "x"
    )

    assert deck.questions[0].answer == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("true", "vrai"),
        ("false", "faux"),
        ("yes", "vrai"),
        ("off", "faux"),
        ("vrai", "vrai"),
        ("Faux", "faux"),
        ('"VRAI"', "vrai"),
    ],
)
def test_true_false_answers(written: str, expected: str) -> None:
    data = one_question(
        f"    kind: true_false\n    prompt: Minsk est la capitale.\n    answer: {written}\n"
    )

    assert load_deck_bytes(data, "x").questions[0].answer == expected


def test_bom_and_windows_line_endings_are_accepted() -> None:
    data = b"\xef\xbb\xbf" + one_question("    kind: open\n    prompt: Q ?\n    answer: oui\n")

    deck = load_deck_bytes(data.replace(b"\n", b"\r\n"), "x")

    assert deck.questions[0].line == 6


def test_optional_deck_keys_have_defaults() -> None:
    deck = load_deck_bytes(one_question("    kind: open\n    prompt: Q ?\n    answer: oui\n"), "f")

    assert (deck.language, deck.description, deck.source_text, deck.path) == (
        "fr",
        None,
        None,
        "f",
    )


def test_english_deck_and_integer_confidence() -> None:
    text = HEADER.replace("title: Un paquet", "title: A deck\n  language: en") + (
        "  - id: q1\n    kind: open\n    prompt: Capital?\n    answer: Minsk\n    confidence: 0\n"
    )

    deck = load_deck_bytes(text.encode(), "x")

    assert deck.language == "en"
    assert deck.questions[0].confidence == 0.0


# -- invalid files: the corpus ----------------------------------------------------------------

# file name -> every expected problem: (line, question id, a distinctive part of the message).
EXPECTED: dict[str, list[tuple[int | None, str | None, str]]] = {
    "answer-in-distractors.yaml": [
        (12, "allie", "« LA RUSSIE » est la bonne réponse : retirez-la de « distractors »"),
        (18, "annee", "« ukraïne » est la bonne réponse"),
    ],
    "answer-list.yaml": [
        (9, "q1", "« answer » doit être une seule réponse, pas une liste"),
        (13, "q2", "« prompt » doit être un texte, pas un bloc de clés"),
        (15, "q2", "« accept » doit être une liste, pas un texte"),
    ],
    "bad-deck-id.yaml": [
        (3, None, "identifiant de paquet « Biélorussie 1 » invalide"),
        (3, None, "il manque « title »"),
        (4, None, "« language » doit être fr ou en (et non « de »)"),
        (5, None, "« source » doit être un chemin relatif"),
    ],
    "bad-indentation.yaml": [(9, None, "indentation incohérente (colonne 4)")],
    "bad-question-id.yaml": [
        (6, "ue 2006", "identifiant « ue 2006 » invalide"),
        (10, "année/2006", "(ex. « annee-2006 »)"),
        (14, None, "il manque « id »"),
    ],
    "bad-version.yaml": [(1, None, "version 2 inconnue : ce programme lit la version 1")],
    "billion-laughs.yaml": [(5, None, "les ancres « & » et les alias « * »")],
    "boolean-answer.yaml": [
        (9, "q1", "« answer » vaut « no », que YAML lit comme vrai/faux"),
        (14, "q2", "un élément de « distractors » vaut « on »"),
    ],
    "brace-prompt.yaml": [(8, "q1", "« prompt » doit être un texte, pas un bloc de clés")],
    "choice-one-distractor.yaml": [
        (10, "allie", "il faut au moins 2 mauvaises réponses dans « distractors » (il y en a 1)"),
        (15, "allie-2", "(il y en a 0)"),
        (16, "allie-3", "il manque « distractors »"),
    ],
    "choices-and-distractors.yaml": [
        (11, "prix", "donnez soit « distractors »"),
    ],
    "choices-without-answer.yaml": [
        (10, "prix", "« choices » doit contenir la bonne réponse « A. Milinkievitch »"),
        (15, "prix-2", "la bonne réponse et au moins 2 autres propositions"),
    ],
    "cloze-answer-mismatch.yaml": [
        (9, "trou", "« answer » (« 2007 ») diffère du trou « {{2006}} »"),
    ],
    "cloze-no-gap.yaml": [
        (8, "trou-1", "aucun trou"),
        (12, "trou-2", "aucun trou"),
        (15, "trou-3", "trou vide"),
        (18, "trou-4", "trou vide"),
    ],
    "cloze-two-gaps.yaml": [(8, "trous", "2 trous « {{…}} » : une question à trous n'en a qu'un")],
    "comments-only.yaml": [(None, None, "le fichier est vide")],
    "confidence-range.yaml": [
        (10, "q1", "« confidence » doit être entre 0 et 1 (et non 1.5)"),
        (15, "q2", "« confidence » doit être un nombre entre 0 et 1"),
        (20, "q3", "(et non -0.1)"),
    ],
    "control-char.yaml": [(8, None, "caractère invisible interdit (U+0007, colonne 26)")],
    "dash-value.yaml": [(8, None, "tiret « - » inattendu (colonne 13)")],
    "deep-nesting.yaml": [(10, None, "imbrication trop profonde")],
    "duplicate-distractor.yaml": [
        (13, "allie", "« la chine » figure deux fois dans « distractors »"),
        (14, "allie", "« russie » est une réponse acceptée (« accept »)"),
    ],
    "duplicate-id.yaml": [
        (14, "ue-2006", "identifiant « ue-2006 » déjà utilisé par la question de la ligne 6"),
    ],
    "duplicate-key.yaml": [(10, "q1", "clé « prompt » en double (déjà ligne 8)")],
    "empty-prompt.yaml": [
        (8, "q1", "« prompt » est vide"),
        (12, "q2", "« prompt » est vide"),
        (13, "q2", "« answer » est vide"),
        (18, "q3", "« explanation » est vide : remplissez-le ou supprimez la ligne"),
    ],
    "empty-questions.yaml": [(5, None, "la liste « questions » est vide")],
    "empty.yaml": [(None, None, "le fichier est vide")],
    "escape.yaml": [(8, None, "barre oblique « \\ » inattendue entre guillemets (colonne 32)")],
    "hash-comment.yaml": [
        (9, "q1", "« answer » est vide (« # » commence un commentaire"),
    ],
    "many-problems.yaml": [
        (13, "allie", "clé inconnue « promt » : vouliez-vous dire « prompt » ?"),
        (15, "allie", "il faut au moins 2 mauvaises réponses"),
        (19, "trou", "aucun trou"),
        (21, "ok-1", "identifiant « ok-1 » déjà utilisé par la question de la ligne 6"),
        (24, "ok-1", "doit être vrai ou faux (et non « peut-être »)"),
    ],
    "missing-answer.yaml": [
        (6, "q1", "il manque « answer » (la bonne réponse)"),
        (9, "q2", "il manque « answer » (la bonne réponse)"),
        (13, "q3", "il manque « answer » (vrai ou faux)"),
    ],
    "missing-deck.yaml": [
        (1, None, "il manque la section « deck »"),
        (2, None, "la liste « questions » est vide"),
    ],
    "missing-kind.yaml": [
        (6, "q1", "il manque « kind » (choice, open, cloze, true_false ou self_rated)")
    ],
    "missing-version.yaml": [(2, None, "il manque « version: 1 » en tête du fichier")],
    "multiple-documents.yaml": [(10, None, "plusieurs documents YAML (séparateur « --- »)")],
    "non-utf8.yaml": [
        (8, None, "le fichier n'est pas en UTF-8 (octet 0xE9 à la position 112, colonne 27)"),
    ],
    "not-a-mapping.yaml": [(1, None, "le fichier doit commencer par « version: 1 »")],
    "options-on-open.yaml": [
        (10, "q1", "« distractors » ne sert qu'aux questions à choix"),
        (15, "q2", "« choices » ne sert qu'aux questions à choix"),
        (18, "q3", "« {{…}} » ne s'utilise que dans une question à trous"),
    ],
    "python-tag.yaml": [
        (4, None, "étiquette YAML « !!python/object/apply:os.system » non acceptée"),
        (8, "q1", "étiquette YAML « !custom » non acceptée"),
        (9, "q1", "étiquette YAML « !!binary » non acceptée"),
    ],
    "question-not-mapping.yaml": [
        (6, None, "la question n° 1 doit être un bloc de clés"),
        (
            11,
            None,
            "la question n° 3 doit être un bloc de clés (« id », « kind », « prompt »…),"
            " pas une liste",
        ),
    ],
    "single-quote.yaml": [
        (8, None, "texte inattendu après le guillemet fermant (colonne 32) : entre apostrophes"),
    ],
    "syntax-colon.yaml": [(8, None, "deux-points « : » inattendu (colonne 40)")],
    "tabs.yaml": [(7, None, "tabulation (colonne 1) : YAML n'accepte que des espaces")],
    "tags-not-list.yaml": [
        (10, "q1", "« tags » doit être une liste, pas un texte"),
        (15, "q2", "un élément de « tags » doit être un texte, pas une liste"),
        (15, "q2", "un élément de « tags » est vide"),
    ],
    "true-false-bad.yaml": [
        (9, "vf-1", "« answer » doit être vrai ou faux (et non « oui »)"),
        (14, "vf-2", "« accept » est inutile pour une question vrai/faux"),
    ],
    "unclosed-bracket.yaml": [
        (10, None, "crochet « [ » ou accolade « { » ouvert sur cette ligne")
    ],
    "unclosed-quote.yaml": [
        (
            8,
            None,
            "guillemet « \" » ouvert sur cette ligne mais jamais refermé (YAML s'y perd ligne 12)",
        ),
    ],
    "unknown-key.yaml": [
        (4, None, "clé inconnue « titre » : vouliez-vous dire « title » ?"),
        (8, "q1", "clé inconnue « prompte » : vouliez-vous dire « prompt » ?"),
        (9, "q1", "clé inconnue « réponse » : vouliez-vous dire « answer » ?"),
        (10, "q1", "clé inconnue « colour » : clés possibles : id, kind, prompt, answer,"),
    ],
    "unknown-kind.yaml": [
        (7, "q1", "type de question inconnu « qcm » : vouliez-vous dire « choice » ?"),
        (12, "q2", "type de question inconnu « opne » : vouliez-vous dire « open » ?"),
        (16, "q3", "« quiz » : types possibles : choice, open, cloze, true_false"),
    ],
    "unquoted-at.yaml": [(9, None, "une valeur ne peut pas commencer par « @ » (colonne 13)")],
    "version-string.yaml": [(1, None, "« version » doit être le nombre 1")],
    "wrong-sections.yaml": [
        (2, None, "« deck » doit contenir « id: … » et « title: … »"),
        (3, None, "clé inconnue « question » : vouliez-vous dire « questions » ?"),
    ],
}


def test_the_corpus_and_the_table_agree() -> None:
    assert sorted(path.name for path in INVALID.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file(name: str, parser: str) -> None:
    path = INVALID / name

    with pytest.raises(DeckFormatError) as excinfo:
        load_deck_file(path)

    problems = excinfo.value.problems
    found = [(p.file, p.line, p.question_id) for p in problems]
    assert found == [(str(path), line, qid) for line, qid, _ in EXPECTED[name]]
    for problem, (_, _, part) in zip(problems, EXPECTED[name], strict=True):
        assert part in problem.message


def test_suggestion_message_is_exact() -> None:
    data = one_question("    kind: open\n    prompte: Q ?\n    answer: oui\n")
    [problem] = problems_of(data, "questions/x.yaml")

    assert problem == DeckProblem(
        "questions/x.yaml", 8, "q1", "clé inconnue « prompte » : vouliez-vous dire « prompt » ?"
    )
    assert str(problem) == (
        "questions/x.yaml:8 [q1] clé inconnue « prompte » : vouliez-vous dire « prompt » ?"
    )


def test_answer_among_distractors_ignores_case_and_accents() -> None:
    problems = problems_of(
        one_question(
            "    kind: choice\n    prompt: Q ?\n    answer: Élysée\n"
            "    distractors: [Matignon, elysee, ÉLYSÉE]\n"
        )
    )

    assert [(p.line, p.message) for p in problems] == [
        (10, "« elysee » est la bonne réponse : retirez-la de « distractors »"),
        (10, "« ÉLYSÉE » est la bonne réponse : retirez-la de « distractors »"),
    ]


def test_anchor_without_alias_is_refused_too() -> None:
    [problem] = problems_of(one_question("    kind: open\n    prompt: &p Q ?\n    answer: oui\n"))

    assert problem.line == 8
    assert "ancres" in problem.message


# -- whole-file problems ----------------------------------------------------------------------


def test_oversized_file_is_refused_before_parsing() -> None:
    data = one_question("    kind: open\n    prompt: Q ?\n    answer: oui\n")
    data += b"# " + b"x" * MAX_FILE_BYTES + b"\n"

    assert problems_of(data, "gros.yaml") == [
        DeckProblem(
            "gros.yaml",
            None,
            None,
            "le fichier dépasse 1 Mio : découpez-le en plusieurs fichiers"
            " (un paquet par texte ou par chapitre)",
        )
    ]


def test_oversized_file_on_disk_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "gros.yaml"
    path.write_bytes(b"#" * (3 * MAX_FILE_BYTES))

    [problem] = problems_of_path(path)

    assert problem.line is None
    assert problem.message.startswith("le fichier dépasse 1 Mio")


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    data = one_question("    kind: open\n    prompt: Q ?\n    answer: oui\n")
    data += b"#" * (MAX_FILE_BYTES - len(data) - 1) + b"\n"
    assert len(data) == MAX_FILE_BYTES

    assert load_deck_bytes(data, "x").questions[0].key == "q1"


def test_latin1_file_names_the_byte_and_the_line() -> None:
    data = one_question("    kind: open\n    prompt: Q ?\n    answer: Biélorussie\n")

    [problem] = problems_of(data.decode().encode("latin-1"))

    assert problem.line == 9
    assert problem.message.startswith(
        "le fichier n'est pas en UTF-8 (octet 0xE9 à la position 116, colonne 15)"
    )


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 30)]
    data = ("\n".join(lines) + "\n").encode()

    started = time.perf_counter()
    [problem] = problems_of(data)

    assert time.perf_counter() - started < 2
    assert (problem.line, "alias" in problem.message) == (1, True)


@pytest.mark.parametrize("opening", ["[", "{", "- "])
def test_deep_nesting_bomb_is_refused_quickly(opening: str) -> None:
    data = (opening * (MAX_FILE_BYTES // len(opening))).encode()

    started = time.perf_counter()
    [problem] = problems_of(data)

    assert time.perf_counter() - started < 5
    assert problem.message.startswith("imbrication trop profonde")


# -- folders and several files ----------------------------------------------------------------


def problems_of_path(*paths: Path) -> list[DeckProblem]:
    with pytest.raises(DeckFormatError) as excinfo:
        load_decks(paths)
    return excinfo.value.problems


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def deck_text(slug: str, key: str = "q1") -> str:
    return HEADER.replace("id: paquet", f"id: {slug}") + (
        f"  - id: {key}\n    kind: open\n    prompt: Q ?\n    answer: oui\n"
    )


def test_scan_is_recursive_sorted_and_skips_sources_hidden_and_other_files(tmp_path: Path) -> None:
    write(tmp_path / "b.yaml", deck_text("b"))
    write(tmp_path / "a.yml", deck_text("a"))
    write(tmp_path / "sous" / "c.YAML", deck_text("c"))
    write(tmp_path / "sources" / "texte.yaml", "pas un paquet: [")
    write(tmp_path / "sous" / "sources" / "x.yaml", "pas un paquet: [")
    write(tmp_path / ".cache" / "x.yaml", "pas un paquet: [")
    write(tmp_path / ".brouillon.yaml", "pas un paquet: [")
    write(tmp_path / "README.md", "# questions")
    write(tmp_path / "texte.txt", "Un texte.")

    decks = load_decks([tmp_path])

    assert [deck.slug for deck in decks] == ["a", "b", "c"]
    assert decks[2].path == str(tmp_path / "sous" / "c.YAML")


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", deck_text("a").replace("kind: open", "kind: opne"))
    write(tmp_path / "b.yaml", deck_text("b"))
    write(tmp_path / "c.yaml", "version: 1\ndeck: [\n")

    problems = problems_of_path(tmp_path)

    assert [(Path(p.file).name, p.line, p.question_id) for p in problems] == [
        ("a.yaml", 7, "q1"),
        ("c.yaml", 3, None),
    ]
    error = DeckFormatError(problems)
    assert str(error).splitlines() == [str(p) for p in problems]


def test_same_deck_id_in_two_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", deck_text("histoire"))
    second = write(tmp_path / "z" / "b.yaml", "\n" + deck_text("histoire"))

    assert problems_of_path(tmp_path) == [
        DeckProblem(
            str(second),
            4,
            None,
            f"le paquet « histoire » est déjà défini dans {first} (ligne 3) : chaque fichier"
            " doit avoir son propre « id » de paquet",
        )
    ]


def test_same_deck_id_is_detected_even_if_the_file_has_other_problems(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", deck_text("histoire"))
    write(tmp_path / "b.yaml", deck_text("histoire").replace("answer: oui", "answer:"))

    problems = problems_of_path(tmp_path)

    first = tmp_path / "a.yaml"
    assert [(p.line, p.message.split(" :")[0]) for p in problems] == [
        (3, f"le paquet « histoire » est déjà défini dans {first} (ligne 3)"),
        (9, "« answer » est vide"),
    ]


def test_files_and_folders_given_explicitly(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", deck_text("a"))
    write(tmp_path / "dossier" / "b.yaml", deck_text("b"))

    decks = load_decks([a, tmp_path / "dossier", a])

    assert [deck.slug for deck in decks] == ["a", "b"]  # the same file given twice: once


def test_missing_path_and_non_yaml_file(tmp_path: Path) -> None:
    text = write(tmp_path / "texte.txt", "Un texte.")
    missing = tmp_path / "absent.yaml"

    assert problems_of_path(missing, text) == [
        DeckProblem(str(missing), None, None, "fichier ou dossier introuvable"),
        DeckProblem(str(text), None, None, "ce n'est pas un fichier .yaml ou .yml"),
    ]


def test_load_deck_file_reports_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"

    with pytest.raises(DeckFormatError) as excinfo:
        load_deck_file(path)

    [problem] = excinfo.value.problems
    assert (problem.file, problem.line, problem.message) == (
        str(path),
        None,
        "lecture impossible (No such file or directory)",
    )


def test_empty_folder_gives_no_deck(tmp_path: Path) -> None:
    assert load_decks([tmp_path]) == []


# -- the error type and the summary -----------------------------------------------------------


def test_problem_rendering() -> None:
    assert str(DeckProblem("q.yaml", 12, "ue-2006", "message")) == "q.yaml:12 [ue-2006] message"
    assert str(DeckProblem("q.yaml", 3, None, "message")) == "q.yaml:3 message"
    assert str(DeckProblem("q.yaml", None, None, "le fichier est vide")) == (
        "q.yaml le fichier est vide"
    )


def test_error_lists_every_problem_and_survives_pickling() -> None:
    problems = [DeckProblem("a.yaml", 1, None, "un"), DeckProblem("b.yaml", 2, "x", "deux")]
    error = DeckFormatError(problems)

    copy = pickle.loads(pickle.dumps(error))

    assert str(error) == "a.yaml:1 un\nb.yaml:2 [x] deux"
    assert copy.problems == problems
    assert str(copy) == str(error)


def fake_deck(counts: dict[QuestionKind, int]) -> Deck:
    questions = tuple(
        Question(key=f"{kind.value}-{i}", kind=kind, prompt="?", answer="x")
        for kind, n in counts.items()
        for i in range(n)
    )
    return Deck(slug="d", title="D", questions=questions)


def test_summary_of_the_brief_example() -> None:
    decks = [
        fake_deck({QuestionKind.OPEN: 20, QuestionKind.CHOICE: 15}),
        fake_deck({QuestionKind.CLOZE: 20, QuestionKind.TRUE_FALSE: 2}),
    ]

    assert summarize(decks) == (
        "2 paquets, 57 questions : 20 ouvertes, 15 à choix, 20 à trous, 2 vrai/faux"
    )


def test_summary_singular_and_missing_kinds() -> None:
    assert summarize([fake_deck({QuestionKind.OPEN: 1})]) == "1 paquet, 1 question : 1 ouverte"
    assert summarize([fake_deck({QuestionKind.CHOICE: 3, QuestionKind.TRUE_FALSE: 1})]) == (
        "1 paquet, 4 questions : 3 à choix, 1 vrai/faux"
    )
    assert summarize([]) == "0 paquet, 0 question"


# -- the teachers' guide ----------------------------------------------------------------------

GUIDE = Path(__file__).resolve().parents[2] / "questions" / "README.md"


def yaml_blocks(markdown: str) -> list[str]:
    blocks = markdown.split("```yaml\n")[1:]
    return [block.split("```")[0] for block in blocks]


def test_guide_full_example_is_valid() -> None:
    example = yaml_blocks(GUIDE.read_text(encoding="utf-8"))[0]

    deck = load_deck_bytes(example.encode(), "questions/README.md")

    assert {q.kind for q in deck.questions} == set(QuestionKind)


def test_guide_question_snippets_are_valid() -> None:
    snippets = [
        block
        for block in yaml_blocks(GUIDE.read_text(encoding="utf-8"))
        if block.startswith("  - id:")
    ]

    assert len(snippets) >= 2
    for snippet in snippets:
        load_deck_bytes((HEADER + snippet).encode(), "snippet.yaml")


def test_guide_names_every_key_and_kind() -> None:
    guide = GUIDE.read_text(encoding="utf-8")

    names = {*deckfile.TOP_KEYS, *deckfile.DECK_KEYS, *deckfile.QUESTION_KEYS, *deckfile.KINDS}
    assert {name for name in names if f"`{name}`" not in guide} == set()
    assert "{{" in guide and "quizbot validate" in guide and "quizbot import" in guide
