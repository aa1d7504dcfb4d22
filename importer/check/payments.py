"""The payments as the payer made them: one cheque, one transfer, one card slip, each with its
parts, one per invoice it pays.

A row may list several invoices (``check.allocations``), and rows that share a cheque number
(or a card, or a bank reference) on one day are one payment, one row per invoice. A payment of
several parts is checked as a whole here, from the file alone: no invoice listed twice, a
payment-total column equal to what its rows add up to; and each part's notes say what it is
part of, so that the invoice in HighLevel explains itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from importer.api.models import Card, Cheque
from importer.check.allocations import Allocation
from importer.check.fields import InvoiceRef
from importer.check.notes import default_notes
from importer.check.problems import RowProblem
from importer.check.references import brand_form, cheque_form, reference_form
from importer.check.values import DecimalMark, format_amount
from importer.read.layout import SourceRow

__all__ = [
    "MAX_NOTES_LENGTH",
    "Grouping",
    "Part",
    "Place",
    "Remittance",
    "WrittenRow",
    "group_payments",
    "together_key",
    "written_row",
]

MAX_NOTES_LENGTH = 500
# A part's notes name at most this many of its payment's invoices, then how many more.
_NOTED_INVOICES = 10

# What the rows of one payment share (method, day, cheque or card or reference...).
Together = tuple[object, ...]


class Place(NamedTuple):
    """Where a part is written: its row, and its place among the invoices of that row."""

    row: int
    part: int


# Part and WrittenRow are named tuples rather than frozen dataclasses: one of each is made for
# every row of the file, and a tuple is made several times faster (benchmarks/bench_validate).
class Part(NamedTuple):
    """One invoice a row pays: as read, as written, and its amount when known."""

    invoice: InvoiceRef
    written: str
    amount: Decimal | None


class WrittenRow(NamedTuple):
    """What one row says of the payment it belongs to, as far as its cells can be read."""

    sheet: str
    row: int
    together: Together | None  # None: the row is a payment of its own
    # How it was paid (mode, cheque, card, reference), to name the payment: "Cheque 000777".
    means: tuple[str | None, Cheque | None, Card | None, str]
    parts: tuple[Part, ...]  # () when the invoice cell cannot be read
    invoice_cell: str
    amount: Decimal | None  # what the row pays in all
    total: Decimal | None  # its payment-total cell, read
    total_cell: str
    notes: str  # the row's own notes, before those of the part are added
    # What the payment left unused (kept as the payer's credit, applied to no invoice): with
    # the parts, it makes the payment's total. Read, and as written.
    unused: Decimal | None = None
    unused_cell: str = ""


@dataclass(frozen=True)
class Remittance:
    """A payment as the payer made it that covers several invoices (or is written on
    several rows): its rows, and its parts in order."""

    label: str
    rows: tuple[int, ...]
    places: tuple[Place, ...]
    invoices: tuple[str, ...]  # each part's invoice, as written
    total: Decimal | None  # what its rows add up to, when every amount reads

    @property
    def first_row(self) -> int:
        return self.rows[0]

    def part_number(self, place: Place) -> int:
        """The part's number within the payment (1 for its first invoice)."""
        return self.places.index(place) + 1

    def named(self) -> str:
        """The payment as a message names it: "cheque 000777 (rows 5-6)"."""
        label = self.label[:1].lower() + self.label[1:]
        if len(self.rows) == 1:
            return label
        return f"{label} ({_rows_named(self.rows)})"


@dataclass(frozen=True)
class Grouping:
    """The file's payments of several parts, what is wrong with them, and each part's notes."""

    remittances: tuple[Remittance, ...]
    problems: list[RowProblem]
    notes: dict[Place, str]
    # One line per payment that left money unused, which is not recorded.
    unused: tuple[str, ...] = ()


def together_key(
    mode: str,
    cheque: Cheque | None,
    card: Card | None,
    reference: str,
    paid_on: date,
    currency: str,
    payer: str,
) -> Together | None:
    """What rows of one payment share, or None for a row that is a payment of its own.

    A cheque is its number (leading zeros aside), a card its brand, last 4 digits and
    reference (an authorisation code tells two sales on one card apart), anything else its
    reference; always on one day, in one currency, from one payer when the file names payers.
    Cash and rows with nothing of these are each a payment of their own.
    """
    # Compared as the payment keys and the duplicate checks compare them (``check.references``):
    # 000777 and CHQ 777 are one cheque, TRF 7781 and trf7781 one transfer.
    if mode == "cheque":
        if cheque is None:
            return None
        return ("cheque", cheque_form(cheque.number), paid_on, currency, payer)
    if mode == "card":
        if card is None:
            return None
        brand = brand_form(card.brand)
        return ("card", brand, card.last4, reference_form(reference), paid_on, currency, payer)
    if not reference_form(reference):
        return None
    return (mode, reference_form(reference), paid_on, currency, payer)


