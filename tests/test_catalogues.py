"""The message catalogues (bot/locale/*/LC_MESSAGES/messages.po) are complete and agree.

Adding a string means editing both .po files: these tests say what is missing or different.
"""

from __future__ import annotations

import dataclasses
import re
import string

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.domain.grading import DatePart, Quantity, Reason, ReasonCode
from bot.i18n import LANGUAGES, LOCALE_DIR, catalogue
from bot.tg.texts import EN, FR
from bot.tg.texts.base import Texts
from bot.tg.texts.classes import ClassTexts
from bot.tg.texts.game_fr import CSV_COLUMNS, GAME_FR, GameTexts

PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "en": "nplurals=2; plural=(n != 1);"}


def read(language: str) -> Catalog:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


CATALOGUES = {language: read(language) for language in LANGUAGES}


def entries(language: str) -> dict[str, Message]:
    return {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in CATALOGUES[language] if m.id}


def forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple) else (message.string,)


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_both_catalogues_hold_the_same_keys() -> None:
    fr, en = set(entries("fr")), set(entries("en"))
    assert sorted(fr - en) == [], "missing in English"
    assert sorted(en - fr) == [], "missing in French"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_rule_is_the_languages(language: str) -> None:
    assert CATALOGUES[language].mime_headers is not None
    headers = dict(CATALOGUES[language].mime_headers)
    assert headers["Plural-Forms"] == PLURAL_FORMS[language]
    assert headers["Language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_empty_or_fuzzy(language: str) -> None:
    for key, message in entries(language).items():
        assert not message.fuzzy, key
        assert all(form.strip() for form in forms(message)), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_entries_have_every_form(language: str) -> None:
    nplurals = CATALOGUES[language].num_plurals
    for key, message in entries(language).items():
        if message.pluralizable:
            assert len(forms(message)) == nplurals, key
            assert "{n}" in "".join(forms(message)) or key.startswith("reason."), key


def test_the_same_entries_are_plural_and_take_the_same_fields() -> None:
    fr, en = entries("fr"), entries("en")
    for key, message in fr.items():
        assert message.pluralizable == en[key].pluralizable, key
        fr_fields = set().union(*(fields_of(f) for f in forms(message)))
        en_fields = set().union(*(fields_of(f) for f in forms(en[key])))
        assert fr_fields == en_fields, key


def test_every_key_of_the_front_ends_is_a_field_and_every_field_a_key() -> None:
    keys = set(entries("fr"))
    for cls, prefix, given in (
        (Texts, "bot", {"language", "catalogue", "command_help"}),
        (ClassTexts, "classes", {"failure_reasons"}),
        (GameTexts, "game", {"csv_columns"}),
    ):
        names = {f.name for f in dataclasses.fields(cls)} - given
        section = {
            k.removeprefix(prefix + ".")
            for k in keys
            if k.startswith(prefix + ".") and k.count(".") == 1
        }
        if cls is GameTexts:
            section -= {f"csv_{column}" for column in CSV_COLUMNS}
        assert section == names, prefix


SAMPLES = [
    Reason(ReasonCode.MISSING_PARTS, parts=(DatePart.DAY, DatePart.MONTH)),
    Reason(ReasonCode.MISSING_PARTS, parts=(DatePart.YEAR,)),
    *(Reason(ReasonCode.EXPECTED_QUANTITY, quantity=q) for q in Quantity),
    *(Reason(ReasonCode.WRONG_QUANTITY, quantity=q) for q in Quantity),
    *(Reason(ReasonCode.SCALE, scale=10**k) for k in (3, 6, 9)),
    Reason(ReasonCode.TOO_MANY_ITEMS, count=3),
    Reason(ReasonCode.TYPO, forms=("Kremlin", "Moscou")),
    Reason(ReasonCode.ACCENTS, forms=("Biélorussie",)),
    Reason(ReasonCode.PARTIAL_WORDS, forms=("Union européenne",)),
    Reason(ReasonCode.LIST, missing=("Iran",), extra=("Irak",)),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_code_is_said(language: str) -> None:
    done = {r.code for r in SAMPLES}
    reasons = SAMPLES + [Reason(code) for code in ReasonCode if code not in done]
    said = [catalogue(language).reason(r) for r in reasons]
    assert all(text and "{" not in text for text in said)
    assert len(set(said)) == len(said)  # no two reasons read alike


def test_counts_agree_by_each_languages_rule() -> None:
    fr, en = catalogue("fr"), catalogue("en")
    assert [fr.plural("stats.days", n) for n in (0, 1, 2)] == ["0 jour", "1 jour", "2 jours"]
    assert [en.plural("stats.days", n) for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert fr.plural("stats.days", 1500) == "1\u202f500 jours"  # French groups with a thin space
    assert en.plural("stats.days", 1500) == "1,500 days"


def test_no_hand_made_plural_is_left() -> None:
    """« élève(s) » was the hand-made plural: counted texts are plural entries now."""
    for language in LANGUAGES:
        for key, message in entries(language).items():
            assert not re.search(r"[^\W\d_]\(s\)", "".join(forms(message))), key


def test_counted_texts_of_the_front_ends_agree_with_their_count() -> None:
    assert GAME_FR.result(1, number=2, total=5, answered=3, answer="Vrai") == (
        "Question 2/5 : 1 sur 3 a trouvé. Réponse : Vrai"
    )
    assert FR.session_summary(0, answered=1) == "🏁 Fin de la session : 0 sur 1 juste."
    assert FR.session_summary(2, answered=3) == "🏁 Fin de la session : 2 sur 3 justes."
    assert EN.reminder_prompt(1) == "📚 You have 1 question to review today. Shall we?"
    assert FR.retention_line(1, mark="•", percent=80, minutes=1) == (
        "• 80 % : environ 1 question par jour (~1 min)"
    )
