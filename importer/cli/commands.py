"""The ``importer`` command: parse options, call the library, print, and pick the exit code.

Exit codes: 0 every row recorded or skipped; 1 some row not; 2 the run could not start or had
to stop (unreadable file, configuration, authentication, daily limit); 130 interrupted (Ctrl-C).

The date checks compare with today; a caller (a test) may give another day as the ``obj`` of
the command's context: ``cli.main(args, obj=date(2026, 11, 24))``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import select
import signal
import sys
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
import stamina
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.api.throttle import Rate, Throttle, parse_rate
from importer.check import (
    DATE_FORMATS,
    TEMPLATES_DIR,
    Template,
    UnreadableValue,
    builtin_templates,
    load_template,
    parse_amount,
)
from importer.cli.progress import BarProgress, LineProgress, RunProgress
from importer.doctor import Check, api_checks, journal_check, settings_checks, version_checks
from importer.errors import ControlTotalMismatch, ImporterError
from importer.importing import ImportReport, Plan, RunOptions, check_file, file_notes, run_import
from importer.journal import Journal, Money, default_journal_path
from importer.output import problem_table, rebuild_results, write_blank_workbook, write_report
from importer.preflight import open_invoices
from importer.send import LOST_ANSWER_WAIT, Outcome
from importer.settings import load_settings
from importer.status import PaymentState

EXIT_DONE, EXIT_SOME_NOT_DONE, EXIT_STOPPED = 0, 1, 2
EXIT_INTERRUPTED = 130
# The package's copy of samples/sandbox-invoices.json (held identical by a test), so that an
# installed importer has it too.
SAMPLE_SEED = Path(__file__).resolve().parent.parent / "sandbox" / "sandbox-invoices.json"
EXIT_CODES_HELP = (
    "\b\nExit codes:\n  0  every row recorded or skipped\n  1  some row not recorded\n"
    "  2  the run could not start or had to stop\n  130  interrupted with Ctrl-C"
)


class Abort(click.ClickException):
    """A run that cannot start or must stop: one line on stderr, exit 2."""

    exit_code = EXIT_STOPPED

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


class Interrupted(Abort):
    """Ctrl-C twice: stopped at once, without waiting for payments in flight."""

    exit_code = EXIT_INTERRUPTED


def _today() -> date:
    """Today, or the day given as the context's obj, so that fixed sample dates never age."""
    given = click.get_current_context().find_object(date)
    return given if given is not None else date.today()


def _template(name: str | None) -> Template:
    try:
        return load_template(name or "default")
    except ImporterError as error:
        raise Abort(str(error)) from None


def _reading_options(command: Any) -> Any:
    """The options that say how to read the payments file, shared by run and validate."""
    for option in reversed(
        [
            click.option(
                "--encoding", help="The CSV's encoding, such as utf-8, cp1252 (default: detected)."
            ),
            click.option(
                "--delimiter",
                metavar="[,|;|tab|PIPE]",
                help="The CSV's column separator: , ; tab or | (default: detected).",
            ),
            click.option(
                "--decimal",
                metavar="[.|,]",
                help="The amounts' decimal mark (default: inferred from the amount column).",
            ),
            click.option(
                "--date-format",
                metavar="[" + "|".join(DATE_FORMATS) + "]",
                help="How the dates are written (default: inferred from the date column).",
            ),
            click.option(
                "--max-size",
                "max_size_mb",
                type=click.FloatRange(min=0, min_open=True),
                default=50,
                show_default=True,
                help="Refuse files larger than this many MB.",
            ),
        ]
    ):
        command = option(command)
    return command


def _api_options(command: Any) -> Any:
    """Where the API is and which location: flags over the settings, for one command."""
    for option in reversed(
        [
            click.option(
                "--api-url", help="The API address (default: HIGHLEVEL_API_URL or HighLevel's)."
            ),
            click.option(
                "--location-id", help="The location (sub-account) id; overrides the setting."
            ),
            click.option("--alt-type", help="The API's altType: location (default) or account."),
        ]
    ):
        command = option(command)
    return command


def _sandbox_options(what: str) -> Callable[[Any], Any]:
    """--sandbox (doing ``what``) and --sandbox-seed: the bundled sandbox instead of the API."""

    def add(command: Any) -> Any:
        command = click.option(
            "--sandbox-seed",
            type=click.Path(path_type=Path),
            help="Invoices for the sandbox (default: those of samples/sandbox-invoices.json).",
        )(command)
        return click.option("--sandbox", is_flag=True, help=what)(command)

    return add


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="\b\nExit codes:\n  0  done: every row recorded or skipped, every check passed\n"
    "  1  some row not recorded, or some check failed\n"
    "  2  could not start or had to stop\n  130  interrupted with Ctrl-C\n"
    "Each command's --help gives its own example and exit codes.",
)
@click.version_option(package_name="importer")
def cli() -> None:
    """Record a spreadsheet of offline payments against HighLevel invoices.

    \b
    Example:
      importer run samples/payments.csv --sandbox --yes
      importer doctor
      importer run deposit-2026-10.xlsx --dry-run
    """
    # stamina logs each scheduled retry; with no logging set up Python prints those records
    # raw on stderr, which means nothing to an accountant. Outcomes are in the results.
    stamina.instrumentation.set_on_retry_hooks([])


