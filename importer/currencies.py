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


# Symbols written before or after an amount, and the currency each names. "$" and "¥" name
# several (a dollar, a peso; a yen, a yuan): they are kept as written and fit any of theirs.
_SYMBOL_CODES = {
    "€": "EUR",
    "£": "GBP",
    "₹": "INR",
    "US$": "USD",
    "MX$": "MXN",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "R$": "BRL",
}
SHARED_SYMBOLS = {
    "$": frozenset(
        {"USD", "CAD", "AUD", "NZD", "MXN", "SGD", "HKD", "ARS", "CLP", "COP", "UYU", "TWD",
         "BSD", "BBD", "BZD", "BMD", "FJD", "JMD", "LRD", "NAD", "SBD", "SRD", "TTD", "XCD",
         "KYD", "GYD", "BND", "DOP", "CUP"}
    ),
    "¥": frozenset({"JPY", "CNY"}),
}  # fmt: skip


def symbol_currency(symbol: str) -> str:
    """The code a currency symbol names (€ is EUR, US$ is USD); "$" or "¥" as they are when
    they could name several; the symbol's last character when its prefix is not known."""
    if symbol in _SYMBOL_CODES:
        return _SYMBOL_CODES[symbol]
    return symbol[-1:] if symbol[-1:] in SHARED_SYMBOLS else _SYMBOL_CODES.get(symbol[-1:], symbol)


def fits(written: str, code: str) -> bool:
    """Whether a currency as written (a code, or "$" or "¥") is the currency ``code``."""
    return code.upper() in SHARED_SYMBOLS.get(written, frozenset({written}))
