"""Which amount column is each invoice's share of a payment, and which the payment's whole.

A bank's lockbox file and an accounting package's payments report write one row per invoice
paid, and repeat on each row what the cheque or the payment came to ("Check Amount" beside
"Invoice Amount", or Zoho Books' "Amount" beside "Amount Applied to Invoice"). Taken for the
amount, that whole would be recorded against every invoice it pays. The share is the amount;
the whole is the payment's total, which the rows of one payment must add up to (see
``payments``). Other money a row may carry (what is still due, what was left unused) is never
the amount, whatever its name or cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from importer.check import content
from importer.check.templates import header_form
from importer.check.values import UnreadableValue, parse_amount, quoted
from importer.errors import MappingError

# Names that say a column holds one invoice's share of a payment, the most telling first: of
# "Amount Paid" and "Invoice Amount" side by side, the second is the invoice's own total.
SHARE_NAMES = (
    "Amount Applied to Invoice",
    "Amount Applied",
    "Applied Amount",
    "Applied Invoice Amount",
    "Payment Applied",
    "Apply Amount",
    "Amount Paid",
    "Paid Amount",
    "Invoice Amount",
)
# Of them, the names that say "applied": beside such a column, a plain "Amount" is the whole.
_APPLIED = frozenset(header_form(name) for name in SHARE_NAMES[:6])
_SHARES = [header_form(name) for name in SHARE_NAMES]
# Names that say a column holds what a payment came to in all, however many invoices it pays.
WHOLE_NAMES = ("Check Amount", "Cheque Amount", "Payment Amount", "Remittance Amount")
_WHOLES = frozenset(header_form(name) for name in WHOLE_NAMES)

# Names that say a column holds what a payment came to beyond the invoices it pays: money the
# accounting package keeps as the payer's credit. With the parts it makes the payment's total.
UNUSED_NAMES = (
    "Unused Amount",
    "Unused",
    "Unapplied Amount",
    "Amount Unapplied",
    "Unapplied",
    "Unapplied Credit",
    "Overpayment",
    "Overpayment Amount",
    "Overpaid Amount",
    "Excess Amount",
    "Amount in Excess",
    "Credit Left",
    "Credit Created",
    "Left as Credit",
    "Credit Amount Unused",
)
_UNUSED = [header_form(name) for name in UNUSED_NAMES]

# Words of a header naming money that is not what the payer paid: what is still owed, what
# was left over, a fee, a tax, a card slip's tip. Such a column is never proposed for the amount.
_OTHER_MONEY = re.compile(
    r"\b(due|owed|owing|outstanding|open|unused|unapplied|remaining|balance|discount|"
    r"tax|fees?|refund(ed)?|write ?off|tips?|gratuity|surcharge|cash ?back)\b",
    re.IGNORECASE,
)


def is_other_money(header: str) -> bool:
    """True for a header that names money other than a payment ("Amount Due", "Unused")."""
    return bool(_OTHER_MONEY.search(re.sub(r"[^A-Za-z]+", " ", header)))


@dataclass(frozen=True)
class Split:
    """The column of each invoice's share (the amount) and of the payment's whole (its total)."""

    share: int
    whole: int
    note: str


def split_amounts(columns: Sequence[str], sample: content.Sample) -> Split | None:
    """The share and the whole, when the file has a column of each; None otherwise.

    MappingError when two columns could each be the whole: the rows must add up to one.
    """
    forms = [header_form(header) for header in columns]

    def money(index: int) -> bool:
        return not sample.contradicts("amount", index)

    shares = sorted(
        (_SHARES.index(form), index)
        for index, form in enumerate(forms)
        if form in _SHARES and money(index)
    )
    if not shares:
        return None
    share = shares[0][1]
    applied = forms[share] in _APPLIED
    wholes = [
        index
        for index, form in enumerate(forms)
        if index != share and (form in _WHOLES or (applied and form == "amount")) and money(index)
    ]
    if not wholes:
        return None
    if len(wholes) > 1:
        listed = " and ".join(quoted(columns[index]) for index in wholes)
        raise MappingError(
            f"Columns {listed} could each be what the payment came to in all, beside "
            f"{quoted(columns[share])} for each invoice, and the importer does not guess which. "
            "Rename the one that is not (or delete it). Nothing was sent."
        )
    whole = wholes[0]
    if _above_its_whole(sample, share, whole):
        return None
    note = (
        f"Column {quoted(columns[whole])} is what each payment came to in all, repeated on the "
        f"row of every invoice it pays: each row's amount is {quoted(columns[share])}, and the "
        f"rows of one payment must add up to {quoted(columns[whole])}."
    )
    return Split(share, whole, note)


def _above_its_whole(sample: content.Sample, share: int, whole: int) -> bool:
    """True when the rows read the "share" as more than its "whole" and never as less.

    No invoice takes more of a payment than it came to: such a column is the invoice's own
    total ("Invoice Amount" 480.00 beside a "Payment Amount" of 100.00 paid on it). A file
    whose shares are below the whole on some rows is a true split, typing slips and all.
    """
    above = False
    for cells in sample.rows:
        try:
            part = parse_amount(cells[share]) if share < len(cells) else None
            total = parse_amount(cells[whole]) if whole < len(cells) else None
        except UnreadableValue:
            continue
        if part is None or total is None:
            continue
        if part < total:
            return False
        above = above or part > total
    return above


def unused_column(columns: Sequence[str], sample: content.Sample, taken: set[int]) -> int | None:
    """The column of money a payment left unused, by its header, when one of amounts is free.

    A plain "Credit" is not one: a bank statement's "Credit" is the money received.
    """
    found = sorted(
        (_UNUSED.index(form), index)
        for index, form in enumerate(header_form(header) for header in columns)
        if form in _UNUSED and index not in taken and not sample.contradicts("amount", index)
    )
    return found[0][1] if found else None