def written_row(
    source: SourceRow,
    values: Mapping[str, str],
    allocations: Sequence[Allocation],
    amount: Decimal | None,
    paid_on: date | None,
    means: tuple[str | None, Cheque | None, Card | None, str],
    currency: str,
    own_notes: str,
    total: Decimal | None,
    *,
    alone: bool,
    unused: tuple[Decimal | None, str] = (None, ""),
) -> WrittenRow | None:
    """What a row says of the payment it is part of, as far as its cells read; None for a
    payment alone, of one invoice, with no total to check (nothing to gather or check).

    ``alone``: the row is marked as a real second payment, so a payment of its own.
    """
    mode, cheque, card, reference = means
    together = None
    if mode is not None and paid_on is not None and not alone:
        payer = values.get("payer")
        together = together_key(
            mode,
            cheque,
            card,
            reference,
            paid_on,
            currency,
            " ".join(payer.casefold().split()) if payer else "",
        )
    single = len(allocations) == 1
    total_cell = values["payment_total"]
    if together is None and single and not total_cell:
        return None
    return WrittenRow(
        source.sheet,
        source.number,
        together,
        means,
        (Part(allocations[0].invoice, allocations[0].written, amount),)
        if single
        else tuple(Part(a.invoice, a.written, a.amount) for a in allocations),
        values["invoice"],
        amount,
        total,
        total_cell,
        own_notes,
        *unused,
    )


def group_payments(
    written: Iterable[WrittenRow],
    *,
    file_name: str,
    mark: DecimalMark,
    invoice_header: str,
    total_header: str,
    amount_header: str = "",
    unused_header: str = "",
) -> Grouping:
    """The rows gathered into payments, in file order, each checked as a whole."""
    groups: dict[Together, list[WrittenRow]] = {}
    payments: list[list[WrittenRow]] = []
    for row in written:
        if row.together is None:
            payments.append([row])
            continue
        group = groups.get(row.together)
        if group is None or (row.together[0] != "cheque" and _pays_again(row, group)):
            # Two sales on one card, or two transfers with one reference, on one day may pay
            # one invoice twice; one cheque cannot (see _listed_twice).
            group = groups[row.together] = []
            payments.append(group)
        group.append(row)
    remittances: list[Remittance] = []
    problems: list[RowProblem] = []
    notes: dict[Place, str] = {}
    unused_lines: list[str] = []
    headers = _Headers(total_header, amount_header, unused_header)
    for rows in payments:
        if len(rows) == 1 and len(rows[0].parts) < 2 and not rows[0].total_cell:
            continue  # a payment alone, of one invoice: nothing to gather or check
        remittance = _remittance(rows)
        if len(rows) > 1 or len(remittance.places) > 1:
            remittances.append(remittance)
        wrong_total = _total_problems(rows, remittance, mark, headers)
        problems += wrong_total
        unused = _unused(rows)
        if unused and not wrong_total:
            unused_lines.append(
                f"Row {rows[0].row}: {format_amount(unused, decimal=mark)} of the payment is not "
                f"applied to any invoice ({unused_header}); it is not recorded."
            )
        if len(rows) > 1:
            problems += _listed_twice(rows, remittance, invoice_header)
        if len(remittance.places) > 1:
            problems += _part_notes(rows, remittance, notes, file_name)
    return Grouping(tuple(remittances), problems, notes, tuple(unused_lines))


class _Headers(NamedTuple):
    total: str
    amount: str
    unused: str


def _unused(rows: Sequence[WrittenRow]) -> Decimal:
    """What the payment left unused: written on each of its rows, as its total is."""
    return next((row.unused for row in rows if row.unused), Decimal(0))


def _pays_again(row: WrittenRow, group: Sequence[WrittenRow]) -> bool:
    """True when ``row`` names an invoice the rows of ``group`` already name."""
    named = {(part.invoice.kind, part.invoice.text) for other in group for part in other.parts}
    return any((part.invoice.kind, part.invoice.text) in named for part in row.parts)


def _remittance(rows: Sequence[WrittenRow]) -> Remittance:
    places = tuple(
        Place(row.row, number) for row in rows for number in range(1, len(row.parts) + 1)
    )
    amounts = [row.amount for row in rows if row.amount is not None]
    total = sum(amounts, Decimal(0)) if len(amounts) == len(rows) else None
    return Remittance(
        default_notes(*rows[0].means),
        tuple(row.row for row in rows),
        places,
        tuple(part.written for row in rows for part in row.parts),
        total,
    )


