"""The token goes only over TLS, or to this computer, and every command says where it goes.

A .env planted in the working folder (HIGHLEVEL_API_URL=http://collector.example.net) sent a
token that came from the user's environment in clear to that host, and neither run nor doctor
said where they were sending.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from importer.api.address import check_api_address
from importer.api.client import HighLevelClient
from importer.cli import cli
from importer.connection import connect
from importer.errors import ConfigurationError
from importer.sandbox import DEFAULT_TOKEN, RunningSandbox
from tests.conftest import TODAY, copy_sample

PLANTED = "http://collector.example.net"


def in_clear(url: str, host: str) -> str:
    return (
        f"The API address {url} is plain http, not https: the token would cross the network "
        f"unencrypted to {host}, readable on the way. Use https://services.leadconnectorhq.com; "
        "plain http is only for a sandbox on this computer (127.0.0.1 or localhost)."
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://services.leadconnectorhq.com",
        "https://services.leadconnectorhq.com/",
        "https://api.example-proxy.com:8443/highlevel",
        "http://127.0.0.1:8787",
        "http://127.8.9.10",
        "http://[::1]:8787",
        "http://[::ffff:127.0.0.1]:8787",
        "http://localhost:8787",
        "HTTP://LOCALHOST.",
    ],
)
def test_addresses_the_token_may_go_to(url: str) -> None:
    """https anywhere, and plain http to this computer only, however written."""
    assert check_api_address(url) == url


@pytest.mark.parametrize(
    ("url", "host"),
    [
        (PLANTED, "collector.example.net"),
        ("http://10.0.0.5:8787", "10.0.0.5"),
        ("http://0.0.0.0:8787", "0.0.0.0"),
        ("http://[fe80::1]", "fe80::1"),
        ("http://localhost.collector.example.net", "localhost.collector.example.net"),
        ("http://127.0.0.1.nip.io", "127.0.0.1.nip.io"),
        ("http://2130706433", "2130706433"),
        ("http://[::ffff:10.0.0.5]", "::ffff:10.0.0.5"),
    ],
)
def test_plain_http_to_another_computer_is_refused(url: str, host: str) -> None:
    """Plain http to any host that is not this computer is refused, naming the host."""
    with pytest.raises(ConfigurationError) as refused:
        check_api_address(url)
    assert str(refused.value) == in_clear(url, host)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://127.0.0.1@collector.example.net",
            "The API address holds a user name or password before its host: write it without "
            "them, like https://services.leadconnectorhq.com.",
        ),
        (
            "https://me:secret@services.leadconnectorhq.com",
            "The API address holds a user name or password before its host: write it without "
            "them, like https://services.leadconnectorhq.com.",
        ),
        (
            "services.leadconnectorhq.com",
            "The API address 'services.leadconnectorhq.com' is not a web address: write it like "
            "https://services.leadconnectorhq.com (or leave it out to use that one).",
        ),
        (
            "ftp://services.leadconnectorhq.com",
            "The API address 'ftp://services.leadconnectorhq.com' is not a web address: write it "
            "like https://services.leadconnectorhq.com (or leave it out to use that one).",
        ),
        (
            "  ",
            "The API address is empty: leave HIGHLEVEL_API_URL out to use "
            "https://services.leadconnectorhq.com.",
        ),
    ],
)
def test_addresses_that_are_not_plain_web_addresses_are_refused(url: str, message: str) -> None:
    """A user name before the host (which hides the real host), no scheme, another scheme,
    nothing at all: each refused with what to write."""
    with pytest.raises(ConfigurationError) as refused:
        check_api_address(url)
    assert str(refused.value) == message


def test_no_client_sends_the_token_in_clear() -> None:
    """The API client itself refuses a plain-http address to another computer."""
    with pytest.raises(ConfigurationError) as refused:
        HighLevelClient(base_url=PLANTED, token=SecretStr("pit-x"), location_id="loc")
    assert str(refused.value) == in_clear(PLANTED, "collector.example.net")


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder whose .env sends the API elsewhere; the token is the environment's."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HIGHLEVEL_TOKEN", "pit-from-the-environment")
    monkeypatch.setenv("HIGHLEVEL_LOCATION_ID", "hYb3kQ9sLmN2pR4tVw6x")
    monkeypatch.delenv("HIGHLEVEL_API_URL", raising=False)
    monkeypatch.delenv("HIGHLEVEL_ALT_TYPE", raising=False)
    (tmp_path / ".env").write_text(f"HIGHLEVEL_API_URL={PLANTED}\n")
    return tmp_path


def test_every_command_refuses_a_planted_plain_http_address_naming_its_file(
    planted: Path,
) -> None:
    """run, template new --open-invoices, match and ui stop with one line naming the .env; doctor
    fails its settings check with the same words. Nothing is sent."""
    refusal = (
        in_clear(PLANTED, "collector.example.net") + f" It is set by the file {planted / '.env'}."
    )
    payments = copy_sample("payments.csv", planted)
    for args in (
        ["run", str(payments), "--yes"],
        ["run", str(payments), "--dry-run"],
        ["template", "new", "default", "--open-invoices", "-o", "open.xlsx"],
        ["match", str(payments)],
        ["ui", "--no-browser"],
    ):
        result = CliRunner().invoke(cli, args, obj=TODAY)
        assert (result.exit_code, result.output) == (2, f"Error: {refusal}\n"), args
    assert not (planted / "payments.results.csv").exists()
    assert not (planted / "open.xlsx").exists()
    doctor = CliRunner().invoke(cli, ["doctor"])
    assert doctor.exit_code == 1
    assert doctor.output.splitlines()[0] == f"FAIL settings: {refusal}"


def test_a_run_says_where_the_token_goes_and_which_setting_came_from_where(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose address comes from a .env while the token comes from the environment says
    the address, each setting's source and a warning, before it sends anything."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HIGHLEVEL_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("HIGHLEVEL_LOCATION_ID", sandbox.location_id)
    monkeypatch.delenv("HIGHLEVEL_API_URL", raising=False)
    (tmp_path / ".env").write_text(f"HIGHLEVEL_API_URL={sandbox.url}\n")
    payments = copy_sample("payments.csv", tmp_path)
    result = CliRunner().invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
    assert result.exit_code == 0, result.output
    dotenv = tmp_path / ".env"
    assert result.stderr.splitlines()[:3] == [
        f"API: {sandbox.url}, from the file {dotenv}; location {sandbox.location_id}.",
        "Settings: the token from the environment (HIGHLEVEL_TOKEN); the location from the "
        f"environment (HIGHLEVEL_LOCATION_ID); the API address from the file {dotenv}.",
        f"Warning: {sandbox.url} is not HighLevel's own API (services.leadconnectorhq.com), and "
        "your token is sent there with every request. Unless you chose it (a sandbox, your "
        f"company's proxy), remove HIGHLEVEL_API_URL from the file {dotenv}.",
    ]
    assert result.stdout.splitlines()[0] == "33 rows: 33 recorded."


def test_highlevels_own_address_is_said_without_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every setting from one place and the default address: one line, no warning."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HIGHLEVEL_TOKEN", "pit-x")
    monkeypatch.setenv("HIGHLEVEL_LOCATION_ID", "loc1")
    monkeypatch.delenv("HIGHLEVEL_API_URL", raising=False)
    with connect() as connection:
        assert (connection.notes(), connection.warnings()) == (
            ["API: https://services.leadconnectorhq.com, HighLevel's, the default; location loc1."],
            [],
        )
    with connect(sandbox=True) as rehearsal:
        assert (rehearsal.notes(), rehearsal.warnings()) == ([], [])
