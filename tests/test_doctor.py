"""importer doctor against the sandbox: a verdict per check, and nothing recorded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.cli import cli
from importer.doctor import api_checks, journal_check
from importer.journal.journal import Journal
from importer.sandbox import RunningSandbox

SECRET = "pit-doctor-secret-123"


def doctor(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["doctor", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output.splitlines()


def names_and_words(lines: list[str]) -> list[tuple[str, str]]:
    """Each check line as (verdict word, check name)."""
    return [(line[:4].strip(), line[5:].split(":")[0]) for line in lines[:-1]]


def test_good_settings_are_ready_and_nothing_is_recorded(
    sandbox: RunningSandbox, env: Path
) -> None:
    """With a good token and location every check passes, exit 0, and no payment is made."""
    code, lines = doctor()
    assert code == 0, lines
    assert names_and_words(lines) == [
        ("OK", "token"),
        ("OK", "location"),
        ("OK", "API address"),
        ("OK", "API reachable"),
        ("OK", "token accepted"),
        ("OK", "location reachable"),
        ("OK", "read scope"),
        ("OK", "write scope"),
        ("OK", "transactions scope"),
        ("OK", "rate budget"),
        ("OK", "journal"),
        ("OK", "versions"),
    ]
    assert lines[-1] == "Ready to import."
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("   $ importer doctor\n")[1].split("   ```")[0]
    assert names_and_words([line.strip() for line in example.splitlines()]) == (
        names_and_words(lines)
    ), "the README's doctor example shows other checks than doctor prints"
    assert f"OK   location reachable: {sandbox.location_id} holds 30 invoices." in lines
    assert "OK   rate budget: 1000000 requests per 10 s; 199999 left today." in lines
    assert sandbox.sandbox.transactions() == []


def test_wrong_token_fails_and_is_never_shown(
    sandbox: RunningSandbox, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused token fails the token check with the fix, exit 1, and is not printed."""
    monkeypatch.setenv("HIGHLEVEL_TOKEN", SECRET)
    code, lines = doctor()
    assert code == 1
    assert names_and_words(lines)[3:5] == [("OK", "API reachable"), ("FAIL", "token accepted")]
    assert lines[-1] == "Not ready: fix what is marked FAIL above."
    assert all(SECRET not in line for line in lines)


