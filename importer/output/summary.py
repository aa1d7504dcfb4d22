"""The run's summary: rows per status, totals per currency and method, the control totals.

What the accountant ticks against the bank statement or the deposit slip, printed at the end
of a run, written on the results workbook's Summary sheet, and as JSON for automation.
Payments are counted as the payer made them: one cheque for three invoices is one payment (of
three parts), recorded when all three are, partly recorded when only some are.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from importer.check.values import DecimalMark, format_amount
from importer.output.files import write_atomically
from importer.status import RowStatus

if TYPE_CHECKING:
    from importer.output.results import RowResult

DONE_STATUSES = frozenset({RowStatus.RECORDED, RowStatus.SKIPPED})
# What a finished run may leave: a row with no payment in it has nothing left to do.
FINISHED_STATUSES = DONE_STATUSES | {RowStatus.NO_PAYMENT}
# A dry run's summary is of the real run: a row ready to send counts as recorded, and its
# invoice as the run would leave it.
_DONE_OR_READY = DONE_STATUSES | {RowStatus.READY}
# The summary's groups for amounts whose currency, or method, could not be read.
UNKNOWN_CURRENCY = "unknown currency"
UNKNOWN_MODE = "unknown method"


@dataclass
class Totals:
    """A count of payments, of their parts (one per invoice they pay), and a sum of amounts."""

    count: int = 0
    total: Decimal = Decimal(0)
    parts: int = 0

    def add(self, amount: Decimal | None, *, parts: int = 1) -> None:
        self.count += 1
        self.parts += parts
        self.total += amount or Decimal(0)

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "parts": self.parts, "total": f"{self.total:.2f}"}


# A payment's parts: each one's status and amount.
PaymentParts = Sequence[tuple[RowStatus, Decimal | None]]


@dataclass
class Group:
    """Payments of one currency (or one mode in a currency): in the file, recorded whole,
    not recorded at all, and partly recorded (with how much of them is)."""

    in_file: Totals = field(default_factory=Totals)
    recorded: Totals = field(default_factory=Totals)
    not_recorded: Totals = field(default_factory=Totals)
    partly: Totals = field(default_factory=Totals)
    partly_recorded: Decimal = Decimal(0)

    def add(self, parts: PaymentParts, *, done: frozenset[RowStatus] = DONE_STATUSES) -> None:
        """One payment, from its parts."""
        amount = sum((part_amount or Decimal(0) for _status, part_amount in parts), Decimal(0))
        self.in_file.add(amount, parts=len(parts))
        finished = [status in done for status, _amount in parts]
        if all(finished):
            self.recorded.add(amount, parts=len(parts))
        elif not any(finished):
            self.not_recorded.add(amount, parts=len(parts))
        else:
            self.partly.add(amount, parts=len(parts))
            self.partly_recorded += sum(
                (a or Decimal(0) for status, a in parts if status in done), Decimal(0)
            )

    def as_json(self) -> dict[str, Any]:
        return {
            "in_file": self.in_file.as_json(),
            "recorded": self.recorded.as_json(),
            "not_recorded": self.not_recorded.as_json(),
            "partly_recorded": {
                **self.partly.as_json(),
                "recorded_total": f"{self.partly_recorded:.2f}",
            },
        }


@dataclass
class PartCounts:
    """Parts of payments (one per invoice paid) in the file, and how many are recorded."""

    in_file: int = 0
    recorded: int = 0
    # Payments with more than one part: one cheque for several invoices.
    of_several: int = 0

    def add(self, parts: PaymentParts, *, done: frozenset[RowStatus]) -> None:
        self.in_file += len(parts)
        self.recorded += sum(status in done for status, _amount in parts)
        self.of_several += len(parts) > 1

    def line(self, words: dict[str, str]) -> str:
        """How many parts, said apart from the payments."""
        several = (
            "1 payment covers several invoices"
            if self.of_several == 1
            else f"{self.of_several} payments cover several invoices"
        )
        return (
            f"Invoice parts: {self.in_file} in the file ({several}); {self.recorded} "
            f"{words['recorded']}, {self.in_file - self.recorded} {words['not_recorded']}."
        )

    def as_json(self) -> dict[str, int]:
        return {
            "in_file": self.in_file,
            "recorded": self.recorded,
            "not_recorded": self.in_file - self.recorded,
            "payments_of_several": self.of_several,
        }


@dataclass(frozen=True)
class ControlCheck:
    """The file's total and count against a control total, and any difference."""

    source: str  # "totals row" or "--expect-total/--expect-count"
    file_total: Decimal
    file_count: int
    expected_total: Decimal | None
    expected_count: int | None
    # The file's decimal mark, to state the totals the way the file writes them.
    decimal: str = "."

    @property
    def total_difference(self) -> Decimal | None:
        if self.expected_total is None:
            return None
        return self.file_total - self.expected_total

    @property
    def count_difference(self) -> int | None:
        return None if self.expected_count is None else self.file_count - self.expected_count

    @property
    def matches(self) -> bool:
        return not self.total_difference and not self.count_difference

    def line(self) -> str:
        """One sentence for the accountant."""
        mark: DecimalMark = "," if self.decimal == "," else "."
        parts = []
        if self.expected_total is not None:
            parts.append(
                f"total {format_amount(self.file_total, decimal=mark)} against "
                f"{format_amount(self.expected_total, decimal=mark)}"
            )
        if self.expected_count is not None:
            parts.append(f"{self.file_count} payments against {self.expected_count}")
        verdict = "matches" if self.matches else "DOES NOT MATCH"
        detail = ""
        if self.total_difference:
            sign = "+" if self.total_difference > 0 else "-"
            detail += (
                f" (difference {sign}{format_amount(abs(self.total_difference), decimal=mark)})"
            )
        if self.count_difference:
            detail += f" ({self.count_difference:+d} payments)"
        return f"Control ({self.source}): {' and '.join(parts)}: {verdict}{detail}."

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file_total": f"{self.file_total:.2f}",
            "file_count": self.file_count,
            "expected_total": None if self.expected_total is None else f"{self.expected_total:.2f}",
            "expected_count": self.expected_count,
            "total_difference": None
            if self.total_difference is None
            else f"{self.total_difference:.2f}",
            "count_difference": self.count_difference,
            "matches": self.matches,
        }


