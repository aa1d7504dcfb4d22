"""Templates: built-in and users' TOML files, header and method matching, notes, samples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from importer.api.models import Card, Cheque
from importer.check import (
    DEFAULT_TEMPLATE,
    TEMPLATES_DIR,
    InvoiceRef,
    Method,
    builtin_names,
    compose_notes,
    load_template,
    map_columns,
    normalise,
    validate_file,
)
from importer.errors import MappingError, TemplateError
from importer.read import load
from tests.conftest import DATA, SAMPLES

TODAY = date(2026, 11, 24)


def test_builtin_templates_are_listed_from_the_templates_folder() -> None:
    """The four built-in templates are found in the package."""
    assert Path(__file__).resolve().parent.parent / "importer" / "templates" == TEMPLATES_DIR
    assert builtin_names() == ["bank-transfer", "card-terminal", "cheque-deposit", "default"]


def test_default_toml_is_the_default_template() -> None:
    """templates/default.toml says exactly what DEFAULT_TEMPLATE does."""
    assert load_template("default") == DEFAULT_TEMPLATE


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Invoice", "invoice"),
        ("Invoice #", "invoice"),
        ("Invoice No.", "invoice"),
        ("invoice number", "invoice"),
        ("Factura", "invoice"),
        ("Nº factura", "invoice"),
        ("N° factura", "invoice"),
        ("Nª Factura", "invoice"),
        ("NUMERO DE FACTURA", "invoice"),
        ("Amount", "amount"),
        ("Amount Paid", "amount"),
        ("Importe", "amount"),
        ("Monto", "amount"),
        ("Date", "payment_date"),
        ("Payment Date", "payment_date"),
        ("Fecha", "payment_date"),
        ("Fecha de pago", "payment_date"),
        ("Method", "method"),
        ("Payment Method", "method"),
        ("Mode", "method"),
        ("Forma de pago", "method"),
        ("Metodo de pago", "method"),
        ("Cheque No.", "cheque_number"),
        ("Check Number", "cheque_number"),
        ("Nº cheque", "cheque_number"),
        ("N° cheque", "cheque_number"),
        ("Card Type", "card_brand"),
        ("Card Brand", "card_brand"),
        ("Last 4", "card_last4"),
        ("Notes", "notes"),
        ("Memo", "notes"),
        ("Notas", "notes"),
        ("Concepto", "notes"),
        ("Reference", "reference"),
        ("Referencia", "reference"),
        ("Currency", "currency"),
        ("Moneda", "currency"),
    ],
)
def test_default_template_finds_english_and_spanish_headers(header: str, field: str) -> None:
    """Every header the issue lists finds its field, whatever its case, accents or punctuation."""
    required = {"invoice": "Invoice", "amount": "Amount", "payment_date": "Date", "method": "Mode"}
    columns = [header if name == field else usual for name, usual in required.items()]
    if field not in required:
        columns.append(header)
    found = map_columns(columns, DEFAULT_TEMPLATE)
    assert found.columns[field] == (columns.index(header), header)


def test_the_number_signs_are_one_sign() -> None:
    """º, the degree sign ° and ª read the same in a header, as an "o"."""
    assert {normalise(h) for h in ("Nº factura", "N° Factura", "Nª FACTURA", "No. factura")} == {
        "nofactura"
    }


@pytest.mark.parametrize(
    ("columns", "chosen", "notes"),
    [
        (
            ["Invoice", "Invoice Date", "Amount", "Amount Paid", "Date", "Payment Date", "Method"],
            {"invoice": "Invoice", "amount": "Amount Paid", "payment_date": "Payment Date"},
            [
                "Column 'Amount Paid' gives the amount, not 'Amount' (the more specific name "
                "wins).",
                "Column 'Payment Date' gives the payment date, not 'Date' (the more specific "
                "name wins).",
            ],
        ),
        (
            ["Factura", "Fecha", "Importe", "Fecha de pago", "Forma de pago"],
            {"invoice": "Factura", "amount": "Importe", "payment_date": "Fecha de pago"},
            [
                "Column 'Fecha de pago' gives the payment date, not 'Fecha' (the more specific "
                "name wins)."
            ],
        ),
        (
            ["Invoice", "Amount", "Date", "Method", "Memo", "Notes", "Check Number", "Cheque No."],
            {"notes": "Notes", "cheque_number": "Cheque No."},
            [
                "Column 'Cheque No.' gives the cheque number, not 'Check Number' (the template "
                "lists 'Cheque No.' first).",
                "Column 'Notes' gives the notes, not 'Memo' (the template lists 'Notes' first).",
            ],
        ),
        (
            ["Invoice", "Amount", "Date", "Method"],
            {"invoice": "Invoice", "amount": "Amount", "payment_date": "Date"},
            [],
        ),
    ],
    ids=["amount paid and payment date", "fecha de pago", "optional fields", "one each"],
)
def test_of_two_matching_headers_the_more_specific_is_used_and_said(
    columns: list[str], chosen: dict[str, str], notes: list[str]
) -> None:
    """ "Payment Date" wins over "Date"; an optional field takes the template's first; both said."""
    found = map_columns(columns, DEFAULT_TEMPLATE)
    assert {name: found.header(name) for name in chosen} == chosen
    assert list(found.notes) == notes


