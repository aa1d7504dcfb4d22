"""Pictures of the results workbook as LibreOffice prints it, for the README.

    .venv/bin/python docs/make_screenshots.py

Imports a small deposit (a few rows of samples/payments.xlsx, a payment on a draft invoice,
one above what is due and a typing slip) into the bundled sandbox, prints the results
workbook to PDF with LibreOffice (``soffice --headless --convert-to pdf``), and turns the
pages into docs/results-sheet.png and docs/summary-sheet.png with ``pdftoppm``. Needs
LibreOffice Calc and poppler's pdftoppm (Debian: ``apt-get install libreoffice-calc
poppler-utils``); run by hand, not in CI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import openpyxl

DOCS = Path(__file__).resolve().parent
SAMPLE = DOCS.parent / "samples" / "payments.xlsx"
KEPT_ROWS = 8  # the sample's first payments, recorded
# Rows that go wrong: a draft invoice, more than is due, and an amount typed with a letter O.
ADDED = [
    ["INV-1029", 1500, datetime(2026, 10, 7), "Bank transfer", None, None, None, "TRF-100231"],
    ["INV-1003", 99999, datetime(2026, 10, 7), "Cash"],
    ["INV-1004", "12.5O", datetime(2026, 10, 8), "Cash"],
]
PAGES = {1: "results-sheet.png", 2: "summary-sheet.png"}
RESOLUTION = 200  # dots per inch: the results sheet is shrunk to the page's width
MARGIN, GAP = 20, 150  # pixels
# Each grey level lighter than this counts as paper.
_INKLESS = bytes(255 if level > 240 else level for level in range(256))


def _deposit(folder: Path) -> Path:
    """The deposit workbook: the sample's first rows, then the rows that go wrong."""
    book = openpyxl.load_workbook(SAMPLE)
    sheet = book.active
    assert sheet is not None
    sheet.delete_rows(KEPT_ROWS + 2, sheet.max_row)
    for values in ADDED:
        sheet.append(values)
        row = sheet.max_row
        sheet.cell(row, 2).number_format = "#,##0.00"
        sheet.cell(row, 3).number_format = "yyyy-mm-dd"
    path = folder / "deposit-2026-10.xlsx"
    book.save(path)
    return path


def _run(*command: str, cwd: Path, codes: tuple[int, ...] = (0,)) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)  # noqa: S603
    if done.returncode not in codes:
        sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}")


def main() -> None:
    """Import the deposit, print its results, and keep a picture of each sheet."""
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: apt-get install libreoffice-calc poppler-utils")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "deposits"
        folder.mkdir()
        deposit = _deposit(folder)
        journal = folder / "journal.sqlite3"
        _run(
            sys.executable, "-m", "importer", "run", deposit.name, "--sandbox", "--yes",
            "--skip-invalid", "--journal", str(journal), cwd=folder, codes=(1,),
        )  # fmt: skip
        results = folder / "deposit-2026-10.results.xlsx"
        profile = Path(temporary) / "profile"
        _run(
            "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
            "--convert-to", "pdf", "--outdir", str(folder), str(results), cwd=folder,
        )  # fmt: skip
        pdf = results.with_suffix(".pdf")
        for number, name in PAGES.items():
            # The page as pixels first, to find where its ink is; then only that, as PNG.
            page = folder / f"page-{number}"
            _run(*_pdftoppm(pdf, number), "-gray", str(pdf), str(page), cwd=folder)
            left, top, width, height = _ink(page.with_suffix(".pgm"))
            crop = ("-x", str(left), "-y", str(top), "-W", str(width), "-H", str(height))
            _run(*_pdftoppm(pdf, number), "-png", *crop, str(pdf), str(page), cwd=folder)
            shutil.copy(page.with_suffix(".png"), DOCS / name)
            print(f"{DOCS / name}")


def _pdftoppm(pdf: Path, number: int) -> tuple[str, ...]:
    return ("pdftoppm", "-r", str(RESOLUTION), "-f", str(number), "-l", str(number),
            "-singlefile")  # fmt: skip


def _ink(pgm: Path) -> tuple[int, int, int, int]:
    """The box around what is printed on a page (its footer left out), with a margin."""
    data = pgm.read_bytes()
    # A binary PGM: "P5", width, height, the largest value, one whitespace, then the pixels.
    magic, width, height, _most, pixels = data.split(maxsplit=4)
    if magic != b"P5":
        raise ValueError(f"{pgm} is not a binary PGM")
    columns, rows = int(width), int(height)
    inked = []
    for row in range(rows):
        line = pixels[row * columns : (row + 1) * columns]
        # Anti-aliased text is grey: anything darker than almost white is ink.
        if line.translate(_INKLESS).strip(b"\xff"):
            stripped = line.translate(_INKLESS)
            inked.append((row, len(stripped) - len(stripped.lstrip(b"\xff")),
                          len(stripped.rstrip(b"\xff"))))  # fmt: skip
    # The page footer ("Page 1 of 2") is the last ink, far below the rest: left out.
    starts = [i for i in range(1, len(inked)) if inked[i][0] - inked[i - 1][0] > GAP]
    if starts:
        inked = inked[: starts[-1]]
    top, bottom = inked[0][0], inked[-1][0]
    left, right = min(found[1] for found in inked), max(found[2] for found in inked)
    return (max(left - MARGIN, 0), max(top - MARGIN, 0), right - left + 2 * MARGIN,
            bottom - top + 2 * MARGIN)  # fmt: skip


if __name__ == "__main__":
    main()
