"""A problem in a row: where it is, a stable code, and a message for the accountant.

Bad rows are values, never exceptions. pydantic's errors are translated into these here and
only here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from importer.check.mapping import ColumnMap
from importer.read.layout import SourceRow

# How a cell reader reports what is wrong with its cell: (field, code, message).
Reporter = Callable[[str, str, str], None]


@dataclass(frozen=True)
class RowProblem:
    """One problem in one cell (or the whole row when ``column`` is empty)."""

    sheet: str
    row: int
    column: str
    code: str
    value: str
    message: str


# The payment's attributes pydantic names, and the field (so the column) each comes from.
_FIELD_OF = {"amount": "amount", "notes": "notes", "paid_on": "payment_date", "mode": "method"}


def translate(error: ValidationError, source: SourceRow, column_map: ColumnMap) -> list[RowProblem]:
    """The problems of a row whose payment pydantic refused, one for each of its errors."""
    problems = []
    for detail in error.errors():
        name = _FIELD_OF.get(str(detail["loc"][0]), "") if detail["loc"] else ""
        column = column_map.header(name) if name in column_map.columns else ""
        index = column_map.columns[name][0] if name in column_map.columns else -1
        value = source.cells[index] if 0 <= index < len(source.cells) else ""
        problems.append(
            RowProblem(
                source.sheet,
                source.number,
                column,
                f"{name or 'row'}.{detail['type']}",
                value,
                str(detail["msg"]),
            )
        )
    return problems


def shown(value: str, limit: int = 40) -> str:
    """A cell value shortened for a one-line report."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def problems_by_row(problems: Sequence[RowProblem]) -> dict[int, list[RowProblem]]:
    """Problems grouped under the row they belong to, in file order."""
    grouped: dict[int, list[RowProblem]] = {}
    for item in problems:
        grouped.setdefault(item.row, []).append(item)
    return grouped


def describe_cell(problem: RowProblem) -> str:
    """The problem without its row, for a results file whose row is in a column of its own."""
    if problem.column:
        return f'Column "{problem.column}": {problem.message}'
    return problem.message