@pytest.mark.parametrize(
    ("columns", "template", "message"),
    [
        (
            ["Factura", "Importe", "Monto", "Fecha", "Forma de pago"],
            "default",
            "Columns 'Importe' and 'Monto' could each be the amount, and the importer does not "
            "guess which. Rename the one that is not (or delete it), or make your own template "
            'with based_on = "default" and, under [columns], only the right one, such as '
            'amount = ["Importe"], and run with --template your-template.toml. Nothing was sent.',
        ),
        (
            ["Invoice", "Amount", "Payment Date", "Date Paid", "Date", "Method"],
            "default",
            "Columns 'Payment Date', 'Date Paid' and 'Date' could each be the payment date, and "
            "the importer does not guess which. Rename the ones that are not (or delete them), "
            'or make your own template with based_on = "default" and, under [columns], only '
            'the right one, such as payment_date = ["Payment Date"], and run with --template '
            "your-template.toml. Nothing was sent.",
        ),
        (
            ["Invoice", "Amount", "Date", "Method", "Amount"],
            "default",
            "2 columns named alike ('Amount', 'Amount') could each be the amount, and the "
            "importer does not guess which. Rename the one that is not (or delete it). Nothing "
            "was sent.",
        ),
        (
            ["Invoice No.", "Amount", "Date Received", "Cheque No.", "Check Number"],
            "cheque-deposit",
            "Columns 'Cheque No.' and 'Check Number' could each be the cheque number, and the "
            "importer does not guess which. Rename the one that is not (or delete it), or make "
            'your own template with based_on = "cheque-deposit" and, under [columns], only the '
            'right one, such as cheque_number = ["Cheque No."], and run with --template '
            "your-template.toml. Nothing was sent.",
        ),
        (
            ["Factura", "Importe", "Monto", "Forma de pago"],
            "default",
            "The file's columns are: 'Factura', 'Importe', 'Monto', 'Forma de pago'. No column "
            "gives the payment date (expected a header such as 'Date', 'Payment Date', 'Date "
            "Paid', 'Fecha'). Columns 'Importe' and 'Monto' could each be the amount, and the "
            "importer does not guess which. Rename the one that is not (or delete it), or make "
            'your own template with based_on = "default" and, under [columns], only the right '
            'one, such as amount = ["Importe"], and run with --template your-template.toml. '
            "Nothing was sent.",
        ),
    ],
    ids=["importe and monto", "three dates", "same name twice", "required by cheque-deposit",
         "with a missing column"],
)  # fmt: skip
def test_two_columns_for_a_money_or_required_field_are_refused(
    columns: list[str], template: str, message: str
) -> None:
    """Two headers for a money or required field, neither more specific: the file is refused."""
    with pytest.raises(MappingError) as caught:
        map_columns(columns, load_template(template))
    assert str(caught.value) == message


def test_two_columns_in_a_users_template_say_where_to_settle_it(tmp_path: Path) -> None:
    """With the user's own template, the message names that file to keep one name in."""
    path = write(tmp_path, 'based_on = "default"\n[columns]\ninvoice = ["Folio", "Factura"]\n')
    with pytest.raises(MappingError) as caught:
        map_columns(["Folio", "Factura", "Importe", "Fecha", "Forma de pago"], load_template(path))
    assert str(caught.value) == (
        "Columns 'Folio' and 'Factura' could each be the invoice number or id, and the importer "
        f"does not guess which. Rename the one that is not (or delete it), or in {path}, under "
        '[columns], keep only the right one, such as invoice = ["Folio"]. Nothing was sent.'
    )


