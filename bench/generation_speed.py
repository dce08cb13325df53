"""Benchmark (run by hand): seconds to generate a deck from each ~400-word corpus text.

    .venv/bin/python bench/generation_speed.py [--repeat N]

Model loading is timed apart. For each text of ``tests/data/corpus/texts`` the whole generator
(parse, extraction, enrichment, true/false, checks with a second parse of every prompt,
ranking) runs ``N`` times after a warm-up; the median is printed next to spaCy's parse of the
same text alone (baseline measured in the same run) and their ratio. Target: under 2 s per
400-word text once the model is loaded.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TEXTS = sorted((ROOT / "tests/data/corpus/texts").glob("*.txt"))


def main() -> int:
    from bot.content.generator import normalise
    from bot.content.generator.pipeline import generate_deck, load_model

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    nlp = load_model()
    print(f"modèle chargé en {time.perf_counter() - started:.1f} s")
    generate_deck(TEXTS[0].read_text(encoding="utf-8"), deck_id="w", title="w", nlp=nlp)
    worst = 0.0
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        paragraphs = [b.text for b in normalise.split_blocks(text) if not b.heading]
        parse, whole = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            list(nlp.pipe(paragraphs))
            parse.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            deck = generate_deck(text, deck_id="b", title="b", nlp=nlp)
            whole.append(time.perf_counter() - t0)
        p, w = statistics.median(parse), statistics.median(whole)
        worst = max(worst, w)
        print(
            f"{path.stem:28} {len(text.split()):4} mots  {len(deck.questions):3} items  "
            f"analyse seule {p:5.2f} s  générateur {w:5.2f} s  rapport {w / p:4.1f}"
        )
    print(f"pire texte : {worst:.2f} s (objectif < 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
