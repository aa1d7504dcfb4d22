"""One cell of a row read into its payment field, or the problem that says why it cannot be.

Each reader takes the cell's text (already stripped) and a ``Reporter`` to tell what is wrong,
and returns the value, or None when there is none to use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from importer.check.invoice_text import invoice_references, listed_invoices, several_invoices
from importer.check.problems import Reporter
from importer.check.templates import normalise
from importer.check.values import (
    AmountTooLarge,
    DateOrder,
    DecimalMark,
    UnreadableValue,
    parse_amount,
    parse_date,
    quoted,
    written_currency,
)
from importer.currencies import ZERO_DECIMAL_CURRENCIES, fits, is_currency, symbol_currency

_INVOICE_ID = re.compile(r"[0-9a-fA-F]{24}")
# A display prefix such as "INV-", "INV ", "#", "No." or "Nº" before the digits of a number.
_INVOICE_NUMBER = re.compile(r"(?:[A-Za-zºª°]{1,6}\.?\s*[-#/]?\s*|#\s*)?(\d{1,12})")
_CENT = Decimal("0.01")
_FLOAT_NOISE = Decimal("0.000001")
_LAST4 = re.compile(r"[*xX•·.\s-]*(\d{4})")
_YES = frozenset({"yes", "y", "true", "1", "x", "si", "s", "ok"})
_NO = frozenset({"no", "n", "false", "0", ""})


@dataclass(frozen=True)
class InvoiceRef:
    """How a row names its invoice: by its id, or by the number printed on it."""

    kind: Literal["id", "number"]
    text: str

    def __str__(self) -> str:
        return self.text if self.kind == "id" else f"number {self.text}"


def invoice_as_written(text: str) -> InvoiceRef | None:
    """The invoice a cell holding nothing else names: an id (24 hex characters) or a number
    (INV-1042, Nº 1042); None for anything more, such as words or a list."""
    if _INVOICE_ID.fullmatch(text):
        return InvoiceRef("id", text.lower())
    if match := _INVOICE_NUMBER.fullmatch(text):
        return InvoiceRef("number", match.group(1))
    return None


def invoice_ref(text: str, problem: Reporter) -> InvoiceRef | None:
    """The invoice a cell names, by id (24 hex characters) or by number (INV-1042, Nº 1042),
    or by the one reference among other words ("Invoice 1027 part payment")."""
    if not text:
        problem(
            "invoice",
            "invoice.missing",
            "The invoice number or id is empty. Fill in the invoice the payment is for (such as "
            "1042 or INV-1042), or delete the row.",
        )
        return None
    if (written := invoice_as_written(text)) is not None:
        return written
    named = invoice_references(text) or listed_invoices(text)
    if len(named) == 1:
        return InvoiceRef("number", named[0])
    if named:
        several_invoices(named, problem)
        return None
    problem(
        "invoice",
        "invoice.unrecognised",
        "This is neither an invoice number (such as 1042 or INV-1042) nor an invoice id (24 "
        "characters, each 0-9 or a-f). Write the invoice number as printed on the invoice.",
    )
    return None


def amount(text: str, problem: Reporter, *, decimal: DecimalMark | None) -> Decimal | None:
    """The amount paid, above zero and rounded to the cent."""
    if not text:
        problem(
            "amount",
            "amount.missing",
            "The amount is empty. Fill in the amount paid, or delete the row if nothing was paid.",
        )
        return None
    try:
        paid = parse_amount(text, decimal=decimal)
    except AmountTooLarge as error:
        problem(
            "amount",
            "amount.too_large",
            f"{error} Correct the amount: a reference or an account number may have been typed "
            "in its place.",
        )
        return None
    except UnreadableValue as error:
        problem(
            "amount",
            "amount.not_a_number",
            f"{error} Write the amount paid in digits, such as 1250.00.",
        )
        return None
    if paid <= 0:
        problem(
            "amount",
            "amount.not_positive",
            "The amount must be above zero; refunds cannot be recorded as payments. Correct "
            "the amount, or delete the row.",
        )
        return None
    rounded = paid.quantize(_CENT)
    if paid != rounded and abs(paid - rounded) > _FLOAT_NOISE:
        # Spreadsheets store 12.5 as 12.499999…; anything past the cent that is not that noise
        # is a typing slip the accountant should see.
        problem(
            "amount",
            "amount.too_many_decimals",
            f"{quoted(text)} has more than 2 decimals. Correct it to cents (at most 2 decimals).",
        )
        return None
    return rounded


def payment_date(
    text: str, problem: Reporter, *, today: date, max_age_days: int, order: DateOrder | None
) -> date | None:
    """The day the payment was received: not after ``today``, nor ``max_age_days`` before."""
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


def last4(written: str, problem: Reporter) -> str:
    """A card's last 4 digits, from "1234", "**** 1234" or "xxxx-1234"; "" when not there."""
    if digits := _LAST4.fullmatch(written):
        return digits.group(1)
    problem(
        "card_last4",
        "card.last4_invalid",
        "A card payment needs exactly the last 4 digits of the card"
        + (f", not {quoted(written)}" if written else "")
        + ". Fill in the 4 digits at the end of the card number.",
    )
    return ""


def currency(text: str, problem: Reporter) -> str | None:
    """The 3-letter currency code a cell gives, or None when it is empty or not a currency."""
    code = text.upper() or None
    if code is not None and not is_currency(code):
        problem(
            "currency",
            "currency.invalid",
            f"{quoted(code)} is not a currency code: use the 3-letter code such as USD, EUR or "
            "MXN.",
        )
        return None
    return code


def amount_currency(text: str, column: str | None, problem: Reporter) -> str | None:
    """The currency the amount cell itself names (``5 EUR``, ``€5.00``): its code, or "$" or
    "¥" for a symbol several currencies share; None when it names none.

    An amount is recorded in the invoice's currency, so a currency written beside it is a
    claim to check, never to drop: an unknown code is a problem, and so is one that the
    row's Currency column (``column``) contradicts.
    """
    written = written_currency(text)
    if written is None:
        return None
    code = written if len(written) == 3 and written.isalpha() else symbol_currency(written)
    if len(written) == 3 and written.isalpha() and not is_currency(code):
        problem(
            "amount",
            "amount.unknown_currency",
            f"{quoted(text)} names {code}, which is not a currency. Write the amount alone, or "
            "with the invoice's currency code, such as USD.",
        )
        return None
    if column is not None and not fits(code, column):
        problem(
            "amount",
            "amount.currency_conflict",
            f"{quoted(text)} is in {code}, but the row's currency is {column}. Correct the one "
            "that is wrong.",
        )
        return None
    return code


def whole_units(paid: Decimal, code: str | None, written: str, problem: Reporter) -> None:
    """Report an amount with cents in a currency that has none (JPY, CLP...)."""
    if code in ZERO_DECIMAL_CURRENCIES and paid != paid.to_integral():
        problem(
            "amount",
            "amount.too_many_decimals",
            f"{code} amounts have no decimals, and {quoted(written)} has some. "
            f"Correct it to a whole number of {code}.",
        )


def allows_duplicate(text: str, problem: Reporter) -> bool:
    """Whether an allow_duplicate cell says yes; a word that is neither yes nor no is reported."""
    form = normalise(text)
    if form in _YES:
        return True
    if form not in _NO:
        problem(
            "allow_duplicate",
            "allow_duplicate.unreadable",
            f"{quoted(text)} is neither yes nor no: write yes when this payment really is made "
            "twice, or leave the cell empty.",
        )
    return False
