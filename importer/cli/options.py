"""What the commands share: their options, the day they check dates against, and Abort."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from importer.check.values import DATE_FORMATS

if TYPE_CHECKING:
    from importer.importing import ReadingChoices

EXIT_DONE, EXIT_SOME_NOT_DONE, EXIT_STOPPED = 0, 1, 2
EXIT_INTERRUPTED = 130
# As a shell reports a process ended by SIGTERM (128 + 15) or SIGHUP (128 + 1): a run so
# stopped finishes the payments in flight and writes its results first.
EXIT_TERMINATED, EXIT_HUNG_UP = 143, 129
EXIT_CODES_HELP = (
    "\b\nExit codes:\n  0  every row recorded or skipped\n  1  some row not recorded\n"
    "  2  the run could not start or had to stop\n  130  interrupted with Ctrl-C\n"
    "  143  stopped by SIGTERM (a service manager, a logout)\n  129  stopped by SIGHUP (the "
    "terminal closed)"
)


class Abort(click.ClickException):
    """A command that cannot start or must stop: one line on stderr, exit 2."""

    exit_code = EXIT_STOPPED

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


class Interrupted(Abort):
    """Ctrl-C twice: stopped at once, without waiting for payments in flight."""

    exit_code = EXIT_INTERRUPTED


class Terminated(Interrupted):
    """SIGTERM before anything was sent: stopped at once."""

    exit_code = EXIT_TERMINATED


class HungUp(Interrupted):
    """SIGHUP before anything was sent: stopped at once."""

    exit_code = EXIT_HUNG_UP


def today() -> date:
    """Today, or the day given as the context's obj, so that fixed sample dates never age."""
    given = click.get_current_context().find_object(date)
    return given if given is not None else date.today()


def file_argument(command: Any) -> Any:
    """FILE, the payments file. Not readable=True: the loader says why a file cannot be
    read, in one line, rather than click's usage error."""
    return click.argument("file", type=click.Path(path_type=Path, readable=False))(command)


def reading_options(takes_reading: Any) -> Any:
    """The options that say how to read the payments file, shared by run and validate, given
    to the command as one ``reading`` (a ReadingChoices)."""

    @functools.wraps(takes_reading)
    def with_reading(
        *args: Any,
        template_name: str | None,
        sheet: str | None,
        encoding: str | None,
        delimiter: str | None,
        decimal: str | None,
        date_format: str | None,
        max_size_mb: float,
        **kwargs: Any,
    ) -> Any:
        reading = reading_choices(
            kwargs["file"],
            template_name,
            sheet=sheet,
            encoding=encoding,
            delimiter=delimiter,
            decimal=decimal,
            date_format=date_format,
            max_size_mb=max_size_mb,
        )
        return takes_reading(*args, reading=reading, **kwargs)

    command = with_reading
    for option in reversed(
        [
            click.option(
                "--template",
                "template_name",
                metavar="NAME|PATH",
                help="Column mapping: a built-in or saved name (see importer templates) or your "
                "own .toml file (default: the one that fits the file).",
            ),
            click.option(
                "--sheet",
                help="The sheet to read, by name or number (default: the first whose columns fit).",
            ),
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


def api_options(command: Any) -> Any:
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


def sandbox_options(what: str) -> Callable[[Any], Any]:
    """--sandbox (doing ``what``) and --sandbox-seed: the bundled sandbox instead of the API."""

    def add(command: Any) -> Any:
        command = click.option(
            "--sandbox-seed",
            type=click.Path(path_type=Path),
            help="Invoices for the sandbox (default: those of samples/sandbox-invoices.json).",
        )(command)
        return click.option("--sandbox", is_flag=True, help=what)(command)

    return add


def journal_option(help: str) -> Callable[[Any], Any]:
    """--journal PATH."""
    return click.option(
        "--journal",
        "journal_path",
        metavar="PATH",
        type=click.Path(path_type=Path, dir_okay=False),
        help=help,
    )


def reading_choices(file: Path, template_name: str | None, **options: Any) -> ReadingChoices:
    """How to read FILE: the template named (built-in, saved or a file), else none, for the
    importer to read FILE with the one saved for its headers or the one that fits it; and
    the reading options as given."""
    from importer.check.saved import saved_templates_dir, template_named
    from importer.check.template_files import load_template
    from importer.check.templates import TEMPLATES_DIR
    from importer.importing import ReadingChoices

    reading = ReadingChoices(**options)
    if template_name is None:
        return reading
    builtin = (TEMPLATES_DIR / f"{template_name}.toml").is_file()
    saved = None if builtin else template_named(template_name, saved_templates_dir())
    return dataclasses.replace(reading, template=saved or load_template(template_name))
