"""An amount repeated on every row of one payment, beside money that differs from row to row.

Some lockbox and remittance exports write the whole cheque under "Amount" on the row of every
invoice it pays, and the part applied to each invoice under "Invoice Amount"; others write the
invoice's own total under "Invoice Amount" and what was paid on it under "Amount". The headers
do not tell the two apart, and read the first way round the cheque would be recorded once per
invoice. So when the rows of one payment all repeat one amount while another column of money
differs between them, the file is refused until a template of the user's says which column is
which. One row, or rows whose amounts differ, repeat nothing and are read as before; nor
does money above the repeated amount (an invoice's own total) make it a whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from importer.check.content import is_amount, is_money
from importer.check.mapping import ColumnMap
from importer.check.payments import Remittance, WrittenRow
from importer.check.shares import is_other_money
from importer.check.templates import Template
from importer.check.values import DecimalMark, UnreadableValue, parse_amount, quoted
from importer.read.layout import SourceRow

# A header naming money, under which whole numbers (610, 250) are amounts too, not an item's
# or a batch's number.
_MONEY_HEADER = re.compile(r"amount|\bamt\b|applied|paid|payment|total", re.IGNORECASE)


def repeated_amount_message(
    remittances: Sequence[Remittance],
    written: Sequence[WrittenRow],
    sources: Mapping[int, SourceRow],
    column_map: ColumnMap,
    template: Template,
    *,
    mark: DecimalMark,
) -> str | None:
    """The message refusing the file when a payment's rows repeat one amount beside another
    column of money that could be each row's part of it; None when none does.

    A file with a payment-total column is left to its check (the rows must add up to it), and
    so is a template of the user's, which says itself which column is the amount.
    """
    if (
        not template.is_builtin
        or "payment_total" in column_map.columns
        or "amount" not in column_map.columns
    ):
        return None
    amounts = {row.row: row.amount for row in written}
    amount_index, amount_header = column_map.columns["amount"]
    mapped = {index for index, _header in column_map.columns.values()}
    mapped.update(column_map.tenders)
    candidates = [
        index
        for index, header in enumerate(column_map.header_row)
        if index not in mapped and not is_other_money(header)
    ]
    found: list[tuple[Remittance, int]] = []
    for remittance in remittances:
        said = {amounts.get(row) for row in remittance.rows}
        if len(remittance.rows) < 2 or len(said) != 1 or None in said:
            continue
        repeated = next(iter(said))
        assert repeated is not None
        cells = [sources[row].cells for row in remittance.rows]
        other = next(
            (
                i
                for i in candidates
                if _parts_of(cells, i, column_map.header_row[i], repeated, mark)
            ),
            None,
        )
        if other is not None:
            found.append((remittance, other))
    if not found:
        return None
    remittance, other = found[0]
    cells = [sources[row].cells for row in remittance.rows]
    label = remittance.label[:1].lower() + remittance.label[1:]
    also = ""
    if len(found) > 1:
        also = " (and so do " + ", ".join(_rows(r.rows) for r, _other in found[1:4])
        also += f" and {len(found) - 4} more payments)" if len(found) > 4 else ")"
    what, whole = quoted(amount_header), column_map.header_row[other]
    parts = " and ".join(_cell(c, other) or "nothing" for c in cells)
    return (
        f"{_rows(remittance.rows).capitalize()} ({label}) all say "
        f"{_cell(cells[0], amount_index)} under {what}, but "
        f"{parts} under {quoted(whole)}{also}. {what} "
        "may be what the cheque came to in all, repeated on the row of each invoice it pays, "
        "and recorded against each invoice the cheque would be recorded several times over; "
        f"the importer does not guess. If {what} is the whole cheque, read the file with a "
        "template of your own (--template, or kept with importer template save) whose "
        f'[columns] say amount = ["{whole}"] and payment_total = ["{amount_header}"]; if it '
        f'is what each invoice was paid, one whose [columns] say amount = ["{amount_header}"]. '
        "Nothing was sent."
    )


def _parts_of(
    cells: Sequence[Sequence[str]], index: int, header: str, whole: Decimal, mark: DecimalMark
) -> bool:
    """True when column ``index`` could hold each row's part of ``whole``: money on the rows
    that have it, none above the whole, and not that whole on every row (parts that differ,
    a part left empty, or equal parts adding up to it)."""
    parts: list[Decimal] = []
    empty = False
    for row in cells:
        text = _cell(row, index)
        if not text:
            empty = True
            continue
        if not (is_money(text) or (_MONEY_HEADER.search(header) and is_amount(text))):
            return False
        try:
            parts.append(parse_amount(text, decimal=mark))
        except UnreadableValue:
            return False
    if not parts or any(part > whole for part in parts):
        # No invoice takes more of a cheque than it came to: that is the invoice's own total.
        return False
    return empty or len(set(parts)) > 1 or sum(parts) == whole


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _rows(rows: Sequence[int]) -> str:
    return "rows " + ", ".join(str(row) for row in rows[:-1]) + f" and {rows[-1]}"
