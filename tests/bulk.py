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


def numbered_invoice(number: str, total: float, **fields: Any) -> dict[str, Any]:
    """A seed invoice INV-``number`` of ``total``, its id made of its number."""
    return {
        "_id": f"{int(number):024x}",
        "invoiceNumber": number,
        "invoiceNumberPrefix": "INV-",
        "total": total,
        **fields,
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


def write_split_bulk(folder: Path, *, cheques: int) -> tuple[Path, dict[str, Any], int]:
    """A CSV of ``cheques`` cheques, each paying three invoices of its own, in turn as one row
    listing them with amounts, as three rows that share the cheque number, and (every third)
    as one row listing two invoices without amounts (paying each in full); its seed, and how
    many parts (HighLevel payments) it holds."""
    paid_on = (date.today() - timedelta(days=3)).isoformat()
    path = folder / f"split-{cheques}.csv"
    parts = 0
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Invoice", "Amount", "Payment Date", "Method", "Cheque No."])
        for number in range(cheques):
            first = 5001 + 3 * number
            cheque = f"{number + 1:06d}"
            if number % 3 == 2:
                writer.writerow([f"{first}, {first + 1}", "2000.00", paid_on, "Cheque", cheque])
                parts += 2
                continue
            amounts = [Decimal("10.25"), Decimal("20.50"), Decimal("30.75")]
            if number % 3 == 0:
                cell = "|".join(f"{first + k}:{amount}" for k, amount in enumerate(amounts))
                writer.writerow([cell, f"{sum(amounts)}", paid_on, "Cheque", cheque])
            else:
                for k, amount in enumerate(amounts):
                    writer.writerow([first + k, f"{amount}", paid_on, "Cheque", cheque])
            parts += 3
    seed = bulk_seed(3 * cheques)
    (folder / "split-seed.json").write_text(json.dumps(seed))
    return path, seed, parts


def parts_by_cheque_and_invoice(transactions: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """How many transactions each (cheque number, invoice id) pair has: one per part."""
    counts: dict[tuple[str, str], int] = {}
    for transaction in transactions:
        pair = (transaction["paymentMethod"]["cheque"]["number"], transaction["entityId"])
        counts[pair] = counts.get(pair, 0) + 1
    return counts
