"""Step 1 of the import: the file read and checked on its own, before anything is asked of
HighLevel.

The file is read, the template for its columns chosen (the one given, one saved for its
headers, or the built-in one that fits), and every row checked; what comes out is an
``OpenedFile``: its rows, their problems, and what they add up to. A proposals file (a bank
statement's lines matched to invoices) is opened here too.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from importer.check.accepted import is_proposals, read_accepted
from importer.check.choosing import choose_template
from importer.check.content import Sample
from importer.check.mapping import ColumnMap, map_columns
from importer.check.rows import map_file, validate_file
from importer.check.saved import same_headers, saved_templates, saved_templates_dir
from importer.check.statement import statement_hint
from importer.check.template_files import DEFAULT_TEMPLATE, builtin_templates
from importer.check.templates import Template
from importer.check.totals import (
    FileTotal,
    control_total_note,
    file_total,
    subtotal_notes,
)
from importer.check.validation import Validation
from importer.check.values import DecimalMark
from importer.choices import ReadingChoices
from importer.errors import (
    MappingError,
)
from importer.journal.runs import ReadingChoices as ReadingKept
from importer.journal.runs import file_sha256
from importer.output.proposals import proposals_as_read
from importer.output.results import (
    without_outcome_columns,
)
from importer.read.layout import PaymentsFile


@dataclass(frozen=True)
class OpenedFile:
    """A file read and checked on its own: its rows, their problems, and what it adds up to."""

    path: Path
    file: PaymentsFile
    reading: ReadingChoices
    validation: Validation
    total: FileTotal | None  # None when the amount column or its decimal mark is unclear
    # The file's SHA-256 as read, to name exactly which version of it the results are of.
    sha256: str = ""
    # The line that says which template was chosen for the file, when none was given.
    chosen: str = ""

    @property
    def template(self) -> Template:
        """The template the file was read with: the one given, or the one chosen for it."""
        return self.reading.template or DEFAULT_TEMPLATE

    @property
    def mark(self) -> DecimalMark | None:
        """The file's decimal mark, once its amounts settle it."""
        return self.total.mark if self.total is not None else None

    @property
    def reading_notes(self) -> tuple[str, ...]:
        """How the file was read: its sheet and encoding, the template, its subtotal lines."""
        subtotals = subtotal_notes(
            self.file,
            self.template,
            mark=self.mark or ".",
            column_map=self.validation.column_map,
            leave_out=self.validation.passed_over.keys(),
        )
        return self.file.notes + self.template_notes + subtotals

    @property
    def notes(self) -> tuple[str, ...]:
        """How the file was read and which columns feed which field, for the user."""
        return self.reading_notes + self.validation.column_notes

    @property
    def template_notes(self) -> tuple[str, ...]:
        """The saved template chosen by itself for a file with these headers, named; or the
        template chosen for the file, when none was given."""
        if not self.template.file_headers:
            return (self.chosen,) if self.chosen else ()
        return (
            f'Read with the template "{self.template.name}", saved for files with these '
            f"columns ({self.template.source}).",
        )

    def as_read(self) -> ReadingKept:
        """How the file was read, for the journal: read again so, the same rows come out."""
        template = self.template
        return ReadingKept(
            sheet=self.file.sheet if self.file.sheets else None,
            template=template.name if template.is_builtin else str(template.source),
            encoding=self.file.encoding,
            delimiter=self.file.delimiter,
            decimal_mark=self.mark,
            date_format=self.reading.date_format or template.date_format,
        )

    @property
    def total_note(self) -> str | None:
        """The file's totals row against the sum of its rows, when it has one."""
        return control_total_note(
            self.file,
            self.template,
            decimal=self.reading.decimal,
            column_map=self.validation.column_map,
            leave_out=self.validation.passed_over.keys(),
        )


