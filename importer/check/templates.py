"""Templates: what one kind of spreadsheet calls each payment field, and what its words mean.

A template lists the headers that may feed each field, the method words and what they mean,
constant values, a notes pattern and how its dates and amounts are written. Its files, the
built-in ones and a user's own, are read by ``template_files``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import get_args

from importer.api.models import PaymentMode
from importer.currencies import is_currency

# The payment fields a row can feed, in the order a report lists them.
FIELDS = (
    "invoice",
    "amount",
    "payment_date",
    "method",
    "cheque_number",
    "card_brand",
    "card_last4",
    "reference",
    "notes",
    "currency",
    "allow_duplicate",
    "payment_total",
)
# Fields a blank workbook leaves out: they are for the rare file that has them.
NOT_IN_WORKBOOKS = ("allow_duplicate", "payment_total")

# Columns that feed no payment but tell which lines of a statement are payments: money paid
# out, the running balance, and what the line is (its status or type: Pending, Refund...).
LINE_FIELDS = ("money_out", "balance", "status")

MODES: tuple[str, ...] = get_args(PaymentMode)

# Built-in templates sit beside the package: installs are editable (pip install -e .).
# In the package, so that an installed importer carries them; the templates/ folder at the
# top of the repository is the copy users read, held identical by tests/test_packaging.py.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


# "Nº", "N°" (the degree sign many keyboards give) and "Nª" are all written for "number".
_NUMBER_SIGNS = str.maketrans({"º": "o", "°": "o", "ª": "o"})


# Kept: a file's method and brand words are a handful of values on every one of its rows.
@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower case, no accents, letters and digits only: the form headers are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NUMBER_SIGNS))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


# A currency after a header, in brackets: "Amount (GBP)", "Montant(EUROS)", "Importe (€)".
_CURRENCY_SUFFIX = re.compile(
    r"(.*?)\s*[(\[]\s*([A-Za-z]{3}|[€$£¥]|euros?|dollars?)\s*[)\]]\s*", re.IGNORECASE
)


def header_form(header: str) -> str:
    """The form a header is compared in: ``normalise``d, without a currency after it.

    "Amount (GBP)" is the header "Amount" of an account kept in pounds; "Created (UTC)"
    keeps its brackets, UTC being no currency.
    """
    if (match := _CURRENCY_SUFFIX.fullmatch(header)) is not None:
        unit = match[2]
        if (
            not unit.isalpha()
            or unit.casefold().startswith(("euro", "dollar"))
            or (len(unit) == 3 and is_currency(unit.upper()))
        ):
            header = match[1]
    return normalise(header)


@dataclass(frozen=True)
class Method:
    """What a method word in the file means: a mode, and for card words the brand."""

    mode: PaymentMode
    brand: str | None = None


DEFAULT_HEADERS: Mapping[str, Sequence[str]] = {
    "invoice": (
        "Invoice",
        "Invoice #",
        "Invoice No.",
        "Invoice Number",
        "Invoice ID",
        "Factura",
        "Nº factura",
        "Número de factura",
    ),
    "amount": ("Amount", "Amount Paid", "Payment Amount", "Importe", "Monto"),
    "payment_date": ("Date", "Payment Date", "Date Paid", "Fecha", "Fecha de pago"),
    "method": ("Method", "Payment Method", "Mode", "Forma de pago", "Método de pago"),
    "cheque_number": ("Cheque No.", "Cheque Number", "Check Number", "Check No.", "Nº cheque"),
    "card_brand": ("Card Type", "Card Brand", "Brand", "Tarjeta tipo", "Marca"),
    "card_last4": ("Last 4", "Card Last 4", "Last Four", "Últimos 4"),
    "reference": ("Reference", "Ref", "Referencia"),
    "notes": ("Notes", "Memo", "Notas", "Concepto"),
    "currency": ("Currency", "Moneda"),
    "allow_duplicate": (
        "Allow duplicate",
        "Allow duplicates",
        "Duplicate OK",
        "Permitir duplicado",
    ),
    # What the payer paid in all, on a row that is one part of a payment for several invoices.
    "payment_total": (
        "Cheque Total",
        "Check Total",
        "Payment Total",
        "Total del cheque",
    ),
}

# In the order a drop-down offers them: the common words first.
DEFAULT_METHOD_WORDS: Mapping[str, Method] = {
    "Cash": Method("cash"),
    "Cheque": Method("cheque"),
    "Bank transfer": Method("bank_transfer"),
    "Card": Method("card"),
    "Visa": Method("card", "Visa"),
    "Mastercard": Method("card", "Mastercard"),
    "Amex": Method("card", "Amex"),
    "Other": Method("other"),
    "Efectivo": Method("cash"),
    "Transferencia": Method("bank_transfer"),
    "Tarjeta": Method("card"),
    "Otro": Method("other"),
    "Check": Method("cheque"),
    "Cheques": Method("cheque"),
    "Credit card": Method("card"),
    "Debit card": Method("card"),
    "American Express": Method("card", "Amex"),
    "Discover": Method("card", "Discover"),
    "Transfer": Method("bank_transfer"),
    "Wire": Method("bank_transfer"),
    "Wire transfer": Method("bank_transfer"),
    "ACH": Method("bank_transfer"),
}

DEFAULT_METHODS: Mapping[str, Method] = {
    normalise(word): method for word, method in DEFAULT_METHOD_WORDS.items()
}


@dataclass(frozen=True)
class Template:
    """How one kind of spreadsheet maps onto a payment.

    ``date_format`` and ``decimal`` are carried as the accountant wrote them (such as
    "DD/MM/YYYY" and ","), for the amount and date readers to use.
    """

    name: str
    headers: Mapping[str, Sequence[str]] = field(default_factory=lambda: DEFAULT_HEADERS)
    # What kind of file it reads, as "Read as ..." says it: "a cheque deposit".
    kind: str = ""
    methods: Mapping[str, Method] = field(default_factory=lambda: DEFAULT_METHODS)
    required: tuple[str, ...] = ("invoice", "amount", "payment_date", "method")
    description: str = ""
    constants: Mapping[str, str] = field(default_factory=dict)
    notes: str | None = None
    date_format: str | None = None
    decimal: str | None = None
    max_age_days: int = 400
    method_words: tuple[str, ...] = tuple(DEFAULT_METHOD_WORDS)
    # The columns a blank workbook for this template gets, in order.
    workbook_fields: tuple[str, ...] = tuple(f for f in FIELDS if f not in NOT_IN_WORKBOOKS)
    # Fields whose header list is in order of preference: of several in a file, the first wins.
    prefer_first: tuple[str, ...] = ()
    source: Path | None = field(default=None, compare=False)
    # The header lists the template writes itself (and those of the template it is based on).
    # ``headers`` is these, then every other header a built-in template knows: a file's column
    # named in the template's own list for a field is preferred to one only the others know.
    own_headers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # Headers that mark a file as this template's kind (a balance column, a processor's own
    # column): a template that names some is chosen by itself only for a file with one.
    recognised_by: tuple[str, ...] = ()
    # The file lists money in and money out (a bank statement, a processor's report): a line
    # that is not money received is passed over as not a payment, never refused.
    statement: bool = False
    # The built-in template this one is based on (``based_on``), if any.
    based_on: str | None = None
    # A saved template's file headers: a file with the same headers is read with it by itself
    # (see ``check.saved``).
    file_headers: tuple[str, ...] = ()

    def method(self, word: str) -> Method | None:
        """The method a word in the file stands for, or None when it is not known."""
        return self.methods.get(normalise(word))

    @property
    def is_builtin(self) -> bool:
        """True for a template of the templates folder (or the default itself), not a user's."""
        return self.source is None or self.source.resolve().parent == TEMPLATES_DIR

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """Columns the template names beyond the payment fields (used only in notes)."""
        named = self.own_headers or self.headers
        return tuple(name for name in named if name not in FIELDS + LINE_FIELDS)

    @property
    def own_forms(self) -> frozenset[str]:
        """Every header the template names itself, normalised: how specific it is to a file."""
        names = [name for names in self.own_headers.values() for name in names]
        return frozenset(header_form(name) for name in (*names, *self.recognised_by))
