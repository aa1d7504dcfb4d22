"""The cheque number a bank writes in a statement line's words, as a table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from importer.check.cheque_words import cheque_in_words
from importer.check.matching import StatementLine
from importer.check.statement import looks_like_statement, statement_lines
from importer.read.files import load

CHEQUE_WORDS_TABLE = [
    ("CHQ DEPOSIT 000555 INV-1008", "000555"),
    ("CHQ 000555", "000555"),
    ("CHEQUE 555", "555"),
    ("Check #555", "555"),
    ("Check # 555 Harlow Books", "555"),
    ("CHEQUE DEPOSIT 000555", "000555"),
    ("CHQ DEP 000555", "000555"),
    ("Cheque no. 555", "555"),
    ("INGRESO CHEQUE Nº 001234", "001234"),
    ("CHQ#555 INV-1008", "555"),
    ("CHQ000555", "000555"),
    ("CHQ 000555 CHQ 555", "000555"),  # one cheque written twice
    ("REMOTE DEPOSIT INV-1012 CHECK_DEPOSIT", ""),
    ("CHQ DEPOSIT INV-1008", ""),
    ("CHECKCARD 0312 AMAZON", ""),
    ("CHECK CARD 0312 REFUND", ""),
    ("CHQ 12/03", ""),
    ("CHQS 555 556", ""),
    ("CHQ 555 CHQ 556", ""),  # two cheques: which is unsure
    ("HARLOW BOOKS 555", ""),
    ("CHQ DEP 6 NOV INV-1008", ""),  # the day it was paid in
    ("CHK 17 Oct", ""),
    ("CHEQUE DEPOSIT 14 OCTOBER", ""),
    ("CHQ DEP 3 ITEMS", ""),  # how many cheques
    ("CHEQUE DEPOSIT 3 CHQS", ""),
    ("CHQ 000555 12 NOV", "000555"),
]


@pytest.mark.parametrize(
    ("text", "number"), CHEQUE_WORDS_TABLE, ids=[t for t, _ in CHEQUE_WORDS_TABLE]
)
def test_cheque_in_words(text: str, number: str) -> None:
    """A number right after the cheque word (a deposit word or nº between) is its cheque's;
    none, a date, a card, or two cheques: no number."""
    assert cheque_in_words(text) == number


def test_a_statement_line_naming_its_cheque_is_that_cheque(tmp_path: Path) -> None:
    """A line naming a cheque is read as a cheque of that number; a cash deposit naming one
    stays cash, and a line naming none a bank transfer."""
    path = tmp_path / "statement.csv"
    path.write_text(
        "Date,Description,Paid in\n"
        "2026-11-06,CHQ DEPOSIT 000555 INV-1008,600.00\n"
        "2026-11-06,CASH AND CHQ 000556,50.00\n"
        "2026-11-09,REMOTE DEPOSIT INV-1012,300.00\n",
        encoding="utf-8",
    )
    assert statement_lines(load(path, header_fits=looks_like_statement)).lines == [
        StatementLine(2, date(2026, 11, 6), "CHQ DEPOSIT 000555 INV-1008", Decimal("600.00"),
                      None, "cheque", "000555"),
        StatementLine(3, date(2026, 11, 6), "CASH AND CHQ 000556", Decimal("50.00"), None,
                      "cash"),
        StatementLine(4, date(2026, 11, 9), "REMOTE DEPOSIT INV-1012", Decimal("300.00"), None,
                      "bank_transfer"),
    ]  # fmt: skip
