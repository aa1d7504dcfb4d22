"""A proposals file read back: the lines a person accepted, as ordinary payments.

``importer match`` writes every line of a statement as read, then ``Invoice``, ``Match``,
``Why`` and ``Accept``. Given back to ``importer run``, each line the person accepted (Accept
yes, Invoice filled) becomes a row of an ordinary payments file (the invoice, the amount
received, the statement's date, the method, the bank's words as reference and notes) and goes
through the same row rules, duplicates check, preflight and journal as any other row. Lines
not accepted come back ``not_sent``, and lines that are no money received ``not_a_payment``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from importer.check.matching import StatementLine
from importer.check.payments import MAX_NOTES_LENGTH
from importer.check.problems import RowProblem
from importer.check.references import cheque_form
from importer.check.rows import validate_file
from importer.check.statement import StatementLines, statement_lines
from importer.check.templates import Template, normalise
from importer.check.totals import FileTotal, file_total
from importer.check.validation import PassedOver, Validation
from importer.read.layout import PaymentsFile, SourceRow
from importer.status import Match, RowStatus

__all__ = [
    "PROPOSAL_COLUMNS",
    "Accepted",
    "ProposalLine",
    "is_proposals",
    "proposal_lines",
    "read_accepted",
    "statement_part",
    "with_confirmations",
]

# The columns ``importer match`` adds after a statement's own, in this order.
PROPOSAL_COLUMNS = ("Invoice", "Match", "Why", "Accept")
_YES = frozenset({"yes", "y", "si", "s", "x", "ok", "true", "1"})
_NO = frozenset({"", "no", "n", "false", "0"})
# The bank's words go in the notes, after "Bank statement: " and before "(row 7 of x.xlsx)".
_TEXT_IN_NOTES = MAX_NOTES_LENGTH - 80
NOT_ACCEPTED = (
    "Not accepted: nothing was sent for this line. To record it, write yes in Accept (and the "
    "invoice it pays in Invoice) in the proposals file, and run that file again."
)


@dataclass(frozen=True)
class Accepted:
    """A proposals file's lines as payments to check: the template that reads them, and the
    checks of every line (its payments, problems, and the lines passed over)."""

    template: Template
    validation: Validation
    total: FileTotal | None


def _proposal_columns(columns: Sequence[str]) -> tuple[int, ...] | None:
    """Where Invoice, Match, Why and Accept are, in that order after the statement's columns
    (a column of one's own added among or after them is let be); None when they are not."""
    found = [
        max((at for at, header in enumerate(columns) if header == name), default=-1)
        for name in PROPOSAL_COLUMNS
    ]
    if found[0] < 0 or found != sorted(set(found)):
        return None
    return tuple(found)


def is_proposals(payments_file: PaymentsFile) -> bool:
    """True for a file with the columns ``importer match`` adds after a statement's."""
    return _proposal_columns(payments_file.columns) is not None


@dataclass(frozen=True)
class ProposalLine:
    """A line of money received in a proposals file, as a person confirms it."""

    row: int
    invoice: str
    match: str
    why: str
    accepted: bool


def proposal_lines(payments_file: PaymentsFile, rows: Sequence[SourceRow]) -> list[ProposalLine]:
    """The lines among ``rows`` that a person may accept: those with a proposal (sure, likely,
    several or none); none for a file that holds no proposals."""
    where = _proposal_columns(payments_file.columns)
    if where is None:
        return []
    invoice_at, match_at, why_at, accept_at = where
    return [
        ProposalLine(
            row.number,
            row.cells[invoice_at],
            row.cells[match_at],
            row.cells[why_at],
            normalise(row.cells[accept_at]) in _YES,
        )
        for row in rows
        if row.cells[match_at] in {str(match) for match in Match}
    ]


def with_confirmations(
    payments_file: PaymentsFile, confirmed: Mapping[int, tuple[str, bool]]
) -> PaymentsFile:
    """The proposals file with each given row's Invoice and Accept as a person set them."""
    where = _proposal_columns(payments_file.columns)
    assert where is not None  # only a proposals file is confirmed
    invoice_at, accept_at = where[0], where[-1]
    rows = []
    for row in payments_file.rows:
        if row.number in confirmed:
            invoice, accepted = confirmed[row.number]
            cells = list(row.cells)
            cells[invoice_at], cells[accept_at] = invoice.strip(), "yes" if accepted else ""
            row = replace(row, cells=tuple(cells))
        rows.append(row)
    return replace(payments_file, rows=rows)


def statement_part(payments_file: PaymentsFile) -> PaymentsFile:
    """The statement's own columns of a proposals file: those before its Invoice column."""
    where = _proposal_columns(payments_file.columns)
    assert where is not None  # only a proposals file is taken apart
    width = where[0]
    return replace(
        payments_file,
        columns=payments_file.columns[:width],
        rows=[replace(row, cells=row.cells[:width]) for row in payments_file.rows],
    )


def read_accepted(
    payments_file: PaymentsFile,
    *,
    today: date,
    max_age_days: int,
    decimal: str | None = None,
    date_format: str | None = None,
    allow_duplicates: bool = False,
) -> Accepted:
    """Check every line of a proposals file: the accepted ones as payments, the rest passed
    over with why. MappingError when its statement columns give no money received or date.

    ``allow_duplicates`` changes nothing here: lines alike are never duplicates of each other
    (see ``_checked``); the flag acts on what HighLevel holds, when the plan is made.
    """
    read = statement_lines(statement_part(payments_file), decimal=decimal, date_format=date_format)
    where = _proposal_columns(payments_file.columns)
    assert where is not None  # only a proposals file is read back
    invoice_at, accept_at = where[0], where[-1]
    lines = {line.row: line for line in read.lines}
    template = _template(read, max_age_days=max_age_days)
    problems = list(read.problems)
    passed_over: dict[int, PassedOver] = {}
    rows: list[SourceRow] = []
    for row in payments_file.rows:
        why_not = read.not_payments.get(row.number)
        if why_not is not None:
            passed_over[row.number] = PassedOver(RowStatus.NOT_A_PAYMENT, why_not)
            continue
        line = lines.get(row.number)
        if line is None:
            continue  # its problem is in read.problems
        invoice, accept = row.cells[invoice_at].strip(), row.cells[accept_at].strip()
        answer = normalise(accept)
        if answer not in _YES | _NO:
            problems.append(
                RowProblem(
                    row.sheet, row.number, "Accept", "accept.unreadable", accept,
                    f"{accept!r} is neither yes nor no: write yes to record this line against "
                    "its Invoice, or leave it empty.",
                )
            )  # fmt: skip
        elif answer in _NO:
            passed_over[row.number] = _not_accepted(line)
        elif not invoice:
            problems.append(
                RowProblem(
                    row.sheet, row.number, "Invoice", "invoice.missing", "",
                    "Accept is yes but Invoice is empty: write the invoice this line pays "
                    "(such as 2011), or empty Accept.",
                )
            )  # fmt: skip
        else:
            # A line for several invoices ("2017; 2018") is one payment of several parts, read
            # by the row rules as invoices listed without amounts: each paid in full.
            rows.append(_as_payment_row(row, line, invoice))
    # The accepted lines as the rows of an ordinary payments file, checked as one.
    payments = replace(
        payments_file, columns=_columns_for(read), rows=rows, number_cells={}, total=None
    )
    validation = _from_statement(_checked(payments, template, today=today))
    everything = sorted([*validation.problems, *problems], key=lambda problem: problem.row)
    validation = replace(
        validation,
        problems=everything,
        invalid_rows=frozenset(problem.row for problem in everything),
        passed_over=passed_over,
    )
    return Accepted(template, validation, file_total(payments, template))


def _columns_for(read: StatementLines) -> tuple[str, ...]:
    """The columns each accepted line is checked under: the statement's own where it has them."""
    return (
        "Invoice",
        read.amount_column,
        read.date_column,
        read.currency_column or "Currency",
        "Method",
        "Description",
        "Allow duplicate",
        "Cheque number",
    )


def _template(read: StatementLines, *, max_age_days: int) -> Template:
    headers = _columns_for(read)
    return Template(
        name="bank statement",
        headers={
            "invoice": (headers[0],),
            "amount": (headers[1],),
            "payment_date": (headers[2],),
            "currency": (headers[3],),
            "method": (headers[4],),
            "description": (headers[5],),
            "allow_duplicate": (headers[6],),
            "cheque_number": (headers[7],),
        },
        description="A bank statement's lines accepted in its proposals file.",
        decimal=".",
        date_format="YYYY-MM-DD",
        max_age_days=max_age_days,
        notes="Bank statement: {description}",
    )


def _as_payment_row(row: SourceRow, line: StatementLine, invoice: str) -> SourceRow:
    """The line as a payments file's row.

    The bank's words go in the notes only, never in the reference a payment's key is made
    of: read again by another version of the statement reading (which columns it joins), or
    from a workbook that wrote its numbers back, they may differ, and the payment must still
    be known for the one already recorded. Every line of a statement is a movement of its
    own, so two alike are no duplicates of each other (see ``_checked``); but a line is not
    allowed as a duplicate of what HighLevel holds: the transfer a payments file recorded
    shows on the statement too, and is held back there. A line naming its cheque (``CHQ
    000555``) is that cheque, compared with the one paid in by its number; unless the number
    is also the invoice's, when which one the bank meant is unsure.
    """
    text = line.text if len(line.text) <= _TEXT_IN_NOTES else line.text[: _TEXT_IN_NOTES - 1] + "…"
    cheque = line.cheque
    if cheque and cheque_form(cheque) in {cheque_form(n) for n in re.findall(r"\d+", invoice)}:
        cheque = ""  # the number is the invoice's: which of the two the bank meant is unsure
    method = "Cash" if line.mode == "cash" else "Cheque" if cheque else "Bank transfer"
    cells = (
        invoice, f"{line.amount}", line.paid_on.isoformat(), line.currency or "", method, text,
        "", cheque,
    )  # fmt: skip
    return SourceRow(row.sheet, row.number, cells)


def _not_accepted(line: StatementLine) -> PassedOver:
    return PassedOver(
        RowStatus.NOT_SENT, NOT_ACCEPTED, amount=line.amount, currency=line.currency or "",
        mode=line.mode,
    )  # fmt: skip


def _from_statement(validation: Validation) -> Validation:
    """The accepted lines' payments marked as read from a bank statement, so that the check
    against HighLevel knows their day is the bank's and their method a guess."""
    return replace(
        validation,
        payments=[replace(payment, from_statement=True) for payment in validation.payments],
        in_full=tuple(
            replace(waiting, payment=replace(waiting.payment, from_statement=True))
            for waiting in validation.in_full
        ),
    )


def _checked(payments_file: PaymentsFile, template: Template, *, today: date) -> Validation:
    """The accepted lines as a payments file's rows; two alike are two movements of the
    statement, never duplicates of each other within it."""
    if not payments_file.rows:
        return Validation([], [], frozenset())
    return validate_file(payments_file, template, today=today, allow_duplicates=True)
