"""Bank statements end to end: importer match, a person's confirmations, importer run, over
real HTTP to a sandbox seeded with the corpus invoices (tests/data/statements/README.md)."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.preflight import OPEN_STATUSES, PAGE_SIZE
from importer.sandbox import RunningSandbox
from tests.conftest import DATA, ROOT, past_where

PROBLEMS = DATA / "statement-problems"

STATEMENTS = DATA / "statements"
EXPECTED: dict[str, Any] = json.loads((STATEMENTS / "expected.json").read_text())
# The day the statements' outcomes hold on (their newest line is 2026-11-28).
DAY = date.fromisoformat(EXPECTED["today"])
NATIONWIDE = "nationwide-business-current.csv"
BBVA = "bbva-movimientos.xlsx"
FILES = {entry["file"]: entry for entry in EXPECTED["files"]}


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), obj=DAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, past_where(result.output)


@pytest.fixture
def seed() -> dict[str, Any]:
    """The corpus invoices, for the sandbox and the settings of tests/conftest.py."""
    loaded: dict[str, Any] = json.loads((DATA / "corpus-sandbox-invoices.json").read_text())
    return loaded


@pytest.fixture
def corpus(sandbox: RunningSandbox, env: Path) -> RunningSandbox:
    """A sandbox of the corpus invoices, the settings pointing at it, in tmp_path."""
    return sandbox


def statement(name: str, folder: Path) -> Path:
    shutil.copy(STATEMENTS / name, folder / name)
    return folder / name


def proposal_rows(path: Path) -> list[dict[str, str]]:
    """The proposals workbook's rows, by header, as text."""
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    return [
        {
            str(header): "" if value is None else str(value)
            for header, value in zip(rows[0], row, strict=True)
        }
        for row in rows[1:]
    ]


