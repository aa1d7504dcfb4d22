"""The token appears nowhere, even when the server echoes it: a server whose error message
held the Authorization header got the token printed by run (stderr) and doctor (stdout).

Every command path that can show a server's words is driven against a sandbox behind an
echo (tests/echo.py) that repeats the header whole, cut short, shouted and escaped; no part
of the token may be in what is printed, in the results files, the summary or the journal.
"""

from __future__ import annotations

import asyncio
import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result
from pydantic import SecretStr

from importer.api.client import HighLevelClient, api_message
from importer.api.redact import HIDDEN, Secret
from importer.cli import cli
from tests.conftest import DATA, TODAY, copy_sample
from tests.echo import Echoes, EchoingSandbox, echo_body, echoing_sandbox

TOKEN = "pit-0f3c9a7e-5b21-4d8e-9c61-7a2b4e8d1f90"
INV_1001 = "0dcd3315df88718b01a09d13"
INV_1002 = "8d0cd54c66b5ca61af8c241d"
LIST = ("GET", "/invoices/")
STATEMENT = DATA / "statements" / "nationwide-business-current.csv"


def holds_token(text: str | bytes) -> bool:
    """Whether any eight characters of the token, in any case, are in ``text``."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    return Secret(TOKEN).found_in(text)


class Account:
    """The settings of a folder pointing at an echoing sandbox, and what its commands left."""

    def __init__(self, folder: Path, echo: EchoingSandbox) -> None:
        self.folder = folder
        self.echo = echo
        self.printed: list[str] = []

    def invoke(self, *args: str) -> Result:
        result = CliRunner().invoke(cli, list(args), obj=TODAY)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        self.printed.append(result.output)
        return result

    def everything_written(self) -> dict[str, bytes]:
        """Every file in the folder, and the journal with its write-ahead log."""
        journal = Path(os.environ["IMPORTER_JOURNAL"])
        files = [*self.folder.iterdir(), *journal.parent.glob(journal.name + "*")]
        return {str(path): path.read_bytes() for path in files if path.is_file()}


@pytest.fixture
def account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: dict[str, Any], request: Any
) -> Iterator[Account]:
    echoes: Echoes = request.param[0]
    with echoing_sandbox(
        seed, token=TOKEN, echoes=echoes, echo_in_headers=request.param[1]
    ) as echo:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("HIGHLEVEL_TOKEN", TOKEN)
        monkeypatch.setenv("HIGHLEVEL_LOCATION_ID", echo.location_id)
        monkeypatch.setenv("HIGHLEVEL_API_URL", echo.url)
        yield Account(tmp_path, echo)


def refusing(status: int, method: str, path: str) -> Echoes:
    return lambda m, p: status if (m, p) == (method, path) else None


def payments_refused(method: str, path: str) -> int | None:
    """INV-1001's payments refused (422), INV-1002's failing (500): each with the echo."""
    if method == "POST" and path == f"/invoices/{INV_1001}/record-payment":
        return 422
    if method == "POST" and path == f"/invoices/{INV_1002}/record-payment":
        return 500
    return None


@pytest.mark.parametrize("account", [(payments_refused, False)], indirect=True)
def test_rows_refused_and_failed_with_the_echo_keep_the_servers_words_without_the_token(
    account: Account,
) -> None:
    """run (4xx and 5xx answers), its results file, its summary, runs show and the results
    rebuilt from the journal: the server's words are there, the token is not."""
    payments = copy_sample("payments.csv", account.folder)
    run = account.invoke("run", str(payments), "--yes", "--summary-json", "summary.json")
    assert run.exit_code == 1, run.output
    results = (account.folder / "payments.results.csv").read_text(encoding="utf-8-sig")
    refused = [line for line in results.splitlines() if ",rejected," in line]
    failed = [line for line in results.splitlines() if ",failed," in line]
    assert (len(refused), len(failed)) == (2, 1), results
    assert all(f"Unauthorized request: Authorization: Bearer {HIDDEN}" in line for line in refused)
    assert all(HIDDEN in line for line in failed)
    shown = account.invoke("runs", "show", "1", "--results", "rebuilt.csv")
    assert shown.exit_code == 0, shown.output
    assert HIDDEN in shown.output
    for where, written in {"printed": "\n".join(account.printed).encode()}.items():
        assert not holds_token(written), where
    written = account.everything_written()
    assert {Path(name).name for name in written} >= {
        "payments.results.csv",
        "summary.json",
        "rebuilt.csv",
        "journal.sqlite3",
    }
    for name, content in written.items():
        assert not holds_token(content), name


