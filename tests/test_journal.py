"""The journal: payments claimed before sending, settled after, and the runs that sent them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from importer.errors import JournalError
from importer.journal import InvoiceState, Journal, RunRow, default_journal_path, sent_by

API = "https://services.leadconnectorhq.com"
NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def open_journal(tmp_path: Path) -> Journal:
    """A journal in a temporary folder whose clock says noon on 2 November 2026."""
    return Journal.open(tmp_path / "journal.sqlite3", now=lambda: NOON)


def claim(journal: Journal, key: str, run_id: int, **options: bool) -> object:
    """Claim one payment of 12.50 on row 2 of deposit.csv."""
    return journal.claim(
        api_url=API,
        key=key,
        run_id=run_id,
        row=2,
        file="deposit.csv",
        invoice_id="a1",
        amount=Decimal("12.50"),
        paid_on="2026-10-03",
        paid_before=Decimal(0),
        **options,
    )


def a_run(journal: Journal, tmp_path: Path) -> int:
    """Start a run for a small file."""
    payments = tmp_path / "deposit.csv"
    payments.write_text("Invoice,Amount\n1001,12.50\n")
    return journal.start_run(file=payments, location_id="loc1", api_url=API)


def test_a_claim_is_on_disk_before_it_returns(tmp_path: Path) -> None:
    """A payment claimed 'sending' can be read at once by another connection (as after a crash)."""
    journal = open_journal(tmp_path)
    run_id = a_run(journal, tmp_path)
    assert claim(journal, "k1", run_id) is None
    other = sqlite3.connect(tmp_path / "journal.sqlite3")
    assert other.execute("SELECT key, state, run_id FROM payments").fetchall() == [
        ("k1", "sending", run_id)
    ]
    assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    other.close()
    journal.close()


def test_a_recorded_payment_cannot_be_claimed_again(tmp_path: Path) -> None:
    """Once settled 'recorded', a claim by any run returns the entry instead of claiming."""
    with open_journal(tmp_path) as journal:
        first = a_run(journal, tmp_path)
        claim(journal, "k1", first)
        journal.settle(api_url=API, key="k1", state="recorded")
        second = a_run(journal, tmp_path)
        blocking = claim(journal, "k1", second, taking_over=True)
        entry = journal.find(API, ["k1"])["k1"]
    assert blocking == entry
    assert (entry.state, entry.run_id, entry.settled_at) == (
        "recorded",
        first,
        "2026-11-02 12:00:00 UTC",
    )


def test_a_payment_another_run_is_sending_is_taken_over_only_when_asked(tmp_path: Path) -> None:
    """A payment left 'sending' by another run blocks a claim, unless the caller verified it."""
    with open_journal(tmp_path) as journal:
        first = a_run(journal, tmp_path)
        claim(journal, "k1", first)
        second = a_run(journal, tmp_path)
        assert claim(journal, "k1", second) is not None
        assert claim(journal, "k1", second, taking_over=True) is None
        assert journal.find(API, ["k1"])["k1"].run_id == second


def test_rejected_failed_and_not_sent_payments_may_be_sent_again(tmp_path: Path) -> None:
    """Only recorded and in-doubt payments block a later run's claim."""
    with open_journal(tmp_path) as journal:
        first = a_run(journal, tmp_path)
        for key, state in [("r", "rejected"), ("f", "failed"), ("n", "not_sent")]:
            claim(journal, key, first)
            journal.settle(api_url=API, key=key, state=state)
        second = a_run(journal, tmp_path)
        assert [claim(journal, key, second) for key in "rfn"] == [None, None, None]


def test_payments_are_kept_apart_by_api(tmp_path: Path) -> None:
    """The same key recorded on a sandbox does not count for the real API."""
    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        claim(journal, "k1", run_id)
        assert journal.find("http://127.0.0.1:8787", ["k1"]) == {}


def test_a_finished_run_keeps_who_what_counts_totals_and_rows(tmp_path: Path) -> None:
    """runs() lists the run with its file's checksum, user, counts and totals; rows are kept."""
    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        journal.finish_run(
            run_id,
            outcome="finished",
            message="",
            counts={"recorded": 1},
            totals={"USD": Decimal("12.5")},
            rows=[RunRow(2, "recorded", "", "a1", "12.50")],
        )
        (record,) = journal.runs()
        rows = journal.run_rows(run_id)
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
    assert rows == [RunRow(2, "recorded", "", "a1", "12.50")]


