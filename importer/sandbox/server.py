"""Serving the sandbox with uvicorn: in a background thread for tests, or blocking for the CLI."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from importer.sandbox.app import DEFAULT_TOKEN, ConnectionDropped, Sandbox
from importer.sandbox.faults import FaultPlan
from importer.sandbox.state import Seed

__all__ = ["RunningSandbox", "exposure_warnings", "listen_on", "running_sandbox", "serve"]

_START_TIMEOUT_SECONDS = 10.0
_STOP_TIMEOUT_SECONDS = 2.0


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
    """uvicorn's server, made to stop in milliseconds rather than in 100 to 200 ms.

    Tests start and stop a sandbox each, and uvicorn's stop costs a 100 ms tick before it
    notices should_exit plus a fixed 100 ms pause in shutdown; over a test file that is most
    of the runtime. Both steps are redone here with short polls; nothing else changes.
    """

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            await asyncio.sleep(0.01)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        # Idle keep-alive connections close at once; busy ones close after their answer.
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _STOP_TIMEOUT_SECONDS
        # Requests still being handled (a delay fault, say) finish even if their client left.
        while (self.server_state.connections or self.server_state.tasks) and (
            loop.time() < deadline
        ):
            await asyncio.sleep(0.005)
        for server in self.servers:
            await asyncio.wait_for(server.wait_closed(), timeout=_STOP_TIMEOUT_SECONDS)
        if not self.force_exit:
            await self.lifespan.shutdown()


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


def _is_loopback(host: str) -> bool:
    """Whether an address to listen on can only be reached from this computer."""
    name = host.strip().removeprefix("[").removesuffix("]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        # A zone ("fe80::1%eth0") names an interface, not a different address.
        address = ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        # Any other name may stand for an address others can reach: it is not resolved here.
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _is_every_address(host: str) -> bool:
    name = host.strip().removeprefix("[").removesuffix("]")
    if not name:
        return True
    try:
        return ipaddress.ip_address(name).is_unspecified
    except ValueError:
        return False


def exposure_warnings(host: str, token: str) -> list[str]:
    """What to tell the person starting a sandbox on ``host`` with ``token``, before it listens.

    A sandbox on a loopback address is reached from this computer only, and needs no warning.
    On any other address (every address, a network address, or a name, which may stand for
    one) others can reach it; with the built-in token, which is printed in the importer's own
    help, anyone who reaches it can also read its invoices and record payments in it.
    """
    if _is_loopback(host):
        return []
    if _is_every_address(host):
        where = f"every network address of this computer ({host.strip() or 'all'})"
    else:
        where = host.strip()
    warnings = [
        f"The sandbox will listen on {where}, so other computers on the network can reach it, "
        "not only this one. To keep it to this computer, leave out --host (it then listens on "
        "127.0.0.1)."
    ]
    if token == DEFAULT_TOKEN:
        warnings.append(
            "It also accepts the built-in token, which anyone can look up: whoever reaches it "
            "can read its invoices and record payments in it. Choose your own with --token."
        )
    return warnings


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def listen_on(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host``:``port`` (0: a free port), for uvicorn to serve on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not the default 0: asyncio turns Nagle off only on sockets that say they are
    # TCP, and with Nagle on every keep-alive answer waits 40 ms for a delayed ACK.
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
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

    Extra keyword options go to `Sandbox` (daily_limit, max_page_size, clock, now, faults,
    scopes, transactions_list_meta).
    """
    sandbox = Sandbox(seed, token=token, rate_limit=rate_limit, **options)
    # Binding here, not in uvicorn, means the port is known (and taken) before the thread runs.
    listener = listen_on(host, port)
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
        thread.join(timeout=2 * _STOP_TIMEOUT_SECONDS + 1)
        listener.close()


def serve(
    seed: Seed,
    *,
    host: str = "127.0.0.1",
    port: int = 8787,
    token: str = DEFAULT_TOKEN,
    rate_limit: str = "100/10s",
    daily_limit: int = 200_000,
    faults: FaultPlan | None = None,
    scopes: Iterable[str] | None = None,
    transactions_list_meta: bool = True,
    on_listening: Callable[[str], None] = lambda _url: None,
) -> None:
    """Serve a sandbox until interrupted (Ctrl-C); prints nothing itself, the CLI does.

    The port is taken before ``on_listening`` is told the address, so a busy port is an
    OSError here rather than a message from uvicorn after the address was announced.
    ``scopes`` and ``transactions_list_meta`` are `Sandbox`'s options of the same names; what
    to say before listening on ``host`` is `exposure_warnings`'s to tell.
    """
    sandbox = Sandbox(
        seed,
        token=token,
        rate_limit=rate_limit,
        daily_limit=daily_limit,
        faults=faults,
        scopes=scopes,
        transactions_list_meta=transactions_list_meta,
    )
    listener = listen_on(host, port)
    try:
        on_listening(f"http://{_host_for_url(host)}:{listener.getsockname()[1]}")
        uvicorn.Server(_quiet_config(sandbox)).run(sockets=[listener])
    finally:
        listener.close()
