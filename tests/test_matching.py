"""Each matching rule as a table: a statement's line and the open invoices in, a proposal out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importer.check.line_words import Mention, NumbersInText, names_alike, numbers_in
from importer.check.matching import (
    OpenInvoice,
    OpenInvoices,
    Proposal,
    StatementLine,
    by_amount_and_name,
    by_number,
    invoice_list,
    listed_invoices,
    propose,
    propose_all,
)
from importer.status import Match


def invoice(
    number: str,
    client: str,
    due: str,
    *,
    currency: str = "GBP",
    status: str = "sent",
    prefix: str = "INV-",
) -> OpenInvoice:
    return OpenInvoice(f"id-{number}", number, prefix, client, Decimal(due), currency, status)


def line(text: str, amount: str, currency: str | None = "GBP", row: int = 7) -> StatementLine:
    return StatementLine(row, date(2026, 10, 2), text, Decimal(amount), currency)


INVOICES = [
    invoice("2011", "Crestview Dental Ltd", "845.00"),
    invoice("2013", "Fairbairn Joinery Ltd", "1500.00"),
    invoice("2017", "Bramley & Sons", "640.00"),
    invoice("2018", "Bramley & Sons", "385.50"),
    invoice("2009", "Thornbury Cafe Ltd", "0.00", status="paid"),
    invoice("2010", "Kingfisher Print Ltd", "720.00", status="draft"),
    invoice("2003", "Ashcombe Interiors Ltd", "400.00", status="partially_paid"),
    invoice("3001", "Óptica Miralba SL", "100.00", currency="EUR"),
    invoice("0042", "Quarry Fitness", "50.00"),
    invoice("2020", "Acme Roofing", "300.00", prefix="ACME-"),
    invoice("7", "Small Numbers Ltd", "70.00"),
]


@pytest.mark.parametrize(
    ("text", "mentions", "longer"),
    [
        ("REF INV-2011", [("2011", True, "")], []),
        ("INV2013 PART", [("2013", True, "")], []),
        ("INV1033", [("1033", True, "")], []),
        ("FRA.1052", [("1052", True, "")], []),
        ("N°1064", [("1064", True, "")], []),
        ("FACTURA Nº 3002", [("3002", True, "")], []),
        ("#1042", [("1042", True, "")], []),
        ("Invoice No. 2011", [("2011", True, "")], []),
        ("OBI=INVOICE 1123", [("1123", True, "")], []),
        ("2012 BALANCE", [("2012", False, "")], []),
        ("ORDER 5520147", [("5520147", False, "")], []),
        ("REF 0030061", [("0030061", False, "")], []),
        ("40-44-12 72016413", [("72016413", False, "")], ["40-44-12"]),
        ("INV 2017 + 2018", [("2017", True, ""), ("2018", False, "")], []),
        ("INV 2017/2018", [("2017", True, ""), ("2018", True, "")], []),
        ("FRAS. 3004 Y 3005", [("3004", True, ""), ("3005", False, "")], []),
        (
            "facturas 2011, 2012 y 2013",
            [("2011", True, ""), ("2012", False, ""), ("2013", False, "")],
            [],
        ),
        ("ORDENANTE ES21 0081 0200 3007 4561 2398", [], ["ES21 0081 0200 3007 4561 2398"]),
        ("CARD 1234 5678 9012 3456", [], ["1234 5678 9012 3456"]),
        ("FRA. 3003 1ER PAGO", [("3003", True, "")], ["1ER"]),
        ("MOD 303 3T 2026", [("303", False, "")], ["3T", "3T 2026"]),
        ("RENT NOV 2026", [], ["NOV 2026"]),
        ("PAID 02/10/2026", [], ["02/10/2026"]),
        ("TOTAL 1,025.50", [], ["1,025.50"]),
        ("TEL 555-123-4567", [], ["555-123-4567"]),
        ("ACME2011", [("2011", False, "acme")], []),
        ("ACME-2011", [("2011", False, "acme")], []),
        ("ACME 2011", [("2011", False, "")], []),
        ("PAGO 7", [], []),
        ("FACTURA 7", [("7", True, "")], []),
        ("INV-2011 INV 2011", [("2011", True, "")], []),
        ("", [], []),
    ],
)
def test_numbers_written_on_their_own_and_the_longer_numbers_around_them(
    text: str, mentions: list[tuple[str, bool, str]], longer: list[str]
) -> None:
    """Invoice words and prefixes name the number after them; digits inside a longer number,
    an account, a code or a date are no number of their own; a list names each of its own."""
    assert numbers_in(text) == NumbersInText(
        tuple(Mention(number, named=named, glued=glued) for number, named, glued in mentions),
        tuple(longer),
    )


@pytest.mark.parametrize(
    ("text", "amount", "currency", "expected"),
    [
        (
            "Bank credit CRESTVIEW DENTAL LTD REF INV-2011", "845.00", "GBP",
            Proposal(Match.SURE, ("2011",), why="INV-2011 in the text; 845.00 is what it owes."),
        ),
        (
            "INV2013 PART", "500.00", "GBP",
            Proposal(
                Match.SURE, ("2013",), why="INV-2013 in the text; 500.00 of the 1,500.00 it owes."
            ),
        ),
        (
            "INV 2017 + 2018", "1025.50", "GBP",
            Proposal(
                Match.SURE,
                ("2017", "2018"),
                why="Split: INV-2017 owes 640.00 and INV-2018 owes 385.50, together 1,025.50.",
            ),
        ),
        (
            "INV 2017 + 2018", "640.00", "GBP",
            Proposal(
                Match.LIKELY,
                ("2017",),
                why="INV-2017 and INV-2018 are in the text; together they owe 1,025.50, not "
                "640.00, and INV-2017 owes exactly 640.00.",
            ),
        ),
        (
            "INV 2017 + 2018", "300.00", "GBP",
            Proposal(
                Match.SEVERAL,
                candidates=("2017", "2018"),
                why="INV-2017 and INV-2018 are in the text, but INV-2017 owes 640.00 and "
                "INV-2018 owes 385.50, together 1,025.50, not 300.00: choose the invoice it "
                "pays.",
            ),
        ),
        (
            "INV-2011", "900.00", "GBP",
            Proposal(
                Match.NONE, why="INV-2011 is in the text but owes 845.00, less than 900.00."
            ),
        ),
        ("INV-2009", "600.00", "GBP",
         Proposal(Match.NONE, why="INV-2009 is in the text but is already paid.")),
        ("INV-2010", "720.00", "GBP",
         Proposal(Match.NONE, why="INV-2010 is in the text but is a draft (send it first).")),
        ("INV-2003", "400.00", "GBP", Proposal(
            Match.SURE, ("2003",), why="INV-2003 in the text; 400.00 is what it owes.")),
        ("INV-3001", "100.00", "GBP",
         Proposal(Match.NONE, why="INV-3001 is in the text but is in EUR, not GBP.")),
        ("INV-3001", "100.00", None, Proposal(
            Match.LIKELY, ("3001",),
            why="INV-3001 in the text; 100.00 is what it owes. The statement does not say its "
            "currency, and the invoice is in EUR.",
        )),
        ("INV-2099", "100.00", "GBP", Proposal(
            Match.NONE, why="2099 is in the text, but no open invoice has that number.")),
        ("ORDER 5520147", "100.00", "GBP", Proposal(Match.NONE)),
        ("REF 42", "50.00", "GBP", Proposal(Match.NONE)),
        ("INV 0042", "50.00", "GBP", Proposal(
            Match.SURE, ("0042",), why="INV-0042 in the text; 50.00 is what it owes.")),
        ("ACME-2020", "300.00", "GBP", Proposal(
            Match.SURE, ("2020",), why="ACME-2020 in the text; 300.00 is what it owes.")),
        ("XYZ2020", "300.00", "GBP", Proposal(Match.NONE)),
        ("PAGO 7", "70.00", "GBP", Proposal(Match.NONE)),
        ("FACTURA 7", "70.00", "GBP", Proposal(
            Match.SURE, ("7",), why="INV-7 in the text; 70.00 is what it owes.")),
        ("ES21 0081 0200 2011 4561 2398", "845.00", "GBP", Proposal(Match.NONE)),
        ("PAID 20/11/2011", "845.00", "GBP", Proposal(Match.NONE)),
    ],
)  # fmt: skip
def test_by_number(text: str, amount: str, currency: str | None, expected: Proposal) -> None:
    """A number of an open invoice in the text, written on its own, that can take the amount
    is sure; invoices whose balances add up to it, a sure split; anything else says why not."""
    assert by_number(line(text, amount, currency), OpenInvoices(INVOICES)) == expected


def test_a_split_within_the_tolerance_is_only_likely_and_says_by_how_much() -> None:
    """--tolerance lets two named invoices that owe 0.50 more than the line be proposed, as
    likely, with the difference stated; without it the line names them to choose from."""
    found = by_number(
        line("INV 2017 + 2018", "1025.00"),
        OpenInvoices(INVOICES),
        tolerance=Decimal("0.50"),
    )
    assert found == Proposal(
        Match.LIKELY,
        ("2017", "2018"),
        why="Split: INV-2017 owes 640.00 and INV-2018 owes 385.50, together 1,025.50, 0.50 "
        "more than this line.",
    )
    assert by_number(line("INV 2017 + 2018", "1025.00"), OpenInvoices(INVOICES)).match == (
        Match.SEVERAL
    )


OWING = [
    invoice("2015", "Meridian Supplies Ltd", "2216.90"),
    invoice("2006", "Willowbrook Nursery Ltd", "500.00"),
    invoice("2007", "Willowbrook Nursery Ltd", "500.00"),
    invoice("2030", "Harbour Cafe", "500.00"),
    invoice("2004", "Pendleton Architectural Services Ltd", "1318.40"),
    invoice("2008", "Pendleton Joinery Ltd", "1318.40"),
    invoice("3007", "Talleres Beltrán SL", "830.00", currency="EUR"),
    invoice("3008", "García y López Asesores S.L.", "2640.00", currency="EUR"),
    invoice("2040", "Spent Ltd", "990.00", status="paid"),
]


@pytest.mark.parametrize(
    ("text", "amount", "currency", "tolerance", "expected"),
    [
        ("Bank credit MERIDIAN SUPPLIES ORDER 5520147", "2216.90", "GBP", "0", Proposal(
            Match.LIKELY, ("2015",),
            why="Meridian Supplies Ltd looks like the payer, and INV-2015 owes exactly 2,216.90.",
        )),
        ("Bank credit PENDLETON ARCHITECTURAL SE NOV FEES", "1318.40", "GBP", "0", Proposal(
            Match.LIKELY, ("2004",),
            why="Pendleton Architectural Services Ltd looks like the payer, and INV-2004 owes "
            "exactly 1,318.40.",
        )),
        ("GARCIA Y LOPEZ ASESO Transferencia recibida", "2640", "EUR", "0", Proposal(
            Match.LIKELY, ("3008",),
            why="García y López Asesores S.L. looks like the payer, and INV-3008 owes exactly "
            "2,640.00.",
        )),
        ("Bank credit WILLOWBROOK NURSERY ACCOUNT PAYMENT", "500.00", "GBP", "0", Proposal(
            Match.SEVERAL, candidates=("2006", "2007"),
            why="Willowbrook Nursery Ltd looks like the payer, and INV-2006 owes exactly 500.00 "
            "and INV-2007 owes exactly 500.00: choose the invoice it pays.",
        )),
        ("Transfer from HARBOUR CAFE", "500.00", "GBP", "0", Proposal(
            Match.LIKELY, ("2030",),
            why="Harbour Cafe looks like the payer, and INV-2030 owes exactly 500.00.",
        )),
        ("REPUESTOS NORTE SL ES21 0081 0200 3007 4561 2398", "830", "EUR", "0", Proposal(
            Match.NONE,
            why="INV-3007 (Talleres Beltrán SL) owes exactly 830.00, but the payer's name is not "
            "the client's.",
        )),
        ("Transfer from J SMITH", "75.00", "GBP", "0",
         Proposal(Match.NONE, why="No open invoice owes 75.00.")),
        ("Transfer from J SMITH", "500.00", "GBP", "0", Proposal(
            Match.NONE,
            why="INV-2006 (Willowbrook Nursery Ltd) owes exactly 500.00, INV-2007 (Willowbrook "
            "Nursery Ltd) owes exactly 500.00 and INV-2030 (Harbour Cafe) owes exactly 500.00, "
            "but the payer's name is not the client's.",
        )),
        ("Bank credit MERIDIAN SUPPLIES", "2216.90", "EUR", "0",
         Proposal(Match.NONE, why="No open invoice owes 2,216.90.")),
        ("Bank credit MERIDIAN SUPPLIES", "2216.80", "GBP", "0",
         Proposal(Match.NONE, why="No open invoice owes 2,216.80.")),
        ("Bank credit MERIDIAN SUPPLIES", "2216.80", "GBP", "0.50", Proposal(
            Match.LIKELY, ("2015",),
            why="Meridian Supplies Ltd looks like the payer, and INV-2015 owes 2,216.90, 0.10 "
            "more than this line.",
        )),
        ("Bank credit MERIDIAN SUPPLIES", "2210.00", "GBP", "0.50", Proposal(
            Match.NONE, why="No open invoice owes 2,210.00 (nor within 0.50 of it).")),
        ("Bank credit SPENT LTD", "990.00", "GBP", "0",
         Proposal(Match.NONE, why="No open invoice owes 990.00.")),
        ("Bank credit MERIDIAN SUPPLIES", "2216.90", None, "0", Proposal(
            Match.LIKELY, ("2015",),
            why="Meridian Supplies Ltd looks like the payer, and INV-2015 owes exactly 2,216.90.",
        )),
    ],
)  # fmt: skip
def test_by_amount_and_name(
    text: str, amount: str, currency: str | None, tolerance: str, expected: Proposal
) -> None:
    """Exactly one open invoice owing the amount whose client is the payer is likely; two
    alike, several; an invoice owing it whose client is someone else is no match."""
    found = by_amount_and_name(
        line(text, amount, currency), OpenInvoices(OWING), tolerance=Decimal(tolerance)
    )
    assert found == expected


@pytest.mark.parametrize(
    ("payer", "client", "alike"),
    [
        ("Bank credit MERIDIAN SUPPLIES ORDER 5520147", "Meridian Supplies Ltd", True),
        ("Bank credit ST. AUBYN ESTATES PAYMENT", "St Aubyn Estates LLP", True),
        ("Bank credit HOLLOWAY PRICE 2012", "Holloway & Price LLP", True),
        ("CLINICA DENTAL SONRISAS SL Transferencia recibida", "Clínica Dental Sonrisas SL", True),
        ("Bank credit FAIRBAIRN JOINERY LT INV2013", "Fairbairn Joinery Ltd", True),
        # Cut short by the bank at 18, 20 and 26 characters.
        ("Bank credit PENDLETON ARCHITEC", "Pendleton Architectural Services Ltd", True),
        ("GARCIA Y LOPEZ ASESO Transferencia", "García y López Asesores S.L.", True),
        ("Bank credit PENDLETON ARCHITECTURAL SE", "Pendleton Architectural Services Ltd", True),
        ("FERRETERIA HERMANOS Transferencia", "Ferretería Hermanos Gil SL", True),
        ("Bank credit ORCHARD PEDIATRIC", "Orchard Pediatrics", True),
        ("Bank credit PENDLETON ARCHITECTURAL SE", "Pendleton Joinery Ltd", False),
        ("Bank credit FAIRBAIRN JOINERY LT", "Pendleton Joinery Ltd", False),
        ("REPUESTOS NORTE SL ORDENANTE", "Talleres Beltrán SL", False),
        ("Bank credit CRESTVIEW DENTAL", "Clínica Dental Sonrisas SL", False),
        ("Bank credit THORNBURY CAFE", "Kingfisher Print Ltd", False),
        ("Bank credit ACMEX ROOFING", "Acme", False),
        ("Transfer from J SMITH", "Acme", False),
        ("Bank credit SPACE STATION", "Ace", False),
        ("", "Meridian Supplies Ltd", False),
        ("Bank credit MERIDIAN", "Ltd", False),
    ],
)
def test_names_alike(payer: str, client: str, alike: bool) -> None:
    """Capitals, accents, punctuation and company forms aside, and the name cut short as
    banks cut it, the client is the payer; a shared word or a name inside a word is not."""
    assert names_alike(payer, client) is alike


@pytest.mark.parametrize(
    ("text", "amount", "currency", "expected"),
    [
        ("Bank credit MERIDIAN SUPPLIES ORDER 5520147", "2216.90", "GBP", Proposal(
            Match.LIKELY, ("2015",),
            why="No open invoice's number in the text. INV-2014 (Tanner Bros Ltd, owes "
            "2,500.00) is only inside 5520147, so it is not taken for an invoice number. "
            "Meridian Supplies Ltd looks like the payer, and INV-2015 owes exactly 2,216.90.",
        )),
        ("REPUESTOS NORTE SL ORDENANTE ES21 0081 0200 3007 4561 2398", "830", "EUR", Proposal(
            Match.NONE,
            why="No open invoice's number in the text. INV-3007 (Talleres Beltrán SL, owes "
            "830.00) is only inside ES21 0081 0200 3007 4561 2398, so it is not taken for an "
            "invoice number. INV-3007 (Talleres Beltrán SL) owes exactly 830.00, but the "
            "payer's name is not the client's.",
        )),
        ("Bank credit THORNBURY CAFE INV-2009", "600.00", "GBP", Proposal(
            Match.NONE,
            why="INV-2009 is in the text but is already paid. No open invoice owes 600.00.",
        )),
        ("Bank credit MERIDIAN SUPPLIES INV-2014", "2216.90", "GBP", Proposal(
            Match.SURE, ("2014",), why="INV-2014 in the text; 2,216.90 of the 2,500.00 it owes.",
        )),
    ],
)  # fmt: skip
def test_propose_takes_the_most_certain_rule_and_keeps_what_the_others_found(
    text: str, amount: str, currency: str, expected: Proposal
) -> None:
    """The number rule first; else the amount and name, with the numbers passed over (those
    only inside a longer number or an account, those not open) in the Why."""
    invoices = [
        *OWING,
        invoice("2014", "Tanner Bros Ltd", "2500.00"),
        invoice("2009", "Thornbury Cafe Ltd", "0", status="paid"),
    ]
    assert propose(line(text, amount, currency), OpenInvoices(invoices)) == expected


def test_a_sure_line_takes_what_it_pays_from_the_lines_after_it() -> None:
    """Two part payments of one invoice are both sure; a line paying it again once it is
    paid, or paying more than is left, is not."""
    lines = [
        line("INV2013 PART", "500.00", row=7),
        line("INV2013 PART", "1000.00", row=8),
        line("INV-2011", "845.00", row=9),
        line("INV-2011 again", "845.00", row=10),
        line("INV 2017 + 2018", "1025.50", row=11),
        line("INV-2018", "100.00", row=12),
    ]
    proposals = propose_all(lines, OpenInvoices(INVOICES))
    assert {row: (p.match, p.invoices, p.why) for row, p in proposals.items()} == {
        7: (Match.SURE, ("2013",), "INV-2013 in the text; 500.00 of the 1,500.00 it owes."),
        8: (Match.SURE, ("2013",), "INV-2013 in the text; 1,000.00 is what it owes."),
        9: (Match.SURE, ("2011",), "INV-2011 in the text; 845.00 is what it owes."),
        10: (
            Match.NONE,
            (),
            "INV-2011 is in the text but row 9 of this statement pays all it owes. No open "
            "invoice owes 845.00.",
        ),
        11: (
            Match.SURE,
            ("2017", "2018"),
            "Split: INV-2017 owes 640.00 and INV-2018 owes 385.50, together 1,025.50.",
        ),
        12: (
            Match.NONE,
            (),
            "INV-2018 is in the text but row 11 of this statement pays all it owes. No open "
            "invoice owes 100.00.",
        ),
    }


def test_only_sure_proposals_are_accepted_as_written() -> None:
    """Accept is pre-filled yes for sure alone: likely, several and none wait for a person."""
    assert [Proposal(match).accept for match in Match] == ["yes", "", "", ""]


@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_characters=";|", blacklist_categories=("Cs",)),
            min_size=1,
        ).filter(lambda text: text.strip() == text and text),
        min_size=1,
        max_size=4,
    )
)
def test_an_invoice_list_reads_back_as_the_invoices_written(refs: list[str]) -> None:
    """The Invoice cell of a split reads back as the invoices it was written from."""
    assert listed_invoices(invoice_list(refs)) == tuple(refs)


def test_no_match_names_three_invoices_owing_the_amount_and_counts_the_rest() -> None:
    """Four invoices owing the amount, none the payer's: three named, one more counted."""
    owing = [invoice(str(number), f"Client {number}", "480.00") for number in range(1001, 1005)]
    found = by_amount_and_name(line("REMOTE ONLINE DEPOSIT", "480.00"), OpenInvoices(owing))
    assert found == Proposal(
        Match.NONE,
        why="INV-1001 (Client 1001) owes exactly 480.00, INV-1002 (Client 1002) owes exactly "
        "480.00 and INV-1003 (Client 1003) owes exactly 480.00, and 1 more invoice likewise, "
        "but the payer's name is not the client's.",
    )


