"""How fast big files are read, against the targets of issue #13.

    .venv/bin/python benchmarks/bench_loader.py [--rows-xlsx 100000] [--rows-csv 1000000]

Targets: a 100k-row XLSX opened as a run opens it (read, its template chosen from the header
and a sample of rows, every row validated, its total added up) within 5 s; a 1M-row CSV
read within 15 s with peak memory under 1.5 GB, clean or as exports really end (a short
totals row, a few rows missing their trailing fields). Sending 100,000 payments takes hours
at the API's 10 requests a second, so these are the bounds within which the simple reading
is kept. A bare python-calamine read and pandas' read_excel of the same XLSX are measured
beside it, and the 1M-row CSV read and validated, for comparison (no target); so is the read
of the XLSX's number formats, which a results workbook needs and the load does not (issue
#15: the load keeps only which cells are dates, and must stay within its target).

Each measurement runs in a fresh process so peak memory (ru_maxrss) is its own, and is
given as wall time and as CPU time: on a busy machine the wall time is the longer, and the
CPU time is what an idle one would show. The files are made once under --folder and reused.
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

TODAY = date(2026, 11, 24)  # every payment below is dated within the template's 400 days
XLSX_SECONDS = 5.0
CSV_SECONDS = 15.0
CSV_PEAK_MB = 1536
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

    from importer.check.rows import validate_file
    from importer.check.template_files import DEFAULT_TEMPLATE
    from importer.importing import open_file
    from importer.read.files import load
    from importer.read.xlsx import number_formats

    started, cpu_started = time.perf_counter(), time.process_time()
    if kind == "calamine":
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        count = len(book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False))
    elif kind == "pandas":
        count = len(pd.read_excel(path, engine="calamine", header=None, dtype=str))
    elif kind == "open":
        opened = open_file(path, today=TODAY)
        count = len(opened.file.rows)
        if opened.template.name != "default" or len(opened.validation.payments) != count:
            raise SystemExit(f"{path}: read as {opened.template.name}, or not every row a payment")
    elif kind == "formats":
        # Read only when a results workbook is written, not when the file is loaded.
        count = len({row for row, _column in number_formats(path, "Payments")})
    else:
        loaded = load(path, max_size_mb=1024)
        count = len(loaded.rows)
        if kind == "load+validate":
            validation = validate_file(loaded, DEFAULT_TEMPLATE, today=TODAY)
            if validation.problems or len(validation.payments) != count:
                raise SystemExit(f"{path}: not every row is a payment: {validation.problems[:3]}")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": count, "s": seconds, "cpu_s": cpu, "peak_mb": peak_mb}))


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
    best = min(runs, key=lambda run: run["s"])
    best["cpu_s"] = min(run["cpu_s"] for run in runs)
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
    repeats = arguments.repeats
    # name -> (kind, file, repeats, target seconds, target peak MB)
    cases: dict[str, tuple[str, Path, int, float | None, float | None]] = {
        "xlsx bare python-calamine": ("calamine", xlsx, repeats, None, None),
        "xlsx pandas read_excel(calamine, dtype=str)": ("pandas", xlsx, repeats, None, None),
        "xlsx importer load()": ("load", xlsx, repeats, None, None),
        "xlsx importer load() + validate": ("load+validate", xlsx, repeats, None, None),
        "xlsx importer open_file(), template chosen": ("open", xlsx, repeats, XLSX_SECONDS, None),
        "xlsx number formats, for the results": ("formats", xlsx, repeats, None, None),
        "csv importer load()": ("load", csv, repeats, CSV_SECONDS, CSV_PEAK_MB),
        "csv with totals row importer load()": ("load", ragged, repeats, CSV_SECONDS, CSV_PEAK_MB),
        # Minutes on a busy machine, and for comparison only: measured once.
        "csv importer load() + validate": ("load+validate", csv, 1, None, None),
    }
    missed = []
    for name, (kind, path, times, seconds, peak_mb) in cases.items():
        run = measure(kind, path, times)
        verdict = ""
        if seconds is not None:
            verdict = f"  target {seconds:g} s" + (f", {peak_mb:g} MB" if peak_mb else "") + ": "
            if (peak_mb is not None and run["peak_mb"] > peak_mb) or run["cpu_s"] > seconds:
                verdict += "MISSED"
                missed.append(name)
            else:
                verdict += "met" if run["s"] <= seconds else "met in CPU time (a busy machine)"
        print(
            f"{name:44} {run['rows']:>9} rows  {run['s']:6.2f} s  cpu {run['cpu_s']:6.2f} s  "
            f"peak {run['peak_mb']:5.0f} MB{verdict}"
        )
    print(f"Missed: {', '.join(missed)}." if missed else "Every target met.")


if __name__ == "__main__":
    main()
