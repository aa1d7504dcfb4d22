"""An amount repeated on every row of one cheque, beside money that differs from row to row.

In some lockbox and remittance exports "Amount" is the whole cheque, written again on the row of
every invoice it pays, and "Invoice Amount" the part applied to each invoice; in others
"Invoice Amount" is the invoice's own total and "Amount" what was paid on it. Read the first
way round, the cheque would be recorded once per invoice: the file is refused until a template
says which column is which.
"""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from importer.cli import cli
from importer.sandbox import RunningSandbox
from tests.conftest import TODAY, past_where, write_template

# Cheque 5512 of 860.00 pays 610.00 on invoice 1009 and 250.00 on invoice 1023 (each of them
# owes 860.00, so 860.00 recorded on each would go through); cheque 8830 pays one invoice.
LOCKBOX = (
    "Deposit Date,Lockbox,Batch,Item,Check Number,Amount,Remitter Name,Invoice Number,"
    "Invoice Amount\n"
    "11/14/2026,4417,012,1,5512,860.00,ACME DENTAL,1009,610.00\n"
    "11/14/2026,4417,012,2,5512,860.00,ACME DENTAL,1023,250.00\n"
    "11/14/2026,4417,012,3,8830,325.40,FUENTES LEGAL,1006,325.40\n"
)

REFUSED = (
    "Rows 2 and 3 (cheque 5512) all say 860.00 under 'Amount', but 610.00 and 250.00 under "
    "'Invoice Amount'. 'Amount' may be what the cheque came to in all, repeated on the row of "
    "each invoice it pays, and recorded against each invoice the cheque would be recorded "
    "several times over; the importer does not guess. If 'Amount' is the whole cheque, read "
    "the file with a template of your own (--template, or kept with importer template save) "
    'whose [columns] say amount = ["Invoice Amount"] and payment_total = ["Amount"]; if it '
    'is what each invoice was paid, one whose [columns] say amount = ["Amount"]. Nothing was '
    "sent."
)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, past_where(result.output)


def outcomes(results: Path) -> list[tuple[str, str]]:
    with results.open(encoding="utf-8-sig", newline="") as stream:
        return [(r["row"], r["status"]) for r in csv.DictReader(stream)]


def recorded(running: RunningSandbox) -> list[tuple[str, str, str]]:
    """Every payment the sandbox holds: invoice, amount, cheque number."""
    numbers = {i["_id"]: i["invoiceNumber"] for i in running.sandbox.invoices()}
    return sorted(
        (
            numbers[t["entityId"]],
            f"{t['amount']:.2f}",
            t["paymentMethod"].get("cheque", {}).get("number", ""),
        )
        for t in running.sandbox.transactions()
    )


def run_as_written(env: Path, text: str) -> None:
    """Run a payments file of ``text``, which must record every row."""
    (env / "payments.csv").write_text(text, encoding="utf-8")
    code, output = invoke("run", "payments.csv", "--yes")
    assert code == 0, output


def test_an_amount_repeated_on_the_rows_of_one_cheque_stops_the_file(
    sandbox: RunningSandbox, env: Path
) -> None:
    """'Amount' 860.00 on both rows of cheque 5512, 'Invoice Amount' 610.00 and 250.00: which is
    the cheque's whole is not guessed, and nothing is sent, not even the other cheque."""
    (env / "lockbox.csv").write_text(LOCKBOX, encoding="utf-8")
    assert invoke("run", "lockbox.csv", "--yes") == (2, f"Error: {REFUSED}\n")
    assert invoke("validate", "lockbox.csv")[0] == 2
    assert recorded(sandbox) == []


def test_a_template_naming_the_payment_total_records_each_invoice_s_part(
    sandbox: RunningSandbox, env: Path
) -> None:
    """The user's template says 'Amount' is the cheque's total: each invoice gets its part, and
    the parts add up to the cheque."""
    (env / "lockbox.csv").write_text(LOCKBOX, encoding="utf-8")
    write_template(
        env,
        'based_on = "cheque-deposit"\n\n[columns]\namount = ["Invoice Amount"]\n'
        'payment_total = ["Amount"]\n',
    )
    code, output = invoke("run", "lockbox.csv", "--template", "mine.toml", "--yes")
    assert code == 0, output
    assert outcomes(env / "lockbox.results.csv") == [
        ("2", "recorded"),
        ("3", "recorded"),
        ("4", "recorded"),
    ]
    assert recorded(sandbox) == [
        ("1006", "325.40", "8830"),
        ("1009", "610.00", "5512"),
        ("1023", "250.00", "5512"),
    ]


