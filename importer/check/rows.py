"""Rows of text -> payments ready to send, or a list of plain-words problems.

Bad rows are values, never exceptions: every problem of every row is gathered so the user
fixes the file once. pydantic's errors are translated into problems here and only here.
"""

from __future__ import annotations

import gc
import heapq
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError

from importer.api.models import Card, Cheque, PaymentMode
from importer.check.mapping import (
    FIELDS,
    MODES,
    ColumnMap,
    Method,
    NotesPattern,
    Template,
    map_columns,
    missing_column_message,
    normalise,
)
from importer.check.values import (
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
from importer.currencies import ZERO_DECIMAL_CURRENCIES, is_currency
from importer.errors import MappingError
from importer.read import PaymentsFile, SourceRow

MAX_NOTES_LENGTH = 500
# The cells that make a row a payment; the invoice alone does not.
PAYMENT_FIELDS = frozenset(
    {"amount", "payment_date", "method", "cheque_number", "card_brand", "card_last4",
     "reference", "notes"}
)  # fmt: skip
# Fields only some rows need (cheques their number, cards their brand and digits): a file
# with such rows and no such column is refused whole, as one missing column, not row by row.
NEEDS_A_COLUMN = ("cheque_number", "card_brand", "card_last4")
# How each field parser reports a problem: (field, code, message).
_Reporter = Callable[[str, str, str], None]
_INVOICE_ID = re.compile(r"[0-9a-fA-F]{24}")
# A display prefix such as "INV-", "INV ", "#", "No." or "Nº" before the digits of a number.
_INVOICE_NUMBER = re.compile(r"(?:[A-Za-zºª°]{1,6}\.?\s*[-#/]?\s*|#\s*)?(\d{1,12})")


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """A row that passed every local check: what will be recorded against which invoice.

    A frozen record, not a pydantic model: building a model validated every field of every
    row, a fifth of a file's time, when the row checker has made those checks already. The
    constraints stay written here, and pydantic still reads them (``_PAYMENT_RULES``) for a
    payment the checker cannot vouch for.
    """

    # Checked again when _PAYMENT_RULES is given an instance, not only a dict of fields.
    __pydantic_config__ = ConfigDict(revalidate_instances="always")

    source: SourceRow
    invoice: InvoiceRef
    amount: Annotated[Decimal, Field(gt=0, allow_inf_nan=False, decimal_places=2)]
    paid_on: date
    mode: PaymentMode
    card: Card | None = None
    cheque: Cheque | None = None
    reference: str = ""
    notes: Annotated[str, Field(min_length=1, max_length=MAX_NOTES_LENGTH)]
    currency: str | None = None

    @property
    def row(self) -> int:
        return self.source.number


_PAYMENT_RULES = TypeAdapter(Payment)


def _beyond_doubt(payment: Payment) -> bool:
    """True when pydantic would accept a payment the row checker built, without asking it.

    The checker rounds the amount to the cent and ends the notes with the row, within their
    length; left in doubt are an amount that rounds to zero, notes that are not plain ASCII
    (pydantic refuses a broken surrogate) and a mode a template made in Python may have got
    wrong.
    """
    return payment.amount > 0 and payment.notes.isascii() and payment.mode in MODES


@dataclass(frozen=True)
class Validation:
    """The outcome of local checks: the payments to send and the problems of the rest."""

    payments: list[Payment]
    problems: list[RowProblem]
    invalid_rows: frozenset[int]
    # Rows that name an invoice but hold no payment (a pre-filled workbook's unpaid invoices).
    empty_rows: frozenset[int] = frozenset()
    # Which column was used where several matched one field, for the user to check.
    column_notes: tuple[str, ...] = ()


def validate_file(
    payments_file: PaymentsFile,
    template: Template,
    *,
    today: date,
    max_age_days: int | None = None,
    allow_duplicates: bool = False,
    decimal: str | None = None,
    date_format: str | None = None,
) -> Validation:
    """Check every row of the file; MappingError when its columns cannot feed a payment.

    ``max_age_days`` defaults to the template's. A row that repeats an earlier one is a
    problem unless ``allow_duplicates`` or its allow_duplicate cell says yes. The decimal mark
    and the date order are settled once per column from all of its values (``decimal`` and
    ``date_format``, or else the template's, override); InputFileError when a column cannot
    settle it.
    """
    column_map = map_columns(payments_file.columns, template)
    # Workbook number cells are numbers, written with "." whatever the column's text says.
    numbers = (
        payments_file.number_cells.get(column_map.columns["amount"][0], frozenset())
        if "amount" in column_map.columns
        else frozenset()
    )
    decimal_mark = decimal_option(decimal or template.decimal) or infer_decimal(
        (
            cell
            for cell in _column_cells(payments_file, column_map, "amount")
            if cell[0] not in numbers
        ),
        column=_header(column_map, "amount"),
    )
    date_order = date_order_option(date_format or template.date_format) or infer_date_order(
        _column_cells(payments_file, column_map, "payment_date"),
        column=_header(column_map, "payment_date"),
    )
    checker = RowChecker(
        column_map,
        template,
        file_name=payments_file.path.name,
        today=today,
        max_age_days=template.max_age_days if max_age_days is None else max_age_days,
        decimal=decimal_mark,
        date_order=date_order,
        number_rows=numbers,
    )
    payments: list[Payment] = []
    problems: list[RowProblem] = []
    empty: list[int] = []
    with _collector_paused():
        for source in payments_file.rows:
            outcome = checker.check(source)
            if outcome is None:
                empty.append(source.number)
            elif isinstance(outcome, Payment):
                payments.append(outcome)
            else:
                problems.extend(outcome)
        duplicates = (
            {}
            if allow_duplicates
            else _duplicates(payments, checker.invalid_keys, checker.duplicate_allowed)
        )
    if checker.needs_column:
        raise MappingError(
            missing_column_message(
                checker.needs_column, payments_file.columns, column_map, template
            )
        )
    if duplicates:
        payments = [payment for payment in payments if payment.row not in duplicates]
        problems.extend(duplicates.values())
        # Keep the report in file order, each row's problems in the order they were found.
        problems.sort(key=lambda item: item.row)
    return Validation(
        payments,
        problems,
        frozenset(p.row for p in problems),
        frozenset(empty),
        column_map.notes,
    )


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    # Every payment built here lives to the end of the run and holds no reference cycle, yet
    # the cyclic garbage collector would rescan all of them again and again as they pile up:
    # a third of the time of a 100k-row file. Pause it for the loop, then put it back, the
    # survivors moved straight to the oldest generation (freeze, unfreeze) so that the next
    # young collection does not scan them all once more.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


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
) -> Payment | list[RowProblem] | None:
    """One row -> a Payment, every problem it has, or None when it holds no payment."""
    checker = RowChecker(
        column_map,
        template,
        file_name=file_name,
        today=today,
        max_age_days=max_age_days,
        decimal=decimal,
        date_order=date_order,
    )
    return checker.check(source)


