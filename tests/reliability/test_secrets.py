"""The bot token and the database password never reach the logs or a message.

``python -m bot run`` at debug level, with a recognisable token and a PostgreSQL URL whose
password has characters that URL-encoding changes (``@``, ``!``), goes through Telegram
failures (a 5xx, a 400 logged with its traceback, a 403), dropped database connections and a
wrong token at start-up (PTB puts the token in that error's message); then everything
the processes wrote is searched for the secrets, as written and URL-encoded.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from tests.conftest import PG_ADMIN_URL
from tests.reliability.scenarios import settle
from tests.reliability.support import ROOT, BotProcess, FaultyTelegram, bot_env
from tests.tg.decks import BELARUS
from tests.tg.harness import buttons

PASSWORD = f"pw-{uuid.uuid4().hex[:8]}-S3cr3t@!"


@pytest.fixture
def pg_url_with_password(pg_schema_url: str) -> Iterator[str]:
    """The test schema, reached as a role that has a password (trust auth: not checked, but
    it is in the URL the bot is given)."""
    role = f"quizbot_leak_{uuid.uuid4().hex[:8]}"
    schema = make_url(pg_schema_url).query["options"]
    schema = str(schema).removeprefix("-csearch_path=")
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'"))
        conn.execute(text(f'GRANT ALL ON SCHEMA "{schema}" TO {role}'))
    base = make_url(pg_schema_url)
    url = URL.create(
        base.drivername,
        username=role,
        password=PASSWORD,
        host=base.host,
        port=base.port,
        database=base.database,
        query={**base.query, "application_name": role},
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid, 2000) FROM pg_stat_activity "
                    "WHERE usename = :role"
                ),
                {"role": role},
            )
            conn.execute(text(f"REASSIGN OWNED BY {role} TO postgres"))
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def sqlite(folder: Path) -> str:
    return f"sqlite:///{folder / 'other.sqlite3'}"


async def refused_start(env: dict[str, str], cwd: Path) -> str:
    """``quizbot run`` with a token Telegram refuses: it stops at once; what it wrote."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=cwd,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1, output.decode()
    return output.decode()


def forms(secret: str) -> set[str]:
    return {secret, quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret)}


@pytest.mark.postgres
async def test_no_secret_in_any_log(tmp_path: Path, pg_url_with_password: str) -> None:
    assert "%40" in pg_url_with_password  # the password is URL-encoded in the URL
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "deck.yaml").write_text(BELARUS, encoding="utf-8")
    token = f"987654321:LEAK-{uuid.uuid4().hex}"
    application_name = str(make_url(pg_url_with_password).query["application_name"])
    wrong_token = "111111111:WRONG-" + uuid.uuid4().hex
    async with FaultyTelegram(token) as tg:
        env = bot_env(tg, pg_url_with_password, questions, LOG_LEVEL="DEBUG", AUTO_MIGRATE="true")
        # Meanwhile, a token Telegram refuses: PTB's error says "The token `…` was rejected".
        refused = asyncio.create_task(
            refused_start(
                {**env, "TELEGRAM_BOT_TOKEN": wrong_token, "DATABASE_URL": sqlite(tmp_path)},
                tmp_path,
            )
        )
        async with BotProcess(env, tmp_path, tmp_path / "bot.log") as bot:
            await bot.start(tg)
            student, other = tg.user(4242, "Léa"), tg.user(4343, "Tom")
            student.send_command("/quiz")
            question = await student.wait_for_message("principal allié", timeout=10)

            tg.fail_next("sendMessage", 502, chat_id=student.chat_id)  # retried once
            student.send_command("/aide")
            await student.wait_for_message("Voici ce que je sais faire", timeout=10)
            # Below the help, the question again (with its buttons, the older copy without).
            question = await student.wait_for_message("🔁 Ta question en cours", timeout=10)
            # A 400 is a bug of ours: logged with its traceback (the request had the token).
            tg.fail_next("sendMessage", 400, chat_id=student.chat_id, description="Bad Request: x")
            student.send_command("/aide")
            await student.wait_for_message("Oups", timeout=10)
            tg.block(other.chat_id)
            other.send_command("/quiz")  # 403
            await settle(tg, quiet=0.3)

            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid, 2000) FROM pg_stat_activity "
                        "WHERE application_name = :name"
                    ),
                    {"name": application_name},
                )
            admin.dispose()
            student.press(question, buttons(question)["la Russie"])  # reconnects
            await student.wait_for_message("membre de l'OTAN", timeout=10)

            assert await bot.terminate() == 0
        refused_log = await refused

    assert "rejected" in refused_log, refused_log[-2000:]
    logs = bot.output() + refused_log
    assert "DEBUG" in logs and "Traceback" in logs and "Forbidden" in logs  # faults did happen
    for secret in (token, wrong_token, PASSWORD):
        for form in forms(secret):
            assert form not in logs, f"{form!r} is in the logs"
    # Telegram never saw them in a message either.
    for call in tg.sent:
        body = str(call.params)
        assert token not in body and PASSWORD not in body


