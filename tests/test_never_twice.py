"""Never twice, whatever the file says: proof over real HTTP that a payment HighLevel already
holds is not recorded again, however the file, the computer or the journal changed."""

from __future__ import annotations

import csv
import hashlib
import shutil
import sqlite3
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import DEFAULT_TOKEN, Fault, RequestSummary, RunningSandbox, running_sandbox
from tests.conftest import DATA, TODAY, past_where

CHEQUE_FILE = "Invoice,Amount,Payment Date,Method,Cheque No.,Allow duplicate\n"


def run(
    running: RunningSandbox, payments: Path, journal: Path, *options: str, url: str | None = None
) -> tuple[int, str]:
    """``importer run PAYMENTS --yes`` against the sandbox (at ``url`` if given), with that
    journal: its exit code and output."""
    result = CliRunner(
        env={
            "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
            "HIGHLEVEL_LOCATION_ID": running.location_id,
            "HIGHLEVEL_API_URL": url or running.url,
            "IMPORTER_JOURNAL": str(journal),
        }
    ).invoke(cli, ["run", str(payments), "--yes", *options], obj=TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, past_where(result.output)


def outcomes(results: Path) -> list[tuple[str, str, str]]:
    """(row, status, message) of each row of a results file."""
    with results.open(encoding="utf-8-sig", newline="") as stream:
        return [(r["row"], r["status"], r["message"]) for r in csv.DictReader(stream)]


def latest(folder: Path, stem: str) -> Path:
    """The results file the last run of ``stem`` wrote (a later run never writes over one;
    a dry run writes its own)."""
    written = [*folder.glob(f"{stem}.results*.csv"), *folder.glob(f"{stem}.dry-run*.csv")]
    return max(written, key=lambda path: path.stat().st_mtime_ns)


def invoice(running: RunningSandbox, number: str) -> dict[str, Any]:
    return next(i for i in running.sandbox.invoices() if i["invoiceNumber"] == number)


def payments_on(running: RunningSandbox) -> dict[str, list[str]]:
    """Each invoice number's payments in the sandbox, as amount and cheque number."""
    numbers = {i["_id"]: i["invoiceNumber"] for i in running.sandbox.invoices()}
    found: dict[str, list[str]] = {}
    for t in running.sandbox.transactions():
        cheque = (t["paymentMethod"].get("cheque") or {}).get("number", "")
        found.setdefault(numbers[t["entityId"]], []).append(f"{t['amount']:.2f} {cheque}".strip())
    return found


def recorded_at(running: RunningSandbox, number: str) -> str:
    """When the sandbox recorded the payment on invoice ``number``, as a message shows it."""
    invoice_id = invoice(running, number)["_id"]
    (transaction,) = running.sandbox.book.transactions(entity_id=invoice_id)
    return datetime.fromisoformat(transaction["createdAt"]).strftime("%Y-%m-%d %H:%M")


def write(path: Path, *rows: str) -> Path:
    path.write_text(CHEQUE_FILE + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def held_back(running: RunningSandbox, dated: str = "2026-11-03") -> str:
    """The message of a row whose cheque 001234 for 400.00 HighLevel holds on INV-1028."""
    return (
        f"HighLevel already holds a cheque payment of 400.00, cheque 001234, on INV-1028, "
        f"dated {dated}, recorded {recorded_at(running, '1028')}: if this is a second real "
        "payment, put yes in its Allow duplicate cell or run with --allow-duplicates."
    )


def test_a_recorded_row_whose_date_was_corrected_is_held_back(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Story 1: cheque 001234 for 400.00 on INV-1028 recorded, then its date corrected in the
    file and the file run again: the row is duplicate, named, exit 1; one payment."""
    journal = tmp_path / "journal.sqlite3"
    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    assert run(sandbox, deposit, journal)[0] == 0
    write(deposit, "INV-1028,400.00,2026-11-02,Cheque,001234,")
    code, output = run(sandbox, deposit, journal)
    assert code == 1, output
    assert "1 row: 1 duplicate." in output
    assert outcomes(latest(tmp_path, "deposit")) == [("2", "duplicate", held_back(sandbox))]
    assert payments_on(sandbox) == {"1028": ["400.00 001234"]}


def test_the_same_deposit_saved_as_xls_after_the_xlsx_ran_records_nothing_again(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Story 2: cheques typed as numbers in a 000000 column, run as XLSX (007001), then the
    same deposit saved as XLS and ODS and run again: nothing is sent twice."""
    journal = tmp_path / "journal.sqlite3"
    for suffix in ("xlsx", "xls", "ods"):
        shutil.copy(DATA / f"deposit-saved-as.{suffix}", tmp_path)
    first = run(sandbox, tmp_path / "deposit-saved-as.xlsx", journal)
    assert first[0] == 0, first[1]
    for again in ("xls", "ods"):
        code, output = run(sandbox, tmp_path / f"deposit-saved-as.{again}", journal)
        assert code == 0, output
        assert "3 rows: 3 already recorded." in output
    assert payments_on(sandbox) == {
        "1001": ["400.00 007001"],
        "1002": ["250.50 007002"],
        "1003": ["100.00 123456"],
    }


def test_a_second_computer_running_the_same_file_records_nothing(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Story 3: a second accountant, with a journal of their own, runs the same file: every
    row is duplicate, exit 1; one payment per invoice."""
    deposit = write(
        tmp_path / "deposit.csv",
        "INV-1028,400.00,2026-11-03,Cheque,001234,",
        "INV-1027,100.00,2026-11-03,Cheque,001235,",
    )
    assert run(sandbox, deposit, tmp_path / "mine.sqlite3")[0] == 0
    code, output = run(sandbox, deposit, tmp_path / "theirs.sqlite3")
    assert code == 1, output
    assert "2 rows: 2 duplicate." in output
    assert [status for _, status, _ in outcomes(latest(tmp_path, "deposit"))] == [
        "duplicate",
        "duplicate",
    ]
    assert payments_on(sandbox) == {"1028": ["400.00 001234"], "1027": ["100.00 001235"]}


def test_a_cheque_someone_typed_into_highlevel_last_week_is_held_back(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Story 4: the cheque was recorded by hand in HighLevel last week (through the API, as
    HighLevel's own screen does, without the importer's key): duplicate, not sent."""
    inv = invoice(sandbox, "1028")
    by_hand = httpx.post(
        f"{sandbox.url}/invoices/{inv['_id']}/record-payment",
        headers={"Authorization": f"Bearer {DEFAULT_TOKEN}", "Version": "2021-07-28"},
        json={
            "altId": sandbox.location_id,
            "altType": "location",
            "mode": "cheque",
            "amount": 400,
            "cheque": {"number": "1234"},
            "notes": "typed in by Ana",
            "fulfilledAt": "2026-11-03T00:00:00.000Z",
        },
    )
    assert by_hand.status_code == 200, by_hand.text
    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    code, output = run(sandbox, deposit, tmp_path / "journal.sqlite3")
    assert code == 1, output
    [(row, status, message)] = outcomes(latest(tmp_path, "deposit"))
    assert (row, status) == ("2", "duplicate")
    assert message == held_back(sandbox).replace("cheque 001234", "cheque 1234")
    assert payments_on(sandbox) == {"1028": ["400.00 1234"]}


def test_a_dry_run_shows_the_duplicate_too(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """--dry-run compares with HighLevel the same way: the row is duplicate, exit 1."""
    sandbox.sandbox.book.record_payment(
        invoice(sandbox, "1028")["_id"],
        amount=Decimal(400),
        payment_method={"mode": "cheque", "cheque": {"number": "001234"}},
        alt_type="location",
        fulfilled_at="2026-11-03T12:00:00.000Z",
    )
    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    code, output = run(sandbox, deposit, tmp_path / "journal.sqlite3", "--dry-run")
    assert code == 1, output
    assert outcomes(latest(tmp_path, "deposit")) == [("2", "duplicate", held_back(sandbox))]
    assert len(sandbox.sandbox.transactions()) == 1


def test_a_real_second_payment_goes_with_allow_duplicates_and_never_a_third_time(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A second real cash payment of 50.00 on the same day, held back as duplicate, goes with
    --allow-duplicates; the same file run again, with the flag or without, sends no third."""
    sandbox.sandbox.book.record_payment(
        invoice(sandbox, "1028")["_id"],
        amount=Decimal(50),
        payment_method={"mode": "cash"},
        alt_type="location",
        fulfilled_at="2026-11-03T12:00:00.000Z",
    )
    journal = tmp_path / "journal.sqlite3"
    deposit = write(tmp_path / "deposit.csv", "INV-1028,50.00,2026-11-03,Cash,,")
    assert run(sandbox, deposit, journal)[0] == 1
    code, output = run(sandbox, deposit, journal, "--allow-duplicates")
    assert code == 0, output
    assert "1 row: 1 recorded." in output
    for options in (("--allow-duplicates",), ()):
        code, output = run(sandbox, deposit, journal, *options)
        assert code == 0, output
        assert "1 row: 1 already recorded." in output
    elsewhere = run(sandbox, deposit, tmp_path / "other.sqlite3", "--allow-duplicates")
    assert elsewhere[0] == 0, elsewhere[1]
    assert outcomes(latest(tmp_path, "deposit"))[0][1] == "skipped"
    assert payments_on(sandbox) == {"1028": ["50.00", "50.00"]}


def test_a_second_equal_payment_in_a_later_file_is_recorded_when_its_cell_says_yes(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A genuine second payment equal to one an earlier file recorded: skipped at first (the
    message says what to do), recorded once its Allow duplicate cell says yes, and that later
    file run again, here or on another computer, records nothing more."""
    journal = tmp_path / "journal.sqlite3"
    first = write(tmp_path / "monday.csv", "INV-1028,50.00,2026-11-03,Cash,,")
    assert run(sandbox, first, journal)[0] == 0
    later = write(tmp_path / "tuesday.csv", "INV-1028,50.00,2026-11-03,Cash,,")
    code, output = run(sandbox, later, journal)
    assert code == 0, output
    [(_, status, message)] = outcomes(latest(tmp_path, "tuesday"))
    assert status == "skipped"
    assert message.endswith(
        "by run 1 (monday.csv, row 2). If this row is a second real payment just like that "
        "one, put yes in its Allow duplicate cell and run it again."
    )
    write(later, "INV-1028,50.00,2026-11-03,Cash,,yes")
    code, output = run(sandbox, later, journal)
    assert code == 0, output
    assert "1 row: 1 recorded." in output
    assert "\n1 row: 1 already recorded.\n" in run(sandbox, later, journal)[1]
    code, output = run(sandbox, later, tmp_path / "other.sqlite3")
    assert code == 0, output
    [(_, status, message)] = outcomes(latest(tmp_path, "tuesday"))
    assert (status, message) == (
        "skipped",
        "HighLevel already holds this payment: a cash payment of 50.00, on INV-1028, dated "
        f"2026-11-03, recorded {message.split('recorded ')[1][:16]}, recorded by the importer "
        "from tuesday.csv, row 2 (it carries this row's key). It is not sent again.",
    )
    assert payments_on(sandbox) == {"1028": ["50.00", "50.00"]}


def test_invoices_with_nothing_paid_cost_no_request_to_check(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A file of payments on unpaid invoices: not one request reads transactions."""
    deposit = write(
        tmp_path / "deposit.csv",
        "INV-1028,400.00,2026-11-03,Cheque,001234,",
        "INV-1027,100.00,2026-11-03,Cheque,001235,",
    )
    code, output = run(sandbox, deposit, tmp_path / "journal.sqlite3")
    assert code == 0, output
    assert "API requests: 3 (1 to find the invoices)." in output
    assert sandbox.sandbox.requests_by_route[("GET", "/payments/transactions")] == 0


@pytest.mark.parametrize("spelled", ["http://localhost:{port}", "HTTP://127.0.0.1:{port}/"])
def test_one_account_reached_by_another_address_is_one_account(
    sandbox: RunningSandbox, tmp_path: Path, spelled: str
) -> None:
    """The journal keys payments by the account, not by the address as typed: the same file
    run at another spelling of the same address is skipped by the journal alone."""
    journal = tmp_path / "journal.sqlite3"
    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    assert run(sandbox, deposit, journal, "--no-highlevel-check")[0] == 0
    port = sandbox.url.rsplit(":", 1)[1]
    code, output = run(
        sandbox, deposit, journal, "--no-highlevel-check", url=spelled.format(port=port)
    )
    assert code == 0, output
    assert "1 row: 1 already recorded." in output
    assert payments_on(sandbox) == {"1028": ["400.00 001234"]}


def test_a_restarted_sandbox_is_not_already_recorded(tmp_path: Path) -> None:
    """A rehearsal's payments are kept under the sandbox that answered: a sandbox started
    again, holding none of them, gets the file recorded again, and `runs` shows both runs as
    rehearsals."""
    journal = tmp_path / "journal.sqlite3"
    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    seed = DATA.parent.parent / "samples" / "sandbox-invoices.json"
    for _ in range(2):
        with running_sandbox(seed, rate_limit="off") as running:
            code, output = run(running, deposit, journal)
            assert code == 0, output
            assert "1 row: 1 recorded." in output
            assert payments_on(running) == {"1028": ["400.00 001234"]}
    listed = CliRunner().invoke(cli, ["runs", "--journal", str(journal)]).output
    assert "Rehearsals (against a sandbox; they never count for real runs):" in listed


def test_a_journal_deleted_during_a_run_stops_it_and_the_next_run_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    """The journal's file deleted while payments are being sent: the run notices, stops with
    exit 2 and says why; the next run (a new, empty journal) finds in HighLevel what was
    recorded and sends only the rest: one payment per invoice."""
    journal = tmp_path / "journal.sqlite3"
    deposit = write(
        tmp_path / "deposit.csv",
        *(f"INV-{n},100.00,2026-11-03,Cheque,00{n % 100:02d}00," for n in range(1005, 1029)),
    )
    posts: list[str] = []

    def delete_the_journal(request: RequestSummary) -> Fault | None:
        if request.method == "POST":
            posts.append(request.path)
            if len(posts) == 2:
                journal.unlink()
        return None

    seed = DATA.parent.parent / "samples" / "sandbox-invoices.json"
    with running_sandbox(seed, rate_limit="off", faults=delete_the_journal) as running:
        code, output = run(running, deposit, journal)
        assert code == 2, output
        assert output.splitlines()[-1] == (
            f"Error: The journal at {journal} was deleted or replaced while this run was using "
            "it; the run stops so that no payment is sent without a record of it. Payments "
            "already recorded are in HighLevel: the next run finds them there and does not send "
            "them again."
        )
        first = len(running.sandbox.transactions())
        code, output = run(running, deposit, journal)
        assert code == 1, output
        statuses = Counter(status for _, status, _ in outcomes(latest(tmp_path, "deposit")))
        assert statuses == {"recorded": 24 - first, "duplicate": first}
        assert first < 24
        assert payments_on(running) == {
            f"{n:04d}": [f"100.00 00{n % 100:02d}00"] for n in range(1005, 1029)
        }


def by_hand_on_1028(running: RunningSandbox) -> None:
    """A cash payment of 10.00 typed into HighLevel on INV-1028: it has something to read."""
    running.sandbox.book.record_payment(
        invoice(running, "1028")["_id"],
        amount=Decimal(10),
        payment_method={"mode": "cash"},
        alt_type="location",
    )


def test_transactions_that_keep_failing_stop_the_run_before_anything_is_sent(
    tmp_path: Path,
) -> None:
    """A 500 on every read of the transactions: read again like every read, then the run
    stops before sending, exit 2, one line; nothing recorded."""

    def failing(request: RequestSummary) -> Fault | None:
        return Fault.error() if request.path == "/payments/transactions" else None

    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    seed = DATA.parent.parent / "samples" / "sandbox-invoices.json"
    with running_sandbox(seed, rate_limit="off", faults=failing) as running:
        by_hand_on_1028(running)
        code, output = run(running, deposit, tmp_path / "journal.sqlite3")
        reads = running.sandbox.requests_by_route[("GET", "/payments/transactions")]
        posts = running.sandbox.requests_by_route[("POST", "/invoices/{invoice_id}/record-payment")]
    assert code == 2, output
    assert output.splitlines() == [
        "Error: The API answered 500 to /payments/transactions: Internal server error"
    ]
    assert (reads, posts) == (8, 0)


@pytest.mark.parametrize(
    ("scopes", "said"),
    [
        (
            "invoices.readonly,invoices.write",
            "Error: The token may not read the payments HighLevel already holds (it lacks the "
            "payments/transactions.readonly scope), so the importer cannot check that none of "
            "these payments is there already. Nothing was sent. Tick that scope for the token "
            "in HighLevel (Settings > Private Integrations), or run again with "
            "--no-highlevel-check to rely on this computer's journal alone.",
        ),
    ],
)
def test_a_token_without_the_transactions_scope_stops_before_sending_and_says_how_to_go_on(
    tmp_path: Path, scopes: str, said: str
) -> None:
    """Without payments/transactions.readonly the check cannot be made: exit 2, the way on
    named, nothing sent; with --no-highlevel-check the run goes on and says what it skipped."""
    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    seed = DATA.parent.parent / "samples" / "sandbox-invoices.json"
    with running_sandbox(seed, rate_limit="off", scopes=scopes.split(",")) as running:
        by_hand_on_1028(running)
        code, output = run(running, deposit, tmp_path / "journal.sqlite3")
        assert (code, output.splitlines()) == (2, [said])
        assert len(running.sandbox.transactions()) == 1
        code, output = run(running, deposit, tmp_path / "journal.sqlite3", "--no-highlevel-check")
        assert code == 0, output
        assert output.splitlines()[0] == (
            "Not compared with the payments HighLevel already holds (--no-highlevel-check): "
            "only this computer's journal keeps a payment from being recorded twice."
        )
        assert len(running.sandbox.transactions()) == 2


def test_a_refused_token_is_not_taken_for_a_missing_scope(tmp_path: Path) -> None:
    """A bad token is a bad token: the message says so, not that a scope is missing."""
    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    seed = DATA.parent.parent / "samples" / "sandbox-invoices.json"
    with running_sandbox(seed, rate_limit="off", token="another-token") as running:
        code, output = run(running, deposit, tmp_path / "journal.sqlite3")
    assert code == 2, output
    assert output.splitlines() == [
        "Error: The API refused the token (401: Invalid token: access token is invalid). Check "
        "HIGHLEVEL_TOKEN: it must be a Private Integration Token of this sub-account."
    ]


def test_a_payment_an_earlier_importer_kept_under_its_old_key_is_still_skipped(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Journals written before the keys' parts were normalised hold payments under the old
    key: a re-run finds them there, with the HighLevel check off (the journal alone)."""
    journal = tmp_path / "journal.sqlite3"
    deposit = write(tmp_path / "deposit.csv", "INV-1028,400.00,2026-11-03,Cheque,001234,")
    assert run(sandbox, deposit, journal, "--no-highlevel-check")[0] == 0
    (transaction,) = sandbox.sandbox.transactions()
    with sqlite3.connect(journal) as book:
        # The key as the importer wrote it before: the cheque number raw, no form marker.
        old = "|".join(
            [sandbox.location_id, transaction["entityId"], "400.00", "2026-11-03", "cheque",
             "001234"]
        )  # fmt: skip
        book.execute(
            "UPDATE payments SET key = ?", (hashlib.sha256(old.encode()).hexdigest()[:32],)
        )
    book.close()
    code, output = run(sandbox, deposit, journal, "--no-highlevel-check")
    assert code == 0, output
    assert "1 row: 1 already recorded." in output
    assert len(sandbox.sandbox.transactions()) == 1
