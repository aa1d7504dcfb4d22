"""What the local checks give: the payments to send and what became of every other row.

A ``Payment`` is what one request records against one invoice: a row that pays several
invoices gives one per invoice, its parts (see README, "Payments and their parts"). A row
listing invoices without amounts waits as ``InFull`` until their balances are known; a line
that is no money received is ``PassedOver``; ``Validation`` gathers them all with the rows'
problems, for the later steps to read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Annotated

from pydantic import Field
from pydantic.dataclasses import dataclass as checked_dataclass

from importer.api.models import Card, Cheque, PaymentMode
from importer.check.allocations import Allocation
from importer.check.fields import InvoiceRef
from importer.check.mapping import ColumnMap
from importer.check.payments import MAX_NOTES_LENGTH, Place, Remittance
from importer.check.problems import RowProblem
from importer.read.layout import SourceRow
from importer.status import RowStatus


@checked_dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """What one request records against one invoice, from a row that passed every local
    check: the row's payment, or one part of it when the row pays several invoices.

    A pydantic dataclass: every payment is checked against these constraints as it is made.
    """

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
    # "$" or "¥" written in the amount cell: a currency, but not one code (see currencies).
    currency_symbol: str | None = None
    # Its Allow duplicate cell says yes: a payment of its own besides any other just like it.
    duplicate_allowed: bool = False
    # Read from a bank statement's line: dated the day the bank posted it, and its method as
    # the bank's words suggest, so the cheque or card it was may show elsewhere days earlier.
    from_statement: bool = False
    # Its place among the invoices its row pays, and how many those are.
    part: int = 1
    row_parts: int = 1

    @property
    def row(self) -> int:
        return self.source.number

    @property
    def place(self) -> Place:
        """Where it is written: its row, and its place among that row's invoices."""
        return Place(self.source.number, self.part)


@dataclass(frozen=True)
class InFull:
    """A row listing invoices without amounts: it pays each of them in full, which only their
    live balances can tell, so its parts are made once they are known (``importer.parts``)."""

    # The row as written: its whole amount, and its first invoice (never sent as it is).
    payment: Payment
    invoices: tuple[Allocation, ...]
    notes: tuple[str, ...]  # each part's notes

    def part(self, number: int, amount: Decimal) -> Payment:
        """Part ``number`` (from 1), paying ``amount`` on its invoice."""
        return dataclasses.replace(
            self.payment,
            invoice=self.invoices[number - 1].invoice,
            amount=amount,
            part=number,
            notes=self.notes[number - 1],
        )


@dataclass(frozen=True)
class PassedOver:
    """A row with nothing to send, and why: a statement's line that is no money received,
    or one a person did not accept (with its amount, for the summary)."""

    status: RowStatus
    message: str
    amount: Decimal | None = None
    currency: str = ""
    mode: str = ""


@dataclass(frozen=True)
class Validation:
    """The outcome of local checks: the payments to send and the problems of the rest."""

    # Every part of every valid row, in file order (a row's parts in the order it lists them).
    payments: list[Payment]
    problems: list[RowProblem]
    invalid_rows: frozenset[int]
    # Rows that name an invoice but hold no payment (a pre-filled workbook's unpaid invoices).
    empty_rows: frozenset[int] = frozenset()
    # Which column was used where several matched one field, for the user to check.
    column_notes: tuple[str, ...] = ()
    # Valid rows listing invoices without amounts, whose parts the invoices' balances make.
    in_full: tuple[InFull, ...] = ()
    # The payments that cover several invoices (or are written on several rows), invalid
    # rows included.
    remittances: tuple[Remittance, ...] = ()
    # Rows that are neither payments nor mistakes (a statement's debits, lines not accepted).
    passed_over: Mapping[int, PassedOver] = field(default_factory=dict)
    # Which column feeds which field, as the rows were checked.
    column_map: ColumnMap | None = None

    @property
    def continuing_rows(self) -> int:
        """Rows that are one more part of a payment an earlier row began: not payments."""
        return sum(len(remittance.rows) - 1 for remittance in self.remittances)

    def remittance_of(self, row: int) -> Remittance | None:
        """The payment of several parts (or rows) that ``row`` belongs to, if any."""
        return self._remittance_by_row.get(row)

    def payment_of(self, row: int) -> int:
        """The first row of the payment ``row`` is part of (``row`` itself, for most rows)."""
        remittance = self.remittance_of(row)
        return remittance.first_row if remittance is not None else row

    @cached_property
    def _remittance_by_row(self) -> dict[int, Remittance]:
        return {row: remittance for remittance in self.remittances for row in remittance.rows}