def test_a_statement_without_its_currency_is_sure_where_the_invoices_have_one() -> None:
    """With every open invoice in one currency, a line that does not say its own is sure."""
    gbp = [i for i in INVOICES if i.currency == "GBP"]
    assert by_number(line("INV-2011", "845.00", None), OpenInvoices(gbp)) == Proposal(
        Match.SURE, ("2011",), why="INV-2011 in the text; 845.00 is what it owes."
    )


def test_a_number_two_invoices_have_is_named_by_id_or_not_taken() -> None:
    """A number two open invoices share is no invoice to be sure of: with the line's currency
    telling them apart, the one meant is named by its id (a number would be refused when
    run); in one currency, neither is taken, and Why lists both ids."""
    twins = [
        invoice("2011", "Crestview Dental Ltd", "845.00"),
        OpenInvoice("id-2011-eur", "2011", "INV-", "Crestview SL", Decimal("845.00"), "EUR"),
        invoice("2012", "Holloway & Price LLP", "1260.00"),
        OpenInvoice("id-2012-b", "2012", "INV-", "Other Ltd", Decimal("1260.00"), "GBP"),
    ]
    assert by_number(line("REF INV-2011", "845.00"), OpenInvoices(twins)) == Proposal(
        Match.SURE, ("id-2011",), why="INV-2011 in the text; 845.00 is what it owes."
    )
    assert by_number(line("2012 BALANCE", "1260.00"), OpenInvoices(twins)) == Proposal(
        Match.NONE,
        why="2012 is the number of 2 open invoices (id-2012 and id-2012-b): write the id of "
        "the one it pays in Invoice.",
    )
