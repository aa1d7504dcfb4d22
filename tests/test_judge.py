"""A payment whose answer was lost, judged from the invoice and its transactions: a table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from importer.api.models import Invoice, Transaction
from importer.send.recovery import Evidence, judge


def transaction(key: str, amount: str = "10", day: str = "2026-10-03") -> Transaction:
    """A transaction carrying an importer key."""
    return Transaction.model_validate(
        {
            "_id": "t1",
            "amount": amount,
            "fulfilledAt": f"{day}T12:00:00.000Z",
            "meta": {"importer_key": key},
        }
    )


def paid(amount: str) -> Invoice:
    """An invoice with ``amount`` paid."""
    return Invoice.model_validate(
        {"_id": "a1", "status": "sent", "total": 100, "amountPaid": amount}
    )


BARE = Transaction.model_validate({"_id": "t9", "amount": 10})
CHEQUE_42 = {"mode": "cheque", "cheque": {"number": "000042"}}


def keyless(cheque: str, amount: str = "10", day: str = "2026-10-03") -> Transaction:
    """A transaction as the spec shapes it: no meta, a cheque payment method."""
    return Transaction.model_validate(
        {
            "_id": "t2",
            "amount": amount,
            "fulfilledAt": f"{day}T12:00:00.000Z",
            "paymentMethod": {"mode": "cheque", "cheque": {"number": cheque}},
        }
    )


@pytest.mark.parametrize(
    ("invoice", "transactions", "settled", "evidence"),
    [
        (paid("10"), [transaction("k")], True, Evidence.FOUND),  # our key is there
        (None, [transaction("k")], True, Evidence.FOUND),  # even if the invoice read failed
        (paid("0"), [], True, Evidence.ABSENT),  # nothing moved
        (paid("0"), None, True, Evidence.ABSENT),  # nothing moved, transactions unreadable
        (paid("10"), None, True, Evidence.FOUND),  # rose by exactly ours, no keys to look for
        (paid("10"), [BARE], True, Evidence.FOUND),  # the API keeps no keys: the rise is ours
        (paid("10"), [transaction("other")], True, Evidence.ABSENT),  # keys kept: another's rise
        (
            paid("10"),
            [transaction("o", "5"), keyless("000042")],
            True,
            Evidence.UNDECIDED,
        ),  # keyless twin
        (paid("25"), None, True, Evidence.UNDECIDED),  # rose by something else
        (paid("10"), [transaction("k", amount="11")], True, Evidence.UNDECIDED),  # our key, 11
        (paid("10"), [transaction("k", day="2026-10-04")], True, Evidence.UNDECIDED),  # wrong day
        (None, [], True, Evidence.UNDECIDED),  # nothing to go on
        (paid("10"), [], True, Evidence.UNDECIDED),  # rose by ours, yet no transaction at all
        (paid("10"), [keyless("000042")], True, Evidence.FOUND),  # no keys kept: one just like it
        (paid("10"), [keyless("000043")], True, Evidence.UNDECIDED),  # rose by ours, other cheque
        (paid("10"), [keyless("000042", day="2026-10-04")], True, Evidence.UNDECIDED),  # other day
        (paid("0"), [keyless("000042")], True, Evidence.ABSENT),  # an older one; nothing moved
        # No keys kept, the paid amount moved by another payment, none could be ours: absent.
        (paid("25"), [keyless("000043", amount="25")], True, Evidence.ABSENT),
        (paid("25"), [keyless("000042"), keyless("000043", "15")], True, Evidence.UNDECIDED),
        (paid("25"), [BARE.model_copy(update={"amount": None})], True, Evidence.UNDECIDED),
        # Until the request can no longer arrive, what is not found is not yet there.
        (paid("0"), [], False, Evidence.NOT_YET),
        (paid("0"), None, False, Evidence.NOT_YET),
        (paid("25"), [keyless("000043", amount="25")], False, Evidence.NOT_YET),
        (None, [], False, Evidence.NOT_YET),
        (paid("10"), [transaction("k")], False, Evidence.FOUND),
        (paid("10"), [keyless("000042")], False, Evidence.FOUND),
        (paid("10"), None, False, Evidence.FOUND),
    ],
)
def test_judge(
    invoice: Invoice | None,
    transactions: list[Transaction] | None,
    settled: bool,
    evidence: Evidence,
) -> None:
    """Each combination of invoice, transactions and whether the request can still arrive
    gives one verdict on the lost payment."""
    verdict = judge(
        key="k",
        amount=Decimal(10),
        paid_on="2026-10-03",
        paid_before=Decimal(0),
        invoice=invoice,
        transactions=transactions,
        method=CHEQUE_42,
        settled=settled,
    )
    assert verdict.evidence is evidence
