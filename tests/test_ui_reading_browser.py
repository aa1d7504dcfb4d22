"""The Columns step's reading options in a real browser (headless Chromium) against the
sandbox: a file only an option reads right is refused naming the control, read by choosing
it, checked and recorded with the right dates and amounts."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from importer.sandbox import RunningSandbox
from importer.ui import Address
from tests.conftest import DATA
from tests.test_ui_browser import read_file, served
from tests.test_ui_reading import EURO_NOTES_RECORDED, recorded

READING = DATA / "reading"


@pytest.fixture
def address(sandbox: RunningSandbox) -> Iterator[Address]:
    yield from served(sandbox)


def check_and_record(page: Page, payments: int, total: str) -> None:
    page.get_by_role("link", name="Next: the rows").click()
    page.get_by_role("button", name="Check against HighLevel").click()
    page.get_by_role("link", name=f"Record {payments} payments for {total}").click()
    page.get_by_role("button", name="Record payments", exact=True).click()
    expect(page.get_by_text(f"{payments} rows: {payments} recorded.")).to_be_visible()


def test_dates_that_could_be_either_way_are_read_by_choosing_day_first(
    page: Page, address: Address, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Refused naming the Dates control and its choices; Day first reads 03/10/2026 as 3
    October; the three payments are recorded on the days the file means."""
    page.goto(address.with_key)
    read_file(page, Path(shutil.copy(READING / "day-first-dates.csv", tmp_path)))
    expect(page.get_by_role("alert")).to_have_text(
        "Column \"Payment Date\": no date in it has a day above 12, so row 2's '03/10/2026' "
        'could be day/month or month/day. Choose "Day first (31/12/2026)" or "Month first '
        '(12/31/2026)" as the Dates on the Columns step and press Read again.'
    )
    dates = page.get_by_label("Dates")
    expect(dates.locator("option:checked")).to_have_text(
        "Found from the file: cannot tell; choose one"
    )
    dates.select_option(label="Day first (31/12/2026)")
    page.get_by_role("button", name="Read again").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("Dates").locator("option:checked")).to_have_text(
        "Day first (31/12/2026)"
    )
    check_and_record(page, 3, "USD 350.00")
    assert recorded(sandbox) == [
        ("1001", "100", "2026-10-03", "Cash payment (row 2 of day-first-dates.csv)"),
        ("1002", "200", "2026-11-05", "Cash payment (row 3 of day-first-dates.csv)"),
        ("1004", "50", "2026-11-09", "Cash payment (row 4 of day-first-dates.csv)"),
    ]


def test_amounts_whose_decimal_mark_nothing_settles_are_read_by_choosing_the_comma(
    page: Page, address: Address, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """'1.200' and '1.000': refused naming the Decimal mark control; the comma reads them as
    thousands, recorded so."""
    page.goto(address.with_key)
    read_file(page, Path(shutil.copy(READING / "decimal-comma.csv", tmp_path)))
    expect(page.get_by_role("alert")).to_have_text(
        'Column "Amount": nothing in it says whether row 2\'s \'1.200\' has "," or "." as '
        'the decimal mark. Choose "1,234.56 (point)" or "1.234,56 (comma)" as the Decimal mark '
        "on the Columns step and press Read again."
    )
    expect(page.get_by_label("Column separator").locator("option:checked")).to_have_text(
        "Found from the file: Semicolon (;)"
    )
    page.get_by_label("Decimal mark").select_option(label="1.234,56 (comma)")
    page.get_by_role("button", name="Read again").click()
    check_and_record(page, 2, "USD 2,200.00")
    assert recorded(sandbox) == [
        ("1001", "1200", "2026-10-03", "Cash payment (row 2 of decimal-comma.csv)"),
        ("1008", "1000", "2026-10-04", "Cash payment (row 3 of decimal-comma.csv)"),
    ]


def test_windows_text_with_euro_signs_is_recorded_as_written(
    page: Page, address: Address, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A cp1252 file: its encoding named in words as found; the euro signs, dashes and
    accents of its notes reach HighLevel as written."""
    page.goto(address.with_key)
    read_file(page, Path(shutil.copy(READING / "cp1252-euro-names.csv", tmp_path)))
    expect(page.get_by_label("Encoding").locator("option:checked")).to_have_text(
        "Found from the file: Windows (Western European)"
    )
    expect(page.get_by_text(re.compile(r"^Read as Western European"))).to_have_text(
        "Read as Western European (Windows-1252) text: if accents look wrong in the results, "
        "choose another Encoding on the Columns step and press Read again."
    )
    check_and_record(page, 2, "USD 805.40")
    assert recorded(sandbox) == EURO_NOTES_RECORDED