def test_a_template_that_prefers_the_first_header_uses_it() -> None:
    """cheque-deposit reads "Date Received" before "Deposit Date" when a slip has both."""
    found = map_columns(
        ["Invoice No.", "Amount", "Deposit Date", "Date Received", "Cheque No."],
        load_template("cheque-deposit"),
    )
    assert (found.header("payment_date"), found.header("deposit_date")) == (
        "Date Received",
        "Deposit Date",
    )
    assert found.notes == (
        "Column 'Date Received' gives the payment date, not 'Deposit Date' (the template "
        "prefers 'Date Received').",
    )


def test_a_preference_does_not_outlive_the_list_it_was_written_for(tmp_path: Path) -> None:
    """A copy of cheque-deposit with its own date list must say prefer_first again."""
    columns = ["Invoice No.", "Amount", "Received", "Deposited", "Cheque No."]
    own_list = 'based_on = "cheque-deposit"\n[columns]\npayment_date = ["Received", "Deposited"]\n'
    with pytest.raises(MappingError, match="Columns 'Received' and 'Deposited' could each be"):
        map_columns(columns, load_template(write(tmp_path, own_list)))
    preferred = write(tmp_path, 'prefer_first = ["payment_date"]\n' + own_list, "again.toml")
    assert map_columns(columns, load_template(preferred)).header("payment_date") == "Received"


def test_the_more_specific_columns_feed_the_payment() -> None:
    """A file with Amount and Amount Paid, Date and Payment Date records what was paid, when."""
    validation = validate_file(
        load(DATA / "amount-and-amount-paid.csv"), DEFAULT_TEMPLATE, today=TODAY
    )
    assert validation.problems == []
    assert [(p.amount, p.paid_on) for p in validation.payments] == [
        (Decimal("250.00"), date(2026, 11, 2))
    ]
    assert validation.column_notes == (
        "Column 'Amount Paid' gives the amount, not 'Amount' (the more specific name wins).",
        "Column 'Payment Date' gives the payment date, not 'Date' (the more specific name wins).",
    )


@pytest.mark.parametrize(
    ("word", "method"),
    [
        ("Transferencia", Method("bank_transfer")),
        ("Bank transfer", Method("bank_transfer")),
        ("BANK-TRANSFER", Method("bank_transfer")),
        ("Check", Method("cheque")),
        ("Cheque", Method("cheque")),
        ("Efectivo", Method("cash")),
        ("Visa", Method("card", "Visa")),
        ("Mastercard", Method("card", "Mastercard")),
        ("Amex", Method("card", "Amex")),
        ("Tarjeta", Method("card")),
        ("Other", Method("other")),
        ("Barter", None),
    ],
)
def test_default_method_words(word: str, method: Method | None) -> None:
    """Method words in English and Spanish map to the five modes, card brands with the brand."""
    assert DEFAULT_TEMPLATE.method(word) == method


def test_a_missing_column_names_the_headers_found_and_the_closest() -> None:
    """One message lists the file's headers, the missing field and the header nearest to it."""
    with pytest.raises(MappingError) as caught:
        map_columns(["Factura", "Monto", "Fecha", "Forma pago"], DEFAULT_TEMPLATE)
    assert str(caught.value) == (
        "The file's columns are: 'Factura', 'Monto', 'Fecha', 'Forma pago'. No column gives "
        "the payment method (expected a header such as 'Method', 'Payment Method', 'Mode', "
        "'Forma de pago'). The closest header is 'Forma pago': rename it to 'Forma de pago'. "
        "Nothing was sent."
    )


def test_every_missing_column_is_named_at_once() -> None:
    """A file missing several required columns hears about all of them in one message."""
    with pytest.raises(MappingError) as caught:
        map_columns(["Inv", "Amt"], DEFAULT_TEMPLATE)
    message = str(caught.value)
    assert "No column gives the invoice number or id" in message
    assert "The closest header is 'Inv': rename it to 'Invoice'." in message
    assert "No column gives the payment date" in message
    assert "No column gives the payment method" in message


