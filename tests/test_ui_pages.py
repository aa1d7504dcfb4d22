"""The workbench's pages over Starlette's test client, against the sandbox on 127.0.0.1."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from importer.cli import cli
from importer.journal.journal import Journal, default_journal_path
from importer.sandbox import FaultOdds, RandomFaults, RunningSandbox, running_sandbox
from importer.status import PaymentState
from importer.ui.app import make_app
from importer.ui.guard import cookie_name
from importer.ui.server import workbench_for
from importer.ui.words import page_words
from tests.conftest import DATA, SAMPLES, TODAY, copy_sample, past_where
from tests.journals import a_run, claim
from tests.workbench import KEY, ORIGIN, account, follow, page_client, record, text_of, upload

TOKEN = "pit-workbench-0000-secret-token"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    return result.exit_code, past_where(result.output)


def results_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_a_clean_file_goes_through_every_step_and_its_results_are_downloaded(
    seed: dict[str, Any], tmp_path: Path
) -> None:
    """Start, Columns, Rows, Check, Record, Done: 33 payments recorded once, the results
    downloaded with every row recorded, the upload's private folder removed, and neither the
    API token nor the page's key in any page or download."""
    with (
        running_sandbox(seed, token=TOKEN, rate_limit="off") as sandbox,
        page_client(account(sandbox, token=TOKEN)) as (client, bench),
    ):
        seen = [client.get("/").text]
        upload_id = upload(client, copy_sample("payments.csv", tmp_path))
        folder = bench.uploads[upload_id].folder
        assert sorted(p.name for p in folder.iterdir()) == ["payments.csv"]
        assert folder.stat().st_mode & 0o777 == 0o700
        columns = client.get(f"/files/{upload_id}/columns").text
        rows = client.get(f"/files/{upload_id}/rows").text
        assert "<caption>Columns</caption>" in columns
        assert "<caption>Rows</caption>" in rows
        assert "33 rows read with the template default : 33 ready, 0 with problems." in text_of(
            rows
        )
        client.post(f"/files/{upload_id}/check", data={"expect_total": "18574.00"})
        check = client.get(f"/files/{upload_id}/check").text
        assert "Record 33 payments for USD 18,574.00" in check
        assert sandbox.sandbox.transactions() == []
        confirm = client.get(f"/files/{upload_id}/record").text
        assert "Record 33 payments for USD 18,574.00 in location" in text_of(confirm)
        last = record(client, upload_id, expect_total="18574.00")
        assert (last["done"], last["total"], last["recorded"], last["held_back"]) == (33, 33, 33, 0)
        done = client.get(f"/files/{upload_id}/done")
        assert "33 rows: 33 recorded." in done.text
        download = client.get(f"/files/{upload_id}/results")
        problems = client.get(f"/files/{upload_id}/problems")
        runs = client.get("/runs").text
        run = client.get("/runs/1").text
        seen += [columns, rows, check, confirm, done.text, runs, run, problems.text]
    assert download.headers["content-disposition"] == 'attachment; filename="payments.results.csv"'
    assert [r["status"] for r in results_rows(download.text)] == ["recorded"] * 33
    assert len(sandbox.sandbox.transactions()) == 33
    assert not folder.exists()
    for text in [*seen, download.text]:
        assert TOKEN not in text
        assert KEY not in text


@pytest.mark.parametrize(
    "name",
    [
        "empty.csv",
        "binary.csv",
        "garbage.xlsx",
        "protected.xlsx",
        "web-page-named-xls.xls",
        "header-only.csv",
    ],
)
def test_a_file_the_command_line_refuses_is_refused_on_the_start_page_with_its_message(
    sandbox: RunningSandbox, tmp_path: Path, name: str
) -> None:
    """The Start page says what ``importer validate`` says, naming the file (and what to do
    in the page where the command line names a flag), and keeps nothing."""
    path = DATA / name
    code, output = invoke("validate", str(path))
    cli_says = output.strip().splitlines()[-1].removeprefix("Error: ").replace(str(path), name)
    cli_says = page_words(cli_says)
    with page_client(account(sandbox)) as (client, bench):
        answer = client.post("/files", files={"spreadsheet": (name, path.read_bytes())})
        assert (code, answer.status_code) == (2, 400)
        assert f'<p class="error" role="alert">{cli_says}</p>' in html.unescape(answer.text)
        assert list(bench.uploads_folder.iterdir()) == []


