"""A cell holding a control character (\\x01, \\x0b...) is written safely in every XLSX the
importer writes, and reads back as it was: before, the problems report, the results file
(after the payments were recorded) and the pre-filled workbook stopped with openpyxl's
IllegalCharacterError. Such a character is written as Excel writes it, _x0001_, which Excel
shows as the character and calamine reads back exactly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import python_calamine
from click.testing import CliRunner

from importer.cli import cli
from importer.output.spreadsheets import xlsx_text
from importer.sandbox import RunningSandbox
from tests.conftest import TODAY
from tests.make_hostile import CONTROL_NOTES, CONTROL_REFERENCES, HOSTILE


def sheet_of(path: Path, name: str) -> list[list[Any]]:
    """A sheet's cells as calamine reads them, as the importer reads a file."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(name).to_python()


def test_xlsx_text_escapes_what_xml_cannot_carry_and_nothing_else() -> None:
    """Control characters become _xHHHH_; an escape typed as text keeps its underscore;
    tabs, line ends and every other character stay as they are."""
    assert xlsx_text("a\x01b\x0bc\x1f\x00") == "a_x0001_b_x000B_c_x001F__x0000_"
    assert xlsx_text("TRF-_x0041_ and _x00e9_") == "TRF-_x005F_x0041_ and _x005F_x00e9_"
    assert xlsx_text("tab\there\r\nline é € \ufffe _x41_ _xZZZZ_") == (
        "tab\there\r\nline é € \ufffe _x41_ _xZZZZ_"
    )


def test_a_run_writes_its_results_and_a_rerun_of_them_recognises_every_payment(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Payments whose reference holds a control character are recorded, the results file is
    written, its cells read back as the file's did, and running it again skips them all."""
    payments = env / "control-characters.xlsx"
    shutil.copy(HOSTILE / "control-characters.xlsx", payments)
    first = CliRunner().invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
    assert first.exception is None or isinstance(first.exception, SystemExit), first.output
    assert first.exit_code == 0, first.output
    assert "3 rows: 3 recorded." in first.output
    results = env / "control-characters.results.xlsx"
    rows = sheet_of(results, "Results")
    assert [(row[4], row[5], row[7]) for row in rows[1:]] == [
        (reference, notes, "Recorded")
        for reference, notes in zip(CONTROL_REFERENCES, CONTROL_NOTES, strict=True)
    ]
    recorded = sandbox.sandbox.transactions()
    again = CliRunner().invoke(cli, ["run", str(results), "--yes"], obj=TODAY)
    assert again.exit_code == 0, again.output
    assert "3 rows: 3 already recorded." in again.output
    assert sandbox.sandbox.transactions() == recorded
    assert len(recorded) == 3


def test_the_problems_report_holds_the_cells_as_they_are(tmp_path: Path) -> None:
    """validate --report x.xlsx writes rows whose cells hold control characters."""
    payments = tmp_path / "payments.csv"
    payments.write_text(
        "Invoice,Amount,Payment Date,Method,Notes\n"
        "INV-1001,12\x01.00,2026-10-03,Cash,ok\n"
        "INV-1002,10.00,2026-10\x02-03,Cash,x\n",
        encoding="utf-8",
    )
    report = tmp_path / "problems.xlsx"
    result = CliRunner().invoke(
        cli, ["validate", str(payments), "--report", str(report)], obj=TODAY
    )
    assert result.exit_code == 1, result.output
    assert [row[1:5] for row in sheet_of(report, "Problems")[1:]] == [
        [2.0, "Amount", "amount.not_a_number", "12\x01.00"],
        [3.0, "Payment Date", "date.unreadable", "2026-10\x02-03"],
    ]


def test_a_prefilled_workbook_holds_the_invoices_clients_as_they_are(
    tmp_path: Path, seed: dict[str, Any]
) -> None:
    """template new --open-invoices writes a client whose name holds a control character."""
    seed["invoices"][0]["contactDetails"]["name"] = "Acme\x01Dental _x0041_"
    seed_path = tmp_path / "seed.json"
    seed_path.write_text(json.dumps(seed))
    target = tmp_path / "open.xlsx"
    result = CliRunner().invoke(
        cli,
        ["template", "new", "default", "--open-invoices", "--sandbox", "--sandbox-seed",
         str(seed_path), "-o", str(target)],
        obj=TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    cells = [cell for row in sheet_of(target, "Payments") for cell in row]
    assert "Acme\x01Dental _x0041_" in cells