def test_a_constant_stands_in_for_a_required_column() -> None:
    """cheque-deposit needs no method column: every row is a cheque."""
    found = map_columns(
        ["Deposit Date", "Cheque No.", "Invoice No.", "Amount"], load_template("cheque-deposit")
    )
    assert "method" not in found.columns
    assert found.columns["payment_date"] == (0, "Deposit Date")
    assert found.columns["deposit_date"] == (0, "Deposit Date")


@pytest.mark.parametrize(
    ("pattern", "values", "notes"),
    [
        ("Cheque {cheque_number}", {"cheque_number": "0012"}, "Cheque 0012"),
        ("Cheque {cheque_number}[ from {payer}]", {"cheque_number": "1", "payer": ""}, "Cheque 1"),
        (
            "Cheque {cheque_number}[ from {payer}]",
            {"cheque_number": "1", "payer": "Ana"},
            "Cheque 1 from Ana",
        ),
        ("[A {a}][, B {b}]", {"a": "", "b": "2"}, ", B 2"),
        (
            "Deposit {deposit_date}, cheque {cheque_number}",
            {"cheque_number": "7"},
            "Deposit , cheque 7",
        ),
        ("  spaced   {a}  ", {"a": "x  y"}, "spaced x y"),
    ],
)
def test_notes_patterns(pattern: str, values: dict[str, str], notes: str) -> None:
    """Placeholders are filled; a bracketed part with an empty column is left out."""
    assert compose_notes(pattern, values) == notes


def write(folder: Path, text: str, name: str = "mine.toml") -> Path:
    """A user's template file."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_users_template_based_on_default_changes_only_what_it_says(tmp_path: Path) -> None:
    """based_on keeps the default's columns and words and adds the user's own."""
    path = write(
        tmp_path,
        'based_on = "default"\n'
        'notes = "Paid at {branch}"\n'
        "[columns]\n"
        'invoice = ["Folio"]\n'
        'branch = ["Sucursal"]\n'
        "[methods]\n"
        '"Deposito" = "bank_transfer"\n'
        "[format]\n"
        'date = "DD/MM/YYYY"\n'
        'decimal = ","\n',
    )
    template = load_template(str(path))
    assert template.name == "mine"
    assert template.headers["invoice"] == ("Folio",)
    assert template.headers["amount"] == DEFAULT_TEMPLATE.headers["amount"]
    assert template.method("depósito") == Method("bank_transfer")
    assert template.method("Efectivo") == Method("cash")
    assert (template.date_format, template.decimal, template.notes) == (
        "DD/MM/YYYY",
        ",",
        "Paid at {branch}",
    )
    assert template.extra_columns == ("branch",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('colums = "x"\n', "unknown setting 'colums'"),
        ("[columns]\ninvoice = 3\n", "invoice must be a list of names in double quotes"),
        ("[columns]\ninvoice = []\n", "invoice must be a list of names"),
        ('[columns]\ninvoice = ["I"]\n', "required 'amount' has no entry in [columns]"),
        (
            'based_on = "default"\n[methods]\n"Swish" = "mobile"\n',
            "[methods] 'Swish' = 'mobile': the method must be one of cash, card, cheque, "
            "bank_transfer, other.",
        ),
        (
            'based_on = "default"\n[constants]\nmethod = "barter"\n',
            "[constants] method = 'barter' is not a method word the template knows",
        ),
        ('based_on = "default"\n[constants]\ncurrency = "XYZ"\n', "is not a currency code"),
        ('based_on = "default"\n[constants]\ncolour = "red"\n', "'colour' is not a payment field"),
        ('based_on = "default"\nnotes = "Ref {ref}"\n', "notes: {ref} is not a field or a column"),
        ('based_on = "default"\nnotes = "Ref [{reference}"\n', "a square bracket is not closed"),
        ('based_on = "default"\nnotes = "Ref {reference"\n', "curly brackets are only for names"),
        ('based_on = "default"\n[format]\ndecimal = ";"\n', 'decimal = \';\': use "." or ","'),
        ('based_on = "default"\n[format]\nmax_age_days = 0\n', "max_age_days must be a whole"),
        (
            'based_on = "default"\n[format]\nmax_age_days = 100000000\n',
            "[format] max_age_days must be a whole number of days from 1 to 3650, such as 400.",
        ),
        (
            'based_on = "default"\n[format]\ndate = "DD.MM.YY"\n',
            '[format] date = \'DD.MM.YY\': use one of "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD". '
            "It says whether the day or the month comes first; dates written with dots or dashes "
            "(03.10.2026) are read too.",
        ),
        ('based_on = "default"\n[format]\ndate = "%d.%m.%Y"\n', "[format] date = '%d.%m.%Y': use"),
        (
            'based_on = "default"\n[constants]\nmode = "cheque"\nmethod = "cash"\n',
            "[constants] has both method and mode, which are the same: keep one.",
        ),
        ('based_on = "default"\n[format]\nzone = "UTC"\n', "[format] 'zone' is unknown"),
        ('based_on = "nope"\n', "based_on 'nope': no built-in template has that name"),
        (
            'based_on = "default"\nprefer_first = ["payer"]\n',
            "prefer_first 'payer' has no entry in [columns].",
        ),
        ("invoice = [\n", "this is not a readable template"),
    ],
)
def test_a_broken_template_is_refused_naming_the_file_and_the_setting(
    tmp_path: Path, text: str, message: str
) -> None:
    """Each mistake in a user's template stops with the file's name and what to change."""
    path = write(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_mode_is_another_name_for_the_method_constant(tmp_path: Path) -> None:
    """[constants] mode = "cheque", as the issue writes it, fixes every row's method."""
    path = write(
        tmp_path, 'based_on = "default"\nrequired = ["invoice"]\n[constants]\nmode = "cheque"\n'
    )
    assert load_template(path).constants == {"method": "cheque"}


