"""How a run's report reads on the terminal: notes, the rows to look at, the summary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from importer.connection import Connection
    from importer.importing import ImportReport

SHOWN_PROBLEMS = 20


@contextmanager
def connected(
    *,
    sandbox: bool,
    sandbox_seed: Path | None,
    api_url: str | None = None,
    location_id: str | None = None,
    alt_type: str | None = None,
) -> Iterator[Connection]:
    """The command's connection (``importer.connection.connect``), once it has said where the
    token goes: every command that reaches the API says so before anything is sent."""
    from importer.connection import connect

    with connect(
        sandbox=sandbox,
        sandbox_seed=sandbox_seed,
        api_url=api_url,
        location_id=location_id,
        alt_type=alt_type,
    ) as connection:
        say_where(connection)
        yield connection


def say_where(connection: Connection) -> None:
    """Where the token is about to go, and from which settings, before anything is sent."""
    for note in connection.notes():
        click.echo(note, err=True)
    for warning in connection.warnings():
        click.echo(f"Warning: {warning}", err=True)


def print_report(report: ImportReport, *, sandbox: bool) -> None:
    """Everything the user should read after a run, results file last."""
    for note in report.notes:
        click.echo(note)
    from importer.words import status_word

    # Rows that say the same thing (30 not sent after a declined canary) take one line.
    alike: dict[tuple[str, str], list[int]] = {}
    for result in report.rows_to_show():
        word = status_word(result.status)
        # "Not sent: Not sent: the run was stopped" says it once.
        key = (word, result.message.removeprefix(f"{word}: "))
        alike.setdefault(key, []).append(result.source.number)
    lines = [
        f"{rows_named(numbers)}: {status}: {message}"
        for (status, message), numbers in alike.items()
    ]
    for line in lines[:SHOWN_PROBLEMS]:
        click.echo(line)
    if len(lines) > SHOWN_PROBLEMS:
        left = sum(len(numbers) for numbers in list(alike.values())[SHOWN_PROBLEMS:])
        click.echo(f"... and {left} more rows; the results file lists them all.")
    for line in report.headline():
        click.echo(line)
    for line in report.summary.lines():
        click.echo(line)
    if report.results_written:
        where = " (sandbox)" if sandbox else ""
        click.echo(f"Results{where}: {report.results_path}")


def rows_named(numbers: list[int]) -> str:
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


def rewrite_advice(report: ImportReport, journal_at: Path | str) -> str:
    """How to get the results file a run could not write: from its journal, or by a re-run."""
    from importer.errors import JournalFull
    from importer.journal.journal import default_journal_path

    if report.results_written:
        return ""
    if report.run_id is None:
        return " Nothing was sent by this run: run it again with --results PATH."
    if journal_at == ":memory:":
        return (
            " This sandbox rehearsal kept its journal in memory: run it again with --results PATH."
        )
    journal = "" if journal_at == default_journal_path() else f" --journal {journal_at}"
    command = f"importer runs{journal} show {report.run_id} --results PATH"
    if isinstance(report.stopped, JournalFull):
        return (
            " Once there is room, write the results file from the journal with: "
            f"{command} (a payment whose outcome it could not keep shows as in doubt there)."
        )
    return (
        " The payments above are recorded and every row's outcome is in the journal; write "
        f"the results file from it with: {command}"
    )
