"""Payments the workbench holds back, and the way to go on said with the page's own controls,
not the command's flags: over the test client against the sandbox on 127.0.0.1."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from importer.journal.journal import Journal
from importer.sandbox import RunningSandbox
from tests.conftest import copy_sample
from tests.test_never_twice import invoice, recorded_at, write
from tests.workbench import account, follow, page_client, text_of, upload

REAL_PAYMENTS = (
    "Rows that repeat an earlier row, or a payment HighLevel already holds, are real payments"
)


def test_a_payment_highlevel_already_holds_is_held_back_with_the_page_s_way_on(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Cheque 001234 typed into HighLevel by hand: the Check page shows the row Duplicate with
    the evidence and the box to tick on the Rows step; ticked, the check offers to record it,
    and it is recorded once."""
    sandbox.sandbox.book.record_payment(
        invoice(sandbox, "1028")["_id"],
        amount=Decimal(400),
        payment_method={"mode": "cheque", "cheque": {"number": "001234"}},
        alt_type="location",
        fulfilled_at="2026-11-03T12:00:00.000Z",
    )
    deposit = write(
        tmp_path / "deposit.csv",
        "INV-1028,400.00,2026-11-03,Cheque,001234,",
        "INV-1027,100.00,2026-11-03,Cheque,001235,",
    )
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, deposit)
        client.post(f"/files/{upload_id}/check", data={})
        check = text_of(client.get(f"/files/{upload_id}/check").text)
        assert "2 rows: 1 would be recorded, 1 duplicate." in check
        assert (
            "2 = Duplicate 400.00 INV-1028 Birch Pharmacy Partly paid 460.00 Partly paid 460.00 "
            "HighLevel already holds a cheque payment of 400.00, cheque 001234, on INV-1028, "
            f"dated 2026-11-03, recorded {recorded_at(sandbox, '1028')}: if this is a second "
            f'real payment, put yes in its Allow duplicate cell, or tick "{REAL_PAYMENTS}" on '
            "the Rows step and check again."
        ) in check.replace("&#34;", '"')
        assert "--allow-duplicates" not in check
        assert (
            "Record 1 payment for USD 100.00 1 row will not be sent; the results file says why."
        ) in check
        assert REAL_PAYMENTS in text_of(client.get(f"/files/{upload_id}/rows").text)
        client.post(f"/files/{upload_id}/check", data={"allow_duplicates": "yes"})
        check = text_of(client.get(f"/files/{upload_id}/check").text)
        assert "Record 2 payments for USD 500.00" in check
        assert client.post(f"/files/{upload_id}/record").status_code == 200
        assert follow(client, upload_id)["recorded"] == 2
    assert len(sandbox.sandbox.transactions()) == 3


def test_the_record_step_says_the_payments_are_parts_of_fewer_payments_of_the_file(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Payments for several invoices: the Record step asks for the 7 payments HighLevel gets
    and says, as the command line does, that they are the parts of the file's 4 payments."""
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, copy_sample("several-invoices.csv", tmp_path))
        client.post(f"/files/{upload_id}/check", data={})
        confirm = text_of(client.get(f"/files/{upload_id}/record").text)
        assert (
            f"Record 7 payments for USD 2,660.40 in location {sandbox.location_id}? They are the "
            "parts of 4 payments of your file: a payment that covers several invoices is "
            "recorded as one on each invoice. There is no undo"
        ) in confirm


def test_a_run_refused_because_another_import_holds_the_journal_can_be_started_again(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Another import (a second workbench, or the command line) sends from the same journal:
    the page's run records nothing, says so, and leads back to the check; once the other has
    finished, the same upload is checked and recorded, each payment once."""
    journal_path = tmp_path / "journal.sqlite3"
    payments = copy_sample("payments.csv", tmp_path)
    with page_client(account(sandbox), journal=journal_path) as (client, bench):
        upload_id = upload(client, payments)
        client.post(f"/files/{upload_id}/check", data={})
        with Journal.open(journal_path, exclusive=True):
            assert client.post(f"/files/{upload_id}/record").status_code == 200
            follow(client, upload_id)
        done = text_of(client.get(f"/files/{upload_id}/done").text)
        assert (
            f"Done: payments.csv Another import is running with the journal at {journal_path}. "
            "Wait for it to finish (or stop it), then check the file against HighLevel again. "
            "Back to the check"
        ) in done
        assert sandbox.sandbox.transactions() == []
        client.post(f"/files/{upload_id}/check", data={})
        assert client.post(f"/files/{upload_id}/record").status_code == 200
        assert follow(client, upload_id)["recorded"] == 33
        assert bench.uploads[upload_id].run is not None
    assert len(sandbox.sandbox.transactions()) == 33


def test_the_deposit_slip_is_named_as_the_rows_step_labels_it(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A deposit total that is no amount, then one the file does not add up to: each said
    with the Rows step's own field, never the command's --expect-total; nothing sent."""
    deposit = write(tmp_path / "deposit.csv", "INV-1027,100.00,2026-11-03,Cheque,001235,")
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, deposit)
        client.post(f"/files/{upload_id}/check", data={"expect_total": "abc"})
        check = text_of(client.get(f"/files/{upload_id}/check").text)
        assert (
            "The Deposit total on the Rows step, 'abc' is not an amount; write it like 12345.67."
        ) in check.replace("&#39;", "'")
        client.post(f"/files/{upload_id}/check", data={"expect_total": "150.00"})
        check = text_of(client.get(f"/files/{upload_id}/check").text)
        assert (
            "Control (the deposit slip): total 100.00 against 150.00: DOES NOT MATCH "
            "(difference -50.00). Nothing was sent; find the difference, then check again."
        ) in check
        assert "--expect" not in check
    assert sandbox.sandbox.transactions() == []
