"""The import, one step at a time: the same steps behind the command line and the workbench.

    opened = open_file(path, reading, today=day)               # read, map, check: no network
    plan = await plan_import(opened, choices, collaborators)   # invoices, journal, HighLevel
    recording = await record_payments(plan, choices, collaborators)   # once confirmed
    report = close_run(plan, recording, choices, collaborators)       # each row's outcome
    report = write_results_files(report)                        # the results file (and JSON)

``run_import`` takes a file through them all, asking ``confirm`` before anything is recorded.
Each step returns a frozen value and prints nothing. The user's choices come in one value
(``ImportChoices``); what is passed in from outside (the API client, the journal, the one
clock, the stop signal, the progress events) in another (``Collaborators``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from importer.check.accepted import is_proposals, read_accepted
from importer.check.choosing import choose_template
from importer.check.content import Sample
from importer.check.mapping import ColumnMap, map_columns
from importer.check.payments import Place
from importer.check.rows import Validation, map_file, validate_file
from importer.check.saved import same_headers, saved_templates, saved_templates_dir
from importer.check.statement import statement_hint
from importer.check.templates import DEFAULT_TEMPLATE, Template, builtin_templates
from importer.check.totals import (
    FileTotal,
    control_total_note,
    expected_total,
    file_total,
    subtotal_notes,
)
from importer.check.values import DecimalMark, decimal_option
from importer.choices import ImportChoices, ReadingChoices
from importer.collaborators import (
    Collaborators,
    Event,
    PaymentDone,
    SendingStarted,
    Waiting,
)
from importer.errors import (
    ConfigurationError,
    ControlTotalMismatch,
    JournalError,
    JournalFull,
    MappingError,
    RunStopped,
)
from importer.holdings import NOT_CHECKED_NOTE, compare_with_highlevel
from importer.journal.journal import Journal
from importer.journal.runs import ReadingChoices as ReadingKept
from importer.journal.runs import file_sha256
from importer.output.files import ensure_writable
from importer.output.proposals import proposals_as_read
from importer.output.rebuild import journal_row
from importer.output.report import ImportReport, run_identity, write_results_files
from importer.output.results import (
    check_results_path,
    default_results_path,
    free_results_path,
    is_results_name,
    moved_note,
    without_outcome_columns,
)
from importer.output.rows import (
    NOT_CONFIRMED,
    InvalidRows,
    held_back_message,
    row_results,
)
from importer.output.summary import ControlCheck, summarise
from importer.parts import check_whole, preflight_parts
from importer.preflight import Checked
from importer.read.files import load
from importer.read.layout import PaymentsFile
from importer.recording import AfterCanary, Recording, record_payments, recorded_by
from importer.send.keys import row_keys
from importer.send.outcomes import Outcome
from importer.send.recovery import (
    from_journal,
    in_doubt_note,
    journal_entries,
    recover_left_over,
)
from importer.send.waits import check_lost_answer_wait
from importer.statements import write_matched
from importer.status import Match, RunOutcome

__all__ = [
    "Collaborators",
    "Event",
    "ImportChoices",
    "ImportReport",
    "OpenedFile",
    "PaymentDone",
    "Plan",
    "ReadingChoices",
    "Recording",
    "SendingStarted",
    "Waiting",
    "close_run",
    "open_file",
    "open_proposals",
    "plan_import",
    "record_payments",
    "run_import",
    "write_results_files",
]


# --- Step 1: the file, read and checked ---------------------------------------------------


@dataclass(frozen=True)
class OpenedFile:
    """A file read and checked on its own: its rows, their problems, and what it adds up to."""

    path: Path
    file: PaymentsFile
    reading: ReadingChoices
    validation: Validation
    total: FileTotal | None  # None when the amount column or its decimal mark is unclear
    # The file's SHA-256 as read, to name exactly which version of it the results are of.
    sha256: str = ""
    # The line that says which template was chosen for the file, when none was given.
    chosen: str = ""

    @property
    def template(self) -> Template:
        """The template the file was read with: the one given, or the one chosen for it."""
        return self.reading.template or DEFAULT_TEMPLATE

    @property
    def mark(self) -> DecimalMark | None:
        """The file's decimal mark, once its amounts settle it."""
        return self.total.mark if self.total is not None else None

    @property
    def reading_notes(self) -> tuple[str, ...]:
        """How the file was read: its sheet and encoding, the template, its subtotal lines."""
        subtotals = subtotal_notes(
            self.file,
            self.template,
            mark=self.mark or ".",
            column_map=self.validation.column_map,
            leave_out=self.validation.passed_over.keys(),
        )
        return self.file.notes + self.template_notes + subtotals

    @property
    def notes(self) -> tuple[str, ...]:
        """How the file was read and which columns feed which field, for the user."""
        return self.reading_notes + self.validation.column_notes

    @property
    def template_notes(self) -> tuple[str, ...]:
        """The saved template chosen by itself for a file with these headers, named; or the
        template chosen for the file, when none was given."""
        if not self.template.file_headers:
            return (self.chosen,) if self.chosen else ()
        return (
            f'Read with the template "{self.template.name}", saved for files with these '
            f"columns ({self.template.source}).",
        )

    def as_read(self) -> ReadingKept:
        """How the file was read, for the journal: read again so, the same rows come out."""
        template = self.template
        return ReadingKept(
            sheet=self.file.sheet if self.file.sheets else None,
            template=template.name if template.is_builtin else str(template.source),
            encoding=self.file.encoding,
            delimiter=self.file.delimiter,
            decimal_mark=self.mark,
            date_format=self.reading.date_format or template.date_format,
        )

    @property
    def total_note(self) -> str | None:
        """The file's totals row against the sum of its rows, when it has one."""
        return control_total_note(
            self.file,
            self.template,
            decimal=self.reading.decimal,
            column_map=self.validation.column_map,
            leave_out=self.validation.passed_over.keys(),
        )


