"""How fast mapping and validation go: 100k loaded rows, in rows per second (target 80k/s).

    .venv/bin/python benchmarks/bench_validate.py [--rows 100000] [--repeat 3]

The rows are made here, as the loader would hand them over (text cells), with the variety of
a real year of payments: every amount, cheque number and reference different, dates spread
over ten months, all four kinds of method. Loading is not timed: that is the loader's budget.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from pathlib import Path

from importer.check import load_template, validate_file
from importer.read import PaymentsFile, SourceRow

TARGET_ROWS_PER_SECOND = 80_000
TODAY = date(2026, 11, 24)
COLUMNS = (
    "Invoice",
    "Amount",
    "Payment Date",
    "Method",
    "Cheque No.",
    "Card Brand",
    "Last 4",
    "Reference",
    "Notes",
)
DEPOSIT_COLUMNS = ("Deposit Date", "Slip No.", "Cheque No.", "Drawer", "Invoice No.", "Amount")


def payment_rows(count: int, *, seed: int = 4) -> list[SourceRow]:
    """``count`` distinct, valid rows in the default template's columns."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        paid_on = (TODAY - timedelta(days=rng.randrange(1, 300))).isoformat()
        amount = f"{rng.randrange(100, 500_000) / 100:.2f}"
        invoice = f"INV-{rng.randrange(1000, 60_000)}" if index % 10 else f"{index:024x}"
        kind = index % 4
        cells = [invoice, amount, paid_on, "", "", "", "", "", ""]
        if kind == 0:
            cells[3], cells[4] = "Cheque", f"{index:06d}"
        elif kind == 1:
            cells[3], cells[6] = "Visa", f"{index % 10_000:04d}"
        elif kind == 2:
            cells[3], cells[7] = "Bank transfer", f"TRF-{index}"
        else:
            cells[3], cells[8] = "Cash", "Paid at the front desk"
        rows.append(SourceRow("payments", index + 2, tuple(cells)))
    return rows


def deposit_rows(count: int, *, seed: int = 4) -> list[SourceRow]:
    """``count`` distinct cheques in the cheque-deposit template's columns."""
    rng = random.Random(seed)
    return [
        SourceRow(
            "deposit",
            index + 2,
            (
                (TODAY - timedelta(days=rng.randrange(1, 150))).isoformat(),
                f"D-{index // 20}",
                f"{index:06d}",
                f"Customer {rng.randrange(1, 900)}",
                f"INV-{rng.randrange(1000, 60_000)}",
                f"{rng.randrange(100, 500_000) / 100:.2f}",
            ),
        )
        for index in range(count)
    ]


def measure(payments_file: PaymentsFile, template_name: str, repeat: int) -> float:
    """The best rows per second over ``repeat`` runs of mapping and validation."""
    template = load_template(template_name)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        validation = validate_file(payments_file, template, today=TODAY)
        best = min(best, time.perf_counter() - started)
        assert not validation.problems, validation.problems[:3]
        assert len(validation.payments) == len(payments_file.rows)
    return len(payments_file.rows) / best


def main() -> None:
    """Print rows per second for the default and cheque-deposit templates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = [
        (
            "default",
            PaymentsFile(Path("bench.csv"), "csv", "payments", COLUMNS, payment_rows(args.rows)),
        ),
        (
            "cheque-deposit",
            PaymentsFile(
                Path("deposit.csv"), "csv", "deposit", DEPOSIT_COLUMNS, deposit_rows(args.rows)
            ),
        ),
    ]
    for name, payments_file in cases:
        speed = measure(payments_file, name, args.repeat)
        verdict = "ok" if speed >= TARGET_ROWS_PER_SECOND else "BELOW TARGET"
        print(
            f"{name:15} {args.rows:,} rows: {speed:,.0f} rows/s "
            f"({verdict}, target {TARGET_ROWS_PER_SECOND:,})"
        )


if __name__ == "__main__":
    main()
