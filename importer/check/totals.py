"""What the file's amounts add up to, and the control totals they are held to.

A deposit slip, a totals row at the bottom of the file, or ``--expect-total`` and
``--expect-count`` say what the file should add up to; a file that does not is not sent.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from importer.check.mapping import ColumnMap
from importer.check.rows import map_file
from importer.check.templates import Template
from importer.check.values import (
    DecimalMark,
    UnreadableValue,
    decimal_option,
    format_amount,
    infer_decimal,
    parse_amount,
)
from importer.errors import ConfigurationError, ImporterError
from importer.read.layout import ControlTotal, PaymentsFile


@dataclass(frozen=True)
class FileTotal:
    """What the file's amount column adds up to, and what its totals row claims, if any."""

    mark: DecimalMark
    added: Decimal
    claimed: Decimal | None


def file_total(
    payments_file: PaymentsFile,
    template: Template,
    *,
    decimal: str | None = None,
    column_map: ColumnMap | None = None,
    leave_out: Collection[int] = (),
) -> FileTotal | None:
    """The sum of every row's amount (invalid rows too: they are on the deposit slip as well).

    Rows in ``leave_out`` (a statement's lines that are not money received) are not counted.
    None when the amount column cannot be found or its decimal mark cannot be settled; the
    validation report says why.
    """
    index = _amount_column(payments_file, template, column_map)
    if index is None:
        return None
    cells = [
        (row.number, row.cells[index] if index < len(row.cells) else "")
        for row in payments_file.rows
        if row.number not in leave_out
    ]
    total = payments_file.total
    claimed_text, claimed_is_number = _claim(payments_file, total, index)
    # Workbook number cells are numbers, written with "." whatever the column's text says.
    numbers = payments_file.number_cells.get(index, frozenset())
    try:
        mark = decimal_option(decimal or template.decimal) or infer_decimal(
            [
                *(cell for cell in cells if cell[0] not in numbers),
                *([(total.number, claimed_text)] if total and not claimed_is_number else []),
            ],
            column=payments_file.columns[index],
        )
    except ImporterError:
        return None
    claimed = _amount(claimed_text, "." if claimed_is_number else mark) if total else None
    added = Decimal(0)
    for number, text in cells:
        added += _amount(text, "." if number in numbers else mark) or 0
    return FileTotal(mark, added, claimed)


def _amount_column(
    payments_file: PaymentsFile, template: Template, column_map: ColumnMap | None
) -> int | None:
    try:
        found = column_map or map_file(payments_file, template)
    except ImporterError:
        return None
    return found.columns["amount"][0] if "amount" in found.columns else None


def _claim(payments_file: PaymentsFile, total: ControlTotal | None, index: int) -> tuple[str, bool]:
    """The sum a totals row claims, as written, and whether it is a workbook number.

    A totals row may hold its sum in another column ("Total:" under Method, the sum under
    Notes): the one cell that reads as an amount is the sum.
    """
    if total is None:
        return "", False
    at = index
    text = total.cells[index] if index < len(total.cells) else ""
    amounts = [at for at, cell in enumerate(total.cells) if cell and _reads_as_amount(cell)]
    if not text and len(amounts) == 1:
        at = amounts[0]
        text = total.cells[at]
    return text, total.number in payments_file.number_cells.get(at, frozenset())


def _amount(text: str, mark: DecimalMark) -> Decimal | None:
    """The amount of a cell; None when it is empty or not an amount (the row's own problem)."""
    try:
        return parse_amount(text, decimal=mark) if text else None
    except UnreadableValue:
        return None