RAW_AT_PASSWORDS = ["Pw7-gr@nd-Secret", "p@ss/w0rd@Kl3f", "tr1@p:le@s?ecret"]


@pytest.mark.parametrize("password", RAW_AT_PASSWORDS)
@pytest.mark.parametrize("scheme", ["postgresql", "postgresql+psycopg"])
async def test_a_password_with_a_raw_at_sign_is_never_printed(
    tmp_path: Path, password: str, scheme: str
) -> None:
    # Written raw, not URL-encoded: the URL parser used to end the password at its first '@'
    # and take the rest for the host name, which the connection error then printed.
    url = f"{scheme}://quizbot:{password}@127.0.0.1:1/quizbot"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LOG_LEVEL": "DEBUG",
        "TELEGRAM_BOT_TOKEN": "",
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output = (await asyncio.wait_for(process.communicate(), 60))[0].decode()

    assert process.returncode != 0 and "127.0.0.1" in output, output  # it did try, and failed
    pieces = {p for p in password.replace("/", "@").replace(":", "@").split("@") if len(p) >= 4}
    for secret in (password, *pieces):
        for form in forms(secret):
            assert form not in output, f"{form!r} is in:\n{output}"


@pytest.mark.parametrize("password", RAW_AT_PASSWORDS)
def test_a_raw_at_sign_in_the_password_is_read_as_part_of_it(password: str) -> None:
    from bot.config import Settings

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"postgresql://quizbot:{password}@db.example:5433/quizbot?sslmode=require",
    )
    url = make_url(settings.database_url)
    assert (url.username, url.password, url.host, url.port) == (
        "quizbot", password, "db.example", 5433
    )  # fmt: skip
    assert (url.database, dict(url.query)) == ("quizbot", {"sslmode": "require"})


async def test_the_webhook_secret_is_redacted_at_debug(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "deck.yaml").write_text(BELARUS, encoding="utf-8")
    secret = f"whs-{uuid.uuid4().hex}"
    async with FaultyTelegram() as tg:
        env = bot_env(
            tg,
            sqlite(tmp_path),
            questions,
            LOG_LEVEL="DEBUG",
            AUTO_MIGRATE="true",
            WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=secret,
        )
        log_path = tmp_path / "bot.log"
        log = log_path.open("ab")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook",
            cwd=tmp_path, env={**os.environ, **env}, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            student = tg.user(4242, "Léa")
            for _ in range(600):
                if tg.calls("setWebhook", ok=True):
                    break
                await asyncio.sleep(0.05)
            student.send_command("/quiz")
            await student.wait_for_message("principal allié", timeout=20)
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)
            log.close()
    assert tg.calls("setWebhook", ok=True)[-1].params["secret_token"] == secret
    logs = log_path.read_text(encoding="utf-8")
    assert "setWebhook" in logs and "DEBUG" in logs, logs[-3000:]
    for form in forms(secret):
        assert form not in logs, f"{form!r} is in the logs"
