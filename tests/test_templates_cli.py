"""The command line for templates and the validation report, and runs held back by bad rows."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from importer.check.rows import validate_file
from importer.check.template_files import load_template
from importer.cli import cli
from importer.output.workbook import excel_date_format, instruction_lines
from importer.read.files import load
from importer.sandbox import RunningSandbox
from tests.conftest import DATA, SAMPLES, TODAY, copy_sample, past_where


def invoke(*args: str) -> tuple[int, str]:
    """Run the command; its exit code and everything it printed."""
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, past_where(result.output)


def read_csv(path: Path) -> list[dict[str, str]]:
    """A CSV file written by the importer, as dicts."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_templates_lists_the_built_in_ones() -> None:
    """importer templates prints each built-in name with its description, then how to copy one."""
    code, output = invoke("templates")
    assert code == 0
    lines = output.splitlines()
    assert lines[:7] == [
        "bank-transfer   A bank statement export: each line of money received is a bank transfer.",
        "card-terminal   A card terminal's settlement report: every row is a card payment.",
        "cheque-deposit  A deposit slip of cheques: one row per cheque, no method column needed.",
        "default         English or Spanish column names; a method column says how each row "
        "was paid.",
        "gocardless      A GoCardless payments export: each paid Direct Debit collection is a "
        "bank transfer.",
        "paypal          A PayPal activity download: completed payments received; the rest "
        "passed over.",
        "stripe          A Stripe balance history export: charges are payments; payouts, "
        "refunds and fees are not.",
    ]
    assert lines[7].startswith("To make your own, copy one of the files in ")
    assert lines[7].endswith(
        "templates and run with --template your-copy.toml, or keep it with importer template "
        "save NAME your-copy.toml."
    )


def test_validate_prints_20_problems_then_counts_per_code(tmp_path: Path) -> None:
    """The table stops at 20 problems, says how many more, and counts every kind."""
    code, output = invoke("validate", str(DATA / "many-problems.csv"))
    assert code == 1
    lines = output.splitlines()
    assert lines[0] == "Row  Column  Value  Problem"
    empty = "The amount is empty. Fill in the amount paid, or delete the row if nothing was paid."
    assert lines[1] == f"  2  Amount         {empty}"
    assert len([line for line in lines if line.endswith(empty)]) == 20
    assert lines[21:] == [
        "... and 4 more problems (all of them in the report).",
        "",
        "Problems by kind:",
        "  amount.missing                22",
        "  method.unknown                 1",
        "  amount.too_many_decimals       1",
        "25 rows checked: 1 ready, 24 with problems.",
        "To get every problem in a file, add --report problems.xlsx (or .csv).",
    ]


def test_validate_report_as_csv_holds_every_problem(tmp_path: Path) -> None:
    """--report problems.csv has every problem with sheet, row, column, code, value, message."""
    report = tmp_path / "problems.csv"
    code, output = invoke("validate", str(DATA / "many-problems.csv"), "--report", str(report))
    assert code == 1
    assert output.splitlines()[-1] == f"Report: {report}"
    rows = read_csv(report)
    assert len(rows) == 24
    assert rows[-1] == {
        "sheet": "many-problems.csv",
        "row": "25",
        "column": "Amount",
        "code": "amount.too_many_decimals",
        "value": "1.001",
        "message": "'1.001' has more than 2 decimals. Correct it to cents (at most 2 decimals).",
    }


