"""The run history: each run's start, how it read its file, its end, and its rows."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from importer.journal.journal import Journal
from importer.journal.runs import ReadingChoices, RunRow
from importer.status import RowStatus, RunOutcome
from tests.journals import a_run, open_journal

# A workbook's second sheet, read with a template from a file, as a person would choose it.
SECOND_SHEET = ReadingChoices(
    sheet="Deposits",
    template="/templates/bank.toml",
    encoding=None,
    delimiter=None,
    decimal_mark=",",
    date_format="DD/MM/YYYY",
)
# A CSV whose encoding, delimiter and date format were found by reading it.
DETECTED_CSV = ReadingChoices(
    sheet="statement",
    template="default",
    encoding="cp1252",
    delimiter=";",
    decimal_mark=",",
    date_format="%d.%m.%Y",
)


def test_a_finished_run_keeps_who_what_counts_totals_and_rows(tmp_path: Path) -> None:
    """runs() lists the run with its file's checksum, user, counts and totals; rows are kept."""
    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        journal.history.finish_run(
            run_id,
            outcome=RunOutcome.FINISHED,
            message="",
            counts={"recorded": 1},
            totals={"USD": Decimal("12.5")},
            rows=[RunRow(2, RowStatus.RECORDED, "", "a1", "12.50")],
        )
        (record,) = journal.history.runs()
        rows = journal.history.run_rows(run_id)
    assert record.id == run_id
    assert (record.outcome, record.counts, record.totals) == (
        "finished",
        {"recorded": 1},
        {"USD": "12.50"},
    )
    assert record.file == str((tmp_path / "deposit.csv").resolve())
    assert len(record.file_sha256) == 64
    assert record.user
    assert (record.started_at, record.finished_at) == (
        "2026-11-02 12:00:00 UTC",
        "2026-11-02 12:00:00 UTC",
    )
    assert rows == [RunRow(2, "recorded", "", "a1", "12.50")]  # type: ignore[arg-type]


@pytest.mark.parametrize("reading", [SECOND_SHEET, DETECTED_CSV, ReadingChoices()])
def test_a_run_keeps_how_it_read_its_file(tmp_path: Path, reading: ReadingChoices) -> None:
    """The sheet, template, encoding, delimiter, decimal mark and date format a run started
    with come back from the journal, after it is closed and opened again, and once the run
    has finished; a run that kept none gives none back."""
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        run_id = a_run(journal, tmp_path, reading)
    with Journal.open(path) as journal:
        started = journal.history.run(run_id)
        journal.history.finish_run(
            run_id, outcome=RunOutcome.FINISHED, message="", counts={}, totals={}, rows=[]
        )
        finished = journal.history.run(run_id)
    assert started is not None
    assert finished is not None
    assert (started.reading, finished.reading) == (reading, reading)
    assert finished.decimal_mark == (reading.decimal_mark or "")


def test_a_decimal_mark_given_when_the_run_ends_replaces_the_one_it_started_with(
    tmp_path: Path,
) -> None:
    """finish_run's decimal_mark, when given, is the run's; left out, the start's stays."""
    with open_journal(tmp_path) as journal:
        kept = a_run(journal, tmp_path, DETECTED_CSV)
        replaced = a_run(journal, tmp_path, DETECTED_CSV)
        for run_id, mark in ((kept, None), (replaced, ".")):
            journal.history.finish_run(
                run_id, outcome=RunOutcome.FINISHED, message="", counts={}, totals={}, rows=[],
                decimal_mark=mark,
            )  # fmt: skip
        marks = [journal.history.run(n).reading.decimal_mark for n in (kept, replaced)]  # type: ignore[union-attr]
    assert marks == [",", "."]


def test_a_run_that_cannot_write_all_its_rows_writes_none_of_its_end(tmp_path: Path) -> None:
    """finish_run is one transaction: when its rows fail part-way, the run is still running
    with no rows, as if the end had never been written."""

    def rows_that_fail() -> Iterator[RunRow]:
        yield RunRow(2, RowStatus.RECORDED, "", "a1", "12.50")
        raise OSError("the disk is full")

    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        with pytest.raises(OSError, match="the disk is full"):
            journal.history.finish_run(
                run_id, outcome=RunOutcome.FINISHED, message="", counts={"recorded": 1},
                totals={}, rows=rows_that_fail(),
            )  # fmt: skip
        record = journal.history.run(run_id)
        rows = journal.history.run_rows(run_id)
    assert record is not None
    assert (record.outcome, record.finished_at, record.counts, rows) == (
        RunOutcome.RUNNING,
        None,
        {},
        [],
    )
