"""The run's summary: rows per status, totals per currency and method, the control totals.

What the accountant ticks against the bank statement or the deposit slip, printed at the end
of a run, written on the results workbook's Summary sheet, and as JSON for automation.

Payments in the file are counted as the payer made them: one cheque for three invoices is one
payment, of three parts. What became of the money is counted by part (one HighLevel payment
each), so that every amount is under what happened to it; a payment only some of whose parts
are recorded is said apart too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from importer.check.values import DecimalMark, format_amount
from importer.output.files import write_atomically
from importer.status import RowStatus
from importer.words import (
    HELD_BACK,
    IN_FILE,
    MONEY_HEADINGS,
    MoneyHeading,
    amount_text,
    counted,
    invoice_status_word,
    method_word,
    money_heading,
    plural,
    status_word,
)

if TYPE_CHECKING:
    from importer.output.results import RowResult

DONE_STATUSES = frozenset({RowStatus.RECORDED, RowStatus.SKIPPED})
# What a finished run may leave: a row with no payment in it (or a statement's line that is
# no money received) has nothing left to do.
FINISHED_STATUSES = DONE_STATUSES | {RowStatus.NO_PAYMENT, RowStatus.NOT_A_PAYMENT}
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


# A payment's parts: each one's status and amount (one part for most payments).
PaymentParts = Sequence[tuple[RowStatus, Decimal | None]]


@dataclass
class Group:
    """Payments of one currency (or one method in a currency): in the file (as the payer made
    them), and their parts by status."""

    in_file: Totals = field(default_factory=Totals)
    by_status: dict[RowStatus, Totals] = field(default_factory=dict)
    # The parts of the payments in the file (one per invoice each pays).
    parts_in_file: int = 0
    # Payments only some of whose parts are recorded, and the money of those that are.
    partly: Totals = field(default_factory=Totals)
    partly_recorded: Decimal = Decimal(0)

    def add(self, parts: PaymentParts) -> None:
        """One payment, from its parts."""
        amounts = [amount or Decimal(0) for _status, amount in parts]
        self.in_file.add(sum(amounts, Decimal(0)))
        self.parts_in_file += len(parts)
        for (status, _amount), amount in zip(parts, amounts, strict=True):
            self.by_status.setdefault(status, Totals()).add(amount)
        done = [
            amount
            for (status, _a), amount in zip(parts, amounts, strict=True)
            if status in DONE_STATUSES
        ]
        # Partly: some parts on their invoices, others that will not be (a part a dry run
        # would record will be).
        if done and any(status not in _DONE_OR_READY for status, _amount in parts):
            self.partly.add(sum(amounts, Decimal(0)))
            self.partly_recorded += sum(done, Decimal(0))

    def under(self, heading: MoneyHeading) -> Totals:
        """The rows whose money falls under ``heading``, added up."""
        added = Totals()
        for status, totals in self.by_status.items():
            if money_heading(status) == heading:
                added.count += totals.count
                added.total += totals.total
        return added

    @property
    def recorded(self) -> Totals:
        """What this very run recorded: never what an earlier run did."""
        return self.under(MONEY_HEADINGS[RowStatus.RECORDED])

    @property
    def held_back(self) -> dict[RowStatus, Totals]:
        """The money neither recorded, already recorded nor ready, by the status that held it."""
        return {
            status: self.by_status[status]
            for status in RowStatus
            if status in self.by_status and money_heading(status) == HELD_BACK
        }

    def parts(self, *, dry_run: bool, currency: str = "", noun: str = "") -> list[str]:
        """The group's money under each heading, for a line: "recorded by this run: 3 for
        30.00", "held back: 2 for 20.00 (1 invalid for 10.00, 1 not sent for 10.00)"; with
        ``noun`` ("part"), the counts say what they count."""
        main = MONEY_HEADINGS[RowStatus.READY if dry_run else RowStatus.RECORDED]
        parts = []
        for heading in MONEY_HEADINGS.values():
            totals = self.under(heading)
            if totals.count or heading == main:
                money = counted(totals.count, totals.total, currency, noun=noun)
                parts.append(f"{heading.word}: {money}")
        held = self.held_back
        if held:
            totals = self.under(HELD_BACK)
            each = ", ".join(
                f"{t.count} {status_word(s).lower()} for {amount_text(t.total, currency)}"
                for s, t in held.items()
            )
            money = counted(totals.count, totals.total, currency, noun=noun)
            parts.append(f"{HELD_BACK.word}: {money} ({each})")
        return parts

    def as_json(self) -> dict[str, Any]:
        """Every heading's count and total under its key; ``held_back`` by status. The
        payments in the file are counted as the payer made them, the headings by part."""
        found: dict[str, Any] = {IN_FILE.key: self.in_file.as_json()}
        for heading in (*MONEY_HEADINGS.values(), HELD_BACK):
            found[heading.key] = self.under(heading).as_json()
        found["held_back"] = {str(s): t.as_json() for s, t in self.held_back.items()}
        found["parts_in_file"] = self.parts_in_file
        found["partly_recorded"] = {
            **self.partly.as_json(),
            "recorded_total": f"{self.partly_recorded:.2f}",
        }
        return found


@dataclass
class PartCounts:
    """Parts of payments (one per invoice paid) in the file, and how many are recorded."""

    in_file: int = 0
    recorded: int = 0  # by this run (or, in a dry run, that would be)
    # Payments with more than one part: one cheque for several invoices.
    of_several: int = 0

    def add(self, parts: PaymentParts, *, settled: RowStatus) -> None:
        self.in_file += len(parts)
        self.recorded += sum(status == settled for status, _amount in parts)
        self.of_several += len(parts) > 1

    def line(self, *, dry_run: bool) -> str:
        """How many parts, said apart from the payments."""
        main = MONEY_HEADINGS[RowStatus.READY if dry_run else RowStatus.RECORDED]
        several = plural(self.of_several, "payment")
        return (
            f"Invoice parts: {self.in_file} in the file ({several} for several invoices); "
            f"{main.word}: {self.recorded}."
        )

    def as_json(self) -> dict[str, int]:
        return {
            "in_file": self.in_file,
            "recorded": self.recorded,
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
            parts.append(f"{plural(self.file_count, 'payment')} against {self.expected_count}")
        verdict = "matches" if self.matches else "DOES NOT MATCH"
        detail = ""
        if self.total_difference:
            sign = "+" if self.total_difference > 0 else "-"
            detail += (
                f" (difference {sign}{format_amount(abs(self.total_difference), decimal=mark)})"
            )
        if self.count_difference:
            more = "more" if self.count_difference > 0 else "fewer"
            detail += f" ({plural(abs(self.count_difference), 'payment')} {more} in the file)"
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
class RunIdentity:
    """Which run this was: its number in the journal, when, who, which file, against what."""

    run_id: int | None  # None when nothing was sent: the journal then holds no run
    at: str  # as the journal writes a moment
    user: str
    file: str
    file_sha256: str
    api_url: str
    location_id: str
    dry_run: bool = False

    @property
    def sandbox(self) -> bool:
        """A rehearsal: the API answered from this computer, never HighLevel's."""
        host = urlsplit(self.api_url).hostname or ""
        return host == "localhost" or host == "::1" or host.startswith("127.")

    def facts(self) -> list[tuple[str, str]]:
        """Label and value of each fact, as the Summary sheet lists them."""
        if self.run_id is not None:
            run = f"Run {self.run_id} (importer runs show {self.run_id})"
        elif self.dry_run:
            run = "A dry run: nothing was sent, so the journal holds no run"
        else:
            run = "Nothing was sent, so the journal holds no run"
        against = (
            f"The sandbox at {self.api_url}: a rehearsal, nothing was recorded in HighLevel"
            if self.sandbox
            else f"HighLevel at {self.api_url}, location {self.location_id}"
        )
        return [
            ("Run", run),
            ("When", self.at),
            ("Who", self.user),
            ("File", self.file),
            ("File SHA-256", self.file_sha256),
            ("Against", against),
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "at": self.at,
            "user": self.user,
            "file": self.file,
            "file_sha256": self.file_sha256,
            "api_url": self.api_url,
            "location_id": self.location_id,
            "sandbox": self.sandbox,
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
    # A dry run's money is what "would be recorded"; nothing is ever "recorded" in one.
    dry_run: bool = False
    # Rows that went ahead with a warning (a test-mode invoice): their messages say which.
    warnings: int = 0
    identity: RunIdentity | None = None
    # Invalid rows whose amount cannot be read: in no total, and said so.
    unreadable_amounts: int = 0
    # Requests spent reading the payments HighLevel already holds, and which way.
    check_requests: int = 0
    check_how: str = ""
    # The parts of the payments (one per invoice they pay), counted apart from the payments.
    parts: PartCounts = field(default_factory=lambda: PartCounts())

    @property
    def invoices_words(self) -> tuple[str, str]:
        """How the invoices the run paid are named: "now paid", or "would be paid"."""
        partly = invoice_status_word("partially_paid").lower()
        if self.dry_run:
            return "Invoices that would be paid", f"Invoices that would be {partly}"
        return "Invoices now paid", f"Invoices now {partly}"

    @property
    def unreadable_words(self) -> str:
        """ "1 row whose amount cannot be read is in no total above." """
        many = self.unreadable_amounts
        rows = (
            "1 row whose amount cannot be read is"
            if many == 1
            else (f"{many} rows whose amount cannot be read are")
        )
        return f"{rows} in no total above."

    def status_counts(self) -> str:
        """ "33 rows: 30 recorded, 3 already recorded" """
        counts = ", ".join(
            f"{n} {status_word(status).lower()}" for status, n in self.by_status.items() if n
        )
        return f"{plural(self.rows, 'row')}: {counts}" if counts else plural(self.rows, "row")

    def lines(self) -> list[str]:
        """The summary as printed at the end of a run."""
        lines = [f"{self.status_counts()}."]
        if self.warnings:
            lines.append(f"Warnings: {plural(self.warnings, 'row')}; the message of each says why.")
        # With payments for several invoices, the headings count parts, and say so.
        noun = "part" if self.parts.of_several else ""
        for currency, group in sorted(self.by_currency.items()):
            money = "; ".join(group.parts(dry_run=self.dry_run, currency=currency, noun=noun))
            in_file = counted(group.in_file.count, group.in_file.total, currency, noun="payment")
            if noun:
                in_file += f" ({plural(group.parts_in_file, 'invoice part')})"
            lines.append(f"{currency}: {in_file} {IN_FILE.word}; {money}.")
            if group.partly.count:
                lines.append(f"  {partly_words(group, currency)}")
            for mode, by_mode in sorted(self.by_mode.get(currency, {}).items()):
                in_file = counted(by_mode.in_file.count, by_mode.in_file.total, currency)
                money = "; ".join(by_mode.parts(dry_run=self.dry_run, currency=currency, noun=noun))
                lines.append(f"  {method_word(mode)}: {in_file}; {money}.")
        if self.parts.of_several:
            lines.append(self.parts.line(dry_run=self.dry_run))
        if self.unreadable_amounts:
            lines.append(self.unreadable_words)
        if self.invoices_paid or self.invoices_partially_paid:
            partly = invoice_status_word("partially_paid").lower()
            lines.append(
                f"{self.invoices_words[0]}: {self.invoices_paid}; "
                f"{partly}: {self.invoices_partially_paid}."
            )
        if self.control is not None:
            lines.append(self.control.line())
        if self.requests is None:
            lines.append("API requests: not known (the journal does not hold them).")
        else:
            check = (
                f", {self.check_requests} to read the payments HighLevel holds ({self.check_how})"
                if self.check_requests
                else ""
            )
            lines.append(
                f"API requests: {self.requests} ({self.lookup_requests} to find the invoices"
                f"{check})."
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
            "unreadable_amounts": self.unreadable_amounts,
            "invoices_paid": self.invoices_paid,
            "invoices_partially_paid": self.invoices_partially_paid,
            "requests": self.requests,
            "lookup_requests": self.lookup_requests,
            "check_requests": self.check_requests,
            "control": None if self.control is None else self.control.as_json(),
            "run": None if self.identity is None else self.identity.as_json(),
            "parts": self.parts.as_json(),
        }


def partly_words(group: Group, currency: str = "") -> str:
    """ "1 payment partly recorded, for 450.50: 300.00 of it recorded; the same command
    records the rest." """
    partly = group.partly
    return (
        f"{plural(partly.count, 'payment')} partly recorded, for "
        f"{amount_text(partly.total, currency)}: {amount_text(group.partly_recorded, currency)} "
        "of it recorded; the same command records the rest."
    )


def summarise(
    results: Sequence[RowResult],
    *,
    requests: int | None,
    lookup_requests: int = 0,
    control: ControlCheck | None = None,
    dry_run: bool = False,
    identity: RunIdentity | None = None,
    check_requests: int = 0,
    check_how: str = "",
) -> Summary:
    """Rows per status, totals per currency and mode, and the invoices the run settled.

    In a dry run, the invoices are counted as the run would leave them.
    """
    by_status = dict.fromkeys(RowStatus, 0)
    by_currency: dict[str, Group] = {}
    by_mode: dict[str, dict[str, Group]] = {}
    invoice_status: dict[str, str] = {}
    # A row whose currency is not known (its invoice was not found, and the file has no
    # currency column) is in the run's currency when the run has only one.
    currencies = {result.currency for result in results if result.currency}
    fallback = currencies.pop() if len(currencies) == 1 else UNKNOWN_CURRENCY
    # The invoices this run paid (or, in a dry run, would pay), not those paid earlier.
    settled = RowStatus.READY if dry_run else RowStatus.RECORDED
    # The rows of each payment as the payer made it, by its first row.
    payments: dict[int, list[RowResult]] = {}
    for result in results:
        by_status[result.status] += 1
        payments.setdefault(result.payment_row or result.source.number, []).append(result)
        for invoice_id, status, invoice in _invoices(result):
            if invoice_id and status == settled:
                invoice_status[invoice_id] = invoice
    parts = PartCounts()
    for rows in payments.values():
        readable = [result for result in rows if result.amount is not None]
        if not readable:
            continue
        first = readable[0]
        currency = first.currency or fallback
        paid = [part for result in readable for part in _parts(result)]
        parts.add(paid, settled=settled)
        by_currency.setdefault(currency, Group()).add(paid)
        modes = by_mode.setdefault(currency, {})
        modes.setdefault(first.mode or UNKNOWN_MODE, Group()).add(paid)
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
        identity=identity,
        unreadable_amounts=sum(
            1 for r in results if r.amount is None and r.status == RowStatus.INVALID
        ),
        check_requests=check_requests,
        check_how=check_how,
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
