"""The journal's file: where it lives, opening it (up to date), the lock a run holds on it,
and what takes both its ledger and its run history to answer.

Written durably: WAL with ``synchronous=FULL``, so that a payment claimed ``sending`` is on
disk before its request leaves, even if the machine loses power.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import filelock
import platformdirs

from importer.clock import SYSTEM_CLOCK, Clock
from importer.errors import JournalError
from importer.journal.ledger import IN_DOUBT, Ledger, Money
from importer.journal.runs import RunHistory, RunRecord
from importer.journal.schema import migrate
from importer.journal.store import Store
from importer.status import PaymentState, RunOutcome

JOURNAL_ENV = "IMPORTER_JOURNAL"
_MEMORY = ":memory:"
# How long opening a journal waits for another command that holds it.
_OPEN_WAIT_SECONDS = 30.0


def default_journal_path(*, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the journal lives: ``IMPORTER_JOURNAL``, else the user's data folder."""
    chosen = environ.get(JOURNAL_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_data_path("importer", appauthor=False) / "journal.sqlite3"


@dataclass(frozen=True)
class RunMoney:
    """What one run did with money, from the journal, whether or not the run finished."""

    recorded: dict[str, Money]  # payments this run recorded, by currency
    skipped: dict[str, Money]  # rows it skipped: recorded by earlier runs, by currency
    held: dict[PaymentState, int]  # the payments the journal holds for this run, by state


@dataclass(frozen=True)
class JournalHealth:
    """What ``importer doctor`` says of the journal."""

    sound: bool
    check: str  # SQLite's own word: "ok", or what is wrong
    runs: int
    payments: int
    in_doubt: int


class Journal:
    """The SQLite journal; open with ``Journal.open(path)``, close when the run ends.

    ``ledger`` holds the payments, ``history`` the runs; both write through one connection.
    """

    def __init__(self, store: Store, *, lock: filelock.BaseFileLock | None = None) -> None:
        self._store = store
        self._lock = lock
        self.where = store.where
        self.ledger = Ledger(store)
        self.history = RunHistory(store)

    @classmethod
    def open(
        cls, path: Path | str, *, clock: Clock = SYSTEM_CLOCK, exclusive: bool = False
    ) -> Journal:
        """Open (or create) the journal at ``path``, up to date; ":memory:" keeps it for this
        run only. Its stamps are written by ``clock``.

        ``exclusive`` (for a run) holds a lock beside it until closed, so two imports never
        send from one journal at once: the second would take the first's payments in flight
        for a crash's leftovers. The operating system frees the lock if the process dies.
        """
        where = str(path)
        lock = _lock(where) if exclusive and where != _MEMORY else None
        try:
            connection = _connect(where)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return cls(Store(connection, where=where, clock=clock), lock=lock)

    def now(self) -> datetime:
        """The time by the journal's clock, the one its stamps are written by."""
        return self._store.clock.now()

    def close(self) -> None:
        """Close the journal and let another import use it."""
        self._store.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def health(self) -> JournalHealth:
        """Whether the file is sound, and what it holds."""
        verdict = self._store.read("PRAGMA quick_check")[0][0]
        states = self.ledger.states()
        in_doubt = sum(count for state, count in states.items() if state in IN_DOUBT)
        return JournalHealth(
            verdict == "ok", str(verdict), self.history.count(), sum(states.values()), in_doubt
        )

    def run_money(self, run_id: int) -> RunMoney:
        """What run ``run_id`` recorded and skipped, and what the journal holds for it.

        Recorded counts only the payments this run sent and saw recorded (a run killed before
        it finished included), never the rows it skipped because an earlier run had.
        """
        return RunMoney(
            self.ledger.recorded_by(run_id),
            self.history.skipped_by(run_id),
            self.ledger.states(run_id=run_id),
        )

    def outcome_of(self, record: RunRecord) -> RunOutcome:
        """How a run ended, as a person should read it now: a run still marked ``running``
        that no import holds any more (killed, or its computer died) did not finish."""
        if record.outcome != RunOutcome.RUNNING:
            return record.outcome
        if record.id == self.history.newest_running() and self.import_running():
            return RunOutcome.RUNNING
        return RunOutcome.DID_NOT_FINISH

    def import_running(self) -> bool:
        """True while an import holds this journal (see ``open``'s ``exclusive``)."""
        if self._lock is not None or self.where == _MEMORY:
            return self._lock is not None
        probe = filelock.FileLock(self.where + ".lock", timeout=0)
        try:
            probe.acquire()
        except filelock.Timeout:
            return True
        except OSError:
            return False
        probe.release()
        return False


def _lock(where: str) -> filelock.BaseFileLock:
    lock = filelock.FileLock(where + ".lock", timeout=0)
    try:
        Path(where).parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except filelock.Timeout:
        raise JournalError(
            f"Another import is running with the journal at {where}. Wait for it to "
            "finish (or stop it), then run again."
        ) from None
    except OSError as error:
        raise JournalError(
            f"The journal at {where} cannot be locked ({error}). Choose another place "
            "with --journal PATH."
        ) from None
    return lock


def _connect(where: str) -> sqlite3.Connection:
    """The connection to an up-to-date journal; JournalError when it cannot be had."""
    connection: sqlite3.Connection | None = None
    try:
        if where != _MEMORY:
            Path(where).parent.mkdir(parents=True, exist_ok=True)
        # autocommit: every write is its own durable transaction unless grouped in one.
        connection = sqlite3.connect(where, timeout=_OPEN_WAIT_SECONDS, isolation_level=None)
        connection.row_factory = sqlite3.Row
        _write_ahead(connection)
        # FULL: a commit is on disk before it returns, so `sending` is durable before the
        # request leaves, even if the machine loses power.
        connection.execute("PRAGMA synchronous=FULL")
        migrate(connection, where=where)
    except BaseException as error:
        if connection is not None:
            connection.close()
        if isinstance(error, (sqlite3.Error, OSError)):
            raise JournalError(
                f"The journal at {where} cannot be opened ({error}). Choose another place "
                "with --journal PATH, or check that the folder is writable."
            ) from None
        raise
    return connection


def _write_ahead(connection: sqlite3.Connection) -> None:
    """Turn on write-ahead logging, waiting while another opener of a new journal holds it.

    The switch needs the file to itself, and SQLite answers "database is locked" at once
    rather than waiting as it does for writes: two commands opening a new journal together
    (the workbench and a run, say) would fail one of them. The mode stays with the file, so
    only the first opening of a journal can meet this.
    """
    deadline = time.monotonic() + _OPEN_WAIT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