@cli.command(epilog=EXIT_CODES_HELP)
# Not readable=True: the loader says why a file cannot be read, in one line, not click.
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--template",
    "template_name",
    metavar="NAME|PATH",
    help="Column mapping: a built-in name (see importer templates) or your own .toml file.",
)
@click.option(
    "--sheet",
    help="The sheet to read, by name or number (default: the first whose columns fit).",
)
@click.option(
    "--results", "results_path", type=click.Path(path_type=Path), help="Where to write results."
)
@_api_options
@_sandbox_options("Rehearse against the bundled sandbox API.")
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
    help="Record rows that repeat an earlier row of the file (otherwise they are held back).",
)
@click.option(
    "--journal",
    "journal_path",
    metavar="PATH",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The journal of sent payments (default: IMPORTER_JOURNAL or your data folder).",
)
@click.option(
    "--max-rate",
    metavar="N/SECONDS",
    help="Send at most N requests every SECONDS (below the API's own limit), e.g. 50/10.",
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=0.1),
    default=30.0,
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
    "HighLevel; it is not sent again before then.",
)
@click.option(
    "--canary",
    metavar="N",
    type=click.IntRange(min=0),
    default=0,
    help="Record the first N payments, show their invoices, then ask before the rest.",
)
@_reading_options
def run(
    file: Path,
    template_name: str | None,
    sheet: str | None,
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
    encoding: str | None,
    delimiter: str | None,
    decimal: str | None,
    date_format: str | None,
    max_size_mb: float,
    journal_path: Path | None,
    max_rate: str | None,
    timeout: float,
    lost_answer_wait: float,
    canary: int,
) -> None:
    """Record the payments in FILE against their invoices and write a results file.

    When a row is invalid nothing is sent, unless --skip-invalid.

    \b
    Example:
      importer run deposit-2026-10.xlsx --dry-run
      importer run deposit-2026-10.xlsx --template cheque-deposit
    """
    template = _template(template_name)
    expected_total = _expected_total(expect_total)
    if not (yes or dry_run or sys.stdin.isatty()):
        raise Abort("No terminal to ask for confirmation: add --yes to record without asking.")
    cap: Rate | None = None
    if max_rate is not None:
        try:
            cap = parse_rate(max_rate)
        except ValueError as error:
            raise Abort(f"--max-rate: {error}") from None
    with ExitStack() as stack:
        base_url, token, location, alt = _connection(
            stack,
            sandbox=sandbox,
            sandbox_seed=sandbox_seed,
            api_url=api_url,
            location_id=location_id,
            alt_type=alt_type,
        )
        # A bundled sandbox lives only as long as this command: so does its journal, unless
        # one is asked for.
        where = journal_path or (":memory:" if sandbox else default_journal_path())
        try:
            journal = stack.enter_context(Journal.open(where, exclusive=not dry_run))
        except ImporterError as error:
            raise Abort(str(error)) from None
        progress: RunProgress = (
            BarProgress(sys.stderr) if sys.stderr.isatty() else LineProgress(sys.stderr)
        )
        stack.callback(progress.close)
        options = RunOptions(
            template=template,
            sheet=sheet,
            results_path=results_path,
            dry_run=dry_run,
            expect_total=expected_total,
            expect_count=expect_count,
            summary_json=summary_json,
            skip_invalid=skip_invalid,
            allow_duplicates=allow_duplicates,
            today=_today(),
            confirm=(lambda _plan: True) if yes else _ask,
            encoding=encoding,
            delimiter=delimiter,
            decimal=decimal,
            date_format=date_format,
            max_size_mb=max_size_mb,
            journal=journal,
            on_start=progress.start,
            on_outcome=progress.advance,
            on_wait=progress.note,
            lost_answer_wait=lost_answer_wait,
            canary=canary,
            after_canary=_after_canary(progress, yes=yes),
        )
        try:
            report = asyncio.run(
                _run(file, base_url, token, location, alt, options, cap=cap, timeout=timeout)
            )
        except ImporterError as error:
            raise Abort(str(error)) from None
        except KeyboardInterrupt:
            raise Interrupted(
                "Interrupted. Payments sent before the interruption may be recorded; the "
                "next run checks them before sending anything."
            ) from None
    _print_report(report, sandbox=sandbox)
    if report.run_id is not None and not sandbox:
        click.echo(f"Journal: run {report.run_id} (importer runs show {report.run_id}).")
    if report.stopped is not None:
        click.echo(f"Error: {report.stopped}", err=True)
    if report.write_error is not None:
        click.echo(f"Error: {report.write_error}{_rewrite_advice(report, where)}", err=True)
    if report.stopped is not None or report.write_error is not None:
        sys.exit(EXIT_STOPPED)
    if report.interrupted:
        click.echo(
            "Interrupted: payments in flight were finished, the rest were not sent. Run the "
            "same command again to send them.",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_DONE if report.all_done else EXIT_SOME_NOT_DONE)


