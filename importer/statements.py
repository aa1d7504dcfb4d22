"""A bank statement matched against the location's open invoices: the proposals, before any
payment is recorded.

    proposals = await propose_matches(path, reading, client, tolerance=Decimal(0))
    write_proposals(proposals_path, proposals.file())

The statement is read (its money received apart from debits, fees and balances), the open
invoices are paged once, and each line gets the proposal of ``check.matching``. Nothing is
recorded here: a person confirms, then ``importer run`` reads the proposals file back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.check.accepted import PROPOSAL_COLUMNS, is_proposals
from importer.check.matching import OpenInvoice, OpenInvoices, Proposal, propose_all
from importer.check.problems import describe_cell
from importer.check.statement import StatementLines, looks_like_statement, statement_lines
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.check.values import format_amount
from importer.choices import ReadingChoices
from importer.errors import InputFileError
from importer.output.files import ensure_writable
from importer.output.proposals import default_proposals_path, write_proposals
from importer.preflight import open_invoices
from importer.read.layout import PaymentsFile
from importer.status import Match

__all__ = ["NOT_A_PAYMENT", "Proposals", "open_invoice", "propose_matches", "write_matched"]

# The Match column of a line that is no money received, and of one that could not be read.
NOT_A_PAYMENT = "not a payment"
UNREADABLE = "invalid"


@dataclass(frozen=True)
class Proposals:
    """A statement's lines, each with the invoice proposed for it or why it has none."""

    statement: PaymentsFile
    read: StatementLines
    proposals: Mapping[int, Proposal]
    open_invoices: int
    lookup_requests: int

    def file(self) -> PaymentsFile:
        """The proposals file: every line of the statement as read, then the four columns."""
        problems: dict[int, list[str]] = {}
        for problem in self.read.problems:
            problems.setdefault(problem.row, []).append(describe_cell(problem))
        rows = []
        for row in self.statement.rows:
            proposal = self.proposals.get(row.number)
            if proposal is not None:
                added = (proposal.invoice_cell, str(proposal.match), proposal.why, proposal.accept)
            elif row.number in self.read.not_payments:
                added = ("", NOT_A_PAYMENT, self.read.not_payments[row.number], "")
            else:
                added = ("", UNREADABLE, " ".join(problems.get(row.number, [])), "")
            rows.append(replace(row, cells=row.cells + added))
        return replace(self.statement, columns=self.statement.columns + PROPOSAL_COLUMNS, rows=rows)

    def summary(self) -> list[str]:
        """How many lines of each kind, and the money in each, for the accountant."""
        received = len(self.read.lines)
        lines = [
            f"{len(self.statement.rows)} lines: {received} of money received, "
            f"{len(self.read.not_payments)} not payments (paid out, fees, balances)"
            + (f", {len(self.read.problems)} that cannot be read." if self.read.problems else ".")
        ]
        by_row = {line.row: line for line in self.read.lines}
        for match in Match:
            rows = [row for row, proposal in self.proposals.items() if proposal.match == match]
            money: dict[str, Decimal] = {}
            for row in rows:
                line = by_row[row]
                # A statement that does not say its currency has its amounts shown bare.
                currency = line.currency or ""
                money[currency] = money.get(currency, Decimal(0)) + line.amount
            totals = ", ".join(
                f"{currency} {format_amount(amount, decimal=self.read.mark)}".strip()
                for currency, amount in sorted(money.items())
            )
            count = f"{len(rows)} line" + ("" if len(rows) == 1 else "s")
            lines.append(f"  {match}: {count}" + (f", {totals}" if totals else "") + ".")
        lines.append(
            f"Open invoices: {self.open_invoices} ({self.lookup_requests} requests to list them)."
        )
        return lines


def open_invoice(invoice: Invoice) -> OpenInvoice:
    """An invoice as the matching rules see it."""
    return OpenInvoice(
        id=invoice.id,
        number=invoice.invoice_number,
        prefix=invoice.invoice_number_prefix or "",
        client=invoice.client_name,
        due=invoice.amount_due,
        currency=invoice.currency,
        status=invoice.status,
    )


def read_statement(path: Path, reading: ReadingChoices) -> tuple[PaymentsFile, StatementLines]:
    """The statement and its lines, read with the user's reading options; ImporterError when
    it cannot be read or has no column of money received."""
    statement = reading.load(path, header_fits=looks_like_statement)
    if is_proposals(statement):
        raise InputFileError(
            f"{path}: holds proposals already (its last columns are Invoice, Match, Why and "
            f"Accept). To record its accepted lines: importer run {path.name}"
        )
    return statement, statement_lines(
        statement,
        decimal=reading.decimal or (reading.template or DEFAULT_TEMPLATE).decimal,
        date_format=reading.date_format or (reading.template or DEFAULT_TEMPLATE).date_format,
    )


async def propose_matches(
    path: Path,
    reading: ReadingChoices,
    client: HighLevelClient,
    *,
    tolerance: Decimal = Decimal(0),
) -> Proposals:
    """Read the statement, page the location's open invoices once, and propose an invoice
    for each line of money received. Records nothing."""
    statement, read = read_statement(path, reading)
    before = client.requests_sent
    invoices = await open_invoices(client)
    lookups = client.requests_sent - before
    proposals = propose_all(
        read.lines,
        OpenInvoices(open_invoice(invoice) for invoice in invoices),
        tolerance=tolerance,
        decimal=read.mark,
    )
    return Proposals(statement, read, proposals, len(invoices), lookups)


async def write_matched(
    path: Path, reading: ReadingChoices, client: HighLevelClient, *, folder: Path
) -> tuple[Path, PaymentsFile]:
    """Match a statement and write its proposals file in ``folder``; where, and the file as
    written with what it holds and where it is in its notes. What ``importer run STATEMENT
    --accept sure`` (and the workbench) start with: the lines not recorded now can be
    confirmed there later."""
    proposals_path = default_proposals_path(path, folder=folder)
    ensure_writable(proposals_path, what="the proposals file", flag="--results")
    proposals = await propose_matches(path, reading, client)
    written = proposals.file()
    write_proposals(proposals_path, written)
    told = (
        *proposals.summary(),
        f"Proposals: {proposals_path}. The sure lines are recorded now; to record others, "
        f"write yes in their Accept there (and the invoice, where there is none), then run "
        f"importer run {proposals_path.name}.",
    )
    return proposals_path, replace(written, notes=written.notes + told)