STOPS = [
    ("run", refusing(401, *LIST), 2),
    ("run", refusing(403, "POST", f"/invoices/{INV_1001}/record-payment"), 2),
    ("run", refusing(500, *LIST), 2),
    ("doctor", refusing(401, *LIST), 1),
    ("doctor", refusing(403, "POST", "/invoices/000000000000000000000000/record-payment"), 1),
    ("doctor", refusing(500, *LIST), 1),
    ("template", refusing(401, *LIST), 2),
    ("template", refusing(500, *LIST), 2),
    ("match", refusing(401, *LIST), 2),
]


@pytest.mark.parametrize(
    ("command", "account", "code"),
    [(command, (echoes, False), code) for command, echoes, code in STOPS],
    indirect=["account"],
)
def test_every_refusal_that_shows_the_servers_words_hides_the_token(
    command: str, account: Account, code: int
) -> None:
    """401, 403 and 500 answers with the echo, met by run, doctor, template new
    --open-invoices and match: each command says what the server said, without the token."""
    args = {
        "run": ["run", str(copy_sample("payments.csv", account.folder)), "--yes"],
        "doctor": ["doctor"],
        "template": ["template", "new", "default", "--open-invoices", "-o", "open.xlsx"],
        "match": ["match", str(STATEMENT)],
    }[command]
    result = account.invoke(*args)
    assert result.exit_code == code, result.output
    assert HIDDEN in result.output, result.output
    assert not holds_token(result.output), result.output
    for name, content in account.everything_written().items():
        assert not holds_token(content), name


@pytest.mark.parametrize("account", [(lambda _m, _p: None, True)], indirect=True)
def test_headers_a_command_prints_are_screened_too(account: Account) -> None:
    """doctor prints the daily budget header; the echo put the header in it."""
    result = account.invoke("doctor")
    assert f"5 Bearer {HIDDEN} left today" in result.output, result.output
    assert not holds_token(result.output)


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        (f"Authorization: Bearer {TOKEN}", f"Authorization: Bearer {HIDDEN}"),
        (f"bearer {TOKEN.upper()}!", f"bearer {HIDDEN}!"),
        (f"cut short: {TOKEN[:14]}…", f"cut short: {HIDDEN}…"),
        (f"{TOKEN[20:]} and {TOKEN[:8]}", f"{HIDDEN} and {HIDDEN}"),
        (
            "pit-0f3 is too short to give the token away",
            "pit-0f3 is too short to give the token away",
        ),
        ("no token here", "no token here"),
    ],
)
def test_any_part_of_eight_characters_or_more_is_hidden(said: str, shown: str) -> None:
    """The whole token, its Bearer form, a part of it, shouted or cut: each stretch hidden."""
    assert Secret(TOKEN).hidden_from(said) == shown


def test_a_compressed_escaped_echo_is_hidden_and_still_reads_as_json() -> None:
    """A gzip body whose JSON escapes the token (\\u0070it-...) and a header that repeats it:
    the client hands over the answer with the token hidden, its JSON still readable."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = gzip.compress(echo_body(request.headers["Authorization"]))
        return httpx.Response(
            401,
            headers={"Content-Encoding": "gzip", "X-Echo": request.headers["Authorization"]},
            content=body,
        )

    async def probe() -> httpx.Response:
        async with HighLevelClient(
            base_url="https://api.test",
            token=SecretStr(TOKEN),
            location_id="loc",
            transport=httpx.MockTransport(answer),
        ) as client:
            return await client.probe("GET", "/invoices/")

    response = asyncio.run(probe())
    assert response.json()["error"] == f"Bearer {HIDDEN}"
    assert response.json()["debug"] == {"headers": {"authorization": f"Bearer {HIDDEN}"}}
    assert response.headers["X-Echo"] == f"Bearer {HIDDEN}"
    assert api_message(response) == (
        f"Unauthorized request: Authorization: Bearer {HIDDEN}; header seen: Bearer {HIDDEN}; "
        f"BEARER {HIDDEN}"
    )
