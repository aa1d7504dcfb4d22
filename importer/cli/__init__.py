"""The ``importer`` command: a thin door over the library; click lives only here.

Each command parses its options, calls the library, prints what comes back and picks the exit
code. What stops a command (an ``ImporterError``) becomes one line on stderr and exit code 2
here, in one place, for every command alike.

Exit codes: 0 every row recorded or skipped; 1 some row not; 2 the run could not start or had
to stop (unreadable file, configuration, authentication, daily limit); 130 interrupted (Ctrl-C).

The date checks compare with today; a caller (a test) may give another day as the ``obj`` of
the command's context: ``cli.main(args, obj=date(2026, 11, 24))``.

Library modules are imported inside the commands, so that ``importer --help`` starts at once.
"""

from __future__ import annotations

from typing import Any

import click

from importer.cli.options import Abort
from importer.errors import ImporterError

__all__ = ["cli", "main"]


class _Importer(click.Group):
    """The command group: an ImporterError from any command is one line and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ImporterError as error:
            raise Abort(str(error)) from None


@click.group(
    cls=_Importer,
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
    import stamina

    # stamina logs each scheduled retry; with no logging set up Python prints those records
    # raw on stderr, which means nothing to an accountant. Outcomes are in the results.
    stamina.instrumentation.set_on_retry_hooks([])


def main() -> None:
    """Console entry point."""
    cli(prog_name="importer")


from importer.cli.doctor import doctor  # noqa: E402  (the group first, then its commands)
from importer.cli.match import match  # noqa: E402
from importer.cli.run import run  # noqa: E402
from importer.cli.runs import runs  # noqa: E402
from importer.cli.sandbox import sandbox  # noqa: E402
from importer.cli.templates import template, templates  # noqa: E402
from importer.cli.ui import ui  # noqa: E402
from importer.cli.validate import validate  # noqa: E402

for _command in (run, match, validate, templates, template, sandbox, runs, doctor, ui):
    cli.add_command(_command)