def _rewrite_advice(report: ImportReport, journal_at: Path | str) -> str:
    """How to get the results file a run could not write: from its journal, or by a re-run."""
    if report.results_written:
        return ""
    if report.run_id is None:
        return " Nothing was sent by this run: run it again with --results PATH."
    if journal_at == ":memory:":
        return (
            " This sandbox rehearsal kept its journal in memory: run it again with --results PATH."
        )
    journal = "" if journal_at == default_journal_path() else f" --journal {journal_at}"
    return (
        " The payments above are recorded and every row's outcome is in the journal; write "
        f"the results file from it with: importer runs{journal} show {report.run_id} "
        "--results PATH"
    )


def _connection(
    stack: ExitStack,
    *,
    sandbox: bool,
    sandbox_seed: Path | None,
    api_url: str | None,
    location_id: str | None,
    alt_type: str | None,
) -> tuple[str, SecretStr, str, str]:
    """Where to send requests: a sandbox started for this command, or the configured API."""
    if sandbox:
        from importer.sandbox import running_sandbox

        seed = sandbox_seed or SAMPLE_SEED
        if not seed.is_file():
            raise Abort(f"{seed}: no such sandbox seed file.")
        try:
            server = stack.enter_context(running_sandbox(seed))
        except (ValueError, OSError) as error:
            raise _seed_problem(seed, error) from None
        return server.url, SecretStr(server.token), server.location_id, alt_type or "location"
    try:
        settings = load_settings(api_url=api_url, location_id=location_id, alt_type=alt_type)
        token, location = settings.require_credentials()
    except ImporterError as error:
        raise Abort(str(error)) from None
    return settings.api_url, token, location, settings.alt_type


def _seed_problem(seed: Path, error: Exception) -> Abort:
    """A seed the sandbox cannot serve, named once: some of the sandbox's messages name it."""
    message = str(error)
    return Abort(message if str(seed) in message else f"{seed}: {message}")


def _expected_total(text: str | None) -> str | None:
    """The --expect-total text, once it is known to be an amount; the run reads it with the
    file's decimal mark (``18.574,00`` in a file of ``1.234,50`` amounts)."""
    if text is None:
        return None
    try:
        parse_amount(text.strip(), decimal=".")
    except UnreadableValue:
        raise Abort(f"--expect-total {text!r} is not an amount; write it like 12345.67.") from None
    return text


async def _open_invoices(
    base_url: str,
    token: SecretStr,
    location: str,
    alt: str,
    *,
    due_from: date | None,
    due_until: date | None,
    client_name: str | None,
) -> list[Invoice]:
    async with HighLevelClient(
        base_url=base_url, token=token, location_id=location, alt_type=alt
    ) as client:
        return await open_invoices(
            client, due_from=due_from, due_until=due_until, client_name=client_name
        )


async def _run(
    file: Path,
    base_url: str,
    token: SecretStr,
    location: str,
    alt: str,
    options: RunOptions,
    *,
    cap: Rate | None,
    timeout: float,
) -> ImportReport:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_interrupt() -> None:
        click.echo(
            "\nStopping: no new payments are sent; waiting for those in flight "
            "(Ctrl-C again to quit at once).",
            err=True,
        )
        stop.set()
        # A second Ctrl-C interrupts for real.
        loop.remove_signal_handler(signal.SIGINT)

    def catch_interrupts(catching: bool) -> None:
        # While sending, Ctrl-C finishes what is in flight instead of cutting it. Not at a
        # prompt (nothing is in flight there, and the prompt must hear it). Not on Windows,
        # nor outside the main thread: there Ctrl-C interrupts at once.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            if catching and not stop.is_set():
                loop.add_signal_handler(signal.SIGINT, on_interrupt)
            elif not catching:
                loop.remove_signal_handler(signal.SIGINT)

    def sending(total: int) -> None:
        catch_interrupts(True)
        if options.on_start is not None:
            options.on_start(total)

    def after_canary(outcomes: list[Outcome], left: int) -> bool:
        catch_interrupts(False)
        go_on = options.after_canary(outcomes, left)
        catch_interrupts(go_on)
        return go_on

    async with HighLevelClient(
        base_url=base_url,
        token=token,
        location_id=location,
        alt_type=alt,
        timeout=timeout,
        throttle=Throttle(cap=cap),
    ) as client:
        return await run_import(
            file,
            client=client,
            options=dataclasses.replace(
                options, stop=stop, on_start=sending, after_canary=after_canary
            ),
        )


