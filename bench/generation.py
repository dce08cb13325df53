"""Benchmark (run by hand): generator speed against spaCy's parse alone, same run, same model.

    .venv/bin/python bench/generation.py [TEXT ...] [--repeat N]

Prints words per second for the parse alone (``nlp.pipe`` over the same paragraphs) and for the
whole generator (parse + extraction + realisation + ranking + distractors), after the model is
loaded, and their ratio. Target: the generator runs at least at half the parse-only speed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT = [
    ROOT / "questions/sources/bielorussie-relations-exterieures.txt",
    *sorted((ROOT / "tests/data/passages").glob("*.txt")),
]


def main() -> int:
    from bot.content.generator import normalise
    from bot.content.generator.pipeline import generate_deck, load_model

    parser = argparse.ArgumentParser()
    parser.add_argument("texts", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5, help="copies of the corpus per run")
    args = parser.parse_args()
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in args.texts)
    text = "\n\n".join([text] * args.repeat)
    words = len(text.split())

    started = time.perf_counter()
    nlp = load_model()
    print(f"modèle chargé en {time.perf_counter() - started:.1f} s")
    paragraphs = [b.text for b in normalise.split_blocks(text) if not b.heading]
    list(nlp.pipe(paragraphs[:5]))  # warm-up

    started = time.perf_counter()
    for _doc in nlp.pipe(paragraphs, batch_size=64):
        pass
    parse = time.perf_counter() - started

    started = time.perf_counter()
    deck = generate_deck(text, deck_id="bench", title="bench", nlp=nlp)
    whole = time.perf_counter() - started

    print(f"{words} mots, {len(deck.questions)} items")
    print(f"analyse spaCy seule : {words / parse:8.0f} mots/s")
    print(f"générateur complet : {words / whole:8.0f} mots/s")
    print(f"rapport générateur / analyse : {parse / whole:.2f} (objectif >= 0.50)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
