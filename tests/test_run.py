"""End to end: the ``importer`` command over real HTTP to the sandbox on 127.0.0.1."""

from __future__ import annotations

import csv
import os
import shlex
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import RunningSandbox, running_sandbox
from tests.conftest import DATA, SAMPLES, TODAY, copy_sample

SECRET = "pit-1f2e3d4c-very-secret"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def read_results(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def expected_paid(sandbox: RunningSandbox) -> dict[str, Decimal]:
    """What each invoice should have been paid: the sample's rows summed by invoice id."""
    by_number = {str(inv["invoiceNumber"]): inv["_id"] for inv in sandbox.sandbox.invoices()}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    with (SAMPLES / "payments.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            ref = row["Invoice"]
            invoice_id = ref if len(ref) == 24 else by_number[ref.removeprefix("INV-")]
            totals[invoice_id] += Decimal(row["Amount"])
    return totals


def test_sample_csv_is_recorded_and_each_invoice_balance_matches(
    sandbox: RunningSandbox, env: Path
) -> None:
    """The sample CSV imports with exit 0 and every invoice's amountPaid equals its rows' sum."""
    payments = copy_sample("payments.csv", env)
    code, output = invoke("run", str(payments), "--yes")
    assert code == 0, output
    assert "33 rows: 33 recorded." in output
    results = read_results(env / "payments.results.csv")
    assert [row["status"] for row in results] == ["recorded"] * 33
    assert [int(row["row"]) for row in results] == list(range(2, 35))
    paid = {inv["_id"]: Decimal(str(inv["amountPaid"])) for inv in sandbox.sandbox.invoices()}
    for invoice_id, total in expected_paid(sandbox).items():
        assert paid[invoice_id] == total, invoice_id
    assert len(sandbox.sandbox.transactions()) == 33
    last = results[-1]
    invoice = sandbox.sandbox.invoice(last["invoice_id"])
    assert last["invoice_status"] == invoice["status"]
    assert Decimal(last["amount_due"]) == Decimal(str(invoice["amountDue"]))


def test_sample_xlsx_with_the_bundled_sandbox(tmp_path: Path) -> None:
    """--sandbox needs no token or location and writes an XLSX results file beside the input."""
    payments = copy_sample("payments.xlsx", tmp_path)
    code, output = invoke("run", str(payments), "--sandbox", "--yes")
    assert code == 0, output
    book = openpyxl.load_workbook(tmp_path / "payments.results.xlsx")
    sheet = book["Results"]
    header = [cell.value for cell in sheet[1]]
    assert header[-8:] == [
        "Row",
        "Status",
        "Message",
        "Import invoice",
        "Client",
        "Invoice status",
        "Paid on invoice",
        "Still due",
    ]
    statuses = [row[header.index("Status")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert statuses == ["Recorded"] * 33
    cheques = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True) if row[4]]
    assert any(str(c).startswith("0") for c in cheques)


def test_refusals_are_rejected_and_the_rest_recorded(sandbox: RunningSandbox, env: Path) -> None:
    """Draft, void, unknown and overpaying rows are rejected; the good row is recorded; exit 1."""
    payments = env / "refusals.csv"
    payments.write_text((DATA / "refusals.csv").read_text())
    code, output = invoke("run", str(payments), "--yes", "--skip-invalid")
    assert code == 1, output
    results = read_results(env / "refusals.results.csv")
    assert [(r["row"], r["status"]) for r in results] == [
        ("2", "rejected"),
        ("3", "rejected"),
        ("4", "rejected"),
        ("5", "recorded"),
        ("6", "rejected"),
        ("7", "invalid"),
    ]
    assert "send the invoice first" in results[0]["message"]
    assert "void" in results[1]["message"]
    assert "No invoice with number 9999" in results[2]["message"]
    assert "more than the" in results[4]["message"]
    assert len(sandbox.sandbox.transactions()) == 1


def test_dry_run_records_nothing_and_shows_balances_after(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--dry-run writes ready rows with the balance a real run would leave, and sends nothing."""
    before = sandbox.sandbox.invoices()
    payments = copy_sample("payments.csv", env)
    code, output = invoke("run", str(payments), "--dry-run")
    assert code == 0, output
    assert "Dry run: nothing was recorded." in output
    assert sandbox.sandbox.invoices() == before
    assert sandbox.sandbox.transactions() == []
    assert not (env / "payments.results.csv").exists()
    results = read_results(env / "payments.dry-run.csv")
    assert {r["status"] for r in results} == {"ready"}
    # INV-1001 paid in two instalments: both rows show it as the run would leave it.
    assert [(r["invoice_status"], r["amount_paid"], r["amount_due"]) for r in results[:2]] == [
        ("paid", "1200.00", "0.00"),
        ("paid", "1200.00", "0.00"),
    ]
    assert (
        "USD: 33 payments for 18,574.00 in the file; would be recorded: 33 for 18,574.00.\n"
        "  Bank transfer: 7 for 3,998.65; would be recorded: 7 for 3,998.65.\n"
    ) in output
    assert "Invoices that would be paid: 24; partly paid: 4.\n" in output


def test_a_dry_run_shows_every_invoice_as_the_real_run_leaves_it(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Dry and real runs give every row, ready or rejected, the same invoice status and balance."""
    payments = env / "instalments.csv"
    payments.write_text(
        "Invoice,Amount,Payment Date,Method\n"
        "INV-1003,1000.00,2026-10-05,Cash\n"
        "INV-1004,100.00,2026-10-05,Cash\n"
        "INV-1003,450.75,2026-10-06,Cash\n"
        "INV-1003,5.00,2026-10-07,Cash\n"
        "INV-1002,900.00,2026-10-07,Cash\n"
    )

    def invoice_columns(name: str) -> list[tuple[str, ...]]:
        rows = read_results(env / name)
        columns = ("status", "invoice_number", "invoice_status", "amount_paid", "amount_due")
        return [tuple(r[c] for c in columns) for r in rows]

    code, output = invoke("run", str(payments), "--dry-run")
    assert code == 1, output
    dry = invoice_columns("instalments.dry-run.csv")
    code, output = invoke("run", str(payments), "--yes")
    assert code == 1, output
    real = invoice_columns("instalments.results.csv")
    assert dry == [
        ("ready", "INV-1003", "paid", "1450.75", "0.00"),
        ("ready", "INV-1004", "partially_paid", "100.00", "150.00"),
        ("ready", "INV-1003", "paid", "1450.75", "0.00"),
        ("rejected", "INV-1003", "paid", "1450.75", "0.00"),
        ("rejected", "INV-1002", "sent", "0.00", "612.50"),
    ]
    assert real == [("recorded", *row[1:]) if row[0] == "ready" else row for row in dry]


def test_wrong_token_stops_with_exit_2_and_never_shows_the_token(
    sandbox: RunningSandbox, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused token exits 2 with one line that names the setting, not the token."""
    monkeypatch.setenv("HIGHLEVEL_TOKEN", SECRET)
    payments = copy_sample("payments.csv", env)
    code, output = invoke("run", str(payments), "--yes")
    assert code == 2
    assert "HIGHLEVEL_TOKEN" in output
    assert SECRET not in output
    assert "Traceback" not in output
    assert sandbox.sandbox.transactions() == []


def test_token_never_appears_in_output_or_results(tmp_path: Path, seed: dict[str, object]) -> None:
    """Across a full run with a custom token, neither output nor results file holds it."""
    payments = copy_sample("payments.csv", tmp_path)
    with running_sandbox(seed, token=SECRET, rate_limit="off") as running:
        result = CliRunner(
            env={
                "HIGHLEVEL_TOKEN": SECRET,
                "HIGHLEVEL_LOCATION_ID": running.location_id,
                "HIGHLEVEL_API_URL": running.url,
            }
        ).invoke(cli, ["run", str(payments), "--yes"], obj=TODAY)
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output
    assert SECRET not in (tmp_path / "payments.results.csv").read_text(encoding="utf-8-sig")


def test_without_a_terminal_yes_is_required(env: Path, sandbox: RunningSandbox) -> None:
    """With no terminal to ask on, run refuses to start without --yes and sends nothing."""
    payments = copy_sample("payments.csv", env)
    code, output = invoke("run", str(payments))
    assert code == 2
    assert "--yes" in output
    assert sandbox.sandbox.transactions() == []


def test_missing_settings_exit_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No token configured: exit 2 and one line saying which setting to add."""
    monkeypatch.chdir(tmp_path)
    for name in ("TOKEN", "LOCATION_ID", "API_URL", "ALT_TYPE"):
        monkeypatch.delenv(f"HIGHLEVEL_{name}", raising=False)
    payments = copy_sample("payments.csv", tmp_path)
    code, output = invoke("run", str(payments), "--yes")
    assert code == 2
    assert output.strip().splitlines() == [
        "Error: No API token: set HIGHLEVEL_TOKEN in a .env file in this folder or in the "
        "environment (or run with --sandbox to rehearse without one)."
    ]


def test_bad_input_files_exit_2_with_one_line(tmp_path: Path) -> None:
    """A missing, empty or unreadable file gives one line with the reason and exit 2."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"\x00\x01not a workbook at all" * 10)
    for path, reason in [
        (tmp_path / "missing.csv", "no such file"),
        (empty, "the file is empty"),
        (garbage, "cannot be read"),
    ]:
        code, output = invoke("run", str(path), "--sandbox", "--yes")
        assert code == 2, output
        (line,) = output.strip().splitlines()
        assert reason in line


def test_validate_lists_every_problem_without_network(tmp_path: Path) -> None:
    """validate reports each bad row and exits 1; --report writes them as CSV."""
    report = tmp_path / "problems.csv"
    code, output = invoke("validate", str(DATA / "bad-rows.csv"), "--report", str(report))
    assert code == 1
    assert (
        "  4  Amount        twelve      'twelve' is not an amount. Write the amount paid in "
        "digits, such as 1250.00.\n"
    ) in output
    assert "11 rows checked: 1 ready, 10 with problems." in output
    rows = read_results(report)
    assert len(rows) == 11
    assert rows[0]["code"] == "invoice.missing"


def test_validate_sample_is_clean() -> None:
    """The sample file passes local checks with exit 0."""
    code, output = invoke("validate", str(SAMPLES / "payments.csv"))
    assert code == 0, output
    assert "33 rows checked: 33 ready, 0 with problems." in output


def all_commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand under ``group``, as the words that name it."""
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*path, name))
        if isinstance(command, click.Group):
            found += all_commands(command, (*path, name))
    return found


def test_every_command_has_help() -> None:
    """importer and each command and subcommand: a one-line summary, an example, exit codes."""
    names = all_commands(cli)
    assert ("template", "new") in names
    assert ("runs", "show") in names
    for words in [(), *names]:
        code, output = invoke(*words, "--help")
        assert code == 0, words
        summary = output.split("\n\n")[1].strip()
        assert summary, words
        assert "\n" not in summary, (words, summary)
        assert "Example" in output, words
        assert "Exit codes" in output, words


def test_every_row_shows_its_invoice_as_it_stands_after_the_run(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Instalments and a refused overpayment of one invoice all show its final state."""
    payments = env / "instalments.csv"
    payments.write_text(
        "Invoice,Amount,Payment Date,Method\n"
        "INV-1003,1000.00,2026-10-05,Cash\n"
        "INV-1003,450.75,2026-10-06,Cash\n"
        "INV-1003,5.00,2026-10-07,Cash\n"
    )
    code, output = invoke("run", str(payments), "--yes")
    assert code == 1, output
    rows = read_results(env / "instalments.results.csv")
    assert [
        (r["status"], r["invoice_status"], r["amount_paid"], r["amount_due"]) for r in rows
    ] == [
        ("recorded", "paid", "1450.75", "0.00"),
        ("recorded", "paid", "1450.75", "0.00"),
        ("rejected", "paid", "1450.75", "0.00"),
    ]
    assert rows[2]["message"] == (
        "The amount 5.00 is more than the 0.00 still due on the invoice "
        "(after earlier rows of this file)."
    )


def test_canary_with_yes_goes_on_after_showing_the_first_invoices(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--canary 2 --yes shows the first two payments' invoices, then records the rest."""
    payments = copy_sample("payments.csv", env)
    code, output = invoke("run", str(payments), "--yes", "--canary", "2")
    assert code == 0, output
    assert output.startswith(
        "The first 2 payments (the canary):\n"
        "  Row 2: Recorded. Invoice INV-1001 is now partly paid, 720.00 USD due.\n"
        "  Row 3: Recorded. Invoice INV-1001 is now paid, 0.00 USD due.\n"
        "Going on with the other 31 payments (--yes).\n"
        "33 rows: 33 recorded.\n"
    )
    assert len(sandbox.sandbox.transactions()) == 33


def test_a_results_folder_that_cannot_be_written_stops_before_anything_is_sent(
    sandbox: RunningSandbox, env: Path
) -> None:
    """--results under a regular file: one line naming the folder and --results, exit 2."""
    payments = copy_sample("payments.csv", env)
    (env / "deposit").write_text("a file, not a folder")
    code, output = invoke("run", str(payments), "--yes", "--results", "deposit/out.csv")
    assert code == 2, output
    assert output.splitlines() == [
        "Error: Cannot write the results file in the folder deposit (deposit is a file, not a "
        "folder); nothing was sent. Run again with --results PATH to write it in a folder you "
        "can save to."
    ]
    assert sandbox.sandbox.transactions() == []


def test_a_dotenv_file_not_in_utf8_stops_the_run_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .env saved by Notepad as "ANSI" gives one line saying how to save it, exit 2."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HIGHLEVEL_TOKEN", raising=False)
    (tmp_path / ".env").write_bytes(b"HIGHLEVEL_TOKEN=pit-\xe9x\nHIGHLEVEL_LOCATION_ID=l\n")
    payments = copy_sample("payments.csv", tmp_path)
    code, output = invoke("run", str(payments), "--yes")
    assert code == 2
    assert output.splitlines() == [
        "Error: The settings file .env is not saved as UTF-8: open it in Notepad, choose "
        "File > Save As, set Encoding to UTF-8, and save it."
    ]


def test_a_bad_sandbox_seed_is_one_line_for_run_and_template_new(tmp_path: Path) -> None:
    """A --sandbox-seed with a total that is not a number: one line, exit 2, in both commands."""
    seed = tmp_path / "bad-seed.json"
    seed.write_text('{"locationId": "L1", "invoices": [{"_id": "abc", "total": "lots"}]}')
    payments = copy_sample("payments.csv", tmp_path)
    line = f"Error: {seed}: Seed invoice 1 (abc): total must be a number, not 'lots'."
    for args in [
        ("run", str(payments), "--sandbox", "--yes", "--sandbox-seed", str(seed)),
        ("template", "new", "default", "--open-invoices", "--sandbox", "--sandbox-seed",
         str(seed), "-o", str(tmp_path / "open.xlsx")),
    ]:  # fmt: skip
        code, output = invoke(*args)
        assert (code, output.splitlines()) == (2, [line]), args


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads any file, and Windows ignores chmod",
)
def test_a_file_without_read_permission_is_one_line_from_the_loader(tmp_path: Path) -> None:
    """A payments file the user may not read: one line saying so and exit 2, in run and validate."""
    payments = copy_sample("payments.csv", tmp_path)
    payments.chmod(0)
    for args in [("run", str(payments), "--sandbox", "--yes"), ("validate", str(payments))]:
        code, output = invoke(*args)
        assert (code, output.splitlines()) == (
            2,
            [f"Error: {payments}: cannot be read (permission denied)."],
        ), args


def test_the_sandbox_help_example_records_the_sample_as_written(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run example of `importer sandbox --help`, sent to a test sandbox, records the sample."""
    _code, output = invoke("sandbox", "--help")
    example = output.split("Example:")[1].split("\n\n")[0].replace("\\\n", " ")
    (line,) = [line for line in example.splitlines() if "importer run" in line]
    words = shlex.split(line)
    start = words.index("importer")
    settings = dict(word.split("=", 1) for word in words[:start])
    args = words[start + 1 :]
    args[args.index("http://127.0.0.1:8787")] = sandbox.url
    monkeypatch.chdir(tmp_path)
    for name in ("TOKEN", "LOCATION_ID", "API_URL", "ALT_TYPE"):
        monkeypatch.delenv(f"HIGHLEVEL_{name}", raising=False)
    (tmp_path / "samples").mkdir()
    copy_sample("payments.csv", tmp_path / "samples")
    result = CliRunner(env=settings).invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "33 rows: 33 recorded."
