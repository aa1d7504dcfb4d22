"""The journal: every payment we ever sent, what came back, and every run, in SQLite.

The API has no idempotency key, so this file is what stands between a re-run and a payment
recorded twice. A payment is written ``sending`` and made durable (WAL, ``synchronous=FULL``)
before its request leaves, and settled (``recorded``, ``rejected``, ``failed``, ``unknown``,
``not_sent``) when the answer is known. A payment still ``sending`` at the start of a run was
in flight when a run died: the next run verifies it against the API before anything else.

Payments are keyed by the API they were sent to and their payment key (see
``submit.payment_key``), so the same payment in another file is found too.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import filelock
import platformdirs

from importer.errors import JournalError

JOURNAL_ENV = "IMPORTER_JOURNAL"
# States a later run must verify against the API before it may send the payment again.
IN_DOUBT = frozenset({"sending", "unknown"})
Now = Callable[[], datetime]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
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
);
CREATE TABLE IF NOT EXISTS payments (
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
);
CREATE TABLE IF NOT EXISTS settled_by_hand (
    api_url TEXT NOT NULL,
    key TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    row INTEGER NOT NULL,
    found TEXT NOT NULL,
    was TEXT NOT NULL,
    user TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS run_rows (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    row INTEGER NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    invoice_id TEXT NOT NULL,
    amount TEXT NOT NULL,
    PRIMARY KEY (run_id, row)
);
"""
# Columns added since the first journals, so that a run's results can be rebuilt in full:
# an older journal gets them (empty for its old rows) when it is opened.
_ADDED_COLUMNS = {
    "runs": (
        ("requests", "INTEGER"),
        ("lookup_requests", "INTEGER"),
        ("decimal_mark", "TEXT NOT NULL DEFAULT ''"),
    ),
    "payments": (
        ("mode", "TEXT NOT NULL DEFAULT ''"),
        ("invoice_number", "TEXT NOT NULL DEFAULT ''"),
        ("invoice_status", "TEXT NOT NULL DEFAULT ''"),
        ("amount_paid", "TEXT NOT NULL DEFAULT ''"),
        ("amount_due", "TEXT NOT NULL DEFAULT ''"),
        ("currency", "TEXT NOT NULL DEFAULT ''"),
    ),
    "run_rows": (
        ("mode", "TEXT NOT NULL DEFAULT ''"),
        ("warning", "TEXT NOT NULL DEFAULT ''"),
        ("invoice_number", "TEXT NOT NULL DEFAULT ''"),
        ("invoice_status", "TEXT NOT NULL DEFAULT ''"),
        ("amount_paid", "TEXT NOT NULL DEFAULT ''"),
        ("amount_due", "TEXT NOT NULL DEFAULT ''"),
        ("currency", "TEXT NOT NULL DEFAULT ''"),
    ),
}