def open_file(
    path: Path,
    reading: ReadingChoices | None = None,
    *,
    today: date,
    allow_duplicates: bool = False,
) -> OpenedFile:
    """Read ``path`` and check every row locally, with no network; ImporterError when the
    file as a whole cannot be read or mapped."""
    reading = reading or ReadingChoices()
    given = reading.template
    # Without --template, every template is a candidate: the user's saved ones, then ours.
    saved = saved_templates(saved_templates_dir()) if given is None else []
    builtin = builtin_templates() if given is None else []
    candidates = [given] if given is not None else [*saved, *builtin]
    loaded = load(
        path,
        sheet=reading.sheet,
        encoding=reading.encoding,
        delimiter=reading.delimiter,
        max_size_mb=reading.max_size_mb,
        header_fits=lambda headers: any(_fits(headers, t) for t in candidates),
    )
    # A results file given back as input is read as the input it was.
    payments_file = without_outcome_columns(loaded)
    if is_proposals(payments_file):
        # A bank statement's proposals, confirmed: its accepted lines are the payments.
        if payments_file is loaded:
            payments_file = proposals_as_read(payments_file)
        return open_proposals(
            path, payments_file, reading, today=today, allow_duplicates=allow_duplicates
        )
    template = given or DEFAULT_TEMPLATE
    try:
        template, column_map, chosen = _template_for(payments_file, given, saved, builtin)
        validation = validate_file(
            payments_file,
            template,
            today=today,
            allow_duplicates=allow_duplicates,
            decimal=reading.decimal,
            date_format=reading.date_format,
            column_map=column_map,
        )
    except MappingError as error:
        if hint := statement_hint(path, payments_file.columns, template):
            raise MappingError(f"{error} {hint}") from None
        if not payments_file.sheets:
            raise
        # No sheet of the workbook fits the template: say which one these columns are from.
        others = ", ".join(
            f'"{name}"' for name in payments_file.sheets if name != payments_file.sheet
        )
        choose = (
            f" The workbook's other sheets: {others}; choose one with --sheet." if others else ""
        )
        raise MappingError(f'Sheet "{payments_file.sheet}": {error}{choose}') from None
    if _some_line_names_no_invoice(validation) and (
        hint := statement_hint(path, payments_file.columns, template)
    ):
        # A statement's credits that name no invoice: matching proposes one for each.
        validation = dataclasses.replace(validation, column_notes=(*validation.column_notes, hint))
    total = file_total(
        payments_file,
        template,
        decimal=reading.decimal,
        column_map=validation.column_map,
        leave_out=validation.passed_over.keys(),
    )
    reading = dataclasses.replace(reading, template=template)
    return OpenedFile(
        path, payments_file, reading, validation, total, file_sha256(path), chosen=chosen
    )


