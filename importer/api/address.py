"""Where the token may be sent: the API over TLS, or a server on this computer.

The token travels in every request's Authorization header. Over plain http anyone on the
way reads it, so an API address is refused unless it is https, or http to this computer
(127.0.0.0/8, ::1, localhost), where a sandbox or a local proxy listens. The settings, the
API client and so every command and the workbench ask here, once each.
"""

from __future__ import annotations

import ipaddress

import httpx

from importer.errors import ConfigurationError

__all__ = ["DEFAULT_API_URL", "DEFAULT_HOST", "check_api_address", "is_default_host"]

DEFAULT_API_URL = "https://services.leadconnectorhq.com"
# HighLevel's own API host; its white-label brands use the same one.
DEFAULT_HOST = "services.leadconnectorhq.com"


def check_api_address(url: str) -> str:
    """``url`` when the token may be sent there; ConfigurationError saying why not.

    The address is read as the API client reads it (httpx), so the host judged is the host
    connected to: in ``http://127.0.0.1@collector.example.net`` that is collector.example.net.
    """
    shown = url.strip()
    if not shown:
        raise ConfigurationError(
            f"The API address is empty: leave HIGHLEVEL_API_URL out to use {DEFAULT_API_URL}."
        )
    try:
        parsed = httpx.URL(shown)
    except (httpx.InvalidURL, TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"The API address {shown!r} is not a web address: write it like "
            f"{DEFAULT_API_URL} (or leave it out to use that one)."
        )
    if parsed.userinfo:
        raise ConfigurationError(
            "The API address holds a user name or password before its host: write it without "
            f"them, like {DEFAULT_API_URL}."
        )
    if parsed.scheme == "http" and not is_loopback_host(parsed.host):
        raise ConfigurationError(
            f"The API address {shown} is plain http, not https: the token would cross the "
            f"network unencrypted to {parsed.host}, readable on the way. Use "
            f"{DEFAULT_API_URL}; plain http is only for a sandbox on this computer "
            "(127.0.0.1 or localhost)."
        )
    return shown


def is_loopback_host(host: str) -> bool:
    """Whether a host is this computer: 127.0.0.0/8, ::1 (or ::ffff:127.x), localhost.

    The sandbox judges the host it listens on by the same rule, in a copy of its own: it is a
    wing that imports nothing from the rest (see sandbox/server.py).
    """
    name = host.strip().removeprefix("[").removesuffix("]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        # A zone ("fe80::1%eth0") names an interface, not another address.
        address = ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        # Any other name may resolve to any address: it is not looked up here.
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def is_default_host(url: str) -> bool:
    """Whether ``url`` is HighLevel's own API (any path, the default port)."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        return False
    return parsed.scheme == "https" and parsed.host == DEFAULT_HOST and parsed.port is None