def _after_canary(progress: RunProgress, *, yes: bool) -> Callable[[list[Outcome], int], bool]:
    """Show the canary's invoices, then ask (or, with --yes, say) whether the rest go."""

    def decide(outcomes: list[Outcome], left: int) -> bool:
        progress.close()
        click.echo(f"The first {len(outcomes)} payments (the canary):")
        for outcome in sorted(outcomes, key=lambda o: o.payment.row):
            invoice = outcome.invoice
            where = ""
            if invoice is not None:
                where = (
                    f" Invoice {invoice.shown_number} is now {invoice.status}, "
                    f"{invoice.amount_due:,.2f} {invoice.currency} due."
                )
            click.echo(f"  Row {outcome.payment.row}: {outcome.status}.{where}")
        if any(outcome.status != "recorded" for outcome in outcomes):
            click.echo("Not every canary payment was recorded: check the messages above.")
        if yes:
            click.echo(f"Going on with the other {left} (--yes).")
            go_on = True
        else:
            try:
                go_on = _confirm(f"Check those invoices in HighLevel. Record the other {left} now?")
            except click.Abort:  # Ctrl-C or end of input at the prompt: a no
                click.echo()
                go_on = False
        if go_on:
            progress.start(left)
        return go_on

    return decide


def _ask(plan: Plan) -> bool:
    totals = ", ".join(f"{currency} {total:,.2f}" for currency, total in plan.totals.items())
    click.echo(
        f"About to record {plan.payment_count} payments ({totals}) in location {plan.location_id}."
    )
    if plan.blocked_rows:
        click.echo(f"{plan.blocked_rows} rows will not be sent; the results file says why.")
    return _confirm("Record them now?")


def _confirm(question: str) -> bool:
    """Ask yes or no on the terminal, no by default; click.Abort on Ctrl-C or end of input."""
    while True:
        try:
            click.echo(f"{question} [y/N]: ", nl=False)
            answer = _read_line().strip().lower()
        except (KeyboardInterrupt, EOFError):
            raise click.Abort() from None
        if answer in ("", "n", "no"):
            return False
        if answer in ("y", "yes"):
            return True
        click.echo("Error: invalid input")


def _read_line() -> str:
    # Waiting in short slices rather than in one blocking read: Linux may hand Ctrl-C to any of
    # the process's threads (the sandbox's, pyarrow's, the resolver's), and Python runs its
    # handler only when the main thread wakes. One long read would sleep through Ctrl-C.
    if sys.platform != "win32" and sys.stdin.isatty():
        while not select.select([sys.stdin], [], [], 0.2)[0]:
            pass
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line


SHOWN_PROBLEMS = 20


def _print_report(report: ImportReport, *, sandbox: bool) -> None:
    for note in report.notes:
        click.echo(note)
    # Rows held back (by an invalid row, an unconfirmed run or a control total that does not
    # match) all say the same; one line below, or the error, says it once.
    quiet = {"recorded", "ready", "skipped", "no_payment"}
    if report.declined or report.held_back or isinstance(report.stopped, ControlTotalMismatch):
        quiet.add("not_sent")
    # A row that went ahead with a warning (a test-mode invoice) is shown too.
    shown = [r for r in report.results if r.status not in quiet or r.warning]
    # Rows that say the same thing (30 not_sent after a declined canary) take one line.
    alike: dict[tuple[str, str], list[int]] = {}
    for result in shown:
        alike.setdefault((result.status, result.message), []).append(result.source.number)
    lines = [
        f"{_rows_named(numbers)}: {status}: {message}"
        for (status, message), numbers in alike.items()
    ]
    for line in lines[:SHOWN_PROBLEMS]:
        click.echo(line)
    if len(lines) > SHOWN_PROBLEMS:
        left = sum(len(numbers) for numbers in list(alike.values())[SHOWN_PROBLEMS:])
        click.echo(f"... and {left} more rows; the results file lists them all.")
    if report.held_back:
        rows, them = (
            ("1 row is", "it")
            if report.held_back == 1
            else (
                f"{report.held_back} rows are",
                "them",
            )
        )
        click.echo(
            f"Nothing was recorded: {rows} invalid. Fix {them} (the results file says how) and "
            "run again, or run again with --skip-invalid to record the valid rows."
        )
    elif report.dry_run:
        click.echo("Dry run: nothing was recorded.")
    if report.declined:
        click.echo("Not confirmed: nothing was recorded.")
    for line in report.summary.lines():
        click.echo(line)
    if report.results_written:
        where = " (sandbox)" if sandbox else ""
        click.echo(f"Results{where}: {report.results_path}")


def _rows_named(numbers: list[int]) -> str:
    """Row numbers for one line: "Row 7", "Rows 5-34 (30 rows)", "Rows 2, 9, 11-12 (4 rows)"."""
    if len(numbers) == 1:
        return f"Row {numbers[0]}"
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    named = [str(first) if first == last else f"{first}-{last}" for first, last in spans]
    if len(named) > 5:
        named = [*named[:5], "..."]
    return f"Rows {', '.join(named)} ({len(numbers)} rows)"


