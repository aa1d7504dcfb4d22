"""The payment ledger: payments claimed before sending, settled after, and settled by hand."""

from __future__ import annotations

import getpass
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from importer.journal.ledger import HandSettlement, InvoiceState, sent_by
from importer.status import PaymentState
from tests.clocks import ManualClock
from tests.journals import API, NOON, a_run, claim, open_journal


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
        journal.ledger.settle(account=API, key="k1", state=PaymentState.RECORDED)
        second = a_run(journal, tmp_path)
        blocking = claim(journal, "k1", second, taking_over=True)
        entry = journal.ledger.find(API, ["k1"])["k1"]
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
        assert journal.ledger.find(API, ["k1"])["k1"].run_id == second


def test_rejected_failed_and_not_sent_payments_may_be_sent_again(tmp_path: Path) -> None:
    """Only recorded and in-doubt payments block a later run's claim."""
    with open_journal(tmp_path) as journal:
        first = a_run(journal, tmp_path)
        for key, state in [
            ("r", PaymentState.REJECTED),
            ("f", PaymentState.FAILED),
            ("n", PaymentState.NOT_SENT),
        ]:
            claim(journal, key, first)
            journal.ledger.settle(account=API, key=key, state=state)
        second = a_run(journal, tmp_path)
        assert [claim(journal, key, second) for key in "rfn"] == [None, None, None]


def test_payments_are_kept_apart_by_api(tmp_path: Path) -> None:
    """The same key recorded on a sandbox does not count for the real API."""
    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        claim(journal, "k1", run_id)
        assert journal.ledger.find("http://127.0.0.1:8787", ["k1"]) == {}


def test_a_payment_settled_keeps_its_invoice_as_the_answer_showed_it(tmp_path: Path) -> None:
    """Settled with the invoice after, the entry keeps its number, status and balance; what
    the claim knew of it (number and currency) is replaced."""
    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        before = InvoiceState("INV-7", currency="USD")
        claim(journal, "k1", run_id, mode="cash", invoice=before)
        sent = journal.ledger.find(API, ["k1"])["k1"]
        after = InvoiceState("INV-7", "paid", "12.50", "0.00", "USD")
        journal.ledger.settle(account=API, key="k1", state=PaymentState.RECORDED, invoice=after)
        settled = journal.ledger.find(API, ["k1"])["k1"]
    assert (sent.state, sent.mode, sent.invoice) == ("sending", "cash", before)
    assert (settled.state, settled.mode, settled.invoice) == ("recorded", "cash", after)


def test_sent_at_follows_the_request_when_it_leaves_more_than_a_second_after_its_claim(
    tmp_path: Path,
) -> None:
    """A request leaving within a second of its claim keeps the claim's sent_at (no second
    write); one that waited longer (at the throttle, or sent again) moves sent_at to then, and
    sent_by is two seconds past it, when the request had surely left."""
    clock = ManualClock(NOON)
    with open_journal(tmp_path, clock) as journal:
        run_id = a_run(journal, tmp_path)
        claim(journal, "k1", run_id)
        clock.advance(0.9)
        journal.ledger.leaving(account=API, key="k1")
        kept = journal.ledger.find(API, ["k1"])["k1"]
        clock.advance(6.6)
        journal.ledger.leaving(account=API, key="k1")
        moved = journal.ledger.find(API, ["k1"])["k1"]
    assert (kept.sent_at, moved.sent_at) == ("2026-11-02 12:00:00 UTC", "2026-11-02 12:00:07 UTC")
    assert sent_by(moved) == datetime(2026, 11, 2, 12, 0, 9, tzinfo=UTC)


def test_a_payment_in_doubt_found_recorded_by_hand_is_recorded_and_says_who(
    tmp_path: Path,
) -> None:
    """settle_by_hand on an unknown payment: recorded, with who found it when, and a hand
    settlement the run keeps; a later run's claim is refused."""
    user = getpass.getuser()
    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        claim(journal, "k1", run_id)
        journal.ledger.settle(account=API, key="k1", state=PaymentState.UNKNOWN, message="?")
        settled = journal.ledger.settle_by_hand(run_id, 2, recorded=True)
        entry = journal.ledger.payment_at(run_id, 2)
        later = a_run(journal, tmp_path)
        blocking = claim(journal, "k1", later, taking_over=True)
        kept = journal.ledger.hand_settlements(run_id)
    stamp = "2026-11-02 12:00:00 UTC"
    assert settled == HandSettlement(run_id, 2, True, PaymentState.UNKNOWN, user, stamp)
    assert kept == [settled]
    assert entry is not None
    assert (entry.state, entry.message, entry.settled_at) == (
        "recorded",
        f"Found recorded in HighLevel by {user} on {stamp}.",
        stamp,
    )
    assert blocking == entry


def test_a_payment_found_not_recorded_by_hand_goes_with_the_next_run(tmp_path: Path) -> None:
    """Found not recorded, a payment left sending is not_sent: the next run may claim it."""
    user = getpass.getuser()
    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        claim(journal, "k1", run_id)
        settled = journal.ledger.settle_by_hand(run_id, 2, recorded=False)
        entry = journal.ledger.payment_at(run_id, 2)
        later = a_run(journal, tmp_path)
        assert claim(journal, "k1", later) is None
    assert settled == HandSettlement(
        run_id, 2, False, PaymentState.SENDING, user, "2026-11-02 12:00:00 UTC"
    )
    assert entry is not None
    assert entry.state == PaymentState.NOT_SENT


def test_only_a_payment_in_doubt_is_settled_by_hand(tmp_path: Path) -> None:
    """A recorded payment, or a row the run holds no payment for, is left as it was: None."""
    with open_journal(tmp_path) as journal:
        run_id = a_run(journal, tmp_path)
        claim(journal, "k1", run_id)
        journal.ledger.settle(account=API, key="k1", state=PaymentState.RECORDED)
        before = journal.ledger.payment_at(run_id, 2)
        assert journal.ledger.settle_by_hand(run_id, 2, recorded=False) is None
        assert journal.ledger.settle_by_hand(run_id, 9, recorded=True) is None
        assert journal.ledger.payment_at(run_id, 2) == before
        assert journal.ledger.hand_settlements(run_id) == []
