"""Preflight: every row checked against its live invoice in the sandbox, with few requests."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.cli import cli
from importer.preflight import Preflight, preflight
from importer.read.files import load
from importer.sandbox import DEFAULT_TOKEN, RunningSandbox, running_sandbox
from tests.bulk import bulk_seed, write_bulk
from tests.conftest import DATA, past_where

TODAY = date(2026, 11, 24)
HEADER = "Invoice,Amount,Payment Date,Method,Reference,Currency\n"


def invoice(number: str, total: float, **fields: Any) -> dict[str, Any]:
    """A seed invoice with a predictable id derived from its number."""
    return {
        "_id": fields.pop("_id", f"{int(number):024x}"),
        "invoiceNumber": number,
        "invoiceNumberPrefix": "INV-",
        "total": total,
        **fields,
    }


def check(running: RunningSandbox, tmp_path: Path, rows: str, *, header: str = HEADER) -> Preflight:
    """Validate ``rows`` as a CSV file and preflight them against the running sandbox."""
    path = tmp_path / "payments.csv"
    path.write_text(header + rows)
    validation = validate_file(load(path), DEFAULT_TEMPLATE, today=TODAY)
    assert validation.problems == []

    async def go() -> Preflight:
        async with HighLevelClient(
            base_url=running.url,
            token=SecretStr(running.token),
            location_id=running.location_id,
        ) as client:
            return await preflight(client, validation.payments)

    return asyncio.run(go())


def codes(result: Preflight) -> list[tuple[int, str | None]]:
    return [(verdict.payment.row, verdict.code) for verdict in result.verdicts]


SEED = {
    "locationId": "locPreflight1",
    "invoices": [
        invoice("2001", 100.0),
        invoice("2002", 100.0, status="draft"),
        invoice("2003", 100.0, status="void"),
        invoice("2004", 100.0, amountPaid=100.0, status="paid"),
        invoice("2005", 100.0, currency="EUR"),
        invoice("2006", 100.0, liveMode=False),
        invoice("2007", 50.0),
        invoice("2007", 70.0, _id="b" * 24),
    ],
}


def test_each_refusal_has_its_code_and_plain_message(tmp_path: Path) -> None:
    """Unknown, draft, void, paid, other-currency and ambiguous invoices are each refused."""
    rows = (
        "9999,10.00,2026-10-01,Cash,,\n"
        "INV-2002,10.00,2026-10-01,Cash,,\n"
        "INV-2003,10.00,2026-10-01,Cash,,\n"
        "INV-2004,10.00,2026-10-01,Cash,,\n"
        "INV-2005,10.00,2026-10-01,Cash,,USD\n"
        "2007,10.00,2026-10-02,Cash,,\n"
        "INV-2005,10.00,2026-10-03,Cash,,EUR\n"
    )
    with running_sandbox(SEED, rate_limit="off") as running:
        result = check(running, tmp_path, rows)
    assert codes(result) == [
        (2, "invoice.not_found"),
        (3, "invoice.draft"),
        (4, "invoice.void"),
        (5, "invoice.paid"),
        (6, "currency.mismatch"),
        (7, "invoice.ambiguous"),
        (8, None),
    ]
    messages = [verdict.refusal for verdict in result.verdicts]
    assert messages[0] == "No invoice with number 9999 in this location."
    assert messages[1] == (
        "The invoice is a draft: send the invoice first, then record the payment."
    )
    assert messages[4] == (
        "The row is in USD but the invoice is in EUR; "
        "the API records a payment in the invoice's currency."
    )
    assert messages[5] == (
        f"Invoice number 2007 matches more than one invoice ({2007:024x}, {'b' * 24}); "
        "put the invoice id in the row instead."
    )


def test_rows_for_one_invoice_are_a_running_sum_in_file_order(tmp_path: Path) -> None:
    """Rows that fit go ahead; the first that would overpay and all later ones are held."""
    rows = (
        "INV-2001,40.00,2026-10-01,Cash,,\n"
        "INV-2001,50.00,2026-10-02,Cash,,\n"
        "INV-2001,30.00,2026-10-03,Cash,,\n"
        "INV-2001,5.00,2026-10-04,Cash,,\n"
        f"{2001:024x},5.00,2026-10-05,Cash,,\n"
    )
    with running_sandbox(SEED, rate_limit="off") as running:
        result = check(running, tmp_path, rows)
    assert codes(result) == [
        (2, None),
        (3, None),
        (4, "amount.above_due"),
        (5, "invoice.held_back"),
        (6, "invoice.held_back"),
    ]
    assert result.verdicts[2].refusal == (
        "The amount 30.00 is more than the 10.00 still due on the invoice "
        "(after earlier rows of this file)."
    )
    assert result.verdicts[3].refusal == (
        "Row 4 of this file would overpay this invoice; later rows for it are held back "
        "until that row is fixed."
    )


def test_cents_on_a_zero_decimal_invoice_are_refused_when_the_file_has_no_currency(
    tmp_path: Path,
) -> None:
    """A JPY invoice refuses an amount with cents though no column says the row is in JPY."""
    rows = "INV-9001,1000.50,2026-10-01,Cash\nINV-9001,1000,2026-10-02,Cash\n"
    with running_sandbox(DATA / "jpy-invoice.json", rate_limit="off") as running:
        result = check(running, tmp_path, rows, header="Invoice,Amount,Payment Date,Method\n")
    assert codes(result) == [(2, "amount.too_many_decimals"), (3, None)]
    assert result.verdicts[0].refusal == (
        "The invoice is in JPY, which has no decimals, but the amount is 1,000.50. Correct the "
        "amount to a whole number of JPY, then run again."
    )


def test_test_mode_invoice_is_a_warning_not_a_refusal(tmp_path: Path) -> None:
    """An invoice with liveMode false goes ahead, carrying a warning."""
    with running_sandbox(SEED, rate_limit="off") as running:
        result = check(running, tmp_path, "INV-2006,10.00,2026-10-01,Cash,,\n")
    (verdict,) = result.verdicts
    assert verdict.refusal is None
    assert verdict.warning == "The invoice is in test mode."


def test_a_thousand_rows_among_five_thousand_invoices_take_at_most_60_lookups(
    tmp_path: Path,
) -> None:
    """Invoices are found by paging the list once: 5,000 invoices cost 50 requests."""
    seed = {
        "locationId": "locLookups1",
        "invoices": [invoice(str(10000 + n), 500.0) for n in range(5000)],
    }
    rows = "".join(
        f"INV-{10000 + n * 5},12.34,2026-10-01,Bank transfer,TRF-{n},\n" for n in range(1000)
    )
    with running_sandbox(seed, rate_limit="off") as running:
        result = check(running, tmp_path, rows)
    assert [verdict.code for verdict in result.verdicts] == [None] * 1000
    assert result.lookup_requests == 50


def test_a_rerun_among_five_thousand_invoices_pages_them_once(tmp_path: Path) -> None:
    """A fixed results file run again checks its rows against one paging: 50 lookups, not 100."""
    payments, _ = write_bulk(tmp_path, rows=1000, per_invoice=1)
    lines = payments.read_text().splitlines(keepends=True)
    lines[500] = lines[500].replace("10.25", "1O.25")
    payments.write_text("".join(lines))
    summary = tmp_path / "summary.json"
    with running_sandbox(bulk_seed(5000), rate_limit="off") as running:
        runner = CliRunner(
            env={
                "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
                "HIGHLEVEL_LOCATION_ID": running.location_id,
                "HIGHLEVEL_API_URL": running.url,
            }
        )
        first = runner.invoke(
            cli, ["run", str(payments), "--yes", "--skip-invalid", "--summary-json", str(summary)]
        )
        assert first.exit_code == 1, first.output
        assert json.loads(summary.read_text())["lookup_requests"] == 50
        results = tmp_path / "bulk-1000.results.csv"
        results.write_text(results.read_text(encoding="utf-8-sig").replace("1O.25", "10.25"))
        again = runner.invoke(cli, ["run", str(results), "--yes", "--summary-json", str(summary)])
        assert again.exit_code == 0, again.output
        transactions = running.sandbox.transactions()
    counted = json.loads(summary.read_text())
    assert (counted["by_status"]["recorded"], counted["by_status"]["skipped"]) == (1, 999)
    assert (counted["lookup_requests"], counted["requests"]) == (50, 51)
    assert len(transactions) == 1000


def test_alike_rows_take_one_line_and_a_test_mode_invoice_is_shown_and_counted(
    tmp_path: Path,
) -> None:
    """Rows refused for the same reason share a line; a test-mode payment is a counted warning."""
    payments = tmp_path / "payments.csv"
    payments.write_text(
        HEADER + "INV-2002,10.00,2026-10-01,Cash,,\n"
        "INV-2002,20.00,2026-10-01,Cash,,\n"
        "INV-2006,10.00,2026-10-01,Cash,,\n"
        "INV-2002,30.00,2026-10-01,Cash,,\n"
    )
    with running_sandbox(SEED, rate_limit="off") as running:
        result = CliRunner(
            env={
                "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
                "HIGHLEVEL_LOCATION_ID": running.location_id,
                "HIGHLEVEL_API_URL": running.url,
            }
        ).invoke(cli, ["run", str(payments), "--yes", "--summary-json", str(tmp_path / "s.json")])
    assert result.exit_code == 1, result.output
    assert past_where(result.output).startswith(
        "Rows 2-3, 5 (3 rows): Refused: The invoice is a draft: send the invoice first, then "
        "record the payment.\n"
        "Row 4: Recorded: The invoice is in test mode.\n"
        "4 rows: 1 recorded, 3 refused.\n"
        "Warnings: 1 row; the message of each says why.\n"
    )
    assert json.loads((tmp_path / "s.json").read_text())["warnings"] == 1


def test_numbers_are_compared_as_text_and_a_near_miss_is_named(tmp_path: Path) -> None:
    """0042 does not find invoice 42 (nor 43 invoice 0043); the refusal names the near one."""
    seed = {"locationId": "locZeros1", "invoices": [invoice("42", 100.0), invoice("0043", 100.0)]}
    rows = (
        "42,10.00,2026-10-01,Cash,,\n"
        "INV-0042,10.00,2026-10-02,Cash,,\n"
        "INV-0043,10.00,2026-10-03,Cash,,\n"
        "43,10.00,2026-10-04,Cash,,\n"
    )
    with running_sandbox(seed, rate_limit="off") as running:
        result = check(running, tmp_path, rows)
    assert codes(result) == [
        (2, None),
        (3, "invoice.not_found"),
        (4, None),
        (5, "invoice.not_found"),
    ]
    assert [verdict.refusal for verdict in result.verdicts if verdict.refusal] == [
        f"No invoice with number 0042 in this location. Invoice number 42 ({42:024x}) has the "
        "same digits with other leading zeros: if you meant it, write its number as printed, "
        "or its id, in the row.",
        f"No invoice with number 43 in this location. Invoice number 0043 ({43:024x}) has the "
        "same digits with other leading zeros: if you meant it, write its number as printed, "
        "or its id, in the row.",
    ]