_LAST4 = re.compile(r"[*xX•·.\s-]*(\d{4})")
_YES = frozenset({"yes", "y", "true", "1", "x", "si", "s", "ok"})
_NO = frozenset({"no", "n", "false", "0", ""})
_FieldProblem = tuple[str, str, str]


class _DateTexts(dict[date, str]):
    """Each date as notes write it (2026-10-03), made once: isoformat goes through sprintf."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


class RowChecker:
    """The row rules for one file's columns and template, set up once for all its rows.

    Lookups that repeat down a file (method words, dates) are remembered, so a 100k-row
    file is checked in about a second.
    """

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
    ) -> None:
        self.column_map = column_map
        self.decimal = decimal
        # Rows whose amount is a workbook number: read with ".", never with the column's mark.
        self.number_rows = number_rows
        self.date_order = date_order
        self.template = template
        self.file_name = file_name
        self.today = today
        self.max_age_days = max_age_days
        self.duplicate_allowed: set[int] = set()
        # Rows that need a field the file has no column for (a cheque's number), by field.
        self.needs_column: dict[str, list[int]] = {}
        # (row, sheet, duplicate key) of the invalid rows whose key cells could be read.
        self.invalid_keys: list[tuple[int, str, tuple[object, ...]]] = []
        self._index = {name: index for name, (index, _header) in column_map.columns.items()}
        self._constants = template.constants
        names = dict.fromkeys((*FIELDS, *template.headers))
        self._found = [(name, at) for name, at in self._index.items() if at >= 0]
        self._payment_cells = [name for name, _at in self._found if name in PAYMENT_FIELDS]
        self._absent = {name: "" for name in names if name not in self._index}
        self._methods: dict[str, Method | None] = {}
        self._dates: dict[str, tuple[date | None, list[_FieldProblem]]] = {}
        self._date_texts = _DateTexts()
        self._notes = NotesPattern(template.notes) if template.notes is not None else None
        # The extra columns the notes show and the file has; a missing one is empty anyway.
        self._note_extras = tuple(
            name
            for name in template.extra_columns
            if self._notes and name in self._notes.names and name in self._index
        )

    def _method(self, word: str) -> Method | None:
        try:
            return self._methods[word]
        except KeyError:
            found = self._methods[word] = self.template.method(word)
            return found

    def _date(self, text: str, problem: _Reporter) -> date | None:
        # Dates repeat down a file; strptime is the slowest step of a row, so read each once.
        cached = self._dates.get(text)
        if cached is None:
            found: list[_FieldProblem] = []
            parsed = _payment_date(
                text,
                lambda *args: found.append(args),
                self.today,
                self.max_age_days,
                order=self.date_order,
            )
            cached = self._dates[text] = (parsed, found)
        for args in cached[1]:
            problem(*args)
        return cached[0]

    def check(self, source: SourceRow) -> Payment | list[RowProblem] | None:
        """One row -> a Payment, every problem it has (in column order), or None.

        None is a row with every payment cell empty: in a workbook pre-filled with the open
        invoices, the invoices nobody paid. It is not a payment and not a mistake.
        """
        cells = source.cells
        width = len(cells)
        values = self._absent.copy()
        for name, at in self._found:
            values[name] = cells[at].strip() if at < width else ""
        if not any(map(values.__getitem__, self._payment_cells)):
            return None
        index = self._index
        problems: list[RowProblem] = []
        for name, constant in self._constants.items():
            if not values[name]:
                values[name] = constant

        def problem(field_name: str, code: str, message: str) -> None:
            if field_name in index:
                column, value = self.column_map.header(field_name), values[field_name]
            else:
                column, value = "", ""
                if field_name in NEEDS_A_COLUMN:
                    self.needs_column.setdefault(field_name, []).append(source.number)
            problems.append(RowProblem(source.sheet, source.number, column, code, value, message))

        invoice = _invoice_ref(values["invoice"], problem)
        amount = _amount(
            values["amount"],
            problem,
            decimal="." if source.number in self.number_rows else self.decimal,
        )
        paid_on = self._date(values["payment_date"], problem)
        method_word = values["method"]
        method = self._method(method_word) if method_word else None
        mode = method.mode if method is not None else None
        if not method_word:
            problem(
                "method",
                "method.missing",
                "The payment method is empty. Fill in how it was paid: cash, card, cheque, bank "
                "transfer or other.",
            )
        elif method is None:
            problem(
                "method",
                "method.unknown",
                f"{method_word!r} is not a payment method the template knows. Use cash, card, "
                "cheque, bank transfer or other (or a card brand such as Visa).",
            )
        card = cheque = None
        brand = last4 = ""
        if mode == "cheque":
            number = values["cheque_number"]
            if not number:
                problem(
                    "cheque_number",
                    "cheque.number_missing",
                    "A cheque needs its number. Fill in the number printed on the cheque.",
                )
            else:
                cheque = Cheque(number=number)
        if method is not None and mode == "card":
            brand = self._brand(values["card_brand"], method)
            written = values["card_last4"]
            digits = _LAST4.fullmatch(written)
            last4 = digits.group(1) if digits else ""
            if not brand:
                problem(
                    "card_brand",
                    "card.brand_missing",
                    "A card payment needs the card brand. Fill in the brand, such as Visa or "
                    "Mastercard (or write it as the method).",
                )
            if not last4:
                problem(
                    "card_last4",
                    "card.last4_invalid",
                    "A card payment needs exactly the last 4 digits of the card"
                    + (f", not {written!r}" if written else "")
                    + ". Fill in the 4 digits at the end of the card number.",
                )
            if brand and last4:
                card = Card(brand=brand, last4=last4)
        currency = values["currency"].upper() or None
        if currency is not None and not is_currency(currency):
            problem(
                "currency",
                "currency.invalid",
                f"{currency!r} is not a currency code: use the 3-letter code such as USD, EUR "
                "or MXN.",
            )
            currency = None
        if (
            currency in ZERO_DECIMAL_CURRENCIES
            and amount is not None
            and amount != amount.to_integral()
        ):
            problem(
                "amount",
                "amount.too_many_decimals",
                f"{currency} amounts have no decimals, and {values['amount']!r} has some. "
                f"Correct it to a whole number of {currency}.",
            )
        reference = values["reference"]
        if self._notes is not None:
            notes = self._notes.fill(self._note_values(values, paid_on, method_word, brand, last4))
        else:
            notes = values["notes"] or _default_notes(method, cheque, card, reference)
        notes = f"{notes} (row {source.number} of {self.file_name})".lstrip()
        if len(notes) > MAX_NOTES_LENGTH:
            problem(
                "notes",
                "notes.too_long",
                f"The notes are longer than {MAX_NOTES_LENGTH} characters; shorten them.",
            )
        if allowance := values["allow_duplicate"]:
            self._allow_duplicate(allowance, source.number, problem)
        if problems or invoice is None or amount is None or paid_on is None or method is None:
            if (
                invoice is not None
                and amount is not None
                and paid_on is not None
                and method is not None
                and (cheque is not None or method.mode != "cheque")
                and (card is not None or method.mode != "card")
            ):
                # An invalid row is still a payment once fixed: a later copy of it must not
                # go ahead now and be recorded a second time when this one is fixed.
                key = _payment_key(invoice, amount, paid_on, method.mode, cheque, card, reference)
                self.invalid_keys.append((source.number, source.sheet, key))
            return problems
        payment = Payment(
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
        if not _beyond_doubt(payment):
            try:
                _PAYMENT_RULES.validate_python(payment)
            except ValidationError as error:
                return _translate(error, source, self.column_map)
        return payment

    def _brand(self, written: str, method: Method) -> str:
        # "VISA" and "MC" in a brand column become the names the template gives them.
        if written:
            known = self._method(written)
            return known.brand if known is not None and known.brand else written
        return method.brand or ""

    def _note_values(
        self,
        values: dict[str, str],
        paid_on: date | None,
        method_word: str,
        brand: str,
        last4: str,
    ) -> dict[str, str]:
        # The row's own values, changed in place: every check that reads them is done, and a
        # copy per row was a tenth of a row's time.
        values["payment_date"] = self._date_texts[paid_on] if paid_on else ""
        values["method"] = method_word
        values["card_brand"] = brand
        values["card_last4"] = last4
        for name in self._note_extras:
            # A date cell of a workbook reads as "2026-10-03 00:00:00"; the time is noise.
            values[name] = values[name].removesuffix(" 00:00:00")
        return values

    def _allow_duplicate(self, text: str, row: int, problem: _Reporter) -> None:
        form = normalise(text)
        if form in _YES:
            self.duplicate_allowed.add(row)
        elif form not in _NO:
            problem(
                "allow_duplicate",
                "allow_duplicate.unreadable",
                f"{text!r} is neither yes nor no: write yes when this payment really is made "
                "twice, or leave the cell empty.",
            )


def _payment_key(
    invoice: InvoiceRef,
    amount: Decimal,
    paid_on: date,
    mode: str,
    cheque: Cheque | None,
    card: Card | None,
    reference: str,
) -> tuple[object, ...]:
    number = invoice.text
    return (
        invoice.kind,
        number.lstrip("0") or "0" if invoice.kind == "number" else number,
        amount,
        paid_on,
        mode,
        cheque.number if cheque else "",
        (card.brand.casefold(), card.last4) if card else "",
        " ".join(reference.casefold().split()),
    )


def _duplicates(
    payments: Sequence[Payment],
    invalid_keys: Sequence[tuple[int, str, tuple[object, ...]]],
    allowed: set[int],
) -> dict[int, RowProblem]:
    """A problem for each row that repeats an earlier one, by row; the first one goes ahead.

    Invalid rows count as earlier rows too (and are flagged as repeats themselves), so
    fixing one never lets a copy of it through twice.
    """
    first_row: dict[tuple[object, ...], int] = {}
    found: dict[int, RowProblem] = {}
    entries: Iterable[tuple[int, str, tuple[object, ...]]] = (
        (
            payment.row,
            payment.source.sheet,
            _payment_key(
                payment.invoice,
                payment.amount,
                payment.paid_on,
                payment.mode,
                payment.cheque,
                payment.card,
                payment.reference,
            ),
        )
        for payment in payments
    )
    if invalid_keys:
        # Both are in file order already: merged, every row meets the rows above it first.
        entries = heapq.merge(entries, invalid_keys, key=itemgetter(0))
    for row, sheet, key in entries:
        earlier = first_row.setdefault(key, row)
        if earlier != row and row not in allowed:
            found[row] = RowProblem(
                sheet,
                row,
                "",
                "row.duplicate",
                "",
                f"Possible duplicate of row {earlier}: same invoice, amount, date, method and "
                "reference. If both payments are real, put yes in an allow_duplicate column or "
                "run again with --allow-duplicates; otherwise delete this row.",
            )
    return found


def _invoice_ref(text: str, problem: _Reporter) -> InvoiceRef | None:
    if not text:
        problem(
            "invoice",
            "invoice.missing",
            "The invoice number or id is empty. Fill in the invoice the payment is for (such as "
            "1042 or INV-1042), or delete the row.",
        )
        return None
    if len(text) == 24 and _INVOICE_ID.fullmatch(text):
        return InvoiceRef("id", text.lower())
    if match := _INVOICE_NUMBER.fullmatch(text):
        return InvoiceRef("number", match.group(1))
    problem(
        "invoice",
        "invoice.unrecognised",
        "This is neither an invoice number (such as 1042 or INV-1042) nor an invoice id (24 "
        "characters, each 0-9 or a-f). Write the invoice number as printed on the invoice.",
    )
    return None


_CENT = Decimal("0.01")
_FLOAT_NOISE = Decimal("0.000001")


def _amount(text: str, problem: _Reporter, *, decimal: DecimalMark | None = None) -> Decimal | None:
    if not text:
        problem(
            "amount",
            "amount.missing",
            "The amount is empty. Fill in the amount paid, or delete the row if nothing was paid.",
        )
        return None
    try:
        amount = parse_amount(text, decimal=decimal)
    except UnreadableValue as error:
        problem(
            "amount",
            "amount.not_a_number",
            f"{error} Write the amount paid in digits, such as 1250.00.",
        )
        return None
    if amount <= 0:
        problem(
            "amount",
            "amount.not_positive",
            "The amount must be above zero; refunds cannot be recorded as payments. Correct "
            "the amount, or delete the row.",
        )
        return None
    rounded = amount.quantize(_CENT)
    if amount != rounded and abs(amount - rounded) > _FLOAT_NOISE:
        # Spreadsheets store 12.5 as 12.499999…; anything past the cent that is not that noise
        # is a typing slip the accountant should see.
        problem(
            "amount",
            "amount.too_many_decimals",
            f"{text!r} has more than 2 decimals. Correct it to cents (at most 2 decimals).",
        )
        return None
    return rounded


def _payment_date(
    text: str,
    problem: _Reporter,
    today: date,
    max_age_days: int,
    *,
    order: DateOrder | None = None,
) -> date | None:
    if not text:
        problem(
            "payment_date",
            "date.missing",
            "The payment date is empty. Fill in the date the payment was received, as YYYY-MM-DD.",
        )
        return None
    try:
        paid_on = parse_date(text, order=order)
    except UnreadableValue as error:
        problem("payment_date", "date.unreadable", f"{error} Write it as YYYY-MM-DD.")
        return None
    if paid_on > today:
        problem(
            "payment_date",
            "date.in_future",
            f"{paid_on} is in the future. Check the date: a payment cannot be dated after today "
            f"({today}).",
        )
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


def describe_cell(problem_: RowProblem) -> str:
    """The problem without its row, for a results file whose row is in a column of its own."""
    if problem_.column:
        return f'Column "{problem_.column}": {problem_.message}'
    return problem_.message


def describe(problem_: RowProblem) -> str:
    """One line for the user: where, what and what next."""
    where = f"Row {problem_.row}"
    if problem_.column:
        where += f', column "{problem_.column}"'
    return f"{where}: {problem_.message}"
