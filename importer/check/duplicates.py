"""Possible duplicates within one file: a row that repeats an earlier row's payment."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from importer.api.models import Card, Cheque
from importer.check.fields import InvoiceRef
from importer.check.problems import RowProblem
from importer.check.references import brand_form, cheque_form, reference_form

PaymentKey = tuple[object, ...]


@dataclass(frozen=True)
class KeyedRow:
    """A row whose payment could be read (whether or not the row has other problems)."""

    sheet: str
    row: int
    key: PaymentKey


def payment_key(
    invoice: InvoiceRef,
    amount: Decimal,
    paid_on: date,
    mode: str,
    cheque: Cheque | None,
    card: Card | None,
    reference: str,
) -> PaymentKey:
    """What two rows share when they record the same payment: "INV-0042" is invoice 42, and
    cheque 001234 is cheque 1234 (see ``check.references``)."""
    number = invoice.text
    return (
        invoice.kind,
        number.lstrip("0") or "0" if invoice.kind == "number" else number,
        amount,
        paid_on,
        mode,
        cheque_form(cheque.number) if cheque else "",
        (brand_form(card.brand), card.last4) if card else "",
        reference_form(reference),
    )


def find_duplicates(rows: Iterable[KeyedRow], *, allowed: set[int]) -> dict[int, RowProblem]:
    """A problem for each row, in file order, that repeats an earlier one; the first goes ahead.

    Rows with other problems count as earlier rows too (and are flagged as repeats
    themselves), so fixing one never lets a copy of it through twice. A row in ``allowed``
    (its allow_duplicate cell says yes) is never flagged.
    """
    first_row: dict[PaymentKey, int] = {}
    found: dict[int, RowProblem] = {}
    for keyed in rows:
        earlier = first_row.setdefault(keyed.key, keyed.row)
        if earlier != keyed.row and keyed.row not in allowed:
            found[keyed.row] = RowProblem(
                keyed.sheet,
                keyed.row,
                "",
                "row.duplicate",
                "",
                f"Possible duplicate of row {earlier}: same invoice, amount, date, method and "
                "reference. If both payments are real, put yes in an allow_duplicate column or "
                "run again with --allow-duplicates; otherwise delete this row.",
            )
    return found
