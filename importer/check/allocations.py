"""An invoice cell that names several invoices: the parts of one payment, with or without amounts.

``2024:300.00|2025:150.50`` gives each invoice its amount (parts separated by ``|``, ``;`` or a
line break, the amount after ``:`` or ``=``, written with the file's decimal mark). ``2026,
2027``, ``2026/2027`` or ``2026 & 2027`` lists invoices without amounts: the payment pays each
of them in full, which only their live balances can tell (see ``importer.parts``). A cell that
names one invoice is read exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from importer.check.fields import (
    InvoiceRef,
    amount_currency,
    invoice_as_written,
    invoice_ref,
    whole_units,
)
from importer.check.invoice_text import invoice_references, listed_invoices
from importer.check.problems import Reporter
from importer.check.values import DecimalMark, UnreadableValue, format_amount, parse_amount
from importer.currencies import fits

__all__ = [
    "MAX_PARTS",
    "Allocation",
    "parts_add_up",
    "parts_currency",
    "read_allocations",
    "same_invoice",
]

# More invoices than this in one cell is a pasted column, not a cheque's remittance.
MAX_PARTS = 50
_CENT = Decimal("0.01")
# Between parts that carry amounts: a bar, a semicolon or a line break.
_STRONG = re.compile(r"\s*[|;\r\n]+\s*")
# Between invoices listed without amounts, also: a comma, & or +, "and" or "y" between spaces.
# A slash too, but only between what are not invoices whole: INV/2024 is one number.
_ANY = re.compile(r"(?:\s*[|;\r\n,&+]\s*|\s+(?:and|y)\s+)+", re.IGNORECASE)
# A comma that starts the next "invoice: amount" (not one inside an amount such as 1,200.00).
_COMMA_BEFORE_PART = re.compile(r"\s*,\s*(?=[^,:=]+[:=])")
_WITH_AMOUNT = re.compile(r"(?P<invoice>[^:=]*?)\s*[:=]\s*(?P<amount>.*)", re.DOTALL)


class Allocation(NamedTuple):
    """One invoice a payment pays, and how much of it when the cell says (None: in full).

    A named tuple, not a frozen dataclass: one is made for every row of a file, and a tuple
    is made several times faster (benchmarks/bench_validate.py).
    """

    invoice: InvoiceRef
    amount: Decimal | None
    written: str  # the invoice as the cell writes it (INV-2024), for notes and messages
    currency: str | None = None  # as its amount names it (300 EUR, €300): a code, or $ or ¥


def same_invoice(first: InvoiceRef, second: InvoiceRef) -> bool:
    """True when two references name one invoice as written: INV-2024 and 2024 do, 0042
    and 42 do not (numbers are compared as printed)."""
    return first.kind == second.kind and first.text == second.text


def read_allocations(
    text: str, problem: Reporter, *, decimal: DecimalMark | None
) -> list[Allocation] | None:
    """The invoices a cell names, in order; None (with the problems reported) when it cannot
    be read. A cell naming one invoice gives one allocation without an amount."""
    if not text:
        invoice_ref(text, problem)  # reported as an empty invoice cell always was
        return None
    if (single := invoice_as_written(text)) is not None:
        return [Allocation(single, None, text)]
    # A list is read before the words around a reference: "INV-2024:100|2025:50" is two
    # parts, never invoice 2024 alone for the whole amount.
    items = _items(text)
    listed = [invoice_ref(_invoice_of(item), _silent) is not None for item in items]
    if not (len(items) > 1 and any(listed) and (all(listed) or _has_amounts(text))):
        named = invoice_references(text) or listed_invoices(text)
        if len(named) == 1:
            return [Allocation(InvoiceRef("number", named[0]), None, text)]
        if named:
            # Invoices named among words no list reads ("Payment for Inv 1021 / 1022,
            # thanks"): each paid in full, which their balances confirm before anything is sent.
            return [Allocation(InvoiceRef("number", number), None, number) for number in named]
    if not any(listed):
        invoice_ref(text, problem)  # not a list either: the one-invoice message says it all
        return None
    if len(items) > MAX_PARTS:
        problem(
            "invoice",
            "parts.too_many",
            f"The cell lists {len(items)} invoices; one payment can cover at most {MAX_PARTS}. "
            "Split it into several rows that share the cheque number or reference.",
        )
        return None
    found: list[Allocation] = []
    readable = True
    for number, item in enumerate(items, start=1):
        allocation = _allocation(item, number, problem, decimal=decimal)
        if allocation is None:
            readable = False
            continue
        if twice := next((a for a in found if same_invoice(a.invoice, allocation.invoice)), None):
            problem(
                "invoice",
                "parts.listed_twice",
                f"Invoice {allocation.written} is listed twice in this payment (parts "
                f"{found.index(twice) + 1} and {number}). List each invoice once, with the "
                "whole amount it gets.",
            )
            readable = False
        found.append(allocation)
    if readable and _mixed(found, problem):
        readable = False
    return found if readable else None


def _silent(_field: str, _code: str, _message: str) -> None:
    """A reporter for a trial reading, whose problems are not the cell's."""


def _has_amounts(text: str) -> bool:
    return ":" in text or "=" in text


def _items(text: str) -> list[str]:
    if _has_amounts(text):
        pieces = _STRONG.split(text) if _STRONG.search(text) else _COMMA_BEFORE_PART.split(text)
    else:
        pieces = []
        for piece in _ANY.split(text):
            if "/" in piece and invoice_ref(piece.strip(), _silent) is None:
                pieces.extend(piece.split("/"))
            else:
                pieces.append(piece)
    # A trailing or doubled separator ("2024; 2025;") leaves an empty piece, which is no part.
    return [piece.strip() for piece in pieces if piece.strip()]