def test_wrong_location_fails_with_the_fix(
    sandbox: RunningSandbox, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A location the token cannot reach fails that check and names the setting to fix."""
    code, lines = doctor("--location-id", "someOtherLocation")
    assert code == 1
    assert names_and_words(lines)[4:6] == [("OK", "token accepted"), ("FAIL", "location reachable")]
    assert "HIGHLEVEL_LOCATION_ID" in lines[5]
    assert "OK   location: someOtherLocation, from the command line." in lines


def test_missing_settings_say_where_to_put_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a token or location doctor sends nothing and says to add them to .env."""
    monkeypatch.chdir(tmp_path)
    for name in ("TOKEN", "LOCATION_ID", "API_URL", "ALT_TYPE"):
        monkeypatch.delenv(f"HIGHLEVEL_{name}", raising=False)
    code, lines = doctor()
    assert code == 1
    assert lines[:2] == [
        "FAIL token: no API token is set. "
        "Add HIGHLEVEL_TOKEN=pit-... to a .env file in this folder.",
        "FAIL location: no location id is set. Add HIGHLEVEL_LOCATION_ID=... to a .env file in "
        "this folder; it is in the sub-account's Settings > Business Profile.",
    ]


def test_settings_from_a_dotenv_file_name_the_file(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings read from .env are reported as coming from that file."""
    monkeypatch.chdir(tmp_path)
    for name in ("TOKEN", "LOCATION_ID", "API_URL", "ALT_TYPE"):
        monkeypatch.delenv(f"HIGHLEVEL_{name}", raising=False)
    (tmp_path / ".env").write_text(
        f"HIGHLEVEL_TOKEN={sandbox.token}\nHIGHLEVEL_LOCATION_ID={sandbox.location_id}\n"
        f"HIGHLEVEL_API_URL={sandbox.url}\n"
    )
    code, lines = doctor()
    assert code == 0, lines
    assert lines[0] == f"OK   token: set, from the file {tmp_path / '.env'} (not shown)."


def test_journal_in_doubt_is_a_warning_and_a_damaged_one_fails(tmp_path: Path) -> None:
    """A payment left in flight is a warning (not blocking); a damaged journal fails."""
    path = tmp_path / "journal.sqlite3"
    assert (
        journal_check(path).line()
        == f"OK   journal: {path}: none yet; the first import creates it."
    )
    with Journal.open(path) as journal:
        run_id = journal.history.start_run(
            file=Path(__file__), location_id="loc", api_url="http://api"
        )
        journal.ledger.claim(
            api_url="http://api", key="k", run_id=run_id, row=2, file="f.csv",
            invoice_id="a" * 24, amount=Decimal("10.00"), paid_on="2026-10-03",
            paid_before=Decimal(0),
        )  # fmt: skip
    check = journal_check(path)
    assert check.ok is None
    assert check.verdict == f"{path}: sound, 1 run, 1 payment."
    assert check.fix == (
        "1 payment was in flight when a run stopped; the next run of its file checks it "
        "against HighLevel before sending anything."
    )
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert journal_check(damaged).ok is False


def checks_against(handler: Callable[[httpx.Request], httpx.Response]) -> list[str]:
    """The API checks' lines against an API faked by ``handler``."""

    async def run() -> list[str]:
        async with HighLevelClient(
            base_url="https://api.test",
            token=SecretStr(SECRET),
            location_id="loc123",
            transport=httpx.MockTransport(handler),
        ) as client:
            return [check.line() for check in await api_checks(client)]

    return asyncio.run(run())


def test_probes_that_lose_their_answer_are_warnings_not_a_crash() -> None:
    """A dropped connection on the write and transactions probes gives two WARN lines."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/invoices/":
            return httpx.Response(200, json={"invoices": [], "total": 3})
        raise httpx.RemoteProtocolError("Server disconnected", request=request)

    assert checks_against(handler) == [
        "OK   API reachable: https://api.test answers.",
        "OK   token accepted: the API accepts the token.",
        "OK   location reachable: loc123 holds 3 invoices.",
        "OK   read scope: invoices.readonly is granted.",
        "WARN write scope: could not tell: the probe got no answer (RemoteProtocolError). "
        "Run doctor again in a moment.",
        "WARN transactions scope: could not tell: the probe got no answer "
        "(RemoteProtocolError). Run doctor again in a moment.",
        "WARN rate budget: the API did not announce its rate limit.",
    ]


def test_an_address_that_answers_a_web_page_fails_with_the_setting_to_check() -> None:
    """A 200 that is not JSON fails 'location reachable' and names HIGHLEVEL_API_URL."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html><body>Directory listing</body></html>")

    assert checks_against(handler) == [
        "OK   API reachable: https://api.test answers.",
        "FAIL location reachable: https://api.test does not answer like the HighLevel API. "
        "Check HIGHLEVEL_API_URL.",
    ]


def test_a_token_no_api_would_take_is_a_verdict_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token holding a non-ASCII letter fails the settings check, unshown, and doctor goes on."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HIGHLEVEL_TOKEN", "pit-doctor-s\u00e9cret")
    monkeypatch.setenv("HIGHLEVEL_LOCATION_ID", "loc1")
    code, lines = doctor("--journal", str(tmp_path / "journal.sqlite3"))
    assert code == 1
    assert names_and_words(lines) == [("FAIL", "settings"), ("OK", "journal"), ("OK", "versions")]
    assert lines[0] == (
        "FAIL settings: HIGHLEVEL_TOKEN holds a space or a character that is not plain ASCII, "
        "so it cannot be the token (something may have been pasted with it): copy the token "
        "again from HighLevel and paste it as plain text."
    )
    assert lines[-1] == "Not ready: fix what is marked FAIL above."


def test_settings_from_a_dotenv_file_written_loosely_name_the_file(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .env with a BOM, "export" and spaces around "=" is named as the source of each setting."""
    monkeypatch.chdir(tmp_path)
    for name in ("TOKEN", "LOCATION_ID", "API_URL", "ALT_TYPE"):
        monkeypatch.delenv(f"HIGHLEVEL_{name}", raising=False)
    (tmp_path / ".env").write_text(
        f"\ufeffexport HIGHLEVEL_TOKEN={sandbox.token}\n"
        f"HIGHLEVEL_LOCATION_ID = {sandbox.location_id}\n"
        f"highlevel_api_url={sandbox.url}\n",
        encoding="utf-8",
    )
    code, lines = doctor("--journal", str(tmp_path / "journal.sqlite3"))
    assert code == 0, lines
    env = tmp_path / ".env"
    assert lines[:3] == [
        f"OK   token: set, from the file {env} (not shown).",
        f"OK   location: {sandbox.location_id}, from the file {env}.",
        f"OK   API address: {sandbox.url}, from the file {env}.",
    ]
