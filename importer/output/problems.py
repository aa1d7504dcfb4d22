"""The validation report: every problem at once, as a short table and as a full file.

The table is for the terminal (the first problems, then how many of each kind); the file,
CSV or XLSX, holds every problem with its sheet, row, column, value, code and message, for
the accountant to sort, filter and work through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from importer.check.problems import RowProblem, shown
from importer.errors import ResultsFileError
from importer.output.files import why_not_written, write_atomically
from importer.output.spreadsheets import neutralised, new_workbook, write_csv, write_row

REPORT_COLUMNS = ("sheet", "row", "column", "code", "value", "message")
TABLE_LIMIT = 20


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
    counts = problems_by_kind(problems)
    code_width = max(len(code) for code, _count in counts)
    lines.append("")
    lines.append("Problems by kind:")
    lines.extend(f"  {code:<{code_width}}  {count:>6}" for code, count in counts)
    return lines


def problems_by_kind(problems: Sequence[RowProblem]) -> list[tuple[str, int]]:
    """Each kind of problem (its code) and how many there are, the commonest first."""
    return Counter(p.code for p in problems).most_common()


def _one_line(text: str) -> str:
    # A cell may hold line breaks; the table keeps one line per problem.
    return " ".join(text.split())


def write_report(path: Path, problems: Sequence[RowProblem]) -> None:
    """Write every problem to ``path``: XLSX when it ends in .xlsx, otherwise CSV;
    ResultsFileError when it cannot be written."""
    try:
        if path.suffix.lower() == ".xlsx":
            write_atomically(path, lambda target: _write_xlsx(target, problems))
        else:
            # The file's text quoted as in the results, so that the report gives it back.
            cells = (_cells(problem, file_text=neutralised) for problem in problems)
            write_atomically(path, lambda target: write_csv(target, chain([REPORT_COLUMNS], cells)))
    except OSError as error:
        raise ResultsFileError(
            f"{path}: cannot write the report ({why_not_written(error, path)})."
        ) from None


def _cells(problem: RowProblem, *, file_text: Callable[[str], str] = str) -> list[str | int]:
    """A problem's cells, ``file_text`` applied to those holding the file's own text."""
    return [
        file_text(problem.sheet),
        problem.row,
        file_text(problem.column),
        problem.code,
        file_text(shown(problem.value, 80)),
        # The importer's words: a message quotes any value it repeats ('=x' is not an
        # amount), so it never starts like a formula, and it is never read back.
        problem.message,
    ]


def _write_xlsx(path: Path, problems: Sequence[RowProblem]) -> None:
    workbook, sheet = new_workbook("Problems")
    for cell in write_row(sheet, 1, REPORT_COLUMNS):
        cell.font = Font(bold=True)
    for number, problem in enumerate(problems, start=2):
        write_row(sheet, number, _cells(problem))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate((16, 6, 20, 28, 24, 90), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    workbook.save(path)
