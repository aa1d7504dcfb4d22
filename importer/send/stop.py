"""The stop signal: asks a run to send nothing new; set from any thread.

Ctrl-C sets it from the event loop's own signal handler; the workbench's Stop button sets it
from the web server's thread while the run goes on in another. Payments already on their way
are finished either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

__all__ = ["StopSignal"]


class StopSignal:
    """A flag that can be set from any thread and awaited in any event loop."""

    def __init__(self) -> None:
        self._flag = threading.Event()
        self._lock = threading.Lock()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def set(self) -> None:
        """Ask the run to stop sending."""
        with self._lock:
            self._flag.set()
            waiters = list(self._waiters)
        for loop, event in waiters:
            # A loop that has closed meanwhile has nobody waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(event.set)

    def is_set(self) -> bool:
        return self._flag.is_set()

    async def wait(self) -> None:
        """Return once the signal is set."""
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            if self._flag.is_set():
                return
            self._waiters.append(waiter)
        try:
            await waiter[1].wait()
        finally:
            with self._lock:
                self._waiters.remove(waiter)
