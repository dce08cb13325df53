"""The generation worker: spaCy only in the child, one job at a time with queue positions,
time and memory bounds, and a crash that costs only its job."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from bot.workers.generation import GenerationJob, GenerationResult, GenerationWorker

ROOT = Path(__file__).parents[2]
TEXT = (ROOT / "tests" / "data" / "passages" / "traite-de-rome.txt").read_text(encoding="utf-8")


def _job(key: int, done: asyncio.Queue[GenerationResult], text: str = TEXT) -> GenerationJob:
    async def on_done(result: GenerationResult) -> None:
        await done.put(result)

    return GenerationJob(key, text, f"deck-{key}", "Essai", on_done)


def test_the_bot_process_never_imports_spacy() -> None:
    """In a fresh interpreter: the whole bot wiring plus one generation done by the worker,
    and still no spaCy (nor thinc) in the bot's own modules."""
    code = (
        "import asyncio, sys\n"
        "import bot.tg.app, bot.tg.handlers.drafts, bot.services.drafts\n"
        "from bot.workers.generation import GenerationJob, GenerationWorker\n"
        "async def main():\n"
        "    done = asyncio.Queue()\n"
        "    async def on_done(r): await done.put(r)\n"
        "    w = GenerationWorker(timeout=170, memory_mb=2048)\n"
        "    w.submit(GenerationJob(1, sys.argv[1], 'd', 'T', on_done))\n"
        "    result = await done.get()\n"
        "    await w.stop()\n"
        "    assert result.deck is not None and result.deck.questions, result\n"
        "asyncio.run(main())\n"
        "loaded = sorted(n for n in sys.modules if n.split('.')[0] in ('spacy', 'thinc'))\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, TEXT],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


async def test_queue_positions_time_limit_and_recovery() -> None:
    """Too short a time limit fails the job (the child is killed) and the next one has a new
    child. Positions: the first starts at once, the others wait in order. With a fair limit
    the first job loads the model (cold) and the next one finds it loaded (warm)."""
    done: asyncio.Queue[GenerationResult] = asyncio.Queue()
    worker = GenerationWorker(timeout=0.3, memory_mb=2048)
    try:
        assert worker.submit(_job(1, done)) == 0
        assert worker.submit(_job(2, done)) == 1
        assert worker.position(2) == 1 and worker.position(3) is None
        first = await asyncio.wait_for(done.get(), 30)
        assert (first.key, first.error, first.deck) == (1, "timeout", None)
        second = await asyncio.wait_for(done.get(), 30)
        assert (second.key, second.error) == (2, "timeout")
    finally:
        await worker.stop()
    assert worker.child_pid is None
    worker = GenerationWorker(timeout=170, memory_mb=2048)
    try:
        worker.submit(_job(3, done))
        third = await asyncio.wait_for(done.get(), 200)
        assert third.error is None and third.deck is not None and third.cold
        worker.submit(_job(4, done))
        fourth = await asyncio.wait_for(done.get(), 60)
        assert fourth.error is None and not fourth.cold  # the model stayed loaded
        assert fourth.seconds < third.seconds
    finally:
        await worker.stop()


async def test_memory_cap() -> None:
    """A cap too small for the model: the job fails with « memory », nothing else breaks."""
    done: asyncio.Queue[GenerationResult] = asyncio.Queue()
    worker = GenerationWorker(timeout=120, memory_mb=250)
    try:
        worker.submit(_job(1, done))
        result = await asyncio.wait_for(done.get(), 150)
        assert (result.error, result.deck) == ("memory", None)
    finally:
        await worker.stop()
