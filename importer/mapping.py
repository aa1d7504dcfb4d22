"""Which of the user's columns feeds which payment field, and what their words mean.

Headers are matched without regard to case, accents, spaces and punctuation, so
"Nº factura", "Invoice #" and "INVOICE NUMBER" all find the invoice field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches

from importer.api.models import PaymentMode
from importer.errors import MappingError

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
)

FIELD_LABELS = {
    "invoice": "invoice number or id",
    "amount": "amount",
    "payment_date": "payment date",
    "method": "payment method",
    "cheque_number": "cheque number",
    "card_brand": "card brand",
    "card_last4": "card last 4 digits",
    "reference": "reference",
    "notes": "notes",
    "currency": "currency",
}


def normalise(text: str) -> str:
    """Lower case, no accents, letters and digits only: the form headers are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


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
}

DEFAULT_METHODS: Mapping[str, Method] = {
    "cash": Method("cash"),
    "efectivo": Method("cash"),
    "card": Method("card"),
    "creditcard": Method("card"),
    "debitcard": Method("card"),
    "tarjeta": Method("card"),
    "visa": Method("card", "Visa"),
    "mastercard": Method("card", "Mastercard"),
    "amex": Method("card", "Amex"),
    "americanexpress": Method("card", "Amex"),
    "discover": Method("card", "Discover"),
    "cheque": Method("cheque"),
    "check": Method("cheque"),
    "cheques": Method("cheque"),
    "banktransfer": Method("bank_transfer"),
    "transfer": Method("bank_transfer"),
    "wire": Method("bank_transfer"),
    "wiretransfer": Method("bank_transfer"),
    "ach": Method("bank_transfer"),
    "transferencia": Method("bank_transfer"),
    "other": Method("other"),
    "otro": Method("other"),
}


@dataclass(frozen=True)
class Template:
    """How one kind of spreadsheet maps onto a payment."""

    name: str
    headers: Mapping[str, Sequence[str]] = field(default_factory=lambda: DEFAULT_HEADERS)
    methods: Mapping[str, Method] = field(default_factory=lambda: DEFAULT_METHODS)
    required: tuple[str, ...] = ("invoice", "amount", "payment_date", "method")

    def method(self, word: str) -> Method | None:
        """The method a word in the file stands for, or None when it is not known."""
        return self.methods.get(normalise(word))


DEFAULT_TEMPLATE = Template(name="default")


@dataclass(frozen=True)
class ColumnMap:
    """For each payment field found, the index and header of the column that feeds it."""

    columns: Mapping[str, tuple[int, str]]

    def header(self, field_name: str) -> str:
        return self.columns[field_name][1]


def map_columns(columns: Sequence[str], template: Template) -> ColumnMap:
    """Find each field's column, or raise MappingError naming what is missing and why."""
    by_form: dict[str, tuple[int, str]] = {}
    for index, header in enumerate(columns):
        by_form.setdefault(normalise(header), (index, header))
    found: dict[str, tuple[int, str]] = {}
    for field_name, names in template.headers.items():
        for name in names:
            if (hit := by_form.get(normalise(name))) is not None:
                found[field_name] = hit
                break
    missing = [name for name in template.required if name not in found]
    if missing:
        raise MappingError(_missing_message(missing, columns, template))
    return ColumnMap(found)


def _missing_message(missing: list[str], columns: Sequence[str], template: Template) -> str:
    lines = [f"The file's columns are: {', '.join(repr(c) for c in columns if c)}."]
    for field_name in missing:
        wanted = ", ".join(repr(name) for name in template.headers[field_name][:4])
        close = get_close_matches(
            normalise(template.headers[field_name][0]),
            [normalise(c) for c in columns],
            n=2,
            cutoff=0.5,
        )
        hint = ""
        if close:
            near = [c for c in columns if normalise(c) in close]
            hint = f" The closest header is {near[0]!r}: rename it to {wanted.split(', ')[0]}."
        lines.append(
            f"No column gives the {FIELD_LABELS[field_name]} (expected a header such as "
            f"{wanted}).{hint}"
        )
    lines.append("Nothing was sent.")
    return " ".join(lines)
