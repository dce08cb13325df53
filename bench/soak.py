"""Soak (run by hand): processes killed again and again, nothing acknowledged may be lost.

    .venv/bin/python bench/soak.py [--scenario updates|answers|import|reminders|pg-restart|all]
        [--engines sqlite,postgresql] [--rounds 3] [--students 30] [--kills 10] [--seed N]

The long versions of the scenarios of ``tests/reliability/test_kill_restart.py`` (see
``tests/reliability/scenarios.py``), each ``--rounds`` times with a new seed:

* ``updates``: every update counted. ``--students`` students each send one update (a press on
  the question on screen, else ``/quiz``), wait until the bot has handled it and Telegram
  forgot it (confirmed), think 1–1.6 s, send the next; the bot SIGKILLed ``--kills`` times and
  started again. Every call to a student's chat between two of its updates is the effect of
  the first (a re-delivery after a crash falls in the same slice). Checked per update: lost
  (no reply to a /quiz; no review or no answerCallbackQuery for a press), doubled (two
  questions or the same text twice for one update, two reviews for one press), never
  confirmed; also counted: updates served to two processes, presses visibly handled twice
  with the same effect (two answerCallbackQuery or two verdict edits);
* ``answers``: ``python -m bot run`` against the fake Bot API, ``--students`` students
  answering buttons at a person's pace, the bot SIGKILLed ``--kills`` times at random points
  and started again; then Telegram re-delivers every press the bot never confirmed. Checked:
  every answer whose verdict Telegram accepted is in the database exactly once, no review of
  a press nobody made, no answer counted twice, no traceback in the bot's log;
* ``import``: an import of a big folder SIGKILLed inside its transaction (random delay); the
  database must be unchanged, and the same import run to its end must go in;
* ``reminders``: a daily-prompt run for ``--students`` students SIGKILLed after a random number
  of sends, then the next run after the lease; nobody may be skipped, and a second prompt is
  allowed only inside the documented window (Telegram had the prompt, the row was not yet
  marked sent);
* ``pg-restart`` (PostgreSQL only): the ``answers`` scenario where the fault is a restart of
  the PostgreSQL server (``pg_ctlcluster … restart``) instead of a SIGKILL of the bot. It cuts
  every other session on the server: do not run it while others use it. It leaves the server
  running.

Exit status 1 if any check failed. Prints one line per round.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._common import log, pg_schema, pg_url  # noqa: E402
from tests.reliability.scenarios import (  # noqa: E402
    answers_soak,
    import_soak,
    reminders_soak,
    sigkill,
    updates_soak,
)
from tests.reliability.support import BotProcess, FaultyTelegram  # noqa: E402
from tests.reliability.test_zz_pg_restart import pg_ctl, server_answers  # noqa: E402


@contextlib.contextmanager
def database(engine: str, workdir: Path, name: str) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{workdir / (name + '.sqlite3')}"
        return
    with pg_schema(f"soak_{name}") as schema:
        yield pg_url(schema)


async def restart_postgres(bot: BotProcess, tg: FaultyTelegram, rng: random.Random) -> None:
    """The fault of ``pg-restart``: the server goes down and comes back; the bot stays up."""
    await asyncio.to_thread(pg_ctl, "restart")


async def run(args: argparse.Namespace) -> int:
    failures = 0
    seeds = random.Random(args.seed)
    every = ["updates", "answers", "import", "reminders"]
    scenarios = every if args.scenario == "all" else [args.scenario]
    for scenario in scenarios:
        engines = ["postgresql"] if scenario == "pg-restart" else args.engines
        for engine in engines:
            for round_ in range(1, args.rounds + 1):
                seed = seeds.randrange(10**6)
                with (
                    tempfile.TemporaryDirectory() as tmp,
                    database(engine, Path(tmp), scenario) as url,
                ):
                    workdir = Path(tmp)
                    if scenario == "updates":
                        counted = await updates_soak(
                            workdir,
                            url,
                            students=args.students,
                            kills=args.kills,
                            seed=seed,
                        )
                        ok = counted.ok
                        line = counted.describe()
                    elif scenario in ("answers", "pg-restart"):
                        pg = scenario == "pg-restart"
                        report = await answers_soak(
                            workdir,
                            url,
                            students=args.students,
                            kills=args.kills,
                            seed=seed,
                            up_for=(2.0, 6.0) if pg else (1.0, 4.0),
                            fault=restart_postgres if pg else sigkill,
                        )
                        ok = not (report.lost or report.counted_twice or report.unknown_keys)
                        ok = ok and report.tracebacks == 0 and report.exit_code == 0
                        line = report.describe()
                        if pg and not server_answers():
                            pg_ctl("start")
                            ok = False
                    elif scenario == "import":
                        imported = await import_soak(
                            workdir, url, files=30, per_file=60, seed=seed
                        )
                        ok = imported.unchanged and imported.then_imported == 1800
                        line = (
                            f"seed {seed}: killed {imported.killed_after:.2f} s into the"
                            f" transaction; unchanged {imported.unchanged}; then"
                            f" {imported.then_imported} imported"
                        )
                    else:
                        reminders = await reminders_soak(
                            workdir, url, students=args.students, seed=seed
                        )
                        ok = (
                            not reminders.never_prompted
                            and reminders.prompted_twice == reminders.window
                            and reminders.statuses == {"sent": args.students}
                        )
                        line = reminders.describe()
                failures += not ok
                log(f"{'ok  ' if ok else 'FAIL'} {scenario:10} {engine:10} round {round_}: {line}")
    log(f"{failures} failed round(s)")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--scenario",
        default="all",
        choices=["updates", "answers", "import", "reminders", "pg-restart", "all"],
    )
    parser.add_argument("--engines", default="sqlite,postgresql", type=lambda v: v.split(","))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