def _invoice_of(item: str) -> str:
    """The invoice of one part of the cell, as written (what comes before its amount)."""
    with_amount = _WITH_AMOUNT.fullmatch(item)
    return with_amount.group("invoice").strip() if with_amount else item


def _allocation(
    item: str, number: int, problem: Reporter, *, decimal: DecimalMark | None
) -> Allocation | None:
    """One part of the cell: an invoice, and its amount when written."""
    with_amount = _WITH_AMOUNT.fullmatch(item)
    written = _invoice_of(item)
    ref = invoice_ref(written, _silent) if written else None
    if ref is None:
        problem(
            "invoice",
            "parts.not_an_invoice",
            f"Part {number} of the cell, {written or item!r}, is neither an invoice number (such "
            "as 1042 or INV-1042) nor an invoice id. Write each invoice as printed on it, such "
            "as 2024:300.00|2025:150.50, or 2026, 2027 to pay each in full.",
        )
        return None
    if with_amount is None:
        return Allocation(ref, None, written)
    text = with_amount.group("amount").strip()
    amount = _part_amount(text, written, number, problem, decimal)

    def in_part(_field: str, code: str, message: str) -> None:
        where = f"Part {number} of the cell (invoice {written})"
        problem("invoice", code.replace("amount.", "parts."), f"{where}: {message}")

    currency = amount_currency(text, None, in_part)
    return None if amount is None else Allocation(ref, amount, written, currency)


def _part_amount(
    text: str, written: str, number: int, problem: Reporter, decimal: DecimalMark | None
) -> Decimal | None:
    where = f"Part {number} of the cell (invoice {written})"
    try:
        paid = parse_amount(text, decimal=decimal) if text else None
    except UnreadableValue as error:
        problem(
            "invoice",
            "parts.not_an_amount",
            f"{where}: {error} Write each invoice's amount in digits, such as "
            f"{written}:{format_amount(Decimal('300'), decimal=decimal or '.')}.",
        )
        return None
    if paid is None or paid <= 0:
        problem(
            "invoice",
            "parts.amount_not_positive",
            f"{where}: the amount must be above zero. Write what this invoice gets from the "
            "payment, or leave the invoice out.",
        )
        return None
    if paid != paid.quantize(_CENT):
        problem(
            "invoice",
            "parts.too_many_decimals",
            f"{where}: {text!r} has more than 2 decimals. Correct it to cents.",
        )
        return None
    return paid


def _mixed(found: list[Allocation], problem: Reporter) -> bool:
    """Report a cell where some invoices have an amount and some do not; True if it does."""
    without = [a.written for a in found if a.amount is None]
    if not without or len(without) == len(found):
        return False
    which = ", ".join(without)
    problem(
        "invoice",
        "parts.mixed",
        f"Some invoices in this cell have an amount and some do not ({which}). Give every "
        "invoice its amount (such as 2024:300.00|2025:150.50), or none of them to pay each "
        "in full.",
    )
    return True


def parts_add_up(
    allocations: Sequence[Allocation],
    amount: Decimal,
    currency: str | None,
    problem: Reporter,
    *,
    mark: DecimalMark,
) -> None:
    """Report invoices' amounts that do not add up to the row's ``amount``, or that have
    cents in a currency without them (nothing for a cell of one invoice, or none with amounts)."""
    amounts = [a.amount for a in allocations if a.amount is not None]
    if not amounts or len(amounts) < len(allocations):
        return
    for allocation, part_amount in zip(allocations, amounts, strict=True):
        whole_units(part_amount, currency, f"{allocation.written}:{part_amount}", problem)
    added = sum(amounts, Decimal(0))
    if added == amount:
        return
    each = " + ".join(
        f"{a.written}: {format_amount(part, decimal=mark)}"
        for a, part in zip(allocations, amounts, strict=True)
    )
    problem(
        "amount",
        "parts.do_not_add_up",
        f"The invoices' amounts add up to {format_amount(added, decimal=mark)} ({each}), but "
        f"the amount is {format_amount(amount, decimal=mark)}. Correct them so that the "
        "invoices' amounts add up to what was paid.",
    )


def parts_currency(
    allocations: Sequence[Allocation], said: str | None, problem: Reporter
) -> str | None:
    """The currency the invoices' amounts name (``2024:300 EUR|2025:150 EUR``) when the row's
    Amount cell and Currency column (``said``) name none; else None.

    Like a currency in the Amount cell, it is a claim to check against the invoice, never to
    drop: a part in another currency than the row's, or parts in two currencies, are problems.
    """
    named = [a for a in allocations if a.currency]
    if not named:
        return None
    if said is not None:
        for number, allocation in enumerate(allocations, start=1):
            if allocation.currency and not _alike(allocation.currency, said):
                problem(
                    "invoice",
                    "parts.currency_conflict",
                    f"Part {number} of the cell (invoice {allocation.written}): its amount is "
                    f"in {allocation.currency}, but the row's currency is {said}. Correct the "
                    "one that is wrong.",
                )
        return None
    codes = [a.currency for a in named if a.currency and len(a.currency) == 3]
    chosen = codes[0] if codes else named[0].currency
    assert chosen is not None
    if any(a.currency and not _alike(a.currency, chosen) for a in named):
        found = ", ".join(sorted({a.currency for a in named if a.currency}))
        problem(
            "invoice",
            "parts.currency_conflict",
            f"The invoices' amounts name different currencies ({found}); one payment is in one "
            "currency. Write the currency once, in the Amount cell or the Currency column.",
        )
        return None
    return chosen


def _alike(first: str, second: str) -> bool:
    """Two currencies as written that can be one: equal, or a symbol and a code it stands for."""
    return (
        first == second
        or (len(second) == 3 and fits(first, second))
        or (len(first) == 3 and fits(second, first))
    )
