"""Templates: built-in and users' TOML files, method words, notes patterns, the samples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from importer.api.models import Card, Cheque
from importer.check.fields import InvoiceRef
from importer.check.notes import compose_notes
from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE, builtin_names, load_template
from importer.check.templates import TEMPLATES_DIR, Method, normalise
from importer.errors import TemplateError
from importer.read.files import load
from tests.conftest import SAMPLES, write_template

TODAY = date(2026, 11, 24)


def test_builtin_templates_are_listed_from_the_templates_folder() -> None:
    """The built-in templates are found in the package."""
    assert Path(__file__).resolve().parent.parent / "importer" / "templates" == TEMPLATES_DIR
    assert builtin_names() == [
        "bank-transfer",
        "card-terminal",
        "cheque-deposit",
        "default",
        "gocardless",
        "paypal",
        "stripe",
    ]


def test_default_toml_is_the_default_template() -> None:
    """templates/default.toml says exactly what DEFAULT_TEMPLATE does."""
    assert load_template("default") == DEFAULT_TEMPLATE


def test_the_number_signs_are_one_sign() -> None:
    """º, the degree sign ° and ª read the same in a header, as an "o"."""
    assert {normalise(h) for h in ("Nº factura", "N° Factura", "Nª FACTURA", "No. factura")} == {
        "nofactura"
    }


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


def test_a_users_template_based_on_default_changes_only_what_it_says(tmp_path: Path) -> None:
    """based_on keeps the default's columns and words and adds the user's own."""
    path = write_template(
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
    assert template.own_headers["invoice"] == ("Folio",)
    # Its own name first, then every other the built-in templates know.
    assert template.headers["invoice"][:2] == ("Folio", "Invoice")
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
        ('required = ["nope"]\n[columns]\ninvoice = ["I"]\n', "required 'nope' has no entry"),
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
            'based_on = "default"\nprefer_first = ["drawn_by"]\n',
            "prefer_first 'drawn_by' has no entry in [columns].",
        ),
        ("invoice = [\n", "this is not a readable template"),
    ],
)
def test_a_broken_template_is_refused_naming_the_file_and_the_setting(
    tmp_path: Path, text: str, message: str
) -> None:
    """Each mistake in a user's template stops with the file's name and what to change."""
    path = write_template(tmp_path, text)
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_mode_is_another_name_for_the_method_constant(tmp_path: Path) -> None:
    """[constants] mode = "cheque", as the issue writes it, fixes every row's method."""
    path = write_template(
        tmp_path, 'based_on = "default"\nrequired = ["invoice"]\n[constants]\nmode = "cheque"\n'
    )
    assert load_template(path).constants == {"method": "cheque"}


def test_a_date_format_written_in_lower_case_is_read(tmp_path: Path) -> None:
    """[format] date = "dd/mm/yyyy" is the same as DD/MM/YYYY."""
    path = write_template(tmp_path, 'based_on = "default"\n[format]\ndate = "dd/mm/yyyy"\n')
    assert load_template(path).date_format == "dd/mm/yyyy"


def test_a_template_saved_by_notepad_reads(tmp_path: Path) -> None:
    """A byte-order mark at the start of a UTF-8 template is not an error."""
    path = tmp_path / "bom.toml"
    path.write_bytes(
        b"\xef\xbb\xbf" + 'based_on = "default"\n[columns]\ninvoice = ["Nº"]\n'.encode()
    )
    assert load_template(path).own_headers["invoice"] == ("Nº",)


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
        "card-terminal, cheque-deposit, default, gocardless, paypal, stripe. For your own file, "
        "give its path (ending in .toml)."
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


@pytest.mark.parametrize(
    ("header", "row", "notes"),
    [
        ("Invoice,Amount,Date,Bank", "1001,10.00,2026-10-03,HSBC", "Paid at HSBC (row 2 of p.csv)"),
        ("Invoice,Amount,Date", "1001,10.00,2026-10-03", "Paid (row 2 of p.csv)"),
    ],
)
def test_notes_may_name_a_column_only_other_templates_know(
    tmp_path: Path, header: str, row: str, notes: str
) -> None:
    """A copy of bank-transfer may write {bank} (cheque-deposit's) in its notes, column or not."""
    path = write_template(tmp_path, 'based_on = "bank-transfer"\nnotes = "Paid[ at {bank}]"\n')
    payments = tmp_path / "p.csv"
    payments.write_text(f"{header}\n{row}\n", encoding="utf-8")
    validation = validate_file(load(payments), load_template(path), today=TODAY)
    assert [p.notes for p in validation.payments] == [notes]


@pytest.mark.parametrize("name", builtin_names())
@pytest.mark.parametrize(
    ("field_name", "header"),
    [
        ("payment_date", "Date Received"),
        ("payment_date", "Received"),
        ("payment_date", "Transaction Date"),
        ("payment_date", "Value Date"),
        ("payment_date", "Fecha valor"),
        ("payment_date", "Fecha operación"),
        ("payment_date", "Deposit Date"),
        ("invoice", "Invoice Number"),
        ("invoice", "Applied To"),
        ("invoice", "Invoice Ref"),
        ("invoice", "Bill No."),
        ("payer", "Customer"),
        ("payer", "Received From"),
        ("payer", "Drawer"),
        ("payer", "Cliente"),
    ],
)
def test_every_built_in_template_knows_every_header(
    name: str, field_name: str, header: str
) -> None:
    """One vocabulary: a header one built-in template knows, all of them know."""
    forms = {normalise(known) for known in load_template(name).headers[field_name]}
    assert normalise(header) in forms


@pytest.mark.parametrize("name", builtin_names())
@pytest.mark.parametrize(
    ("word", "mode"),
    [
        ("Money Order", "other"),
        ("Postal Order", "other"),
        ("ACH", "bank_transfer"),
        ("BACS", "bank_transfer"),
        ("SEPA", "bank_transfer"),
        ("Zelle", "bank_transfer"),
        ("Giro", "bank_transfer"),
        ("Bizum", "bank_transfer"),
        ("Domiciliación", "bank_transfer"),
        ("MC", "card"),
        ("Maestro", "card"),
    ],
)
def test_every_built_in_template_knows_every_method_word(name: str, word: str, mode: str) -> None:
    """The method words of any built-in template are every template's."""
    method = load_template(name).method(word)
    assert method is not None
    assert method.mode == mode