def _total_problems(
    rows: Sequence[WrittenRow], remittance: Remittance, mark: DecimalMark, headers: _Headers
) -> list[RowProblem]:
    """A payment-total cell that does not say what the payment's rows add up to (with what it
    left unused): every row of the payment is refused, as nothing tells which is wrong."""
    header = headers.total
    problems = [
        RowProblem(
            row.sheet,
            row.row,
            header,
            "payment_total.not_a_number",
            row.total_cell,
            f"{row.total_cell!r} is not an amount. Write what the payer paid in all, such as "
            f"{format_amount(Decimal('450.50'), decimal=mark)}, or leave the cell empty.",
        )
        for row in rows
        if row.total_cell and row.total is None
    ]
    unused = _unused(rows)
    wanted = None if remittance.total is None else remittance.total + unused
    wrong = next((row for row in rows if row.total is not None and row.total != wanted), None)
    if problems or wrong is None or wrong.total is None or remittance.total is None:
        return problems
    said = format_amount(wrong.total, decimal=mark)
    if any(row.unused_cell for row in rows):
        # Name the three columns, so the user knows which to look at.
        why = _parts_said(rows, remittance.total, remittance, mark, headers.amount)
        message = (
            f"The payment total ({header}) is {said}, but {why}, and "
            f"{format_amount(unused, decimal=mark)} is left unused ({headers.unused}): together "
            f"{format_amount(remittance.total + unused, decimal=mark)}."
        )
    else:
        why = _parts_said(rows, remittance.total, remittance, mark, "")
        message = f"The payment total is {said}, but {why}."
    message += (
        " Correct the amounts or the total: nothing of this payment is sent until they agree."
    )
    return [
        RowProblem(row.sheet, row.row, header, "payment_total.differs", row.total_cell, message)
        for row in rows
    ]


def _parts_said(
    rows: Sequence[WrittenRow],
    added: Decimal,
    remittance: Remittance,
    mark: DecimalMark,
    column: str,
) -> str:
    """What the payment's rows add up to, in words; in ``column`` when it is named."""
    if len(rows) == 1:
        said = f"the amount is {format_amount(added, decimal=mark)}"
        return f"{said} ({column})" if column else said
    each = ", ".join(
        f"row {row.row}: {format_amount(row.amount or Decimal(0), decimal=mark)}" for row in rows
    )
    said = (
        f"the {len(rows)} rows of {remittance.named()} add up to "
        f"{format_amount(added, decimal=mark)} ({each})"
    )
    return f"{said} in {column}" if column else said


def _listed_twice(
    rows: Sequence[WrittenRow], remittance: Remittance, header: str
) -> list[RowProblem]:
    """A later row of a payment naming an invoice an earlier row of it names, for another
    amount (the same amount again is a possible duplicate, which ``duplicates`` judges)."""
    problems = []
    for at, row in enumerate(rows):
        for part in row.parts:
            earlier = next(
                (
                    other
                    for other in rows[:at]
                    for theirs in other.parts
                    if theirs.invoice.kind == part.invoice.kind
                    and theirs.invoice.text == part.invoice.text
                    and theirs.amount != part.amount
                ),
                None,
            )
            if earlier is None:
                continue
            problems.append(
                RowProblem(
                    row.sheet,
                    row.row,
                    header,
                    "parts.listed_twice",
                    row.invoice_cell,
                    f"Invoice {part.written} is also in row {earlier.row}, which is part of the "
                    f"same payment ({remittance.named()}): a payment lists each invoice once. "
                    "Put the invoice's whole amount on one row; if these are two payments, give "
                    "each its own cheque number or reference.",
                )
            )
            break
    return problems


def _part_notes(
    rows: Sequence[WrittenRow], remittance: Remittance, notes: dict[Place, str], file_name: str
) -> list[RowProblem]:
    """Each part's notes: what it is part of, then the row's own notes, then where it came
    from ("Cheque 000777, 2 of 2 invoices: 2024, 2025 (row 6 of deposit.csv)")."""
    count = len(remittance.places)
    listed = ", ".join(remittance.invoices[:_NOTED_INVOICES])
    if count > _NOTED_INVOICES:
        listed += f" and {count - _NOTED_INVOICES} more"
    problems = []
    for row in rows:
        for number in range(1, len(row.parts) + 1):
            place = Place(row.row, number)
            split = (
                f"{remittance.label}, {remittance.part_number(place)} of {count} invoices: {listed}"
            )
            own = row.notes if row.notes and row.notes != remittance.label else ""
            text = f"{split}. {own}" if own else split
            notes[place] = f"{text} (row {row.row} of {file_name})"
        longest = max(
            (len(notes[Place(row.row, n)]) for n in range(1, len(row.parts) + 1)), default=0
        )
        if longest > MAX_NOTES_LENGTH:
            problems.append(
                RowProblem(
                    row.sheet,
                    row.row,
                    "",
                    "notes.too_long",
                    "",
                    "With what this part of a payment for several invoices is part of, its "
                    f"notes are longer than {MAX_NOTES_LENGTH} characters; shorten the notes.",
                )
            )
    return problems


def _rows_named(rows: Sequence[int]) -> str:
    if list(rows) == list(range(rows[0], rows[0] + len(rows))):
        return f"rows {rows[0]}-{rows[-1]}"
    return "rows " + ", ".join(str(row) for row in rows)
