"""Templates saved for a file's headers: written as template files, read back, chosen by the
file's headers alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from importer.check.saved import (
    keep_template,
    same_headers,
    save_template,
    saved_template_for,
    saved_templates,
    template_named,
    write_template,
)
from importer.check.template_files import DEFAULT_TEMPLATE, load_template
from importer.errors import TemplateError
from tests.test_templates_cli import invoke


def test_a_template_written_for_odd_headers_reads_back_the_same() -> None:
    """Quotes, backslashes, accents, tabs and DEL in headers survive the TOML round trip."""
    headers = ['Nº "factura"', "C:\\amount", "Fecha\tpago", "Método\x7f", ""]
    columns = {"invoice": headers[0], "amount": headers[1], "payment_date": headers[2]}
    folder = Path(os.environ["IMPORTER_TEMPLATES"])
    template = write_template(
        folder / "odd.toml", base=DEFAULT_TEMPLATE, columns=columns, file_headers=headers
    )
    assert template.file_headers == tuple(headers[:4])
    assert (template.based_on, template.name) == ("default", "odd")
    # The template's own names: every template also knows the others' after them.
    assert {name: tuple(template.own_headers[name]) for name in columns} == {
        name: (header,) for name, header in columns.items()
    }
    assert load_template(folder / "odd.toml") == template


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (["Invoice", "Amount"], ["INVOICE", "amount "], True),
        (["Nº factura", "Importe"], ["No. Factura", "importe"], True),
        (["Invoice", "", "Amount"], ["Invoice", "Amount"], True),
        (["Invoice", "Amount"], ["Amount", "Invoice"], False),
        (["Invoice", "Amount"], ["Invoice", "Amount", "Notes"], False),
        ([], [], False),
    ],
)
def test_same_headers(first: list[str], second: list[str], same: bool) -> None:
    """Headers compare as they are matched: case, accents, punctuation and blanks aside."""
    assert same_headers(first, second) is same


def test_the_newest_saved_template_for_the_headers_is_chosen_and_a_broken_one_passed_over(
    tmp_path: Path,
) -> None:
    """Of two saved for the same headers the newer wins; a damaged file is never chosen."""
    headers = ["Invoice", "Paid", "Date", "Method"]
    columns = {"invoice": "Invoice", "amount": "Paid", "payment_date": "Date", "method": "Method"}
    older = save_template(
        "older", tmp_path, base=DEFAULT_TEMPLATE, columns=columns, file_headers=headers
    )
    os.utime(tmp_path / "older.toml", (1, 1))
    newer = save_template(
        "newer", tmp_path, base=DEFAULT_TEMPLATE, columns=columns, file_headers=headers
    )
    (tmp_path / "broken.toml").write_text("based_on = [")
    assert [t.name for t in saved_templates(tmp_path)] == ["newer", "older"]
    assert saved_template_for(["invoice", "paid", "date", "method"], tmp_path) == newer
    assert saved_template_for(["Invoice", "Amount"], tmp_path) is None
    assert older.file_headers == newer.file_headers


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "../evil",
            "'../evil' cannot be a template's name: use letters, digits, spaces, - or _, "
            "starting with a letter or digit (at most 60).",
        ),
        (
            "",
            "'' cannot be a template's name: use letters, digits, spaces, - or _, "
            "starting with a letter or digit (at most 60).",
        ),
        ("Cheque-Deposit", "'Cheque-Deposit' is a built-in template's name: choose another name."),
    ],
)
def test_a_name_that_cannot_be_a_saved_template_is_refused(
    tmp_path: Path, name: str, message: str
) -> None:
    """No path, no empty name, no built-in template's name (whatever its case)."""
    with pytest.raises(TemplateError) as refused:
        save_template(name, tmp_path, base=DEFAULT_TEMPLATE, columns={}, file_headers=["A"])
    assert str(refused.value) == message
    assert list(tmp_path.iterdir()) == []


KEPT = 'based_on = "bank-transfer"\ndescription = "My bank."\n[columns]\ninvoice = ["Folio"]\n'


def test_a_template_kept_by_hand_is_tried_and_found_by_name(tmp_path: Path) -> None:
    """importer template save keeps a TOML file as NAME; importer templates lists it, and
    --template NAME reads with it."""
    mine = tmp_path / "mine.toml"
    mine.write_text(KEPT, encoding="utf-8")
    folder = Path(os.environ["IMPORTER_TEMPLATES"])
    assert invoke("template", "save", "folio-bank", str(mine)) == (
        0,
        f"Saved the template folio-bank in {folder / 'folio-bank.toml'}.\n",
    )
    code, output = invoke("templates")
    assert code == 0
    assert output.splitlines()[7:9] == [
        f"Saved, in {folder} (tried first):",
        "folio-bank      My bank.",
    ]
    kept = template_named("folio-bank", folder)
    assert kept is not None
    # A copy of bank-transfer keeps its fixed method.
    assert (kept.own_headers["invoice"], kept.constants) == (
        ("Folio",),
        {"method": "bank_transfer"},
    )
    payments = tmp_path / "folios.csv"
    payments.write_text("Folio,Credit,Value Date\n1001,10.00,2026-10-03\n", encoding="utf-8")
    code, output = invoke("validate", str(payments), "--template", "folio-bank")
    assert (code, output.splitlines()[-1]) == (0, "1 row checked: 1 ready, 0 with problems.")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("my/bank", KEPT, "'my/bank' cannot be a template's name"),
        ("Default", KEPT, "'Default' is a built-in template's name"),
        ("mine", 'based_on = "nope"\n', "based_on 'nope': no built-in template has that name"),
        ("mine", "invoice = [\n", "this is not a readable template"),
    ],
)
def test_a_template_that_cannot_be_kept_is_refused_and_not_written(
    name: str, text: str, message: str
) -> None:
    """A bad name or a broken template is refused saying why; nothing is saved."""
    folder = Path(os.environ["IMPORTER_TEMPLATES"])
    with pytest.raises(TemplateError, match=message):
        keep_template(name, text, folder)
    assert saved_templates(folder) == []
