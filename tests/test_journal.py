"""The journal's file: where it is, opening it, the lock a run holds, and what it says it holds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from importer.errors import JournalError
from importer.journal.journal import Journal, JournalHealth, RunMoney, default_journal_path
from importer.journal.ledger import InvoiceState, Money
from importer.journal.runs import RunRow
from importer.status import PaymentState, RowStatus, RunOutcome
from tests.journals import API, a_run, claim, open_journal


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


def test_a_journal_that_cannot_be_opened_leaves_no_lock_behind(tmp_path: Path) -> None:
    """An exclusive open that fails frees its lock: trying again says what is wrong with the
    file, not that another import is running."""
    garbage = tmp_path / "notes.sqlite3"
    garbage.write_bytes(b"this is not a database at all, just some text" * 50)
    for _ in range(2):
        with pytest.raises(JournalError, match="cannot be opened"):
            Journal.open(garbage, exclusive=True)


def test_health_counts_runs_payments_and_those_in_doubt(tmp_path: Path) -> None:
    """doctor's view: SQLite finds the file sound; two runs, three payments, two in doubt."""
    with open_journal(tmp_path) as journal:
        first = a_run(journal, tmp_path)
        for key in ("k1", "k2", "k3"):
            claim(journal, key, first)
        journal.ledger.settle(account=API, key="k1", state=PaymentState.RECORDED)
        journal.ledger.settle(account=API, key="k2", state=PaymentState.UNKNOWN)
        a_run(journal, tmp_path)
        assert journal.health() == JournalHealth(True, "ok", 2, 3, 2)


def test_run_money_is_what_the_run_recorded_skipped_and_still_holds(tmp_path: Path) -> None:
    """A run's money: what it recorded (from the ledger), what it skipped (from its rows), and
    its payments by state; another run's payments are not counted."""
    with open_journal(tmp_path) as journal:
        earlier = a_run(journal, tmp_path)
        claim(journal, "k0", earlier)
        journal.ledger.settle(account=API, key="k0", state=PaymentState.RECORDED)
        run_id = a_run(journal, tmp_path)
        for key in ("k1", "k2", "k3"):
            claim(journal, key, run_id, invoice=InvoiceState(currency="EUR"))
        journal.ledger.settle(account=API, key="k1", state=PaymentState.RECORDED)
        journal.ledger.settle(account=API, key="k2", state=PaymentState.FAILED)
        skipped = RunRow(5, RowStatus.SKIPPED, "", "a9", "7.00", "", InvoiceState(currency="EUR"))
        journal.history.finish_run(
            run_id, outcome=RunOutcome.FINISHED, message="", counts={}, totals={}, rows=[skipped]
        )
        assert journal.run_money(run_id) == RunMoney(
            recorded={"EUR": Money(1, Decimal("12.50"))},
            skipped={"EUR": Money(1, Decimal("7.00"))},
            held={PaymentState.FAILED: 1, PaymentState.RECORDED: 1, PaymentState.SENDING: 1},
        )


def test_a_run_marked_running_is_running_only_while_an_import_holds_the_journal(
    tmp_path: Path,
) -> None:
    """outcome_of: the newest run still marked running is running while the journal is held,
    and did not finish once it is not; an older one marked running never finished."""
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        older, newer = a_run(journal, tmp_path), a_run(journal, tmp_path)
    with Journal.open(path, exclusive=True), Journal.open(path) as reader:
        held = [reader.outcome_of(reader.history.run(n)) for n in (older, newer)]  # type: ignore[arg-type]
    with Journal.open(path) as reader:
        free = reader.outcome_of(reader.history.run(newer))  # type: ignore[arg-type]
    assert held == [RunOutcome.DID_NOT_FINISH, RunOutcome.RUNNING]
    assert free == RunOutcome.DID_NOT_FINISH