def test_validate_report_as_xlsx(tmp_path: Path) -> None:
    """--report problems.xlsx writes a workbook with the same columns, values kept as text."""
    report = tmp_path / "problems.xlsx"
    code, _output = invoke("validate", str(DATA / "bad-rows.csv"), "--report", str(report))
    assert code == 1
    sheet = openpyxl.load_workbook(report)["Problems"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("sheet", "row", "column", "code", "value", "message")
    assert [row[1:5] for row in rows[1:4]] == [
        (3, "Invoice", "invoice.missing", None),
        (4, "Amount", "amount.not_a_number", "twelve"),
        (5, "Amount", "amount.not_positive", "-5.00"),
    ]
    assert rows[3][0] == "bad-rows.csv"
    assert rows[3][5] == (
        "The amount must be above zero; refunds cannot be recorded as payments. Correct the "
        "amount, or delete the row."
    )
    assert len(rows) == 12


def test_a_clean_file_prints_no_table() -> None:
    """A file without problems prints only the count and exits 0."""
    code, output = invoke("validate", str(SAMPLES / "pagos.csv"))
    assert (code, output) == (0, "5 rows checked: 5 ready, 0 with problems.\n")


def test_validate_checks_dates_against_the_day_it_is_given(tmp_path: Path) -> None:
    """The day passed as the command's obj is "today" for the date checks."""
    payments = tmp_path / "tomorrow.csv"
    payments.write_text("Invoice,Amount,Payment Date,Method\n1001,10.00,2026-11-25,Cash\n")
    result = CliRunner().invoke(cli, ["validate", str(payments)], obj=date(2026, 11, 24))
    assert (result.exit_code, result.output.splitlines()[1]) == (
        1,
        "  2  Payment Date  2026-11-25  2026-11-25 is in the future. Check the date: a payment "
        "cannot be dated after today (2026-11-24).",
    )
    result = CliRunner().invoke(cli, ["validate", str(payments)], obj=date(2026, 11, 25))
    assert (result.exit_code, result.output) == (0, "1 row checked: 1 ready, 0 with problems.\n")


def test_validate_with_a_users_template_file() -> None:
    """--template PATH reads the user's own TOML file."""
    code, output = invoke(
        "validate", str(DATA / "folio.csv"), "--template", str(DATA / "folio-template.toml")
    )
    assert (code, output) == (0, "2 rows checked: 2 ready, 0 with problems.\n")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("cheques", "Error: No built-in template named 'cheques'."),
        ("missing.toml", "Error: missing.toml: no such template file."),
    ],
)
def test_an_unknown_template_stops_with_one_line(name: str, message: str) -> None:
    """An unknown template name or file exits 2 with one line and no traceback."""
    code, output = invoke("validate", str(SAMPLES / "payments.csv"), "--template", name)
    assert code == 2
    (line,) = output.splitlines()
    assert line.startswith(message)


def test_a_missing_column_stops_with_exit_2(tmp_path: Path) -> None:
    """A file read with the wrong template exits 2 naming the missing column."""
    code, output = invoke("validate", str(SAMPLES / "cheque-deposit.csv"), "--template", "default")
    assert code == 2
    (line,) = output.splitlines()
    assert "No column gives the payment method" in line


def test_validate_says_which_of_two_matching_columns_it_reads() -> None:
    """With Amount and Amount Paid, Date and Payment Date, validate names the column it reads."""
    code, output = invoke("validate", str(DATA / "amount-and-amount-paid.csv"))
    assert (code, output.splitlines()) == (
        0,
        [
            "Column 'Amount Paid' gives the amount, not 'Amount' (the more specific name wins).",
            "Column 'Payment Date' gives the payment date, not 'Date' (the more specific name "
            "wins).",
            "1 row checked: 1 ready, 0 with problems.",
        ],
    )


def test_run_records_the_amount_paid_and_says_which_column_it_read(
    sandbox: RunningSandbox, env: Path
) -> None:
    """run records 250.00 from "Amount Paid", not the invoice's 1000.00 in "Amount"."""
    payments = env / "amounts.csv"
    payments.write_text((DATA / "amount-and-amount-paid.csv").read_text())
    code, output = invoke("run", str(payments), "--yes")
    assert code == 0, output
    assert output.splitlines()[:2] == [
        "Column 'Amount Paid' gives the amount, not 'Amount' (the more specific name wins).",
        "Column 'Payment Date' gives the payment date, not 'Date' (the more specific name wins).",
    ]
    assert [(txn["amount"], txn["fulfilledAt"][:10]) for txn in sandbox.sandbox.transactions()] == [
        (250.0, "2026-11-02")
    ]


