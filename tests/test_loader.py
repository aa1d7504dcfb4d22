"""The loader: every spreadsheet an accounting team has, read as the user sees it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.check import DEFAULT_TEMPLATE, RowProblem, load_template, validate_file
from importer.cli import cli
from importer.errors import InputFileError
from importer.importing import FileTotal, control_total_note, file_total
from importer.read import ControlTotal, SourceRow, load
from tests.conftest import DATA
from tests.make_data import EXPECTED_CELLS

TODAY = date(2026, 11, 24)


def cells(path: Path, **options: str) -> list[tuple[int, tuple[str, ...]]]:
    """(row number, cells) of every row the loader hands out."""
    return [(row.number, row.cells) for row in load(path, **options).rows]  # type: ignore[arg-type]


def test_excel_unicode_text_is_utf16_with_tabs() -> None:
    """Excel's "Unicode text" (UTF-16 with a BOM, tab-separated) loads with its accents."""
    loaded = load(DATA / "unicode-text.txt")
    assert (loaded.encoding, loaded.delimiter, loaded.notes) == ("utf-16", "\t", ())
    assert loaded.columns == ("Invoice", "Amount", "Payment Date", "Method", "Notes")
    assert [(row.number, row.cells) for row in loaded.rows] == [
        (2, ("INV-1001", "1,234.50", "10/03/2026", "Cash", "Café Núñez")),
        (3, ("INV-1002", "99.00", "10/25/2026", "Cash", "Zürich")),
    ]


def test_spanish_windows_csv_with_semicolons_and_decimal_commas() -> None:
    """A cp1252 file with ; and 1.234,50 loads with its accents and validates to the cent."""
    loaded = load(DATA / "cp1252-semicolon.csv")
    assert (loaded.encoding, loaded.delimiter) == ("cp1252", ";")
    assert loaded.notes == (
        "Read as cp1252 text: if accents look wrong in the results, run again with --encoding, "
        "such as --encoding utf-8 or --encoding cp1252.",
    )
    assert loaded.rows[1].cells[-1] == "Señal año"
    validation = validate_file(loaded, DEFAULT_TEMPLATE, today=TODAY)
    assert validation.problems == []
    assert [(p.row, p.amount, p.paid_on) for p in validation.payments] == [
        (2, Decimal("1234.50"), date(2026, 10, 3)),
        (3, Decimal("80.00"), date(2026, 10, 25)),
        (4, Decimal("1500.75"), date(2026, 11, 1)),
    ]


def test_encoding_and_delimiter_can_be_given() -> None:
    """--encoding and --delimiter override what the loader would detect."""
    loaded = load(DATA / "cp1252-semicolon.csv", encoding="latin-1", delimiter=";")
    assert (loaded.encoding, loaded.delimiter, loaded.notes) == ("iso8859-1", ";", ())
    assert loaded.rows[0].cells[1] == "1.234,50"
    assert load(DATA / "pipe.csv", delimiter=",").delimiter == ","


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [("utf8-bom.csv", "utf-8-sig", ","), ("pipe.csv", "utf-8", "|")],
)
def test_bom_and_pipes_are_detected(name: str, encoding: str, delimiter: str) -> None:
    """A UTF-8 BOM is not part of the first header, and | separates like any delimiter."""
    loaded = load(DATA / name)
    assert (loaded.encoding, loaded.delimiter) == (encoding, delimiter)
    assert loaded.columns[:2] == ("Invoice", "Amount")


def test_excels_sep_line_names_the_delimiter() -> None:
    """A first line "sep=," is obeyed and is not taken for the header."""
    loaded = load(DATA / "excel-sep-hint.csv")
    assert (loaded.delimiter, loaded.header_row) == (",", 2)
    assert [(row.number, row.cells) for row in loaded.rows] == [
        (3, ("INV-1001", "10.00", "2026-10-03", "Cash", "a;b;c;d"))
    ]


def test_a_last_payment_whose_note_says_total_stays_a_payment() -> None:
    """Only a narrow row is a totals row: a full payment row noting "Total due" is kept."""
    loaded = load(DATA / "last-row-says-total.csv")
    assert loaded.total is None
    assert [row.number for row in loaded.rows] == [2, 3]


