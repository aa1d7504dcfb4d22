"""A cheque paid in and the bank statement's line that shows it are one payment, over real
HTTP: whichever is run first, the other is held back as a duplicate, on this computer and on
another (another journal), and HighLevel holds one payment."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from importer.sandbox import RunningSandbox
from importer.ui.words import page_words
from tests.test_never_twice import latest, outcomes, run

# The bank posts each cheque some days after it was paid in: cheque 000555 (600.00, INV-1008)
# paid in on 3 November shows on the 6th, naming its number (so the line is that cheque,
# known by its number); cheque 000556 (300.00, INV-1012) paid in on the 4th shows on the 9th
# as a remote deposit, with no number (so the line is known by its amount and days).
STATEMENT = (
    "Details,Posting Date,Description,Amount,Type,Balance\n"
    "CREDIT,2026-11-06,CHQ DEPOSIT 000555 INV-1008,600.00,CHECK_DEPOSIT,15600.00\n"
    "CREDIT,2026-11-09,REMOTE DEPOSIT INV-1012,300.00,CHECK_DEPOSIT,15900.00\n"
)
CHEQUES = (
    "Invoice,Amount,Payment Date,Method,Cheque No.\n"
    "INV-1008,600.00,2026-11-03,Cheque,000555\n"
    "INV-1012,300.00,2026-11-04,Cheque,000556\n"
)
ON_STATEMENT = (
    "a bank statement's line and a cheque of the same amount on the same invoice within 7 "
    "days of each other are one payment, as a bank shows a cheque or a card's takings some "
    "days after they were received"
)


def files(folder: Path) -> tuple[Path, Path]:
    """The statement and the cheque deposit sheet, written in ``folder``."""
    statement, cheques = folder / "statement.csv", folder / "cheques.csv"
    statement.write_text(STATEMENT, encoding="utf-8")
    cheques.write_text(CHEQUES, encoding="utf-8")
    return statement, cheques


def held(running: RunningSandbox) -> list[tuple[str, str, str, str, str, str]]:
    """Each payment the sandbox holds: invoice, amount, day, method, cheque, recorded when."""
    numbers = {i["_id"]: i["invoiceNumber"] for i in running.sandbox.invoices()}
    return sorted(
        (
            numbers[t["entityId"]],
            f"{t['amount']:.2f}",
            t["fulfilledAt"][:10],
            t["paymentMethod"]["mode"],
            (t["paymentMethod"].get("cheque") or {}).get("number", ""),
            datetime.fromisoformat(t["createdAt"]).strftime("%Y-%m-%d %H:%M"),
        )
        for t in running.sandbox.transactions()
    )


def test_a_cheque_run_after_the_statement_that_showed_it_is_held_back(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The statement's two cheque deposits recorded with --accept sure, then the cheque
    deposit sheet of those cheques, dated days before the bank posted them: each cheque is
    duplicate, naming the statement's line and why, on this computer and on another; HighLevel
    holds one payment per cheque. --allow-duplicates still records a real second payment."""
    statement, cheques = files(tmp_path)
    journal = tmp_path / "journal.sqlite3"
    code, output = run(sandbox, statement, journal, "--accept", "sure")
    assert code == 0, output
    recorded = held(sandbox)
    ((*_, at_1008), (*_, at_1012)) = recorded
    assert [payment[:5] for payment in recorded] == [
        ("1008", "600.00", "2026-11-06", "cheque", "000555"),
        ("1012", "300.00", "2026-11-09", "bank_transfer", ""),
    ]
    expected = [
        (
            "2",
            "duplicate",
            "HighLevel already holds a cheque payment of 600.00, cheque 000555, on INV-1008, "
            f"dated 2026-11-06, recorded {at_1008}: if this is a second real payment, put yes "
            "in its Allow duplicate cell or run with --allow-duplicates.",
        ),
        (
            "3",
            "duplicate",
            "HighLevel already holds a bank transfer payment of 300.00, on INV-1012, dated "
            f"2026-11-09, recorded {at_1012}, from a bank statement's line (statement.csv, row "
            f"3). This cheque is taken to be that payment: {ON_STATEMENT}. If this is a second "
            "real payment, put yes in its Allow duplicate cell or run with --allow-duplicates.",
        ),
    ]
    for used in (journal, tmp_path / "another computer.sqlite3"):
        code, output = run(sandbox, cheques, used)
        assert code == 1, output
        assert outcomes(latest(tmp_path, "cheques")) == expected
        assert held(sandbox) == recorded
    code, output = run(sandbox, cheques, journal, "--allow-duplicates")
    assert code == 0, output
    assert [payment[:5] for payment in held(sandbox)] == [
        ("1008", "600.00", "2026-11-03", "cheque", "000555"),
        ("1008", "600.00", "2026-11-06", "cheque", "000555"),
        ("1012", "300.00", "2026-11-04", "cheque", "000556"),
        ("1012", "300.00", "2026-11-09", "bank_transfer", ""),
    ]


