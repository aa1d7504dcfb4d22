"""What a person starting the sandbox is told about who else can reach it, as a table."""

from __future__ import annotations

import pytest

from importer.sandbox import DEFAULT_TOKEN, exposure_warnings

OWN_TOKEN = "pit-rehearsal-7Qx2"


def reachable(where: str) -> str:
    return (
        f"The sandbox will listen on {where}, so other computers on the network can reach it, "
        "not only this one. To keep it to this computer, leave out --host (it then listens on "
        "127.0.0.1)."
    )


KNOWN_TOKEN = (
    "It also accepts the built-in token, which anyone can look up: whoever reaches it can read "
    "its invoices and record payments in it. Choose your own with --token."
)


@pytest.mark.parametrize(
    ("host", "token", "warnings"),
    [
        # Loopback, however written: this computer only, whatever the token.
        ("127.0.0.1", DEFAULT_TOKEN, []),
        ("127.0.0.1", OWN_TOKEN, []),
        ("127.8.9.10", DEFAULT_TOKEN, []),
        ("::1", DEFAULT_TOKEN, []),
        ("[::1]", DEFAULT_TOKEN, []),
        ("0:0:0:0:0:0:0:1", DEFAULT_TOKEN, []),
        ("::ffff:127.0.0.1", DEFAULT_TOKEN, []),
        ("localhost", DEFAULT_TOKEN, []),
        ("LOCALHOST.", DEFAULT_TOKEN, []),
        (" localhost ", DEFAULT_TOKEN, []),
        # Every address of this computer.
        (
            "0.0.0.0",
            DEFAULT_TOKEN,
            [reachable("every network address of this computer (0.0.0.0)"), KNOWN_TOKEN],
        ),
        ("0.0.0.0", OWN_TOKEN, [reachable("every network address of this computer (0.0.0.0)")]),
        (
            "::",
            DEFAULT_TOKEN,
            [reachable("every network address of this computer (::)"), KNOWN_TOKEN],
        ),
        ("[::]", OWN_TOKEN, [reachable("every network address of this computer ([::])")]),
        (
            "",
            DEFAULT_TOKEN,
            [reachable("every network address of this computer (all)"), KNOWN_TOKEN],
        ),
        # One network address, IPv4 or IPv6, private or public.
        ("192.168.1.20", DEFAULT_TOKEN, [reachable("192.168.1.20"), KNOWN_TOKEN]),
        ("192.168.1.20", OWN_TOKEN, [reachable("192.168.1.20")]),
        ("10.0.0.5", OWN_TOKEN, [reachable("10.0.0.5")]),
        ("fe80::1%eth0", DEFAULT_TOKEN, [reachable("fe80::1%eth0"), KNOWN_TOKEN]),
        ("2001:db8::7", OWN_TOKEN, [reachable("2001:db8::7")]),
        ("::ffff:192.168.1.20", OWN_TOKEN, [reachable("::ffff:192.168.1.20")]),
        # A name may stand for any address: it is not looked up, so it is warned about.
        ("office-pc", DEFAULT_TOKEN, [reachable("office-pc"), KNOWN_TOKEN]),
        ("sandbox.example.net", OWN_TOKEN, [reachable("sandbox.example.net")]),
        ("localhost.example.net", OWN_TOKEN, [reachable("localhost.example.net")]),
    ],
)
def test_exposure_warnings(host: str, token: str, warnings: list[str]) -> None:
    """Loopback hosts need no warning; any other host warns that others can reach the sandbox,
    and with the built-in token also that they can use it."""
    assert exposure_warnings(host, token) == warnings
