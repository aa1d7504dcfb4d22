"""A payment for several invoices checked as a whole against the live invoices, before
anything is sent: lists without amounts made into parts, and a part refused holding back the
rest. Over real HTTP to the sandbox; nothing is recorded."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.check.payments import Place
from importer.cli.prompt import plan_lines
from importer.importing import Collaborators, ImportChoices, Plan, open_file, plan_import
from importer.journal.journal import Journal
from importer.sandbox import DEFAULT_TOKEN, RunningSandbox, running_sandbox
from importer.send.keys import payment_key
from importer.status import PaymentState
from tests.bulk import numbered_invoice
from tests.conftest import TODAY

HEADER = "Invoice,Amount,Payment Date,Method,Cheque No.,Currency\n"


SEED = {
    "locationId": "locParts0000000000001",
    "invoices": [
        numbered_invoice("2024", 300.0),
        numbered_invoice("2025", 200.5),
        numbered_invoice("2026", 400.0),
        numbered_invoice("2027", 300.0),
        numbered_invoice("2028", 100.0, status="draft"),
        numbered_invoice("2029", 100.0, status="void"),
        numbered_invoice("2030", 100.0, amountPaid=100.0, status="paid"),
        numbered_invoice("2031", 100.0, currency="EUR"),
        numbered_invoice("2032", 100.0, amountPaid=40.0, status="partially_paid"),
    ],
}


@pytest.fixture(scope="module")
def running() -> Iterator[RunningSandbox]:
    """One sandbox for the module: planning records nothing."""
    with running_sandbox(SEED, rate_limit="off") as sandbox:
        yield sandbox


def plan(
    running: RunningSandbox,
    tmp_path: Path,
    rows: str,
    *,
    journal: Journal | None = None,
    choices: ImportChoices | None = None,
) -> Plan:
    """``rows`` (after the header, cheques dated 2026-11-02 unless said) planned against the
    sandbox."""
    path = tmp_path / "deposit.csv"
    path.write_text(HEADER + rows)
    choices = choices or ImportChoices(today=TODAY)

    async def go() -> Plan:
        async with HighLevelClient(
            base_url=running.url, token=SecretStr(DEFAULT_TOKEN), location_id=running.location_id
        ) as client:
            collaborators = Collaborators(
                client=client, journal=journal or Journal.open(":memory:")
            )
            opened = open_file(path, choices.reading, today=TODAY)
            return await plan_import(opened, choices, collaborators)

    return asyncio.run(go())


def verdicts(plan: Plan) -> list[tuple[Place, str, Decimal, str | None]]:
    """Each part's place, invoice, amount and refusal code."""
    return [
        (v.payment.place, v.payment.invoice.text, v.payment.amount, v.code) for v in plan.verdicts
    ]


def refusals(plan: Plan) -> dict[Place, str | None]:
    return {v.payment.place: v.refusal for v in plan.verdicts}


