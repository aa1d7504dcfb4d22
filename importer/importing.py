"""The import, one step at a time: the same steps behind the command line and the workbench.

    opened = open_file(path, reading, today=day)               # read, map, check: no network
    plan = await plan_import(opened, choices, collaborators)   # invoices, journal, HighLevel
    recording = await record_payments(plan, choices, collaborators)   # once confirmed
    report = close_run(plan, recording, choices, collaborators)       # each row's outcome
    report = write_results_files(report)                        # the results file (and JSON)

``run_import`` takes a file through them all, asking ``confirm`` before anything is recorded.
Each step returns a frozen value and prints nothing. The user's choices come in one value
(``ImportChoices``); what is passed in from outside (the API client, the journal, the one
clock, the stop signal, the progress events) in another (``Collaborators``). The first
three steps have a module each (``opening``, ``planning``, ``recording``); the last, and the
whole run, are here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from importer.check.payments import Place
from importer.choices import ImportChoices, ReadingChoices
from importer.collaborators import (
    Collaborators,
    Event,
    PaymentDone,
    SendingStarted,
    Waiting,
)
from importer.errors import (
    ControlTotalMismatch,
    JournalError,
    JournalFull,
    RunStopped,
)
from importer.journal.journal import Journal
from importer.opening import OpenedFile, open_file, open_proposals
from importer.output.rebuild import journal_row
from importer.output.report import ImportReport, run_identity, write_results_files
from importer.output.rows import (
    NOT_CONFIRMED,
    InvalidRows,
    held_back_message,
    row_results,
)
from importer.output.summary import summarise
from importer.planning import Plan, plan_import, results_path_for
from importer.recording import AfterCanary, Recording, record_payments, recorded_by
from importer.send.outcomes import Outcome
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
            folder=results_path_for(path, choices).parent,
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
