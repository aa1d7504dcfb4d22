"""How fast files are checked: 100k rows, in seconds and rows per second (target: 5 s).

    .venv/bin/python benchmarks/bench_validate.py [--rows 100000] [--repeat 3] [--folder DIR]

The target is a 100k-row XLSX read and validated within 5 s: the last case here reads such a
workbook with the loader and checks it, and its seconds are held against the target. The
first two cases time mapping and validation alone, from rows made here as the loader would
hand them over (text cells), with the variety of a real year of payments: every amount,
cheque number and reference different, dates spread over ten months, all four kinds of
method; one in the default template's columns, one in the cheque-deposit template's with its
notes pattern. The workbook is made once under --folder and reused.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from importer.check.rows import validate_file
from importer.check.template_files import load_template
from importer.read.files import load
from importer.read.layout import PaymentsFile, SourceRow

T = TypeVar("T")
TARGET_SECONDS = 5.0
TARGET_ROWS = 100_000
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


def make_workbook(path: Path, rows: int) -> None:
    """The default-template rows as an accountant's XLSX: amounts and dates as real cells."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Payments")
    sheet.append(COLUMNS)
    for row in payment_rows(rows):
        cells: list[object] = list(row.cells)
        cells[1] = float(row.cells[1])
        cells[2] = date.fromisoformat(row.cells[2])
        sheet.append(cells)
    book.save(path)


def best_of(repeat: int, step: Callable[[], T]) -> tuple[float, T]:
    """The fewest seconds ``step`` took over ``repeat`` runs, and what it returned."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = step()
        timings.append(time.perf_counter() - started)
    return min(timings), outcome


def check_seconds(payments_file: PaymentsFile, template_name: str, repeat: int) -> float:
    """The fewest seconds mapping and validation of the file took, every row a payment."""
    template = load_template(template_name)
    seconds, validation = best_of(
        repeat, lambda: validate_file(payments_file, template, today=TODAY)
    )
    assert not validation.problems, validation.problems[:3]
    assert len(validation.payments) == len(payments_file.rows)
    return seconds


def per_target(seconds: float, rows: int) -> float:
    """Seconds for TARGET_ROWS rows at the pace measured."""
    return seconds * TARGET_ROWS / rows


def main() -> None:
    """Print the seconds and rows per second of each case, and the verdict on the workbook."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "importer-bench"
    )
    args = parser.parse_args()
    rows: int = args.rows
    cases = {
        "default": PaymentsFile(Path("bench.csv"), "csv", "payments", COLUMNS, payment_rows(rows)),
        "cheque-deposit": PaymentsFile(
            Path("deposit.csv"), "csv", "deposit", DEPOSIT_COLUMNS, deposit_rows(rows)
        ),
    }
    for name, payments_file in cases.items():
        seconds = check_seconds(payments_file, name, args.repeat)
        print(
            f"{name:15} {rows:,} rows checked in {seconds:.2f} s: {rows / seconds:,.0f} rows/s, "
            f"{per_target(seconds, rows):.2f} s for {TARGET_ROWS:,}"
        )

    args.folder.mkdir(parents=True, exist_ok=True)
    workbook = args.folder / f"validate-{rows}.xlsx"
    if not workbook.exists():
        make_workbook(workbook, rows)
    read, loaded = best_of(args.repeat, lambda: load(workbook, max_size_mb=1024))
    check = check_seconds(loaded, "default", args.repeat)
    total = per_target(read + check, rows)
    verdict = "ok" if total <= TARGET_SECONDS else "OVER TARGET"
    print(
        f"{'xlsx':15} {rows:,} rows read in {read:.2f} s and checked in {check:.2f} s: "
        f"{rows / (read + check):,.0f} rows/s, {total:.2f} s for {TARGET_ROWS:,} "
        f"({verdict}, target {TARGET_SECONDS:.0f} s)"
    )


if __name__ == "__main__":
    main()
