"""An amount no payment has is a row problem, never a traceback: 27 digits and more stopped
validate and run with decimal.InvalidOperation; now anything above 999,999,999,999.99 is
refused as too large, and digits other than 0 to 9 are refused as they are in dates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

from importer.check.rows import validate_file
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.check.values import MAX_AMOUNT, AmountTooLarge, parse_amount
from importer.cli import cli
from importer.read.files import load
from importer.sandbox import RunningSandbox
from tests.conftest import TODAY
from tests.make_hostile import HOSTILE

TOO_LARGE = (
    "is more than 999,999,999,999.99, far more than any payment. Correct the amount: a "
    "reference or an account number may have been typed in its place."
)
OTHER_DIGITS = "Write the amount paid in digits, such as 1250.00."


def test_every_amount_no_payment_has_is_its_rows_problem() -> None:
    """Each huge amount is amount.too_large with its text; other scripts' digits are not
    amounts; the ceiling itself is an amount."""
    validation = validate_file(load(HOSTILE / "huge-amounts.csv"), DEFAULT_TEMPLATE, today=TODAY)
    assert [(p.row, p.column, p.code, p.message) for p in validation.problems] == [
        (2, "Amount", "amount.too_large", f"'123456789012345678901234567' {TOO_LARGE}"),
        (3, "Amount", "amount.too_large", f"'1,000,000,000,000.00' {TOO_LARGE}"),
        (5, "Amount", "amount.too_large", f"'(123456789012345678901234567890)' {TOO_LARGE}"),
        (
            6,
            "Amount",
            "amount.too_large",
            f"'1234567890123456789012345678901234567890.50' {TOO_LARGE}",
        ),
        (7, "Amount", "amount.too_large", f"'USD 1000000000000' {TOO_LARGE}"),
        (
            8,
            "Amount",
            "amount.not_a_number",
            f"'١٢٣.٤٥' has digits other than 0 to 9 ('١'). {OTHER_DIGITS}",
        ),
        (
            9,
            "Amount",
            "amount.not_a_number",
            f"'１２.50' has digits other than 0 to 9 ('１'). {OTHER_DIGITS}",
        ),
        (
            10,
            "Amount",
            "amount.not_a_number",
            f"'१२०.00' has digits other than 0 to 9 ('१'). {OTHER_DIGITS}",
        ),
    ]
    assert [(p.row, p.amount) for p in validation.payments] == [(4, MAX_AMOUNT)]


@pytest.mark.parametrize(
    "text", ["999999999999.991", "1000000000000", "-1000000000000.00", "1.000.000.000.000,00"]
)
def test_past_the_ceiling_is_too_large(text: str) -> None:
    """A cent past 999,999,999,999.99, either sign, any style, is too large."""
    with pytest.raises(AmountTooLarge):
        parse_amount(text, decimal="," if text.endswith(",00") else ".")


def test_the_ceiling_reads_in_every_style() -> None:
    """The largest amount reads whatever its style."""
    for text, mark in (("999,999,999,999.99", "."), ("999.999.999.999,99", ",")):
        assert parse_amount(text, decimal=mark) == Decimal("999999999999.99")  # type: ignore[arg-type]


@pytest.mark.parametrize("command", ["validate", "run"])
def test_validate_and_run_end_with_the_rows_problems_not_a_traceback(
    command: str, sandbox: RunningSandbox, env: object
) -> None:
    """Both commands end normally (exit 1: rows invalid), the run sends nothing."""
    args = [command, str(HOSTILE / "huge-amounts.csv")]
    if command == "run":
        args += ["--yes", "--results", "results.csv"]
    result = CliRunner().invoke(cli, args, obj=TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    assert "123456789012345678901234567' is more than 999,999,999,999.99" in result.output
    assert sandbox.sandbox.transactions() == []
