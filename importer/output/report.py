"""A finished run's report: every row's result, the summary, and what became of the files."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from importer.errors import ControlTotalMismatch, RunStopped
from importer.journal.journal import Journal
from importer.journal.store import stamp, who
from importer.output.files import why_not_written
from importer.output.results import (
    RowResult,
    free_results_path,
    input_number_formats,
    moved_note,
    write_results,
)
from importer.output.summary import (
    FINISHED_STATUSES,
    RunIdentity,
    Summary,
    write_summary_json,
)
from importer.read.layout import PaymentsFile
from importer.status import RowStatus

__all__ = ["ImportReport", "run_identity", "write_results_files"]


@dataclass(frozen=True)
class ImportReport:
    """A finished run: every row's result, where they go, and the summary."""

    results: list[RowResult]
    results_path: Path
    summary: Summary
    # How the file was read (which sheet, which encoding, its columns), for the user.
    notes: tuple[str, ...]
    file: PaymentsFile
    decimal_mark: str
    summary_json: Path | None = None
    stopped: RunStopped | ControlTotalMismatch | None = None
    dry_run: bool = False
    declined: bool = False
    # Invalid rows that held the whole run back (nothing sent); 0 when the run went ahead.
    held_back: int = 0
    interrupted: bool = False
    run_id: int | None = None
    # Why a file could not be written at the end of the run, when one could not. The run
    # stands as recorded (and as the journal has it); only the file is missing.
    write_error: str | None = None
    results_written: bool = False

    @property
    def all_done(self) -> bool:
        """True when every row was recorded or skipped (or, in a dry run, would be)."""
        done = FINISHED_STATUSES | ({RowStatus.READY} if self.dry_run else set())
        return all(result.status in done for result in self.results)

    def rows_to_show(self) -> list[RowResult]:
        """The rows a person should look at: not done, or done with a warning.

        Rows held back all for one reason (an invalid row, an unconfirmed run, a control total
        that does not match) are not listed: ``headline`` or the error says it once.
        """
        quiet = {
            RowStatus.RECORDED, RowStatus.READY, RowStatus.SKIPPED, RowStatus.NO_PAYMENT,
            RowStatus.NOT_A_PAYMENT,
        }  # fmt: skip
        if self.declined or self.held_back or isinstance(self.stopped, ControlTotalMismatch):
            quiet.add(RowStatus.NOT_SENT)
        return [r for r in self.results if r.status not in quiet or r.warning]

    def headline(self) -> list[str]:
        """Why nothing (or not everything) was recorded, when that is the news."""
        lines = []
        if self.held_back:
            rows, them = (
                ("1 row is", "it")
                if self.held_back == 1
                else (f"{self.held_back} rows are", "them")
            )
            lines.append(
                f"Nothing was recorded: {rows} invalid. Fix {them} (the results file says how) "
                "and run again, or run again with --skip-invalid to record the valid rows."
            )
        elif self.dry_run:
            lines.append("Dry run: nothing was recorded.")
        if self.declined:
            lines.append("Not confirmed: nothing was recorded.")
        return lines


def run_identity(
    journal: Journal,
    run_id: int | None,
    path: Path,
    sha256: str,
    *,
    api_url: str,
    location_id: str,
    now: datetime,
    dry_run: bool,
) -> RunIdentity:
    """Which run this was, for its summary: as the journal started it, or (nothing sent, so
    no run in the journal) now and by whoever runs it."""
    record = journal.history.run(run_id) if run_id is not None else None
    return RunIdentity(
        run_id,
        record.started_at if record is not None else stamp(now),
        record.user if record is not None else who(),
        str(path.resolve()),
        sha256,
        api_url,
        location_id,
        dry_run=dry_run,
    )


def write_results_files(report: ImportReport, journal: Journal | None = None) -> ImportReport:
    """Write the results file and the JSON summary; a failure comes back in the report.

    Not raised: by now payments may be recorded, and the summary must still be shown. A file
    that appeared meanwhile where the results were to go is left alone: they go to the next
    free name, and a note says so. ``journal`` keeps which file the run wrote.
    """
    wanted = report.results_path
    path = free_results_path(wanted)
    if path != wanted:
        report = dataclasses.replace(
            report, results_path=path, notes=(*report.notes, moved_note(wanted, path))
        )
    identity = report.summary.identity
    try:
        write_results(
            path,
            report.file,
            report.results,
            summary=report.summary,
            delimiter=report.file.delimiter or ",",
            decimal=report.decimal_mark,
            number_formats=input_number_formats(
                report.file, identity.file_sha256 if identity is not None else ""
            ),
        )
    except OSError as error:
        return dataclasses.replace(
            report,
            write_error=f"Cannot write the results file {path} ({why_not_written(error, path)}).",
        )
    report = dataclasses.replace(report, results_written=True)
    if journal is not None and report.run_id is not None:
        journal.history.results_written(report.run_id, path)
    if report.summary_json is not None:
        try:
            write_summary_json(report.summary_json, report.summary)
        except OSError as error:
            return dataclasses.replace(
                report,
                write_error=f"Cannot write the summary {report.summary_json} "
                f"({why_not_written(error, report.summary_json)}); the results file is written.",
            )
    return report
