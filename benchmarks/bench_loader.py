"""How fast the loader reads big files, against the targets of issue #3.

    .venv/bin/python benchmarks/bench_loader.py [--rows-xlsx 100000] [--rows-csv 1000000]

Targets: a 100k-row XLSX loads in at most 1.5x a bare python-calamine read of the same file
(both measured here, in one run); a 1M-row CSV loads in under 3 s with peak memory under
1 GB, clean or as exports really end (a short totals row, a few rows missing their trailing
fields). Each measurement runs in a fresh process so peak memory (ru_maxrss) is its own. The
files are made once under --folder and reused.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

METHODS = ["Cash", "Cheque", "Visa", "Bank transfer", "Mastercard"]
HEADER = [
    "Invoice",
    "Amount",
    "Payment Date",
    "Method",
    "Cheque No.",
    "Last 4",
    "Reference",
    "Notes",
]


def _row(index: int, rng: random.Random) -> list[object]:
    method = METHODS[index % len(METHODS)]
    return [
        f"INV-{100000 + index}",
        round(rng.uniform(1, 9999), 2),
        date(2026, 1, 1) + timedelta(days=index % 300),
        method,
        f"{rng.randrange(1000000):06d}" if method == "Cheque" else "",
        f"{rng.randrange(10000):04d}" if method in ("Visa", "Mastercard") else "",
        f"REF-{index}",
        "Deposit October" if index % 3 else "",
    ]


def make_csv(path: Path, rows: int) -> None:
    """A UTF-8 CSV of ``rows`` payments, as a bank export writes it."""
    rng = random.Random(3)
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(",".join(HEADER) + "\n")
        for index in range(rows):
            stream.write(",".join(str(value) for value in _row(index, rng)) + "\n")


def make_ragged_csv(path: Path, rows: int) -> None:
    """The same payments as a bank export ends them: a blank line and a short totals row.

    Every 10,000th row also lacks its trailing empty fields, as some exporters write them.
    """
    rng = random.Random(3)
    total = 0.0
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(",".join(HEADER) + "\n")
        for index in range(rows):
            cells = [str(value) for value in _row(index, rng)]
            total += float(cells[1])
            if index % 10_000 == 9_999:
                while cells and not cells[-1]:
                    cells.pop()
            stream.write(",".join(cells) + "\n")
        stream.write(f"\nTotal,{total:.2f}\n")


def make_xlsx(path: Path, rows: int) -> None:
    """An XLSX of ``rows`` payments with real number and date cells."""
    import openpyxl

    rng = random.Random(3)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Payments")
    sheet.append(HEADER)
    for index in range(rows):
        sheet.append(_row(index, rng))
    book.save(path)


def child(kind: str, path: Path) -> None:
    """One measurement in this process; prints JSON with seconds and peak RSS in MB."""
    # Imports are paid once per process, not per file: they are left out of every timing.
    import pandas as pd
    import python_calamine

    from importer.read import load

    started = time.perf_counter()
    if kind == "calamine":
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        grid = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
        count = len(grid)
        loaded_at = time.perf_counter()
    elif kind == "pandas-calamine":
        count = len(pd.read_excel(path, engine="calamine", header=None, dtype=str))
        loaded_at = time.perf_counter()
    else:
        loaded = load(path, max_size_mb=1024)
        loaded_at = time.perf_counter()
        count = len(loaded.rows)
        if kind == "load+iterate":
            count = sum(1 for _row in loaded.rows)
    finished = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": count,
                "load_s": round(loaded_at - started, 3),
                "total_s": round(finished - started, 3),
                "peak_mb": round(peak_mb),
            }
        )
    )


def measure(kind: str, path: Path, repeats: int) -> dict[str, float]:
    """The best of ``repeats`` fresh-process runs (peak memory is the largest seen)."""
    runs = []
    for _ in range(repeats):
        output = subprocess.run(  # noqa: S603 (our own script, run with our own interpreter)
            [sys.executable, __file__, "--child", kind, str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(output))
    best = min(runs, key=lambda run: run["total_s"])
    best["peak_mb"] = max(run["peak_mb"] for run in runs)
    return best


def main() -> None:
    """Make the files if needed, measure, print a table and whether each target is met."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows-xlsx", type=int, default=100_000)
    parser.add_argument("--rows-csv", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "importer-bench"
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child[0], Path(arguments.child[1]))
        return
    folder: Path = arguments.folder
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = folder / f"payments-{arguments.rows_xlsx}.xlsx"
    csv = folder / f"payments-{arguments.rows_csv}.csv"
    ragged = folder / f"payments-{arguments.rows_csv}-ragged.csv"
    if not xlsx.exists():
        make_xlsx(xlsx, arguments.rows_xlsx)
    if not csv.exists():
        make_csv(csv, arguments.rows_csv)
    if not ragged.exists():
        make_ragged_csv(ragged, arguments.rows_csv)
    print(f"XLSX {xlsx.stat().st_size / 1e6:.1f} MB, CSV {csv.stat().st_size / 1e6:.1f} MB")
    results = {
        "xlsx bare python-calamine": measure("calamine", xlsx, arguments.repeats),
        "xlsx pandas read_excel(calamine, dtype=str)": measure(
            "pandas-calamine", xlsx, arguments.repeats
        ),
        "xlsx importer load()": measure("load", xlsx, arguments.repeats),
        "xlsx importer load() + iterate rows": measure("load+iterate", xlsx, arguments.repeats),
        "csv importer load()": measure("load", csv, arguments.repeats),
        "csv importer load() + iterate rows": measure("load+iterate", csv, arguments.repeats),
        "csv with totals row importer load()": measure("load", ragged, arguments.repeats),
    }
    for name, run in results.items():
        print(
            f"{name:45} {run['rows']:>9} rows  load {run['load_s']:6.3f} s  "
            f"total {run['total_s']:6.3f} s  peak {run['peak_mb']:6.0f} MB"
        )
    ratio = (
        results["xlsx importer load()"]["total_s"] / results["xlsx bare python-calamine"]["total_s"]
    )
    print(f"XLSX load / bare calamine: {ratio:.2f}x (target <= 1.5x)")
    for name in ("csv importer load()", "csv with totals row importer load()"):
        run = results[name]
        print(
            f"{name}: {run['total_s']:.2f} s (target < 3 s), "
            f"peak {run['peak_mb']:.0f} MB (target < 1024 MB)"
        )


if __name__ == "__main__":
    main()
