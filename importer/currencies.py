"""Which currency codes are real money, and which of them have no cents."""

from __future__ import annotations

import pycountry

# ISO 4217 also lists metals, fund units and test codes; nobody pays an invoice in those.
_NOT_MONEY = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)

ISO_CURRENCIES: frozenset[str] = (
    frozenset(str(currency.alpha_3) for currency in pycountry.currencies) - _NOT_MONEY
)

# Currencies whose amounts are whole numbers in payment systems (Stripe's list, which
# HighLevel's payments follow): a JPY amount with cents is a typing slip.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)


def is_currency(code: str) -> bool:
    """True for a current ISO 4217 code of real money, such as USD or MXN."""
    return code in ISO_CURRENCIES


def decimals(code: str | None) -> int:
    """How many decimals an amount in this currency may have (2 when it is not known)."""
    return 0 if code in ZERO_DECIMAL_CURRENCIES else 2