def test_two_columns_that_could_be_the_amount_stop_the_run(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Importe and Monto side by side: validate and run exit 2 with one line; nothing is sent."""
    payments = env / "importe-and-monto.csv"
    payments.write_text((DATA / "importe-and-monto.csv").read_text())
    message = (
        "Error: Columns 'Importe' and 'Monto' could each be the amount, and the importer does "
        "not guess which. Rename the one that is not (or delete it), or make your own template "
        'with based_on = "default" and, under [columns], only the right one, such as amount = '
        '["Importe"], and run with --template your-template.toml. Nothing was sent.\n'
    )
    assert invoke("validate", str(payments)) == (2, message)
    assert invoke("run", str(payments), "--yes") == (2, message)
    assert sandbox.sandbox.transactions() == []


def test_a_cheque_without_a_cheque_number_column_stops_validate_with_one_line() -> None:
    """A cheque row and no column for its number: exit 2, one line naming the closest header."""
    assert invoke("validate", str(DATA / "cheque-number-as-chq-no.csv")) == (
        2,
        "Error: No column gives the cheque number, and the cheque rows need it (row 2). "
        "Expected a header such as 'Cheque No.', 'Cheque Number', 'Check Number', 'Check No.'. "
        "The closest header is 'Chq No': rename it to 'Cheque No.'. Nothing was sent.\n",
    )


@pytest.mark.parametrize("name", ["default", "cheque-deposit", "bank-transfer", "card-terminal"])
def test_template_new_writes_a_blank_workbook(tmp_path: Path, name: str) -> None:
    """The workbook has the template's headers, formats, a method drop-down and instructions."""
    target = tmp_path / f"{name}.xlsx"
    code, output = invoke("template", "new", name, "-o", str(target))
    assert code == 0, output
    template = load_template(name)
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:2] == ["Payments", "Instructions"]
    payments = book["Payments"]
    headers = [cell.value for cell in payments[1]]
    assert headers == [template.headers[field][0] for field in template.workbook_fields]
    formats = {
        field: payments.column_dimensions[openpyxl.utils.get_column_letter(i)].number_format
        for i, field in enumerate(template.workbook_fields, start=1)
    }
    assert formats["amount"] == "#,##0.00"
    assert formats["payment_date"] == "yyyy-mm-dd"
    assert formats["invoice"] == "@"
    drop_downs = [dv for dv in payments.data_validations.dataValidation if dv.type == "list"]
    if "method" in template.workbook_fields:
        (drop_down,) = drop_downs
        assert drop_down.formula1 == f"=Lists!$A$1:$A${len(template.method_words)}"
        column = openpyxl.utils.get_column_letter(template.workbook_fields.index("method") + 1)
        assert str(drop_down.sqref) == f"{column}2:{column}5001"
        words = [row[0] for row in book["Lists"].iter_rows(values_only=True)]
        assert words == list(template.method_words)
        assert book["Lists"].sheet_state == "hidden"
    else:
        assert drop_downs == []
    instructions = [row[0] for row in book["Instructions"].iter_rows(values_only=True)]
    assert instructions[0] == f"How to fill in this workbook (template: {name})"
    assert f"     importer run FILE.xlsx --template {name}" in instructions


def test_a_users_template_workbook_gives_its_path_in_the_instructions(tmp_path: Path) -> None:
    """A workbook made from the user's own file tells them to run with that file's path."""
    target = tmp_path / "folio.xlsx"
    template = DATA / "folio-template.toml"
    code, output = invoke("template", "new", str(template), "-o", str(target))
    assert code == 0, output
    lines = [
        row[0] for row in openpyxl.load_workbook(target)["Instructions"].iter_rows(values_only=True)
    ]
    assert lines[0] == "How to fill in this workbook (template: folio-template)"
    assert [line for line in lines if line and "--template" in line] == [
        f"     importer validate FILE.xlsx --template {template}",
        f"     importer run FILE.xlsx --template {template}",
    ]


def test_a_template_path_with_a_space_is_quoted_in_the_instructions(tmp_path: Path) -> None:
    """The command in the instructions works as typed for a template named "my bank.toml"."""
    path = tmp_path / "my bank.toml"
    path.write_text('based_on = "default"\n', encoding="utf-8")
    lines = instruction_lines(load_template(path))
    assert f'     importer run FILE.xlsx --template "{path}"' in lines


