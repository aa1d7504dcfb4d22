"""Which lines of a statement are money received: the test the import and matching share."""

from __future__ import annotations

import pytest

from importer.check.money_in import StatementColumns, passed_over

# Date, Description, Paid in, Paid out, Balance, Status
HEADERS = ("Date", "Description", "Paid In", "Paid Out", "Balance", "Status")
PAID_IN_AND_OUT = StatementColumns(HEADERS, 2, 3, (5,), money_in_only=True)
# Date, Description, Amount (signed), Balance
SIGNED = StatementColumns(("Date", "Description", "Amount", "Balance"), 2, None, (), True)
# A list of payments with a status column, and no money out in it.
LIST = StatementColumns(("Invoice", "Amount", "Status"), 1, None, (2,), money_in_only=False)

LINES: list[tuple[str, StatementColumns, tuple[str, ...], str | None]] = [
    ("money in", PAID_IN_AND_OUT, ("01/11/2026", "ACME INV-1", "120.00", "", "900.00", ""), None),
    ("money out", PAID_IN_AND_OUT, ("01/11/2026", "RENT", "", "750.00", "150.00", ""),
     "Money paid out (750.00 under 'Paid Out')."),
    ("money out written negative", PAID_IN_AND_OUT, ("01/11/2026", "RENT", "", "-750.00", "", ""),
     "Money paid out (-750.00 under 'Paid Out')."),
    ("money out and a 0 in", PAID_IN_AND_OUT, ("01/11/2026", "FEE", "0", "8.50", "", ""),
     "Money paid out (8.50 under 'Paid Out')."),
    ("a balance brought forward", PAID_IN_AND_OUT,
     ("01/11/2026", "Balance brought forward", "", "", "900.00", ""),
     "A balance line, not money received."),
    ("pending", PAID_IN_AND_OUT, ("01/11/2026", "ACME INV-1", "120.00", "", "", "Pending"),
     "Its Status says 'Pending': no money received."),
    ("completed", PAID_IN_AND_OUT, ("01/11/2026", "ACME INV-1", "120.00", "", "", "Completed"),
     None),
    ("signed money in", SIGNED, ("11/01/2026", "Zelle from ACME Inv 1", "1,200.00", "9.00"), None),
    ("signed money out", SIGNED, ("11/01/2026", "CHECKCARD STAPLES", "-84.19", "9.00"),
     "Money paid out (-84.19)."),
    ("minus sign", SIGNED, ("11/01/2026", "RECIBO", "\u2212212,37", "9.00"),
     "Money paid out (\u2212212,37)."),
    ("beginning balance", SIGNED,
     ("10/01/2026", "Beginning balance as of 10/01/2026", "", "18,204.55"),
     "A balance line, not money received."),
    ("saldo inicial", SIGNED, ("01/10/2026", "Saldo inicial", "", "1.250,00"),
     "A balance line, not money received."),
    ("a zero", SIGNED, ("11/01/2026", "Pot transfer", "0.00", "9.00"),
     "No money received in this line (an amount of 0)."),
    ("no amount", SIGNED, ("11/01/2026", "Pot transfer", "", "9.00"),
     "No money received in this line."),
    ("a payment whose notes say balance", SIGNED,
     ("11/01/2026", "Invoice 1024 final balance", "250.00", "9.00"), None),
    ("a payments list: negative is the row's problem", LIST, ("1001", "-5.00", ""), None),
    ("a payments list: refunded", LIST, ("1001", "5.00", "Refunded"),
     "Its Status says 'Refunded': no money received."),
    ("a payments list: failed_collection", LIST, ("1001", "5.00", "failed"),
     "Its Status says 'failed': no money received."),
    ("a payments list: paid_out", LIST, ("1001", "5.00", "paid_out"), None),
    ("a payments list: charged_back", LIST, ("1001", "5.00", "charged_back"),
     "Its Status says 'charged_back': no money received."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("columns", "cells", "reason"), [line[1:] for line in LINES], ids=[line[0] for line in LINES]
)
def test_which_lines_are_money_received(
    columns: StatementColumns, cells: tuple[str, ...], reason: str | None
) -> None:
    """A debit, a balance line, a pending or refunded one is passed over, saying why."""
    assert passed_over(cells, columns, decimal="," if "212,37" in cells[2] else ".") == reason
