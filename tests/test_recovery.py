"""A payment an earlier run left 'sending' is verified against the API before anything is sent."""

from __future__ import annotations

import asyncio
import csv
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.api.models import Invoice
from importer.cli import cli
from importer.clock import Clock
from importer.importing import (
    Collaborators,
    ImportChoices,
    ImportReport,
    Waiting,
    open_file,
    run_import,
)
from importer.journal.journal import Journal
from importer.preflight import Checked
from importer.sandbox import DEFAULT_TOKEN, RunningSandbox, running_sandbox
from importer.send.keys import payment_keys
from tests.bulk import bulk_seed, payments_by_cheque, write_bulk
from tests.clocks import ManualClock


def account(running: RunningSandbox) -> str:
    """Where a run against this sandbox keeps its payments: it names itself in its answers."""
    return f"sandbox {running.sandbox.name} location {running.location_id}"


def left_sending(
    running: RunningSandbox,
    payments: Path,
    journal_path: Path,
    *,
    applied: bool,
    clock: Clock | None = None,
) -> str:
    """Leave row 2 of ``payments`` 'sending' in the journal, as a run killed mid-request at
    ``clock``'s time (ten minutes ago unless told); with ``applied``, the sandbox recorded it
    before the kill. Returns its key."""
    validation = open_file(payments, today=date.today()).validation
    first = validation.payments[0]
    raw = next(i for i in running.sandbox.invoices() if i["invoiceNumber"] == "5001")
    invoice = Invoice.model_validate(raw)
    key = payment_keys(running.location_id, [Checked(first, invoice, None)])[first.place]
    clock = clock or ManualClock(datetime.now(UTC) - timedelta(minutes=10))
    with Journal.open(journal_path, clock=clock) as journal:
        run_id = journal.history.start_run(file=payments, location_id="x", api_url=running.url)
        journal.ledger.claim(
            account=account(running),
            key=key,
            run_id=run_id,
            row=first.row,
            file=payments.name,
            invoice_id=invoice.id,
            amount=first.amount,
            paid_on=first.paid_on.isoformat(),
            paid_before=invoice.amount_paid,
        )
    if applied:
        arrive(running, invoice.id, key)
    return key


def arrive(running: RunningSandbox, invoice_id: str, key: str) -> None:
    """The payment of row 2 (a cheque 000000 of 10.25) reaches the sandbox."""
    paid_on = (date.today() - timedelta(days=3)).isoformat()
    running.sandbox.book.record_payment(
        invoice_id,
        amount=Decimal("10.25"),
        payment_method={"mode": "cheque", "cheque": {"number": "000000"}},
        alt_type="location",
        meta={"importer_key": key},
        fulfilled_at=f"{paid_on}T12:00:00.000Z",
    )


def record_by_hand(
    running: RunningSandbox, invoice_id: str, amount: Decimal, *, cheque: str | None = None
) -> None:
    """A payment recorded in HighLevel by someone else, without our key: cash, or a cheque."""
    method = {"mode": "cheque", "cheque": {"number": cheque}} if cheque else {"mode": "cash"}
    paid_on = (date.today() - timedelta(days=3)).isoformat()
    running.sandbox.book.record_payment(
        invoice_id,
        amount=amount,
        payment_method=method,
        alt_type="location",
        fulfilled_at=f"{paid_on}T12:00:00.000Z",
    )


def run_again(
    running: RunningSandbox, payments: Path, journal: Path, *options: str
) -> tuple[int, str]:
    """The same command again, with the same journal."""
    result = CliRunner(
        env={
            "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
            "HIGHLEVEL_LOCATION_ID": running.location_id,
            "HIGHLEVEL_API_URL": running.url,
        }
    ).invoke(cli, ["run", str(payments), "--yes", "--journal", str(journal), *options])
    return result.exit_code, result.output


