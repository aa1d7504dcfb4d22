"""Where the payments lie: the header under title lines, blank rows and columns, totals rows."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE, load_template
from importer.check.totals import control_total_note
from importer.cli import cli
from importer.read.files import load
from importer.read.layout import ControlTotal, SourceRow
from tests.conftest import DATA

TODAY = date(2026, 11, 24)


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


def test_two_cell_account_lines_above_the_header_are_not_the_header() -> None:
    """A bank's "Account Name: | ACME Trading" lines are title lines; the wider header wins."""
    loaded = load(DATA / "bank-account-lines.csv")
    assert (loaded.header_row, loaded.columns) == (
        5,
        ("Invoice", "Amount", "Payment Date", "Method"),
    )
    assert [(row.number, row.cells) for row in loaded.rows] == [
        (6, ("INV-1", "10.00", "2026-10-03", "Cash"))
    ]


def test_a_last_payment_whose_note_says_total_stays_a_payment() -> None:
    """Only a narrow row is a totals row: a full payment row noting "Total due" is kept."""
    loaded = load(DATA / "last-row-says-total.csv")
    assert loaded.total is None
    assert [row.number for row in loaded.rows] == [2, 3]


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