def test_a_filled_in_blank_workbook_validates(tmp_path: Path) -> None:
    """Rows typed into the blank default workbook (real dates and numbers) are all ready."""
    target = tmp_path / "blank.xlsx"
    invoke("template", "new", "default", "-o", str(target))
    book = openpyxl.load_workbook(target)
    sheet = book["Payments"]
    sheet.append(["INV-1001", 120.5, datetime(2026, 10, 3), "Cheque", "000123"])
    sheet.append(["1002", 612.5, datetime(2026, 10, 4), "Visa", None, None, "4242"])
    book.save(target)
    validation = validate_file(load(target), load_template("default"), today=date(2026, 11, 24))
    assert validation.problems == []
    assert [(p.row, p.amount, p.paid_on, p.mode) for p in validation.payments] == [
        (2, Decimal("120.50"), date(2026, 10, 3), "cheque"),
        (3, Decimal("612.50"), date(2026, 10, 4), "card"),
    ]
    assert validation.payments[0].cheque is not None
    assert validation.payments[0].cheque.number == "000123"


def test_template_new_never_replaces_a_file(tmp_path: Path) -> None:
    """An existing file is left alone: exit 2 and one line."""
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"precious")
    code, output = invoke("template", "new", "default", "-o", str(target))
    assert code == 2
    assert output == (f"Error: {target} already exists: choose another name, or delete it first.\n")
    assert target.read_bytes() == b"precious"


def test_template_new_wants_an_xlsx_name(tmp_path: Path) -> None:
    """A name not ending in .xlsx is refused before anything is written."""
    code, output = invoke("template", "new", "default", "-o", str(tmp_path / "mine.csv"))
    assert code == 2
    assert output == f"Error: {tmp_path / 'mine.csv'}: the workbook's name must end in .xlsx.\n"


def test_run_sends_nothing_when_a_row_is_invalid(sandbox: RunningSandbox, env: Path) -> None:
    """One invalid row holds the file back: valid rows are not_sent and say how to go on."""
    payments = env / "refusals.csv"
    payments.write_text((DATA / "refusals.csv").read_text())
    code, output = invoke("run", str(payments), "--yes")
    assert code == 1
    assert (
        "Nothing was recorded: 1 row is invalid. Fix it (the results file says how) and run "
        "again, or run again with --skip-invalid to record the valid rows." in output
    )
    results = read_csv(env / "refusals.results.csv")
    assert [(r["row"], r["status"]) for r in results] == [
        ("2", "rejected"),
        ("3", "rejected"),
        ("4", "rejected"),
        ("5", "not_sent"),
        ("6", "rejected"),
        ("7", "invalid"),
    ]
    assert results[3]["message"] == (
        "Not sent: 1 row of this file is invalid, so nothing was recorded. Fix the invalid rows "
        "and run again, or run again with --skip-invalid to record the valid rows now."
    )
    assert results[3]["invoice_number"] == "INV-1003"
    assert sandbox.sandbox.transactions() == []


def test_a_duplicate_row_holds_the_run_back(sandbox: RunningSandbox, env: Path) -> None:
    """A repeated row is invalid, so nothing is sent; --allow-duplicates records both."""
    payments = env / "duplicates.csv"
    payments.write_text((DATA / "duplicates.csv").read_text())
    code, _output = invoke("run", str(payments), "--yes")
    assert code == 1
    results = read_csv(env / "duplicates.results.csv")
    assert [(r["row"], r["status"]) for r in results] == [
        ("2", "not_sent"),
        ("3", "invalid"),
        ("4", "not_sent"),
    ]
    assert results[1]["message"].startswith("Possible duplicate of row 2:")
    assert sandbox.sandbox.transactions() == []
    code, output = invoke("run", str(payments), "--yes", "--allow-duplicates")
    assert code == 0, output
    results = read_csv(env / "duplicates.results-2.csv")
    assert [r["status"] for r in results] == ["recorded"] * 3
    assert len(sandbox.sandbox.transactions()) == 3


