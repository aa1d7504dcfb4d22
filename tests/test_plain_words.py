"""Everything a person reads says what happened in words: no code from the CSV contract
(``not_sent``, ``partially_paid``, ``bank_transfer``, ``cp1252``) in any message, on the
terminal, in the results workbook or in ``importer runs``."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import DEFAULT_TOKEN, Fault, RequestSummary, RunningSandbox, running_sandbox
from importer.status import PaymentState, RowStatus
from importer.words import METHOD_WORDS, ROW_STATUS_WORDS
from tests.bulk import bulk_seed, write_bulk
from tests.conftest import TODAY
from tests.test_recovery import left_unknown, run_again

# Every row status but the unknown and failed ones, and a file read as Windows-1252 text.
MIXED = (
    "Invoice,Amount,Payment Date,Method,Cheque No.,Reference,Notes\n"
    "INV-1001,480.00,2026-10-03,Bank transfer,,TRF-1,Café\n"  # recorded, then already recorded
    "INV-1004,100.00,2026-10-05,Cash,,,\n"  # recorded: the invoice is then partly paid
    "INV-1029,100.00,2026-10-05,Cheque,,,\n"  # a cheque without its number: invalid
    "INV-1030,100.00,2026-10-05,Cash,,,\n"  # a void invoice: refused
    "INV-1010,,,,,,\n"  # an invoice and no payment
)
# The codes of the contract: row statuses, journal states, invoice statuses, methods,
# encodings and problem kinds, such as scripts read them.
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
CODES = re.compile(
    r"\b(?:cp\d{3,4}|iso8859\S*|latin_1|mac_roman|utf_8|invoice\.[a-z]+|amount\.[a-z_]+)\b"
)


def code_words(text: str) -> list[str]:
    """The codes found in ``text``, past its paths (a test's folder has underscores)."""
    text = re.sub(r"(?:/[^\s/]+)+", "", text)
    return SNAKE.findall(text) + CODES.findall(text)


def invoke(*arguments: str) -> str:
    """Run the command line; what it printed, errors included."""
    return CliRunner().invoke(cli, list(arguments), obj=TODAY).output


def results_text(path: Path) -> list[str]:
    """What a person reads in a results file: its messages (CSV); every cell we wrote (XLSX)."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return [row["message"] for row in csv.DictReader(stream)]
    book = openpyxl.load_workbook(path)
    results = book["Results"]
    width = len(next(results.iter_rows(values_only=True))) - 8
    read = [
        str(value)
        for row in results.iter_rows(values_only=True)
        for value in row[width:]
        if value is not None
    ]
    read += [
        str(value)
        for row in book["Summary"].iter_rows(values_only=True)
        for value in row
        if isinstance(value, str) and not value.startswith("/")
    ]
    return read


def test_the_words_tables_name_every_status_and_method() -> None:
    """Each row status and method has its people's word: a new one is a line in words.py."""
    assert set(ROW_STATUS_WORDS) == set(RowStatus)
    assert set(METHOD_WORDS) == {"cash", "card", "cheque", "bank_transfer", "other"}
    assert [word for word in ROW_STATUS_WORDS.values() if code_words(word)] == []


def test_no_message_of_a_run_of_every_status_carries_a_code(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Runs that leave rows recorded, already recorded, ready, without a payment, invalid,
    refused and not sent, then ``runs`` and ``runs show``: not one code in what they say."""
    (env / "mixed.csv").write_bytes(MIXED.encode("cp1252"))
    (env / "mixed.xlsx").write_bytes(b"")
    read: list[str] = []
    for arguments in (
        ("run", "mixed.csv", "--dry-run"),
        ("run", "mixed.csv", "--yes", "--skip-invalid", "--canary", "1"),
        ("run", "mixed.csv", "--yes", "--skip-invalid"),  # already recorded
        ("run", "mixed.csv", "--yes"),  # held back: not sent
        ("run", "mixed.csv", "--yes", "--results", "mixed.xlsx", "--expect-total", "1"),
        ("runs",),
        ("runs", "show", "1"),
        ("runs", "show", "2"),
    ):
        read.append(invoke(*arguments))
    for name in ("mixed.dry-run.csv", "mixed.results.csv", "mixed.results-2.csv",
                 "mixed.results-3.csv"):  # fmt: skip
        read += results_text(env / name)
    read += results_text(env / "mixed-2.xlsx")
    said = "\n".join(read)
    words = ("Recorded", "Already recorded", "Would be recorded", "No payment", "Invalid",
             "Refused", "Not sent", "Partly paid", "Bank transfer", "Windows-1252")  # fmt: skip
    for word in words:
        assert word.lower() in said.lower(), word
    assert code_words(said) == []


def test_no_message_of_a_failed_or_unconfirmed_payment_carries_a_code(tmp_path: Path) -> None:
    """A payment the API kept failing, and one left in doubt by a crash, are told in words
    (and the API's own words end in a full stop before ours go on)."""
    payments, seed = write_bulk(tmp_path, rows=4)
    journal = tmp_path / "journal.sqlite3"

    def failing(request: RequestSummary) -> Fault | None:
        return Fault.error() if request.method == "POST" else None

    with running_sandbox(seed, rate_limit="off", faults=failing) as running:
        code, failed = run_again(running, payments, journal, "--lost-answer-wait", "0")
    assert code == 1, failed
    read = [failed, *results_text(tmp_path / "bulk-4.results.csv")]
    assert (
        "Rows 2-5 (4 rows): Failed: Not recorded after 5 attempts: The API answered 500: "
        "Internal server error. Run again later.\n4 rows: 4 failed.\n"
    ) in failed
    (tmp_path / "second").mkdir()
    second, _ = write_bulk(tmp_path / "second", rows=4)
    with running_sandbox(bulk_seed(2), rate_limit="off") as running:
        left_unknown(running, second, tmp_path / "second.sqlite3")
        code, unknown = run_again(running, second, tmp_path / "second.sqlite3")
        shown = CliRunner().invoke(
            cli, ["runs", "show", "1", "--journal", str(tmp_path / "second.sqlite3")]
        )
    read += [unknown, shown.output, *results_text(tmp_path / "second" / "bulk-4.results-2.csv")]
    said = "\n".join(read)
    assert "Not confirmed" in said
    assert code_words(said) == []


def test_journal_states_and_amounts_are_in_words() -> None:
    """Where a payment stands in the journal has a word too, and amounts carry thousands."""
    from importer.words import amount_text, counted, payment_state_word, plural

    assert [payment_state_word(state) for state in PaymentState] == [
        "Being sent", "Recorded", "Not confirmed", "Refused", "Failed", "Not sent",
    ]  # fmt: skip
    assert (plural(1, "row"), plural(2, "row"), plural(0, "run")) == ("1 row", "2 rows", "0 runs")
    assert amount_text(Decimal("18574"), "USD") == "18,574.00"
    assert amount_text(Decimal("18574"), "JPY") == "18,574"
    assert counted(0, Decimal(0)) == "none"
    assert counted(1, Decimal("10.5"), noun="payment") == "1 payment for 10.50"
    assert DEFAULT_TOKEN not in counted(2, Decimal(1))
