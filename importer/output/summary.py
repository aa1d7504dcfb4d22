"""The run's summary: rows per status, totals per currency and method, the control totals.

What the accountant ticks against the bank statement or the deposit slip, printed at the end
of a run, written on the results workbook's Summary sheet, and as JSON for automation.
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
# What a finished run may leave: a row with no payment in it (or a statement's line that is
# no money received) has nothing left to do.
FINISHED_STATUSES = DONE_STATUSES | {RowStatus.NO_PAYMENT, RowStatus.NOT_A_PAYMENT}
# A dry run's summary is of the real run: a row ready to send counts as recorded, and its
# invoice as the run would leave it.
_DONE_OR_READY = DONE_STATUSES | {RowStatus.READY}
# The summary's groups for amounts whose currency, or method, could not be read.
UNKNOWN_CURRENCY = "unknown currency"
UNKNOWN_MODE = "unknown method"


@dataclass
class Totals:
    """A count and a sum of amounts."""

    count: int = 0
    total: Decimal = Decimal(0)

    def add(self, amount: Decimal | None) -> None:
        self.count += 1
        self.total += amount or Decimal(0)

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "total": f"{self.total:.2f}"}


@dataclass
class Group:
    """Rows of one currency (or one mode in a currency): in the file, recorded, and not."""

    in_file: Totals = field(default_factory=Totals)
    recorded: Totals = field(default_factory=Totals)
    not_recorded: Totals = field(default_factory=Totals)

    def add(self, result: RowResult, *, done: frozenset[RowStatus] = DONE_STATUSES) -> None:
        self.in_file.add(result.amount)
        if result.status in done:
            self.recorded.add(result.amount)
        else:
            self.not_recorded.add(result.amount)

    def as_json(self) -> dict[str, Any]:
        return {
            "in_file": self.in_file.as_json(),
            "recorded": self.recorded.as_json(),
            "not_recorded": self.not_recorded.as_json(),
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
                f"{words['not_recorded']} for {group.not_recorded.total:,.2f}."
            )
            for mode, by_mode in sorted(self.by_mode.get(currency, {}).items()):
                lines.append(
                    f"  {mode}: {by_mode.in_file.count} for {by_mode.in_file.total:,.2f}, "
                    f"{words['recorded']} {by_mode.recorded.count} for "
                    f"{by_mode.recorded.total:,.2f}."
                )
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
        }


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
    for result in results:
        by_status[result.status] += 1
        if result.amount is not None:
            currency = result.currency or fallback
            by_currency.setdefault(currency, Group()).add(result, done=done)
            modes = by_mode.setdefault(currency, {})
            modes.setdefault(result.mode or UNKNOWN_MODE, Group()).add(result, done=done)
        if result.invoice_id and result.status in _DONE_OR_READY:
            invoice_status[result.invoice_id] = result.invoice_status
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
    )


def write_summary_json(path: Path, summary: Summary) -> None:
    """The summary as JSON for automation, written atomically."""
    text = json.dumps(summary.as_json(), indent=2)
    write_atomically(path, lambda target: target.write_text(text))