def test_a_file_of_another_kind_is_refused_before_it_is_kept(sandbox: RunningSandbox) -> None:
    """A PDF (or any name the importer does not read) is refused with 415 and the kinds it takes."""
    with page_client(account(sandbox)) as (client, bench):
        answer = client.post("/files", files={"spreadsheet": ("statement.pdf", b"%PDF-1.7\n")})
        assert answer.status_code == 415
        assert (
            "statement.pdf is not a spreadsheet the importer reads: choose a CSV, XLSX, XLSM, "
            "XLS or ODS (or a text export) file." in answer.text
        )
        assert list(bench.uploads_folder.iterdir()) == []


def test_an_upload_over_the_size_limit_is_refused_and_nothing_is_kept(
    sandbox: RunningSandbox,
) -> None:
    """Past the limit the upload is cut off with 413, whether or not its length was declared."""
    big = b"Invoice,Amount\n" + b"1001,1.00\n" * 30_000  # about 0.3 MB
    with page_client(account(sandbox), max_upload_mb=0.1) as (client, bench):
        declared = client.post("/files", files={"spreadsheet": ("big.csv", big)})

        def chunks() -> Any:
            yield b"--b\r\nContent-Disposition: form-data; name=spreadsheet; filename=b.csv\r\n\r\n"
            yield big
            yield b"\r\n--b--\r\n"

        undeclared = client.post(
            "/files", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
        )
        assert (declared.status_code, undeclared.status_code) == (413, 413)
        message = "The file is over the 0.1 MB limit: split it into smaller files"
        assert message in declared.text
        assert message in undeclared.text
        assert list(bench.uploads_folder.iterdir()) == []


def test_an_upload_cut_off_midway_keeps_nothing_and_says_so(sandbox: RunningSandbox) -> None:
    """A connection dropped during the upload: a plain message, no file kept, no trace."""
    body = b"--b\r\nContent-Disposition: form-data; name=spreadsheet; filename=p.csv\r\n\r\n1001,"
    sent: list[dict[str, Any]] = []

    async def go() -> None:
        parts = [
            {"type": "http.request", "body": body, "more_body": True},
            {"type": "http.disconnect"},
        ]

        async def receive() -> dict[str, Any]:
            return parts.pop(0) if parts else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/files",
            "query_string": b"",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"origin", ORIGIN.encode()),
                (b"cookie", f"{cookie_name(KEY)}={KEY}".encode()),
                (b"content-type", b"multipart/form-data; boundary=b"),
            ],
        }
        await make_app(bench, secret=KEY)(scope, receive, send)

    with workbench_for(account(sandbox), today=lambda: TODAY) as bench:
        asyncio.run(go())
        assert not bench.uploads_folder.exists() or list(bench.uploads_folder.iterdir()) == []
    assert sent[0]["status"] == 400
    page = b"".join(m.get("body", b"") for m in sent).decode()
    assert "The upload was cut off before the whole file arrived." in page
    assert "Traceback" not in page


