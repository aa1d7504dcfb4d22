"""``importer run``: check a file against HighLevel, ask, record, and write the results."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from importer.cli.options import (
    EXIT_CODES_HELP,
    EXIT_DONE,
    EXIT_HUNG_UP,
    EXIT_INTERRUPTED,
    EXIT_SOME_NOT_DONE,
    EXIT_STOPPED,
    EXIT_TERMINATED,
    HungUp,
    Interrupted,
    Terminated,
    api_options,
    file_argument,
    journal_option,
    reading_options,
    sandbox_options,
    today,
)
from importer.cli.stopping import Stopping
from importer.send.stop import StopSignal
from importer.send.waits import ANSWER_TIMEOUT, LOST_ANSWER_FLOOR, LOST_ANSWER_WAIT

if TYPE_CHECKING:
    from importer.api.throttle import Rate
    from importer.choices import ReadingChoices
    from importer.cli.progress import RunProgress
    from importer.connection import Connection
    from importer.importing import Event, ImportChoices, ImportReport
    from importer.journal.journal import Journal
    from importer.recording import AfterCanary
    from importer.send.outcomes import Outcome


@click.command(epilog=EXIT_CODES_HELP)
@file_argument
@click.option(
    "--results", "results_path", type=click.Path(path_type=Path), help="Where to write results."
)
@api_options
@sandbox_options("Rehearse against the bundled sandbox API.")
@click.option(
    "--dry-run", is_flag=True, help="Check every row against its invoice; record nothing."
)
@click.option(
    "--expect-total",
    help="The deposit's total; a file that adds up differently is not sent.",
)
@click.option("--expect-count", type=click.IntRange(min=0), help="The number of payments expected.")
@click.option(
    "--summary-json",
    type=click.Path(path_type=Path),
    help="Also write the summary as JSON, for automation.",
)
@click.option(
    "--yes", is_flag=True, help="Do not ask for confirmation (required without a terminal)."
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Record the valid rows even when some are invalid (otherwise nothing is sent).",
)
@click.option(
    "--allow-duplicates",
    is_flag=True,
    help="Record rows that repeat an earlier row of the file, or a payment HighLevel already "
    "holds (otherwise they are held back); never one recorded from the very same row.",
)
@click.option(
    "--no-highlevel-check",
    "no_highlevel_check",
    is_flag=True,
    help="Do not compare the payments with those HighLevel already holds (for a token that "
    "may not read them); only this computer's journal keeps a payment from going twice.",
)
@journal_option("The journal of sent payments (default: IMPORTER_JOURNAL or your data folder).")
@click.option(
    "--max-rate",
    metavar="N/SECONDS",
    help="Send at most N requests every SECONDS (below the API's own limit), e.g. 50/10.",
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=0.1),
    default=ANSWER_TIMEOUT,
    show_default=True,
    help="Seconds to wait for each answer before checking the invoice instead.",
)
@click.option(
    "--lost-answer-wait",
    metavar="SECONDS",
    type=click.FloatRange(min=0),
    default=LOST_ANSWER_WAIT,
    show_default=True,
    help="Seconds after sending during which a payment whose answer was lost may still reach "
    f"HighLevel; it is not sent again before then. At least {LOST_ANSWER_FLOOR:g} against "
    "HighLevel.",
)
@click.option(
    "--accept",
    type=click.Choice(["sure"]),
    help="FILE is a bank statement with no invoice column: match its lines to the open "
    "invoices and record the sure ones; the proposals for the rest are written beside the "
    "results, to confirm and run later.",
)
@click.option(
    "--canary",
    metavar="N",
    type=click.IntRange(min=0),
    default=0,
    help="Record the first N payments, show their invoices, then ask before the rest.",
)
@reading_options
def run(
    file: Path,
    reading: ReadingChoices,
    results_path: Path | None,
    api_url: str | None,
    location_id: str | None,
    alt_type: str | None,
    sandbox: bool,
    sandbox_seed: Path | None,
    dry_run: bool,
    expect_total: str | None,
    expect_count: int | None,
    summary_json: Path | None,
    yes: bool,
    skip_invalid: bool,
    allow_duplicates: bool,
    no_highlevel_check: bool,
    journal_path: Path | None,
    max_rate: str | None,
    timeout: float,
    lost_answer_wait: float,
    canary: int,
    accept: str | None,
) -> None:
    """Record the payments in FILE against their invoices and write a results file.

    When a row is invalid nothing is sent, unless --skip-invalid.

    \b
    Example:
      importer run deposit-2026-10.xlsx --dry-run
      importer run deposit-2026-10.xlsx --template cheque-deposit
      importer run statement-november.csv --accept sure
    """
    from importer.api.throttle import parse_rate
    from importer.check.totals import read_expected_total
    from importer.cli.progress import progress_for
    from importer.cli.render import connected
    from importer.errors import ConfigurationError
    from importer.importing import ImportChoices
    from importer.journal.journal import Journal, default_journal_path
    from importer.status import Match

    choices = ImportChoices(
        reading=reading,
        results_path=results_path,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        allow_duplicates=allow_duplicates,
        highlevel_check=not no_highlevel_check,
        expect_total=read_expected_total(expect_total) if expect_total is not None else None,
        expect_count=expect_count,
        summary_json=summary_json,
        canary=canary,
        lost_answer_wait=lost_answer_wait,
        today=today(),
        accept=Match(accept) if accept is not None else None,
    )
    if not (yes or dry_run or sys.stdin.isatty()):
        raise ConfigurationError(
            "No terminal to ask for confirmation: add --yes to record without asking."
        )
    try:
        cap = parse_rate(max_rate) if max_rate is not None else None
    except ValueError as error:
        raise ConfigurationError(f"--max-rate: {error}") from None
    stopping = Stopping(StopSignal())
    with stopping.for_the_command():
        with ExitStack() as stack:
            connection = stack.enter_context(
                connected(
                    sandbox=sandbox,
                    sandbox_seed=sandbox_seed,
                    api_url=api_url,
                    location_id=location_id,
                    alt_type=alt_type,
                )
            )
            where = connection.journal_path(journal_path, default_journal_path())
            journal = stack.enter_context(Journal.open(where, exclusive=not dry_run))
            progress = progress_for(sys.stderr)
            stack.callback(progress.close)
            try:
                report = asyncio.run(
                    _run(
                        file,
                        connection,
                        journal,
                        choices,
                        progress,
                        stopping,
                        yes=yes,
                        cap=cap,
                        timeout=timeout,
                    )
                )
            except KeyboardInterrupt:
                kind = {EXIT_TERMINATED: Terminated, EXIT_HUNG_UP: HungUp}.get(
                    stopping.exit_code or EXIT_INTERRUPTED, Interrupted
                )
                raise kind(
                    "Interrupted. Payments sent before the interruption may be recorded; the "
                    "next run checks them before sending anything."
                ) from None
            stopping.done()
        # A closed terminal (SIGHUP) takes no more words; the results file holds them all.
        with contextlib.suppress(OSError):
            _finish(report, connection, where)
    sys.exit(_exit_code(report, stopping))


def _finish(report: ImportReport, connection: Connection, where: Path | str) -> None:
    """Print the report: the rows to look at, the summary, what went wrong, in one line."""
    from importer.cli.render import print_report, rewrite_advice

    print_report(report, sandbox=connection.sandbox)
    if report.run_id is not None and not connection.sandbox:
        click.echo(f"Journal: run {report.run_id} (importer runs show {report.run_id}).")
    # One line, whatever went wrong: the stop, then the file that could not be written.
    errors = [] if report.stopped is None else [str(report.stopped)]
    if report.write_error is not None:
        errors.append(f"{report.write_error}{rewrite_advice(report, where)}")
    if errors:
        click.echo(f"Error: {' '.join(errors)}", err=True)
    elif report.interrupted:
        click.echo(
            "Interrupted: payments in flight were finished, the rest were not sent. Run the "
            "same command again to send them.",
            err=True,
        )


def _exit_code(report: ImportReport, stopping: Stopping) -> int:
    """How the run ended: had to stop (2), stopped by a signal (its code), or done."""
    if report.stopped is not None or report.write_error is not None:
        return EXIT_STOPPED
    if stopping.exit_code is not None:
        return stopping.exit_code
    if report.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_DONE if report.all_done else EXIT_SOME_NOT_DONE


async def _run(
    file: Path,
    connection: Connection,
    journal: Journal,
    choices: ImportChoices,
    progress: RunProgress,
    stopping: Stopping,
    *,
    yes: bool,
    cap: Rate | None,
    timeout: float,
) -> ImportReport:
    from importer.api.throttle import Throttle
    from importer.cli.progress import tell
    from importer.cli.prompt import ask
    from importer.importing import Collaborators, SendingStarted, run_import

    stopping.attach(asyncio.get_running_loop())

    def on_event(event: Event) -> None:
        if isinstance(event, SendingStarted):
            stopping.catch(True)
        tell(progress, event)

    decide = _after_canary(progress, yes=yes)

    def after_canary(outcomes: list[Outcome], left: int) -> bool:
        # At the prompt, Ctrl-C is a no: nothing is in flight, and the prompt must hear it.
        with stopping.prompting():
            return decide(outcomes, left)

    async with connection.client(timeout=timeout, throttle=Throttle(cap=cap)) as client:
        collaborators = Collaborators(
            client=client, journal=journal, stop=stopping.stop, on_event=on_event
        )
        return await run_import(
            file,
            choices,
            collaborators,
            confirm=(lambda _plan: True) if yes else ask,
            after_canary=after_canary,
        )


def _after_canary(progress: RunProgress, *, yes: bool) -> AfterCanary:
    """Show the canary's invoices, then ask (or, with --yes, say) whether the rest go."""
    from importer.cli.prompt import confirm
    from importer.words import amount_text, invoice_status_word, plural, status_word

    def decide(outcomes: list[Outcome], left: int) -> bool:
        progress.close()
        first = "payment" if len(outcomes) == 1 else f"{len(outcomes)} payments"
        click.echo(f"The first {first} (the canary):")
        for outcome in sorted(outcomes, key=lambda o: o.payment.row):
            invoice = outcome.invoice
            where = ""
            if invoice is not None:
                status = invoice_status_word(invoice.status).lower()
                due = f"{amount_text(invoice.amount_due, invoice.currency)} {invoice.currency}"
                where = f" Invoice {invoice.shown_number} is now {status}, {due} due."
            click.echo(f"  Row {outcome.payment.row}: {status_word(outcome.status)}.{where}")
        if any(outcome.status != "recorded" for outcome in outcomes):
            click.echo("Not every canary payment was recorded: check the messages above.")
        if yes:
            click.echo(f"Going on with the other {plural(left, 'payment')} (--yes).")
            go_on = True
        else:
            try:
                go_on = confirm(f"Check those invoices in HighLevel. Record the other {left} now?")
            except click.Abort:  # Ctrl-C or end of input at the prompt: a no
                click.echo()
                go_on = False
        if go_on:
            progress.start(left)
        return go_on

    return decide
