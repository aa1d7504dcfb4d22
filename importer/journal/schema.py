"""The journal's tables, and the numbered steps that bring any journal up to date.

SQLite's ``PRAGMA user_version`` says how many steps a journal has taken. Opening a journal
takes the steps it lacks, each in its own transaction, so a journal written by any earlier
version of the importer opens, keeps every payment and run, and gains what came since. A step,
once released, never changes: a change to the tables is a new step at the end.

Step 1 is the journal as it stood before steps were counted (user_version 0). Journals of that
time differ in which columns and tables they have, as each was written by the version of the
day, so this one step creates and adds only what is missing; every later step is plain.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from importer.errors import JournalError
from importer.journal.store import immediate

# The tables as the first journals wrote them; ``settled_by_hand`` came a little later.
_FIRST_TABLES = (
    """CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    user TEXT NOT NULL,
    file TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    location_id TEXT NOT NULL,
    api_url TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'running',
    message TEXT NOT NULL DEFAULT '',
    counts TEXT NOT NULL DEFAULT '{}',
    totals TEXT NOT NULL DEFAULT '{}'
)""",
    """CREATE TABLE IF NOT EXISTS payments (
    api_url TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    row INTEGER NOT NULL,
    file TEXT NOT NULL,
    invoice_id TEXT NOT NULL,
    amount TEXT NOT NULL,
    paid_on TEXT NOT NULL,
    paid_before TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    sent_at TEXT NOT NULL,
    settled_at TEXT,
    PRIMARY KEY (api_url, key)
)""",
    """CREATE TABLE IF NOT EXISTS settled_by_hand (
    api_url TEXT NOT NULL,
    key TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    row INTEGER NOT NULL,
    found TEXT NOT NULL,
    was TEXT NOT NULL,
    user TEXT NOT NULL,
    at TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS run_rows (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    row INTEGER NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    invoice_id TEXT NOT NULL,
    amount TEXT NOT NULL,
    PRIMARY KEY (run_id, row)
)""",
)
_TEXT = "TEXT NOT NULL DEFAULT ''"
_INVOICE = (
    ("invoice_number", _TEXT),
    ("invoice_status", _TEXT),
    ("amount_paid", _TEXT),
    ("amount_due", _TEXT),
    ("currency", _TEXT),
)
# Columns added before steps were counted, so that a run's results can be rebuilt in full;
# a journal of that time may have any of them already. Older rows get them empty.
_UNCOUNTED_COLUMNS = {
    "runs": (("requests", "INTEGER"), ("lookup_requests", "INTEGER"), ("decimal_mark", _TEXT)),
    "payments": (("mode", _TEXT), *_INVOICE),
    "run_rows": (("mode", _TEXT), ("warning", _TEXT), *_INVOICE),
}


def _as_before_counting(connection: sqlite3.Connection) -> None:
    """Step 1: whatever a journal from before the steps lacks of that time's tables."""
    for table in _FIRST_TABLES:
        connection.execute(table)
    for table, columns in _UNCOUNTED_COLUMNS.items():
        present = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        for name, kind in columns:
            if name not in present:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def _reading_choices(connection: sqlite3.Connection) -> None:
    """Step 2: how each run read its file, so its results can be rebuilt from the same rows.

    NULL is "not kept" (runs from before this step); the decimal mark was kept already.
    """
    for name in ("sheet", "template", "encoding", "delimiter", "date_format"):
        connection.execute(f"ALTER TABLE runs ADD COLUMN {name} TEXT")


def _results_files(connection: sqlite3.Connection) -> None:
    """Step 3: the results files each run wrote, so that a later run never writes over one,
    and each row's client, so that a rebuilt results file names it as the first did."""
    connection.execute(
        """CREATE TABLE results_files (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    written_at TEXT NOT NULL
)"""
    )
    connection.execute(f"ALTER TABLE run_rows ADD COLUMN client {_TEXT}")


STEPS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _as_before_counting,
    _reading_choices,
    _results_files,
)
VERSION = len(STEPS)


def version_of(connection: sqlite3.Connection) -> int:
    """How many steps the journal on ``connection`` has taken."""
    found: int = connection.execute("PRAGMA user_version").fetchone()[0]
    return found


def migrate(connection: sqlite3.Connection, *, where: str) -> None:
    """Take the steps the journal lacks; JournalError when a newer importer wrote it.

    sqlite3.Error when a step cannot be written (the caller says the journal cannot be opened).
    """
    taken = version_of(connection)
    if taken > VERSION:
        # Its newer tables may hold what this version cannot honour: refuse rather than guess.
        raise JournalError(
            f"The journal at {where} was written by a newer version of importer (journal "
            f"version {taken}; this one knows up to {VERSION}). Update importer, then run again."
        )
    for number, step in enumerate(STEPS[taken:], start=taken + 1):
        with immediate(connection):
            # Another process may have taken it while this one waited for the write lock.
            if version_of(connection) < number:
                step(connection)
                connection.execute(f"PRAGMA user_version = {number}")
