"""Serving the sandbox with uvicorn: in a background thread for tests, or blocking for the CLI."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from importer.sandbox.app import DEFAULT_TOKEN, ConnectionDropped, Sandbox
from importer.sandbox.state import Seed

__all__ = ["RunningSandbox", "running_sandbox", "serve"]

_START_TIMEOUT_SECONDS = 10.0
_STOP_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class RunningSandbox:
    """A sandbox that is serving: where to reach it and what it holds."""

    url: str
    sandbox: Sandbox
    location_id: str
    token: str


class _HideDeliberateDrops(logging.Filter):
    # A drop fault works by failing mid-answer; uvicorn logs that as an application error,
    # which would be noise, since the sandbox meant it.
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


_DROP_FILTER = _HideDeliberateDrops()


class _PromptServer(uvicorn.Server):
    """uvicorn's server, looking for a stop request every 10 ms rather than every 100 ms."""

    # Tests start and stop a sandbox each; uvicorn's 100 ms tick would dominate their runtime.
    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            await asyncio.sleep(0.01)


def _quiet_config(sandbox: Sandbox, **options: Any) -> uvicorn.Config:
    logging.getLogger("uvicorn.error").addFilter(_DROP_FILTER)  # a no-op when already there
    return uvicorn.Config(
        sandbox.app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        http="h11",
        ws="none",
        timeout_graceful_shutdown=1,
        **options,
    )


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen()
        listener.setblocking(False)
    except OSError:
        listener.close()
        raise
    return listener


@contextmanager
def running_sandbox(
    seed: Seed,
    *,
    token: str = DEFAULT_TOKEN,
    rate_limit: str = "100/10s",
    host: str = "127.0.0.1",
    port: int = 0,
    **options: Any,
) -> Iterator[RunningSandbox]:
    """Serve a sandbox in a background thread until the block ends; port 0 picks a free port.

    Extra keyword options go to `Sandbox` (daily_limit, max_page_size, clock, now, faults).
    """
    sandbox = Sandbox(seed, token=token, rate_limit=rate_limit, **options)
    # Binding here, not in uvicorn, means the port is known (and taken) before the thread runs.
    listener = _bind(host, port)
    bound_port = listener.getsockname()[1]
    server = _PromptServer(_quiet_config(sandbox))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="sandbox-server", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"The sandbox did not start on {host}:{bound_port}.")
            time.sleep(0.005)
        yield RunningSandbox(
            url=f"http://{_host_for_url(host)}:{bound_port}",
            sandbox=sandbox,
            location_id=sandbox.location_id,
            token=token,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=_STOP_TIMEOUT_SECONDS)
        listener.close()


def serve(
    seed: Seed,
    *,
    host: str = "127.0.0.1",
    port: int = 8787,
    token: str = DEFAULT_TOKEN,
    rate_limit: str = "100/10s",
    daily_limit: int = 200_000,
) -> None:
    """Serve a sandbox until interrupted (Ctrl-C); prints nothing itself, the CLI does."""
    sandbox = Sandbox(seed, token=token, rate_limit=rate_limit, daily_limit=daily_limit)
    uvicorn.Server(_quiet_config(sandbox, host=host, port=port)).run()
