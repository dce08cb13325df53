"""The question generator in a separate worker process, one job at a time.

The bot never imports spaCy: :class:`GenerationWorker` starts ``python -m
bot.workers.generation_child`` and talks to it over pipes, one JSON object per line
(protocol in :mod:`bot.workers.generation_child`). Jobs wait in a queue (their position is
known, so the teacher can be told); each runs with a time limit (``GENERATION_TIMEOUT``)
and the child's memory is capped (``GENERATION_MEMORY_MB``, ``resource.setrlimit``). A job
that runs too long, runs out of memory or kills the child fails alone: the child is
restarted for the next job. The child keeps its model loaded between jobs (warm); with
``prewarm`` it loads it as soon as the bot starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.domain.deck import Deck, Question, QuestionKind

log = logging.getLogger(__name__)

CHILD_MODULE = "bot.workers.generation_child"
#: Longest line read from the child (a big deck as JSON).
MAX_LINE = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class GenerationResult:
    key: int
    deck: Deck | None
    #: None on success; ``timeout``, ``memory``, ``crash`` or ``failed``.
    error: str | None = None
    message: str | None = None
    seconds: float = 0.0
    #: The model had to be loaded for this job (the worker was cold).
    cold: bool = False


ProgressCallback = Callable[[int, int], Awaitable[None]]
DoneCallback = Callable[[GenerationResult], Awaitable[None]]
#: Called when the job's turn comes; False skips it (another instance took it).
StartCallback = Callable[[], Awaitable[bool]]


@dataclass(slots=True)
class GenerationJob:
    key: int  # the draft's id
    text: str
    deck_id: str
    title: str
    on_done: DoneCallback
    on_progress: ProgressCallback | None = None
    on_start: StartCallback | None = None
    submitted: float = field(default_factory=time.monotonic)


def deck_from_json(slug: str, title: str, questions: Sequence[dict[str, Any]]) -> Deck:
    return Deck(
        slug=slug,
        title=title,
        language="fr",
        questions=tuple(
            Question(
                key=str(q["key"]),
                kind=QuestionKind(q["kind"]),
                prompt=str(q["prompt"]),
                answer=str(q["answer"]),
                accept=tuple(q.get("accept") or ()),
                distractors=tuple(q.get("distractors") or ()),
                explanation=q.get("explanation"),
                source=q.get("source"),
                tags=tuple(q.get("tags") or ()),
                confidence=q.get("confidence"),
            )
            for q in questions
        ),
    )


class GenerationWorker:
    """One child process and a queue of jobs (asyncio; call from the bot's event loop)."""

    def __init__(
        self,
        *,
        timeout: float,
        memory_mb: int,
        command: Sequence[str] | None = None,
    ) -> None:
        self._timeout = timeout
        self._memory_mb = memory_mb
        self._command = list(command or (sys.executable, "-m", CHILD_MODULE))
        self._queue: deque[GenerationJob] = deque()
        self._wake = asyncio.Event()
        self._running: GenerationJob | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False

    # --- what the bot sees ----------------------------------------------------------------

    @property
    def child_pid(self) -> int | None:
        """The child's process id while it runs (tests kill it)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.returncode is None else None

    def ahead(self) -> int:
        """How many jobs a job submitted now would wait for."""
        return len(self._queue) + (1 if self._running is not None else 0)

    def submit(self, job: GenerationJob) -> int:
        """Queue ``job``; returns how many jobs are ahead of it (0: it starts now)."""
        ahead = len(self._queue) + (1 if self._running is not None else 0)
        self._queue.append(job)
        self._ensure_loop()
        self._wake.set()
        return ahead

    def position(self, key: int) -> int | None:
        """Jobs ahead of the job ``key`` (0: running), None if it is not here."""
        if self._running is not None and self._running.key == key:
            return 0
        for index, job in enumerate(self._queue):
            if job.key == key:
                return index + (1 if self._running is not None else 0)
        return None

    async def prewarm(self) -> None:
        """Start the child and load the model now (in the background)."""
        self._ensure_loop()
        if self.child_pid is not None:
            return
        try:
            await self._spawn()
            await self._send({"op": "warm"})  # its « ready » is read by the first job
        except OSError:
            log.exception("generation worker: prewarm failed")

    async def stop(self) -> None:
        """Stop the loop and the child (queued jobs are left: their drafts stay queued)."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._loop_task
        await self._kill()

    # --- the loop -------------------------------------------------------------------------

    def _ensure_loop(self) -> None:
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        while not self._stopping:
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
                continue
            job = self._queue.popleft()
            self._running = job
            try:
                if job.on_start is not None and not await job.on_start():
                    continue
                result = await self._run(job)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # never lose the loop to one job
                log.exception("generation job %s failed in the parent", job.key)
                result = GenerationResult(job.key, None, "crash", str(exc)[:300])
                await self._kill()
            finally:
                self._running = None
            try:
                await job.on_done(result)
            except Exception:
                log.exception("generation job %s: the result could not be handled", job.key)

    async def _run(self, job: GenerationJob) -> GenerationResult:
        started = time.monotonic()
        if self.child_pid is None:
            await self._spawn()
        await self._send(
            {
                "op": "generate",
                "id": job.key,
                "text": job.text,
                "deck_id": job.deck_id,
                "title": job.title,
            }
        )
        deadline = started + self._timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                await self._kill()
                return GenerationResult(job.key, None, "timeout", seconds=self._timeout)
            try:
                message = await asyncio.wait_for(self._read(), remaining)
            except TimeoutError:
                await self._kill()
                return GenerationResult(job.key, None, "timeout", seconds=self._timeout)
            seconds = time.monotonic() - started
            if message is None:  # the child is gone (killed, out of memory, crashed)
                code = await self._reap()
                reason = "memory" if code == 3 else "crash"
                return GenerationResult(job.key, None, reason, f"exit {code}", seconds)
            event = message.get("event")
            if event == "ready":  # a prewarm finished
                continue
            if event == "progress" and message.get("id") == job.key:
                if job.on_progress is not None:
                    try:
                        await job.on_progress(int(message["done"]), int(message["total"]))
                    except Exception:
                        log.exception("generation job %s: progress not shown", job.key)
            elif event == "result" and message.get("id") == job.key:
                deck = deck_from_json(job.deck_id, job.title, message.get("questions") or [])
                cold = bool(message.get("cold"))
                return GenerationResult(job.key, deck, seconds=seconds, cold=cold)
            elif event == "error" and message.get("id") == job.key:
                reason = str(message.get("reason") or "failed")
                if reason == "memory":
                    await self._kill()
                return GenerationResult(job.key, None, reason, message.get("message"), seconds)

    # --- the child ------------------------------------------------------------------------

    async def _spawn(self) -> None:
        await self._kill()
        env = dict(os.environ)
        env["GENERATION_MEMORY_MB"] = str(self._memory_mb)
        self._proc = await asyncio.create_subprocess_exec(
            *self._command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=None,  # the child's warnings go to the bot's log output
            env=env,
            limit=MAX_LINE,
        )
        log.info("generation worker started (pid %s)", self._proc.pid)

    async def _send(self, message: dict[str, Any]) -> None:
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        proc.stdin.write((json.dumps(message, ensure_ascii=False) + "\n").encode())
        await proc.stdin.drain()

    async def _read(self) -> dict[str, Any] | None:
        proc = self._proc
        if proc is None or proc.stdout is None:
            return None
        try:
            line = await proc.stdout.readline()
        except (ValueError, asyncio.LimitOverrunError):
            return None
        if not line:
            return None
        try:
            found = json.loads(line)
        except json.JSONDecodeError:
            return {}
        return found if isinstance(found, dict) else {}

    async def _reap(self) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        with contextlib.suppress(TimeoutError):
            return await asyncio.wait_for(proc.wait(), 5)
        proc.kill()
        return await proc.wait()

    async def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(proc.wait(), 5)
