"""Rows of text -> payments ready to send, or a list of plain-words problems.

Bad rows are values, never exceptions: every problem of every row is gathered so the user
fixes the file once. pydantic's errors are translated into problems here and only here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from importer.api.models import Card, Cheque, PaymentMode
from importer.loader import PaymentsFile, SourceRow
from importer.mapping import ColumnMap, Template, map_columns
from importer.values import (
    DateOrder,
    DecimalMark,
    UnreadableValue,
    date_order_option,
    decimal_option,
    infer_date_order,
    infer_decimal,
    parse_amount,
    parse_date,
)

MAX_NOTES_LENGTH = 500
# How each field parser reports a problem: (field, code, message).
_Reporter = Callable[[str, str, str], None]
_INVOICE_ID = re.compile(r"[0-9a-fA-F]{24}")
# A display prefix such as "INV-", "INV ", "#" or "No." before the digits of a number.
_INVOICE_NUMBER = re.compile(r"(?:[A-Za-z]{1,6}\.?\s*[-#/]?\s*|#\s*)?(\d{1,12})")
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class RowProblem:
    """One problem in one cell (or the whole row when ``column`` is empty)."""

    sheet: str
    row: int
    column: str
    code: str
    value: str
    message: str


@dataclass(frozen=True)
class InvoiceRef:
    """How a row names its invoice: by its id, or by the number printed on it."""

    kind: Literal["id", "number"]
    text: str

    def __str__(self) -> str:
        return self.text if self.kind == "id" else f"number {self.text}"


class Payment(BaseModel):
    """A row that passed every local check: what will be recorded against which invoice."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    source: SourceRow
    invoice: InvoiceRef
    amount: Decimal = Field(gt=0, allow_inf_nan=False, decimal_places=2)
    paid_on: date
    mode: PaymentMode
    card: Card | None = None
    cheque: Cheque | None = None
    reference: str = ""
    notes: str = Field(min_length=1, max_length=MAX_NOTES_LENGTH)
    currency: str | None = None

    @property
    def row(self) -> int:
        return self.source.number


@dataclass(frozen=True)
class Validation:
    """The outcome of local checks: the payments to send and the problems of the rest."""

    payments: list[Payment]
    problems: list[RowProblem]
    invalid_rows: frozenset[int]


def validate_file(
    payments_file: PaymentsFile,
    template: Template,
    *,
    today: date,
    max_age_days: int = 400,
    decimal: str | None = None,
    date_format: str | None = None,
) -> Validation:
    """Check every row of the file; MappingError when its columns cannot feed a payment.

    The decimal mark and the date order are settled once per column from all of its values
    (``decimal`` and ``date_format`` override); InputFileError when a column cannot settle it.
    """
    column_map = map_columns(payments_file.columns, template)
    decimal_mark = decimal_option(decimal) or infer_decimal(
        _column_cells(payments_file, column_map, "amount"), column=_header(column_map, "amount")
    )
    date_order = date_order_option(date_format) or infer_date_order(
        _column_cells(payments_file, column_map, "payment_date"),
        column=_header(column_map, "payment_date"),
    )
    payments: list[Payment] = []
    problems: list[RowProblem] = []
    for source in payments_file.rows:
        outcome = validate_row(
            source,
            column_map,
            template,
            file_name=payments_file.path.name,
            today=today,
            max_age_days=max_age_days,
            decimal=decimal_mark,
            date_order=date_order,
        )
        if isinstance(outcome, Payment):
            payments.append(outcome)
        else:
            problems.extend(outcome)
    return Validation(payments, problems, frozenset(p.row for p in problems))


def _column_cells(
    payments_file: PaymentsFile, column_map: ColumnMap, field_name: str
) -> list[tuple[int, str]]:
    if field_name not in column_map.columns:
        return []
    index = column_map.columns[field_name][0]
    return [
        (source.number, source.cells[index].strip())
        for source in payments_file.rows
        if index < len(source.cells)
    ]


def _header(column_map: ColumnMap, field_name: str) -> str:
    return column_map.header(field_name) if field_name in column_map.columns else field_name


