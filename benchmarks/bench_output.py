"""How long the files of a large run take to write: results and problems report, CSV and XLSX.

    .venv/bin/python benchmarks/bench_output.py [--rows 100000]

Each file is written for a quarter of the rows, then for all of them: the time should grow
four times, not sixteen (a sheet searched for its last row at every row grows sixteen).
Sending 100,000 payments takes almost three hours, so the target is proportion, not speed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from importer.check.problems import RowProblem
from importer.output.problems import write_report
from importer.output.results import RowResult, write_results
from importer.output.summary import summarise
from importer.read.layout import PaymentsFile, SourceRow
from importer.status import RowStatus

COLUMNS = ("Invoice", "Amount", "Payment Date", "Reference")


def writers(count: int) -> dict[str, Callable[[Path], None]]:
    """Each file, written for ``count`` rows, by the name it is written under."""
    rows = [
        SourceRow("payments", number, (f"INV-{number}", "10.50", "2026-10-03", f"-TRF-{number}"))
        for number in range(2, count + 2)
    ]
    # As a workbook reads: its amounts numbers and its dates dates, each in a number format.
    numbers = frozenset(row.number for row in rows)
    payments = PaymentsFile(
        Path("payments.xlsx"), "xlsx", "payments", COLUMNS, rows,
        number_cells={1: numbers}, date_cells={2: numbers},
    )  # fmt: skip
    formats = {(row.number, column): "#,##0.00" for row in rows for column in (1, 2)}
    results = [
        RowResult(row, RowStatus.RECORDED, "", "a" * 24, "INV-1", "paid", Decimal("10.50"),
                  Decimal(0), amount=Decimal("10.50"), currency="USD", mode="cash")
        for row in rows
    ]  # fmt: skip
    summary = summarise(results, requests=count)
    problems = [
        RowProblem("payments", row.number, "Amount", "amount.not_a_number", "'=x", "Not one.")
        for row in rows
    ]
    return {
        "results.csv": lambda path: write_results(path, payments, results, summary=summary),
        "results.xlsx": lambda path: write_results(
            path, payments, results, summary=summary, number_formats=formats
        ),
        "problems.csv": lambda path: write_report(path, problems),
        "problems.xlsx": lambda path: write_report(path, problems),
    }


def seconds(write: Callable[[Path], None], name: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write(Path(folder) / name)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    count = parser.parse_args().rows
    quarter, whole = writers(count // 4), writers(count)
    for name in whole:
        small, large = seconds(quarter[name], name), seconds(whole[name], name)
        print(
            f"{name:<14} {count // 4:>7} rows {small:6.2f} s  {count:>7} rows {large:6.2f} s  "
            f"x{large / small:.1f}"
        )


if __name__ == "__main__":
    main()
