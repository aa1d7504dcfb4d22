"""Invoice references inside text: which invoices a memo, a bank line or a note names."""

from __future__ import annotations

import pytest

from importer.check.fields import InvoiceRef, invoice_ref
from importer.check.invoice_text import invoice_references, listed_invoices

REFERENCES: list[tuple[str, tuple[str, ...]]] = [
    ("Invoice 1027", ("1027",)),
    ("Inv #1025 deposit", ("1025",)),
    ("INV-1022", ("1022",)),
    ("Invoice 1024 - balance", ("1024",)),
    ("Factura 1011", ("1011",)),
    ("CONCEPTO FRA. 1042", ("1042",)),
    ("FRA.1052 NOVIEMBRE", ("1052",)),
    ("FACTURA N 1054", ("1054",)),
    ("PAGO FACTURA NO. 1142", ("1142",)),
    ("DEPOSITO FERRETERIA OCHOA FACTURA # 1145", ("1145",)),
    ("VIREMENT DE GARAGE PETIT FACTURE N°1064", ("1064",)),
    ("LUMEN PHOTOGRAPHY LTD INV1033", ("1033",)),
    ("Payment for invoice INV-1104", ("1104",)),
    ("Invoice INV-1101 from Northwind Studio Ltd", ("1101",)),
    ('Zelle payment from WILLOW SPA LLC for "Inv 1122"; Conf# bac8x7s1q', ("1122",)),
    ("RFB=O/B BK AMERICA OBI=INVOICE 1123 IMAD: 1110B1QGC08C001234", ("1123",)),
    ("CO ENTRY DESCR:INV 1125  SEC:PPD TRACE#:122000661122334 IND ID:000000004821", ("1125",)),
    ("Rechnung 4410", ("4410",)),
    # Two or more different invoices: each once, in order.
    ("Invoices 1021 and 1022", ("1021", "1022")),
    ("Inv 1021/1022", ("1021", "1022")),
    ("Invoice 1021 / Invoice 1025", ("1021", "1025")),
    ("Factura 1031 y 1032", ("1031", "1032")),
    ("INV-1021 INV-1021 again", ("1021",)),
    # Digits that are not an invoice's: no word for one before them.
    ("TESCO STORES 2841 CD 4821", ()),
    ("COMCAST BUSINESS 800-391-3000 PA 11/22", ()),
    ("Billing - Usage Fee (2026-10-01 - 2026-10-31)", ()),
    ("FACEBOOK ADS 1234", ()),
    ("FRANCE 2026", ()),
    # A date, a year after the number, an amount after a comma: not invoices.
    ("Inv 2026-10-01", ()),
    ("Factura 1041/2026", ()),
    ("Invoice 10/22/2026", ()),
    ("Invoice 1021, 500.00 paid", ("1021",)),
    ("Invoice 1021A", ()),
    ("", ()),
]


@pytest.mark.parametrize(("text", "named"), REFERENCES, ids=[text for text, _ in REFERENCES])
def test_the_invoices_a_text_names(text: str, named: tuple[str, ...]) -> None:
    """A number is an invoice's only after a word for one; each is named once, in order."""
    assert invoice_references(text) == named


@pytest.mark.parametrize(
    ("text", "named"),
    [("1021, 1022", ("1021", "1022")), ("1021 / 1022", ("1021", "1022")), ("1021", ()),
     ("1,234", ()), ("12, 13", ())],
)  # fmt: skip
def test_a_cell_that_lists_bare_numbers(text: str, named: tuple[str, ...]) -> None:
    """A cell of nothing but invoice numbers lists them; one number or an amount is no list."""
    assert listed_invoices(text) == named


def read(text: str) -> tuple[InvoiceRef | None, list[tuple[str, str, str]]]:
    problems: list[tuple[str, str, str]] = []
    return invoice_ref(text, lambda *problem: problems.append(problem)), problems


@pytest.mark.parametrize(
    ("text", "invoice"),
    [
        ("Invoice 1027", InvoiceRef("number", "1027")),
        ("Inv #1025 deposit", InvoiceRef("number", "1025")),
        ("INV-1042", InvoiceRef("number", "1042")),
        ("1042", InvoiceRef("number", "1042")),
    ],
)
def test_an_invoice_cell_with_one_reference_gives_that_invoice(
    text: str, invoice: InvoiceRef
) -> None:
    """One reference among other words is the row's invoice, and no problem."""
    assert read(text) == (invoice, [])


@pytest.mark.parametrize(
    ("text", "named", "second"),
    [
        ("Invoices 1021 and 1025", "1021 and 1025", "1025"),
        ("1021, 1022, 1023", "1021, 1022 and 1023", "1022"),
    ],
)
def test_a_cell_naming_several_invoices_is_refused_naming_them(
    text: str, named: str, second: str
) -> None:
    """Two or more different invoices in one cell: no invoice, and a problem naming each."""
    assert read(text) == (
        None,
        [
            (
                "invoice",
                "invoice.several",
                f"This names several invoices ({named}), and how much each was paid cannot be "
                "read from it. Write each with its part, such as 1021:300.00|"
                f"{second}:150.00, or list them alone, such as 1021, {second}, to pay each in "
                "full.",
            )
        ],
    )