def test_a_copy_of_an_invalid_row_is_not_recorded_with_skip_invalid(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Row 3 repeats row 2, whose currency is wrong: --skip-invalid records neither of them."""
    payments = env / "copy.csv"
    payments.write_text((DATA / "copy-of-an-invalid-row.csv").read_text())
    code, output = invoke("run", str(payments), "--yes", "--skip-invalid")
    assert code == 1, output
    results = read_csv(env / "copy.results.csv")
    assert [(r["row"], r["status"], r["message"]) for r in results] == [
        (
            "2",
            "invalid",
            "Column \"Currency\": 'ZZZ' is not a currency code: use the 3-letter code such as "
            "USD, EUR or MXN.",
        ),
        (
            "3",
            "invalid",
            "Possible duplicate of row 2: same invoice, amount, date, method and reference. If "
            "both payments are real, put yes in an allow_duplicate column or run again with "
            "--allow-duplicates; otherwise delete this row.",
        ),
    ]
    assert sandbox.sandbox.transactions() == []


@pytest.mark.parametrize(
    ("sample", "template", "rows"),
    [
        ("cheque-deposit.csv", "cheque-deposit", 6),
        ("bank-transfer.csv", "bank-transfer", 5),
        ("card-terminal.csv", "card-terminal", 5),
        ("pagos.csv", "default", 5),
    ],
)
def test_each_built_in_template_imports_its_sample(
    sandbox: RunningSandbox, env: Path, sample: str, template: str, rows: int
) -> None:
    """Every sample imports cleanly with its template: all recorded, one payment per row."""
    payments = copy_sample(sample, env)
    code, output = invoke("run", str(payments), "--template", template, "--yes")
    assert code == 0, output
    assert f"{rows} rows: {rows} recorded." in output
    results = read_csv(env / sample.replace(".csv", ".results.csv"))
    assert [r["status"] for r in results] == ["recorded"] * rows
    assert len(sandbox.sandbox.transactions()) == rows


def test_run_with_a_users_template_file(sandbox: RunningSandbox, env: Path) -> None:
    """--template PATH on run records with the user's columns, words and notes."""
    payments = env / "folio.csv"
    payments.write_text((DATA / "folio.csv").read_text(encoding="utf-8"), encoding="utf-8")
    code, output = invoke(
        "run", str(payments), "--template", str(DATA / "folio-template.toml"), "--yes"
    )
    assert code == 0, output
    notes = sorted(str(txn.get("notes", "")) for txn in sandbox.sandbox.transactions())
    assert notes == [
        "Folio INV-1014, sucursal Centro (row 2 of folio.csv)",
        "Folio INV-1015 (row 3 of folio.csv)",
    ]


def test_report_cells_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    """A value starting with = is written so a spreadsheet shows it, and long values are cut."""
    report = tmp_path / "problems.csv"
    invoke("validate", str(DATA / "formula-cells.csv"), "--report", str(report))
    values = [row["value"] for row in read_csv(report)]
    assert values == ['\'=HYPERLINK("http://example.invalid")', "X" * 79 + "…"]
    workbook = tmp_path / "problems.xlsx"
    invoke("validate", str(DATA / "formula-cells.csv"), "--report", str(workbook))
    sheet = openpyxl.load_workbook(workbook)["Problems"]
    assert sheet["E2"].value == '=HYPERLINK("http://example.invalid")'
    assert sheet["E2"].data_type == "s"


@pytest.mark.parametrize(
    ("date_format", "excel"),
    [(None, "yyyy-mm-dd"), ("DD/MM/YYYY", "dd/mm/yyyy"), ("%d.%m.%Y", "dd.mm.yyyy")],
)
def test_date_formats_become_excel_formats(date_format: str | None, excel: str) -> None:
    """A template's date format, written either way, becomes the workbook's date format."""
    assert excel_date_format(date_format) == excel


def test_instructions_say_what_a_constant_means() -> None:
    """The cheque-deposit instructions say every row is a cheque and which columns are needed."""
    lines = instruction_lines(load_template("cheque-deposit"))
    assert lines[5:14] == [
        "   Invoice: the invoice number as printed (1042 or INV-1042), or the invoice id "
        "(required).",
        "   Amount: the amount paid, above zero, without a currency sign (required).",
        "   Date Received: the date the payment was received (required).",
        "   Cheque No.: for a cheque, its number (leading zeros are kept) (required).",
        "   Slip No.: the bank's or the terminal's reference, if any.",
        "   Deposit Date: only goes into the payment's notes.",
        "   Drawer: only goes into the payment's notes.",
        "   Bank: only goes into the payment's notes.",
        "   Every row's method is cheque: no column is needed.",
    ]