def open_file(
    path: Path,
    reading: ReadingChoices | None = None,
    *,
    today: date,
    allow_duplicates: bool = False,
) -> OpenedFile:
    """Read ``path`` and check every row locally, with no network; ImporterError when the
    file as a whole cannot be read or mapped."""
    reading = reading or ReadingChoices()
    given = reading.template
    loaded, saved, builtin = _load(path, reading)
    # A results file given back as input is read as the input it was.
    payments_file = without_outcome_columns(loaded)
    if is_proposals(payments_file):
        # A bank statement's proposals, confirmed: its accepted lines are the payments.
        if payments_file is loaded:
            payments_file = proposals_as_read(payments_file)
        return open_proposals(
            path, payments_file, reading, today=today, allow_duplicates=allow_duplicates
        )
    template = given or DEFAULT_TEMPLATE
    try:
        template, column_map, chosen = _template_for(payments_file, given, saved, builtin)
        validation = validate_file(
            payments_file,
            template,
            today=today,
            allow_duplicates=allow_duplicates,
            decimal=reading.decimal,
            date_format=reading.date_format,
            column_map=column_map,
        )
    except MappingError as error:
        if hint := statement_hint(path, payments_file.columns, template):
            raise MappingError(f"{error} {hint}") from None
        if not payments_file.sheets:
            raise
        # No sheet of the workbook fits the template: say which one these columns are from.
        others = ", ".join(
            f'"{name}"' for name in payments_file.sheets if name != payments_file.sheet
        )
        choose = (
            f" The workbook's other sheets: {others}; choose one with --sheet." if others else ""
        )
        raise MappingError(f'Sheet "{payments_file.sheet}": {error}{choose}') from None
    if _some_line_names_no_invoice(validation) and (
        hint := statement_hint(path, payments_file.columns, template)
    ):
        # A statement's credits that name no invoice: matching proposes one for each.
        validation = dataclasses.replace(validation, column_notes=(*validation.column_notes, hint))
    total = file_total(
        payments_file,
        template,
        decimal=reading.decimal,
        column_map=validation.column_map,
        leave_out=validation.passed_over.keys(),
    )
    reading = dataclasses.replace(reading, template=template)
    return OpenedFile(
        path, payments_file, reading, validation, total, file_sha256(path), chosen=chosen
    )


def read_as_chosen(path: Path, reading: ReadingChoices) -> tuple[PaymentsFile, ReadingChoices]:
    """The file read as ``open_file`` reads it, and ``reading`` with the template it chooses
    (the default when none fits), without checking a row: what a person is shown of a file
    whose rows cannot be read until they choose how (dates that could be day/month or
    month/day). InputFileError when the file cannot be read at all."""
    loaded, saved, builtin = _load(path, reading)
    payments_file = without_outcome_columns(loaded)
    template = reading.template or DEFAULT_TEMPLATE
    if not is_proposals(payments_file):
        with contextlib.suppress(MappingError):  # none fits: the default's columns are offered
            template = _template_for(payments_file, reading.template, saved, builtin)[0]
    return payments_file, dataclasses.replace(reading, template=template)


def _load(
    path: Path, reading: ReadingChoices
) -> tuple[PaymentsFile, list[Template], list[Template]]:
    """The file as loaded, its header the first that a candidate template fits; and the
    candidates when none is given: the user's saved templates, then the built-in ones."""
    given = reading.template
    saved = saved_templates(saved_templates_dir()) if given is None else []
    builtin = builtin_templates() if given is None else []
    candidates = [given] if given is not None else [*saved, *builtin]
    loaded = reading.load(
        path, header_fits=lambda headers: any(_fits(headers, t) for t in candidates)
    )
    return loaded, saved, builtin


def _some_line_names_no_invoice(validation: Validation) -> bool:
    return any(p.code in ("invoice.missing", "invoice.unrecognised") for p in validation.problems)


def _template_for(
    payments_file: PaymentsFile,
    given: Template | None,
    saved: Sequence[Template],
    builtin: Sequence[Template],
) -> tuple[Template, ColumnMap, str]:
    """The template given; else the one saved for a file with these headers; else the one
    that fits the file best (``choose_template``), with the line that says so.
    MappingError when none fits."""
    chosen = given or next(
        (t for t in saved if same_headers(t.file_headers, payments_file.columns)), None
    )
    if chosen is not None:
        return chosen, map_file(payments_file, chosen), ""
    # Templates saved for other files' headers are not tried on this one.
    own = [t for t in saved if not t.file_headers]
    sample = Sample([row.cells for row in payments_file.rows])
    choice = choose_template(payments_file.columns, sample, saved=own, builtin=builtin)
    return choice.template, choice.column_map, choice.note


def open_proposals(
    path: Path,
    proposals_file: PaymentsFile,
    reading: ReadingChoices | None = None,
    *,
    today: date,
    allow_duplicates: bool = False,
) -> OpenedFile:
    """A statement's proposals file: the lines accepted (Accept yes, Invoice filled) as its
    payments, the others passed over; no network."""
    reading = reading or ReadingChoices()
    accepted = read_accepted(
        proposals_file,
        today=today,
        max_age_days=(reading.template or DEFAULT_TEMPLATE).max_age_days,
        decimal=reading.decimal,
        date_format=reading.date_format,
        allow_duplicates=allow_duplicates,
    )
    reading = dataclasses.replace(reading, template=accepted.template)
    return OpenedFile(
        path, proposals_file, reading, accepted.validation, accepted.total, file_sha256(path)
    )


def _fits(headers: Sequence[str], template: Template) -> bool:
    try:
        map_columns(headers, template)
    except MappingError:
        return False
    return True
