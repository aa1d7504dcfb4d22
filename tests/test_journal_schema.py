"""The journal's schema steps: a journal written by any earlier version opens, keeps every
payment and run, and gains what came since; one written by a newer version is refused."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from importer.errors import JournalError
from importer.journal.journal import Journal
from importer.journal.ledger import Entry, HandSettlement, InvoiceState
from importer.journal.runs import ReadingChoices, RunRow
from importer.status import PaymentState, RowStatus, RunOutcome
from tests.clocks import ManualClock
from tests.conftest import DATA
from tests.journals import NOON, a_run, claim

API = "https://services.leadconnectorhq.com"
THEN = "2026-10-01 09:00:00 UTC"
VERSION = 3  # the steps this version of the journal takes


@dataclass(frozen=True)
class Shape:
    """A journal as one earlier version wrote it (tests/data/journals/NAME.sqlite3, written by
    tests/make_old_journals.py), and what that version kept."""

    name: str
    invoices: bool = False  # each payment's and row's mode and invoice; requests; decimal mark
    currency: bool = False  # each payment's and row's currency (alone, or with its invoice)
    by_hand: bool = False  # payments in doubt settled by hand


SHAPES = [
    Shape("first"),
    Shape("invoices-kept", invoices=True, currency=True),
    Shape("row-warnings", invoices=True, currency=True),
    Shape("settled-by-hand", by_hand=True),
    Shape("currencies", currency=True, by_hand=True),
    Shape("uncounted", invoices=True, currency=True, by_hand=True),
]


def old_journal(shape: Shape, folder: Path) -> Path:
    """A copy of the journal file an earlier version wrote."""
    path = folder / "journal.sqlite3"
    shutil.copyfile(DATA / "journals" / f"{shape.name}.sqlite3", path)
    return path


def tables(path: Path) -> dict[str, set[tuple[object, ...]]]:
    """Each table's columns: name, type, NOT NULL, default, place in the primary key."""
    connection = sqlite3.connect(path)
    names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    found = {
        name: {tuple(c[1:]) for c in connection.execute(f"PRAGMA table_info({name})")}
        for name in names
    }
    connection.close()
    return found


def version(path: Path) -> int:
    """The steps the journal at ``path`` has taken, as SQLite keeps the count."""
    connection = sqlite3.connect(path)
    (found,) = connection.execute("PRAGMA user_version").fetchone()
    connection.close()
    return int(found)


def expected_payments(shape: Shape) -> dict[str, Entry]:
    """The four payments of the old journal, as today's code must read them."""

    def invoice(number: str, *after: str) -> InvoiceState:
        if shape.invoices:
            return InvoiceState(number, *after, currency="USD")
        return InvoiceState(currency="USD" if shape.currency else "")

    mode = "cash" if shape.invoices else ""
    if shape.by_hand:
        k2, k2_message = PaymentState.RECORDED, f"Found recorded in HighLevel by ana on {THEN}."
    else:
        k2, k2_message = PaymentState.UNKNOWN, "No answer came before the timeout."
    return {
        "k1": Entry("k1", PaymentState.RECORDED, 1, 2, "deposit.csv", "a1", Decimal("12.50"),
                    "2026-09-30", Decimal(0), "", THEN, THEN, mode,
                    invoice("INV-1001", "paid", "12.50", "0.00")),
        "k2": Entry("k2", k2, 1, 3, "deposit.csv", "a2", Decimal("80.00"), "2026-09-30",
                    Decimal(0), k2_message, THEN, THEN, mode, invoice("INV-1002")),
        "k3": Entry("k3", PaymentState.REJECTED, 1, 4, "deposit.csv", "a3", Decimal("5.00"),
                    "2026-09-30", Decimal(0), "The invoice is void.", THEN, THEN, mode,
                    invoice("INV-1003")),
        "k4": Entry("k4", PaymentState.SENDING, 2, 5, "deposit.csv", "a4", Decimal("7.25"),
                    "2026-09-30", Decimal(0), "", THEN, None, mode,
                    InvoiceState(currency="USD" if shape.currency and not shape.invoices else "")),
    }  # fmt: skip