def test_validate_prints_how_the_file_was_read() -> None:
    """validate says which sheet it read and what the totals row says against the rows."""
    result = CliRunner().invoke(
        cli, ["validate", str(DATA / "title-rows-and-total.csv")], obj=TODAY
    )
    assert (
        "Row 9 is a totals row, not a payment: it says 400.50 but the rows add up to 400.00, "
        "0.50 less: check for a missing row."
    ) in result.output.splitlines()
    result = CliRunner().invoke(cli, ["validate", str(DATA / "two-sheets.xlsx")], obj=TODAY)
    assert result.output.splitlines()[0].startswith('Read sheet "October"')


def test_quoted_newlines_stay_in_one_row_and_rows_count_records() -> None:
    """A quoted note across two lines is one cell, and the next row is row 3 as in Excel."""
    assert cells(DATA / "quoted-newlines.csv") == [
        (2, ("INV-1001", "10.00", "2026-10-03", "Cash", "first line\nsecond line, with a comma")),
        (3, ("INV-1002", "20.00", "2026-10-04", "Cash", "plain")),
    ]


def test_rows_of_uneven_length_lose_nothing() -> None:
    """A row missing its trailing fields is padded with empty cells, not dropped."""
    assert cells(DATA / "ragged.csv") == [
        (2, ("INV-1001", "10.00", "2026-10-03", "Cash", "")),
        (3, ("INV-1002", "20.00", "2026-10-04", "Cash", "with a note")),
    ]


@pytest.mark.parametrize(
    ("name", "sheet", "amounts", "dates", "total"),
    [
        (
            "title-rows-and-total.csv",
            "title-rows-and-total.csv",
            ("100.00", "250.50", "49.50"),
            ("03/10/2026", "03/10/2026", "13/10/2026"),
            ("Total", "400.50", "", ""),
        ),
        (
            "title-rows-and-total.xlsx",
            "Deposit",
            ("100", "250.5", "49.5"),
            ("2026-10-03", "46298", "2026-10-13"),
            ("TOTAL", "400.5", "", ""),
        ),
    ],
)
def test_title_lines_blank_rows_and_columns_and_a_totals_row(
    name: str,
    sheet: str,
    amounts: tuple[str, ...],
    dates: tuple[str, ...],
    total: tuple[str, ...],
) -> None:
    """Header on row 4 under title lines; blank row 7 and column A skipped; row 9 is a total."""
    loaded = load(DATA / name)
    assert loaded.header_row == 4
    assert loaded.columns == ("Invoice", "Amount", "Payment Date", "Method")
    assert list(loaded.rows) == [
        SourceRow(sheet, 5, ("INV-1001", amounts[0], dates[0], "Cash")),
        SourceRow(sheet, 6, ("INV-1002", amounts[1], dates[1], "Cash")),
        SourceRow(sheet, 8, ("INV-1003", amounts[2], dates[2], "Cash")),
    ]
    assert loaded.total == ControlTotal(sheet, 9, total)
    validation = validate_file(loaded, DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.paid_on) for p in validation.payments] == [
        (5, date(2026, 10, 3)),
        (6, date(2026, 10, 3)),
        (8, date(2026, 10, 13)),
    ]


def test_a_totals_row_that_disagrees_is_reported() -> None:
    """The totals row is compared with the sum of the rows, and a difference is stated."""
    note = control_total_note(load(DATA / "title-rows-and-total.csv"), DEFAULT_TEMPLATE)
    assert note == (
        "Row 9 is a totals row, not a payment: it says 400.50 but the rows add up to 400.00, "
        "0.50 less: check for a missing row."
    )
    note = control_total_note(load(DATA / "title-rows-and-total.xlsx"), DEFAULT_TEMPLATE)
    assert note == (
        "Row 9 is a totals row, not a payment: it says 400.50 but the rows add up to 400.00, "
        "0.50 less: check for a missing row."
    )


@pytest.mark.parametrize("name", ["leading-zeros.xlsx", "payments.xls", "payments.ods"])
def test_workbooks_keep_leading_zeros_and_turn_date_cells_into_dates(name: str) -> None:
    """XLSX, XLS and ODS give the same text: 000123 and 0042 intact, dates as ISO dates."""
    loaded = load(DATA / name)
    assert loaded.sheet == "Payments"
    assert [(row.number, row.cells) for row in loaded.rows] == [
        (number, expected) for number, expected in enumerate(EXPECTED_CELLS, start=2)
    ]


