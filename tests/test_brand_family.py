"""Card brands as networks, for comparing a payment with one HighLevel holds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from importer.api.models import Transaction
from importer.check.references import brand_family
from importer.holdings import PaymentFacts, Sameness, same_payment

ONE_NETWORK = [
    ("VISA", "Visa Debit", "Visa credit", "Visa Debit Card", "visa"),
    ("AMEX", "American Express", "AmericanExpress", "AX", "amex"),
    ("MC", "Mastercard", "Master Card", "MasterCard Debit"),
    ("Diners Club", "DINERS", "diners club", "Diners"),
    ("UnionPay", "Union Pay", "CUP", "unionpay"),
]


@pytest.mark.parametrize("names", ONE_NETWORK, ids=[names[0] for names in ONE_NETWORK])
def test_names_of_one_network_are_one_family(names: tuple[str, ...]) -> None:
    assert len({brand_family(name) for name in names}) == 1


def test_networks_stay_apart() -> None:
    families = [brand_family(names[0]) for names in ONE_NETWORK]
    assert len(set(families)) == len(ONE_NETWORK)
    assert brand_family("Discover") != brand_family("Diners Club")
    assert brand_family("Debit") == "debit"  # a kind alone is left as written


def test_a_payment_held_as_american_express_is_the_files_amex() -> None:
    """The terminal's report says AMEX; HighLevel holds the payment typed as American
    Express, same last 4, amount and invoice: alike, so it is held back, not sent again."""
    ours = PaymentFacts("inv1", Decimal("80.00"), "card", date(2026, 11, 3), card=("AMEX", "1005"))
    held = Transaction.model_validate(
        {
            "_id": "t1",
            "entityId": "inv1",
            "amount": 80,
            "paymentMethod": {
                "mode": "card",
                "card": {"brand": "American Express", "last4": "1005"},
            },
            "fulfilledAt": "2026-11-03T12:00:00.000Z",
        }
    )
    assert same_payment(ours, held) is Sameness.ALIKE
    other = held.model_copy(
        update={"payment_method": {"mode": "card", "card": {"brand": "Visa", "last4": "1005"}}}
    )
    assert same_payment(ours, other) is Sameness.DIFFERENT