def test_default_path_follows_the_environment_variable(tmp_path: Path) -> None:
    """IMPORTER_JOURNAL chooses the journal; without it, a file in the user's data folder."""
    chosen = tmp_path / "mine.sqlite3"
    assert default_journal_path(environ={"IMPORTER_JOURNAL": str(chosen)}) == chosen
    fallback = default_journal_path(environ={})
    assert fallback.name == "journal.sqlite3"
    assert "importer" in fallback.parts


def test_a_journal_that_cannot_be_opened_says_where_and_what_to_do(tmp_path: Path) -> None:
    """A journal path inside a file (not a folder) gives a JournalError naming --journal."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(JournalError, match="--journal PATH") as caught:
        Journal.open(blocker / "journal.sqlite3")
    assert str(blocker) in str(caught.value)


def test_two_runs_cannot_hold_one_journal_at_once(tmp_path: Path) -> None:
    """A second exclusive open says another import is running; after the first closes, it opens."""
    path = tmp_path / "journal.sqlite3"
    first = Journal.open(path, exclusive=True)
    with pytest.raises(JournalError, match="Another import is running with the journal at"):
        Journal.open(path, exclusive=True)
    reader = Journal.open(path)  # listing runs needs no lock
    reader.close()
    first.close()
    Journal.open(path, exclusive=True).close()


def test_a_file_that_is_not_a_journal_is_refused_with_one_line(tmp_path: Path) -> None:
    """`importer runs --journal` on a file that is not SQLite exits 2 with the reason."""
    from click.testing import CliRunner

    from importer.cli import cli

    garbage = tmp_path / "notes.sqlite3"
    garbage.write_bytes(b"this is not a database at all, just some text" * 50)
    result = CliRunner().invoke(cli, ["runs", "--journal", str(garbage)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: The journal at {garbage} cannot be opened (")
    assert line.endswith(
        "Choose another place with --journal PATH, or check that the folder is writable."
    )


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
    with Journal.open(path, now=lambda: NOON) as journal:
        (entry,) = journal.find("x", ["k1"]).values()
        assert (entry.state, entry.row, entry.mode, entry.invoice) == (
            "recorded",
            2,
            "",
            InvoiceState(),
        )
        assert journal.run_rows(1) == [RunRow(2, "recorded", "", "a1", "12.50")]
        old_run = journal.run(1)
        assert old_run is not None
        assert old_run.requests is None
        run_id = a_run(journal, tmp_path)
        state = InvoiceState("INV-1001", "paid", "12.50", "0", "USD")
        journal.finish_run(
            run_id, outcome="finished", message="", counts={}, totals={}, requests=3,
            rows=[RunRow(2, "recorded", "", "a1", "12.50", "cash", state)],
        )  # fmt: skip
        assert journal.run_rows(run_id) == [RunRow(2, "recorded", "", "a1", "12.50", "cash", state)]
        new_run = journal.run(run_id)
        assert new_run is not None
        assert new_run.requests == 3


def test_sent_at_follows_the_request_when_it_leaves_more_than_a_second_after_its_claim(
    tmp_path: Path,
) -> None:
    """A request leaving within a second of its claim keeps the claim's sent_at (no second
    write); one that waited longer (at the throttle, or sent again) moves sent_at to then, and
    sent_by is two seconds past it, when the request had surely left."""
    moments = [NOON]
    with Journal.open(tmp_path / "journal.sqlite3", now=lambda: moments[-1]) as journal:
        run_id = a_run(journal, tmp_path)
        claim(journal, "k1", run_id)
        moments.append(NOON + timedelta(seconds=0.9))
        journal.leaving(api_url=API, key="k1")
        kept = journal.find(API, ["k1"])["k1"]
        moments.append(NOON + timedelta(seconds=7.5))
        journal.leaving(api_url=API, key="k1")
        moved = journal.find(API, ["k1"])["k1"]
    assert (kept.sent_at, moved.sent_at) == ("2026-11-02 12:00:00 UTC", "2026-11-02 12:00:07 UTC")
    assert sent_by(moved) == datetime(2026, 11, 2, 12, 0, 9, tzinfo=UTC)
