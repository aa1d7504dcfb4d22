"""Settling by hand a payment left in doubt on a row that pays several invoices: which one is
said with --invoice."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from importer.cli import cli
from importer.journal.journal import Journal
from importer.journal.ledger import InvoiceState
from importer.send.outcomes import settle_by_hand
from importer.status import PaymentState

API = "https://api.test"


def in_doubt_on_two_invoices(tmp_path: Path) -> Path:
    """A journal whose run 1 left both parts of row 5 (INV-2024 and INV-2025) unknown."""
    where = tmp_path / "journal.sqlite3"
    payments = tmp_path / "deposit.csv"
    payments.write_text("Invoice\n")
    with Journal.open(where) as journal:
        run = journal.history.start_run(file=payments, location_id="loc", api_url=API)
        for key, number, invoice_id in (("k1", "INV-2024", "a" * 24), ("k2", "INV-2025", "b" * 24)):
            journal.ledger.claim(
                account=API, key=key, run_id=run, row=5, file="deposit.csv",
                invoice_id=invoice_id, amount=Decimal("10.00"), paid_on="2026-11-02",
                paid_before=Decimal(0), invoice=InvoiceState(number=number, currency="USD"),
            )  # fmt: skip
            journal.ledger.settle(account=API, key=key, state=PaymentState.UNKNOWN)
    return where


def settle(journal: Path, *words: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["runs", "settle", *words, "--journal", str(journal)])
    return result.exit_code, result.output


def test_a_row_with_two_payments_in_doubt_asks_which_invoice() -> None:
    """The message of a part left unknown names its invoice in the command to settle it."""
    assert settle_by_hand(3, 5, invoice="INV-2025") == (
        "Look for it on the invoice in HighLevel, then say what you found: importer runs settle "
        "3 5 --invoice INV-2025 --recorded (or --not-recorded). Until then each run checks it "
        "again and never sends it."
    )


def test_settle_says_which_invoice_when_a_row_has_several_in_doubt(tmp_path: Path) -> None:
    """Without --invoice: refused, naming both invoices. With it (as printed, or without its
    prefix, or by id): that part alone is settled; then the other needs no --invoice."""
    journal = in_doubt_on_two_invoices(tmp_path)
    assert settle(journal, "1", "5", "--recorded") == (
        2,
        "Error: Row 5 of run 1 has 2 payments in doubt, on invoices INV-2024 and INV-2025: say "
        "which you looked at with --invoice NUMBER.\n",
    )
    assert settle(journal, "1", "5", "--invoice", "2099", "--recorded") == (
        2,
        "Error: Run 1, row 5 holds no payment in doubt on invoice 2099; nothing was changed. See: "
        "importer runs show 1\n",
    )
    code, said = settle(journal, "1", "5", "--invoice", "2025", "--not-recorded")
    assert code == 0, said
    assert re.fullmatch(
        r"Run 1, row 5: not recorded in HighLevel, as .+ found on \d{4}-\d\d-\d\d "
        r"\d\d:\d\d:\d\d UTC; the next run sends it\.\n",
        said,
    ), said
    code, said = settle(journal, "1", "5", "--recorded")
    assert code == 0, said
    with Journal.open(journal) as book:
        assert {e.invoice.number: e.state for e in book.ledger.run_payments(1)} == {
            "INV-2024": "recorded",
            "INV-2025": "not_sent",
        }


def test_settle_finds_the_invoice_by_its_id(tmp_path: Path) -> None:
    """--invoice with the invoice's id, in capitals, settles that part alone."""
    journal = in_doubt_on_two_invoices(tmp_path)
    code, said = settle(journal, "1", "5", "--invoice", "A" * 24, "--recorded")
    assert code == 0, said
    with Journal.open(journal) as book:
        assert {e.invoice.number: e.state for e in book.ledger.run_payments(1)} == {
            "INV-2024": "recorded",
            "INV-2025": "unknown",
        }