def test_a_macro_enabled_workbook_reads_like_an_xlsx(tmp_path: Path) -> None:
    """An .xlsm is the same package as an .xlsx and gives the same rows."""
    xlsm = tmp_path / "payments.xlsm"
    xlsm.write_bytes((DATA / "leading-zeros.xlsx").read_bytes())
    loaded = load(xlsm)
    assert (loaded.format, loaded.rows[0].cells) == ("xlsx", EXPECTED_CELLS[0])


def test_the_first_sheet_with_payments_is_read_and_named() -> None:
    """With several sheets and none named, the first holding a header and rows is read."""
    loaded = load(DATA / "two-sheets.xlsx")
    assert loaded.sheet == "October"
    assert loaded.notes == (
        'Read sheet "October", the first with a header and payment rows (the workbook has 3 '
        "sheets; choose another with --sheet).",
    )


@pytest.mark.parametrize("wanted", ["October", "october", "2"])
def test_a_sheet_is_chosen_by_name_or_number(wanted: str) -> None:
    """--sheet takes a sheet's name (any case) or its position counted from 1."""
    loaded = load(DATA / "two-sheets.xlsx", sheet=wanted)
    assert (loaded.sheet, loaded.notes, len(loaded.rows)) == ("October", (), 3)


def test_an_unknown_sheet_lists_the_sheets() -> None:
    """A sheet that is not there is refused with the names and numbers of those that are."""
    with pytest.raises(InputFileError) as caught:
        load(DATA / "two-sheets.xlsx", sheet="November")
    assert str(caught.value).endswith(
        'no sheet named \'November\'. Its sheets are 1: "Read me", 2: "October", '
        '3: "Empty"; give --sheet a name or a number.'
    )


def test_rows_behave_as_a_sequence_of_source_rows() -> None:
    """The CSV rows index, slice, count and iterate like the list they stand for."""
    rows = load(DATA / "title-rows-and-total.csv").rows
    assert len(rows) == 3
    assert rows[-1] == SourceRow(
        "title-rows-and-total.csv", 8, ("INV-1003", "49.50", "13/10/2026", "Cash")
    )
    assert [row.number for row in rows[1:]] == [6, 8]
    assert rows == list(rows)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.csv", "the file is empty."),
        ("blank-lines-only.csv", "the file has no rows."),
        ("header-only.csv", "the file has a header but no payment rows (header on row 1)."),
        ("binary.csv", "cannot be read (it is not text in an encoding this importer can tell)."),
        (
            "garbage.xlsx",
            "cannot be read (not an XLSX workbook: open it in Excel and save it again).",
        ),
        ("protected.xlsx", "the workbook is protected by a password."),
        ("damaged.xls", "cannot be read (the workbook is damaged: open it in Excel and save it"),
        ("zip-bomb.xlsx", "refused: it would unpack to 40 MB, far more than a payments workbook"),
        ("missing.csv", "no such file."),
        ("ambiguous-dates.csv", 'Column "Payment Date": no date in it has a day above 12'),
        ("mixed-dates.csv", 'Column "Payment Date" mixes day-first dates (row 2'),
        ("ambiguous-amounts.csv", 'Column "Amount": nothing in it says whether row 2'),
        (
            "lying-size.xlsx",
            "cannot be read (I/O error: File is larger than its declared uncompressed size).",
        ),
        (
            "garbage.xls",
            "cannot be read (not an XLS workbook: open it in Excel and save it again).",
        ),
        (
            "web-page-named-xls.xls",
            "cannot be read: it is a web page (HTML), not a spreadsheet, as some banks' "
            '"Export to Excel" write it. Open it in Excel and save it as .xlsx, or export it '
            "as CSV.",
        ),
    ],
)
def test_hostile_and_unreadable_files_give_one_line_and_exit_2(name: str, reason: str) -> None:
    """Each hostile file stops validate with exit 2 and one line that says why, no traceback."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / name)], obj=TODAY)
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Error: ")
    assert reason in line


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    """A file above --max-size is refused before it is read, naming the option."""
    big = tmp_path / "big.csv"
    big.write_bytes(b"Invoice,Amount\n" + b"INV-1,1.00\n" * 150_000)
    result = CliRunner().invoke(cli, ["validate", str(big), "--max-size", "1"], obj=TODAY)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {big}: the file is 1.6 MB, over the 1 MB limit. Split it, or run again with a "
        "larger --max-size.\n"
    )


def test_options_settle_an_ambiguous_file() -> None:
    """--date-format and --decimal make the refused files readable, as their messages say."""
    runner = CliRunner()
    dates = runner.invoke(
        cli,
        ["validate", str(DATA / "ambiguous-dates.csv"), "--date-format", "MM/DD/YYYY"],
        obj=TODAY,
    )
    assert "2 rows checked" in dates.output
    amounts = runner.invoke(
        cli, ["validate", str(DATA / "ambiguous-amounts.csv"), "--decimal", "."], obj=TODAY
    )
    assert "2 rows checked" in amounts.output


def test_serial_numbers_in_a_date_column_are_dates() -> None:
    """A date column of Excel serial numbers reads as the dates Excel shows."""
    validation = validate_file(load(DATA / "serial-dates.csv"), DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.paid_on) for p in validation.payments] == [
        (2, date(2026, 10, 3)),
        (3, date(2026, 10, 15)),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "unclosed-quote.csv",
            'row 3, column "Notes": a quote (") opens this cell and is never closed, so the rest '
            "of the file would be read into this one cell. Add the closing quote, or remove this "
            "one, and try again.",
        ),
        (
            "unclosed-quote-at-end.csv",
            'row 3, column "Notes": a quote (") opens this cell and is never closed, so the rest '
            "of the file would be read into this one cell. Add the closing quote, or remove this "
            "one, and try again.",
        ),
        (
            "quote-closed-lines-later.csv",
            'row 3, column "Notes": a quote (") opens this cell and the next one is in the middle '
            "of a later line, so the lines between would be read into this one cell. Add the "
            "closing quote where the cell ends, or remove this one, and try again.",
        ),
    ],
)
def test_a_quote_that_swallows_the_rows_after_it_is_refused(name: str, message: str) -> None:
    """A quote left open is refused with its row and column, never read as fewer payments."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / name)])
    assert (result.exit_code, result.output) == (2, f"Error: {DATA / name}: {message}\n")


