"""Real exports imported as they are, with no flags: every payment as expected.json says.

Each file of tests/data/exports imitates one program's export (see its README.md). Each is
imported end to end into a sandbox seeded with tests/data/corpus-sandbox-invoices.json, on
the day expected.json names, with no template, no sheet and no reading option given.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from importer.check.validation import Payment
from importer.importing import Collaborators, ImportChoices, ImportReport, open_file, run_import
from importer.journal.journal import Journal
from importer.sandbox import RunningSandbox, running_sandbox
from importer.status import RowStatus
from tests.conftest import DATA
from tests.test_importing import client_for
from tests.test_templates_cli import invoke

EXPORTS = DATA / "exports"
EXPECTED: dict[str, Any] = json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8"))
TODAY = date.fromisoformat(EXPECTED["today"])
SEED: dict[str, Any] = json.loads((EXPORTS / EXPECTED["seed"]).read_text(encoding="utf-8"))
# What expected.json says of a payment beyond the payment itself.
_ABOUT = ("outcome", "note")


def imported(path: Path, sandbox: RunningSandbox) -> ImportReport:
    """``path`` run through the whole import into ``sandbox``, with no choice made."""

    async def go() -> ImportReport:
        async with client_for(sandbox) as client:
            collaborators = Collaborators(client=client, journal=Journal.open(":memory:"))
            return await run_import(path, ImportChoices(today=TODAY), collaborators)

    return asyncio.run(go())


def as_expected(payment: Payment, currency: str) -> dict[str, str]:
    """A payment in expected.json's words: only what it has, the currency when not the file's."""
    described = {
        "invoice": payment.invoice.text,
        "amount": f"{payment.amount:.2f}",
        "currency": payment.currency if payment.currency not in (None, currency) else None,
        "payment_date": payment.paid_on.isoformat(),
        "method": payment.mode,
        "cheque_number": payment.cheque.number if payment.cheque else None,
        "card_brand": payment.card.brand if payment.card else None,
        "card_last4": payment.card.last4 if payment.card else None,
        "reference": payment.reference or None,
    }
    return {name: value for name, value in described.items() if value is not None}


@pytest.mark.parametrize("case", EXPECTED["files"], ids=lambda case: case["file"])
def test_a_real_export_imports_with_no_flags(case: dict[str, Any], tmp_path: Path) -> None:
    """Every payment line becomes its payment, recorded or refused by its invoice; every other
    line is passed over, and none holds the file back."""
    path = tmp_path / case["file"]
    shutil.copy(EXPORTS / case["file"], path)
    opened = open_file(path, today=TODAY)
    payments = {payment.row: payment for payment in opened.validation.payments}
    expected = {line["row"]: line for line in case["rows"]}
    wanted = {row: line["payment"] for row, line in expected.items() if "payment" in line}
    assert opened.validation.problems == []
    assert {row: as_expected(payments[row], case["currency"]) for row in payments} == {
        row: {k: v for k, v in payment.items() if k not in _ABOUT}
        for row, payment in wanted.items()
    }
    with running_sandbox(SEED, rate_limit="off") as sandbox:
        report = imported(path, sandbox)
        recorded = {t["meta"]["importer_row"]: t for t in sandbox.sandbox.transactions()}
        numbers = {i["_id"]: i["invoiceNumber"] for i in sandbox.sandbox.invoices()}
    outcomes = {result.source.number: result for result in report.results}
    assert {row: str(outcomes[row].status) for row in wanted} == {
        row: payment["outcome"] for row, payment in wanted.items()
    }
    # What HighLevel now holds is each recorded payment, with its invoice, date and method.
    assert {
        row: (
            numbers[t["entityId"]],
            f"{Decimal(str(t['amount'])):.2f}",
            t["fulfilledAt"][:10],
            t["paymentMethod"]["mode"],
            t["paymentMethod"].get("cheque", {}).get("number"),
        )
        for row, t in recorded.items()
    } == {
        row: (p["invoice"], p["amount"], p["payment_date"], p["method"], p.get("cheque_number"))
        for row, p in wanted.items()
        if p["outcome"] == "recorded"
    }
    # The currency each payment counts in: its invoice's.
    assert {row: outcomes[row].currency for row in wanted} == {
        row: payment.get("currency", case["currency"]) for row, payment in wanted.items()
    }
    # Lines that are not payments: passed over in the results, or kept apart as a subtotal,
    # a total or a footer line under it; nothing else.
    kept_apart = {row.number for row in opened.file.subtotals}
    kept_apart |= {opened.file.total.number} if opened.file.total else set()
    footers = {int(n) for n in re.findall(r"Row (\d+), under the totals row", str(report.notes))}
    passed_over = {
        number for number, result in outcomes.items() if result.status == RowStatus.NOT_A_PAYMENT
    }
    not_payments = {row for row, line in expected.items() if "not_a_payment" in line}
    assert sorted(passed_over | kept_apart | footers) == sorted(not_payments)
    others = set(outcomes) - set(wanted) - passed_over
    assert {number: outcomes[number].status for number in others} == dict.fromkeys(
        others, RowStatus.NO_PAYMENT
    )


def test_a_statement_s_other_lines_are_counted_and_never_hold_the_file_back(
    sandbox: RunningSandbox, env: Path
) -> None:
    """importer run on a bank statement: the credits are recorded, the debits and the balance
    line come back not_a_payment, are counted in the summary, and the run ends 0 (all done)."""
    statement = env / "statement.csv"
    statement.write_text(
        "Date,Description,Paid In,Paid Out,Balance\n"
        "01/10/2026,Balance brought forward,,,1000.00\n"
        "14/10/2026,FUENTES LEGAL INV-1006,325.40,,1325.40\n"
        "15/10/2026,OFFICE RENT OCT,,750.00,575.40\n"
        "16/10/2026,GREENWAY PLUMBING INVOICE 1007,200.00,,775.40\n",
        encoding="utf-8",
    )
    code, output = invoke("run", str(statement), "--yes")
    assert code == 0, output
    lines = output.splitlines()
    assert lines[:2] == [
        "Read as a bank statement (template bank-transfer); to read it otherwise, use --template.",
        "Column 'Description' gives the invoice number or id: no header names it, and its cells "
        "read so (such as 'FUENTES LEGAL INV-1006').",
    ]
    assert "4 rows: 2 recorded, 2 not a payment." in lines
    assert [(t["amount"], t["paymentMethod"]["mode"]) for t in sandbox.sandbox.transactions()] == [
        (325.4, "bank_transfer"),
        (200.0, "bank_transfer"),
    ]
    with (env / "statement.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["row"], row["status"], row["message"]) for row in rows] == [
        ("2", "not_a_payment", "A balance line, not money received."),
        ("3", "recorded", ""),
        ("4", "not_a_payment", "Money paid out (750.00 under 'Paid Out')."),
        ("5", "recorded", ""),
    ]