def subtotal_notes(
    payments_file: PaymentsFile,
    template: Template,
    *,
    mark: DecimalMark,
    column_map: ColumnMap | None = None,
    leave_out: Collection[int] = (),
) -> tuple[str, ...]:
    """Each subtotal line against the rows above it, back to the one before (or the header).

    Those that match are said in one line; each that does not, in one line of its own, for
    the accountant to look at: the grand total is the one held to the sum of the rows.
    """
    index = _amount_column(payments_file, template, column_map)
    if not payments_file.subtotals or index is None:
        return ()
    numbers = payments_file.number_cells.get(index, frozenset())
    rows = [row for row in payments_file.rows if row.number not in leave_out]
    matching: list[int] = []
    unchecked: list[int] = []
    lines: list[str] = []
    after = payments_file.header_row
    for subtotal in payments_file.subtotals:
        text, is_number = _claim(payments_file, subtotal, index)
        claimed = _amount(text, "." if is_number else mark)
        block = [row for row in rows if after < row.number < subtotal.number]
        after = subtotal.number
        added = Decimal(0)
        for row in block:
            cell = row.cells[index] if index < len(row.cells) else ""
            added += _amount(cell, "." if row.number in numbers else mark) or 0
        if claimed is None or not block:
            unchecked.append(subtotal.number)
        elif claimed == added:
            matching.append(subtotal.number)
        else:
            lines.append(
                f"Row {subtotal.number} is a subtotal, not a payment: it says "
                f"{format_amount(claimed, decimal=mark)} but rows {block[0].number} to "
                f"{block[-1].number} add up to {format_amount(added, decimal=mark)}; check them."
            )
    if matching:
        each = (
            "it matches the rows above it"
            if len(matching) == 1
            else "each matches the rows above it"
        )
        lines.insert(0, f"{_rows(matching).capitalize()}: subtotals, not payments; {each}.")
    if unchecked:
        lines.append(f"{_rows(unchecked).capitalize()}: subtotals, not payments.")
    return tuple(lines)


def _rows(numbers: Sequence[int]) -> str:
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    return f"rows {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def _reads_as_amount(text: str) -> bool:
    try:
        parse_amount(text, decimal=".")
    except UnreadableValue:
        return False
    return True


def control_total_note(
    payments_file: PaymentsFile,
    template: Template,
    *,
    decimal: str | None = None,
    column_map: ColumnMap | None = None,
    leave_out: Collection[int] = (),
) -> str | None:
    """The file's totals row against the sum of its rows' amounts, or None with no totals row."""
    total = payments_file.total
    if total is None:
        return None
    found = file_total(
        payments_file, template, decimal=decimal, column_map=column_map, leave_out=leave_out
    )
    if found is None or found.claimed is None:
        return f"Row {total.number} is a totals row, not a payment; it is not counted."
    mark, added, claimed = found.mark, found.added, found.claimed
    if added == claimed:
        return (
            f"Row {total.number} is a totals row, not a payment: its "
            f"{format_amount(claimed, decimal=mark)} matches the sum of the rows."
        )
    gap = format_amount(abs(added - claimed), decimal=mark)
    what_next = (
        f"{gap} less: check for a missing row."
        if added < claimed
        else f"{gap} more: check for an extra or mistyped row."
    )
    return (
        f"Row {total.number} is a totals row, not a payment: it says "
        f"{format_amount(claimed, decimal=mark)} but the rows add up to "
        f"{format_amount(added, decimal=mark)}, {what_next}"
    )


def expected_total(given: Decimal | str | None, mark: DecimalMark | None) -> Decimal | None:
    """--expect-total as the accountant typed it, read with the file's decimal mark.

    ``18.574,00`` is read the way the file's amounts are; ``18,574`` (a thousands separator
    or a decimal comma) only once the file settles which. ConfigurationError when not.
    """
    if not isinstance(given, str):
        return given
    try:
        return parse_amount(given.strip(), decimal=mark)
    except UnreadableValue as error:
        raise ConfigurationError(f"--expect-total {error}") from None


def read_expected_total(text: str) -> str:
    """``--expect-total`` as typed, once it is known to be an amount; ConfigurationError if not.

    It stays text: the run reads it with the file's decimal mark (``18.574,00`` in a file of
    ``1.234,50`` amounts), which is known only once the file is read.
    """
    try:
        parse_amount(text.strip(), decimal=".")
    except UnreadableValue:
        raise ConfigurationError(
            f"--expect-total {text!r} is not an amount; write it like 12345.67."
        ) from None
    return text
