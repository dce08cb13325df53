"""Start-up cost of the schema check `quizbot run` does before it starts (`bot.cli._engine`).

Each run is a fresh interpreter on an up-to-date SQLite file (migrated once, here), timed from
outside (wall clock, process start to exit); the variants are interleaved:

* ``import bot.cli``: the interpreter and the CLI module, the floor of every command;
* ``+ _engine``: the same, then ``bot.cli._engine`` on the file (engine, schema check), which
  is what `quizbot run` does before importing the bot;
* ``+ engine, Alembic's check``: the same engine, checked as it was before (Alembic's
  ``ScriptDirectory`` and ``MigrationContext``), for comparison in the same run;
* both again followed by ``import bot.tg.app``, the rest of what `quizbot run` imports before
  its first ``getUpdates`` (python-telegram-bot, httpx and rich with pygments, the
  PostgreSQL dialect: part of what Alembic loaded is loaded there anyway);
* whether ``alembic`` ended up in ``sys.modules`` (it should only be imported to migrate).

    .venv/bin/python bench/startup_schema_check.py            # 5 runs of each, medians
    .venv/bin/python bench/startup_schema_check.py --runs 11
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

IMPORT_ONLY = "import bot.cli"
SCHEMA_CHECK = """
import sys
from bot.cli import _engine
from bot.config import load_settings
with _engine(load_settings(database_url=sys.argv[1])) as engine:
    pass
print('alembic' in sys.modules)
"""
# The check as it was before (item 9 of docs/performance.md): Alembic's script directory and
# migration context, on the same engine, for an A/B in the same run.
ALEMBIC_CHECK = """
import sys
import bot.cli
from bot.config import load_settings
from bot.db.engine import make_engine
from bot.db.migrations import alembic_config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
engine = make_engine(load_settings(database_url=sys.argv[1]).database_url)
head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
with engine.connect() as conn:
    assert MigrationContext.configure(conn).get_current_revision() == head
engine.dispose()
print('alembic' in sys.modules)
"""


def run(code: str, url: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, url], cwd=ROOT, capture_output=True, text=True, check=True
    )
    lines = done.stdout.strip().splitlines()
    return time.perf_counter() - start, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from bot.db import migrations
    from bot.db.engine import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        engine = make_engine(url)
        migrations.upgrade(engine)
        engine.dispose()
        then_app = "\nimport bot.tg.app\nprint('alembic' in sys.modules)\n"
        variants = {
            "import bot.cli": IMPORT_ONLY,
            "+ _engine (schema check)": SCHEMA_CHECK,
            "+ engine, Alembic's check (before)": ALEMBIC_CHECK,
            "+ _engine, then import bot.tg.app": SCHEMA_CHECK + then_app,
            "+ Alembic's check, then import bot.tg.app (before)": ALEMBIC_CHECK + then_app,
        }
        for code in variants.values():
            run(code, url)  # warm the OS cache and the .pyc files
        times: dict[str, list[float]] = {name: [] for name in variants}
        outputs: dict[str, set[str]] = {name: set() for name in variants}
        for _ in range(args.runs):  # interleaved, so that the machine's load hits all alike
            for name, code in variants.items():
                seconds, out = run(code, url)
                times[name].append(seconds)
                outputs[name].add(out)
        rows = [(name, times[name], outputs[name]) for name in variants]
    print(f"| {args.runs} fresh interpreters each | median s | min s | max s | alembic imported |")
    print("|---|---|---|---|---|")
    for name, times, outputs in rows:
        imported = ", ".join(sorted(o for o in outputs if o)) or "–"
        print(
            f"| {name} | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} "
            f"| {imported} |"
        )
    floor = statistics.median(rows[0][1])
    for name, times, _ in rows[1:]:
        print(
            f"\n{name}, above `import bot.cli`: {statistics.median(times) - floor:.3f} s", end=""
        )
    print()


if __name__ == "__main__":
    main()