def test_a_quote_closed_inside_a_one_line_cell_reads_as_excel_reads_it(tmp_path: Path) -> None:
    """A cell such as "Acme 12" pipe loses nothing, so it is read as Excel does: Acme 12 pipe."""
    path = tmp_path / "pipe.csv"
    path.write_text(
        'Invoice,Amount,Payment Date,Method,Notes\nINV-1,10.00,2026-10-03,Cash,"Acme 12" pipe\n'
        "INV-2,20.00,2026-10-03,Cash,ok\n",
        encoding="utf-8",
    )
    assert cells(path) == [
        (2, ("INV-1", "10.00", "2026-10-03", "Cash", "Acme 12 pipe")),
        (3, ("INV-2", "20.00", "2026-10-03", "Cash", "ok")),
    ]


def test_a_quote_left_open_early_in_a_long_file_is_found(tmp_path: Path) -> None:
    """A quote that would swallow more than csv's field limit is still refused by row and column."""
    rows = [f"INV-{index},10.00,2026-10-03,Cash,ok" for index in range(20_000)]
    rows[5] = 'INV-5,"10.00,2026-10-03,Cash,ok'
    path = tmp_path / "long.csv"
    path.write_text("Invoice,Amount,Payment Date,Method,Notes\n" + "\n".join(rows) + "\n")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert (result.exit_code, result.output) == (
        2,
        f'Error: {path}: row 7, column "Amount": a quote (") opens this cell and is never '
        "closed, so the rest of the file would be read into this one cell. Add the closing "
        "quote, or remove this one, and try again.\n",
    )


