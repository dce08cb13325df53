"""PostgreSQL restarted under a running bot (``pg_ctlcluster … restart``): the bot carries on
without being restarted; an answer given while the server was down is either saved by a retry
or refused with « réessaie », and saved once on the next try.

It restarts the machine's PostgreSQL server, which cuts every other session on it (another
test run, a benchmark): it runs in CI (``CI`` set: PostgreSQL tests must run there) or with
``QUIZBOT_PG_RESTART=1``, and its file name makes it the last of this folder. It leaves the
server running.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_ADMIN_URL, require_postgres
from tests.reliability.support import FaultyTelegram
from tests.reliability.test_db_faults import bot_on, first_question
from tests.tg.harness import STUDENT_ID, buttons, count_reviews

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        os.environ.get("QUIZBOT_PG_RESTART") != "1" and not os.environ.get("CI"),
        reason="restarts the PostgreSQL server; runs in CI or with QUIZBOT_PG_RESTART=1",
    ),
]


def cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"))
    return versions[-1], "main"


def pg_ctl(action: str) -> None:
    version, name = cluster()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action],
        check=True,
        capture_output=True,
        timeout=120,
    )


def server_answers() -> bool:
    engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1
    except Exception:
        return False
    finally:
        engine.dispose()


@pytest.fixture
def schema_url() -> Iterator[str]:
    """A fresh schema, dropped afterwards through a connection made after the restart (the
    shared ``pg_schema_url`` fixture's pooled one would be dead)."""
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, pool_pre_ping=True)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_ADMIN_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        if not server_answers():
            pg_ctl("start")  # whatever happened, the server is left running
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


async def test_postgres_restart_under_the_bot(
    tg: FaultyTelegram,
    schema_url: str,
    questions_dir: Path,
) -> None:
    async with bot_on(tg, schema_url, questions_dir) as (_app, _spy, db):
        student = tg.user(STUDENT_ID, "Léa")
        question = await first_question(student)
        restart = asyncio.create_task(asyncio.to_thread(pg_ctl, "restart"))
        await asyncio.sleep(0.3)  # the server is going down
        student.press(question, buttons(question)["la Russie"])
        outcome = await tg.wait_for(
            lambda: next(
                (
                    m
                    for m in student.messages()
                    if "n'a pas pu être enregistrée" in m.get("text", "")
                    or "membre de l'OTAN" in m.get("text", "")
                ),
                None,
            ),
            timeout=60,
            what="the answer saved, or the student asked to retry",
        )
        await restart
        print("during the restart:", "saved" if "OTAN" in outcome["text"] else "asked to retry")
        if "membre de l'OTAN" not in outcome["text"]:
            student.press(question, buttons(question)["la Russie"], strict=False)
            await student.wait_for_message("membre de l'OTAN", timeout=15)
        assert count_reviews(db) == 1

        # The same bot, never restarted, serves everyone on new connections.
        other = tg.user(STUDENT_ID + 1, "Tom")
        other_question = await first_question(other)
        other.press(other_question, buttons(other_question)["la Chine"])
        await other.wait_for_message("membre de l'OTAN", timeout=15)
        assert count_reviews(db) == 2
