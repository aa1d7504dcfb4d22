"""The ``importer`` command: parse options, call the library, print, and pick the exit code.

Exit codes: 0 every row recorded or skipped; 1 some row not; 2 the run could not start or had
to stop (unreadable file, configuration, authentication, daily limit).
"""

from __future__ import annotations

import asyncio
import csv
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.errors import ImporterError
from importer.mapping import DEFAULT_TEMPLATE, Template
from importer.pipeline import ImportReport, Plan, RunOptions, check_file, file_notes, run_import
from importer.settings import load_settings
from importer.validate import describe
from importer.values import DATE_FORMATS

EXIT_DONE, EXIT_SOME_NOT_DONE, EXIT_STOPPED = 0, 1, 2
SAMPLE_SEED = Path(__file__).resolve().parent.parent / "samples" / "sandbox-invoices.json"
EXIT_CODES_HELP = (
    "\b\nExit codes:\n  0  every row recorded or skipped\n  1  some row not recorded\n"
    "  2  the run could not start or had to stop"
)


class Abort(click.ClickException):
    """A run that cannot start or must stop: one line on stderr, exit 2."""

    exit_code = EXIT_STOPPED

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


def _template(name: str | None) -> Template:
    if name in (None, "default"):
        return DEFAULT_TEMPLATE
    raise Abort(f"Unknown template {name!r}. The built-in template is 'default'.")


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
                type=click.Choice([".", ","]),
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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="importer")
def cli() -> None:
    """Record a spreadsheet of offline payments against HighLevel invoices."""


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--template", "template_name", help="Column mapping: a name or a TOML file.")
@click.option("--sheet", help="The sheet to read, by name or number (default: the first).")
@click.option(
    "--results", "results_path", type=click.Path(path_type=Path), help="Where to write results."
)
@click.option("--api-url", help="The API address (default: HIGHLEVEL_API_URL or HighLevel's).")
@click.option("--location-id", help="The location (sub-account) id; overrides the setting.")
@click.option("--alt-type", help="The API's altType: location (default) or account.")
@click.option("--sandbox", is_flag=True, help="Rehearse against the bundled sandbox API.")
@click.option(
    "--sandbox-seed",
    type=click.Path(path_type=Path),
    help="Invoices for the sandbox (default: samples/sandbox-invoices.json).",
)
@click.option(
    "--dry-run", is_flag=True, help="Check every row against its invoice; record nothing."
)
@click.option(
    "--yes", is_flag=True, help="Do not ask for confirmation (required without a terminal)."
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
    yes: bool,
    encoding: str | None,
    delimiter: str | None,
    decimal: str | None,
    date_format: str | None,
    max_size_mb: float,
) -> None:
    """Record the payments in FILE against their invoices and write a results file.

    \b
    Example:
      importer run deposit-2026-10.xlsx --dry-run
      importer run deposit-2026-10.xlsx
    """
    template = _template(template_name)
    if not (yes or dry_run or sys.stdin.isatty()):
        raise Abort("No terminal to ask for confirmation: add --yes to record without asking.")
    with ExitStack() as stack:
        if sandbox:
            from importer.sandbox import running_sandbox

            seed = sandbox_seed or SAMPLE_SEED
            if not seed.is_file():
                raise Abort(f"{seed}: no such sandbox seed file.")
            server = stack.enter_context(running_sandbox(seed))
            base_url, token, location = server.url, SecretStr(server.token), server.location_id
            alt = alt_type or "location"
        else:
            try:
                settings = load_settings(
                    api_url=api_url, location_id=location_id, alt_type=alt_type
                )
                token, location = settings.require_credentials()
            except ImporterError as error:
                raise Abort(str(error)) from None
            base_url, alt = settings.api_url, settings.alt_type
        options = RunOptions(
            template=template,
            sheet=sheet,
            results_path=results_path,
            dry_run=dry_run,
            confirm=(lambda _plan: True) if yes else _ask,
            encoding=encoding,
            delimiter=delimiter,
            decimal=decimal,
            date_format=date_format,
            max_size_mb=max_size_mb,
        )
        try:
            report = asyncio.run(_run(file, base_url, token, location, alt, options))
        except ImporterError as error:
            raise Abort(str(error)) from None
        except KeyboardInterrupt:
            raise Abort(
                "Interrupted. Payments sent before the interruption may be recorded: "
                "check the invoices before running again."
            ) from None
    _print_report(report, sandbox=sandbox)
    if report.stopped is not None:
        click.echo(f"Error: the run had to stop: {report.stopped}", err=True)
        sys.exit(EXIT_STOPPED)
    sys.exit(EXIT_DONE if report.all_done else EXIT_SOME_NOT_DONE)


async def _run(
    file: Path, base_url: str, token: SecretStr, location: str, alt: str, options: RunOptions
) -> ImportReport:
    async with HighLevelClient(
        base_url=base_url, token=token, location_id=location, alt_type=alt
    ) as client:
        return await run_import(file, client=client, options=options)


