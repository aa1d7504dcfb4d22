"""A bank statement's lines: money received, lines that are not payments, lines unreadable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from importer.check.matching import StatementLine
from importer.check.problems import RowProblem
from importer.check.statement import (
    StatementLines,
    looks_like_statement,
    statement_hint,
    statement_lines,
)
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.errors import MappingError
from importer.read.files import load
from tests.conftest import DATA

PROBLEMS = DATA / "statement-problems"


def read(tmp_path: Path, text: str, **options: str) -> StatementLines:
    path = tmp_path / "statement.csv"
    path.write_text(text, encoding="utf-8")
    return statement_lines(load(path, header_fits=looks_like_statement), **options)


def test_paid_in_and_paid_out_columns(tmp_path: Path) -> None:
    """Paid in is money received; a paid-out line or one with a balance alone is not; the
    currency comes from the amount's symbol, the words from every column but dates and money."""
    found = read(
        tmp_path,
        "Date,Transaction type,Description,Paid out,Paid in,Balance\n"
        "01/10/2026,Balance brought forward,,,,£15337.39\n"
        "02/10/2026,Bank credit CRESTVIEW DENTAL LTD,REF INV-2011,,£845.00,£16182.39\n"
        "05/10/2026,Direct debit HMRC VAT,HMRC VAT 123456789,£1840.22,,£14342.17\n"
        "14/10/2026,Cash deposit,BRANCH 0412,,£120.50,£14462.67\n",
    )
    assert found == StatementLines(
        [
            StatementLine(
                3, date(2026, 10, 2), "Bank credit CRESTVIEW DENTAL LTD REF INV-2011",
                Decimal("845.00"), "GBP", "bank_transfer",
            ),
            StatementLine(
                5, date(2026, 10, 14), "Cash deposit BRANCH 0412", Decimal("120.50"), "GBP",
                "cash",
            ),
        ],
        {
            2: "No amount: a balance or information line, not a payment.",
            4: "Money paid out (Paid out), not a payment received.",
        },
        [],
        ".",
        amount_column="Paid in",
        date_column="Date",
    )  # fmt: skip


def test_one_signed_amount_column_with_its_currency(tmp_path: Path) -> None:
    """Above zero is money received, below zero paid out; the value date is the payment date;
    of two currency columns the one after the amount counts; "1.234,50" reads with a comma."""
    found = read(
        tmp_path,
        "F.Valor;Fecha;Concepto;Importe;Divisa;Disponible;Divisa;Observaciones\n"
        "03/11/2026;04/11/2026;OPTICA MIRALBA SL;1.380,00;EUR;11.935,44;EUR;FRAS. 3004 Y 3005\n"
        "30/10/2026;30/10/2026;ALQUILERES CENTRO SL;-1.250,00;EUR;10.555,44;EUR;ALQUILER\n"
        "29/10/2026;29/10/2026;AJUSTE;0,00;EUR;10.555,44;EUR;\n"
        "28/10/2026;28/10/2026;PAGO USD;200,00;USD;10.555,44;EUR;\n"
        "27/10/2026;27/10/2026;PAGO RARO;12,345;EUR;10.555,44;EUR;\n",
    )
    assert found == StatementLines(
        [
            StatementLine(
                2, date(2026, 11, 3), "OPTICA MIRALBA SL FRAS. 3004 Y 3005",
                Decimal("1380.00"), "EUR",
            ),
            StatementLine(5, date(2026, 10, 28), "PAGO USD", Decimal("200.00"), "USD"),
        ],
        {
            3: "Money paid out (a negative Importe), not a payment received.",
            4: "Importe is 0: not a payment.",
        },
        [
            RowProblem(
                "statement.csv", 6, "Importe", "amount.too_many_decimals", "12,345",
                "'12,345' has more than 2 decimals. Correct it to cents (at most 2 decimals).",
            )
        ],
        ",",
        amount_column="Importe",
        date_column="F.Valor",
        currency_column="Divisa",
    )  # fmt: skip


def test_a_line_whose_amount_or_date_cannot_be_read_is_a_problem_of_its_row() -> None:
    """An amount that is not a number, or a date that is no date, is the line's problem,
    named by row and column; the other lines are read."""
    found = statement_lines(load(PROBLEMS / "amount-not-a-number.csv"))
    assert [line.row for line in found.lines] == [2, 4]
    assert found.problems == [
        RowProblem(
            "amount-not-a-number.csv", 3, "Paid in", "amount.not_a_number", "£1,2O0.00",
            "'£1,2O0.00' is not an amount. Write the amount in digits, such as 1250.00.",
        ),
        RowProblem(
            "amount-not-a-number.csv", 5, "Date", "date.unreadable", "31/09/2026",
            "'31/09/2026' is not a real date (day is out of range for month). Write it as "
            "YYYY-MM-DD.",
        ),
    ]  # fmt: skip


def test_a_statement_with_no_money_received_column_is_refused() -> None:
    """No paid-in column and no amount column: the file is refused, naming its columns."""
    with pytest.raises(MappingError) as refused:
        statement_lines(load(PROBLEMS / "no-money-in.csv"))
    assert str(refused.value) == (
        "The file's columns are: 'Date', 'Description', 'Paid out', 'Balance'. No column gives "
        "the money received (expected a header such as 'Paid in', 'Credit' or 'Money in', or "
        "one amount column such as 'Amount' or 'Importe' where money received is above zero). "
        "Nothing was sent."
    )


def test_a_statement_with_no_date_column_is_refused(tmp_path: Path) -> None:
    """Money received and no date: refused, naming the headers that would do."""
    path = tmp_path / "no-date.csv"
    path.write_text("Description,Paid in\nBank credit,10.00\n", encoding="utf-8")
    with pytest.raises(MappingError) as refused:
        statement_lines(load(path))
    assert str(refused.value) == (
        "The file's columns are: 'Description', 'Paid in'. No column gives the date of each "
        "line (expected a header such as 'Date', 'Value Date', 'Fecha' or 'F.Valor'). "
        "Nothing was sent."
    )


@pytest.mark.parametrize(
    ("headers", "hint"),
    [
        (("Date", "Description", "Paid out", "Paid in", "Balance"), True),
        (("F.Valor", "Fecha", "Concepto", "Importe", "Divisa"), True),
        (("Invoice", "Amount", "Date", "Method"), False),
        (("Date", "Description", "Paid out"), False),
        (("Client", "Amount"), False),
    ],
)
def test_a_statement_given_as_a_payments_file_is_told_what_to_run(
    headers: tuple[str, ...], hint: bool
) -> None:
    """A file with a date and money received but no invoice column is a bank statement:
    the refusal names importer match and --accept sure; other files get no such hint."""
    expected = (
        "This looks like a bank statement: importer match nov.csv proposes the invoice each "
        "payment in it pays, for you to confirm; importer run nov.csv --accept sure records "
        "those it is sure of."
    )
    found = statement_hint(Path("nov.csv"), headers, DEFAULT_TEMPLATE)
    assert found == (expected if hint else None)
