"""A currency written in the amount cell is read: it must be the invoice's, or the row is
refused; never recorded as the same number in the invoice's currency."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.check.fields import amount_currency
from importer.cli import cli
from importer.sandbox import RunningSandbox
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("written", "column", "currency", "problems"),
    [
        ("5", None, None, []),
        ("5 EUR", None, "EUR", []),
        ("€5.00", None, "EUR", []),
        ("GBP 7", None, "GBP", []),
        ("1.234,50 €", None, "EUR", []),
        ("(US$ 7.00)", None, "USD", []),
        ("MX$100", None, "MXN", []),
        ("$5", None, "$", []),
        ("¥500", None, "¥", []),
        ("5 EUR", "EUR", "EUR", []),
        ("$5", "CAD", "$", []),
        ("7 ABC", None, None, ["amount.unknown_currency"]),
        ("5 EUR", "USD", None, ["amount.currency_conflict"]),
        ("$5", "EUR", None, ["amount.currency_conflict"]),
    ],
)
def test_the_currency_an_amount_names(
    written: str, column: str | None, currency: str | None, problems: list[str]
) -> None:
    """A code or a symbol before or after the amount is read; an unknown code, or one the
    row's Currency column contradicts, is a problem of the row."""
    found: list[str] = []
    assert amount_currency(written, column, lambda _f, code, _m: found.append(code)) == currency
    assert found == problems


def run(payments: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", str(payments), "--yes", "--skip-invalid"], obj=TODAY)
    return result.exit_code, result.output


def test_amounts_in_another_currency_are_refused_not_recorded_as_dollars(
    sandbox: RunningSandbox, env: Path
) -> None:
    """On USD invoices: 5 EUR, €5.00 and GBP 7 are refused, 7 ABC is invalid; $5 and US$ 7
    are recorded, as 5 and 7 dollars."""
    payments = env / "deposit.csv"
    payments.write_text(
        "Invoice,Amount,Payment Date,Method\n"
        "INV-1001,5 EUR,2026-11-03,Cash\n"
        "INV-1002,€5.00,2026-11-03,Cash\n"
        "INV-1003,GBP 7,2026-11-03,Cash\n"
        "INV-1004,7 ABC,2026-11-03,Cash\n"
        "INV-1005,$5,2026-11-03,Cash\n"
        "INV-1006,US$ 7,2026-11-03,Cash\n",
        encoding="utf-8",
    )
    code, output = run(payments)
    assert code == 1, output
    with (env / "deposit.results.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = [(r["row"], r["status"], r["message"]) for r in csv.DictReader(stream)]
    refused = "but the invoice is in USD; the API records a payment in the invoice's currency."
    assert rows == [
        ("2", "rejected", f"The row is in EUR {refused}"),
        ("3", "rejected", f"The row is in EUR {refused}"),
        ("4", "rejected", f"The row is in GBP {refused}"),
        (
            "5",
            "invalid",
            "Column \"Amount\": '7 ABC' names ABC, which is not a currency. Write the amount "
            "alone, or with the invoice's currency code, such as USD.",
        ),
        ("6", "recorded", ""),
        ("7", "recorded", ""),
    ]
    amounts = sorted(float(t["amount"]) for t in sandbox.sandbox.transactions())
    assert amounts == [5.0, 7.0]
