"""What a person starting the sandbox is told about who else can reach it, as a table."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from importer.cli import cli
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


@pytest.fixture
def port_taken_everywhere() -> Iterator[int]:
    """A port bound on every address (never listening, so no one can connect to it): a
    sandbox asked to listen there cannot, and the command ends right after its warnings."""
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("0.0.0.0", 0))  # bound, never listening: no one can connect
    try:
        yield taken.getsockname()[1]
    finally:
        taken.close()


@pytest.mark.parametrize(
    ("host", "token", "warnings"),
    [
        (
            "0.0.0.0",
            None,
            [reachable("every network address of this computer (0.0.0.0)"), KNOWN_TOKEN],
        ),
        ("0.0.0.0", OWN_TOKEN, [reachable("every network address of this computer (0.0.0.0)")]),
        ("127.0.0.1", None, []),
    ],
)
def test_the_command_warns_before_it_listens(
    port_taken_everywhere: int, host: str, token: str | None, warnings: list[str]
) -> None:
    """importer sandbox --host says who else can reach it before it tries to listen; here the
    port is taken, so it then stops with one line (and never listened)."""
    args = ["sandbox", "--host", host, "--port", str(port_taken_everywhere)]
    result = CliRunner().invoke(cli, args + (["--token", token] if token else []))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        *(f"Warning: {warning}" for warning in warnings),
        f"Error: Cannot listen on {host}:{port_taken_everywhere} (address already in use): "
        "choose another --port or --host.",
    ]
    assert result.stdout == ""