@dataclass(frozen=True)
class Summary:
    """What a run did, in the numbers an accountant ticks against the bank statement."""

    rows: int
    by_status: dict[RowStatus, int]
    by_currency: dict[str, Group]
    by_mode: dict[str, dict[str, Group]]
    invoices_paid: int
    invoices_partially_paid: int
    # None when not known: results rebuilt from the journal of a run that did not finish.
    requests: int | None
    lookup_requests: int = 0
    control: ControlCheck | None = None
    # A dry run's summary is of what a real run would do: ready rows count as recorded.
    dry_run: bool = False
    # Rows that went ahead with a warning (a test-mode invoice): their messages say which.
    warnings: int = 0
    # The parts of the payments (one per invoice they pay), counted apart from the payments.
    parts: PartCounts = field(default_factory=PartCounts)

    @property
    def recorded_by_currency(self) -> dict[str, Decimal]:
        return {c: g.recorded.total for c, g in self.by_currency.items() if g.recorded.count}

    @property
    def words(self) -> dict[str, str]:
        """How the summary names what was recorded: "would be" for a dry run."""
        if self.dry_run:
            return {
                "recorded": "would be recorded",
                "not_recorded": "would not be recorded",
                "paid": "Invoices that would be paid",
                "partially_paid": "Invoices that would be partially paid",
            }
        return {
            "recorded": "recorded",
            "not_recorded": "not recorded",
            "paid": "Invoices now paid",
            "partially_paid": "Invoices now partially paid",
        }

    def lines(self) -> list[str]:
        """The summary as printed at the end of a run."""
        counts = ", ".join(f"{n} {status}" for status, n in self.by_status.items() if n)
        lines = [f"{self.rows} rows: {counts}."]
        if self.warnings:
            rows = "1 row" if self.warnings == 1 else f"{self.warnings} rows"
            lines.append(f"Warnings: {rows}; the message of each says why.")
        words = self.words
        for currency, group in sorted(self.by_currency.items()):
            lines.append(
                f"{currency}: {group.in_file.count} payments for {group.in_file.total:,.2f} "
                f"in the file; {group.recorded.count} {words['recorded']} for "
                f"{group.recorded.total:,.2f}; {group.not_recorded.count} "
                f"{words['not_recorded']} for {group.not_recorded.total:,.2f}"
                f"{_partly(group)}."
            )
            for mode, by_mode in sorted(self.by_mode.get(currency, {}).items()):
                lines.append(
                    f"  {mode}: {by_mode.in_file.count} for {by_mode.in_file.total:,.2f}, "
                    f"{words['recorded']} {by_mode.recorded.count} for "
                    f"{by_mode.recorded.total:,.2f}{_partly(by_mode, brief=True)}."
                )
        if self.parts.of_several:
            lines.append(self.parts.line(words))
        if self.invoices_paid or self.invoices_partially_paid:
            lines.append(
                f"{words['paid']}: {self.invoices_paid}; "
                f"partially paid: {self.invoices_partially_paid}."
            )
        if self.control is not None:
            lines.append(self.control.line())
        if self.requests is None:
            lines.append("API requests: not known (the journal does not hold them).")
        else:
            lines.append(
                f"API requests: {self.requests} ({self.lookup_requests} to find the invoices)."
            )
        return lines

    def as_json(self) -> dict[str, Any]:
        """The summary for automation (``--summary-json``); amounts as exact decimal text."""
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            "warnings": self.warnings,
            "by_status": {str(status): self.by_status.get(status, 0) for status in RowStatus},
            "by_currency": {c: g.as_json() for c, g in sorted(self.by_currency.items())},
            "by_mode": {
                c: {m: g.as_json() for m, g in sorted(modes.items())}
                for c, modes in sorted(self.by_mode.items())
            },
            "invoices_paid": self.invoices_paid,
            "invoices_partially_paid": self.invoices_partially_paid,
            "requests": self.requests,
            "lookup_requests": self.lookup_requests,
            "control": None if self.control is None else self.control.as_json(),
            "parts": self.parts.as_json(),
        }