@cli.command(
    epilog="\b\nExit codes:\n  0  every row is valid\n  1  some row is not\n"
    "  2  the file could not be read"
)
# Not readable=True: the loader says why a file cannot be read, in one line, not click.
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--template",
    "template_name",
    metavar="NAME|PATH",
    help="Column mapping: a built-in name (see importer templates) or your own .toml file.",
)
@click.option(
    "--sheet",
    help="The sheet to read, by name or number (default: the first whose columns fit).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Write every problem to this file: .xlsx for a workbook, otherwise CSV.",
)
@click.option(
    "--allow-duplicates", is_flag=True, help="Do not flag rows that repeat an earlier row."
)
@_reading_options
def validate(
    file: Path,
    template_name: str | None,
    sheet: str | None,
    report_path: Path | None,
    allow_duplicates: bool,
    encoding: str | None,
    delimiter: str | None,
    decimal: str | None,
    date_format: str | None,
    max_size_mb: float,
) -> None:
    """Check FILE locally, without the network, and list every problem.

    Prints the first 20 problems and how many there are of each kind; --report writes them all.

    \b
    Example:
      importer validate deposit-2026-10.xlsx --report problems.xlsx
      importer validate statement.csv --template bank-transfer
    """
    template = _template(template_name)
    try:
        payments_file, validation = check_file(
            file,
            template=template,
            sheet=sheet,
            today=_today(),
            allow_duplicates=allow_duplicates,
            encoding=encoding,
            delimiter=delimiter,
            decimal=decimal,
            date_format=date_format,
            max_size_mb=max_size_mb,
        )
    except ImporterError as error:
        raise Abort(str(error)) from None
    for note in (*file_notes(payments_file, template, decimal=decimal), *validation.column_notes):
        click.echo(note)
    for line in problem_table(validation.problems):
        click.echo(line)
    if report_path is not None:
        try:
            write_report(report_path, validation.problems)
        except OSError as error:
            raise Abort(f"{report_path}: cannot write the report ({error.strerror}).") from None
    bad = len(validation.invalid_rows)
    click.echo(
        f"{len(payments_file.rows)} rows checked: {len(payments_file.rows) - bad} ready, "
        f"{bad} with problems."
    )
    if report_path is not None:
        click.echo(f"Report: {report_path}")
    elif bad:
        click.echo("To get every problem in a file, add --report problems.xlsx (or .csv).")
    sys.exit(EXIT_SOME_NOT_DONE if bad else EXIT_DONE)


@cli.command(epilog="\b\nExit codes:\n  0  listed\n  2  a template could not be read")
def templates() -> None:
    """List the built-in templates, to use with --template NAME.

    \b
    Example:
      importer templates
      importer run statement.csv --template bank-transfer
    """
    try:
        found = builtin_templates()
    except ImporterError as error:
        raise Abort(str(error)) from None
    if not found:
        raise Abort(f"No built-in templates in {TEMPLATES_DIR}: reinstall the importer.")
    width = max(len(template.name) for template in found)
    for template in found:
        click.echo(f"{template.name:<{width}}  {template.description}")
    click.echo(
        f"To make your own, copy one of the files in {TEMPLATES_DIR} and run with "
        "--template your-copy.toml."
    )


@cli.group(epilog="\b\nExit codes:\n  0  written\n  2  could not be written")
def template() -> None:
    """Make a blank workbook for a template.

    \b
    Example:
      importer template new cheque-deposit -o deposit-2026-11.xlsx
    """


