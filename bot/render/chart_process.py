"""The progress chart drawn in a child process, so the bot never loads matplotlib.

matplotlib, numpy and Pillow take a process from ~110 MB to ~200 MB, and a chart holds the GIL
for most of its ~0.5–0.8 s of CPU: drawn in the bot, one /stats stalls every other student.
:class:`ChartRenderer` sends :func:`bot.render.chart.render_chart` to one child process
(``spawn``: a fresh interpreter, nothing inherited from the bot), started on the first chart
and awaited without blocking the event loop. This module imports none of the three.

* One chart at a time: a /stats waits its turn (``timeout`` at most, then no chart), so only
  the chart being drawn is in the child's queue.
* The child is replaced after ``max_tasks_per_child`` charts (its memory is given back). This
  is counted here rather than with ``ProcessPoolExecutor(max_tasks_per_child=…)``, whose
  replacement of a retired worker can deadlock the pool on Python 3.11–3.13
  (CPython gh-115634).
* The child exits by itself when the bot dies without stopping it (``kill -9``).
* A child that dies (``BrokenProcessPool``), a chart that takes longer than ``timeout`` (the
  child is killed) or fails: :meth:`ChartRenderer.render` returns None and logs it, the
  caller sends the figures without the chart, and the next chart starts a fresh child.

:data:`RENDERER` is the bot's renderer; :func:`shutdown_renderer` stops its child (also run at
interpreter exit).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.domain.stats import StudentStats
from bot.render.chart import render_chart

log = logging.getLogger(__name__)

#: Seconds a /stats waits for its chart (its turn, then the drawing) before going without it.
CHART_TIMEOUT = 30.0
#: Charts drawn by one child before it is replaced by a fresh one.
MAX_TASKS_PER_CHILD = 200

RenderFunc = Callable[[StudentStats, str], bytes]
#: How often the child checks that the bot is still its parent.
PARENT_CHECK_SECONDS = 1.0


def _exit_with_parent(parent: int) -> None:
    """In the child: exit once the bot is gone (killed with SIGKILL, it cannot stop us)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


class ChartRenderer:
    """Draws charts in one child process; never raises for a failed chart (None instead).

    ``render`` must be a picklable top-level function (the child imports its module). All
    methods but :meth:`shutdown` are called from the event loop's thread.
    """

    def __init__(
        self,
        render: RenderFunc = render_chart,
        *,
        timeout: float = CHART_TIMEOUT,
        max_tasks_per_child: int = MAX_TASKS_PER_CHILD,
        start_method: str = "spawn",
    ) -> None:
        self._render = render
        self.timeout = timeout
        self.max_tasks_per_child = max_tasks_per_child
        self._context = multiprocessing.get_context(start_method)
        self._executor: ProcessPoolExecutor | None = None
        self._tasks = 0  # charts given to the current child
        self._turn: asyncio.Lock | None = None
        self._turn_loop: asyncio.AbstractEventLoop | None = None

    @property
    def child_pids(self) -> list[int]:
        """The running child's pid (empty before the first chart and after a shutdown)."""
        executor = self._executor
        processes = getattr(executor, "_processes", None) or {}
        return [pid for pid, process in processes.items() if process.is_alive()]

    async def render(self, stats: StudentStats, language: str) -> bytes | None:
        """The chart as PNG bytes, or None when it could not be drawn this time."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout  # waiting for the turn and drawing, together
        turn = self._lock()
        try:
            async with asyncio.timeout_at(deadline):
                await turn.acquire()
        except TimeoutError:
            log.warning("chart skipped: other charts ahead for %.0f s", self.timeout)
            return None
        try:
            return await self._draw(stats, language, max(deadline, loop.time() + 0.1))
        finally:
            turn.release()

    async def _draw(self, stats: StudentStats, language: str, deadline: float) -> bytes | None:
        """Draw in the child before ``deadline`` (the event loop's clock), else kill it."""
        executor = self._child()
        children: list[multiprocessing.process.BaseProcess] = []
        try:
            async with asyncio.timeout_at(deadline):
                drawn = asyncio.get_running_loop().run_in_executor(
                    executor, self._render, stats, language
                )
                # The child exists once submitted; shutdown() forgets it, a timeout kills it.
                children = list((getattr(executor, "_processes", None) or {}).values())
                self._tasks += 1
                if self._tasks >= self.max_tasks_per_child:
                    # Its last chart: the child exits after it, the next one starts afresh.
                    self._executor, self._tasks = None, 0
                    executor.shutdown(wait=False)
                return await drawn
        except TimeoutError:
            log.warning("chart not drawn in %.0f s: child process killed", self.timeout)
            for child in children:
                child.kill()
            self._discard(executor)
        except BrokenProcessPool:
            log.warning("chart not drawn: the child process died; a new one starts next time")
            self._discard(executor)
        except Exception:
            log.exception("chart not drawn")
        return None

    def _lock(self) -> asyncio.Lock:
        # One lock per event loop (tests run one loop per test; the bot has one).
        loop = asyncio.get_running_loop()
        if self._turn is None or self._turn_loop is not loop:
            self._turn, self._turn_loop = asyncio.Lock(), loop
        return self._turn

    def _child(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=self._context,
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
            self._tasks = 0
        return self._executor

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        if self._executor is executor:
            self._executor, self._tasks = None, 0
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop the child (after the chart it is drawing, if any); the next chart restarts one."""
        executor, self._executor, self._tasks = self._executor, None, 0
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)

    async def aclose(self) -> None:
        """:meth:`shutdown` without blocking the event loop."""
        await asyncio.to_thread(self.shutdown)


#: The bot's renderer (the /stats handler reads this attribute at each call).
RENDERER = ChartRenderer()


def shutdown_renderer() -> None:
    """Stop the bot's chart process (at the application's shutdown; also run at exit)."""
    RENDERER.shutdown()


atexit.register(shutdown_renderer)
