"""Who may use the workbench: this computer's browser, holding the secret it was started with.

- the secret, given once in the address the command prints (``?key=...``), is swapped for
  an HttpOnly, SameSite=Strict cookie and taken out of the address; every request needs
  it, else 403;
- a request whose Host is not a loopback address is refused, so a web page on a name that
  resolves to 127.0.0.1 (DNS rebinding) cannot read or drive the workbench;
- a request that changes something (any method but GET and HEAD) must come from a page of
  the workbench itself (its Origin), so another site cannot post a form to it;
- every answer forbids framing, scripts from elsewhere, referrers and caching.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Guard", "cookie_name", "loopback_host"]


def cookie_name(secret: str) -> str:
    """The cookie of the workbench started with ``secret``: a browser keeps cookies by host,
    not by port, so two workbenches open at once on one computer each need a name of their
    own, or the second would overwrite the first's. Named by a digest, never the secret."""
    return "importer_key_" + hashlib.sha256(secret.encode()).hexdigest()[:12]


_SAFE_METHODS = frozenset({"GET", "HEAD"})
_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]
REFUSED = {
    "host": "This workbench answers only to this computer's own address (127.0.0.1).",
    "key": "This page needs the address the importer printed when it started (it holds a "
    "one-time key). Copy it from the window where you ran importer ui.",
    "origin": "Refused: this change did not come from a page of the workbench.",
}


def loopback_host(host: str) -> bool:
    """True when a Host header names this computer: 127.0.0.0/8, [::1] or localhost."""
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class Guard:
    """ASGI middleware: the secret, the Host and the Origin checked before any page."""

    def __init__(self, app: ASGIApp, *, secret: str) -> None:
        self.app = app
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not loopback_host(host):
            await _refuse(send, "host")
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [value for name, value in query if name == "key"]
        if given:
            if not secrets.compare_digest(given[0].encode(), self.secret.encode()):
                await _refuse(send, "key")
                return
            # Swapped for a cookie and taken out of the address, so that it stays out of the
            # history, bookmarks and anything copied from the address bar.
            rest = urlencode([(name, value) for name, value in query if name != "key"])
            # One leading slash: "//elsewhere" would send the browser to another site.
            path = "/" + scope["path"].lstrip("/")
            await _redirect(send, path + (f"?{rest}" if rest else ""), self.secret)
            return
        cookie = cookie_parser(headers.get("cookie", "")).get(cookie_name(self.secret), "")
        if not secrets.compare_digest(cookie.encode(), self.secret.encode()):
            await _refuse(send, "key")
            return
        if scope["method"] not in _SAFE_METHODS and headers.get("origin") != f"http://{host}":
            await _refuse(send, "origin")
            return

        async def send_guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await self.app(scope, receive, send_guarded)


async def _refuse(send: Send, why: str) -> None:
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Refused</title>"
        f"<h1>Refused</h1><p>{REFUSED[why]}</p></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _redirect(send: Send, location: str, secret: str) -> None:
    cookie = f"{cookie_name(secret)}={secret}; HttpOnly; SameSite=Strict; Path=/"
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [
                (b"location", location.encode()),
                (b"set-cookie", cookie.encode()),
                (b"content-length", b"0"),
                *_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})