def results(path: Path) -> list[dict[str, Any]]:
    """The results file's rows."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_a_payment_recorded_before_the_crash_is_confirmed_and_skipped(tmp_path: Path) -> None:
    """Left 'sending' but recorded by the API: found by its key, skipped, never sent again."""
    payments, _ = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        key = left_sending(running, payments, journal, applied=True)
        code, output = run_again(running, payments, journal)
        transactions = running.sandbox.transactions()
    assert code == 0, output
    rows = results(tmp_path / "bulk-4.results.csv")
    assert [(r["row"], r["status"]) for r in rows] == [
        ("2", "skipped"),
        ("3", "recorded"),
        ("4", "recorded"),
        ("5", "recorded"),
    ]
    assert rows[0]["message"] == (
        "Run 1 (bulk-4.csv, row 2) recorded this payment but stopped before it was confirmed. "
        "Confirmed: the invoice's transactions hold this payment."
    )
    assert len(transactions) == 4
    assert [t["meta"]["importer_key"] for t in transactions].count(key) == 1
    with Journal.open(journal) as book:
        assert (
            book.ledger.find(
                f"sandbox {running.sandbox.name} location {running.location_id}", [key]
            )[key].state
            == "recorded"
        )


class ArrivingClock(ManualClock):
    """A manual clock on which something happens once ``after`` seconds have passed."""

    def __init__(self, after: float, happen: Callable[[], None]) -> None:
        super().__init__()
        self.after = after
        self.happen = happen

    async def sleep(self, seconds: float) -> None:
        crossing = self.elapsed < self.after <= self.elapsed + seconds
        await super().sleep(seconds)
        if crossing:
            self.happen()


def import_again(
    running: RunningSandbox, payments: Path, journal: Journal, clock: ManualClock, **options: Any
) -> ImportReport:
    """The same import from the library, on ``clock``, with the same journal."""

    async def go() -> ImportReport:
        async with HighLevelClient(
            base_url=running.url,
            token=SecretStr(DEFAULT_TOKEN),
            location_id=running.location_id,
            clock=clock,
        ) as client:
            on_wait = options.pop("on_wait", None)
            collaborators = Collaborators(
                client=client,
                journal=journal,
                clock=clock,
                on_event=lambda event: (
                    on_wait(event.message)
                    if on_wait is not None and isinstance(event, Waiting)
                    else None
                ),
            )
            choices = ImportChoices(today=date.today(), **options)
            return await run_import(payments, choices, collaborators)

    return asyncio.run(go())


def test_a_payment_sent_a_moment_ago_is_checked_only_once_it_can_no_longer_arrive(
    tmp_path: Path,
) -> None:
    """Left 'sending' by a run that died a moment ago, with the payment still on its way (it
    arrives a second later): the run says it waits, then finds it, and sends it never again."""
    payments, _ = write_bulk(tmp_path, rows=2)
    path = tmp_path / "journal.sqlite3"
    told: list[str] = []
    with running_sandbox(bulk_seed(1), rate_limit="off") as running:
        invoice_id = running.sandbox.invoices()[0]["_id"]
        keys: list[str] = []
        clock = ArrivingClock(1.0, lambda: arrive(running, invoice_id, keys[0]))
        keys.append(left_sending(running, payments, path, applied=False, clock=clock))
        with Journal.open(path, clock=clock) as journal:
            report = import_again(
                running, payments, journal, clock, lost_answer_wait=2, on_wait=told.append
            )
        transactions = running.sandbox.transactions()
    assert report.all_done
    # Sent at 9:00:00 by the journal's stamp, so gone by 9:00:02 at the latest (the stamp is
    # cut to the second), and able to arrive until 9:00:04.
    assert told == [
        "Waiting 4 s before checking 1 payment an interrupted run was sending: a payment "
        "can still reach HighLevel up to 2 s after it was sent."
    ]
    assert clock.slept == [4.0]
    rows = results(tmp_path / "bulk-2.results.csv")
    assert [(r["row"], r["status"], r["message"]) for r in rows] == [
        (
            "2",
            "skipped",
            "Run 1 (bulk-2.csv, row 2) recorded this payment but stopped before it was "
            "confirmed. Confirmed: the invoice's transactions hold this payment.",
        ),
        ("3", "recorded", ""),
    ]
    assert payments_by_cheque(transactions) == {"000000": 1, "000001": 1}


def test_a_payment_the_crash_never_delivered_is_sent_once(tmp_path: Path) -> None:
    """Left 'sending' and absent from the API: proven absent, so it is sent, once."""
    payments, _ = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        left_sending(running, payments, journal, applied=False)
        code, output = run_again(running, payments, journal)
        transactions = running.sandbox.transactions()
    assert code == 0, output
    assert [r["status"] for r in results(tmp_path / "bulk-4.results.csv")] == ["recorded"] * 4
    assert payments_by_cheque(transactions) == {f"{n:06d}": 1 for n in range(4)}


def test_a_payment_that_cannot_be_confirmed_is_unknown_and_not_sent(tmp_path: Path) -> None:
    """Left 'sending', and meanwhile someone recorded by hand a payment just like it (same
    amount, day and cheque, no key) and another one: unknown, explained, nothing sent for it;
    the rest go ahead and the exit code is 1."""
    payments, _ = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        left_sending(running, payments, journal, applied=False)
        invoice_id = running.sandbox.invoices()[0]["_id"]
        record_by_hand(running, invoice_id, Decimal("10.25"), cheque="000000")
        record_by_hand(running, invoice_id, Decimal(99))
        code, output = run_again(running, payments, journal)
        transactions = running.sandbox.transactions()
    assert code == 1, output
    rows = results(tmp_path / "bulk-4.results.csv")
    assert [(r["row"], r["status"]) for r in rows] == [
        ("2", "unknown"),
        ("3", "recorded"),
        ("4", "recorded"),
        ("5", "recorded"),
    ]
    assert rows[0]["message"] == (
        "Run 1 (bulk-4.csv, row 2) was sending this payment when it stopped. The invoice's paid "
        "amount is 109.25 (it was 0.00 before sending, and this payment is 10.25), and a "
        "transaction with this payment's amount, date and method is on the invoice, with "
        "nothing to tell whether it is this payment. Look for it on the invoice in HighLevel, "
        "then say what you found: importer runs settle 1 2 --recorded (or --not-recorded). "
        "Until then each run checks it again and never sends it."
    )
    assert len(transactions) == 5  # the two recorded by hand and rows 3 to 5


def left_unknown(running: RunningSandbox, payments: Path, journal: Path) -> None:
    """Leave row 2 of a 4-row bulk file unknown: run 1 died sending it, a payment just like it
    and another one were recorded by hand, and run 2 could not tell them apart."""
    left_sending(running, payments, journal, applied=False)
    invoice_id = running.sandbox.invoices()[0]["_id"]
    record_by_hand(running, invoice_id, Decimal("10.25"), cheque="000000")
    record_by_hand(running, invoice_id, Decimal(99))
    code, output = run_again(running, payments, journal)
    assert code == 1, output


def settle(journal: Path, *words: str) -> tuple[int, str]:
    """`importer runs settle WORDS --journal JOURNAL`: its exit code and output."""
    result = CliRunner().invoke(cli, ["runs", "settle", *words, "--journal", str(journal)])
    return result.exit_code, result.output


SETTLED = (
    r"Run 1, row 2: {} in HighLevel, as .+ found on \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC; "
    r"the next run {} it\.\n"
)


def test_an_unknown_payment_found_recorded_by_hand_is_skipped_from_then_on(
    tmp_path: Path,
) -> None:
    """`runs settle 1 2 --recorded` after looking at HighLevel: the next run skips row 2 and
    sends nothing, and `runs show 1` says who settled it and when."""
    payments, _ = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        left_unknown(running, payments, journal)
        before = running.sandbox.transactions()
        code, said = settle(journal, "1", "2", "--recorded")
        again, output = run_again(running, payments, journal)
        after = running.sandbox.transactions()
    assert code == 0, said
    assert re.fullmatch(SETTLED.format("recorded", "skips"), said), said
    assert again == 0, output
    assert "4 rows: 4 already recorded." in output
    assert after == before
    # The run before left bulk-4.results.csv; this one's results go beside it.
    rows = results(tmp_path / "bulk-4.results-2.csv")
    assert rows[0]["message"].startswith("Already recorded on ")
    assert rows[0]["message"].endswith(" by run 1 (bulk-4.csv, row 2).")
    shown = CliRunner().invoke(cli, ["runs", "show", "1", "--journal", str(journal)]).output
    assert re.search(
        r"^Settled by hand: row 2 found recorded in HighLevel by .+ on \d{4}-\d\d-\d\d "
        r"\d\d:\d\d:\d\d UTC \(it was unknown\)\.$",
        shown,
        re.MULTILINE,
    ), shown


def test_an_unknown_payment_found_not_recorded_by_hand_is_sent_by_the_next_run(
    tmp_path: Path,
) -> None:
    """`runs settle 1 2 --not-recorded` (the look-alike in HighLevel was another payment):
    the next run sends row 2, once, and skips the rest."""
    payments, _ = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        left_unknown(running, payments, journal)
        code, said = settle(journal, "1", "2", "--not-recorded")
        again, output = run_again(running, payments, journal)
        transactions = running.sandbox.transactions()
    assert code == 0, said
    assert re.fullmatch(SETTLED.format("not recorded", "sends"), said), said
    assert again == 0, output
    assert [(r["row"], r["status"]) for r in results(tmp_path / "bulk-4.results-2.csv")] == [
        ("2", "recorded"),
        ("3", "skipped"),
        ("4", "skipped"),
        ("5", "skipped"),
    ]
    assert len(transactions) == 6  # the two by hand, rows 3 to 5, and now row 2


def test_settling_what_is_not_in_doubt_changes_nothing(tmp_path: Path) -> None:
    """`runs settle` refuses, with exit 2 and one line, a payment already settled, a row the
    run did not send, and a call that does not say what was found."""
    payments, _ = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        left_unknown(running, payments, journal)
    assert settle(journal, "2", "3", "--recorded") == (
        2,
        "Error: Run 2, row 3 is not in doubt (the journal says recorded); nothing was changed.\n",
    )
    assert settle(journal, "1", "9", "--recorded") == (
        2,
        f"Error: Run 1 holds no payment from row 9 in the journal at {journal}; see: importer "
        "runs show 1\n",
    )
    code, said = settle(journal, "1", "2")
    assert code == 2
    assert said.splitlines()[-1] == (
        "Error: Say what you found on the invoice: --recorded or --not-recorded."
    )
    with Journal.open(journal) as book:
        assert book.ledger.payment_at(1, 2) is not None
        assert book.ledger.payment_at(1, 2).state == "unknown"  # type: ignore[union-attr]


def test_a_payment_absent_among_payments_without_keys_is_sent_once(tmp_path: Path) -> None:
    """Left 'sending', the invoice moved by a payment recorded by hand (no key, as the API's
    transactions may carry none), and no transaction could be this one: proven absent, so it
    is sent, once."""
    payments, _ = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        left_sending(running, payments, journal, applied=False)
        invoice_id = running.sandbox.invoices()[0]["_id"]
        record_by_hand(running, invoice_id, Decimal(99))
        code, output = run_again(running, payments, journal)
        transactions = running.sandbox.transactions()
    assert code == 0, output
    assert [r["status"] for r in results(tmp_path / "bulk-4.results.csv")] == ["recorded"] * 4
    assert len(transactions) == 5
    assert payments_by_cheque(transactions[1:]) == {f"{n:06d}": 1 for n in range(4)}


def test_a_dry_run_leaves_the_check_to_the_real_run_and_says_so(tmp_path: Path) -> None:
    """A dry run does not verify a payment left 'sending'; its row is ready, with a note."""
    payments, _ = write_bulk(tmp_path, rows=2)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(1), rate_limit="off") as running:
        left_sending(running, payments, journal, applied=False)
        result = CliRunner(
            env={
                "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
                "HIGHLEVEL_LOCATION_ID": running.location_id,
                "HIGHLEVEL_API_URL": running.url,
            }
        ).invoke(cli, ["run", str(payments), "--dry-run", "--journal", str(journal)])
        assert running.sandbox.transactions() == []
    assert result.exit_code == 0, result.output
    rows = results(tmp_path / "bulk-2.dry-run.csv")
    assert [(r["status"], r["message"]) for r in rows] == [
        (
            "ready",
            "Run 1 (bulk-2.csv, row 2) was sending this payment when it stopped; a real run "
            "checks the invoice first and sends it only if it is not there.",
        ),
        ("ready", ""),
    ]


def test_a_payment_absent_among_keyed_transactions_is_sent_once(tmp_path: Path) -> None:
    """Left 'sending', the invoice moved by another importer payment (with its own key), and
    no transaction carries this one's key: proven absent, so it is sent, once."""
    payments, _ = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        left_sending(running, payments, journal, applied=False)
        invoice_id = running.sandbox.invoices()[0]["_id"]
        running.sandbox.book.record_payment(
            invoice_id,
            amount=Decimal(99),
            payment_method={"mode": "cash"},
            alt_type="location",
            meta={"importer_key": "a-payment-of-another-file"},
        )
        code, output = run_again(running, payments, journal)
        transactions = running.sandbox.transactions()
    assert code == 0, output
    assert [r["status"] for r in results(tmp_path / "bulk-4.results.csv")] == ["recorded"] * 4
    assert len(transactions) == 5
    assert payments_by_cheque(transactions[1:]) == {f"{n:06d}": 1 for n in range(4)}


def test_without_the_transactions_scope_a_payment_in_doubt_is_judged_by_its_invoice(
    tmp_path: Path,
) -> None:
    """A token that may not read transactions (run with --no-highlevel-check): the payment an
    earlier run left 'sending', and that arrived, is confirmed by the invoice's paid amount."""
    payments, _ = write_bulk(tmp_path, rows=2)
    journal = tmp_path / "journal.sqlite3"
    scopes = ["invoices.readonly", "invoices.write"]
    with running_sandbox(bulk_seed(1), rate_limit="off", scopes=scopes) as running:
        left_sending(running, payments, journal, applied=True)
        code, output = run_again(running, payments, journal, "--no-highlevel-check")
        transactions = running.sandbox.transactions()
    assert code == 0, output
    assert [
        (r["row"], r["status"], r["message"]) for r in results(tmp_path / "bulk-2.results.csv")
    ] == [
        (
            "2",
            "skipped",
            "Run 1 (bulk-2.csv, row 2) recorded this payment but stopped before it was "
            "confirmed. Confirmed: the invoice's paid amount rose by exactly this payment.",
        ),
        ("3", "recorded", ""),
    ]
    assert payments_by_cheque(transactions) == {"000000": 1, "000001": 1}
