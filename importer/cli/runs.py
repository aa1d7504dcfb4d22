"""``importer runs``: past runs from the journal, one run row by row, and payments settled by
hand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from importer.errors import JournalError

if TYPE_CHECKING:
    from importer.journal.journal import Journal, RunMoney
    from importer.journal.ledger import Money
    from importer.journal.runs import RunRecord
    from importer.status import PaymentState, RunOutcome


def _journal_to_read(command: Any) -> Any:
    """--journal, for ``runs`` and each of its subcommands alike."""
    return click.option(
        "--journal",
        "journal_path",
        metavar="PATH",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The journal to read (default: IMPORTER_JOURNAL or your data folder).",
    )(command)


@click.group(
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
    from importer.journal.journal import default_journal_path

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
    real = [run for run in found if not run[0].rehearsal]
    rehearsals = [run for run in found if run[0].rehearsal]
    if real:
        _list_runs(real)
    if rehearsals:
        if real:
            click.echo()
        click.echo("Rehearsals (against a sandbox; they never count for real runs):")
        _list_runs(rehearsals)


def _list_runs(found: list[tuple[RunRecord, RunOutcome, RunMoney]]) -> None:
    from importer.status import RowStatus
    from importer.words import money_heading, run_outcome_word

    recorded = money_heading(RowStatus.RECORDED).word.capitalize()
    click.echo(f"  ID  Started                  By  File (SHA-256)  Outcome  Rows  {recorded}")
    for record, outcome, money in found:
        counts = _counts(record.counts) or (
            f"journal: {_states(money.held)}" if money.held else "-"
        )
        click.echo(
            f"{record.id:>4}  {record.started_at}  {record.user}  {Path(record.file).name} "
            f"({record.file_sha256[:12]})  {run_outcome_word(outcome).lower()}  {counts}  "
            f"{_amounts(money.recorded) or '-'}"
        )


def _counts(counts: dict[str, int]) -> str:
    """'30 recorded, 3 already recorded': a run's rows by status, in people's words."""
    from importer.words import status_word

    return ", ".join(f"{n} {status_word(status).lower()}" for status, n in counts.items())


def _states(counts: dict[PaymentState, int]) -> str:
    """'2 recorded, 1 being sent': the journal's payments by state, in people's words."""
    from importer.words import payment_state_word

    return ", ".join(f"{n} {payment_state_word(state).lower()}" for state, n in counts.items())


def _amounts(money: dict[str, Money]) -> str:
    """'5 payments for USD 2,054.75, 1 payment for EUR 10.00'; an amount whose currency an
    older journal did not keep, without one."""
    from importer.words import amount_text, plural

    return ", ".join(
        f"{plural(m.count, 'payment')} for {f'{currency} ' if currency else ''}"
        f"{amount_text(m.total, currency)}"
        for currency, m in money.items()
    )


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
            raise JournalError(
                f"No run {run_id} in the journal at {journal_at}; see: importer runs"
            )
        outcome = journal.outcome_of(record)
        money = journal.run_money(run_id)
        rows = journal.history.run_rows(run_id)
        sent = journal.ledger.run_payments(run_id) if not rows else []
        by_hand = journal.ledger.hand_settlements(run_id)
    from importer.status import RowStatus
    from importer.words import (
        invoice_status_word,
        money_heading,
        payment_state_word,
        run_outcome_word,
        status_word,
    )

    click.echo(f"Run {record.id}: {run_outcome_word(outcome).lower()}")
    click.echo(f"Started:  {record.started_at} by {record.user}")
    click.echo(f"Finished: {record.finished_at or 'did not finish (the next run checks it)'}")
    click.echo(f"File:     {record.file}")
    click.echo(f"SHA-256:  {record.file_sha256}")
    rehearsal = " (a rehearsal against a sandbox)" if record.rehearsal else ""
    click.echo(f"Location: {record.location_id} at {record.api_url}{rehearsal}")
    if rows:
        click.echo(f"Rows:     {_counts(record.counts) or '-'}")
    else:
        # Killed, or stopped at once: no row outcomes were written, the journal's payments
        # say what it sent.
        held = f"; the journal holds {_states(money.held)}" if money.held else ""
        why = "the run is going on" if outcome == "running" else "the run did not finish"
        click.echo(f"Rows:     not written, {why}{held}")
    recorded = money_heading(RowStatus.RECORDED).word.capitalize()
    click.echo(f"{recorded}: {_amounts(money.recorded) or 'nothing'}")
    if money.skipped:
        earlier = money_heading(RowStatus.SKIPPED).word.capitalize()
        click.echo(f"{earlier}: {_amounts(money.skipped)} (skipped: not sent again)")
    if record.message:
        click.echo(f"Stopped:  {record.message}")
    for row in rows:
        invoice = row.invoice.number or row.invoice_id
        parts = [
            status_word(row.status),
            row.amount,
            f"invoice {invoice}" if invoice else "",
            invoice_status_word(row.invoice.status).lower(),
        ]
        message = f": {row.message}" if row.message else ""
        click.echo(f"  Row {row.row}: {', '.join(p for p in parts if p)}{message}")
    for entry in sent:
        message = f": {entry.message}" if entry.message else ""
        invoice = entry.invoice.number or entry.invoice_id
        click.echo(
            f"  Row {entry.row}: {payment_state_word(entry.state)}, {entry.amount:.2f}, "
            f"invoice {invoice}{message}"
        )
    for hand in by_hand:
        found = "recorded" if hand.recorded else "not recorded"
        click.echo(
            f"Settled by hand: row {hand.row} found {found} in HighLevel by {hand.user} on "
            f"{hand.at} (it was {hand.was})."
        )
    if results_path is not None:
        from importer.output.rebuild import rebuild_results
        from importer.output.results import moved_note

        with _open_journal(journal_at) as journal:
            written = rebuild_results(journal, run_id, results_path)
        if written != results_path:
            click.echo(moved_note(results_path, written))
        click.echo(f"Results rebuilt from the journal: {written}")


@runs.command(
    "settle",
    epilog="\b\nExit codes:\n  0  settled\n  2  no such payment in doubt, or the journal could "
    "not be used",
)
@click.argument("run_id", metavar="ID", type=int)
@click.argument("row", metavar="ROW", type=int)
@click.option(
    "--invoice",
    metavar="NUMBER",
    help="Which invoice, for a row that pays several: its number (or id), as the message says.",
)
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
    journal_at: Path,
    run_id: int,
    row: int,
    invoice: str | None,
    recorded: bool | None,
    journal_path: Path | None,
) -> None:
    """Record what you found in HighLevel for a payment left unknown.

    Use it when a row stays unknown because the importer cannot tell whether its payment
    reached the invoice: look at the invoice in HighLevel, then say what you saw. ID and ROW
    are the run and row the row's message names. The journal keeps who said so and when.

    \b
    Example:
      importer runs settle 12 7 --recorded
      importer runs settle 12 7 --not-recorded
      importer runs settle 12 7 --invoice INV-2025 --recorded
    """
    from importer.journal.settle import settle_payment, settled_words

    if recorded is None:
        raise click.UsageError("Say what you found on the invoice: --recorded or --not-recorded.")
    settled = settle_payment(
        journal_path or journal_at, run_id, row, recorded=recorded, invoice=invoice
    )
    click.echo(settled_words(settled))


def _open_journal(path: Path) -> Journal:
    from importer.journal.journal import Journal

    if not path.is_file():
        raise JournalError(
            f"No journal at {path}: nothing has been recorded from this computer yet."
        )
    return Journal.open(path)
