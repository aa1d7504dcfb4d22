"""Small journals for the journal's own tests: a clock at noon, a run, a claimed payment."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from importer.journal.journal import Journal
from importer.journal.ledger import Entry
from importer.journal.runs import ReadingChoices
from tests.clocks import ManualClock

API = "https://services.leadconnectorhq.com"
NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def open_journal(tmp_path: Path, clock: ManualClock | None = None) -> Journal:
    """A journal in a temporary folder whose clock says noon on 2 November 2026."""
    return Journal.open(tmp_path / "journal.sqlite3", clock=clock or ManualClock(NOON))


def claim(
    journal: Journal, key: str, run_id: int, *, account: str = API, **options: Any
) -> Entry | None:
    """Claim one payment of 12.50 on row 2 of deposit.csv."""
    return journal.ledger.claim(
        account=account,
        key=key,
        run_id=run_id,
        row=2,
        file="deposit.csv",
        invoice_id="a1",
        amount=Decimal("12.50"),
        paid_on="2026-10-03",
        paid_before=Decimal(0),
        **options,
    )


def a_run(journal: Journal, tmp_path: Path, reading: ReadingChoices | None = None) -> int:
    """Start a run for a small file, read as ``reading`` says (nothing kept by default)."""
    payments = tmp_path / "deposit.csv"
    payments.write_text("Invoice,Amount\n1001,12.50\n")
    return journal.history.start_run(
        file=payments, location_id="loc1", api_url=API, reading=reading or ReadingChoices()
    )