def validate_row(
    source: SourceRow,
    column_map: ColumnMap,
    template: Template,
    *,
    file_name: str,
    today: date,
    max_age_days: int = 400,
    decimal: DecimalMark | None = None,
    date_order: DateOrder | None = None,
) -> Payment | list[RowProblem]:
    """One row -> a Payment, or every problem it has."""
    problems: list[RowProblem] = []

    def cell(field_name: str) -> str:
        hit = column_map.columns.get(field_name)
        if hit is None or hit[0] >= len(source.cells):
            return ""
        return source.cells[hit[0]].strip()

    def problem(field_name: str, code: str, message: str) -> None:
        column = column_map.header(field_name) if field_name in column_map.columns else ""
        value = cell(field_name) if field_name in column_map.columns else ""
        problems.append(RowProblem(source.sheet, source.number, column, code, value, message))

    invoice = _invoice_ref(cell("invoice"), problem)
    amount = _amount(cell("amount"), problem, decimal=decimal)
    paid_on = _payment_date(cell("payment_date"), problem, today, max_age_days, order=date_order)
    method_word = cell("method")
    method = template.method(method_word) if method_word else None
    if not method_word:
        problem("method", "method.missing", "The payment method is empty.")
    elif method is None:
        problem(
            "method",
            "method.unknown",
            f"{method_word!r} is not a payment method the template knows. Use cash, card, "
            "cheque, bank transfer or other (or a card brand such as Visa).",
        )
    card = cheque = None
    if method is not None and method.mode == "cheque":
        number = cell("cheque_number")
        if not number:
            problem("cheque_number", "cheque.number_missing", "A cheque needs its number.")
        else:
            cheque = Cheque(number=number)
    if method is not None and method.mode == "card":
        brand = cell("card_brand") or (method.brand or "")
        last4 = cell("card_last4")
        if not brand:
            problem("card_brand", "card.brand_missing", "A card payment needs the card brand.")
        if not re.fullmatch(r"\d{4}", last4):
            problem(
                "card_last4",
                "card.last4_invalid",
                "A card payment needs exactly the last 4 digits of the card"
                + (f", not {last4!r}." if last4 else "."),
            )
        if brand and re.fullmatch(r"\d{4}", last4):
            card = Card(brand=brand, last4=last4)
    currency = cell("currency").upper() or None
    if currency is not None and not _CURRENCY.fullmatch(currency):
        problem("currency", "currency.invalid", "The currency must be a 3-letter code such as USD.")
    reference = cell("reference")
    notes = cell("notes") or _default_notes(method, cheque, card, reference)
    notes = f"{notes} (row {source.number} of {file_name})"
    if len(notes) > MAX_NOTES_LENGTH:
        problem(
            "notes",
            "notes.too_long",
            f"The notes are longer than {MAX_NOTES_LENGTH} characters; shorten them.",
        )
    if problems or invoice is None or amount is None or paid_on is None or method is None:
        return problems
    try:
        return Payment(
            source=source,
            invoice=invoice,
            amount=amount,
            paid_on=paid_on,
            mode=method.mode,
            card=card,
            cheque=cheque,
            reference=reference,
            notes=notes,
            currency=currency,
        )
    except ValidationError as error:
        return _translate(error, source, column_map)


def _invoice_ref(text: str, problem: _Reporter) -> InvoiceRef | None:
    if not text:
        problem("invoice", "invoice.missing", "The invoice number or id is empty.")
        return None
    if _INVOICE_ID.fullmatch(text):
        return InvoiceRef("id", text.lower())
    if match := _INVOICE_NUMBER.fullmatch(text):
        return InvoiceRef("number", match.group(1))
    problem(
        "invoice",
        "invoice.unrecognised",
        "This is neither an invoice number (such as 1042 or INV-1042) nor an invoice id "
        "(24 letters and digits).",
    )
    return None


def _amount(text: str, problem: _Reporter, *, decimal: DecimalMark | None = None) -> Decimal | None:
    if not text:
        problem("amount", "amount.missing", "The amount is empty.")
        return None
    try:
        amount = parse_amount(text, decimal=decimal)
    except UnreadableValue as error:
        problem("amount", "amount.not_a_number", str(error))
        return None
    if amount <= 0:
        problem(
            "amount",
            "amount.not_positive",
            "The amount must be above zero; refunds cannot be recorded as payments.",
        )
        return None
    if amount != amount.quantize(Decimal("0.01")):
        # Spreadsheets store 12.5 as 12.499999…; anything past the cent that is not that noise
        # is a typing slip the accountant should see.
        rounded = amount.quantize(Decimal("0.01"))
        if abs(amount - rounded) > Decimal("0.000001"):
            problem(
                "amount",
                "amount.too_many_decimals",
                f"{text!r} has more than 2 decimals.",
            )
            return None
        amount = rounded
    return amount.quantize(Decimal("0.01"))


def _payment_date(
    text: str,
    problem: _Reporter,
    today: date,
    max_age_days: int,
    *,
    order: DateOrder | None = None,
) -> date | None:
    if not text:
        problem("payment_date", "date.missing", "The payment date is empty.")
        return None
    try:
        paid_on = parse_date(text, order=order)
    except UnreadableValue as error:
        problem("payment_date", "date.unreadable", f"{error} Write it as YYYY-MM-DD.")
        return None
    if paid_on > today:
        problem("payment_date", "date.in_future", f"{paid_on} is in the future.")
        return None
    if paid_on < today - timedelta(days=max_age_days):
        problem(
            "payment_date",
            "date.too_old",
            f"{paid_on} is more than {max_age_days} days ago; check the year.",
        )
        return None
    return paid_on


def _default_notes(method: object, cheque: Cheque | None, card: Card | None, reference: str) -> str:
    if cheque is not None:
        return f"Cheque {cheque.number}"
    if card is not None:
        return f"{card.brand} card ending {card.last4}"
    if reference:
        return f"Reference {reference}"
    mode = getattr(method, "mode", "other")
    return {"cash": "Cash payment", "bank_transfer": "Bank transfer"}.get(mode, "Payment")


def _translate(
    error: ValidationError, source: SourceRow, column_map: ColumnMap
) -> list[RowProblem]:
    fields = {"amount": "amount", "notes": "notes", "paid_on": "payment_date", "mode": "method"}
    problems = []
    for detail in error.errors():
        name = fields.get(str(detail["loc"][0]), "") if detail["loc"] else ""
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


def describe(problem_: RowProblem) -> str:
    """One line for the user: where, what and what next."""
    where = f"Row {problem_.row}"
    if problem_.column:
        where += f', column "{problem_.column}"'
    return f"{where}: {problem_.message}"