def test_a_template_naming_the_amount_records_it_on_each_invoice(
    sandbox: RunningSandbox, env: Path
) -> None:
    """One payer paid two invoices 480.00 each with one cheque, and 'Invoice Amount' is each
    invoice's own total: the user's template says 'Amount' is what each was paid."""
    (env / "lockbox.csv").write_text(
        "Deposit Date,Check Number,Amount,Invoice Number,Invoice Amount\n"
        "11/14/2026,6001,480.00,1005,480.00\n"
        "11/14/2026,6001,480.00,1009,860.00\n",
        encoding="utf-8",
    )
    write_template(env, 'based_on = "cheque-deposit"\n\n[columns]\namount = ["Amount"]\n')
    code, output = invoke("run", "lockbox.csv", "--template", "mine.toml", "--yes")
    assert code == 0, output
    assert recorded(sandbox) == [("1005", "480.00", "6001"), ("1009", "480.00", "6001")]


def test_amounts_that_differ_on_the_rows_of_one_cheque_are_each_invoice_s(
    sandbox: RunningSandbox, env: Path
) -> None:
    """'Amount' 500.00 and 480.00 on the rows of cheque 5512 beside each invoice's own total:
    nothing repeats, and each row's amount is recorded as before."""
    (env / "lockbox.csv").write_text(
        "Deposit Date,Check Number,Amount,Invoice Number,Invoice Amount\n"
        "11/14/2026,5512,500.00,1018,750.00\n"
        "11/14/2026,5512,480.00,1019,480.00\n"
        "11/14/2026,8830,325.40,1006,325.40\n",
        encoding="utf-8",
    )
    code, output = invoke("run", "lockbox.csv", "--yes")
    assert code == 0, output
    assert recorded(sandbox) == [
        ("1006", "325.40", "8830"),
        ("1018", "500.00", "5512"),
        ("1019", "480.00", "5512"),
    ]


def test_a_cheque_paying_the_same_on_invoices_of_other_totals_is_recorded(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Cheque 6001 pays 250.00 on each of two invoices, and 'Invoice Total' says what each
    invoice came to (480.00, 860.00): neither total can be a part of a 250.00 cheque, so the
    file is read as written and each invoice gets its 250.00."""
    run_as_written(
        env,
        "Invoice,Date,Method,Cheque No.,Amount,Invoice Total\n"
        "1005,2026-11-14,Cheque,6001,250.00,480.00\n"
        "1009,2026-11-14,Cheque,6001,250.00,860.00\n",
    )
    assert recorded(sandbox) == [("1005", "250.00", "6001"), ("1009", "250.00", "6001")]


def test_parts_written_as_whole_numbers_or_equal_still_stop_the_file(
    sandbox: RunningSandbox, env: Path
) -> None:
    """'Invoice Amount' written without cents (610, 250), the cheque shared equally (430.00
    and 430.00), or one part left empty: 'Amount' 860.00 on both rows may still be the whole
    cheque."""
    (env / "lockbox.csv").write_text(
        LOCKBOX.replace(",610.00\n", ",610\n").replace(",250.00\n", ",250\n"),
        encoding="utf-8",
    )
    assert invoke("run", "lockbox.csv", "--yes") == (
        2,
        "Error: " + REFUSED.replace("610.00 and 250.00", "610 and 250") + "\n",
    )
    (env / "lockbox.csv").write_text(
        LOCKBOX.replace(",610.00\n", ",430.00\n").replace(",250.00\n", ",430.00\n"),
        encoding="utf-8",
    )
    assert invoke("run", "lockbox.csv", "--yes") == (
        2,
        "Error: " + REFUSED.replace("610.00 and 250.00", "430.00 and 430.00") + "\n",
    )
    (env / "lockbox.csv").write_text(LOCKBOX.replace(",250.00\n", ",\n"), encoding="utf-8")
    assert invoke("run", "lockbox.csv", "--yes") == (
        2,
        "Error: " + REFUSED.replace("610.00 and 250.00", "610.00 and nothing") + "\n",
    )
    assert recorded(sandbox) == []


def test_a_card_payment_s_tips_beside_its_repeated_amount_are_no_parts_of_it(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A card terminal's report: the same Visa card pays 100.00 on each of two invoices, with
    a different 'Tip Amount' on each slip. A tip is never what an invoice was paid: the file is
    read as written."""
    run_as_written(
        env,
        "Invoice,Date,Method,Card Brand,Last 4,Amount,Tip Amount,Total Amount\n"
        "1005,2026-11-14,Card,Visa,1234,100.00,10.00,110.00\n"
        "1009,2026-11-14,Card,Visa,1234,100.00,5.00,105.00\n",
    )
    assert recorded(sandbox) == [("1005", "100.00", ""), ("1009", "100.00", "")]
