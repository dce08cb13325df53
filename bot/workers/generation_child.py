"""The generation worker's child process: ``python -m bot.workers.generation_child``.

Reads one JSON request per line on stdin, answers JSON lines on its own copy of stdout
(whatever libraries print goes to stderr). Memory is capped with ``resource.setrlimit``
before the model is loaded; the model stays loaded between jobs (a warm worker).

Requests: ``{"op": "warm"}`` (load the model), ``{"op": "generate", "id", "text", "deck_id",
"title"}``. Answers: ``{"event": "ready"}``, ``{"event": "progress", "id", "done", "total"}``,
``{"event": "result", "id", "questions": [...]}``, ``{"event": "error", "id", "reason",
"message"}`` (``reason``: ``memory`` or ``failed``; after ``memory`` the child exits).
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
import time
from typing import IO, Any


def limit_memory(megabytes: int) -> None:
    """Cap the address space of this process (0: no cap)."""
    if megabytes <= 0:
        return
    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _send(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=False) + "\n")
    out.flush()


def _generate(request: dict[str, Any], out: IO[str]) -> dict[str, Any]:
    # The generator's public entry point; spaCy is imported here, in this process only.
    from bot.content.generator.pipeline import generate_deck, load_model

    cold = load_model.cache_info().currsize == 0
    job_id = request["id"]
    text = str(request["text"])
    total = max(1, len(text.split()))
    done = 0
    last = 0.0

    def progress(words: int) -> None:
        nonlocal done, last
        done += words
        now = time.monotonic()
        if now - last >= 0.5:
            last = now
            _send(out, {"event": "progress", "id": job_id, "done": done, "total": total})

    deck = generate_deck(
        text,
        deck_id=str(request["deck_id"]),
        title=str(request["title"]),
        nlp=load_model(),
        progress=progress,
    )
    questions = [
        {k: v for k, v in dataclasses.asdict(q).items() if k != "line"} for q in deck.questions
    ]
    return {"event": "result", "id": job_id, "questions": questions, "cold": cold}


def main() -> int:
    # The protocol gets the real stdout; anything printed by a library goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    limit_memory(int(os.environ.get("GENERATION_MEMORY_MB", "0") or 0))
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") == "warm":
            from bot.content.generator.pipeline import load_model

            load_model()
            _send(out, {"event": "ready"})
            continue
        try:
            _send(out, _generate(request, out))
        except MemoryError:
            _send(out, {"event": "error", "id": request.get("id"), "reason": "memory"})
            return 3
        except Exception as exc:  # reported to the bot, the worker goes on
            message = f"{type(exc).__name__}: {exc}"[:300]
            if "memory" in message.lower():  # numpy/thinc past the cap: a fresh child next
                _send(
                    out,
                    {
                        "event": "error",
                        "id": request.get("id"),
                        "reason": "memory",
                        "message": message,
                    },
                )
                return 3
            _send(
                out,
                {
                    "event": "error",
                    "id": request.get("id"),
                    "reason": "failed",
                    "message": message,
                },
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
