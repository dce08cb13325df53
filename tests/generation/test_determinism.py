"""The same text gives the same deck in every process: no choice rests on the order of a set
of strings, which Python's hash seed changes from one run to the next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Two years of the text as near to the answer, one before and one after: the tie is broken
# in time order, not in the order a set of strings happens to iterate in.
SCRIPT = """
from bot.content.generator.distractors import choose
from bot.content.generator.model import AnswerType, Candidate, Draft

def year(y, i):
    return Candidate(AnswerType.YEAR, str(y), str(y), 0, 1, str(y), i)

pool = [year(y, i) for i, y in enumerate((1830, 1835, 1840, 1845, 1850))]
draft = Draft(False, "En quelle année X paraît-il ?", "1840", AnswerType.YEAR, "", 3,
              "1840", 0.5)
print(choose(draft, pool[2], pool))
"""


def options_under(seed: int) -> str:
    env = dict(os.environ, PYTHONHASHSEED=str(seed), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_date_options_do_not_depend_on_the_hash_seed() -> None:
    seen = {options_under(seed) for seed in range(8)}
    assert seen == {"('1830', '1835', '1845')"}