def expected_rows(shape: Shape) -> list[RunRow]:
    """Run 1's rows, as today's code must read them."""
    mode = "cash" if shape.invoices else ""
    currency = InvoiceState(currency="USD" if shape.currency else "")
    paid = InvoiceState("INV-1001", "paid", "12.50", "0.00", "USD") if shape.invoices else currency
    unpaid = InvoiceState() if shape.invoices else currency
    return [
        RunRow(2, RowStatus.RECORDED, "", "a1", "12.50", mode, paid),
        RunRow(3, RowStatus.UNKNOWN, "No answer came before the timeout.", "a2", "80.00", mode,
               unpaid),
        RunRow(4, RowStatus.REJECTED, "The invoice is void.", "a3", "5.00", mode, unpaid),
    ]  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])
def test_a_journal_an_earlier_version_wrote_opens_as_todays(shape: Shape, tmp_path: Path) -> None:
    """Opened, an earlier version's journal takes the steps it lacks and has today's tables;
    its payments, runs and rows read back as written (what it did not keep, empty), its
    recorded and in-flight payments still block a re-send, and a new run keeps its reading."""
    path = old_journal(shape, tmp_path)
    Journal.open(tmp_path / "fresh.sqlite3").close()
    with Journal.open(path, clock=ManualClock(NOON)) as journal:
        assert journal.ledger.find(API, ["k1", "k2", "k3", "k4"]) == expected_payments(shape)
        assert journal.history.run_rows(1) == expected_rows(shape)
        first, second = journal.history.run(1), journal.history.run(2)
        assert first is not None
        assert second is not None
        assert (first.outcome, first.counts, first.totals) == (
            RunOutcome.FINISHED,
            {"recorded": 1, "unknown": 1, "rejected": 1},
            {"USD": "12.50"},
        )
        kept = (5, 1, ReadingChoices(decimal_mark=","))
        assert (first.requests, first.lookup_requests, first.reading) == (
            kept if shape.invoices else (None, None, ReadingChoices())
        )
        assert journal.outcome_of(second) == RunOutcome.DID_NOT_FINISH
        assert journal.ledger.hand_settlements(1) == (
            [HandSettlement(1, 3, True, PaymentState.UNKNOWN, "ana", THEN)] if shape.by_hand else []
        )  # fmt: skip
        third = a_run(journal, tmp_path, ReadingChoices(sheet="Deposits", template="default"))
        blocked = [claim(journal, key, third) for key in ("k1", "k3", "k4")]
        reading = journal.history.run(third).reading  # type: ignore[union-attr]
    assert [entry and entry.state for entry in blocked] == ["recorded", None, "sending"]
    assert reading == ReadingChoices(sheet="Deposits", template="default")
    assert (version(path), tables(path)) == (VERSION, tables(tmp_path / "fresh.sqlite3"))


# The journal as the first versions wrote it, before rows kept their invoice.
FIRST_SCHEMA = """
CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
    user TEXT NOT NULL, file TEXT NOT NULL, file_sha256 TEXT NOT NULL,
    location_id TEXT NOT NULL, api_url TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'running', message TEXT NOT NULL DEFAULT '',
    counts TEXT NOT NULL DEFAULT '{}', totals TEXT NOT NULL DEFAULT '{}');
CREATE TABLE payments (api_url TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id), row INTEGER NOT NULL, file TEXT NOT NULL,
    invoice_id TEXT NOT NULL, amount TEXT NOT NULL, paid_on TEXT NOT NULL,
    paid_before TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', sent_at TEXT NOT NULL,
    settled_at TEXT, PRIMARY KEY (api_url, key));
CREATE TABLE run_rows (run_id INTEGER NOT NULL REFERENCES runs(id), row INTEGER NOT NULL,
    status TEXT NOT NULL, message TEXT NOT NULL, invoice_id TEXT NOT NULL,
    amount TEXT NOT NULL, PRIMARY KEY (run_id, row));
INSERT INTO runs (started_at, user, file, file_sha256, location_id, api_url, outcome)
    VALUES ('2026-10-01 09:00:00 UTC', 'ana', '/deposit.csv', 'ab', 'loc1', 'x', 'finished');
INSERT INTO payments VALUES ('x', 'k1', 'recorded', 1, 2, 'deposit.csv', 'a1', '12.50',
    '2026-10-01', '0', '', '2026-10-01 09:00:00 UTC', '2026-10-01 09:00:01 UTC');
INSERT INTO run_rows VALUES (1, 2, 'recorded', '', 'a1', '12.50');
"""


