"""The rules every row of a file goes through, from its cells to its payments or its problems.

One ``RowChecker`` is set up per file (its columns, its template, the day, the decimal mark
and date order settled for its columns) and checks each row alone: its cells read into fields
(``fields``), the payment built and checked by pydantic, one part per invoice the row pays.
Along the way it keeps what the whole-file checks need: each payment's key for the duplicate
check, and what each row says of the payment it belongs to.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from pydantic import ValidationError

from importer.api.models import Card, Cheque
from importer.check import fields
from importer.check.allocations import Allocation, parts_add_up, parts_currency, read_allocations
from importer.check.content import names_an_invoice
from importer.check.duplicates import KeyedRow, payment_key
from importer.check.fields import InvoiceRef
from importer.check.invoice_text import invoice_references, several_invoices
from importer.check.mapping import ColumnMap
from importer.check.money_in import StatementColumns, passed_over
from importer.check.notes import NotesPattern, default_notes
from importer.check.payments import MAX_NOTES_LENGTH, WrittenRow, written_row
from importer.check.problems import Reporter, RowProblem, translate
from importer.check.templates import FIELDS, Method, Template
from importer.check.validation import InFull, PassedOver, Payment
from importer.check.values import DateOrder, DecimalMark, UnreadableValue, parse_amount, quoted
from importer.currencies import SHARED_SYMBOLS
from importer.read.layout import SourceRow
from importer.status import RowStatus

# The cells that make a row a payment; the invoice alone does not.
PAYMENT_FIELDS = frozenset(
    {"amount", "payment_date", "method", "cheque_number", "card_brand", "card_last4",
     "reference", "notes"}
)  # fmt: skip
_CENT = Decimal("0.01")
# Fields only some rows need (cheques their number, cards their brand and digits): a file
# with such rows and no such column is refused whole, as one missing column, not row by row.
NEEDS_A_COLUMN = ("cheque_number", "card_brand", "card_last4")


def _parts(payment: Payment, allocations: list[Allocation]) -> tuple[Payment, ...] | InFull:
    """A valid row's payments: itself, or one part per invoice it lists with amounts; or,
    for invoices listed without amounts, the row kept until their balances are known."""
    if len(allocations) == 1:
        return (payment,)
    if allocations[0].amount is None:
        return InFull(payment, tuple(allocations), ())
    return tuple(
        dataclasses.replace(payment, invoice=a.invoice, amount=a.amount, part=number)
        for number, a in enumerate(allocations, start=1)
        if a.amount is not None  # every one has an amount: a mixed cell is a problem
    )


class RowChecker:
    """The row rules for one file's columns and template, set up once for all its rows."""

    def __init__(
        self,
        column_map: ColumnMap,
        template: Template,
        *,
        file_name: str,
        today: date,
        max_age_days: int,
        decimal: DecimalMark | None = None,
        date_order: DateOrder | None = None,
        number_rows: frozenset[int] = frozenset(),
        total_number_rows: frozenset[int] = frozenset(),
        unused_number_rows: frozenset[int] = frozenset(),
    ) -> None:
        self.column_map = column_map
        self.template = template
        self.file_name = file_name
        self.today = today
        self.max_age_days = max_age_days
        self.decimal = decimal
        self.date_order = date_order
        # Rows whose amount is a workbook number: read with ".", never with the column's mark.
        self.number_rows = number_rows
        # The same, for the payment-total column.
        self.total_number_rows = total_number_rows
        self.unused_number_rows = unused_number_rows
        self._tender_headers = {
            index: (column_map.header_row[index], method)
            for index, method in column_map.tenders.items()
        }
        # Rows whose allow_duplicate cell says yes.
        self.duplicate_allowed: set[int] = set()
        # Rows that need a field the file has no column for (a cheque's number), by field.
        self.needs_column: dict[str, list[int]] = {}
        # In file order, every row whose payment could be read, whether it has problems or not.
        self.keyed_rows: list[KeyedRow] = []
        # In file order, what every row says of the payment it is part of.
        self.written: list[WrittenRow] = []
        pattern = NotesPattern(template.notes).names if template.notes is not None else ()
        # The payment fields, and the other columns the file has or the notes may name.
        self._names = tuple(
            dict.fromkeys((*FIELDS, *column_map.columns, *template.extra_columns, *pattern))
        )
        self._payment_cells = [name for name in column_map.columns if name in PAYMENT_FIELDS]
        self._notes = NotesPattern(template.notes) if template.notes is not None else None
        self._extra_columns = template.extra_columns
        self._lines = StatementColumns.of(
            column_map.header_row, column_map.columns, column_map.status_columns, template
        )
        # Where an invoice may be written when its own cell is empty: the cells that feed no
        # other payment field (a memo, a description, a note).
        fed = {i for name, (i, _h) in column_map.columns.items() if name in (*FIELDS, "unused")}
        fed -= {column_map.columns[name][0] for name in ("notes",) if name in column_map.columns}
        self._elsewhere = [i for i in range(len(column_map.header_row)) if i not in fed]
        # Rows whose invoice was read from another cell, and card payments recorded as other.
        self.invoice_elsewhere: list[tuple[int, str]] = []
        self.cards_without_digits: list[int] = []
        # Cheque rows whose number is their reference, the file having no column for it.
        self.cheques_by_reference: list[int] = []

    def check(
        self, source: SourceRow
    ) -> tuple[Payment, ...] | InFull | list[RowProblem] | PassedOver | None:
        """One row -> its payments (one per invoice it pays), the invoices it pays in full,
        every problem it has (in column order), PassedOver, or None.

        None is a row with every payment cell empty: in a workbook pre-filled with the open
        invoices, the invoices nobody paid. It is not a payment and not a mistake. PassedOver
        is a line of a statement that is not money received (a debit, a pending payment).
        """
        if self._lines.tells_lines_apart:
            reason = passed_over(source.cells, self._lines, decimal=self._decimal_of(source))
            if reason is not None:
                return PassedOver(RowStatus.NOT_A_PAYMENT, reason)
        values = self._values(source)
        if values is None:
            return None
        problems: list[RowProblem] = []

        def problem(field_name: str, code: str, message: str) -> None:
            if field_name in self.column_map.columns:
                column, value = self.column_map.header(field_name), values[field_name]
            else:
                column, value = "", ""
                if field_name in NEEDS_A_COLUMN:
                    self.needs_column.setdefault(field_name, []).append(source.number)
            problems.append(RowProblem(source.sheet, source.number, column, code, value, message))

        allocations = self._allocations(source, values["invoice"], problem)
        amount = fields.amount(values["amount"], problem, decimal=self._decimal_of(source))
        paid_on = fields.payment_date(
            values["payment_date"],
            problem,
            today=self.today,
            max_age_days=self.max_age_days,
            order=self.date_order,
        )
        method = self._without_digits(self._method(values["method"], problem), values, source)
        mode = method.mode if method is not None else None
        cheque = (
            self._cheque(self._cheque_cell(values, source), problem) if mode == "cheque" else None
        )
        brand = last4 = ""
        if method is not None and method.mode == "card":
            brand, last4 = self._card(values, method, problem)
        card = Card(brand=brand, last4=last4) if brand and last4 else None
        currency = fields.currency(values["currency"], problem)
        said = fields.amount_currency(values["amount"], currency, problem)
        written = parts_currency(allocations or [], said or currency, problem) or said
        symbol = written if written in SHARED_SYMBOLS else None
        currency = currency or (None if symbol else written)
        if amount is not None:
            fields.whole_units(amount, currency, values["amount"], problem)
            parts_add_up(allocations or [], amount, currency, problem, mark=self.decimal or ".")
        reference = values["reference"]
        own_notes = self._notes_of(
            values, paid_on=paid_on, mode=mode, cheque=cheque, card=card, brand=brand, last4=last4
        )
        notes = f"{own_notes} (row {source.number} of {self.file_name})".lstrip()
        if len(notes) > MAX_NOTES_LENGTH:
            problem(
                "notes",
                "notes.too_long",
                f"The notes are longer than {MAX_NOTES_LENGTH} characters; shorten them.",
            )
        allowance = values["allow_duplicate"]
        if allowance and fields.allows_duplicate(allowance, problem):
            self.duplicate_allowed.add(source.number)
        self._write_down(
            source,
            values,
            allocations or [],
            amount,
            paid_on,
            method,
            (cheque, card, reference),
            currency,
            own_notes,
        )
        if problems or allocations is None or amount is None or paid_on is None or method is None:
            return problems
        try:
            payment = Payment(
                source=source,
                invoice=allocations[0].invoice,
                amount=amount,
                paid_on=paid_on,
                mode=method.mode,
                card=card,
                cheque=cheque,
                reference=reference,
                notes=notes,
                currency=currency,
                currency_symbol=symbol,
                duplicate_allowed=source.number in self.duplicate_allowed,
                row_parts=len(allocations),
            )
        except ValidationError as error:
            return translate(error, source, self.column_map)
        return _parts(payment, allocations)

    def _write_down(
        self,
        source: SourceRow,
        values: dict[str, str],
        allocations: list[Allocation],
        amount: Decimal | None,
        paid_on: date | None,
        method: Method | None,
        means: tuple[Cheque | None, Card | None, str],
        currency: str | None,
        own_notes: str,
    ) -> None:
        """Keep what the row says of its payments, for the duplicate check (each part) and
        for ``group_payments`` (the payment it belongs to), as far as its cells read."""
        cheque, card, reference = means
        single = len(allocations) == 1
        for allocation in allocations:
            part_amount = amount if single else allocation.amount
            self._keep_key(
                source, allocation.invoice, part_amount, paid_on, method, cheque, card, reference
            )
        total_cell = values["payment_total"]
        unused_cell = values.get("unused", "")
        written = written_row(
            source,
            values,
            allocations,
            amount,
            paid_on,
            (method.mode if method is not None else None, cheque, card, reference),
            currency or "",
            own_notes,
            self._total(total_cell, source.number),
            alone=source.number in self.duplicate_allowed,
            unused=(self._total(unused_cell, source.number, self.unused_number_rows), unused_cell),
        )
        if written is not None:
            self.written.append(written)

    def _total(
        self, text: str, row: int, number_rows: frozenset[int] | None = None
    ) -> Decimal | None:
        if not text:
            return None
        numbers = self.total_number_rows if number_rows is None else number_rows
        try:
            total = parse_amount(text, decimal="." if row in numbers else self.decimal)
        except UnreadableValue:
            return None
        return total.quantize(_CENT)

    def _values(self, source: SourceRow) -> dict[str, str] | None:
        """The row's cell for each field (a constant where it is empty), or None with no payment."""
        values = dict.fromkeys(self._names, "")
        for name, (index, _header) in self.column_map.columns.items():
            if index < len(source.cells):
                values[name] = source.cells[index].strip()
        if not any(values[name] for name in self._payment_cells):
            return None
        if not values["method"] and self.column_map.tenders:
            values["method"] = self._tender(source)
        # The file's own words first: a constant fills only an empty cell or a missing column.
        for name, constant in self.template.constants.items():
            if not values[name]:
                values[name] = constant
        return values

    def _without_digits(
        self, method: Method | None, values: dict[str, str], source: SourceRow
    ) -> Method | None:
        """A card payment in a file with no card digits anywhere: recorded as method other.

        HighLevel records a card payment with the card's last 4 digits, which the importer
        cannot make up; the notes name the card instead.
        """
        if method is None or method.mode != "card" or "card_last4" in self.column_map.columns:
            return method
        self.cards_without_digits.append(source.number)
        brand = self._brand(values["card_brand"], method)
        if not values["notes"]:
            card = f"{brand} card payment" if brand else "Card payment"
            values["notes"] = f"{card}, no card number in the file"
        return Method("other")

    def _decimal_of(self, source: SourceRow) -> DecimalMark | None:
        # A workbook's number cell is written with "." whatever the column's text says.
        return "." if source.number in self.number_rows else self.decimal

    def _tender(self, source: SourceRow) -> str:
        """The method word of the one tender column ("Card", "Cash") with money in the row."""
        paid = [
            header
            for index, (header, _method) in self._tender_headers.items()
            if index < len(source.cells) and _is_money(source.cells[index])
        ]
        return paid[0] if len(paid) == 1 else ""

    def _allocations(
        self, source: SourceRow, cell: str, problem: Reporter
    ) -> list[Allocation] | None:
        """The invoices the row pays: from its invoice cell, or (when a description found to
        hold the invoices names none on this row) from another of its cells (PayPal's Note
        when the invoice column is empty)."""
        in_text = "invoice" in self.column_map.by_content
        if cell and not (in_text and not names_an_invoice(cell)):
            return read_allocations(cell, problem, decimal=self.decimal)
        invoice = self._invoice_elsewhere(source, cell, problem)
        return None if invoice is None else [Allocation(invoice, None, invoice.text)]

    def _invoice_elsewhere(
        self, source: SourceRow, written: str, problem: Reporter
    ) -> InvoiceRef | None:
        """The invoice of a row whose invoice cell names none, when one other cell names it."""
        named: dict[str, None] = {}
        for index in self._elsewhere:
            if index < len(source.cells) and source.cells[index]:
                named.update(dict.fromkeys(invoice_references(source.cells[index])))
        if len(named) == 1:
            self.invoice_elsewhere.append((source.number, next(iter(named))))
            return InvoiceRef("number", next(iter(named)))
        if named:
            several_invoices(tuple(named), problem)
            return None
        return fields.invoice_ref(written, problem)

    def decisions(self) -> tuple[str, ...]:
        """What the rows' checks decided on the user's behalf, one line each."""
        lines = []
        if self.invoice_elsewhere:
            rows = _rows(number for number, _invoice in self.invoice_elsewhere)
            header = (
                self.column_map.header("invoice") if "invoice" in self.column_map.columns else ""
            )
            one = len(self.invoice_elsewhere) == 1
            lines.append(
                f"{rows.capitalize()} {'names' if one else 'name'} no invoice under {header!r}; "
                f"another of {'its' if one else 'their'} cells does "
                f"({'' if one else 'such as '}'{self.invoice_elsewhere[0][1]}'), which is used."
            )
        if self.cards_without_digits:
            rows = _rows(self.cards_without_digits)
            are = (
                "is a card payment" if len(self.cards_without_digits) == 1 else "are card payments"
            )
            lines.append(
                f"{rows.capitalize()} {are}, and the file gives no card's last 4 digits, which "
                "HighLevel needs to record a card payment: recorded as method other, the card "
                "named in the notes."
            )
        if self.cheques_by_reference:
            rows = _rows(self.cheques_by_reference)
            one = len(self.cheques_by_reference) == 1
            lines.append(
                f"{rows.capitalize()} {'is a cheque' if one else 'are cheques'}, and the file "
                "has no column for the cheque number: each one's "
                f"{quoted(self.column_map.header('reference'))} is read as its number."
            )
        return tuple(lines)

    def _method(self, word: str, problem: Reporter) -> Method | None:
        if not word:
            problem(
                "method",
                "method.missing",
                "The payment method is empty. Fill in how it was paid: cash, card, cheque, bank "
                "transfer or other.",
            )
            return None
        method = self.template.method(word)
        if method is None:
            problem(
                "method",
                "method.unknown",
                f"{quoted(word)} is not a payment method the template knows. Use cash, card, "
                "cheque, bank transfer or other (or a card brand such as Visa).",
            )
        return method

    def _cheque_cell(self, values: dict[str, str], source: SourceRow) -> str:
        """A cheque's number: its column's, or in a file with none, the reference (Zoho's)."""
        if "cheque_number" in self.column_map.columns or not values["reference"]:
            return values["cheque_number"]
        self.cheques_by_reference.append(source.number)
        return values["reference"]

    def _cheque(self, number: str, problem: Reporter) -> Cheque | None:
        if not number:
            problem(
                "cheque_number",
                "cheque.number_missing",
                "A cheque needs its number. Fill in the number printed on the cheque.",
            )
            return None
        return Cheque(number=number)

    def _card(self, values: dict[str, str], method: Method, problem: Reporter) -> tuple[str, str]:
        """A card payment's brand and last 4 digits ("" for one that is missing)."""
        brand = self._brand(values["card_brand"], method)
        if not brand:
            problem(
                "card_brand",
                "card.brand_missing",
                "A card payment needs the card brand. Fill in the brand, such as Visa or "
                "Mastercard (or write it as the method).",
            )
        return brand, fields.last4(values["card_last4"], problem)

    def _brand(self, written: str, method: Method) -> str:
        # "VISA" and "MC" in a brand column become the names the template gives them.
        if written:
            known = self.template.method(written)
            return known.brand if known is not None and known.brand else written
        return method.brand or ""

    def _notes_of(
        self,
        values: dict[str, str],
        *,
        paid_on: date | None,
        mode: str | None,
        cheque: Cheque | None,
        card: Card | None,
        brand: str,
        last4: str,
    ) -> str:
        """A row's notes: its template's pattern filled, its notes cell, or how it was paid.

        A pattern shows ``brand`` and ``last4`` as read, even when one of them is missing.
        """
        if self._notes is None:
            return values["notes"] or default_notes(mode, cheque, card, values["reference"])
        shown = {
            **values,
            "payment_date": paid_on.isoformat() if paid_on else "",
            "card_brand": brand,
            "card_last4": last4,
        }
        for name in self._extra_columns:
            # A date cell of a workbook reads as "2026-10-03 00:00:00"; the time is noise.
            shown[name] = shown[name].removesuffix(" 00:00:00")
        return self._notes.fill(shown)

    def _keep_key(
        self,
        source: SourceRow,
        invoice: InvoiceRef | None,
        amount: Decimal | None,
        paid_on: date | None,
        method: Method | None,
        cheque: Cheque | None,
        card: Card | None,
        reference: str,
    ) -> None:
        """Keep the row's payment for the duplicate check, if its cells say what it is.

        A row with problems is still a payment once fixed: a later copy of it must not go
        ahead now and be recorded a second time when this one is fixed.
        """
        if (
            invoice is None
            or amount is None
            or paid_on is None
            or method is None
            or (method.mode == "cheque" and cheque is None)
            or (method.mode == "card" and card is None)
        ):
            return
        key = payment_key(invoice, amount, paid_on, method.mode, cheque, card, reference)
        self.keyed_rows.append(KeyedRow(source.sheet, source.number, key))


def _rows(numbers: Iterable[int]) -> str:
    """ "row 4", "rows 4 and 7", "rows 4, 7 and 9" (the first ten)."""
    shown = [str(number) for number in numbers]
    if len(shown) == 1:
        return f"row {shown[0]}"
    more = f" and {len(shown) - 10} more" if len(shown) > 10 else ""
    shown = shown[:10]
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}{more}"


def _is_money(text: str) -> bool:
    try:
        return parse_amount(text) > 0
    except UnreadableValue:
        return False
