"""The run history: when each run started and ended, how it read its file, and each row's outcome.

It is what ``importer runs`` lists, and what a run's results file is written again from when
the run could not write it (``importer runs show ID --results``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from importer.journal.ledger import InvoiceState, Money, invoice_state, money_by_currency
from importer.journal.store import Store, columns, who
from importer.status import RowStatus, RunOutcome


def file_sha256(path: Path) -> str:
    """The file's SHA-256, so a run names exactly which version of the file it read."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


@dataclass(frozen=True)
class ReadingChoices:
    """How a run read its file, as given or as found: read again the same way, the same rows
    come out (the sheet above all, in a workbook of several). None is "not kept": a run from
    before the journal kept it, or a choice the file's kind does not have."""

    sheet: str | None = None
    template: str | None = None  # its name, or the path of its file
    encoding: str | None = None
    delimiter: str | None = None
    decimal_mark: str | None = None
    date_format: str | None = None


@dataclass(frozen=True)
class RunRecord:
    """One run: when, who, which file, how it was read, and how it ended."""

    id: int
    started_at: str
    finished_at: str | None
    user: str
    file: str
    file_sha256: str
    location_id: str
    api_url: str
    outcome: RunOutcome
    message: str
    counts: dict[str, int]
    totals: dict[str, str]
    # Requests the run spent (None for a run that did not finish).
    requests: int | None = None
    lookup_requests: int | None = None
    reading: ReadingChoices = ReadingChoices()

    @property
    def decimal_mark(self) -> str:
        """The decimal mark of the file's amounts; "" when the run did not keep it."""
        return self.reading.decimal_mark or ""


@dataclass(frozen=True)
class RunRow:
    """One row's outcome in a finished run."""

    row: int
    status: RowStatus
    message: str
    invoice_id: str
    amount: str
    mode: str = ""
    invoice: InvoiceState = field(default_factory=InvoiceState)
    warning: str = ""
    client: str = ""