def _some_line_names_no_invoice(validation: Validation) -> bool:
    return any(p.code in ("invoice.missing", "invoice.unrecognised") for p in validation.problems)


def _template_for(
    payments_file: PaymentsFile,
    given: Template | None,
    saved: Sequence[Template],
    builtin: Sequence[Template],
) -> tuple[Template, ColumnMap, str]:
    """The template given; else the one saved for a file with these headers; else the one
    that fits the file best (``choose_template``), with the line that says so.
    MappingError when none fits."""
    chosen = given or next(
        (t for t in saved if same_headers(t.file_headers, payments_file.columns)), None
    )
    if chosen is not None:
        return chosen, map_file(payments_file, chosen), ""
    # Templates saved for other files' headers are not tried on this one.
    own = [t for t in saved if not t.file_headers]
    sample = Sample([row.cells for row in payments_file.rows])
    choice = choose_template(payments_file.columns, sample, saved=own, builtin=builtin)
    return choice.template, choice.column_map, choice.note


def open_proposals(
    path: Path,
    proposals_file: PaymentsFile,
    reading: ReadingChoices | None = None,
    *,
    today: date,
    allow_duplicates: bool = False,
) -> OpenedFile:
    """A statement's proposals file: the lines accepted (Accept yes, Invoice filled) as its
    payments, the others passed over; no network."""
    reading = reading or ReadingChoices()
    accepted = read_accepted(
        proposals_file,
        today=today,
        max_age_days=(reading.template or DEFAULT_TEMPLATE).max_age_days,
        decimal=reading.decimal,
        date_format=reading.date_format,
        allow_duplicates=allow_duplicates,
    )
    reading = dataclasses.replace(reading, template=accepted.template)
    return OpenedFile(
        path, proposals_file, reading, accepted.validation, accepted.total, file_sha256(path)
    )


def _fits(headers: Sequence[str], template: Template) -> bool:
    try:
        map_columns(headers, template)
    except MappingError:
        return False
    return True


# --- Step 2: checked against HighLevel and the journal -----------------------------------


@dataclass(frozen=True)
class Plan:
    """What a run would record, and why each other row would not, before anything is sent."""

    opened: OpenedFile
    location_id: str
    results_path: Path
    notes: tuple[str, ...]
    control: ControlCheck | None
    # The file and the deposit slip disagree: nothing is checked against HighLevel or sent.
    mismatch: ControlTotalMismatch | None
    # Invalid rows that hold the whole file back (0 with --skip-invalid or none invalid).
    held_back: int
    verdicts: tuple[Checked, ...]
    # Payments (parts) settled before anything is sent: recorded by an earlier run (skipped),
    # or left in doubt by one and checked now; by place (row, and part of the row).
    settled: Mapping[Place, Outcome]
    keys: Mapping[Place, str]
    # Payments an earlier run left in doubt and this run takes over once they proved absent.
    taking_over: frozenset[Place]
    lookup_requests: int
    # Requests spent reading the payments HighLevel holds, and which way they were read.
    check_requests: int = 0
    check_how: str = ""

    @property
    def cleared(self) -> list[Checked]:
        """The payments to send (one per invoice part), in file order."""
        return [
            v for v in self.verdicts if v.refusal is None and v.payment.place not in self.settled
        ]

    @property
    def payment_count(self) -> int:
        """The payments to record in HighLevel: one per invoice part."""
        return len(self.cleared)

    @property
    def payer_payments(self) -> int:
        """The payments to send as the payer made them: a cheque for three invoices is one."""
        return len({self.opened.validation.payment_of(v.payment.row) for v in self.cleared})

    @property
    def totals(self) -> dict[str, Decimal]:
        """The money to send, by currency."""
        totals: dict[str, Decimal] = {}
        for checked in self.cleared:
            currency = checked.invoice.currency if checked.invoice else "?"
            totals[currency] = totals.get(currency, Decimal(0)) + checked.payment.amount
        return totals

    @property
    def blocked_rows(self) -> int:
        """Rows of the file that will not be sent."""
        return len(self.opened.file.rows) - len({v.payment.row for v in self.cleared})

    @property
    def ready(self) -> bool:
        """True when there is something to send and nothing holds the file back."""
        return bool(self.cleared) and not self.held_back and self.mismatch is None


