"""``python -m tests.reliability.procs.import_big DATABASE_URL FOLDER``: ``quizbot import``'s
service on a folder, printing ``WRITING`` on its first insert, then writing slowly (a disk
under load), so that a SIGKILL lands inside the import's transaction."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.db.engine import make_engine, make_session_factory
from bot.services.clock import utcnow
from bot.services.importing import ImportService


def main() -> None:
    url, folder = sys.argv[1], Path(sys.argv[2])
    engine = make_engine(url)
    written = 0

    def slow_writes(*args: Any) -> None:
        nonlocal written
        statement = str(args[2]).lstrip().upper()
        if statement.startswith(("INSERT", "UPDATE")):
            written += 1
            if written == 1:
                print("WRITING", flush=True)
            time.sleep(0.02)

    event.listen(engine, "before_cursor_execute", slow_writes)
    report = ImportService(make_session_factory(engine)).import_paths([folder], utcnow())
    print(f"DONE {report.added}", flush=True)


if __name__ == "__main__":
    main()
