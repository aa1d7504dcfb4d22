"""The validation report: every problem at once, as a short table and as a full file.

The table is for the terminal (the first problems, then how many of each kind); the file,
CSV or XLSX, holds every problem with its sheet, row, column, value, code and message, for
the accountant to sort, filter and work through.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from importer.check import RowProblem, shown

REPORT_COLUMNS = ("sheet", "row", "column", "code", "value", "message")
TABLE_LIMIT = 20
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def problem_table(problems: Sequence[RowProblem], *, limit: int = TABLE_LIMIT) -> list[str]:
    """The first ``limit`` problems as an aligned table, then the count of each kind."""
    if not problems:
        return []
    first = problems[:limit]
    cells = [("Row", "Column", "Value", "Problem")] + [
        (str(p.row), shown(_one_line(p.column), 20), shown(_one_line(p.value), 20), p.message)
        for p in first
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(3)]
    lines = [
        f"{row:>{widths[0]}}  {column:<{widths[1]}}  {value:<{widths[2]}}  {message}".rstrip()
        for row, column, value, message in cells
    ]
    if len(problems) > limit:
        lines.append(f"... and {len(problems) - limit} more problems (all of them in the report).")
    counts = Counter(p.code for p in problems)
    code_width = max(len(code) for code in counts)
    lines.append("")
    lines.append("Problems by kind:")
    lines.extend(f"  {code:<{code_width}}  {count:>6}" for code, count in counts.most_common())
    return lines


def _one_line(text: str) -> str:
    # A cell may hold line breaks; the table keeps one line per problem.
    return " ".join(text.split())


def write_report(path: Path, problems: Sequence[RowProblem]) -> None:
    """Write every problem to ``path``: XLSX when it ends in .xlsx, otherwise CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        if path.suffix.lower() == ".xlsx":
            _write_xlsx(Path(temporary), problems)
        else:
            _write_csv(Path(temporary), problems)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cells(problem: RowProblem) -> list[str | int]:
    return [
        problem.sheet,
        problem.row,
        problem.column,
        problem.code,
        shown(problem.value, 80),
        problem.message,
    ]


def _neutralised(value: str | int) -> str | int:
    # OWASP: a cell that starts like a formula is prefixed so a spreadsheet shows it as text.
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write_csv(path: Path, problems: Sequence[RowProblem]) -> None:
    # A BOM so that Excel opens UTF-8 as UTF-8.
    with path.open("w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream)
        writer.writerow(REPORT_COLUMNS)
        for problem in problems:
            writer.writerow([_neutralised(cell) for cell in _cells(problem)])


def _write_xlsx(path: Path, problems: Sequence[RowProblem]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Problems"
    sheet.append(list(REPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for problem in problems:
        sheet.append(_cells(problem))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Text stays text: openpyxl would otherwise store "=..." as a live formula.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate((16, 6, 20, 28, 24, 90), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    workbook.save(path)