def test_invoices_listed_without_amounts_are_each_paid_what_they_owe(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """2026, 2027 for 700.00: 400.00 on 2026 and 300.00 on 2027, each noted as its part."""
    found = plan(running, tmp_path, '"2026, 2027",700.00,2026-11-02,Cheque,000777,\n')
    assert verdicts(found) == [
        (Place(2, 1), "2026", Decimal("400.00"), None),
        (Place(2, 2), "2027", Decimal("300.00"), None),
    ]
    assert [v.payment.notes for v in found.verdicts] == [
        "Cheque 000777, 1 of 2 invoices: 2026, 2027 (row 2 of deposit.csv)",
        "Cheque 000777, 2 of 2 invoices: 2026, 2027 (row 2 of deposit.csv)",
    ]
    assert (found.payment_count, found.payer_payments, found.ready) == (2, 1, True)


def test_what_an_invoice_owes_is_after_the_rows_above(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """Row 2 pays 100.00 of 2026; row 3 lists 2026 and 2027 for the rest of both."""
    found = plan(
        running,
        tmp_path,
        '2026,100.00,2026-11-02,Cash,,\n"2026/2027",600.00,2026-11-02,Cheque,000777,\n',
    )
    assert verdicts(found) == [
        (Place(2, 1), "2026", Decimal("100.00"), None),
        (Place(3, 1), "2026", Decimal("300.00"), None),
        (Place(3, 2), "2027", Decimal("300.00"), None),
    ]


def test_a_list_without_amounts_that_pays_less_says_what_to_write(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """650.00 for invoices owing 700.00: refused whole, with what each owes and the cell that
    would pay them in part."""
    found = plan(running, tmp_path, '"2026, 2027",650.00,2026-11-02,Cheque,000777,\n')
    assert verdicts(found) == [(Place(2, 1), "2026", Decimal("650.00"), "parts.in_full_differs")]
    assert refusals(found)[Place(2, 1)] == (
        "Listed without amounts, a payment pays each invoice in full, but invoice 2026 owes "
        "400.00 and invoice 2027 owes 300.00: 700.00 together, and the payment is 650.00. To "
        "pay them in part, write each invoice's amount in the cell: 2026:400.00|2027:250.00."
    )
    assert (found.payment_count, found.ready) == (0, False)


def test_a_list_without_amounts_that_pays_more_says_by_how_much(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """750.00 for invoices owing 700.00: refused, saying 50.00 more and how to list the rest."""
    found = plan(running, tmp_path, '"2026, 2027",750.00,2026-11-02,Cheque,000777,\n')
    assert refusals(found)[Place(2, 1)] == (
        "Listed without amounts, a payment pays each invoice in full, but invoice 2026 owes "
        "400.00 and invoice 2027 owes 300.00: 700.00 together, and the payment is 750.00. It "
        "is 50.00 more than they owe: check the amount, or write every invoice it pays with its "
        "amount (2026:400.00|2027:300.00, then the other invoice with 50.00)."
    )


def test_a_list_without_amounts_with_an_invoice_that_cannot_take_it_is_refused_whole(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """Unknown, draft, void, paid and other-currency invoices in one list: every one named,
    with why, and nothing of the payment goes."""
    found = plan(
        running,
        tmp_path,
        '"2026, 9999, 2028, 2029, 2030",700.00,2026-11-02,Cheque,000777,USD\n'
        '"2027, 2031",400.00,2026-11-02,Cheque,000778,USD\n'
        '"2024, 2031",400.00,2026-11-02,Cheque,000779,\n',
    )
    assert refusals(found) == {
        Place(2, 1): "Part 2 of 5 (invoice 9999): no invoice with number 9999 in this location. "
        "Part 3 of 5 (invoice 2028): The invoice is a draft: send the invoice first, then "
        "record the payment. Part 4 of 5 (invoice 2029): The invoice is void; a payment cannot "
        "be recorded against it. Part 5 of 5 (invoice 2030): The invoice is already paid in "
        "full. Nothing of this payment is sent until every invoice it lists can take its part.",
        Place(3, 1): "Part 2 of 2 (invoice 2031): the invoice is in EUR, the payment in USD. "
        "Nothing of this payment is sent until every invoice it lists can take its part.",
        Place(4, 1): "The invoices are in different currencies (EUR, USD); one payment is in one "
        "currency. Nothing of this payment is sent until every invoice it lists can take its "
        "part.",
    }
    assert found.payment_count == 0


def test_a_refused_part_holds_back_the_rest_of_its_payment(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """Cheque 000777 pays 2024 and more than 2025 owes: the 2025 part is refused for that, and
    the 2024 part held back naming it; another cheque goes."""
    found = plan(
        running,
        tmp_path,
        "2024:300.00|2025:250.00,550.00,2026-11-02,Cheque,000777,\n"
        "2026,100.00,2026-11-02,Cheque,000778,\n",
    )
    assert verdicts(found) == [
        (Place(2, 1), "2024", Decimal("300.00"), "payment.held_back"),
        (Place(2, 2), "2025", Decimal("250.00"), "amount.above_due"),
        (Place(3, 1), "2026", Decimal("100.00"), None),
    ]
    assert refusals(found)[Place(2, 1)] == (
        "Held back with the rest of cheque 000777: part 2 of 2 (invoice 2025) is refused: The "
        "amount 250.00 is more than the 200.50 still due on the invoice (after earlier rows of "
        "this file). Nothing of a payment is sent until every part of it can be: fix that part "
        "and run again, or run again with --skip-invalid to record the parts that can go."
    )
    assert [v.payment.place for v in found.cleared] == [Place(3, 1)]


def test_a_part_held_back_does_not_count_on_its_invoices_balance(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """The held 2024 part of cheque 000777 is not sent, so a later row paying 2024 in full
    still fits: it is not refused as an overpayment."""
    found = plan(
        running,
        tmp_path,
        "INV-2024,300.00,2026-11-02,Cheque,000777,\n"
        "INV-2028,10.00,2026-11-02,Cheque,000777,\n"
        "2024,300.00,2026-11-02,Cash,,\n",
    )
    assert [(v.payment.place, v.code) for v in found.verdicts] == [
        (Place(2, 1), "payment.held_back"),
        (Place(3, 1), "invoice.draft"),
        (Place(4, 1), None),
    ]
    assert refusals(found)[Place(2, 1)] == (
        "Held back with the rest of cheque 000777 (rows 2-3): part 2 of 2 (invoice INV-2028, row "
        "3) is refused: The invoice is a draft: send the invoice first, then record the payment. "
        "Nothing of a payment is sent until every part of it can be: fix that part and run "
        "again, or run again with --skip-invalid to record the parts that can go."
    )


def test_an_invalid_row_holds_back_the_rest_of_its_payment(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """Row 3 of cheque 000777 is invalid: with --skip-invalid the other rows go, but not row
    2, which is held back with it; without it, nothing goes at all."""
    rows = (
        "2024,300.00,2026-11-02,Cheque,000777,\n"
        "2025,abc,2026-11-02,Cheque,000777,\n"
        "2026,100.00,2026-11-02,Cash,,\n"
    )
    skipping = plan(running, tmp_path, rows, choices=ImportChoices(today=TODAY, skip_invalid=True))
    assert [(v.payment.place, v.code) for v in skipping.verdicts] == [
        (Place(2, 1), None),
        (Place(4, 1), None),
    ]
    strict = plan(running, tmp_path, rows)
    assert [(v.payment.place, v.code) for v in strict.verdicts] == [
        (Place(2, 1), "payment.held_back"),
        (Place(4, 1), None),
    ]
    assert refusals(strict)[Place(2, 1)] == (
        "Held back with the rest of cheque 000777 (rows 2-3): row 3 of it is invalid (its "
        "message says why). Nothing of a payment is sent until every part of it can be: fix "
        "that part and run again, or run again with --skip-invalid to record the parts that "
        "can go."
    )
    assert (strict.held_back, strict.ready) == (1, False)


def test_with_skip_invalid_the_parts_that_pass_go(running: RunningSandbox, tmp_path: Path) -> None:
    """--skip-invalid: the 2024 part of a cheque whose 2025 part overpays is sent alone."""
    found = plan(
        running,
        tmp_path,
        "2024:300.00|2025:250.00,550.00,2026-11-02,Cheque,000777,\n",
        choices=ImportChoices(today=TODAY, skip_invalid=True),
    )
    assert [(v.payment.place, v.code) for v in found.verdicts] == [
        (Place(2, 1), None),
        (Place(2, 2), "amount.above_due"),
    ]


def test_parts_on_invoices_in_two_currencies_are_never_sent(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """A cheque for a USD and a EUR invoice is held back, --skip-invalid or not."""
    found = plan(
        running,
        tmp_path,
        "2024:50.00|2031:50.00,100.00,2026-11-02,Cheque,000777,\n",
        choices=ImportChoices(today=TODAY, skip_invalid=True),
    )
    reason = (
        "Not sent: the invoices of cheque 000777 are in different currencies (EUR, USD), and "
        "one payment is in one currency. Record each currency's invoices with a payment of "
        "their own."
    )
    assert [(v.payment.place, v.code, v.refusal) for v in found.verdicts] == [
        (Place(2, 1), "payment.held_back", reason),
        (Place(2, 2), "payment.held_back", reason),
    ]


def test_a_list_without_amounts_finds_a_part_an_earlier_run_recorded(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """An earlier run recorded the 2026 part of "2026, 2027" (so 2026 owes nothing now, in
    a sandbox where it was paid): the part keeps the amount it was sent with, is skipped, and
    only the 2027 part is to send."""
    paid_seed = {
        "locationId": "locParts0000000000002",
        "invoices": [
            numbered_invoice("2026", 400.0, amountPaid=400.0, status="paid"),
            numbered_invoice("2027", 300.0),
        ],
    }
    journal = Journal.open(tmp_path / "journal.sqlite3")
    with running_sandbox(paid_seed, rate_limit="off") as paid:
        first = plan(paid, tmp_path, '"2026, 2027",700.00,2026-11-02,Cheque,000777,\n')
        assert verdicts(first)[0][3] == "parts.in_full_refused"
        # As the run that recorded the first part would have left the journal:
        row = open_file(tmp_path / "deposit.csv", today=TODAY).validation.in_full[0]
        part = row.part(1, Decimal("400.00"))
        key = payment_key(paid.location_id, f"{2026:024x}", part)
        run = journal.history.start_run(
            file=tmp_path / "deposit.csv", location_id=paid.location_id, api_url=paid.url
        )
        journal.ledger.claim(
            account=f"sandbox {paid.sandbox.name} location {paid.location_id}", key=key,
            run_id=run, row=2, file="deposit.csv",
            invoice_id=f"{2026:024x}", amount=Decimal("400.00"), paid_on="2026-11-02",
            paid_before=Decimal(0), mode="cheque",
        )  # fmt: skip
        journal.ledger.settle(
            account=f"sandbox {paid.sandbox.name} location {paid.location_id}",
            key=key,
            state=PaymentState.RECORDED,
        )
        again = plan(
            paid, tmp_path, '"2026, 2027",700.00,2026-11-02,Cheque,000777,\n', journal=journal
        )
    assert verdicts(again) == [
        (Place(2, 1), "2026", Decimal("400.00"), "invoice.paid"),
        (Place(2, 2), "2027", Decimal("300.00"), None),
    ]
    assert list(again.settled) == [Place(2, 1)]
    assert [v.payment.place for v in again.cleared] == [Place(2, 2)]


def test_one_invoice_written_two_ways_in_one_payment_is_never_sent(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """By its number and by its id, one invoice listed twice in a payment: with amounts, every
    part is held back (--skip-invalid or not); without amounts, the row is refused."""
    found = plan(
        running,
        tmp_path,
        f"2024:100.00|{2024:024x}:50.00,150.00,2026-11-02,Cheque,000777,\n"
        f'"2026, {2026:024x}",400.00,2026-11-02,Cheque,000778,\n',
        choices=ImportChoices(today=TODAY, skip_invalid=True),
    )
    twice = (
        "Not sent: cheque 000777 pays invoice INV-2024 twice, written two ways (its number and "
        "its id, say): a payment lists each invoice once. Put the invoice's whole amount on one "
        "part."
    )
    assert [(v.payment.place, v.code, v.refusal) for v in found.verdicts] == [
        (Place(2, 1), "payment.held_back", twice),
        (Place(2, 2), "payment.held_back", twice),
        (
            Place(3, 1),
            "parts.in_full_refused",
            "Two of the invoices listed are one invoice; list it once. Nothing of this payment "
            "is sent until every invoice it lists can take its part.",
        ),
    ]


def test_the_question_before_recording_says_how_many_payments_the_parts_make(
    running: RunningSandbox, tmp_path: Path
) -> None:
    """Three HighLevel payments for two payments of the file: the prompt says both."""
    found = plan(
        running,
        tmp_path,
        '"2026, 2027",700.00,2026-11-02,Cheque,000777,\n2024,10.00,2026-11-02,Cash,,\n',
    )
    assert plan_lines(found) == [
        "About to record 3 payments (USD 710.00) in location locParts0000000000001.",
        "They are the parts of 2 payments of your file: a payment that covers several invoices "
        "is recorded as one on each invoice.",
    ]
