"""Large generated payment files and the invoices they pay, for proof tests and benchmarks."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

LOCATION = "bulkLocation0000000001"


def bulk_seed(invoices: int) -> dict[str, Any]:
    """A location with ``invoices`` sent invoices numbered from 5001, each of 1,000.00."""
    return {
        "locationId": LOCATION,
        "invoices": [
            {
                "_id": f"{index:024x}",
                "invoiceNumber": str(5001 + index),
                "status": "sent",
                "total": 1000,
                "amountPaid": 0,
            }
            for index in range(invoices)
        ],
    }


def write_bulk(folder: Path, *, rows: int, per_invoice: int = 2) -> tuple[Path, dict[str, Any]]:
    """A CSV of ``rows`` cheque payments, ``per_invoice`` to each invoice; and its seed."""
    invoices = -(-rows // per_invoice)
    paid_on = (date.today() - timedelta(days=3)).isoformat()
    path = folder / f"bulk-{rows}.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Invoice", "Amount", "Payment Date", "Method", "Cheque No."])
        for number in range(rows):
            invoice = 5001 + number // per_invoice
            amount = Decimal(10 + number % per_invoice) + Decimal("0.25")
            writer.writerow([invoice, f"{amount:.2f}", paid_on, "Cheque", f"{number:06d}"])
    seed = bulk_seed(invoices)
    (folder / "bulk-seed.json").write_text(json.dumps(seed))
    return path, seed


def payments_by_key(transactions: list[dict[str, Any]]) -> dict[str, int]:
    """How many transactions carry each importer key."""
    counts: dict[str, int] = {}
    for transaction in transactions:
        key = (transaction.get("meta") or {}).get("importer_key", "")
        counts[key] = counts.get(key, 0) + 1
    return counts


def payments_by_cheque(transactions: list[dict[str, Any]]) -> dict[str, int]:
    """How many transactions carry each cheque number (one per row of a bulk file)."""
    counts: dict[str, int] = {}
    for transaction in transactions:
        number = transaction["paymentMethod"]["cheque"]["number"]
        counts[number] = counts.get(number, 0) + 1
    return counts