@template.command(
    "new", epilog="\b\nExit codes:\n  0  written\n  2  unknown template or file not written"
)
@click.argument("name")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help="The workbook to write (.xlsx); an existing file is not replaced.",
)
@click.option(
    "--open-invoices",
    is_flag=True,
    help="Pre-fill a row for each invoice still open (sent or partially paid).",
)
@click.option(
    "--due-from", type=click.DateTime(["%Y-%m-%d"]), help="Only invoices due on or after."
)
@click.option(
    "--due-until", type=click.DateTime(["%Y-%m-%d"]), help="Only invoices due on or before."
)
@click.option("--client", "client_name", help="Only invoices whose client's name holds this.")
@_api_options
@_sandbox_options("List the bundled sandbox's invoices.")
def template_new(
    name: str,
    output: Path,
    open_invoices: bool,
    due_from: datetime | None,
    due_until: datetime | None,
    client_name: str | None,
    api_url: str | None,
    location_id: str | None,
    alt_type: str | None,
    sandbox: bool,
    sandbox_seed: Path | None,
) -> None:
    """Write a workbook for template NAME (a name or a TOML file) to fill in.

    It has the template's headers, a drop-down on the method column, date and amount formats,
    and an Instructions sheet. With --open-invoices it lists the location's open invoices,
    each with its client, dates and balance, so only the payments need typing.

    \b
    Example:
      importer template new card-terminal -o terminal-2026-11.xlsx
      importer template new default --open-invoices --due-until 2026-11-30 -o november.xlsx
    """
    chosen = _template(name)
    if output.suffix.lower() != ".xlsx":
        raise Abort(f"{output}: the workbook's name must end in .xlsx.")
    if output.exists():
        raise Abort(f"{output} already exists: choose another name, or delete it first.")
    invoices: list[Invoice] = []
    if open_invoices:
        with ExitStack() as stack:
            connection = _connection(
                stack,
                sandbox=sandbox,
                sandbox_seed=sandbox_seed,
                api_url=api_url,
                location_id=location_id,
                alt_type=alt_type,
            )
            try:
                invoices = asyncio.run(
                    _open_invoices(
                        *connection,
                        due_from=due_from.date() if due_from else None,
                        due_until=due_until.date() if due_until else None,
                        client_name=client_name,
                    )
                )
            except ImporterError as error:
                raise Abort(str(error)) from None
        click.echo(f"{len(invoices)} open invoices listed.")
    try:
        write_blank_workbook(chosen, output, invoices=invoices)
    except OSError as error:
        raise Abort(f"{output}: cannot write the workbook ({error.strerror}).") from None
    click.echo(f"Wrote {output} for the {chosen.name} template. Fill in the Payments sheet, then:")
    click.echo(f"  importer validate {output} --template {name}")


@cli.command(epilog="\b\nExit codes:\n  0  stopped with Ctrl-C\n  2  could not start")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, help="Port to listen on.")
@click.option(
    "--seed",
    type=click.Path(path_type=Path),
    help="Invoices to serve (default: those of samples/sandbox-invoices.json).",
)
@click.option("--token", help="The token the sandbox accepts (default: sandbox-token).")
@click.option(
    "--rate-limit",
    default="100/10s",
    show_default=True,
    help="Requests per window per location, such as 25/10s, or off.",
)
@click.option(
    "--faults",
    metavar="NAME=P,...",
    help="Make requests fail at random: error (500), throttle (429), timeout (recorded, "
    "answered late), drop (recorded, connection closed), late (held, then recorded and "
    "answered, after the importer may have given up), e.g. error=0.1,timeout=0.05,late=0.05.",
)
@click.option("--fault-seed", type=int, help="Seed for the faults, to repeat a rehearsal.")
@click.option(
    "--fault-delay",
    metavar="SECONDS",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Seconds a timeout fault holds its answer back, and a late fault its request.",
)
@click.option(
    "--latency",
    metavar="MS",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Milliseconds added to every request, like a real network.",
)
@click.option(
    "--daily-limit",
    type=click.IntRange(min=1),
    default=200_000,
    show_default=True,
    help="Requests a day, to rehearse a run that meets the daily limit.",
)
def sandbox(
    host: str,
    port: int,
    seed: Path | None,
    token: str | None,
    rate_limit: str,
    faults: str | None,
    fault_seed: int | None,
    fault_delay: float,
    latency: float,
    daily_limit: int,
) -> None:
    """Serve a local copy of the HighLevel invoices API to rehearse imports against.

    \b
    Example:
      importer sandbox --port 8787
      HIGHLEVEL_TOKEN=sandbox-token HIGHLEVEL_LOCATION_ID=hYb3kQ9sLmN2pR4tVw6x \\
        importer run samples/payments.csv --api-url http://127.0.0.1:8787 --yes
      importer sandbox --faults error=0.1,throttle=0.05,timeout=0.05,drop=0.05 --fault-seed 7
    """
    from importer.sandbox import (
        DEFAULT_TOKEN,
        RandomFaults,
        Sandbox,
        parse_fault_odds,
        parse_rate_limit,
        serve,
    )

    seed = seed or SAMPLE_SEED
    if not seed.is_file():
        raise Abort(f"{seed}: no such seed file.")
    try:
        parse_rate_limit(rate_limit)
    except ValueError as error:
        raise Abort(f"--rate-limit: {error}") from None
    plan: RandomFaults | None = None
    if faults or latency:
        try:
            odds = parse_fault_odds(faults or "")
        except ValueError as error:
            raise Abort(f"--faults: {error}") from None
        plan = RandomFaults(odds, seed=fault_seed, delay=fault_delay, latency=latency / 1000)
    try:
        location = Sandbox(seed, token=token or DEFAULT_TOKEN, rate_limit=rate_limit).location_id
    except (ValueError, OSError) as error:
        raise _seed_problem(seed, error) from None

    def announce(url: str) -> None:
        click.echo(f"Sandbox API on {url} for location {location}.")
        if token is None:
            click.echo(f"It accepts the token {DEFAULT_TOKEN}. Stop it with Ctrl-C.")
        else:
            click.echo("It accepts the token given with --token. Stop it with Ctrl-C.")

    try:
        serve(
            seed,
            host=host,
            port=port,
            token=token or DEFAULT_TOKEN,
            rate_limit=rate_limit,
            daily_limit=daily_limit,
            faults=plan,
            on_listening=announce,
        )
    except KeyboardInterrupt:
        pass
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise Abort(
            f"Cannot listen on {host}:{port} ({reason}): choose another --port or --host."
        ) from None