async def plan_import(
    opened: OpenedFile, choices: ImportChoices, collaborators: Collaborators
) -> Plan:
    """Check every payment against its live invoice and the journal; send nothing.

    Payments an earlier run left in doubt are looked up in HighLevel now (not in a dry run),
    so the plan knows which of them are already there. ImporterError when the run cannot
    start (the results file cannot be written, a control total cannot be read).
    """
    path = opened.path
    wanted = _results_path(path, choices)
    # The results of another run are never written over: this run's go to the next free name.
    results_path = free_results_path(wanted)
    notes = opened.notes
    if choices.results_path is None and is_results_name(path):
        notes += (
            f"{path.name} is a results file given back: its old outcome columns are ignored, "
            f"and this run's results go to {results_path.name}, leaving {path.name} as it was.",
        )
    elif results_path != wanted:
        notes += (moved_note(wanted, results_path),)
    # Found out now, not after the payments are recorded with nowhere to report them.
    ensure_writable(results_path, what="the results file", flag="--results")
    if choices.summary_json is not None:
        ensure_writable(choices.summary_json, what="the summary", flag="--summary-json")
    validation = opened.validation
    # One invalid row holds back the whole file unless asked otherwise: an accountant fixes the
    # file and imports it once, rather than chasing which half went in. The valid rows are
    # still checked against their invoices, so one run shows every problem.
    held_back = 0 if choices.skip_invalid else len(validation.invalid_rows)
    control = _control_check(opened, choices)
    client = collaborators.client
    plan = Plan(
        opened, client.location_id, results_path, notes, control, None, held_back,
        verdicts=(), settled={}, keys={}, taking_over=frozenset(), lookup_requests=0,
    )  # fmt: skip
    if control is not None and not control.matches:
        # The deposit slip and the file disagree: nothing is sent until the accountant knows why.
        mismatch = ControlTotalMismatch(
            control.line() + " Nothing was sent; find the difference, then run again."
        )
        return dataclasses.replace(plan, mismatch=mismatch)
    journal = collaborators.journal
    checked = await preflight_parts(
        client,
        validation,
        journal=journal,
        mark=opened.mark or ".",
        skip_invalid=choices.skip_invalid,
    )
    # Only now is it known whether this is a sandbox (it names itself in its answers).
    check_lost_answer_wait(choices.lost_answer_wait, rehearsal=client.sandbox is not None)
    verdicts = checked.verdicts
    every_key = row_keys(client.location_id, verdicts)
    keys = every_key.keys
    entries = journal_entries(journal, client.account, every_key)
    settled, in_doubt = from_journal(verdicts, entries, file_name=path.name)
    if in_doubt and not choices.dry_run:
        settled.update(
            await recover_left_over(
                client,
                journal,
                in_doubt,
                entries,
                lost_answer_wait=choices.lost_answer_wait,
                clock=collaborators.clock,
                on_wait=lambda words: collaborators.on_event(Waiting(words)),
            )
        )
    elif in_doubt:
        # A dry run records nothing, so it leaves the check to the real run, and says so.
        verdicts = [
            in_doubt_note(v, entries[v.payment.place]) if v.payment.place in in_doubt else v
            for v in verdicts
        ]
    if choices.highlevel_check:
        # Not the rows an earlier run left in doubt: they were judged by their key just now
        # (or, in a dry run, will be by the real run).
        held = await compare_with_highlevel(
            client,
            [v for v in verdicts if v.payment.place not in in_doubt],
            every_key,
            settled=settled,
            absent=journal.ledger.found_absent_by_hand(client.account, keys.values()),
            allow_all=choices.allow_duplicates,
            today=collaborators.clock.now().date(),
        )
        settled.update(held.outcomes)
        plan = dataclasses.replace(plan, check_requests=held.requests, check_how=held.how)
    else:
        notes += (NOT_CHECKED_NOTE,)
    if settled and checked.index is not None:
        # The invoices' balances include what earlier runs recorded: check the rest again
        # without the rows already settled, so those do not count twice. The invoices were
        # paged moments ago, and nothing has been sent since: the same index serves, with
        # the copies that checking payments in doubt read afterwards (they may show one that
        # landed in between). The list is read once per run.
        index = checked.index.refreshed(
            [o.invoice for o in settled.values() if o.invoice is not None]
        )
        verdicts = check_whole(
            index, verdicts, validation, settled=settled, skip_invalid=choices.skip_invalid
        )
    return dataclasses.replace(
        plan,
        notes=notes,
        verdicts=tuple(verdicts),
        settled=settled,
        keys=keys,
        taking_over=frozenset(in_doubt),
        lookup_requests=checked.lookup_requests,
    )


