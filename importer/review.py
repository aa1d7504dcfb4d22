"""A payments file as a person reviews it before anything is sent: which template reads it,
which column feeds each field, what its rows add up to, and what a check against HighLevel
would do to each row.

The workbench shows these between its steps; ``importer run`` and ``validate`` choose the
template the same way (``chosen_template``), so both doors read one file alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from importer.check.mapping import FIELD_LABELS, ColumnMap, map_columns
from importer.check.saved import same_headers, saved_templates
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.check.templates import FIELDS, Template
from importer.errors import InputFileError, MappingError
from importer.importing import (
    Collaborators,
    ImportChoices,
    ImportReport,
    OpenedFile,
    Plan,
    ReadingChoices,
    close_run,
    open_file,
)
from importer.opening import read_as_chosen
from importer.output.results import without_outcome_columns
from importer.output.rows import InvalidRows, row_results
from importer.output.summary import Summary, summarise
from importer.read.layout import HeaderCheck, PaymentsFile

__all__ = [
    "ColumnChoice",
    "UnmappedFile",
    "about_to_record",
    "check_preview",
    "chosen_template",
    "column_choices",
    "file_summary",
    "review_file",
]


def chosen_template(path: Path, reading: ReadingChoices, *, saved_in: Path) -> Template | None:
    """The template for a file when none is named: the one saved for a file with its headers,
    else None, for ``open_file`` to read it with the one that fits it. InputFileError when
    the file cannot be read."""
    saved = saved_templates(saved_in)
    if not saved:
        return None

    def fits(headers: Sequence[str]) -> bool:
        return any(same_headers(t.file_headers, headers) for t in saved)

    found = _read_as_is(path, reading, header_fits=fits)
    return next((t for t in saved if same_headers(t.file_headers, found.columns)), None)


@dataclass(frozen=True)
class UnmappedFile:
    """A file that was read but whose columns cannot feed a payment with this template, or
    whose cells cannot be read as the reading options stand: ``problem`` says why."""

    path: Path
    file: PaymentsFile
    reading: ReadingChoices
    problem: str
    # True when the columns fit and the cells are what cannot be read: a reading option
    # (the dates' order, the decimal mark, the encoding) settles it, not another column.
    cells_unread: bool = False


def review_file(
    path: Path, reading: ReadingChoices, *, today: date, allow_duplicates: bool = False
) -> OpenedFile | UnmappedFile:
    """The file read and checked (``open_file``), or, when its columns do not fit the
    template, read as it is with why, so that another column can be chosen for a field; or,
    when its cells cannot be read as the reading options stand (dates that could be day/month
    or month/day, amounts whose decimal mark nothing settles), read as it is with the template
    chosen for it, so that the option can be chosen. InputFileError when the file cannot be
    read at all."""
    try:
        return open_file(path, reading, today=today, allow_duplicates=allow_duplicates)
    except MappingError as error:
        problem = str(error)
    except InputFileError as error:
        # Raised again when the file cannot be loaded at all: nothing to show of it then.
        payments_file, reading = read_as_chosen(path, reading)
        return UnmappedFile(path, payments_file, reading, str(error), cells_unread=True)
    # No template fits: the default's columns are the ones offered to choose from.
    reading = dataclasses.replace(reading, template=reading.template or DEFAULT_TEMPLATE)
    return UnmappedFile(path, _read_as_is(path, reading), reading, problem)


def _read_as_is(
    path: Path, reading: ReadingChoices, *, header_fits: HeaderCheck | None = None
) -> PaymentsFile:
    """The file's cells, read as ``reading`` says, without a results file's outcome columns."""
    return without_outcome_columns(reading.load(path, header_fits=header_fits))


@dataclass(frozen=True)
class ColumnChoice:
    """One payment field: its name for a person, whether the template needs it, and the
    header of the column that feeds it (empty when none does)."""

    field: str
    label: str
    required: bool
    header: str


def column_choices(
    columns: tuple[str, ...], template: Template, *, column_map: ColumnMap | None = None
) -> list[ColumnChoice]:
    """Every payment field and the column that feeds it: as the file was read (``column_map``,
    columns found by their content included), else as ``map_columns`` decides from the
    headers alone (none where they do not fit the template)."""
    found: Mapping[str, tuple[int, str]]
    if column_map is not None:
        found = column_map.columns
    else:
        try:
            found = map_columns(columns, template).columns
        except MappingError:
            found = {}
    return [
        ColumnChoice(
            name,
            FIELD_LABELS.get(name, name),
            name in template.required and not template.constants.get(name),
            found[name][1] if name in found else "",
        )
        for name in FIELDS
    ]


def file_summary(opened: OpenedFile) -> Summary:
    """What the file's rows add up to before anything is checked against HighLevel: the
    count and sum per currency (the file's Currency column, where it has one) and method."""
    invalid = InvalidRows(opened.file, opened.validation, opened.template, opened.mark)
    results = row_results(opened.file, opened.validation, invalid, (), {}, dry_run=False)
    currency = {p.row: p.currency or "" for p in opened.validation.payments}
    results = [
        dataclasses.replace(r, currency=r.currency or currency.get(r.source.number, ""))
        for r in results
    ]
    return summarise(results, requests=None, dry_run=True)


def check_preview(plan: Plan, choices: ImportChoices, collaborators: Collaborators) -> ImportReport:
    """Every row as the run would leave it, recording nothing: the dry run's report of this
    plan (its invoices as they would stand after the run)."""
    dry = dataclasses.replace(choices, dry_run=True)
    return close_run(plan, None, dry, collaborators)


def about_to_record(plan: Plan) -> list[str]:
    """What a run of ``plan`` is about to record, in lines a person reads before saying yes:
    the payments and money, the payer's payments they are parts of, the rows left out."""
    from importer.words import plural

    totals = ", ".join(f"{currency} {total:,.2f}" for currency, total in plan.totals.items())
    payments = plural(plan.payment_count, "payment")
    lines = [f"About to record {payments} ({totals}) in location {plan.location_id}."]
    if plan.payer_payments != plan.payment_count:
        lines.append(
            f"They are the parts of {plural(plan.payer_payments, 'payment')} of your file: a "
            "payment that covers several invoices is recorded as one on each invoice."
        )
    if plan.blocked_rows:
        rows = plural(plan.blocked_rows, "row")
        lines.append(f"{rows} will not be sent; the results file says why.")
    return lines