def _journal_to_read(command: Any) -> Any:
    """--journal, for ``runs`` and each of its subcommands alike."""
    return click.option(
        "--journal",
        "journal_path",
        metavar="PATH",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The journal to read (default: IMPORTER_JOURNAL or your data folder).",
    )(command)


@cli.group(
    invoke_without_command=True,
    epilog="\b\nExit codes:\n  0  listed\n  2  the journal could not be read",
)
@_journal_to_read
@click.pass_context
def runs(ctx: click.Context, journal_path: Path | None) -> None:
    """List past runs: when, who, which file, and what became of its rows.

    \b
    Example:
      importer runs
      importer runs show 12
      importer runs settle 12 7 --recorded
    """
    ctx.obj = journal_path or default_journal_path()
    if ctx.invoked_subcommand is not None:
        return
    with _open_journal(ctx.obj) as journal:
        found = [
            (record, journal.outcome_of(record), journal.run_money(record.id))
            for record in journal.history.runs()
        ]
    if not found:
        click.echo(f"No runs yet in {ctx.obj}.")
        return
    click.echo("  ID  Started                  By  File (SHA-256)  Outcome  Rows  Recorded")
    for record, outcome, money in found:
        counts = _counts(record.counts) or (
            f"journal: {_counts(money.held)}" if money.held else "-"
        )
        click.echo(
            f"{record.id:>4}  {record.started_at}  {record.user}  {Path(record.file).name} "
            f"({record.file_sha256[:12]})  {outcome}  {counts}  {_amounts(money.recorded) or '-'}"
        )