def _results_path(path: Path, choices: ImportChoices) -> Path:
    if choices.results_path is not None:
        check_results_path(choices.results_path)
    results_path = choices.results_path or default_results_path(path, dry_run=choices.dry_run)
    if results_path.resolve() == path.resolve():
        raise ConfigurationError(
            f"--results {results_path} is the file being imported; writing the results there "
            "would replace it. Choose another name, or leave --results out."
        )
    return results_path


def _control_check(opened: OpenedFile, choices: ImportChoices) -> ControlCheck | None:
    """The file's rows against the control total: the one given, else the file's totals row.

    Rows with no payment (a pre-filled workbook's invoices nobody paid) are not payments, so
    they are not counted against ``--expect-count``; nor are the rows that continue a payment
    an earlier row began (one cheque for three invoices, on three rows, is one payment).
    """
    found = opened.total
    added = found.added if found is not None else Decimal(0)
    validation = opened.validation
    payments = (
        len(opened.file.rows)
        - len(validation.empty_rows)
        - len(validation.passed_over)
        - validation.continuing_rows
    )
    mark = (
        found.mark
        if found is not None
        else decimal_option(opened.reading.decimal or opened.template.decimal)
    )
    if choices.expect_total is not None or choices.expect_count is not None:
        return ControlCheck(
            "--expect-total/--expect-count",
            added,
            payments,
            expected_total(choices.expect_total, mark),
            choices.expect_count,
            decimal=mark or ".",
        )
    totals_row = opened.file.total
    if totals_row is not None and found is not None and found.claimed is not None:
        return ControlCheck(
            f"totals row {totals_row.number}",
            added,
            payments,
            found.claimed,
            None,
            decimal=found.mark,
        )
    return None


# --- Step 4: every row's outcome, and the run closed in the journal -----------------------