def _ask(plan: Plan) -> bool:
    totals = ", ".join(f"{currency} {total:,.2f}" for currency, total in plan.totals.items())
    click.echo(
        f"About to record {plan.payment_count} payments ({totals}) in location {plan.location_id}."
    )
    if plan.blocked_rows:
        click.echo(f"{plan.blocked_rows} rows will not be sent; the results file says why.")
    return click.confirm("Record them now?", default=False)


def _print_report(report: ImportReport, *, sandbox: bool) -> None:
    for note in report.notes:
        click.echo(note)
    for result in report.results:
        if result.status not in ("recorded", "ready", "skipped"):
            click.echo(f"Row {result.source.number}: {result.status}: {result.message}")
    if report.dry_run:
        click.echo("Dry run: nothing was recorded.")
    if report.declined:
        click.echo("Not confirmed: nothing was recorded.")
    for line in report.summary.lines():
        click.echo(line)
    where = " (sandbox)" if sandbox else ""
    click.echo(f"Results{where}: {report.results_path}")


@cli.command(
    epilog="\b\nExit codes:\n  0  every row is valid\n  1  some row is not\n"
    "  2  the file could not be read"
)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--template", "template_name", help="Column mapping: a name or a TOML file.")
@click.option("--sheet", help="The sheet to read, by name or number (default: the first).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Also write the problems to this CSV file.",
)
@_reading_options
def validate(
    file: Path,
    template_name: str | None,
    sheet: str | None,
    report_path: Path | None,
    encoding: str | None,
    delimiter: str | None,
    decimal: str | None,
    date_format: str | None,
    max_size_mb: float,
) -> None:
    """Check FILE locally, without the network, and list every problem.

    \b
    Example:
      importer validate deposit-2026-10.xlsx --report problems.csv
    """
    template = _template(template_name)
    try:
        payments_file, validation = check_file(
            file,
            template=template,
            sheet=sheet,
            encoding=encoding,
            delimiter=delimiter,
            decimal=decimal,
            date_format=date_format,
            max_size_mb=max_size_mb,
        )
    except ImporterError as error:
        raise Abort(str(error)) from None
    for note in file_notes(payments_file, template, decimal=decimal):
        click.echo(note)
    for problem in validation.problems:
        click.echo(describe(problem))
    if report_path is not None:
        with report_path.open("w", newline="", encoding="utf-8-sig") as stream:
            writer = csv.writer(stream)
            writer.writerow(["sheet", "row", "column", "code", "value", "message"])
            for p in validation.problems:
                writer.writerow([p.sheet, p.row, p.column, p.code, p.value, p.message])
    bad = len(validation.invalid_rows)
    click.echo(
        f"{len(payments_file.rows)} rows checked: {len(payments_file.rows) - bad} ready, "
        f"{bad} with problems."
    )
    sys.exit(EXIT_SOME_NOT_DONE if bad else EXIT_DONE)


@cli.command(epilog="\b\nExit codes:\n  0  stopped with Ctrl-C\n  2  could not start")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, help="Port to listen on.")
@click.option(
    "--seed",
    type=click.Path(path_type=Path),
    help="Invoices to serve (default: samples/sandbox-invoices.json).",
)
@click.option("--token", help="The token the sandbox accepts (default: sandbox-token).")
@click.option(
    "--rate-limit",
    default="100/10s",
    show_default=True,
    help="Requests per window per location, such as 25/10s, or off.",
)
def sandbox(host: str, port: int, seed: Path | None, token: str | None, rate_limit: str) -> None:
    """Serve a local copy of the HighLevel invoices API to rehearse imports against.

    \b
    Example:
      importer sandbox --port 8787
      HIGHLEVEL_TOKEN=sandbox-token importer run payments.csv --api-url http://127.0.0.1:8787
    """
    from importer.sandbox import DEFAULT_TOKEN, Sandbox, serve

    seed = seed or SAMPLE_SEED
    if not seed.is_file():
        raise Abort(f"{seed}: no such seed file.")
    try:
        location = Sandbox(seed, token=token or DEFAULT_TOKEN, rate_limit=rate_limit).location_id
    except (ValueError, OSError) as error:
        raise Abort(f"{seed}: {error}") from None
    click.echo(f"Sandbox API on http://{host}:{port} for location {location}.")
    if token is None:
        click.echo(f"It accepts the token {DEFAULT_TOKEN}. Stop it with Ctrl-C.")
    else:
        click.echo("It accepts the token given with --token. Stop it with Ctrl-C.")
    try:
        serve(seed, host=host, port=port, token=token or DEFAULT_TOKEN, rate_limit=rate_limit)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        raise Abort(f"Cannot listen on {host}:{port} ({error.strerror or error}).") from None


def main() -> None:
    """Console entry point."""
    cli(prog_name="importer")