def _add_columns(connection: sqlite3.Connection) -> None:
    for table, columns in _ADDED_COLUMNS.items():
        present = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        for name, kind in columns:
            if name not in present:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def default_journal_path(*, environ: Mapping[str, str] = os.environ) -> Path:
    """Where the journal lives: ``IMPORTER_JOURNAL``, else the user's data folder."""
    chosen = environ.get(JOURNAL_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_data_path("importer", appauthor=False) / "journal.sqlite3"


def file_sha256(path: Path) -> str:
    """The file's SHA-256, so a run names exactly which version of the file it read."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _utc_now() -> datetime:
    return datetime.now(UTC)


# How the journal writes a moment, and so how sent_by reads one back.
_STAMP = "%Y-%m-%d %H:%M:%S UTC"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(_STAMP)


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


@dataclass(frozen=True)
class InvoiceState:
    """An invoice as a run last saw it: its number, status, balance and currency, as text."""

    number: str = ""
    status: str = ""
    amount_paid: str = ""
    amount_due: str = ""
    currency: str = ""


@dataclass(frozen=True)
class Entry:
    """One payment as the journal knows it."""

    key: str
    state: str
    run_id: int
    row: int
    file: str
    invoice_id: str
    amount: Decimal
    paid_on: str
    paid_before: Decimal
    message: str
    sent_at: str
    settled_at: str | None
    mode: str = ""
    # The invoice when the payment was sent; once recorded, as the API's answer showed it.
    invoice: InvoiceState = InvoiceState()


@dataclass(frozen=True)
class Money:
    """How many payments, for how much."""

    count: int
    total: Decimal


@dataclass(frozen=True)
class RunMoney:
    """What one run did with money, from the journal, whether or not the run finished."""

    recorded: dict[str, Money]  # payments this run recorded, by currency
    skipped: dict[str, Money]  # rows it skipped: recorded by earlier runs, by currency
    held: dict[str, int]  # the payments the journal holds for this run, by state


@dataclass(frozen=True)
class HandSettlement:
    """What an accountant found in HighLevel for a payment in doubt, and who said so when."""

    run_id: int
    row: int
    recorded: bool
    was: str  # the payment's state before: sending or unknown
    user: str
    at: str


@dataclass(frozen=True)
class JournalHealth:
    """What ``importer doctor`` says of the journal."""

    sound: bool
    check: str  # SQLite's own word: "ok", or what is wrong
    runs: int
    payments: int
    in_doubt: int


@dataclass(frozen=True)
class RunRecord:
    """One run: when, who, which file, and how it ended."""

    id: int
    started_at: str
    finished_at: str | None
    user: str
    file: str
    file_sha256: str
    location_id: str
    api_url: str
    outcome: str
    message: str
    counts: dict[str, int]
    totals: dict[str, str]
    # Requests the run spent (None for a run that did not finish), and its amounts' mark.
    requests: int | None = None
    lookup_requests: int | None = None
    decimal_mark: str = ""


@dataclass(frozen=True)
class RunRow:
    """One row's outcome in a finished run."""

    row: int
    status: str
    message: str
    invoice_id: str
    amount: str
    mode: str = ""
    invoice: InvoiceState = InvoiceState()
    warning: str = ""


class Journal:
    """The SQLite journal; open with ``Journal.open(path)``, close when the run ends."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        where: str,
        now: Now,
        lock: filelock.BaseFileLock | None = None,
    ) -> None:
        self._db = connection
        self.where = where
        self._now = now
        self._lock = lock
        # When this process last wrote each payment's sent_at (see ``leaving``).
        self._sent_written: dict[tuple[str, str], datetime] = {}

    @classmethod
    def open(cls, path: Path | str, *, now: Now = _utc_now, exclusive: bool = False) -> Journal:
        """Open (or create) the journal at ``path``; ":memory:" keeps it for this run only.

        ``exclusive`` (for a run) holds a lock beside it until closed, so two imports never
        send from one journal at once: the second would take the first's payments in flight
        for a crash's leftovers. The operating system frees the lock if the process dies.
        """
        where = str(path)
        lock: filelock.BaseFileLock | None = None
        if exclusive and where != ":memory:":
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
        try:
            if where != ":memory:":
                Path(where).parent.mkdir(parents=True, exist_ok=True)
            # autocommit: every write below is its own durable transaction unless grouped.
            connection = sqlite3.connect(where, timeout=30.0, isolation_level=None)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk before it returns, so `sending` is durable before the
            # request leaves, even if the machine loses power.
            connection.execute("PRAGMA synchronous=FULL")
            connection.executescript(_SCHEMA)
            _add_columns(connection)
        except (sqlite3.Error, OSError) as error:
            if lock is not None:
                lock.release()
            raise JournalError(
                f"The journal at {where} cannot be opened ({error}). Choose another place "
                "with --journal PATH, or check that the folder is writable."
            ) from None
        return cls(connection, where=where, now=now, lock=lock)

    def now(self) -> datetime:
        """The time by the journal's clock, the one its stamps are written by."""
        return self._now()

    def close(self) -> None:
        """Close the journal and let another import use it."""
        self._db.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _write(self, sql: str, parameters: Sequence[object] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.Error as error:
            raise JournalError(
                f"The journal at {self.where} could not be written ({error}); the run stops "
                "so that no payment is sent without a record of it."
            ) from None

    def _read(self, sql: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise JournalError(
                f"The journal at {self.where} could not be read ({error}). Check the file, or "
                "choose another with --journal PATH."
            ) from None

    def health(self) -> JournalHealth:
        """Whether the file is sound, and what it holds."""
        verdict = self._read("PRAGMA quick_check")[0][0]
        runs = self._read("SELECT COUNT(*) FROM runs")[0][0]
        states: dict[str, int] = {
            row[0]: row[1]
            for row in self._read("SELECT state, COUNT(*) FROM payments GROUP BY state")
        }
        in_doubt = sum(count for state, count in states.items() if state in IN_DOUBT)
        return JournalHealth(verdict == "ok", str(verdict), runs, sum(states.values()), in_doubt)

    # Runs

    def start_run(self, *, file: Path, location_id: str, api_url: str) -> int:
        """Record the start of a run and return its number."""
        cursor = self._write(
            "INSERT INTO runs (started_at, user, file, file_sha256, location_id, api_url) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                _stamp(self._now()),
                _who(),
                str(file.resolve()),
                file_sha256(file),
                location_id,
                api_url,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(
        self,
        run_id: int,
        *,
        outcome: str,
        message: str,
        counts: Mapping[str, int],
        totals: Mapping[str, Decimal],
        rows: Iterable[RunRow],
        requests: int | None = None,
        lookup_requests: int | None = None,
        decimal_mark: str = "",
    ) -> None:
        """Record how a run ended, its counts and totals, and each row's outcome.

        Each row keeps its invoice's number, status and balance, so that the run's results
        file can be written again from the journal alone (``importer runs show --results``).
        """
        self._write("BEGIN IMMEDIATE")
        try:
            self._write(
                "UPDATE runs SET finished_at = ?, outcome = ?, message = ?, counts = ?, "
                "totals = ?, requests = ?, lookup_requests = ?, decimal_mark = ? WHERE id = ?",
                (
                    _stamp(self._now()),
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
                self._write(
                    "INSERT OR REPLACE INTO run_rows (run_id, row, status, message, invoice_id, "
                    "amount, mode, invoice_number, invoice_status, amount_paid, amount_due, "
                    "currency, warning) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    ),
                )
            self._write("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def runs(self, *, limit: int = 50) -> list[RunRecord]:
        """The latest runs, newest first."""
        found = self._read("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [_run_record(row) for row in found]

    def run(self, run_id: int) -> RunRecord | None:
        """One run, or None when the journal has no run with that number."""
        found = self._read("SELECT * FROM runs WHERE id = ?", (run_id,))
        return _run_record(found[0]) if found else None

    def run_rows(self, run_id: int) -> list[RunRow]:
        """Each row's outcome in one run, in row order."""
        found = self._read("SELECT * FROM run_rows WHERE run_id = ? ORDER BY row", (run_id,))
        return [
            RunRow(
                r["row"],
                r["status"],
                r["message"],
                r["invoice_id"],
                r["amount"],
                r["mode"],
                _invoice_state(r),
                r["warning"],
            )
            for r in found
        ]

    def run_money(self, run_id: int) -> RunMoney:
        """What run ``run_id`` recorded and skipped, and what the journal holds for it.

        Recorded counts only the payments this run sent and saw recorded (a run killed before
        it finished included), never the rows it skipped because an earlier run had.
        """
        recorded = _money(
            self._read(
                "SELECT currency, amount FROM payments WHERE run_id = ? AND state = 'recorded'",
                (run_id,),
            )
        )
        skipped = _money(
            self._read(
                "SELECT currency, amount FROM run_rows WHERE run_id = ? AND status = 'skipped'",
                (run_id,),
            )
        )
        held = {
            r[0]: r[1]
            for r in self._read(
                "SELECT state, COUNT(*) FROM payments WHERE run_id = ? GROUP BY state "
                "ORDER BY state",
                (run_id,),
            )
        }
        return RunMoney(recorded, skipped, held)

    def outcome_of(self, record: RunRecord) -> str:
        """How a run ended, as a person should read it now: a run still marked ``running``
        that no import holds any more (killed, or its computer died) did not finish."""
        if record.outcome != "running":
            return record.outcome
        newest = self._read("SELECT MAX(id) FROM runs WHERE outcome = 'running'")[0][0]
        if record.id == newest and self.import_running():
            return "running"
        return "did not finish"

    def import_running(self) -> bool:
        """True while an import holds this journal (see ``open``'s ``exclusive``)."""
        if self._lock is not None or self.where == ":memory:":
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

    # Payments

    def run_payments(self, run_id: int) -> list[Entry]:
        """The payments this run sent and still holds, in row order (a later run may take one)."""
        found = self._read("SELECT * FROM payments WHERE run_id = ? ORDER BY row", (run_id,))
        return [_entry(row) for row in found]

    def find(self, api_url: str, keys: Iterable[str]) -> dict[str, Entry]:
        """What the journal knows of these payment keys at this API."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Entry] = {}
        for start in range(0, len(wanted), 500):  # SQLite caps the number of parameters
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                f"SELECT * FROM payments WHERE api_url = ? AND key IN ({marks})",  # noqa: S608 (only ? marks)
                (api_url, *chunk),
            )
            for row in rows:
                found[row["key"]] = _entry(row)
        return found

    def claim(
        self,
        *,
        api_url: str,
        key: str,
        run_id: int,
        row: int,
        file: str,
        invoice_id: str,
        amount: Decimal,
        paid_on: str,
        paid_before: Decimal,
        taking_over: bool = False,
        mode: str = "",
        invoice: InvoiceState | None = None,
    ) -> Entry | None:
        """Write the payment ``sending``, durably; the blocking entry instead if it may not go.

        It may not go when the journal says it is recorded, or when another run is sending it
        (unless ``taking_over``: the caller verified that run's attempt came to nothing).
        """
        now = self._now()
        self._write("BEGIN IMMEDIATE")
        try:
            existing = self._read(
                "SELECT * FROM payments WHERE api_url = ? AND key = ?", (api_url, key)
            )
            if existing:
                entry = _entry(existing[0])
                held_elsewhere = entry.state in IN_DOUBT and entry.run_id != run_id
                if entry.state == "recorded" or (held_elsewhere and not taking_over):
                    self._write("ROLLBACK")
                    return entry
            state = invoice or InvoiceState()
            self._write(
                "INSERT OR REPLACE INTO payments (api_url, key, state, run_id, row, file, "
                "invoice_id, amount, paid_on, paid_before, message, sent_at, settled_at, mode, "
                "invoice_number, invoice_status, amount_paid, amount_due, currency) "
                "VALUES (?, ?, 'sending', ?, ?, ?, ?, ?, ?, ?, '', ?, NULL, ?, ?, ?, ?, ?, ?)",
                (
                    api_url,
                    key,
                    run_id,
                    row,
                    file,
                    invoice_id,
                    str(amount),
                    paid_on,
                    str(paid_before),
                    _stamp(now),
                    mode,
                    state.number,
                    state.status,
                    state.amount_paid,
                    state.amount_due,
                    state.currency,
                ),
            )
            self._write("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self._sent_written[(api_url, key)] = now
        return None

    def leaving(self, *, api_url: str, key: str) -> None:
        """The payment's request leaves now: keep its ``sent_at`` no earlier than a second before.

        A later run waits a while after ``sent_at`` before it judges a payment left in doubt
        (see ``sent_by``), so ``sent_at`` must not be much earlier than the request really
        left; the claim wrote it before the request waited its turn at the throttle, and a
        payment sent again leaves long after its claim. Written (durably, before the request
        leaves) only when the last value is more than a second old, so a request that leaves
        at once costs no second write.
        """
        now = self._now()
        written = self._sent_written.get((api_url, key))
        if written is not None and (now - written).total_seconds() <= 1.0:
            return
        self._write(
            "UPDATE payments SET sent_at = ? WHERE api_url = ? AND key = ?",
            (_stamp(now), api_url, key),
        )
        self._sent_written[(api_url, key)] = now

    def payment_at(self, run_id: int, row: int) -> Entry | None:
        """The payment run ``run_id`` sent from row ``row``, if the journal holds it under
        that run (a later run that sent it again holds it instead)."""
        found = self._read("SELECT * FROM payments WHERE run_id = ? AND row = ?", (run_id, row))
        return _entry(found[0]) if found else None

    def settle_by_hand(self, run_id: int, row: int, *, recorded: bool) -> HandSettlement | None:
        """Record what the accountant found in HighLevel for a payment in doubt (``sending`` or
        ``unknown``), and who said so when; None when that run holds no such payment.

        Found recorded, the next run skips it; found not recorded, the next run sends it.
        """
        now = _stamp(self._now())
        user = _who()
        self._write("BEGIN IMMEDIATE")
        try:
            found = self._read(
                "SELECT * FROM payments WHERE run_id = ? AND row = ? AND state IN "
                "('sending', 'unknown')",
                (run_id, row),
            )
            if not found:
                self._write("ROLLBACK")
                return None
            api_url, entry = found[0]["api_url"], _entry(found[0])
            state, message = (
                ("recorded", f"Found recorded in HighLevel by {user} on {now}.")
                if recorded
                else ("not_sent", f"Found not recorded in HighLevel by {user} on {now}.")
            )
            self._write(
                "UPDATE payments SET state = ?, message = ?, settled_at = ? "
                "WHERE api_url = ? AND key = ?",
                (state, message, now, api_url, entry.key),
            )
            self._write(
                "INSERT INTO settled_by_hand (api_url, key, run_id, row, found, was, user, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (api_url, entry.key, run_id, row, state, entry.state, user, now),
            )
            self._write("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        return HandSettlement(run_id, row, recorded, entry.state, user, now)

    def hand_settlements(self, run_id: int) -> list[HandSettlement]:
        """The payments of run ``run_id`` settled by hand, in the order they were."""
        found = self._read(
            "SELECT * FROM settled_by_hand WHERE run_id = ? ORDER BY rowid", (run_id,)
        )
        return [
            HandSettlement(
                r["run_id"], r["row"], r["found"] == "recorded", r["was"], r["user"], r["at"]
            )
            for r in found
        ]

    def settle(
        self,
        *,
        api_url: str,
        key: str,
        state: str,
        message: str = "",
        invoice: InvoiceState | None = None,
    ) -> None:
        """Record what became of a payment that was sent (or verified), and its invoice after."""
        if invoice is None:
            self._write(
                "UPDATE payments SET state = ?, message = ?, settled_at = ? "
                "WHERE api_url = ? AND key = ?",
                (state, message, _stamp(self._now()), api_url, key),
            )
            return
        self._write(
            "UPDATE payments SET state = ?, message = ?, settled_at = ?, invoice_number = ?, "
            "invoice_status = ?, amount_paid = ?, amount_due = ?, currency = ? "
            "WHERE api_url = ? AND key = ?",
            (
                state,
                message,
                _stamp(self._now()),
                invoice.number,
                invoice.status,
                invoice.amount_paid,
                invoice.amount_due,
                invoice.currency,
                api_url,
                key,
            ),
        )


def sent_by(entry: Entry) -> datetime:
    """When the payment's request had left at the latest: ``sent_at`` is cut to the second, and
    the request may have left up to a second after it (see ``Journal.leaving``)."""
    stamped = datetime.strptime(entry.sent_at, _STAMP).replace(tzinfo=UTC)
    return stamped + timedelta(seconds=2)


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        key=row["key"],
        state=row["state"],
        run_id=row["run_id"],
        row=row["row"],
        file=row["file"],
        invoice_id=row["invoice_id"],
        amount=Decimal(row["amount"]),
        paid_on=row["paid_on"],
        paid_before=Decimal(row["paid_before"]),
        message=row["message"],
        sent_at=row["sent_at"],
        settled_at=row["settled_at"],
        mode=row["mode"],
        invoice=_invoice_state(row),
    )


def _invoice_state(row: sqlite3.Row) -> InvoiceState:
    return InvoiceState(
        number=row["invoice_number"],
        status=row["invoice_status"],
        amount_paid=row["amount_paid"],
        amount_due=row["amount_due"],
        currency=row["currency"],
    )


def _money(rows: Iterable[sqlite3.Row]) -> dict[str, Money]:
    """Count and total by currency of (currency, amount) rows."""
    counts: dict[str, int] = {}
    totals: dict[str, Decimal] = {}
    for currency, amount in rows:
        counts[currency] = counts.get(currency, 0) + 1
        totals[currency] = totals.get(currency, Decimal(0)) + Decimal(amount or 0)
    return {currency: Money(counts[currency], totals[currency]) for currency in sorted(counts)}


def _run_record(row: sqlite3.Row) -> RunRecord:
    return RunRecord(
        id=row["id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        user=row["user"],
        file=row["file"],
        file_sha256=row["file_sha256"],
        location_id=row["location_id"],
        api_url=row["api_url"],
        outcome=row["outcome"],
        message=row["message"],
        counts=json.loads(row["counts"]),
        totals=json.loads(row["totals"]),
        requests=row["requests"],
        lookup_requests=row["lookup_requests"],
        decimal_mark=row["decimal_mark"],
    )