def _counts(counts: dict[str, int] | dict[PaymentState, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in counts.items())


def _amounts(money: dict[str, Money]) -> str:
    """'USD 2054.75, EUR 10.00'; an amount whose currency an older journal did not keep, alone."""
    return ", ".join(f"{currency} {m.total:.2f}".strip() for currency, m in money.items())


@runs.command("show", epilog="\b\nExit codes:\n  0  shown\n  2  no such run, or no journal to read")
@click.argument("run_id", metavar="ID", type=int)
@click.option(
    "--results",
    "results_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the run's results file again, from the journal (after a crash).",
)
@_journal_to_read
@click.pass_obj
def runs_show(
    journal_at: Path, run_id: int, results_path: Path | None, journal_path: Path | None
) -> None:
    """Show one run: its file and checksum, counts, totals, and every row's outcome.

    \b
    Example:
      importer runs show 12
      importer runs show 12 --results deposit.results.xlsx
    """
    journal_at = journal_path or journal_at
    with _open_journal(journal_at) as journal:
        record = journal.history.run(run_id)
        if record is None:
            raise Abort(f"No run {run_id} in the journal at {journal_at}; see: importer runs")
        outcome = journal.outcome_of(record)
        money = journal.run_money(run_id)
        rows = journal.history.run_rows(run_id)
        sent = journal.ledger.run_payments(run_id) if not rows else []
        by_hand = journal.ledger.hand_settlements(run_id)
    click.echo(f"Run {record.id}: {outcome}")
    click.echo(f"Started:  {record.started_at} by {record.user}")
    click.echo(f"Finished: {record.finished_at or 'did not finish (the next run checks it)'}")
    click.echo(f"File:     {record.file}")
    click.echo(f"SHA-256:  {record.file_sha256}")
    click.echo(f"Location: {record.location_id} at {record.api_url}")
    if rows:
        click.echo(f"Rows:     {_counts(record.counts) or '-'}")
    else:
        # Killed, or stopped at once: no row outcomes were written, the journal's payments
        # say what it sent.
        held = f"; the journal holds {_counts(money.held)}" if money.held else ""
        why = "the run is going on" if outcome == "running" else "the run did not finish"
        click.echo(f"Rows:     not written, {why}{held}")
    click.echo(f"Recorded: {_amounts(money.recorded) or 'nothing'}")
    if money.skipped:
        skipped = sum(m.count for m in money.skipped.values())
        click.echo(
            f"Skipped:  {_amounts(money.skipped)} ({skipped} payments recorded by earlier runs)"
        )
    if record.message:
        click.echo(f"Stopped:  {record.message}")
    for row in rows:
        message = f"  {row.message}" if row.message else ""
        click.echo(f"  row {row.row}: {row.status} {row.amount} {row.invoice_id}{message}")
    for entry in sent:
        message = f"  {entry.message}" if entry.message else ""
        click.echo(
            f"  row {entry.row}: {entry.state} {entry.amount:.2f} {entry.invoice_id}{message}"
        )
    for hand in by_hand:
        found = "recorded" if hand.recorded else "not recorded"
        click.echo(
            f"Settled by hand: row {hand.row} found {found} in HighLevel by {hand.user} on "
            f"{hand.at} (it was {hand.was})."
        )
    if results_path is not None:
        with _open_journal(journal_at) as journal:
            try:
                rebuild_results(journal, run_id, results_path)
            except ImporterError as error:
                raise Abort(str(error)) from None
        click.echo(f"Results rebuilt from the journal: {results_path}")


@runs.command(
    "settle",
    epilog="\b\nExit codes:\n  0  settled\n  2  no such payment in doubt, or the journal could "
    "not be used",
)
@click.argument("run_id", metavar="ID", type=int)
@click.argument("row", metavar="ROW", type=int)
@click.option(
    "--recorded/--not-recorded",
    "recorded",
    default=None,
    help="What you found on the invoice in HighLevel: the payment is there (the next run skips "
    "it), or it is not (the next run sends it).",
)
@_journal_to_read
@click.pass_obj
def runs_settle(
    journal_at: Path, run_id: int, row: int, recorded: bool | None, journal_path: Path | None
) -> None:
    """Record what you found in HighLevel for a payment left unknown.

    Use it when a row stays unknown because the importer cannot tell whether its payment
    reached the invoice: look at the invoice in HighLevel, then say what you saw. ID and ROW
    are the run and row the row's message names. The journal keeps who said so and when.

    \b
    Example:
      importer runs settle 12 7 --recorded
      importer runs settle 12 7 --not-recorded
    """
    if recorded is None:
        raise click.UsageError("Say what you found on the invoice: --recorded or --not-recorded.")
    where = journal_path or journal_at
    if not where.is_file():
        raise Abort(f"No journal at {where}: nothing has been recorded from this computer yet.")
    try:
        # Exclusive: an import running with this journal may be sending this very payment.
        with Journal.open(where, exclusive=True) as journal:
            settled = journal.ledger.settle_by_hand(run_id, row, recorded=recorded)
            held = journal.ledger.payment_at(run_id, row) if settled is None else None
    except ImporterError as error:
        raise Abort(str(error)) from None
    if settled is None:
        if held is None:
            raise Abort(
                f"Run {run_id} holds no payment from row {row} in the journal at {where}; "
                f"see: importer runs show {run_id}"
            )
        raise Abort(
            f"Run {run_id}, row {row} is not in doubt (the journal says {held.state}); "
            "nothing was changed."
        )
    found, then = (
        ("recorded", "the next run skips it")
        if recorded
        else ("not recorded", "the next run sends it")
    )
    click.echo(
        f"Run {run_id}, row {row}: {found} in HighLevel, as {settled.user} found on "
        f"{settled.at}; {then}."
    )


def _open_journal(path: Path) -> Journal:
    if not path.is_file():
        raise Abort(f"No journal at {path}: nothing has been recorded from this computer yet.")
    try:
        return Journal.open(path)
    except ImporterError as error:
        raise Abort(str(error)) from None


@cli.command(epilog="\b\nExit codes:\n  0  everything is ready\n  1  some check failed")
@_api_options
@click.option(
    "--journal",
    "journal_path",
    metavar="PATH",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The journal to check (default: IMPORTER_JOURNAL or your data folder).",
)
def doctor(
    api_url: str | None, location_id: str | None, alt_type: str | None, journal_path: Path | None
) -> None:
    """Check the settings, the token, its access and the rate budget; record nothing.

    \b
    Example:
      importer doctor
    """
    flags = {"api_url": api_url, "location_id": location_id, "alt_type": alt_type}
    env_file = Path(".env")
    try:
        settings = load_settings(env_file=env_file, **flags)
    except ImporterError as error:
        # Still a verdict, with the checks that need no settings.
        checks = [Check("settings", False, str(error))]
    else:
        checks = settings_checks(settings, flags=flags, env_file=env_file)
    if all(check.ok is not False for check in checks):
        token, location = settings.require_credentials()
        checks += asyncio.run(_doctor_api(settings.api_url, token, location, settings.alt_type))
    checks.append(journal_check(journal_path or default_journal_path()))
    checks += version_checks()
    for check in checks:
        click.echo(check.line())
    ready = all(check.ok is not False for check in checks)
    click.echo("Ready to import." if ready else "Not ready: fix what is marked FAIL above.")
    sys.exit(EXIT_DONE if ready else EXIT_SOME_NOT_DONE)


async def _doctor_api(base_url: str, token: SecretStr, location: str, alt: str) -> list[Check]:
    async with HighLevelClient(
        base_url=base_url, token=token, location_id=location, alt_type=alt, timeout=15.0
    ) as client:
        return await api_checks(client)


def main() -> None:
    """Console entry point."""
    cli(prog_name="importer")
