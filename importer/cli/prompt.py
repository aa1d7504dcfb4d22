"""Yes-or-no questions on the terminal, no by default, that always hear Ctrl-C."""

from __future__ import annotations

import select
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from importer.importing import Plan


def ask(plan: Plan) -> bool:
    """Say what the run is about to record, and ask whether to go on."""
    for line in plan_lines(plan):
        click.echo(line)
    return confirm("Record them now?")


def plan_lines(plan: Plan) -> list[str]:
    """What the run is about to record, in lines for the terminal."""
    from importer.review import about_to_record

    return about_to_record(plan)


def confirm(question: str) -> bool:
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
    # the process's threads (the sandbox's, the resolver's), and Python runs its handler only
    # when the main thread wakes. One long read would sleep through Ctrl-C.
    if sys.platform != "win32" and sys.stdin.isatty():
        while not select.select([sys.stdin], [], [], 0.2)[0]:
            pass
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line
