"""What the user chose for a run: how to read the file, and how the run behaves.

Every choice has the safe default; the command line and the workbench fill these in from
their flags and forms, and the library decides everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from importer.check.templates import Template
from importer.read.files import DEFAULT_MAX_SIZE_MB, load
from importer.read.layout import HeaderCheck, PaymentsFile
from importer.send.waits import LOST_ANSWER_WAIT
from importer.status import Match

__all__ = ["ImportChoices", "ReadingChoices"]


@dataclass(frozen=True, kw_only=True)
class ReadingChoices:
    """How to read the file: the template, the sheet, and the reading options, each None
    where the importer decides from the file itself (the template: the one that fits it)."""

    template: Template | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    date_format: str | None = None
    max_size_mb: float = DEFAULT_MAX_SIZE_MB

    def load(self, path: Path, *, header_fits: HeaderCheck | None = None) -> PaymentsFile:
        """The file's sheet and cells, read with these choices (see ``read.files.load``)."""
        return load(
            path,
            sheet=self.sheet,
            encoding=self.encoding,
            delimiter=self.delimiter,
            max_size_mb=self.max_size_mb,
            header_fits=header_fits,
        )


@dataclass(frozen=True, kw_only=True)
class ImportChoices:
    """Everything the user chose for a run; every choice has the safe default."""

    reading: ReadingChoices = field(default_factory=ReadingChoices)
    results_path: Path | None = None
    dry_run: bool = False
    # Send the valid rows even when others are invalid (those stay ``invalid`` in the results).
    skip_invalid: bool = False
    # Rows go ahead even when they repeat another row of the file, or a payment HighLevel
    # holds (but never one that carries their own key: see ``holdings``).
    allow_duplicates: bool = False
    # Compare each payment with those HighLevel already holds before sending (see
    # ``holdings``); off only for a token that may not read them, on the journal alone.
    highlevel_check: bool = True
    # The deposit's total: a Decimal, or the text as typed, read with the file's decimal mark.
    expect_total: Decimal | str | None = None
    expect_count: int | None = None
    summary_json: Path | None = None
    # Record this many payments first, then ask before sending the rest; 0 sends all at once.
    canary: int = 0
    # How long a payment whose answer was lost may still arrive (see send.LOST_ANSWER_WAIT).
    lost_answer_wait: float = LOST_ANSWER_WAIT
    concurrency: int = 8
    attempts: int = 5
    # The day the date checks compare with (None: today by the clock).
    today: date | None = None
    # Read the file as a bank statement, match its lines to the open invoices, and record
    # those matched with this certainty (only ``sure``); the rest wait in a proposals file.
    accept: Match | None = None