def test_the_statement_after_the_cheque_run_holds_its_lines_back(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The cheque deposit sheet recorded first, then the statement that shows those cheques
    days later, run with --accept sure: each line is duplicate, naming the cheque and why, on
    this computer and on another; HighLevel holds one payment per cheque."""
    statement, cheques = files(tmp_path)
    journal = tmp_path / "journal.sqlite3"
    code, output = run(sandbox, cheques, journal)
    assert code == 0, output
    recorded = held(sandbox)
    ((*_, at_1008), (*_, at_1012)) = recorded
    expected = [
        (
            "2",
            "duplicate",
            "HighLevel already holds a cheque payment of 600.00, cheque 000555, on INV-1008, "
            f"dated 2026-11-03, recorded {at_1008}: if this is a second real payment, put yes "
            "in its Allow duplicate cell or run with --allow-duplicates.",
        ),
        (
            "3",
            "duplicate",
            "HighLevel already holds a cheque payment of 300.00, cheque 000556, on INV-1012, "
            f"dated 2026-11-04, recorded {at_1012}. This line of the bank statement is taken "
            f"to be that payment: {ON_STATEMENT}. If this is a second real payment, run with "
            "--allow-duplicates.",
        ),
    ]
    for used in (journal, tmp_path / "another computer.sqlite3"):
        code, output = run(sandbox, statement, used, "--accept", "sure")
        assert code == 1, output
        assert outcomes(latest(tmp_path, "statement")) == expected
        assert held(sandbox) == recorded


def test_a_statement_line_dated_after_its_cheque_word_is_held_back_by_amount_and_days(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """'CHQ DEP 6 NOV' names the day the cheque was paid in, not cheque 6: the line is the
    cheque 000555 HighLevel already holds (same amount, same invoice, 3 days apart), and is
    held back rather than recorded a second time."""
    statement, cheques = files(tmp_path)
    statement.write_text(
        "Details,Posting Date,Description,Amount,Type,Balance\n"
        "CREDIT,2026-11-06,CHQ DEP 6 NOV INV-1008,600.00,CHECK_DEPOSIT,15600.00\n",
        encoding="utf-8",
    )
    journal = tmp_path / "journal.sqlite3"
    code, output = run(sandbox, cheques, journal)
    assert code == 0, output
    recorded = held(sandbox)
    ((*_, at_1008), _cheque_556) = recorded
    code, output = run(sandbox, statement, journal, "--accept", "sure")
    assert code == 1, output
    assert outcomes(latest(tmp_path, "statement")) == [
        (
            "2",
            "duplicate",
            "HighLevel already holds a cheque payment of 600.00, cheque 000555, on INV-1008, "
            f"dated 2026-11-03, recorded {at_1008}. This line of the bank statement is taken "
            f"to be that payment: {ON_STATEMENT}. If this is a second real payment, run with "
            "--allow-duplicates.",
        )
    ]
    assert held(sandbox) == recorded


def test_the_workbench_names_its_own_control_for_a_statement_line_held_back() -> None:
    """A statement's line held back names the flag on the command line and the Rows step's
    box on the page (a statement's line has no Allow duplicate cell)."""
    assert page_words("If this is a second real payment, run with --allow-duplicates.") == (
        'If this is a second real payment, tick "Rows that repeat an earlier row, or a payment '
        'HighLevel already holds, are real payments" on the Rows step and check again.'
    )