@pytest.mark.parametrize("name", ["far-away-cell.xlsx", "far-away-cell-no-dimension.xlsx"])
def test_a_stray_cell_far_from_the_payments_is_refused_before_reading(name: str) -> None:
    """A 5 KB workbook with a value at XFD1048576 is refused in one line, not laid out in memory."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / name)])
    assert (result.exit_code, result.output) == (
        2,
        f'Error: {DATA / name}: sheet "Payments" reaches cell XFD1048576, 1,048,576 rows by '
        "16,384 columns from A1: far more than a payments sheet holds. Something typed far "
        "below or to the right of the payments makes it this big: delete those rows and "
        "columns (or copy the payments into a new workbook), save, and try again.\n",
    )


@pytest.mark.parametrize("decimal", [None, ",", "."])
def test_number_cells_are_the_numbers_they_hold_whatever_the_text_beside_them(
    decimal: str | None,
) -> None:
    """A number cell 12.345 beside "1.234,50" text is twelve and a bit under any --decimal."""
    path = DATA / "number-cells-in-decimal-comma-column.xlsx"
    validation = validate_file(load(path), DEFAULT_TEMPLATE, today=TODAY, decimal=decimal)
    assert validation.problems == [
        RowProblem(
            "Pagos",
            3,
            "Importe",
            "amount.too_many_decimals",
            "12.345",
            "'12.345' has more than 2 decimals. Correct it to cents (at most 2 decimals).",
        )
    ]
    assert [(p.row, p.amount) for p in validation.payments] == [
        (2, Decimal("1234.50")),
        (4, Decimal("80.00")),
        (5, Decimal("1234.50")),
    ]


def test_a_totals_row_of_numbers_adds_up_as_numbers() -> None:
    """The totals row and the rows' number cells are summed as numbers beside comma text."""
    loaded = load(DATA / "number-cells-in-decimal-comma-column.xlsx")
    assert file_total(loaded, DEFAULT_TEMPLATE) == FileTotal(
        ",", Decimal("2561.345"), Decimal("2561.345")
    )


def test_a_number_cell_does_not_decide_how_the_text_beside_it_is_written() -> None:
    """The number 80.5 says nothing about text "1.500", so the column is refused, not guessed."""
    loaded = load(DATA / "number-cell-beside-ambiguous-text.xlsx")
    with pytest.raises(InputFileError) as refused:
        validate_file(loaded, DEFAULT_TEMPLATE, today=TODAY)
    assert str(refused.value) == (
        'Column "Amount": nothing in it says whether row 2\'s \'1.500\' has "," or "." as the '
        'decimal mark. Run again with --decimal "." (1,234.50) or --decimal "," (1.234,50).'
    )


@pytest.mark.parametrize(
    ("name", "encoding", "rows"),
    [
        (
            "cp1252-euro-amounts.csv",
            "cp1252",
            [
                (2, ("INV-1", "€10.00", "2026-10-03", "Cash")),
                (3, ("INV-2", "€1,234.50", "2026-10-04", "Cash")),
            ],
        ),
        ("cp1252-umlaut.csv", "cp1252", [(2, ("INV-1", "10.00", "2026-10-03", "Cash", "Müller"))]),
        (
            "cp1252-curly-quotes.csv",
            "cp1252",
            [(2, ("INV-1", "10.00", "2026-10-03", "Cash", "O’Brien’s “Bar” – Dublin"))],
        ),
        (
            "cp1251-cyrillic.csv",
            "cp1251",
            [
                (2, ("СЧ-1", "10.00", "2026-10-03", "Наличные")),
                (3, ("СЧ-2", "12.00", "2026-10-03", "Перевод банковский")),
            ],
        ),
        (
            "utf16-no-bom.txt",
            "utf_16_le",
            [(2, ("INV-1", "10.00", "2026-10-03", "Cash", "Café"))],
        ),
    ],
)
def test_short_windows_exports_are_read_in_their_code_page(
    name: str, encoding: str, rows: list[tuple[int, tuple[str, ...]]]
) -> None:
    """A euro sign, an umlaut or curly quotes read as cp1252; Cyrillic and UTF-16 stay theirs."""
    loaded = load(DATA / name)
    assert loaded.encoding == encoding
    assert [(row.number, row.cells) for row in loaded.rows] == rows