def _partly(group: Group, *, brief: bool = False) -> str:
    """The payments of a group only part of which is recorded, when there are any (a dry run
    finds them so too: their other parts would not be recorded)."""
    partly = group.partly
    if not partly.count:
        return ""
    of_it = f"{group.partly_recorded:,.2f} of it recorded"
    if brief:
        return f", partly recorded {partly.count} for {partly.total:,.2f} ({of_it})"
    return f"; {partly.count} partly recorded for {partly.total:,.2f} ({of_it})"


def summarise(
    results: Sequence[RowResult],
    *,
    requests: int | None,
    lookup_requests: int = 0,
    control: ControlCheck | None = None,
    dry_run: bool = False,
) -> Summary:
    """Rows per status, totals per currency and mode, and the invoices the run settled.

    In a dry run, rows ``ready`` count with those recorded: the summary is of the real run.
    """
    done = _DONE_OR_READY if dry_run else DONE_STATUSES
    by_status = dict.fromkeys(RowStatus, 0)
    by_currency: dict[str, Group] = {}
    by_mode: dict[str, dict[str, Group]] = {}
    invoice_status: dict[str, str] = {}
    # A row whose currency is not known (its invoice was not found, and the file has no
    # currency column) is in the run's currency when the run has only one.
    currencies = {result.currency for result in results if result.currency}
    fallback = currencies.pop() if len(currencies) == 1 else UNKNOWN_CURRENCY
    # The rows of each payment as the payer made it, by its first row.
    payments: dict[int, list[RowResult]] = {}
    for result in results:
        by_status[result.status] += 1
        payments.setdefault(result.payment_row or result.source.number, []).append(result)
        for invoice_id, status, invoice in _invoices(result):
            if invoice_id and status in _DONE_OR_READY:
                invoice_status[invoice_id] = invoice
    parts = PartCounts()
    for rows in payments.values():
        readable = [result for result in rows if result.amount is not None]
        if not readable:
            continue
        first = readable[0]
        currency = first.currency or fallback
        paid = [part for result in readable for part in _parts(result)]
        parts.add(paid, done=done)
        by_currency.setdefault(currency, Group()).add(paid, done=done)
        modes = by_mode.setdefault(currency, {})
        modes.setdefault(first.mode or UNKNOWN_MODE, Group()).add(paid, done=done)
    statuses = list(invoice_status.values())
    return Summary(
        rows=len(results),
        by_status={status: n for status, n in by_status.items() if n},
        by_currency=by_currency,
        by_mode=by_mode,
        invoices_paid=statuses.count("paid"),
        invoices_partially_paid=statuses.count("partially_paid"),
        requests=requests,
        lookup_requests=lookup_requests,
        control=control,
        dry_run=dry_run,
        warnings=sum(1 for result in results if result.warning),
        parts=parts,
    )


def _parts(result: RowResult) -> PaymentParts:
    """A row's parts, each with its status and amount (a row that pays one invoice is one)."""
    amounts = [part.amount for part in result.parts]
    if result.parts and None not in amounts:
        return [(part.status, part.amount) for part in result.parts]
    if result.parts:
        # Rebuilt from the journal, which keeps the row's amount, not each part's.
        first = [(result.parts[0].status, result.amount)]
        return first + [(part.status, None) for part in result.parts[1:]]
    return [(result.status, result.amount)]


def _invoices(result: RowResult) -> list[tuple[str, RowStatus, str]]:
    """Each invoice a row pays: its id, what became of the part on it, and its status after."""
    if result.parts:
        return [(p.invoice_id, p.status, p.invoice_status) for p in result.parts]
    return [(result.invoice_id, result.status, result.invoice_status)]


def write_summary_json(path: Path, summary: Summary) -> None:
    """The summary as JSON for automation, written atomically."""
    text = json.dumps(summary.as_json(), indent=2)
    write_atomically(path, lambda target: target.write_text(text))