def close_run(
    plan: Plan,
    recording: Recording | None,
    choices: ImportChoices,
    collaborators: Collaborators,
    *,
    declined: bool = False,
) -> ImportReport:
    """Every row's outcome and the summary; the run, if one was started, closed in the
    journal, so that its results can be written again from there whatever becomes of the
    files. ``declined``: the user did not confirm, so nothing was sent."""
    opened = plan.opened
    outcomes: dict[Place, Outcome] = dict(plan.settled)
    stopped: RunStopped | ControlTotalMismatch | None = plan.mismatch
    if recording is not None:
        outcomes.update(recording.outcomes)
        stopped = recording.stopped
    not_sent_because = (
        str(plan.mismatch)
        if plan.mismatch is not None
        else held_back_message(plan.held_back)
        if plan.held_back
        else NOT_CONFIRMED
        if declined
        else None
    )
    invalid = InvalidRows(opened.file, opened.validation, opened.template, opened.mark)
    results = row_results(
        opened.file,
        opened.validation,
        invalid,
        plan.verdicts,
        outcomes,
        dry_run=choices.dry_run,
        not_sent_because=not_sent_because,
    )
    client = collaborators.client
    identity = run_identity(
        collaborators.journal,
        recording.run_id if recording is not None else None,
        opened.path,
        opened.sha256,
        api_url=client.base_url,
        location_id=client.location_id,
        now=collaborators.clock.now(),
        dry_run=choices.dry_run,
    )
    summary = summarise(
        results,
        requests=collaborators.client.requests_sent,
        lookup_requests=plan.lookup_requests,
        check_requests=plan.check_requests,
        check_how=plan.check_how,
        control=plan.control,
        dry_run=choices.dry_run,
        identity=identity,
    )
    interrupted = recording is not None and recording.interrupted
    report = ImportReport(
        results,
        plan.results_path,
        summary,
        plan.notes,
        opened.file,
        opened.mark or ".",
        summary_json=choices.summary_json,
        stopped=stopped,
        dry_run=choices.dry_run,
        declined=declined,
        held_back=plan.held_back,
        interrupted=interrupted,
        run_id=recording.run_id if recording is not None else None,
    )
    if recording is not None:
        try:
            _close_in_journal(collaborators.journal, recording, report)
        except JournalError as error:
            # The payments stand as recorded and this report says so; only the journal's
            # record of the run's end is missing, and the user must hear of it.
            if report.stopped is None:
                report = dataclasses.replace(report, stopped=JournalFull(str(error)))
    return report


def _close_in_journal(journal: Journal, recording: Recording, report: ImportReport) -> None:
    run_id = recording.run_id
    outcome = (
        RunOutcome.STOPPED
        if recording.stopped
        else RunOutcome.INTERRUPTED
        if recording.interrupted
        else RunOutcome.FINISHED
    )
    journal.history.finish_run(
        run_id,
        outcome=outcome,
        message=str(recording.stopped or ""),
        counts={str(status): n for status, n in report.summary.by_status.items()},
        totals=recorded_by(journal, run_id),
        rows=[journal_row(result) for result in report.results],
        requests=report.summary.requests,
        lookup_requests=report.summary.lookup_requests,
        decimal_mark=report.decimal_mark,
    )


# --- All of them ---------------------------------------------------------------------------


async def run_import(
    path: Path,
    choices: ImportChoices,
    collaborators: Collaborators,
    *,
    confirm: Callable[[Plan], bool] = lambda _plan: True,
    after_canary: AfterCanary | None = None,
) -> ImportReport:
    """Import one payments file, step by step; ``confirm`` is asked before anything is
    recorded. With ``choices.accept``, the file is a bank statement: its lines are matched to
    the open invoices first (the proposals file written beside the results), and the sure
    ones are its payments. ImporterError when the run cannot start."""
    today = choices.today or collaborators.clock.now().date()
    if choices.accept is not None:
        # Only sure lines are accepted in a proposals file as written: no other choice exists.
        assert choices.accept == Match.SURE
        _written, matched = await write_matched(
            path,
            choices.reading,
            collaborators.client,
            folder=_results_path(path, choices).parent,
        )
        opened = open_proposals(
            path, matched, choices.reading, today=today, allow_duplicates=choices.allow_duplicates
        )
    else:
        opened = open_file(
            path, choices.reading, today=today, allow_duplicates=choices.allow_duplicates
        )
    plan = await plan_import(opened, choices, collaborators)
    recording: Recording | None = None
    declined = False
    if plan.ready and not choices.dry_run:
        if confirm(plan):
            recording = await record_payments(
                plan, choices, collaborators, after_canary=after_canary
            )
        else:
            declined = True
    report = close_run(plan, recording, choices, collaborators, declined=declined)
    return write_results_files(report, collaborators.journal)