@pytest.mark.parametrize(
    ("name", "template", "total", "notes", "note"),
    [
        (
            "totals-three-columns.csv",
            "bank-transfer",
            ControlTotal("totals-three-columns.csv", 4, ("Total", "30.00", "")),
            (),
            "Row 4 is a totals row, not a payment: its 30.00 matches the sum of the rows.",
        ),
        (
            "totals-then-footer.csv",
            "default",
            ControlTotal("totals-then-footer.csv", 4, ("Total", "30.00", "", "", "", "")),
            ('Row 5, under the totals row, is not a payment: "Printed 2026-10-05 by ana".',),
            "Row 4 is a totals row, not a payment: its 30.00 matches the sum of the rows.",
        ),
        (
            "totals-then-footer.xlsx",
            "default",
            ControlTotal("Report", 4, ("Total", "30", "", "")),
            ('Row 6, under the totals row, is not a payment: "Printed 2026-10-05 by ana".',),
            "Row 4 is a totals row, not a payment: its 30.00 matches the sum of the rows.",
        ),
        (
            "totals-label-elsewhere.csv",
            "default",
            ControlTotal("totals-label-elsewhere.csv", 4, ("", "", "", "Total:", "", "30.50")),
            (),
            "Row 4 is a totals row, not a payment: it says 30.50 but the rows add up to 30.00, "
            "0.50 less: check for a missing row.",
        ),
    ],
)
def test_totals_rows_in_narrow_files_under_footers_and_labelled_elsewhere(
    name: str, template: str, total: ControlTotal, notes: tuple[str, ...], note: str
) -> None:
    """A totals row is found in a 3-column file, above a footer line, and with its label moved."""
    loaded = load(DATA / name)
    assert [row.number for row in loaded.rows] == [2, 3]
    assert (loaded.total, loaded.notes) == (total, notes)
    assert control_total_note(loaded, load_template(template)) == note


def test_two_cell_account_lines_above_the_header_are_not_the_header() -> None:
    """A bank's "Account Name: | ACME Trading" lines are title lines; the wider header wins."""
    loaded = load(DATA / "bank-account-lines.csv")
    assert (loaded.header_row, loaded.columns) == (
        5,
        ("Invoice", "Amount", "Payment Date", "Method"),
    )
    assert cells(DATA / "bank-account-lines.csv") == [(6, ("INV-1", "10.00", "2026-10-03", "Cash"))]


def test_a_cover_sheet_of_two_cell_lines_is_passed_over() -> None:
    """A cover sheet ("Prepared by | Ana") is not the payments: the sheet that fits is read."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / "cover-sheet.xlsx")], obj=TODAY)
    assert (result.exit_code, result.output) == (
        0,
        'Read sheet "Payments", the first with a header and payment rows (the workbook has 2 '
        "sheets; choose another with --sheet).\n1 rows checked: 1 ready, 0 with problems.\n",
    )


def test_columns_that_fit_no_template_name_their_sheet() -> None:
    """When no sheet has the template's columns, the refusal says which sheet it read."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / "no-sheet-of-payments.xlsx")])
    assert (result.exit_code, result.output) == (
        2,
        "Error: Sheet \"Cover\": The file's columns are: 'Prepared by', 'Ana'. No column gives "
        "the invoice number or id (expected a header such as 'Invoice', 'Invoice #', 'Invoice "
        "No.', 'Invoice Number'). No column gives the amount (expected a header such as "
        "'Amount', 'Amount Paid', 'Payment Amount', 'Importe'). No column gives the payment "
        "date (expected a header such as 'Date', 'Payment Date', 'Date Paid', 'Fecha'). No "
        "column gives the payment method (expected a header such as 'Method', 'Payment "
        "Method', 'Mode', 'Forma de pago'). Nothing was sent. The workbook's other sheets: "
        '"Notes"; choose one with --sheet.\n',
    )


@pytest.mark.parametrize(
    ("name", "what", "file_format", "first_row"),
    [
        (
            "text-named-xls.xls",
            "text",
            "csv",
            ("INV-1", "10.00", "2026-10-03", "Cash"),
        ),
        ("workbook-named-csv.csv", "an XLSX workbook", "xlsx", EXPECTED_CELLS[0]),
    ],
)
def test_the_reader_is_chosen_by_what_the_file_holds_not_its_name(
    name: str, what: str, file_format: str, first_row: tuple[str, ...]
) -> None:
    """An .xls that holds text reads as text, and a .csv that is a workbook as a workbook."""
    loaded = load(DATA / name)
    assert (loaded.format, loaded.notes[0], loaded.rows[0].cells) == (
        file_format,
        f"{name} holds {what}, whatever its name says: read as {what}.",
        first_row,
    )


