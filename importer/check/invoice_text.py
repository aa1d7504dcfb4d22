"""Invoice references written inside text: "Invoice 1027", "Inv #1025 deposit", "FRA.1052".

Bank lines, memos and processors' descriptions name the invoice among other words. A number
counts as an invoice's only when a word for "invoice" stands right before it (Invoice, Inv,
Factura, FRA, Facture, Factuur, Rechnung...), so the digits of an account, a date, a phone number or
an amount in the same text are never taken for one. ``invoice_references`` is a pure
function, and ``several_invoices`` the one place that says what a cell naming two or more
invoices becomes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The words written for "invoice" before its number, longest first so that "Factura" is not
# read as "Fact" followed by "ura".
_KEYWORDS = (
    "invoices|invoice|factuur|faktura|facturas|factura|factures|facture|fattura|fatura|rechnung|"
    "fctra|fact|fac|fra|inv|bill"
)
# "No.", "Nº", "N°", "Number", "#" between the word and the number.
_NUMBER_WORD = r"(?:(?:number|num|nro|nr|no|n)\s*[.º°ª]?|#)"
_DIGITS = r"\d{1,12}"
# A number that goes on into more digits, letters, a date (2026-10-01, 10/22/2026) or a year
# (the Spanish "Factura 1041/2026") is not a reference; "1021/1022" is two.
_END = r"(?![0-9A-Za-z]|[-.]\d|/\d{1,2}/|/(?:19|20)\d\d(?!\d))"
# More invoices after the first: "Invoices 1021, 1022 and 1023", "Inv 1021/1022".
_MORE = rf"(?:\s*(?:,|;|/|&|\+|\band\b|\by\b|\bet\b|\bund\b)\s*#?\s*(\d{{3,12}}){_END})"
_REFERENCE = re.compile(
    rf"(?<![0-9A-Za-z])(?:{_KEYWORDS})\.?\s*(?:{_NUMBER_WORD}\s*)?[-:#/]?\s*"
    rf"({_DIGITS}){_END}((?:{_MORE})*)",
    re.IGNORECASE,
)
_FOLLOWING = re.compile(rf"{_MORE}", re.IGNORECASE)
# A cell that is nothing but a list of numbers: "1021, 1022", "1021 / 1022".
_BARE_LIST = re.compile(r"\s*#?\d{3,12}(?:\s*(?:,|;|/|&|\+|\band\b|\by\b)\s*#?\d{3,12})+\s*")


def invoice_references(text: str) -> tuple[str, ...]:
    """The invoice numbers ``text`` names, each once, in the order written.

    "Invoice 1027" gives ("1027",); "Inv #1025 deposit" ("1025",); "Invoices 1021 and 1022"
    ("1021", "1022"); "TESCO STORES 2841" and "2026-10-01" give nothing.
    """
    found: list[str] = []
    for match in _REFERENCE.finditer(text):
        found.append(match.group(1))
        found.extend(more.group(1) for more in _FOLLOWING.finditer(match.group(2)))
    return tuple(dict.fromkeys(found))


def listed_invoices(text: str) -> tuple[str, ...]:
    """The numbers of a cell that is nothing but a list of them ("1021, 1022"), else ()."""
    if _BARE_LIST.fullmatch(text):
        return tuple(dict.fromkeys(re.findall(r"\d{3,12}", text)))
    return ()


Reporter = Callable[[str, str, str], None]


def several_invoices(references: tuple[str, ...], problem: Reporter) -> None:
    """A cell naming two or more invoices in a way their parts cannot be read from.

    A cell that lists them plainly is a payment of several parts (``allocations``); this is
    for one that names them among words no list reads, where which invoice gets what is the
    accountant's to say.
    """
    named = ", ".join(references[:-1]) + f" and {references[-1]}"
    first, second = references[0], references[1]
    problem(
        "invoice",
        "invoice.several",
        f"This names several invoices ({named}), and how much each was paid cannot be read "
        f"from it. Write each with its part, such as {first}:300.00|{second}:150.00, or list "
        f"them alone, such as {first}, {second}, to pay each in full.",
    )
