"""Which lines of a bank statement are money received, with each one's date, amount and words.

Issue #14 reads bank statements properly (templates that know statements, paid in and paid
out, signed amounts, a ``not_a_payment`` status for the rest). Until it lands, this minimal
reading stands in for it, behind the one function ``statement_lines``: matching and the
proposals file take its ``StatementLines`` and nothing else, so that #14's reading replaces
this module without them noticing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from importer.api.models import PaymentMode
from importer.check.cheque_words import cheque_in_words
from importer.check.matching import StatementLine
from importer.check.problems import RowProblem
from importer.check.templates import Template, normalise
from importer.check.values import (
    DecimalMark,
    UnreadableValue,
    date_order_option,
    decimal_option,
    infer_date_order,
    infer_decimal,
    parse_amount,
    parse_date,
)
from importer.currencies import is_currency
from importer.errors import MappingError
from importer.read.layout import PaymentsFile, SourceRow

__all__ = ["StatementLines", "looks_like_statement", "statement_hint", "statement_lines"]

# The headers of each kind of column, normalised (see ``templates.normalise``).
_PAID_IN = frozenset(
    {"paidin", "moneyin", "credit", "credits", "creditamount", "deposit", "deposits",
     "receipts", "abono", "abonos", "ingreso", "ingresos", "haber", "entrada", "entradas"}
)  # fmt: skip
_PAID_OUT = frozenset(
    {"paidout", "moneyout", "debit", "debits", "debitamount", "withdrawal", "withdrawals",
     "cargo", "cargos", "debe", "salida", "salidas", "adeudo"}
)  # fmt: skip
_SIGNED = frozenset(
    {"amount", "importe", "monto", "cantidad", "value", "transactionamount", "valor"}
)  # fmt: skip
# The value date is the day the money was the account's: the payment date, when there is one.
_VALUE_DATE = ("valuedate", "fvalor", "fechavalor", "fvalue")
_DATES = frozenset(
    {*_VALUE_DATE, "date", "transactiondate", "bookingdate", "postingdate", "fecha",
     "fechaoperacion", "foperacion", "fechacontable", "completeddate", "starteddate"}
)  # fmt: skip
_BALANCE = frozenset(
    {"balance", "runningbalance", "availablebalance", "ledgerbalance", "saldo", "disponible",
     "saldodisponible", "saldocontable"}
)  # fmt: skip
_CURRENCY = frozenset({"currency", "currencycode", "ccy", "divisa", "moneda"})
_SYMBOLS = {"£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR"}
# The first words of a line's description that say the money came in cash.
_CASH = ("cash", "efectivo", "ingreso en efectivo", "ingreso efectivo", "deposito en efectivo")


@dataclass(frozen=True)
class StatementLines:
    """A statement's lines: money received, lines that are not payments, lines unreadable."""

    lines: list[StatementLine]
    # Row -> why the line is not money received (paid out, a balance), in words.
    not_payments: dict[int, str]
    problems: list[RowProblem]
    mark: DecimalMark
    # The headers of the columns the money received and its date come from.
    amount_column: str
    date_column: str
    currency_column: str | None = None


@dataclass(frozen=True)
class _Columns:
    paid_in: int | None
    paid_out: int | None
    signed: int | None
    date: int
    currency: int | None
    text: tuple[int, ...]

    @property
    def money(self) -> tuple[int, ...]:
        return tuple(c for c in (self.paid_in, self.paid_out, self.signed) if c is not None)


def looks_like_statement(headers: Sequence[str]) -> bool:
    """True for a header row with a date and money received (paid in, or a signed amount)."""
    forms = {normalise(header) for header in headers}
    return bool(forms & _DATES) and bool(forms & (_PAID_IN | _SIGNED))


def statement_hint(path: Path, headers: Sequence[str], template: Template) -> str | None:
    """What to do with a bank statement given as a payments file, or None for other files."""
    invoice_names = {normalise(name) for name in template.headers.get("invoice", ())}
    if {normalise(header) for header in headers} & invoice_names:
        return None
    if not looks_like_statement(headers):
        return None
    return (
        f"This looks like a bank statement: importer match {path.name} proposes the invoice "
        f"each payment in it pays, for you to confirm; importer run {path.name} --accept sure "
        "records those it is sure of."
    )