def test_a_journal_from_before_rows_kept_their_invoice_opens_and_keeps_its_payments(
    tmp_path: Path,
) -> None:
    """An older journal gains the new columns when opened; its payments still skip re-runs."""
    path = tmp_path / "journal.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(FIRST_SCHEMA)
    old.close()
    with Journal.open(path, clock=ManualClock(NOON)) as journal:
        (entry,) = journal.ledger.find("x", ["k1"]).values()
        assert (entry.state, entry.row, entry.mode, entry.invoice) == (
            "recorded",
            2,
            "",
            InvoiceState(),
        )
        assert journal.history.run_rows(1) == [RunRow(2, RowStatus.RECORDED, "", "a1", "12.50")]
        old_run = journal.history.run(1)
        assert old_run is not None
        assert old_run.requests is None
        run_id = a_run(journal, tmp_path)
        state = InvoiceState("INV-1001", "paid", "12.50", "0", "USD")
        journal.history.finish_run(
            run_id, outcome=RunOutcome.FINISHED, message="", counts={}, totals={}, requests=3,
            rows=[RunRow(2, RowStatus.RECORDED, "", "a1", "12.50", "cash", state)],
        )  # fmt: skip
        assert journal.history.run_rows(run_id) == [
            RunRow(2, RowStatus.RECORDED, "", "a1", "12.50", "cash", state)
        ]
        new_run = journal.history.run(run_id)
        assert new_run is not None
        assert new_run.requests == 3


def test_a_journal_a_newer_version_wrote_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """A journal that has taken more steps than this version knows is not opened (nor
    changed): the message says to update the importer; the lock is freed."""
    path = tmp_path / "journal.sqlite3"
    Journal.open(path).close()
    newer = sqlite3.connect(path)
    newer.execute(f"PRAGMA user_version = {VERSION + 1}")
    newer.close()
    before = tables(path)
    for _ in range(2):
        with pytest.raises(JournalError) as refused:
            Journal.open(path, exclusive=True)
        assert str(refused.value) == (
            f"The journal at {path} was written by a newer version of importer (journal version "
            f"{VERSION + 1}; this one knows up to {VERSION}). Update importer, then run again."
        )
    assert (version(path), tables(path)) == (VERSION + 1, before)


def test_several_commands_opening_a_new_journal_at_once_all_open_it(tmp_path: Path) -> None:
    """Each step is taken once, by whichever opener comes first; the others find it taken.
    Turning on write-ahead logging is refused at once, not waited for, when two openers of a
    new journal meet: over many rounds, every opener still opens it."""
    failures: list[BaseException] = []
    for round_ in range(25):
        path = tmp_path / f"journal-{round_}.sqlite3"
        start = threading.Barrier(6)

        def open_it(path: Path = path, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                Journal.open(path).close()
            except BaseException as error:  # handed to the test's thread
                failures.append(error)

        openers = [threading.Thread(target=open_it) for _ in range(6)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join()
    Journal.open(tmp_path / "fresh.sqlite3").close()
    assert failures == []
    for round_ in range(25):
        path = tmp_path / f"journal-{round_}.sqlite3"
        assert (version(path), tables(path)) == (VERSION, tables(tmp_path / "fresh.sqlite3"))