class RunHistory:
    """The runs of one journal; reached as ``Journal.history``."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def start_run(
        self,
        *,
        file: Path,
        location_id: str,
        api_url: str,
        reading: ReadingChoices = ReadingChoices(),
    ) -> int:
        """Record the start of a run and return its number.

        ``reading`` is how the run read ``file``: without it (the default keeps nothing), its
        results can be rebuilt only by reading the file as it reads with no choices made.
        """
        cursor = self._store.write(
            "INSERT INTO runs (started_at, user, file, file_sha256, location_id, api_url, "
            "outcome, sheet, template, encoding, delimiter, decimal_mark, date_format) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self._store.stamp(),
                who(),
                str(file.resolve()),
                file_sha256(file),
                location_id,
                api_url,
                RunOutcome.RUNNING,
                reading.sheet,
                reading.template,
                reading.encoding,
                reading.delimiter,
                reading.decimal_mark or "",
                reading.date_format,
            ),
        )
        if cursor.lastrowid is None:  # pragma: no cover (SQLite always gives an INSERT's rowid)
            raise RuntimeError("SQLite gave no number for the new run")
        return cursor.lastrowid

    def finish_run(
        self,
        run_id: int,
        *,
        outcome: RunOutcome,
        message: str,
        counts: Mapping[str, int],
        totals: Mapping[str, Decimal],
        rows: Iterable[RunRow],
        requests: int | None = None,
        lookup_requests: int | None = None,
        decimal_mark: str | None = None,
    ) -> None:
        """Record how a run ended, its counts and totals, and each row's outcome.

        Each row keeps its invoice's number, status and balance, so that the run's results
        file can be written again from the journal alone (``importer runs show --results``).
        ``decimal_mark``, when given, replaces the one the run started with.
        """
        with self._store.transaction():
            self._store.write(
                "UPDATE runs SET finished_at = ?, outcome = ?, message = ?, counts = ?, "
                "totals = ?, requests = ?, lookup_requests = ?, "
                "decimal_mark = COALESCE(?, decimal_mark) WHERE id = ?",
                (
                    self._store.stamp(),
                    outcome,
                    message,
                    json.dumps(dict(counts)),
                    json.dumps({currency: f"{total:.2f}" for currency, total in totals.items()}),
                    requests,
                    lookup_requests,
                    decimal_mark,
                    run_id,
                ),
            )
            for r in rows:
                self._store.write(
                    "INSERT OR REPLACE INTO run_rows (run_id, row, status, message, invoice_id, "
                    "amount, mode, invoice_number, invoice_status, amount_paid, amount_due, "
                    "currency, warning, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        r.row,
                        r.status,
                        r.message,
                        r.invoice_id,
                        r.amount,
                        r.mode,
                        r.invoice.number,
                        r.invoice.status,
                        r.invoice.amount_paid,
                        r.invoice.amount_due,
                        r.invoice.currency,
                        r.warning,
                        r.client,
                    ),
                )

    def runs(self, *, limit: int = 50) -> list[RunRecord]:
        """The latest runs, newest first."""
        found = self._store.read("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [_run_record(row) for row in found]

    def run(self, run_id: int) -> RunRecord | None:
        """One run, or None when the journal has no run with that number."""
        found = self._store.read("SELECT * FROM runs WHERE id = ?", (run_id,))
        return _run_record(found[0]) if found else None

    def run_rows(self, run_id: int) -> list[RunRow]:
        """Each row's outcome in one run, in row order."""
        found = self._store.read("SELECT * FROM run_rows WHERE run_id = ? ORDER BY row", (run_id,))
        return [
            RunRow(
                **columns(r, "row message invoice_id amount mode warning client"),
                status=RowStatus(r["status"]),
                invoice=invoice_state(r),
            )
            for r in found
        ]

    def skipped_by(self, run_id: int) -> dict[str, Money]:
        """The rows run ``run_id`` skipped because earlier runs had recorded them, by currency."""
        return money_by_currency(
            self._store.read(
                "SELECT currency, amount FROM run_rows WHERE run_id = ? AND status = ?",
                (run_id, RowStatus.SKIPPED),
            )
        )

    def results_written(self, run_id: int, path: Path) -> None:
        """Note that run ``run_id`` wrote its results to ``path``, as the file now is."""
        self._store.write(
            "INSERT INTO results_files (run_id, path, sha256, written_at) VALUES (?, ?, ?, ?)",
            (run_id, str(path.resolve()), file_sha256(path), self._store.stamp()),
        )

    def wrote(self, run_id: int, path: Path) -> bool:
        """True when ``path`` holds results that run ``run_id`` wrote, unchanged since."""
        try:
            found = file_sha256(path)
        except OSError:
            return False
        return bool(
            self._store.read(
                "SELECT 1 FROM results_files WHERE run_id = ? AND path = ? AND sha256 = ?",
                (run_id, str(path.resolve()), found),
            )
        )

    def newest_running(self) -> int | None:
        """The newest run still marked running, if any."""
        newest: int | None = self._store.read(
            "SELECT MAX(id) FROM runs WHERE outcome = ?", (RunOutcome.RUNNING,)
        )[0][0]
        return newest

    def count(self) -> int:
        """How many runs the journal holds."""
        counted: int = self._store.read("SELECT COUNT(*) FROM runs")[0][0]
        return counted


def _run_record(row: sqlite3.Row) -> RunRecord:
    return RunRecord(
        **columns(row, "id started_at finished_at user file file_sha256 location_id api_url"),
        **columns(row, "message requests lookup_requests"),
        outcome=RunOutcome(row["outcome"]),
        counts=json.loads(row["counts"]),
        totals=json.loads(row["totals"]),
        reading=ReadingChoices(
            **columns(row, "sheet template encoding delimiter date_format"),
            decimal_mark=row["decimal_mark"] or None,
        ),
    )
