"""What the file's amounts add up to, and the control totals they are held to.

A deposit slip, a totals row at the bottom of the file, or ``--expect-total`` and
``--expect-count`` say what the file should add up to; a file that does not is not sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from importer.check.mapping import map_columns
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
from importer.read.layout import PaymentsFile


@dataclass(frozen=True)
class FileTotal:
    """What the file's amount column adds up to, and what its totals row claims, if any."""

    mark: DecimalMark
    added: Decimal
    claimed: Decimal | None


def file_total(
    payments_file: PaymentsFile, template: Template, *, decimal: str | None = None
) -> FileTotal | None:
    """The sum of every row's amount (invalid rows too: they are on the deposit slip as well).

    None when the amount column cannot be found or its decimal mark cannot be settled; the
    validation report says why.
    """
    try:
        index = map_columns(payments_file.columns, template).columns["amount"][0]
    except (ImporterError, KeyError):
        return None
    cells = [
        (row.number, row.cells[index] if index < len(row.cells) else "")
        for row in payments_file.rows
    ]
    total = payments_file.total
    claimed_text = ""
    claimed_at = index
    if total is not None:
        claimed_text = total.cells[index] if index < len(total.cells) else ""
        # A totals row may hold its sum in another column ("Total:" under Method, the sum
        # under Notes): the one cell that reads as an amount is the sum.
        amounts = [at for at, cell in enumerate(total.cells) if cell and _reads_as_amount(cell)]
        if not claimed_text and len(amounts) == 1:
            claimed_at = amounts[0]
            claimed_text = total.cells[claimed_at]
    # Workbook number cells are numbers, written with "." whatever the column's text says.
    numbers = payments_file.number_cells.get(index, frozenset())
    claimed_is_number = total is not None and total.number in payments_file.number_cells.get(
        claimed_at, frozenset()
    )
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
    try:
        claimed = (
            parse_amount(claimed_text, decimal="." if claimed_is_number else mark)
            if total is not None
            else None
        )
    except UnreadableValue:
        claimed = None
    added = Decimal(0)
    for number, text in cells:
        try:
            added += parse_amount(text, decimal="." if number in numbers else mark) if text else 0
        except UnreadableValue:
            continue  # reported as the row's own problem
    return FileTotal(mark, added, claimed)


def _reads_as_amount(text: str) -> bool:
    try:
        parse_amount(text, decimal=".")
    except UnreadableValue:
        return False
    return True


def control_total_note(
    payments_file: PaymentsFile, template: Template, *, decimal: str | None = None
) -> str | None:
    """The file's totals row against the sum of its rows' amounts, or None with no totals row."""
    total = payments_file.total
    if total is None:
        return None
    found = file_total(payments_file, template, decimal=decimal)
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
