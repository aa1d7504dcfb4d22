"""A workbook whose cells reach far beyond what it weighs is refused in one line, never laid out.

calamine lays a sheet out from A1 to its farthest cell before handing over any of it; a 5 KB
file whose one cell sits at XFD1048576 aborted the process (SIGABRT, no message). The files are
made by tests/make_hostile.py: the cell is placed in each way calamine reads a reference.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import python_calamine

from importer.read.extent import ExtentMeter
from importer.read.layout import column_letters
from importer.read.xlsx import scanned, sheet_parts
from tests.make_hostile import FAR_CELLS, HOSTILE, edited, workbook_of

TOO_BIG = (
    "far more than a payments sheet holds. Something typed far below or to the right of the "
    "payments makes it this big: delete those rows and columns (or copy the payments into a new "
    "workbook), save, and try again."
)
CORNERS = {
    "dimension-lies.xlsx": ("XFD1048576", "1,048,576 rows by 16,384 columns"),
    "far-cell-mid-sheet.xlsx": ("XFD1501", "1,501 rows by 16,384 columns"),
    "far-cell-lower-case.xlsx": ("XFD1048576", "1,048,576 rows by 16,384 columns"),
    "far-cell-leading-zeros.xlsx": ("XFD1048576", "1,048,576 rows by 16,384 columns"),
    "far-cell-quoted-otherwise.xlsx": ("XFD1048576", "1,048,576 rows by 16,384 columns"),
    "far-cell-second-reference.xlsx": ("XFD1048576", "1,048,576 rows by 16,384 columns"),
    "far-cell-four-letters.xlsx": ("ZZZZ9999", "9,999 rows by 475,254 columns"),
    "far-cells-by-position.xlsx": ("ACOF1000000", "1,000,000 rows by 20,000 columns"),
    "far-cell-prefixed.xlsx": ("XFD1048576", "1,048,576 rows by 16,384 columns"),
}
# Loads each file in one child process: before the fix the first one aborted it.
LOAD_EACH = """
import json, sys
from pathlib import Path
from importer.errors import InputFileError
from importer.read.files import load
said = {}
for name in sys.argv[1:]:
    try:
        load(Path(name))
        said[Path(name).name] = "read"
    except InputFileError as error:
        said[Path(name).name] = str(error)
print(json.dumps(said))
"""


def test_every_far_reaching_workbook_is_refused_in_one_line_without_a_crash() -> None:
    """Each hostile workbook ends in one refusal naming its farthest cell, in a process that
    lives on to say so."""
    assert set(CORNERS) == set(FAR_CELLS)
    paths = [str(HOSTILE / name) for name in CORNERS]
    done = subprocess.run(
        [sys.executable, "-c", LOAD_EACH, *paths], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {
        name: f'{HOSTILE / name}: sheet "Payments" reaches cell {corner}, {size} from A1: {TOO_BIG}'
        for name, (corner, size) in CORNERS.items()
    }


def _cell(xml: bytes) -> Callable[[bytes], bytes]:
    return lambda sheet: sheet.replace(b"</sheetData>", xml + b"</sheetData>")


# Sheets written in ways calamine reads, each with its last cell somewhere ordinary: the extent
# measured is the grid calamine lays out, neither less (it would abort) nor more (a good file
# would be refused).
WRITTEN_OTHERWISE = {
    "as written": (lambda sheet: sheet, (3, 4)),
    "lower case": (
        _cell(b'<row r="7"><c r="f7" t="inlineStr"><is><t>x</t></is></c></row>'),
        (7, 6),
    ),
    "tab before r": (_cell(b'<row r="7"><c\tr="F7"><v>1</v></c></row>'), (7, 6)),
    "r not first": (_cell(b'<row r="7"><c t="n" r="F7"><v>1</v></c></row>'), (7, 6)),
    "single quotes": (_cell(b"<row r='7'><c r='F7'><v>1</v></c></row>"), (7, 6)),
    "spaced": (_cell(b'<row r="7"><c r = "F7"><v>1</v></c></row>'), (7, 6)),
    "leading zeros": (_cell(b'<row r="7"><c r="F007"><v>1</v></c></row>'), (7, 6)),
    "two references": (_cell(b'<row r="7"><c r="A7" r="F7"><v>1</v></c></row>'), (7, 6)),
    "by position": (_cell(b'<row r="7"><c><v>1</v></c><c><v>2</v></c></row>'), (7, 4)),
    "row by position": (_cell(b'<row><c r="B4"><v>1</v></c><c><v>2</v></c></row>'), (4, 4)),
    "after a reference": (_cell(b'<row r="8"><c r="E8"><v>1</v></c><c><v>2</v></c></row>'), (8, 6)),
    "a row with no cells": (_cell(b'<row r="900" ht="30" customHeight="1"/>'), (3, 4)),
    "cell text like a reference": (
        _cell(b'<row r="5"><c r="A5" t="inlineStr"><is><t>r="Q5"</t></is></c></row>'),
        (5, 17),
    ),
}


@pytest.mark.parametrize("case", WRITTEN_OTHERWISE)
def test_the_extent_measured_is_the_grid_calamine_lays_out(tmp_path: Path, case: str) -> None:
    """However a sheet's cells are written, the extent measured is calamine's, or above it
    only where a cell's text looks like a reference."""
    edit, expected = WRITTEN_OTHERWISE[case]
    path = tmp_path / "sheet.xlsx"
    workbook_of(path, rows=2)
    if case != "as written":
        edited(path, edit)
    scan = scanned(path, sheet_parts(path)["Payments"])
    assert scan is not None
    assert (scan.rows, scan.columns) == expected
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Payments")
    laid_out = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
    if case == "cell text like a reference":
        assert laid_out == (5, 4)
    else:
        assert laid_out == expected


def test_references_out_of_order_are_measured_however_many() -> None:
    """Fed a sheet piece by piece, each reference further out than the last (more than the
    scans it takes one at a time), the measure is the farthest of all."""
    meter = ExtentMeter()
    meter.feed(b'<worksheet><sheetData><row r="9"><c r="A9"><v>1</v></c></row>')
    widening = b"".join(
        b'<row r="%d"><c r="%s%d"><v>1</v></c></row>' % (row, column_letters(row).encode(), row)
        for row in range(100, 10, -1)  # rows counting down, columns widening
    )
    meter.feed(widening + b'<row r="5"><c r="B5"><v>1</v></c></row>')
    meter.feed(b"</sheetData></worksheet>")
    assert (meter.finish(), meter.walk_needed) == ((100, 101), False)  # CW100 is column 101