def statement_lines(
    statement: PaymentsFile, *, decimal: str | None = None, date_format: str | None = None
) -> StatementLines:
    """Each line of ``statement`` as money received, not a payment, or a problem.

    MappingError when no column gives the money received or the date.
    """
    columns = _columns(statement)
    headers = statement.columns
    mark = decimal_option(decimal) or infer_decimal(
        (
            (row.number, row.cells[index])
            for index in columns.money
            for row in statement.rows
            if row.number not in statement.number_cells.get(index, frozenset())
        ),
        column=headers[columns.money[0]],
    )
    order = date_order_option(date_format) or infer_date_order(
        ((row.number, row.cells[columns.date]) for row in statement.rows),
        column=headers[columns.date],
    )
    lines: list[StatementLine] = []
    not_payments: dict[int, str] = {}
    problems: list[RowProblem] = []
    for row in statement.rows:
        found = _line(statement, columns, row, mark=mark)
        if isinstance(found, str):
            not_payments[row.number] = found
            continue
        if isinstance(found, RowProblem):
            problems.append(found)
            continue
        amount, currency = found
        written = row.cells[columns.date]
        try:
            paid_on = parse_date(written, order=order)
        except UnreadableValue as error:
            problems.append(
                RowProblem(
                    row.sheet, row.number, headers[columns.date], "date.unreadable", written,
                    f"{error} Write it as YYYY-MM-DD.",
                )
            )  # fmt: skip
            continue
        text = " ".join(row.cells[index] for index in columns.text if row.cells[index])
        mode = _mode(text)
        # A line naming its cheque is that cheque (a cash deposit's is not one cheque).
        cheque = cheque_in_words(text) if mode != "cash" else ""
        mode = "cheque" if cheque else mode
        lines.append(StatementLine(row.number, paid_on, text, amount, currency, mode, cheque))
    return StatementLines(
        lines,
        not_payments,
        problems,
        mark,
        amount_column=headers[columns.paid_in if columns.paid_in is not None else columns.money[0]],
        date_column=headers[columns.date],
        currency_column=headers[columns.currency] if columns.currency is not None else None,
    )


def _columns(statement: PaymentsFile) -> _Columns:
    forms = [normalise(header) for header in statement.columns]

    def first(names: frozenset[str] | tuple[str, ...]) -> int | None:
        return next((index for index, form in enumerate(forms) if form in names), None)

    paid_in, paid_out, signed = first(_PAID_IN), first(_PAID_OUT), first(_SIGNED)
    value_date = next((forms.index(name) for name in _VALUE_DATE if name in forms), None)
    date = value_date if value_date is not None else first(_DATES)
    listed = ", ".join(repr(header) for header in statement.columns if header)
    if paid_in is None and signed is None:
        raise MappingError(
            f"The file's columns are: {listed}. No column gives the money received (expected a "
            "header such as 'Paid in', 'Credit' or 'Money in', or one amount column such as "
            "'Amount' or 'Importe' where money received is above zero). Nothing was sent."
        )
    if date is None:
        raise MappingError(
            f"The file's columns are: {listed}. No column gives the date of each line "
            "(expected a header such as 'Date', 'Value Date', 'Fecha' or 'F.Valor'). "
            "Nothing was sent."
        )
    amount = paid_in if paid_in is not None else signed
    currencies = [index for index, form in enumerate(forms) if form in _CURRENCY]
    # Of several currency columns (the amount's, the balance's), the nearest after the amount.
    after = [index for index in currencies if amount is not None and index > amount]
    currency = after[0] if after else (currencies[0] if currencies else None)
    kept_apart = _DATES | _PAID_IN | _PAID_OUT | _SIGNED | _BALANCE | _CURRENCY
    text = tuple(index for index, form in enumerate(forms) if form and form not in kept_apart)
    return _Columns(
        paid_in, paid_out if paid_in is not None else None, signed if paid_in is None else None,
        date, currency, text,
    )  # fmt: skip


def _line(
    statement: PaymentsFile, columns: _Columns, row: SourceRow, *, mark: DecimalMark
) -> tuple[Decimal, str | None] | str | RowProblem:
    """The amount received and its currency, why the line is not a payment, or its problem."""
    index = columns.paid_in if columns.paid_in is not None else columns.signed
    assert index is not None  # _columns refuses a statement without either
    header = statement.columns[index]
    written = row.cells[index].strip()
    if not written:
        out = columns.paid_out
        if out is not None and row.cells[out].strip():
            return f"Money paid out ({statement.columns[out]}), not a payment received."
        return "No amount: a balance or information line, not a payment."
    numbers = statement.number_cells.get(index, frozenset())
    try:
        amount = parse_amount(written, decimal="." if row.number in numbers else mark)
    except UnreadableValue as error:
        return RowProblem(
            row.sheet, row.number, header, "amount.not_a_number", written,
            f"{error} Write the amount in digits, such as 1250.00.",
        )  # fmt: skip
    if amount < 0:
        return f"Money paid out (a negative {header}), not a payment received."
    if amount == 0:
        return f"{header} is 0: not a payment."
    if amount != amount.quantize(Decimal("0.01")):
        return RowProblem(
            row.sheet, row.number, header, "amount.too_many_decimals", written,
            f"{written!r} has more than 2 decimals. Correct it to cents (at most 2 decimals).",
        )  # fmt: skip
    return amount, _currency(row, columns.currency, written)


def _currency(row: SourceRow, column: int | None, amount: str) -> str | None:
    """The line's currency: its currency column's code, else the amount's symbol or code."""
    if column is not None and is_currency(code := row.cells[column].strip().upper()):
        return code
    for symbol, code in _SYMBOLS.items():
        if symbol in amount:
            return code
    letters = "".join(ch for ch in amount.upper() if ch.isalpha())
    return letters if len(letters) == 3 and is_currency(letters) else None


def _mode(text: str) -> PaymentMode:
    """Cash when the line's words start by saying so; every other line is a bank transfer."""
    words = " ".join(normalise(word) for word in text.split()[:3])
    return "cash" if words.startswith(_CASH) else "bank_transfer"
