"""What tells one payment from another, written the one way every check compares it.

A cheque number, a card's brand and a bank reference reach the importer in many spellings of
one value: ``001234`` in the XLSX and ``1234`` in the XLS saved from it, ``TRF 7781`` typed
again as ``trf7781``, ``'-TRF-1`` with the quote a CSV results file put before it kept after
the outcome columns were deleted by hand. Each check that asks "is this the same payment?"
(the rows of one file, the journal's payment keys, the payments HighLevel holds) compares the
forms made here, so that none of them takes an old payment for a new one.
"""

from __future__ import annotations

__all__ = ["brand_family", "brand_form", "cheque_form", "reference_form"]


def _without_quote(text: str) -> str:
    # The quote a CSV results file puts before a formula-like cell, kept when the file was
    # no longer recognised as results (its outcome columns deleted). No reference starts
    # with a quote of its own, so every leading one goes.
    return text.strip().lstrip("'").strip()


def cheque_form(number: str) -> str:
    """A cheque number as its digits, leading zeros ignored: ``001234``, ``1234``, ``CHQ 1234``
    and ``1 234`` are one cheque. A number with no digit is compared as text."""
    text = _without_quote(number)
    digits = "".join(character for character in text if character.isdigit())
    if digits:
        return digits.lstrip("0") or "0"
    return "".join(text.casefold().split())


def reference_form(reference: str) -> str:
    """A bank reference without regard to capitals, spaces or the quote; all digits, without
    leading zeros (``000778`` lost its zeros the same way a cheque number does)."""
    text = "".join(_without_quote(reference).casefold().split())
    if text.isdigit():
        return text.lstrip("0") or "0"
    return text


def brand_form(brand: str) -> str:
    """A card brand without regard to capitals or spaces: ``VISA`` and ``Visa`` are one brand."""
    return "".join(brand.casefold().split())


# One card network under the names programs give it. HighLevel may hold "American Express"
# for a payment a terminal's report calls "AMEX", or "Visa Debit" for the file's "Visa".
_FAMILIES = {
    "americanexpress": "amex",
    "amex": "amex",
    "ae": "amex",
    "ax": "amex",
    "mastercard": "mastercard",
    "master": "mastercard",
    "mc": "mastercard",
    "dinersclub": "diners",
    "diners": "diners",
    "discover": "discover",
    "unionpay": "unionpay",
    "cup": "unionpay",
}
# Words that name a card's kind, not its network: "Visa Debit" is Visa.
_KINDS = ("debit", "credit", "prepaid", "business", "corporate", "commercial", "card")


def brand_family(brand: str) -> str:
    """The card network a brand names, for telling a payment HighLevel holds from one of the
    file's: "American Express" and "AMEX", "Visa Debit" and "VISA", "MC" and "Mastercard" are
    one. Payment keys keep ``brand_form``, so that keys already in journals stay as they are."""
    form = brand_form(brand)
    shorter = True
    while shorter:  # "Visa Debit Card": both words of its kind go
        shorter = False
        for kind in _KINDS:
            if form.endswith(kind) and len(form) > len(kind):
                form, shorter = form.removesuffix(kind), True
    return _FAMILIES.get(form, form)
