"""``importer match``: a bank statement's proposed invoices, written for a person to confirm."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from importer.cli.options import (
    EXIT_DONE,
    EXIT_SOME_NOT_DONE,
    api_options,
    file_argument,
    reading_options,
    sandbox_options,
)

if TYPE_CHECKING:
    from decimal import Decimal

    from importer.choices import ReadingChoices
    from importer.connection import Connection
    from importer.statements import Proposals


@click.command(
    epilog="\b\nExit codes:\n  0  the proposals file is written, every line read\n"
    "  1  it is written, and some line could not be read (its Why says why)\n"
    "  2  the statement could not be read, or the open invoices could not be listed"
)
@file_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The proposals file: .xlsx or .csv (default: STATEMENT.matches.xlsx beside it).",
)
@click.option(
    "--tolerance",
    metavar="AMOUNT",
    help="Take amounts within this much of what an invoice owes as equal (the difference is "
    "stated); exact by default.",
)
@api_options
@sandbox_options("Match against the bundled sandbox's invoices.")
@reading_options
def match(
    file: Path,
    reading: ReadingChoices,
    output: Path | None,
    tolerance: str | None,
    api_url: str | None,
    location_id: str | None,
    alt_type: str | None,
    sandbox: bool,
    sandbox_seed: Path | None,
) -> None:
    """Propose the invoice each payment of a bank STATEMENT pays, for you to confirm.

    Reads the statement (debits, fees and balances are passed over), lists the open invoices
    once, and writes every line with the columns Invoice, Match (sure, likely, several or
    none), Why and Accept (yes for sure lines only). Nothing is recorded: check the file,
    correct an Invoice or write yes in Accept, then give it to importer run.

    \b
    Example:
      importer match statement-november.csv
      importer run statement-november.matches.xlsx
    """
    from importer.cli.render import connected
    from importer.output.files import ensure_writable
    from importer.output.proposals import (
        check_proposals_path,
        default_proposals_path,
        write_proposals,
    )

    allowed = _tolerance(tolerance)
    if output is not None:
        check_proposals_path(output, file)
    path = output or default_proposals_path(file)
    ensure_writable(path, what="the proposals file", flag="-o")
    with connected(
        sandbox=sandbox,
        sandbox_seed=sandbox_seed,
        api_url=api_url,
        location_id=location_id,
        alt_type=alt_type,
    ) as connection:
        proposals = asyncio.run(_propose(file, reading, connection, allowed))
    write_proposals(path, proposals.file())
    _report(proposals, path)
    sys.exit(EXIT_SOME_NOT_DONE if proposals.read.problems else EXIT_DONE)


async def _propose(
    file: Path, reading: ReadingChoices, connection: Connection, tolerance: Decimal
) -> Proposals:
    from importer.statements import propose_matches

    async with connection.client() as client:
        return await propose_matches(file, reading, client, tolerance=tolerance)


def _tolerance(text: str | None) -> Decimal:
    from decimal import Decimal

    from importer.check.values import UnreadableValue, parse_amount
    from importer.errors import ConfigurationError

    if text is None:
        return Decimal(0)
    try:
        allowed = parse_amount(text.strip())
    except UnreadableValue:
        allowed = Decimal(-1)
    if allowed < 0:
        raise ConfigurationError(
            f"--tolerance {text!r}: write the difference allowed as an amount, such as 0.50."
        )
    return allowed


def _report(proposals: Proposals, path: Path) -> None:
    from importer.output.problems import problem_table

    for note in proposals.statement.notes:
        click.echo(note)
    for line in problem_table(proposals.read.problems):
        click.echo(line)
    for line in proposals.summary():
        click.echo(line)
    click.echo(f"Proposals: {path}")
    click.echo(
        "Check each line's Invoice and Accept (yes is filled in for sure lines only), then "
        f"record the accepted lines with: importer run {path}"
    )
