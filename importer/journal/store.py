"""The journal's one connection: its reads, its writes, its transactions and its clock.

Every failure of SQLite becomes a ``JournalError`` in one plain sentence here, so the ledger
and the run history speak only of payments and runs.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from importer.clock import Clock
from importer.errors import JournalError

# How the journal writes a moment, and so how ``ledger.sent_by`` reads one back.
STAMP = "%Y-%m-%d %H:%M:%S UTC"


def stamp(moment: datetime) -> str:
    """A moment as the journal writes it: UTC, to the second."""
    return moment.astimezone(UTC).strftime(STAMP)


def who() -> str:
    """The user name the journal writes beside a run or a payment settled by hand."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def columns(row: sqlite3.Row, names: str) -> dict[str, Any]:
    """The row's columns named in ``names`` (split on spaces), by name: the fields of a record
    named as its columns are."""
    return {name: row[name] for name in names.split()}


def _identity(where: str) -> tuple[int, int] | None:
    """The device and inode of the journal's file; None for one in memory or missing."""
    if where == ":memory:":
        return None
    try:
        found = os.stat(where)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


@contextmanager
def immediate(connection: sqlite3.Connection) -> Iterator[None]:
    """One transaction that takes the write lock at once: what is written inside is on disk
    together when the block ends, or not at all when it raises."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        # SQLite may have rolled back already (a full disk does): the error that matters is
        # the one that got here, not "cannot rollback - no transaction is active".
        if connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise


class Store:
    """The open connection to the journal's file, shared by the ledger and the run history."""

    def __init__(self, connection: sqlite3.Connection, *, where: str, clock: Clock) -> None:
        self.where = where
        self.clock = clock
        self._db = connection
        # The file the connection writes to: if it is deleted or replaced during a run, the
        # writes go on into a file no later run opens, which would forget every payment.
        self._file = _identity(where)

    def stamp(self) -> str:
        """The time now by the journal's clock, as the journal writes it."""
        return stamp(self.clock.now())

    def read(self, sql: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        """The rows a query finds; JournalError when the file cannot be read."""
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise self._unreadable(error) from None

    def write(self, sql: str, parameters: Sequence[object] = ()) -> sqlite3.Cursor:
        """Run one statement that writes; outside ``transaction`` it is on disk when it returns."""
        self._still_there()
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.Error as error:
            raise self._unwritable(error) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several reads and writes as one: none of the writes lands unless all do."""
        self._still_there()
        try:
            with immediate(self._db):
                yield
        except sqlite3.Error as error:  # from BEGIN, COMMIT or ROLLBACK themselves
            raise self._unwritable(error) from None

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _still_there(self) -> None:
        """JournalError when the journal's file is no longer the one opened (deleted, moved or
        replaced): what is written now would be lost to the next run."""
        if self._file is not None and _identity(self.where) != self._file:
            raise JournalError(
                f"The journal at {self.where} was deleted or replaced while this run was using "
                "it; the run stops so that no payment is sent without a record of it. Payments "
                "already recorded are in HighLevel: the next run finds them there and does not "
                "send them again."
            )

    def _unreadable(self, error: sqlite3.Error) -> JournalError:
        return JournalError(
            f"The journal at {self.where} could not be read ({error}). Check the file, or "
            "choose another with --journal PATH."
        )

    def _unwritable(self, error: sqlite3.Error) -> JournalError:
        return JournalError(
            f"The journal at {self.where} could not be written ({error}); the run stops so "
            "that no payment is sent without a record of it. What it holds is kept; once there "
            "is room again, run the same command: payments already recorded are skipped, and "
            "those that were on their way are checked in HighLevel first."
        )
