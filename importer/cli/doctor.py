"""``importer doctor``: is this machine ready to import? A verdict per check; nothing recorded."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from importer.cli.options import EXIT_DONE, EXIT_SOME_NOT_DONE, api_options, journal_option


@click.command(epilog="\b\nExit codes:\n  0  everything is ready\n  1  some check failed")
@api_options
@journal_option("The journal to check (default: IMPORTER_JOURNAL or your data folder).")
def doctor(
    api_url: str | None, location_id: str | None, alt_type: str | None, journal_path: Path | None
) -> None:
    """Check the settings, the token, its access and the rate budget; record nothing.

    \b
    Example:
      importer doctor
    """
    from importer.doctor import all_checks, ready
    from importer.journal.journal import default_journal_path

    flags = {"api_url": api_url, "location_id": location_id, "alt_type": alt_type}
    checks = asyncio.run(
        all_checks(flags=flags, journal_path=journal_path or default_journal_path())
    )
    for check in checks:
        click.echo(check.line())
    verdict = ready(checks)
    click.echo("Ready to import." if verdict else "Not ready: fix what is marked FAIL above.")
    sys.exit(EXIT_DONE if verdict else EXIT_SOME_NOT_DONE)
