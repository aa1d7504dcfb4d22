"""A sandbox behind a server that echoes the Authorization header back, over real HTTP.

The sandbox answers as the API does; in front of it, chosen requests are answered with an
error whose message, headers and reason phrase repeat the header the request came with, whole
or in part, shouted or escaped, as a debugging proxy or a hostile address would.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn

from importer.sandbox import Sandbox

# (method, path) -> the status to answer with the echo, or None to let the sandbox answer.
Echoes = Callable[[str, str], int | None]
Scope = dict[str, Any]


@dataclass(frozen=True)
class EchoingSandbox:
    url: str
    sandbox: Sandbox
    location_id: str


def echo_body(authorization: str) -> bytes:
    """An error body repeating the header in every way a server might."""
    escaped = "".join(f"\\u{ord(c):04x}" for c in authorization)
    message = json.dumps(
        [
            f"Unauthorized request: Authorization: {authorization}",
            f"header seen: {authorization[:24]}",
            authorization.upper(),
        ]
    )
    return (
        '{"statusCode": 400, "message": ' + message + ', "error": "' + escaped + '", '
        '"debug": {"headers": {"authorization": ' + json.dumps(authorization) + "}}}"
    ).encode()


class _Echo:
    """The ASGI app in front of the sandbox."""

    def __init__(self, sandbox: Sandbox, echoes: Echoes, *, echo_in_headers: bool) -> None:
        self._sandbox = sandbox
        self._echoes = echoes
        self._echo_in_headers = echo_in_headers

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._sandbox.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        status = self._echoes(scope["method"], scope["path"])
        if status is None:
            await self._sandbox.app(scope, receive, self._echoing(send, authorization))
            return
        body = echo_body(authorization)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-echo", authorization.encode("latin-1")),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _echoing(self, send: Any, authorization: str) -> Any:
        """The sandbox's own answers, with the header in a rate-limit header doctor prints."""
        if not self._echo_in_headers:
            return send

        async def send_with_echo(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [
                        (k, v)
                        for k, v in message["headers"]
                        if k.lower() != b"x-ratelimit-daily-remaining"
                    ]
                    + [(b"x-ratelimit-daily-remaining", f"5 {authorization}".encode("latin-1"))],
                }
            await send(message)

        return send_with_echo


@contextmanager
def echoing_sandbox(
    seed: Any, *, token: str, echoes: Echoes, echo_in_headers: bool = False
) -> Iterator[EchoingSandbox]:
    """A sandbox accepting ``token``, behind the echo, on 127.0.0.1, until the block ends."""
    sandbox = Sandbox(seed, token=token, rate_limit="off")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    config = uvicorn.Config(
        _Echo(sandbox, echoes, echo_in_headers=echo_in_headers),
        log_level="warning",
        access_log=False,
        lifespan="off",
        http="h11",
        ws="none",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("The echo did not start.")
            time.sleep(0.005)
        port = listener.getsockname()[1]
        yield EchoingSandbox(f"http://127.0.0.1:{port}", sandbox, sandbox.location_id)
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        listener.close()