def expected_cells(entry: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each line's (Match, Invoice, Accept) as expected.json says."""
    return [
        (row["match"], "; ".join(row.get("invoice", [])), row.get("accept", ""))
        for row in entry["rows"]
    ]


@pytest.mark.parametrize("name", [NATIONWIDE, BBVA])
def test_each_line_gets_the_proposal_the_corpus_expects(
    corpus: RunningSandbox, tmp_path: Path, name: str
) -> None:
    """importer match writes every line with its Match, Invoice and Accept as expected.json
    says, several lines name their candidates in Why, and the open invoices are listed once."""
    code, output = invoke("match", str(statement(name, tmp_path)))
    assert code == 0, output
    proposals = tmp_path / name.replace(Path(name).suffix, ".matches.xlsx")
    rows = proposal_rows(proposals)
    entry = FILES[name]
    assert [(r["Match"], r["Invoice"], r["Accept"]) for r in rows] == expected_cells(entry)
    for row, expected in zip(rows, entry["rows"], strict=True):
        for candidate in expected.get("candidates", []):
            assert f"INV-{candidate}" in row["Why"], row
    assert corpus.sandbox.requests_by_route == Counter(
        {("GET", "/invoices/"): pages_listing_open_invoices()}
    )
    assert corpus.sandbox.transactions() == []


def pages_listing_open_invoices() -> int:
    """The requests that list the corpus's open invoices once: each open status page by page,
    to the first page that is not full."""
    seed = json.loads((DATA / "corpus-sandbox-invoices.json").read_text())["invoices"]
    statuses = Counter(invoice.get("status", "sent") for invoice in seed)
    return sum(statuses[status] // PAGE_SIZE + 1 for status in OPEN_STATUSES)


def test_match_prints_how_many_of_each_and_the_money_in_each(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """The summary counts the lines of each kind, with their money, and says what to run."""
    statement(NATIONWIDE, tmp_path)
    code, output = invoke("match", NATIONWIDE)
    assert code == 0
    assert output.splitlines()[1:] == [
        "19 lines: 13 of money received, 6 not payments (paid out, fees, balances).",
        "  sure: 4 lines, GBP 3,630.50.",
        "  likely: 4 lines, GBP 7,275.30.",
        "  several: 1 line, GBP 500.00.",
        "  none: 4 lines, GBP 2,395.00.",
        "Open invoices: 142 (3 requests to list them).",
        "Proposals: nationwide-business-current.matches.xlsx",
        "Check each line's Invoice and Accept (yes is filled in for sure lines only), then "
        "record the accepted lines with: importer run nationwide-business-current.matches.xlsx",
    ]


def accept(path: Path, choose: dict[int, str] | None = None, *, likely: bool = True) -> None:
    """A person's confirmations: yes on each likely line, and on the lines given an invoice."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    invoice_at, match_at, accept_at = (
        header.index("Invoice"), header.index("Match"), header.index("Accept")
    )  # fmt: skip
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        if likely and row[match_at].value == "likely":
            row[accept_at].value = "yes"
        if choose and number in choose:
            row[invoice_at].value = choose[number]
            row[accept_at].value = "Yes"
    book.save(path)


def recorded(corpus: RunningSandbox) -> list[tuple[str, str, str, str]]:
    """Each payment in the sandbox: its invoice's number, amount, date and method."""
    numbers = {inv["_id"]: inv["invoiceNumber"] for inv in corpus.sandbox.invoices()}
    return sorted(
        (
            numbers[t["entityId"]],
            f"{t['amount']:.2f}",
            t["fulfilledAt"][:10],
            t["paymentMethod"]["mode"],
        )
        for t in corpus.sandbox.transactions()
    )


# What each corpus invoice owes: a line for several invoices pays each of them that.
OWED = {
    invoice["invoiceNumber"]: Decimal(str(invoice["total"]))
    - Decimal(str(invoice.get("amountPaid") or 0))
    for invoice in json.loads((DATA / "corpus-sandbox-invoices.json").read_text())["invoices"]
}


def expected_payments(entry: dict[str, Any], *, kinds: set[str]) -> list[tuple[str, str, str, str]]:
    """The payments the lines of these kinds record: one per invoice they name."""
    return sorted(
        (
            number,
            row["amount"] if len(row["invoice"]) == 1 else f"{OWED[number]:.2f}",
            row["payment_date"],
            row["method"],
        )
        for row in entry["rows"]
        if row["match"] in kinds
        for number in row["invoice"]
    )


@pytest.mark.parametrize("name", [NATIONWIDE, BBVA])
def test_the_accepted_lines_are_recorded_one_payment_each(
    corpus: RunningSandbox, tmp_path: Path, name: str
) -> None:
    """Sure and likely lines accepted, and one of several chosen: each is one payment on its
    invoice, dated as the statement, a bank transfer; the rest are not sent or not payments."""
    code, _output = invoke("match", str(statement(name, tmp_path)))
    assert code == 0
    proposals = tmp_path / f"{Path(name).stem}.matches.xlsx"
    entry = FILES[name]
    several = next(row for row in entry["rows"] if row["match"] == "several")
    # The proposals file's rows follow the statement's lines, from its row 2.
    chosen_row = entry["rows"].index(several) + 2
    accept(proposals, {chosen_row: several["candidates"][0]})
    code, output = invoke("run", str(proposals), "--yes")
    assert code == 1, output  # the lines left unaccepted are not recorded
    chosen = (
        several["candidates"][0], several["amount"], several["payment_date"], several["method"]
    )  # fmt: skip
    assert recorded(corpus) == sorted([*expected_payments(entry, kinds={"sure", "likely"}), chosen])

    def status(row: dict[str, Any]) -> str:
        if row["match"] == "not a payment":
            return "Not a payment"
        if row["invoice"] or row is several:
            return "Recorded"  # a split too, one payment per invoice
        return "Not sent"  # none

    statuses = [row["Status"] for row in read_results(tmp_path, name)]
    assert statuses == [status(row) for row in entry["rows"]]


def read_results(folder: Path, name: str) -> list[dict[str, str]]:
    sheet = openpyxl.load_workbook(folder / f"{Path(name).stem}.matches.results.xlsx")["Results"]
    rows = list(sheet.iter_rows(values_only=True))
    return [
        {str(h): "" if v is None else str(v) for h, v in zip(rows[0], row, strict=True)}
        for row in rows[1:]
    ]


def test_a_split_accepted_is_recorded_one_payment_per_invoice(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """The sure split, pre-accepted, is one payment of two parts: each invoice paid what it
    owes, each part noted as part of the line's payment, the row's results naming both."""
    invoke("match", str(statement(NATIONWIDE, tmp_path)))
    code, _output = invoke(
        "run", str(tmp_path / "nationwide-business-current.matches.xlsx"), "--yes"
    )
    assert code == 1  # the lines not accepted
    split = read_results(tmp_path, NATIONWIDE)[8]
    assert (split["Invoice"], split["Status"], split["Message"], split["Import invoice"]) == (
        "2017; 2018",
        "Recorded",
        "INV-2017, 640.00: recorded (invoice paid, 0.00 due); INV-2018, 385.50: recorded "
        "(invoice paid, 0.00 due).",
        "INV-2017; INV-2018",
    )
    parts = [t for t in corpus.sandbox.transactions() if t["fulfilledAt"][:10] == "2026-10-28"]
    assert sorted((t["amount"], t["notes"]) for t in parts) == [
        (385.5, "Bank transfer, 2 of 2 invoices: 2017, 2018. Bank statement: Bank credit BRAMLEY "
         "& SONS INV 2017 + 2018 (row 10 of nationwide-business-current.matches.xlsx)"),
        (640, "Bank transfer, 1 of 2 invoices: 2017, 2018. Bank statement: Bank credit BRAMLEY "
         "& SONS INV 2017 + 2018 (row 10 of nationwide-business-current.matches.xlsx)"),
    ]  # fmt: skip


def test_run_on_the_statement_records_the_sure_lines_and_never_twice(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """run STATEMENT --accept sure records the sure lines and writes the proposals beside the
    results; the proposals confirmed later record the rest, the sure ones skipped."""
    statement(NATIONWIDE, tmp_path)
    code, output = invoke("run", NATIONWIDE, "--accept", "sure", "--yes")
    assert code == 1, output
    assert (
        "Proposals: nationwide-business-current.matches.xlsx. The sure lines are recorded now; "
        "to record others, write yes in their Accept there (and the invoice, where there is "
        "none), then run importer run nationwide-business-current.matches.xlsx."
    ) in output
    assert "19 rows: 4 recorded, 9 not sent, 6 not a payment." in output
    entry = FILES[NATIONWIDE]
    assert recorded(corpus) == expected_payments(entry, kinds={"sure"})
    results = read_csv_results(tmp_path / "nationwide-business-current.results.csv")
    assert [(r["row"], r["Match"], r["status"]) for r in results] == [
        (str(row["row"]), row["match"], _sure_status(row)) for row in entry["rows"]
    ]
    proposals = tmp_path / "nationwide-business-current.matches.xlsx"
    accept(proposals)
    code, output = invoke("run", str(proposals), "--yes")
    assert "19 rows: 4 recorded, 4 already recorded, 5 not sent, 6 not a payment." in output
    assert recorded(corpus) == expected_payments(entry, kinds={"sure", "likely"})


def _sure_status(row: dict[str, Any]) -> str:
    if row["match"] == "not a payment":
        return "not_a_payment"
    return "recorded" if row["match"] == "sure" else "not_sent"


def read_csv_results(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_an_invoice_edited_to_one_unknown_or_owing_less_is_refused_alone(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """Invoice typed as a number no invoice has, or as one owing less than the line: each
    is rejected with its row and why, nothing of it sent; the other accepted lines go."""
    statement(NATIONWIDE, tmp_path)
    invoke("match", NATIONWIDE)
    proposals = tmp_path / "nationwide-business-current.matches.xlsx"
    # Row 8 of the proposals is Meridian's 2,216.90 (likely 2015); row 19 J Smith's 75.00.
    accept(proposals, {8: "2019", 19: "INV-9999"}, likely=False)
    code, _output = invoke("run", str(proposals), "--yes")
    assert code == 1
    results = read_results(tmp_path, NATIONWIDE)
    assert [(r["Row"], r["Status"]) for r in results] == [
        (str(row), status)
        for row, status in enumerate(
            ["Not a payment", "Recorded", "Not a payment", "Recorded", "Recorded",
             "Not a payment", "Refused", "Not sent", "Recorded", "Not a payment", "Not sent",
             "Not sent", "Not sent", "Not a payment", "Not sent", "Not sent", "Not sent",
             "Refused", "Not a payment"],
            start=2,
        )
    ]  # fmt: skip
    assert (results[6]["Message"], results[17]["Message"]) == (
        "The amount 2,216.90 is more than the 410.00 still due on the invoice (after earlier "
        "rows of this file).",
        "No invoice with number 9999 in this location.",
    )
    assert recorded(corpus) == expected_payments(FILES[NATIONWIDE], kinds={"sure"})


def test_a_statement_with_no_money_received_column_stops_match(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """No paid-in or amount column: one line naming the columns, exit 2, nothing listed."""
    shutil.copy(PROBLEMS / "no-money-in.csv", tmp_path)
    code, output = invoke("match", "no-money-in.csv")
    assert (code, output) == (
        2,
        "Error: The file's columns are: 'Date', 'Description', 'Paid out', 'Balance'. No "
        "column gives the money received (expected a header such as 'Paid in', 'Credit' or "
        "'Money in', or one amount column such as 'Amount' or 'Importe' where money received "
        "is above zero). Nothing was sent.\n",
    )
    assert corpus.sandbox.requests_by_route == Counter()
    assert not (tmp_path / "no-money-in.matches.xlsx").exists()


def test_a_line_whose_amount_is_not_a_number_is_named_and_never_sent(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """match lists the line's row, column and why (exit 1) and writes it as invalid; run
    holds the file back for it, and with --skip-invalid records the others, never it."""
    shutil.copy(PROBLEMS / "amount-not-a-number.csv", tmp_path)
    code, output = invoke("match", "amount-not-a-number.csv")
    assert code == 1
    assert output.splitlines()[:3] == [
        "Row  Column   Value       Problem",
        "  3  Paid in  £1,2O0.00   '£1,2O0.00' is not an amount. Write the amount in digits, "
        "such as 1250.00.",
        "  5  Date     31/09/2026  '31/09/2026' is not a real date (day is out of range for "
        "month). Write it as YYYY-MM-DD.",
    ]
    proposals = tmp_path / "amount-not-a-number.matches.xlsx"
    rows = proposal_rows(proposals)
    assert [(r["Match"], r["Accept"]) for r in rows] == [
        ("sure", "yes"),
        ("invalid", ""),
        ("sure", "yes"),
        ("invalid", ""),
    ]
    assert rows[1]["Why"] == (
        "Column \"Paid in\": '£1,2O0.00' is not an amount. Write the amount in digits, such "
        "as 1250.00."
    )
    accept(proposals, {3: "2012"}, likely=False)
    code, output = invoke("run", str(proposals), "--yes")
    assert code == 1
    assert "Nothing was recorded: 2 rows are invalid." in output
    assert corpus.sandbox.transactions() == []
    code, output = invoke("run", str(proposals), "--yes", "--skip-invalid")
    assert "4 rows: 2 recorded, 2 invalid." in output
    assert recorded(corpus) == [
        ("2011", "845.00", "2026-10-02", "bank_transfer"),
        ("2013", "500.00", "2026-09-30", "bank_transfer"),
    ]


def test_a_statement_run_as_a_payments_file_is_told_what_to_do(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """Without --accept, a statement is refused as before, and told about match and --accept."""
    statement(NATIONWIDE, tmp_path)
    code, output = invoke("run", NATIONWIDE, "--yes")
    assert code == 2
    assert output.endswith(
        "Nothing was sent. This looks like a bank statement: importer match "
        "nationwide-business-current.csv proposes the invoice each payment in it pays, for "
        "you to confirm; importer run nationwide-business-current.csv --accept sure records "
        "those it is sure of.\n"
    )


def test_a_proposals_file_is_never_written_over(corpus: RunningSandbox, tmp_path: Path) -> None:
    """A second match writes beside the first (which may hold confirmations); -o to a file that
    exists, to the statement, or to a spreadsheet kind not written, is refused."""
    statement(NATIONWIDE, tmp_path)
    invoke("match", NATIONWIDE)
    first = (tmp_path / "nationwide-business-current.matches.xlsx").read_bytes()
    code, output = invoke("match", NATIONWIDE)
    assert code == 0
    assert "Proposals: nationwide-business-current.matches-2.xlsx" in output
    assert (tmp_path / "nationwide-business-current.matches.xlsx").read_bytes() == first
    refusals = [
        invoke("match", NATIONWIDE, "-o", name)
        for name in ("nationwide-business-current.matches.xlsx", NATIONWIDE, "p.ods")
    ]
    assert refusals == [
        (2, "Error: -o nationwide-business-current.matches.xlsx: there is already a file of "
            "that name, and it may hold confirmations typed by hand; it is left as it is. "
            "Choose another name, or leave -o out.\n"),
        (2, "Error: -o nationwide-business-current.csv: there is already the statement itself "
            "of that name, and it may hold confirmations typed by hand; it is left as it is. "
            "Choose another name, or leave -o out.\n"),
        (2, "Error: -o p.ods: the proposals file is written as .xlsx or .csv; name it p.xlsx "
            "(or .csv).\n"),
    ]  # fmt: skip
    code, output = invoke("match", "nationwide-business-current.matches.xlsx")
    assert (code, output) == (
        2,
        "Error: nationwide-business-current.matches.xlsx: holds proposals already (its last "
        "columns are Invoice, Match, Why and Accept). To record its accepted lines: importer "
        "run nationwide-business-current.matches.xlsx\n",
    )


def test_proposals_written_as_csv_read_back_as_the_statement_was(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """A CSV proposals file quotes the debits' negative amounts against formulas; read back,
    they are debits again, and the sure lines are recorded as from the workbook."""
    statement(BBVA, tmp_path)
    code, _output = invoke("match", BBVA, "-o", "bbva.csv")
    assert code == 0
    assert "ENDESA ENERGIA SAU,Adeudo de recibo,'-187.45" in (tmp_path / "bbva.csv").read_text(
        encoding="utf-8-sig"
    )
    code, output = invoke("run", "bbva.csv", "--yes")
    assert "16 rows: 4 recorded, 5 not sent, 7 not a payment." in output
    assert recorded(corpus) == expected_payments(FILES[BBVA], kinds={"sure"})


def test_the_sample_statement_as_the_readme_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """importer match samples/statement.csv --sandbox prints what the README shows."""
    (tmp_path / "samples").mkdir()
    shutil.copy(ROOT / "samples" / "statement.csv", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    code, output = invoke("match", "samples/statement.csv", "--sandbox")
    assert code == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ .venv/bin/importer match samples/statement.csv --sandbox\n")[1]
    assert output == shown.split("```")[0]


@pytest.mark.parametrize("written", ["-1", "half", ""])
def test_a_tolerance_that_is_no_amount_is_refused(corpus: RunningSandbox, written: str) -> None:
    """--tolerance takes an amount of zero or more; anything else stops before any request."""
    code, output = invoke("match", NATIONWIDE, "--tolerance", written)
    assert (code, output) == (
        2,
        f"Error: --tolerance {written!r}: write the difference allowed as an amount, such as "
        "0.50.\n",
    )
    assert corpus.sandbox.requests_by_route == Counter()


def test_a_tolerance_lets_a_near_amount_be_likely_with_the_difference(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """--tolerance 0.50: a payer who paid 0.10 short is proposed, likely, the difference said."""
    path = tmp_path / "short.csv"
    path.write_text(
        "Date,Transaction type,Description,Paid out,Paid in,Balance\n"
        "20/10/2026,Bank credit MERIDIAN SUPPLIES,ORDER 5520147,,£2216.80,£18295.08\n",
        encoding="utf-8",
    )
    code, _output = invoke("match", "short.csv", "--tolerance", "0.50")
    assert code == 0
    [row] = proposal_rows(tmp_path / "short.matches.xlsx")
    assert (row["Match"], row["Invoice"], row["Accept"]) == ("likely", "2015", "")
    assert row["Why"].endswith(
        "Meridian Supplies Ltd looks like the payer, and INV-2015 owes 2,216.90, 0.10 more than "
        "this line."
    )


def test_a_line_recorded_is_known_again_whatever_its_words_become(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """The sure lines recorded from the statement, then their words edited in the proposals
    file (as another reading of the statement might join them): skipped, never sent twice."""
    statement(NATIONWIDE, tmp_path)
    invoke("run", NATIONWIDE, "--accept", "sure", "--yes")
    proposals = tmp_path / "nationwide-business-current.matches.xlsx"
    book = openpyxl.load_workbook(proposals)
    sheet = book.active
    assert sheet is not None
    for row in sheet.iter_rows(min_row=2):
        row[1].value = f"{row[1].value} (checked)"  # Transaction type
    book.save(proposals)
    code, output = invoke("run", str(proposals), "--yes")
    assert code == 1  # the lines not accepted
    assert "19 rows: 4 already recorded, 9 not sent, 6 not a payment." in output
    assert recorded(corpus) == expected_payments(FILES[NATIONWIDE], kinds={"sure"})


def test_the_results_of_a_proposals_file_given_back_are_its_proposals_again(
    corpus: RunningSandbox, tmp_path: Path
) -> None:
    """validate counts the lines passed over apart; the results workbook of a proposals run,
    given back, is read as the proposals it was: what was recorded is skipped."""
    statement(NATIONWIDE, tmp_path)
    invoke("match", NATIONWIDE)
    proposals = "nationwide-business-current.matches.xlsx"
    code, output = invoke("validate", proposals)
    assert (code, output.splitlines()[-1]) == (
        0,
        "19 rows checked: 4 ready, 0 with problems, 15 passed over (not accepted, or not a "
        "payment).",
    )
    invoke("run", proposals, "--yes")
    code, output = invoke("run", "nationwide-business-current.matches.results.xlsx", "--yes")
    assert "19 rows: 4 already recorded, 9 not sent, 6 not a payment." in output
    assert recorded(corpus) == expected_payments(FILES[NATIONWIDE], kinds={"sure"})
