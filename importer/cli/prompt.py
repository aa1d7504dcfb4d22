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
    totals = ", ".join(f"{currency} {total:,.2f}" for currency, total in plan.totals.items())
    click.echo(
        f"About to record {plan.payment_count} payments ({totals}) in location {plan.location_id}."
    )
    if plan.payer_payments != plan.payment_count:
        click.echo(
            f"They are {plan.payer_payments} payments of your file: one that covers several "
            "invoices is recorded as one payment on each."
        )
    if plan.blocked_rows:
        click.echo(f"{plan.blocked_rows} rows will not be sent; the results file says why.")
    return confirm("Record them now?")


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
