"""Write the hostile files under tests/data/hostile/ (their output is committed, each small).

Run it again after changing a case: ``.venv/bin/python -m tests.make_hostile``. Each file is
one attack the importer must refuse in one line (or read safely), never with a crash: sheets
whose cells reach far beyond what their size suggests, however the reference is written, a
cell of a megabyte, amounts and dates no accountant writes, control characters in cells.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
HEADER = ["Invoice", "Amount", "Payment Date", "Method"]
SHEET = "xl/worksheets/sheet1.xml"


def workbook_of(path: Path, rows: int = 1) -> None:
    """A plain workbook of ``rows`` payments, as openpyxl writes it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Payments"
    sheet.append(HEADER)
    for number in range(rows):
        sheet.append([f"INV-{1001 + number}", 10, date(2026, 10, 3), "Cash"])
    book.save(path)


def edited(path: Path, edit: Callable[[bytes], bytes]) -> None:
    """Rewrite the first sheet's XML of the workbook at ``path`` with ``edit``."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in members:
            if info.filename == SHEET:
                changed = edit(content)
                assert changed != content, path.name
                content = changed
            target.writestr(info.filename, content)


def _before_end(cells: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", cells + b"</sheetData>")


# Each: a workbook of a few payments whose cells reach far away, in one way calamine reads.
FAR_CELLS: dict[str, tuple[int, Callable[[bytes], bytes]]] = {
    # The <dimension> says A1:D3 and one cell sits at the last cell a sheet can have.
    "dimension-lies.xlsx": (
        2,
        _before_end(
            b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        ),
    ),
    # No dimension; the far cell is in the middle of the sheet, past its first 64 KB, in a row
    # no wider than the others otherwise: neither the first rows nor the last show it.
    "far-cell-mid-sheet.xlsx": (
        1500,
        lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml).replace(
            b'<row r="1200">', b'<row r="1200"><c r="XFD1200" t="inlineStr"><is><t>x</t></is></c>'
        ),
    ),
    # The reference in lower case, with leading zeros, in single quotes and spaced.
    "far-cell-lower-case.xlsx": (
        2,
        _before_end(b'<row r="9"><c r="xfd1048576" t="inlineStr"><is><t>x</t></is></c></row>'),
    ),
    "far-cell-leading-zeros.xlsx": (
        2,
        _before_end(b'<row r="9"><c r="XFD0001048576" t="inlineStr"><is><t>x</t></is></c></row>'),
    ),
    "far-cell-quoted-otherwise.xlsx": (
        2,
        _before_end(b"<row r='9'><c r = 'XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>"),
    ),
    # Two references in one cell: calamine takes the last.
    "far-cell-second-reference.xlsx": (
        2,
        _before_end(
            b'<row r="9"><c r="A9" r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        ),
    ),
    # Four letters: past the 16,384 columns Excel has, and calamine lays them out.
    "far-cell-four-letters.xlsx": (
        2,
        _before_end(b'<row r="9999"><c r="ZZZZ9999" t="inlineStr"><is><t>x</t></is></c></row>'),
    ),
    # Cells without references, placed one after another: 20,000 across, then a row a
    # million down.
    "far-cells-by-position.xlsx": (
        2,
        _before_end(
            b'<row r="9">' + b"<c><v>1</v></c>" * 20_000 + b"</row>"
            b'<row r="1000000"><c><v>1</v></c></row>'
        ),
    ),
    # The cells in a namespace of their own.
    "far-cell-prefixed.xlsx": (
        2,
        _before_end(
            b'<row r="9"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            b' r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></row>'
        ),
    ),
}


def write_far_cell_cases() -> None:
    for name, (rows, edit) in FAR_CELLS.items():
        path = HOSTILE / name
        workbook_of(path, rows)
        edited(path, edit)


# Amounts no payment has: past 26 digits Decimal could not round them to the cent, and the
# importer stopped with a traceback; and digits of other scripts, refused in amounts.
HUGE_AMOUNTS = [
    ("INV-1001", "123456789012345678901234567"),
    ("INV-1002", "1,000,000,000,000.00"),
    ("INV-1003", "999999999999.99"),
    ("INV-1004", "(123456789012345678901234567890)"),
    ("INV-1005", "1234567890123456789012345678901234567890.50"),
    ("INV-1006", "USD 1000000000000"),
    ("INV-1007", "\u0661\u0662\u0663.\u0664\u0665"),
    ("INV-1008", "\uff11\uff12.50"),
    ("INV-1009", "\u0967\u0968\u0966.00"),
]
# Dates that are not dates: a time no clock shows was dropped and the day kept, and digits of
# other scripts were read in dates while refused in amounts.
NOT_DATES = [
    ("INV-1001", "2026-11-02T25:00"),
    ("INV-1002", "2026-11-02 23:60"),
    ("INV-1003", "20/11/2026 13:00 PM"),
    ("INV-1004", "2026-11-02T10:00+25:00"),
    ("INV-1005", "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0660\u0662"),
    ("INV-1006", "\uff12\uff10\uff12\uff16-\uff11\uff11-\uff10\uff12"),
    ("INV-1007", "2 Nov 2026 24:00"),
    ("INV-1008", "\u06f2\u06f0\u06f2\u06f6/\u06f1\u06f1/\u06f0\u06f2"),
    ("INV-1009", "2026-11-02T23:59:59Z"),
    ("INV-1010", "Nov 2 2026 12:30 PM"),
]


def write_value_cases() -> None:
    amounts = [f'{invoice},"{amount}",2026-10-03,Cash' for invoice, amount in HUGE_AMOUNTS]
    dates = [f"{invoice},10.00,{day},Cash" for invoice, day in NOT_DATES]
    for name, rows in (("huge-amounts.csv", amounts), ("not-dates.csv", dates)):
        (HOSTILE / name).write_text("\n".join([",".join(HEADER), *rows]) + "\n", encoding="utf-8")


# A cell of a megabyte in the notes, the amount and the date: csv's 128 KB limit refused the
# whole file without saying where.
MEGABYTE = 1_000_000
BIG_CELL_ROWS = [
    ["INV-1001", "10.00", "2026-10-03", "Cash", "ok"],
    ["INV-1002", "10.00", "2026-10-03", "Cash", "x" * MEGABYTE],
    ["INV-1003", "9" * MEGABYTE, "2026-10-03", "Cash", "ok"],
    ["INV-1004", "10.00", "2" * MEGABYTE, "Cash", "ok"],
]


def write_big_cells_csv(path: Path) -> None:
    """The megabyte cells as a CSV: a megabyte on disk, so written where a test wants it."""
    lines = [",".join([*HEADER, "Notes"]), *(",".join(row) for row in BIG_CELL_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_big_cell_cases() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Payments"
    for row in [[*HEADER, "Notes"], *BIG_CELL_ROWS]:
        sheet.append(row)
    book.save(HOSTILE / "big-cells.xlsx")


# Cells holding characters XML cannot carry, as Excel writes them (_x0001_), and a cell whose
# text is such an escape (written _x005F_x0041_): results and reports written from them
# stopped with openpyxl's IllegalCharacterError, after the payments were recorded.
CONTROL_ROWS = [
    ["INV-1001", "100.00", "2026-10-03", "Bank transfer", "TRF_x0001_-1001", "paid_x000B_twice"],
    ["INV-1002", "50.00", "2026-10-03", "Bank transfer", "TRF-_x005F_x0041_-1002", "escape"],
    ["INV-1003", "25.00", "2026-10-03", "Cash", "R_x001F_3", "odd_xFFFE_end"],
]
# The same cells as they read: what the results file must give back.
CONTROL_REFERENCES = ["TRF\x01-1001", "TRF-_x0041_-1002", "R\x1f3"]
CONTROL_NOTES = ["paid\x0btwice", "escape", "odd_xFFFE_end"]


def write_control_character_cases() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Payments"
    sheet.append([*HEADER, "Reference", "Notes"])
    for row in CONTROL_ROWS:
        sheet.append(row)
    book.save(HOSTILE / "control-characters.xlsx")


def main() -> None:
    HOSTILE.mkdir(parents=True, exist_ok=True)
    write_far_cell_cases()
    write_value_cases()
    write_big_cell_cases()
    write_control_character_cases()


if __name__ == "__main__":
    main()