def test_a_date_format_written_in_lower_case_is_read(tmp_path: Path) -> None:
    """[format] date = "dd/mm/yyyy" is the same as DD/MM/YYYY."""
    path = write(tmp_path, 'based_on = "default"\n[format]\ndate = "dd/mm/yyyy"\n')
    assert load_template(path).date_format == "dd/mm/yyyy"


def test_a_template_saved_by_notepad_reads(tmp_path: Path) -> None:
    """A byte-order mark at the start of a UTF-8 template is not an error."""
    path = tmp_path / "bom.toml"
    path.write_bytes(
        b"\xef\xbb\xbf" + 'based_on = "default"\n[columns]\ninvoice = ["Nº"]\n'.encode()
    )
    assert load_template(path).headers["invoice"] == ("Nº",)


def test_a_template_not_in_utf8_says_how_to_save_it(tmp_path: Path) -> None:
    """A template saved in a legacy encoding is refused with what to do."""
    path = tmp_path / "latin.toml"
    path.write_bytes('[columns]\ninvoice = ["Nº"]\n'.encode("cp1252"))
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert str(caught.value) == (
        f"{path}: is not saved as UTF-8 text. Open it in a text editor and save it again "
        "choosing the UTF-8 encoding."
    )


def test_unknown_template_names_the_built_in_ones() -> None:
    """An unknown name lists the built-in templates and how to give a file."""
    with pytest.raises(TemplateError) as caught:
        load_template("cheques")
    assert str(caught.value) == (
        "No built-in template named 'cheques'. The built-in templates are: bank-transfer, "
        "card-terminal, cheque-deposit, default. For your own file, give its path (ending in "
        ".toml)."
    )


def test_a_missing_template_file_is_named(tmp_path: Path) -> None:
    """A path to no file says so."""
    with pytest.raises(TemplateError, match="no such template file"):
        load_template(tmp_path / "gone.toml")