def test_error_cells_show_the_error_not_an_empty_cell() -> None:
    """#N/A and #VALUE! read as Excel shows them, and the problems say they are errors."""
    loaded = load(DATA / "error-cells.xlsx")
    assert cells(DATA / "error-cells.xlsx") == [
        (2, ("INV-1", "#N/A", "2026-10-03", "Cash")),
        (3, ("INV-2", "20", "#VALUE!", "Cash")),
    ]
    validation = validate_file(loaded, DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.column, p.code, p.message) for p in validation.problems] == [
        (
            2,
            "Amount",
            "amount.not_a_number",
            "'#N/A' is an Excel error, not an amount: correct the formula in Excel, or type an "
            "amount instead. Write the amount paid in digits, such as 1250.00.",
        ),
        (
            3,
            "Payment Date",
            "date.unreadable",
            "'#VALUE!' is an Excel error, not a date: correct the formula in Excel, or type a "
            "date instead. Write it as YYYY-MM-DD.",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "rows", "total"),
    [
        (
            "uneven-rows.csv",
            [
                (2, ("INV-1", "10.00", "2026-10-03", "Cash", "a", "")),
                (3, ("INV-2", "20.00", "2026-10-03", "Cash", "", "")),
                (4, ("INV-3", "30.00", "2026-10-03", "Cash", "c", "extra")),
                (5, ("INV-2", "20.00", "2026-10-03", "Cash", "", "")),
                (7, ("INV-4", "40.00", "2026-10-03", "Cash", "d", "")),
            ],
            (8, ("Total", "100.00", "", "", "", "")),
        ),
        (
            "uneven-rows-and-quoted-lines.csv",
            [
                (2, ("INV-1", "10.00", "2026-10-03", "Cash", "")),
                (3, ("INV-2", "20.00", "2026-10-03", "Cash", "first line\nsecond line")),
                (4, ("INV-3", "30.00", "2026-10-03", "Cash", "c")),
            ],
            (5, ("Total", "60.00", "", "", "")),
        ),
    ],
)
def test_rows_of_uneven_length_keep_their_places(
    name: str, rows: list[tuple[int, tuple[str, ...]]], total: tuple[int, tuple[str, ...]]
) -> None:
    """Short, wider, repeated and blank rows, and a short totals row, each stay where they are."""
    loaded = load(DATA / name)
    assert cells(DATA / name) == rows
    assert loaded.total == ControlTotal(name, *total)


def test_thousands_of_uneven_rows_keep_their_places(tmp_path: Path) -> None:
    """A file whose every other row lost its trailing empty field reads row for row."""
    lines = [
        f"INV-{index},{index}.00,2026-10-03,Cash" + (",paid" if index % 2 else "")
        for index in range(30_000)
    ]
    path = tmp_path / "uneven.csv"
    path.write_text("Invoice,Amount,Payment Date,Method,Notes\n" + "\n".join(lines) + "\n")
    assert cells(path) == [
        (
            index + 2,
            (f"INV-{index}", f"{index}.00", "2026-10-03", "Cash", "paid" if index % 2 else ""),
        )
        for index in range(30_000)
    ]


@pytest.mark.parametrize(
    ("name", "given", "delimiter"),
    [("pipe.csv", "PIPE", "|"), ("pipe.csv", "pipe", "|"), ("unicode-text.txt", "TAB", "\t")],
)
def test_delimiter_names_are_taken_in_any_case(name: str, given: str, delimiter: str) -> None:
    """--delimiter TAB and PIPE, as --help writes them, work as tab and pipe do."""
    assert load(DATA / name, delimiter=given).delimiter == delimiter


def test_a_decimal_mark_that_is_neither_is_one_line() -> None:
    """--decimal x is refused in one line naming the two marks, like --date-format x."""
    result = CliRunner().invoke(cli, ["validate", str(DATA / "pipe.csv"), "--decimal", "x"])
    assert (result.exit_code, result.output) == (
        2,
        'Error: --decimal \'x\': use --decimal "." or --decimal ",".\n',
    )


def test_a_folder_given_as_the_file_is_one_line(tmp_path: Path) -> None:
    """A folder where the payments file should be is refused in one line, exit 2."""
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert (result.exit_code, result.output) == (2, f"Error: {tmp_path}: is not a file.\n")
