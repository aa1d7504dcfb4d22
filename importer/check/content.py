"""What a column's cells hold: amounts, dates, invoice references, card digits.

Headers are the first word on which column feeds a field, but not the last: a column named
"Card" that holds amounts is no card's last 4 digits, and a column with no known name whose
cells read "Invoice 1021", "Inv #1025 deposit" holds the invoices. These tests look at a
sample of the rows, never the whole file, so that reading a file stays as fast with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from importer.check.invoice_text import invoice_references
from importer.check.values import UnreadableValue, parse_amount, parse_date

# How many rows a column is judged by: enough to see its kind, few enough to stay quick.
SAMPLE_ROWS = 200
# Of them, the first rows of the file; the rest are spread over the rows after them, so that a
# statement whose first lines are all debits still shows its credits' invoices.
_FIRST_ROWS = 150
# The fields whose column can be told by its content, in the order a message names them.
BY_CONTENT = ("invoice", "amount", "payment_date")
_LAST4 = re.compile(r"[*xX•·.\s-]*\d{4}")
_WHOLE_NUMBER = re.compile(r"\d{3,12}")
# What an amount shows that card digits never do: a decimal part or a currency sign.
_MONEY_MARK = re.compile(r"[.,]\d{1,2}\b|[$€£¥]")
# An invoice number with a word before it, written alone in its cell: "INV-1042", "Nº 1042".
_PREFIXED_NUMBER = re.compile(r"(?:[A-Za-zºª°]{1,6}\.?\s*[-#/]?\s*|#\s*)\d{1,12}")
# A cheque's number: digits, perhaps after a word or a sign ("004211", "Chq 918", "#4211").
_CHEQUE_NUMBER = re.compile(r"(?:[A-Za-z]{1,6}\.?\s*[-#/]?\s*|#\s*)?\d{1,20}")


def is_amount(text: str) -> bool:
    """True for a cell that reads as an amount, even one whose decimal mark is not settled."""
    try:
        parse_amount(text)
    except UnreadableValue as error:
        return "decimal mark" in str(error)
    return True


def is_date(text: str) -> bool:
    """True for a cell that reads as a date, even one that could be day- or month-first."""
    try:
        parse_date(text)
    except UnreadableValue as error:
        return "day/month or month/day" in str(error)
    return True


def names_an_invoice(text: str) -> bool:
    """True for a cell that names one invoice: a number, "INV-1042", or "Invoice 1021" in text."""
    return bool(_WHOLE_NUMBER.fullmatch(text)) or writes_an_invoice(text)


def writes_an_invoice(text: str) -> bool:
    """True for a cell that names one invoice in words: "INV-1042", "Invoice 1021 deposit".

    A bare number says less: an account's, a cheque's or an invoice's.
    """
    return bool(_PREFIXED_NUMBER.fullmatch(text)) or len(invoice_references(text)) == 1


def _is_cheque_number(text: str) -> bool:
    return bool(_CHEQUE_NUMBER.fullmatch(text))


def _is_last4(text: str) -> bool:
    return bool(_LAST4.fullmatch(text))


# For each field a column can be tested for, what one of its cells must read as.
_READERS = {
    "invoice": names_an_invoice,
    "amount": is_amount,
    "money_out": is_amount,
    "balance": is_amount,
    "payment_date": is_date,
    "card_last4": _is_last4,
    "cheque_number": _is_cheque_number,
}


class Sample:
    """The first rows of a file, whose columns are judged by their cells.

    What each column holds is worked out once and kept: choosing a template maps the same
    columns once per template.
    """

    def __init__(self, rows: Sequence[Sequence[str]]) -> None:
        later = rows[_FIRST_ROWS:]
        step = max(1, -(-len(later) // (SAMPLE_ROWS - _FIRST_ROWS)))
        self.rows = [*rows[:_FIRST_ROWS], *later[::step]]
        self._verdicts: dict[tuple[str, str, int], bool] = {}
        self._received: dict[tuple[int, int | None], Sample] = {}

    @cached_property
    def width(self) -> int:
        return max((len(cells) for cells in self.rows), default=0)

    def cells(self, index: int) -> list[str]:
        """The non-empty cells of column ``index``."""
        return [cells[index] for cells in self.rows if index < len(cells) and cells[index]]

    def contradicts(self, field_name: str, index: int) -> bool:
        """True when column ``index`` cannot feed ``field_name`` (see ``contradicts``)."""
        return self._judged("contradicts", field_name, index)

    def holds(self, field_name: str, index: int) -> bool:
        """True when column ``index`` holds ``field_name`` (see ``holds``)."""
        return self._judged("holds", field_name, index)

    def money_in(self, amount: int, money_out: int | None) -> Sample:
        """The rows of money received: a positive amount, and nothing paid out.

        A statement's description names an invoice on those lines only; judged on them, a
        month of card payments does not hide the few credits' invoices.
        """
        key = (amount, money_out)
        if key not in self._received:
            self._received[key] = Sample(
                [
                    cells
                    for cells in self.rows
                    if _positive(_cell(cells, amount)) and not _positive(_cell(cells, money_out))
                ]
            )
        return self._received[key]

    def count_invoices(self, index: int) -> int:
        """How many cells of column ``index`` name an invoice in words."""
        return sum(map(writes_an_invoice, self.cells(index)))

    def _judged(self, test: str, field_name: str, index: int) -> bool:
        key = (test, field_name, index)
        if key not in self._verdicts:
            judge = contradicts if test == "contradicts" else holds
            self._verdicts[key] = judge(field_name, self.cells(index))
        return self._verdicts[key]


NO_SAMPLE = Sample(())


def _cell(cells: Sequence[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _positive(text: str) -> bool:
    """True for an amount above zero (a debit written positive in its own column too)."""
    try:
        return parse_amount(text) > 0
    except UnreadableValue as error:
        # 1,234 is above zero whichever its decimal mark.
        return "decimal mark" in str(error) and not text.lstrip().startswith(("-", "\u2212"))


def contradicts(field_name: str, cells: Sequence[str]) -> bool:
    """True when a column's cells show it cannot feed ``field_name``: none of them reads so.

    One cell is a typing slip, not a column of something else: it takes two. The last 4
    digits' column must moreover hold money ("$0.00", as under Square's "Card"), so that a
    column of mistyped digits stays the file's problem to fix, never a card without digits.
    """
    reader = _READERS.get(field_name)
    if reader is None or len(cells) < 2 or any(map(reader, cells)):
        return False
    return field_name != "card_last4" or all(map(is_money, cells))


def is_money(text: str) -> bool:
    """True for an amount written as money: with a decimal part or a currency sign."""
    return is_amount(text) and bool(_MONEY_MARK.search(text))


def holds(field_name: str, cells: Sequence[str]) -> bool:
    """True when a column's cells show it holds ``field_name`` (see BY_CONTENT).

    Dates and amounts: every cell reads so. Invoices: at least half of the cells name one,
    since a statement's description names an invoice only on the lines of money received.
    """
    if not cells:
        return False
    if field_name in ("invoice", "invoice_in_words"):
        reader = names_an_invoice if field_name == "invoice" else writes_an_invoice
        return 2 * sum(map(reader, cells)) >= len(cells)
    reader = _READERS[field_name]
    return all(map(reader, cells))


def example(field_name: str, cells: Sequence[str]) -> str:
    """The first cell that reads as ``field_name``, to show in a message."""
    reader = _READERS[field_name]
    return next((cell for cell in cells if reader(cell)), cells[0] if cells else "")