def test_cheque_deposit_sample() -> None:
    """The cheque-deposit sample gives cheques with their numbers and notes from the slip."""
    validation = validate_file(
        load(SAMPLES / "cheque-deposit.csv"), load_template("cheque-deposit"), today=TODAY
    )
    assert validation.problems == []
    assert [
        (p.row, p.invoice, p.amount, p.paid_on, p.mode, p.cheque, p.notes)
        for p in validation.payments[:2]
    ] == [
        (
            2,
            InvoiceRef("number", "1001"),
            Decimal("1200.00"),
            date(2026, 11, 2),
            "cheque",
            Cheque(number="004211"),
            "Cheque 004211 from Acme Dental, First National, deposit 2026-11-02 slip D-0412 "
            "(row 2 of cheque-deposit.csv)",
        ),
        (
            3,
            InvoiceRef("number", "1002"),
            Decimal("300.00"),
            date(2026, 11, 2),
            "cheque",
            Cheque(number="000918"),
            "Cheque 000918 from Blue Harbor Cafe, Coastal Credit Union, deposit 2026-11-02 "
            "slip D-0412 (row 3 of cheque-deposit.csv)",
        ),
    ]
    assert len(validation.payments) == 6
    assert validation.payments[5].notes == (
        "Cheque 5521, deposit 2026-11-09 slip D-0413 (row 7 of cheque-deposit.csv)"
    )


def test_bank_transfer_sample() -> None:
    """The bank-transfer sample gives transfers with the payer and reference in the notes."""
    validation = validate_file(
        load(SAMPLES / "bank-transfer.csv"), load_template("bank-transfer"), today=TODAY
    )
    assert validation.problems == []
    assert [
        (p.row, p.mode, p.amount, p.currency, p.notes.removesuffix(" of bank-transfer.csv)"))
        for p in validation.payments
    ] == [
        (2, "bank_transfer", Decimal("325.40"), "USD",
         "Bank transfer from Fuentes Legal, ref TRF-20261014-0031 (row 2"),
        (3, "bank_transfer", Decimal("200.00"), "USD",
         "Bank transfer from Greenway Plumbing, ref TRF-20261015-0007 (row 3"),
        (4, "bank_transfer", Decimal("280.00"), "USD",
         "Bank transfer from Greenway Plumbing, ref TRF-20261029-0012 (row 4"),
        (5, "bank_transfer", Decimal("1200.00"), "USD",
         "Bank transfer from Harlow Books Ltd, ref TRF-20261103-0044 (row 5"),
        (6, "bank_transfer", Decimal("860.00"), None, "Bank transfer from Iris Florist (row 6"),
    ]  # fmt: skip


def test_card_terminal_sample() -> None:
    """The card-terminal sample reads brands as the template names them and masked digits."""
    validation = validate_file(
        load(SAMPLES / "card-terminal.csv"), load_template("card-terminal"), today=TODAY
    )
    assert validation.problems == []
    assert [(p.row, p.mode, p.card, p.notes) for p in validation.payments] == [
        (2, "card", Card(brand="Visa", last4="4242"),
         "Visa card ending 4242, auth A1B2C3, batch 0051 (row 2 of card-terminal.csv)"),
        (3, "card", Card(brand="Mastercard", last4="5454"),
         "Mastercard card ending 5454, auth 771204, batch 0051 (row 3 of card-terminal.csv)"),
        (4, "card", Card(brand="Amex", last4="0005"),
         "Amex card ending 0005, auth 390112, batch 0052 (row 4 of card-terminal.csv)"),
        (5, "card", Card(brand="Visa", last4="1881"),
         "Visa card ending 1881, batch 0052 (row 5 of card-terminal.csv)"),
        (6, "card", Card(brand="Visa", last4="1881"),
         "Visa card ending 1881, batch 0052 (row 6 of card-terminal.csv)"),
    ]  # fmt: skip


def test_default_template_reads_a_spanish_sample() -> None:
    """pagos.csv, with Spanish headers and words, maps with the default template."""
    validation = validate_file(load(SAMPLES / "pagos.csv"), DEFAULT_TEMPLATE, today=TODAY)
    assert validation.problems == []
    assert [(p.row, p.mode, p.cheque, p.card) for p in validation.payments] == [
        (2, "bank_transfer", None, None),
        (3, "cheque", Cheque(number="000777"), None),
        (4, "cash", None, None),
        (5, "card", None, Card(brand="Visa", last4="4242")),
        (6, "card", None, Card(brand="Mastercard", last4="0042")),
    ]


def test_the_wrong_template_for_a_file_names_what_is_missing() -> None:
    """A deposit slip read with the default template is refused for its missing method column."""
    with pytest.raises(MappingError, match="No column gives the payment method"):
        validate_file(load(SAMPLES / "cheque-deposit.csv"), DEFAULT_TEMPLATE, today=TODAY)
    assert (DATA / "bad-rows.csv").is_file()