def test_a_file_recorded_in_the_page_is_skipped_by_the_command_line(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Same journal: after the page records the sample, importer run skips every row."""
    payments = copy_sample("payments.csv", env)
    with page_client(account(sandbox)) as (client, _bench):
        record(client, upload(client, payments))
    code, output = invoke("run", str(payments), "--yes")
    assert (code, output.splitlines()[0]) == (0, "33 rows: 33 already recorded.")
    assert len(sandbox.sandbox.transactions()) == 33


def test_a_file_recorded_by_the_command_line_is_skipped_in_the_page(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Same journal: after importer run, the page's check finds every row skipped and offers
    nothing to record."""
    payments = copy_sample("payments.csv", env)
    assert invoke("run", str(payments), "--yes")[0] == 0
    with page_client(account(sandbox)) as (client, bench):
        upload_id = upload(client, payments)
        client.post(f"/files/{upload_id}/check")
        preview = bench.uploads[upload_id].preview
        assert preview is not None
        assert {str(r.status) for r in preview.results} == {"skipped"}
        check = text_of(client.get(f"/files/{upload_id}/check").text)
        assert "Nothing can be recorded from this file as it is." in check
        assert client.post(f"/files/{upload_id}/record").status_code == 409
    assert len(sandbox.sandbox.transactions()) == 33


def test_a_second_record_never_starts_a_second_run(seed: dict[str, Any], env: Path) -> None:
    """A double click, and a second file's Record while the first records, both land on the
    run going on; the journal holds one run and each payment is sent once."""
    slow = RandomFaults(FaultOdds(), latency=0.1)
    with (
        running_sandbox(seed, rate_limit="off", faults=slow) as sandbox,
        page_client(account(sandbox)) as (client, bench),
    ):
        first = upload(client, copy_sample("payments.csv", env))
        second = upload(client, SAMPLES / "payments.csv", name="again.csv")
        for upload_id in (first, second):
            client.post(f"/files/{upload_id}/check")
        answers = [
            client.post(f"/files/{upload_id}/record") for upload_id in (first, first, second)
        ]
        assert [str(a.url).rsplit("/files/", 1)[1] for a in answers] == [f"{first}/progress"] * 3
        follow(client, first)
        assert bench.uploads[second].run is None
    with Journal.open(default_journal_path()) as journal:
        assert len(journal.history.runs()) == 1
    assert len(sandbox.sandbox.transactions()) == 33


def test_problems_are_fixed_by_choosing_another_column_and_saved_for_the_next_file(
    sandbox: RunningSandbox, env: Path
) -> None:
    """The invoice date read as the payment date makes every row too old; choosing "Paid On"
    fixes them; saved as a template, it reads the next such file by itself, in the page and
    on the command line."""
    path = DATA / "paid-on-beside-invoice-date.csv"
    fields = {
        "column-invoice": "Invoice",
        "column-amount": "Amount",
        "column-payment_date": "Paid On",
        "column-method": "Method",
    }
    with page_client(account(sandbox)) as (client, bench):
        upload_id = upload(client, path)
        rows = text_of(client.get(f"/files/{upload_id}/rows?problem=date.too_old").text)
        assert "3 rows read with the template default : 0 ready, 3 with problems." in rows
        assert "Date: too old (3)" in rows
        client.post(f"/files/{upload_id}/columns", data={**fields, "action": "apply"})
        rows = text_of(client.get(f"/files/{upload_id}/rows").text)
        assert "3 rows read with the template columns : 3 ready, 0 with problems." in rows
        saved = client.post(
            f"/files/{upload_id}/columns", data={**fields, "action": "save", "name": "paid on"}
        )
        assert saved.status_code == 200
        again = upload(client, path, name="next-month.csv")
        opened = bench.uploads[again].opened
        assert opened is not None
        assert (opened.template.name, len(opened.validation.problems)) == ("paid on", 0)
        refused = client.post(
            f"/files/{upload_id}/columns", data={**fields, "action": "save", "name": "default"}
        )
        assert refused.status_code == 400
        assert "'default' is a built-in template's name: choose another name." in html.unescape(
            refused.text
        )
    code, output = invoke("validate", str(path))
    assert code == 0
    assert output.splitlines()[0].startswith('Read with the template "paid on", saved for files')
    assert output.splitlines()[-1] == "3 rows checked: 3 ready, 0 with problems."


def test_rows_come_a_page_at_a_time_and_filter_by_problem(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """250 rows: 100 to a page, the third holds 50; filtered, only the rows with that problem."""
    path = tmp_path / "long.csv"
    lines = ["Invoice,Amount,Payment Date,Method"]
    lines += [f"1001,{'x' if n % 50 == 0 else '1.00'},2026-10-03,Cash" for n in range(250)]
    path.write_text("\n".join(lines) + "\n")
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, path)
        pages = [client.get(f"/files/{upload_id}/rows?page={n}").text for n in (1, 3)]
        shown = [re.findall(r'<th scope="row">(\d+)</th>', page) for page in pages]
        assert [len(numbers) for numbers in shown] == [100, 50]
        assert (shown[0][0], shown[1][-1]) == ("2", "251")
        assert "Rows 1 to 100; page 1 of 3" in pages[0]
        bad = client.get(f"/files/{upload_id}/rows?problem=amount.not_a_number").text
        assert re.findall(r'<th scope="row">(\d+)</th>', bad) == ["2", "52", "102", "152", "202"]
        assert bad.count('aria-invalid="true"') == 5


def test_a_payment_in_doubt_is_settled_with_a_button_on_its_run(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Runs: the payment left sending has two buttons; "Found recorded" settles it."""
    with Journal.open(default_journal_path()) as journal:
        run_id = a_run(journal, tmp_path)
        claim(journal, "k1", run_id)
    with page_client(account(sandbox)) as (client, _bench):
        listed = text_of(client.get("/runs").text)
        assert "deposit.csv" in listed
        page = client.get(f"/runs/{run_id}").text
        assert page.count("Found recorded in HighLevel") == 1
        said = client.post(f"/runs/{run_id}/settle", data={"row": "2", "found": "recorded"})
        assert re.search(
            r"Run 1, row 2: recorded in HighLevel, as .+ found on .+; the next run skips it\.",
            said.text,
        )
        again = client.post(f"/runs/{run_id}/settle", data={"row": "2", "found": "recorded"})
        assert "Run 1, row 2 is not in doubt (the journal says recorded); nothing was changed." in (
            again.text
        )
    with Journal.open(default_journal_path()) as journal:
        entry = journal.ledger.payment_at(run_id, 2)
        assert entry is not None
        assert entry.state == PaymentState.RECORDED


def test_the_start_page_says_what_doctor_finds_wrong(
    sandbox: RunningSandbox, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a token the API refuses, the Start page lists doctor's failed check and its fix."""
    monkeypatch.setenv("HIGHLEVEL_TOKEN", "pit-refused")
    with workbench_for(account(sandbox), today=lambda: TODAY) as bench:
        asyncio.run(bench.run_doctor())
        app = make_app(bench, secret=KEY)
        with TestClient(app, base_url=ORIGIN) as client:
            start = text_of(client.get(f"/?key={KEY}").text)
    assert (
        "Before importing, fix this ✗ token accepted : the API refused the token (Invalid "
        "token: access token is invalid). Create a Private Integration Token in the "
        "sub-account and put it in HIGHLEVEL_TOKEN. Spreadsheet" in start
    )


def test_a_payment_for_several_invoices_shows_each_invoice_on_the_check_page(
    seed: dict[str, Any], tmp_path: Path
) -> None:
    """The sample of payments for several invoices on the Check page: the row listing two
    invoices with amounts shows both, each with its status and balance after; recording it
    records one payment per invoice part."""
    with (
        running_sandbox(seed, token=TOKEN, rate_limit="off") as sandbox,
        page_client(account(sandbox, token=TOKEN)) as (client, _bench),
    ):
        upload_id = upload(client, copy_sample("several-invoices.csv", tmp_path))
        client.post(f"/files/{upload_id}/check", data={})
        check = text_of(client.get(f"/files/{upload_id}/check").text)
        assert "Record 7 payments for USD 2,660.40" in check
        assert (
            "4 → Would be recorded 575.40 INV-1020; INV-1022 Tidewater Marine Sent 325.40 Paid; "
            "Paid 0.00; 0.00"
        ) in check
        last = record(client, upload_id)
    assert (last["done"], last["recorded"]) == (7, 7)
    assert len(sandbox.sandbox.transactions()) == 7
