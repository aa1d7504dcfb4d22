"""Payment keys: one payment has one key, however its cheque number or reference is spelled."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from importer.api.models import Card, Cheque, Invoice, PaymentMode
from importer.check.fields import InvoiceRef
from importer.check.payments import Place
from importer.check.references import brand_form, cheque_form, reference_form
from importer.check.validation import Payment
from importer.preflight import Checked
from importer.read.layout import SourceRow
from importer.send.keys import earlier_key, payment_key, row_keys

INVOICE = Invoice.model_validate({"_id": "a1", "status": "sent", "total": 1000})


def payment(
    row: int = 2,
    *,
    mode: PaymentMode = "cash",
    cheque: str | None = None,
    card: tuple[str, str] | None = None,
    reference: str = "",
    allowed: bool = False,
) -> Payment:
    """A payment of 400.00 on 3 November 2026 against invoice a1."""
    return Payment(
        source=SourceRow("Sheet1", row, ()),
        invoice=InvoiceRef("id", "a1"),
        amount=Decimal("400.00"),
        paid_on=date(2026, 11, 3),
        mode=mode,
        cheque=Cheque(number=cheque) if cheque is not None else None,
        card=Card(brand=card[0], last4=card[1]) if card is not None else None,
        reference=reference,
        notes=f"row {row}",
        duplicate_allowed=allowed,
    )


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("001234", "1234"),
        ("1234", "1234"),
        ("'001234", "1234"),
        ("CHQ 001234", "1234"),
        ("1 234", "1234"),
        ("000000", "0"),
        (" 7001 ", "7001"),
        ("ABC", "abc"),
        ("A B c", "abc"),
    ],
)
def test_a_cheque_number_is_compared_as_its_digits(written: str, form: str) -> None:
    """Leading zeros, spaces, a prefix and a results file's quote leave the cheque as it was."""
    assert cheque_form(written) == form


@pytest.mark.parametrize(
    ("written", "form"),
    [
        ("TRF 7781", "trf7781"),
        ("trf7781", "trf7781"),
        ("  Trf  7781 ", "trf7781"),
        ("'-TRF-1", "-trf-1"),
        ("''=SUM", "=sum"),
        ("000778", "778"),
        ("778", "778"),
        ("", ""),
    ],
)
def test_a_reference_is_compared_without_capitals_spaces_zeros_or_the_quote(
    written: str, form: str
) -> None:
    """A reference typed again in other capitals or spacing is the same reference."""
    assert reference_form(written) == form


def test_a_brand_is_compared_without_capitals() -> None:
    """VISA, Visa and " visa " are one brand."""
    assert {brand_form("VISA"), brand_form("Visa"), brand_form(" visa ")} == {"visa"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"mode": "cheque", "cheque": "001234"}, {"mode": "cheque", "cheque": "1234"}),
        ({"mode": "cheque", "cheque": "007001"}, {"mode": "cheque", "cheque": "'7001"}),
        ({"mode": "bank_transfer", "reference": "TRF 7781"}, {"mode": "bank_transfer",
                                                              "reference": "trf7781"}),
        ({"mode": "bank_transfer", "reference": "-TRF-1"}, {"mode": "bank_transfer",
                                                           "reference": "'-TRF-1"}),
        ({"mode": "card", "card": ("VISA", "4242")}, {"mode": "card", "card": ("Visa", "4242")}),
    ],
)  # fmt: skip
def test_one_payment_spelled_two_ways_has_one_key(
    first: dict[str, object], second: dict[str, object]
) -> None:
    """The key a re-run looks the payment up by does not change with the spelling of its
    cheque number, reference or card brand."""
    one = payment(**first)  # type: ignore[arg-type]
    other = payment(9, **second)  # type: ignore[arg-type]
    assert payment_key("loc1", "a1", one) == payment_key("loc1", "a1", other)


def test_what_tells_two_payments_apart_still_does() -> None:
    """Another cheque, another reference, another card, day or amount: another key."""
    base = payment_key("loc1", "a1", payment(mode="cheque", cheque="001234"))
    others = {
        payment_key("loc1", "a1", payment(mode="cheque", cheque="001235")),
        payment_key("loc1", "a1", payment(mode="bank_transfer", reference="1234")),
        payment_key("loc1", "a1", payment(mode="cheque", cheque="001234", allowed=True)),
        payment_key("loc1", "a2", payment(mode="cheque", cheque="001234")),
        payment_key("loc2", "a1", payment(mode="cheque", cheque="001234")),
    }
    assert base not in others
    assert len(others) == 5


def test_the_earlier_key_is_the_one_an_importer_before_the_normalisation_wrote() -> None:
    """Journals and transactions written before hold payments under the old formula: the raw
    cheque number, and the same parts otherwise; it never equals a key made now."""
    cheque = payment(mode="cheque", cheque="001234")
    old = "|".join(["loc1", "a1", "400.00", "2026-11-03", "cheque", "001234"])
    assert earlier_key("loc1", "a1", cheque) == hashlib.sha256(old.encode()).hexdigest()[:32]
    cash = payment()
    assert earlier_key("loc1", "a1", cash) != payment_key("loc1", "a1", cash)


def test_rows_allowed_as_duplicates_have_keys_of_their_own() -> None:
    """Two equal rows are numbered; a row whose Allow duplicate cell says yes has another key
    than the same row without it, so the journal does not take it for the one recorded."""
    rows = [payment(2), payment(3), payment(4, allowed=True), payment(5, allowed=True)]
    keys = row_keys("loc1", [Checked(p, INVOICE, None) for p in rows])
    assert len(set(keys.keys.values())) == 4
    assert keys.keys[Place(2, 1)] == payment_key("loc1", "a1", rows[0])
    assert keys.keys[Place(4, 1)] == payment_key("loc1", "a1", rows[2])
    assert keys.keys[Place(5, 1)] == payment_key("loc1", "a1", rows[3], occurrence=2)
    assert keys.earlier == {
        Place(2, 1): earlier_key("loc1", "a1", rows[0]),
        Place(3, 1): earlier_key("loc1", "a1", rows[0], occurrence=2),
        Place(4, 1): earlier_key("loc1", "a1", rows[0], occurrence=3),
        Place(5, 1): earlier_key("loc1", "a1", rows[0], occurrence=4),
    }
    assert keys.of(Place(4, 1)) == (keys.keys[Place(4, 1)], keys.earlier[Place(4, 1)])
