"""``importer validate``: the file checked on its own, every problem listed; no network."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from importer.cli.options import (
    EXIT_DONE,
    EXIT_SOME_NOT_DONE,
    file_argument,
    reading_options,
    today,
)

if TYPE_CHECKING:
    from importer.choices import ReadingChoices


@click.command(
    epilog="\b\nExit codes:\n  0  every row is valid\n  1  some row is not\n"
    "  2  the file could not be read"
)
@file_argument
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Write every problem to this file: .xlsx for a workbook, otherwise CSV.",
)
@click.option(
    "--allow-duplicates", is_flag=True, help="Do not flag rows that repeat an earlier row."
)
@reading_options
def validate(
    file: Path,
    reading: ReadingChoices,
    report_path: Path | None,
    allow_duplicates: bool,
) -> None:
    """Check FILE locally, without the network, and list every problem.

    Prints the first 20 problems and how many there are of each kind; --report writes them all.

    \b
    Example:
      importer validate deposit-2026-10.xlsx --report problems.xlsx
      importer validate statement.csv --template bank-transfer
    """
    from importer.importing import open_file
    from importer.output.problems import problem_table, write_report
    from importer.words import plural

    opened = open_file(file, reading, today=today(), allow_duplicates=allow_duplicates)
    total_note = opened.total_note
    for note in (
        *opened.file.notes,
        *opened.template_notes,
        *((total_note,) if total_note else ()),
    ):
        click.echo(note)
    for note in opened.validation.column_notes:
        click.echo(note)
    problems = opened.validation.problems
    for line in problem_table(problems):
        click.echo(line)
    if report_path is not None:
        write_report(report_path, problems)
    rows = len(opened.file.rows)
    bad = len(opened.validation.invalid_rows)
    # A bank statement's lines not accepted, or that are no money received, are neither.
    passed = len(opened.validation.passed_over)
    aside = f", {passed} passed over (not accepted, or not a payment)" if passed else ""
    click.echo(
        f"{plural(rows, 'row')} checked: {rows - bad - passed} ready, {bad} with problems{aside}."
    )
    if report_path is not None:
        click.echo(f"Report: {report_path}")
    elif bad:
        click.echo("To get every problem in a file, add --report problems.xlsx (or .csv).")
    sys.exit(EXIT_SOME_NOT_DONE if bad else EXIT_DONE)
