"""Pure parts of the generator: no model needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.generator import normalise
from bot.content.generator.cli import SourceError, read_source
from bot.content.generator.conjugate import present
from bot.content.generator.distractors import _synth_amount, _synth_time
from bot.content.generator.model import AnswerType
from bot.content.generator.rank import fold


@pytest.mark.parametrize(
    ("lemma", "plural", "expected"),
    [
        ("geler", False, "gèle"),
        ("racheter", False, "rachète"),
        ("octroyer", False, "octroie"),
        ("promulguer", True, "promulguent"),
        ("présenter", False, "présente"),
        ("céder", False, "cède"),
        ("obtenir", False, "obtient"),
        ("définir", True, "définissent"),
        ("prendre", True, "prennent"),
        ("appeler", False, "appelle"),
    ],
)
def test_present_third_person(lemma: str, plural: bool, expected: str) -> None:
    assert present(lemma, plural) == expected


def test_normalise_apostrophes_spaces_and_headings() -> None:
    raw = "Un isolement accru\nL\u2019UE\u00a0d\u00e9cide\u202f: «oui».\n"
    blocks = normalise.split_blocks(raw)
    assert blocks == [
        normalise.Block("Un isolement accru", heading=True),
        normalise.Block("L'UE décide : « oui »."),
    ]


def test_markdown_heading_is_not_a_sentence() -> None:
    blocks = normalise.split_blocks("# La crise de Suez\n\nLe canal ferme en 1956.")
    assert [b.heading for b in blocks] == [True, False]
    assert blocks[0].text == "La crise de Suez"


def test_synthetic_distractors_keep_the_form() -> None:
    assert _synth_time(AnswerType.MONTH, "juin 2011")[:2] == ["juin 2012", "juin 2010"]
    amounts = _synth_amount("3 milliards de dollars")
    assert amounts[:2] == ["6 milliards de dollars", "1,5 milliard de dollars"]


def test_fold_ignores_case_accents_and_article() -> None:
    assert fold("La Biélorussie") == "bielorussie"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"  \n\n", "vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binaire"),
        ("Année 2006".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_sources_get_a_french_message(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "texte.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError, match=message):
        read_source(path)


def test_country_distractors_come_from_the_region_and_period() -> None:
    from bot.content.generator import lexicon

    assert any("Biélorussie" in r and "Pologne" in r for r in lexicon.regions_of("Biélorussie"))
    assert not lexicon.existed("Ukraine", 1947)
    assert lexicon.existed("Ukraine", 2009)
    assert lexicon.metonym("Kremlin", 1947) == "Union soviétique"
    assert lexicon.metonym("Kremlin", 2011) == "Russie"


def test_organisation_kinds() -> None:
    from bot.content.generator.lexicon import org_kind

    assert org_kind("Beltransgaz", "société") == "entreprise"
    assert org_kind("Conseil de l'Europe") == "institution"
    assert org_kind("Organisation européenne de coopération économique") == "organisation"
