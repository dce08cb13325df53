"""From a 400-word text sent to the bot to the first draft item shown, and the bot's memory.

The real bot (production wiring, SQLite in a temporary folder) polls the fake Bot API server of
the tests; a teacher sends ``tests/data/passages/crise-de-suez.txt`` (402 words) as a document,
and the clock runs from the moment the update is queued to the moment the bot's message shows
« question 1 sur … ». Three cases:

* **cold**: the worker starts with this text (model loaded for it);
* **warm**: a second text right after (model already loaded in the worker);
* **prewarmed**: a new bot with ``GENERATION_PREWARM=true``, the text sent once the worker
  has had time to load the model (``--prewarm-wait`` seconds).

Baseline, measured in the same run: the generator alone (``generate_deck``) in a fresh
interpreter, model loading included (cold) and with the model loaded (warm). The bot's RSS
(``/proc/self/status``) is read before the first text and after the last; spaCy must not be in
the bot's ``sys.modules``; the worker's own RSS is given apart.

    .venv/bin/python bench/draft_latency.py            # ~1 min
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TEXT_FILE = ROOT / "tests" / "data" / "passages" / "crise-de-suez.txt"
TEACHER = 9001


def rss_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def baseline() -> dict[str, float]:
    """The generator alone in a fresh interpreter: cold (model load + generation), warm."""
    code = (
        "import json, sys, time\n"
        "t0 = time.perf_counter()\n"
        "from bot.content.generator.pipeline import generate_deck, load_model\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "generate_deck(text, deck_id='a', title='A', nlp=load_model())\n"
        "t1 = time.perf_counter()\n"
        "deck = generate_deck(text, deck_id='b', title='B', nlp=load_model())\n"
        "t2 = time.perf_counter()\n"
        "print(json.dumps({'cold': t1 - t0, 'warm': t2 - t1, 'items': len(deck.questions)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(TEXT_FILE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


async def run_bot(prewarm: bool, prewarm_wait: float) -> dict[str, float]:
    from bot.services.container import build_services
    from bot.tg.app import build_application, running
    from tests.support.fake_telegram import FakeTelegram
    from tests.tg.harness import FAST, last_id, make_schema, make_settings

    text = TEXT_FILE.read_text(encoding="utf-8")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "questions"
        folder.mkdir()
        (folder / "deck.yaml").write_text(
            (ROOT / "tests" / "data" / "decks" / "valid" / "economie.yml").read_text("utf-8"),
            encoding="utf-8",
        )
        async with FakeTelegram() as tg:
            settings = make_settings(tg, f"sqlite:///{tmp}/bot.sqlite3", folder).model_copy(
                update={"max_upload_bytes": 512 * 1024, "generation_prewarm": prewarm}
            )
            engine = make_schema(settings)
            app = build_application(settings, build_services(settings, engine), tuning=FAST)
            async with running(app):
                teacher = tg.user(TEACHER, "Mme Martin", "fr")
                teacher.send_command("/aide")
                await teacher.wait_for_message("Voici ce que je sais faire")
                if prewarm:
                    await asyncio.sleep(prewarm_wait)
                figures["rss_before"] = rss_mib()
                rounds = ("prewarmed",) if prewarm else ("cold", "warm")
                for name in rounds:
                    mark = last_id(tg, teacher)
                    started = time.perf_counter()
                    teacher.send_document(f"{name}.txt", text.encode())
                    await teacher.wait_for_message("— question 1 sur", after=mark, timeout=300)
                    figures[name] = time.perf_counter() - started
                figures["rss_after"] = rss_mib()
                worker = app.bot_data.generation
                pid = worker.child_pid if worker is not None else None
                figures["worker_rss"] = rss_mib(pid) if pid else float("nan")
                figures["spacy_in_bot"] = float(
                    any(n.split(".")[0] == "spacy" for n in sys.modules)
                )
            engine.dispose()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prewarm-wait", type=float, default=25.0)
    args = parser.parse_args()
    words = len(TEXT_FILE.read_text(encoding="utf-8").split())
    # The baseline before and after the bot runs (the machine may be shared): the faster one.
    first = baseline()
    plain = asyncio.run(run_bot(False, 0))
    warmed = asyncio.run(run_bot(True, args.prewarm_wait))
    second = baseline()
    base = {key: min(first[key], second[key]) for key in first}
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[0]
    print(
        f"Text: {TEXT_FILE.name}, {words} words; generator alone: {int(base['items'])} items; "
        f"load average at the end: {load}."
    )
    print()
    print("| case | first item shown (s) | generator alone (s) | ratio |")
    print("|---|---|---|---|")
    for name, alone in (("cold", base["cold"]), ("warm", base["warm"])):
        print(f"| {name} | {plain[name]:.2f} | {alone:.2f} | {plain[name] / alone:.2f} |")
    print(
        f"| prewarmed ({args.prewarm_wait:.0f} s after start) | {warmed['prewarmed']:.2f} "
        f"| {base['warm']:.2f} | {warmed['prewarmed'] / base['warm']:.2f} |"
    )
    print()
    print(
        "| bot process | RSS before (MiB) | RSS after (MiB) | ratio | worker RSS (MiB) "
        "| spaCy in the bot |"
    )
    print("|---|---|---|---|---|---|")
    for name, f in (("cold + warm", plain), ("prewarmed", warmed)):
        print(
            f"| {name} | {f['rss_before']:.0f} | {f['rss_after']:.0f} "
            f"| {f['rss_after'] / f['rss_before']:.2f} | {f['worker_rss']:.0f} "
            f"| {'yes' if f['spacy_in_bot'] else 'no'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
