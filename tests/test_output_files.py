"""Every file a run or a command writes: put in place whole, and readable as any file saved."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from importer.check.problems import RowProblem
from importer.check.template_files import load_template
from importer.output.files import write_atomically
from importer.output.problems import write_report
from importer.output.results import RowResult, write_results
from importer.output.summary import summarise, write_summary_json
from importer.output.workbook import write_blank_workbook
from importer.read.layout import PaymentsFile, SourceRow
from importer.status import RowStatus

COLUMNS = ("Invoice", "Amount")
SOURCE = PaymentsFile(
    Path("in.csv"), "csv", "Sheet1", COLUMNS, [SourceRow("Sheet1", 2, ("1001", "10.50"))]
)
RESULTS = [RowResult(SOURCE.rows[0], RowStatus.RECORDED, amount=Decimal("10.50"), currency="USD")]
PROBLEMS = [RowProblem("in.csv", 2, "Amount", "amount.not_a_number", "x", "Not a number.")]
# Each kind of file the output room writes, by how it is named.
WRITERS: dict[str, Callable[[Path], None]] = {
    "in.results.csv": lambda path: write_results(path, SOURCE, RESULTS),
    "in.results.xlsx": lambda path: write_results(path, SOURCE, RESULTS),
    "summary.json": lambda path: write_summary_json(path, summarise(RESULTS, requests=1)),
    "problems.csv": lambda path: write_report(path, PROBLEMS),
    "problems.xlsx": lambda path: write_report(path, PROBLEMS),
    "blank.xlsx": lambda path: write_blank_workbook(load_template("default"), path),
}


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The umask most systems set, whatever the one the tests run under."""
    umask = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(umask)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_every_new_file_is_created_as_any_file_under_the_umask(tmp_path: Path) -> None:
    """Results, summary, problems report and blank workbook alike: 0666 less the umask."""
    for name, write in WRITERS.items():
        write(tmp_path / name)
    assert {name: mode(tmp_path / name) for name in WRITERS} == dict.fromkeys(WRITERS, 0o644)


@pytest.mark.usefixtures("umask_022")
def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    """A file written over keeps the mode its owner gave it (0640 here), whichever the kind."""
    for name in WRITERS:
        (tmp_path / name).write_text("old")
        (tmp_path / name).chmod(0o640)
    for name, write in WRITERS.items():
        write(tmp_path / name)
    assert {name: mode(tmp_path / name) for name in WRITERS} == dict.fromkeys(WRITERS, 0o640)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(WRITERS)


def test_a_write_that_fails_leaves_the_old_file_and_nothing_beside_it(tmp_path: Path) -> None:
    """A crash halfway through writing: the old file is whole, and no temporary file is left."""
    target = tmp_path / "deposit.results.csv"
    target.write_text("old results")

    def crash_halfway(path: Path) -> None:
        path.write_text("new res")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, crash_halfway)
    assert [(path.name, path.read_text()) for path in tmp_path.iterdir()] == [
        ("deposit.results.csv", "old results")
    ]
