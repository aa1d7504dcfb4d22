"""Text files: encodings, delimiters and quotes, read as Excel reads them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.cli import cli
from importer.read.files import load
from importer.read.layout import ControlTotal
from tests.conftest import DATA

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
        "Read as Western European (Windows-1252) text: if accents look wrong in the results, "
        "run again with --encoding, such as --encoding utf-8 or --encoding windows-1252.",
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
    ("name", "given", "delimiter"),
    [("pipe.csv", "PIPE", "|"), ("pipe.csv", "pipe", "|"), ("unicode-text.txt", "TAB", "\t")],
)
def test_delimiter_names_are_taken_in_any_case(name: str, given: str, delimiter: str) -> None:
    """--delimiter TAB and PIPE, as --help writes them, work as tab and pipe do."""
    assert load(DATA / name, delimiter=given).delimiter == delimiter


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


def test_blank_lines_and_a_cell_across_lines_leave_a_one_line_quote_as_excel_reads_it(
    tmp_path: Path,
) -> None:
    """Blank lines at the end and a quoted note across lines above it leave "Acme 12" pipe be."""
    path = tmp_path / "pipe.csv"
    path.write_text(
        '"Deposit\nOctober"\r\nInvoice,Amount,Payment Date,Method,Notes\r\n'
        'INV-1,10.00,2026-10-03,Cash,"Acme 12" pipe\r\n\r\n\r\n',
        encoding="utf-8",
    )
    assert cells(path) == [(3, ("INV-1", "10.00", "2026-10-03", "Cash", "Acme 12 pipe"))]


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


def test_serial_numbers_in_a_date_column_are_dates() -> None:
    """A date column of Excel serial numbers reads as the dates Excel shows."""
    validation = validate_file(load(DATA / "serial-dates.csv"), DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.paid_on) for p in validation.payments] == [
        (2, date(2026, 10, 3)),
        (3, date(2026, 10, 15)),
    ]
