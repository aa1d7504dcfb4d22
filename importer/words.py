"""The people's words for every code the importer shows: statuses, methods, money, counts.

The codes (``not_sent``, ``partially_paid``, ``bank_transfer``) are a contract with scripts
and journals: the CSV results, ``--summary-json`` and the journal keep them. Everything a
person reads (the terminal, the results workbook, ``importer runs``, the workbench) says
these words instead, and takes them from here: a new status is a new line in a table below.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from decimal import Decimal

from importer.currencies import decimals
from importer.status import PaymentState, RowStatus, RunOutcome

__all__ = [
    "HELD_BACK",
    "IN_FILE",
    "METHOD_WORDS",
    "MONEY_HEADINGS",
    "ROW_STATUS_WORDS",
    "MoneyHeading",
    "amount_text",
    "counted",
    "encoding_words",
    "invoice_status_word",
    "method_word",
    "money_heading",
    "payment_state_word",
    "plural",
    "problem_word",
    "run_outcome_word",
    "status_word",
]

# What happened to a row, as the results workbook's Status column and the terminal say it.
ROW_STATUS_WORDS: dict[str, str] = {
    RowStatus.RECORDED: "Recorded",
    RowStatus.SKIPPED: "Already recorded",
    RowStatus.READY: "Would be recorded",
    RowStatus.NO_PAYMENT: "No payment",
    RowStatus.INVALID: "Invalid",
    RowStatus.REJECTED: "Refused",
    RowStatus.FAILED: "Failed",
    RowStatus.UNKNOWN: "Not confirmed",
    RowStatus.NOT_SENT: "Not sent",
    RowStatus.NOT_A_PAYMENT: "Not a payment",
    RowStatus.DUPLICATE: "Duplicate",
    RowStatus.PARTLY_RECORDED: "Partly recorded",
}

# Where a payment stands in the journal (``importer runs show`` of a run that did not finish).
_PAYMENT_STATE_WORDS: dict[str, str] = {
    PaymentState.SENDING: "Being sent",
    PaymentState.RECORDED: "Recorded",
    PaymentState.UNKNOWN: "Not confirmed",
    PaymentState.REJECTED: "Refused",
    PaymentState.FAILED: "Failed",
    PaymentState.NOT_SENT: "Not sent",
}

_RUN_OUTCOME_WORDS: dict[str, str] = {
    RunOutcome.RUNNING: "Running",
    RunOutcome.FINISHED: "Finished",
    RunOutcome.STOPPED: "Stopped",
    RunOutcome.INTERRUPTED: "Interrupted",
    RunOutcome.CRASHED: "Crashed",
    RunOutcome.DID_NOT_FINISH: "Did not finish",
}

# HighLevel's invoice statuses (the spec's enum).
_INVOICE_STATUS_WORDS = {
    "draft": "Draft",
    "sent": "Sent",
    "payment_processing": "Payment processing",
    "paid": "Paid",
    "partially_paid": "Partly paid",
    "void": "Void",
}

# HighLevel's payment modes.
METHOD_WORDS = {
    "cash": "Cash",
    "card": "Card",
    "cheque": "Cheque",
    "bank_transfer": "Bank transfer",
    "other": "Other",
}


# Text encodings as Excel's and Notepad's menus name them, by Python's name for each.
_ENCODING_WORDS = {
    "utf-8": "Unicode (UTF-8)",
    "utf-8-sig": "Unicode (UTF-8)",
    "utf-16": "Unicode (UTF-16)",
    "cp1252": "Western European (Windows-1252)",
    "iso8859-1": "Western European (ISO-8859-1)",
    "iso8859-15": "Western European (ISO-8859-15)",
    "mac-roman": "Western European (Mac)",
    "cp850": "Western European (DOS)",
    "cp1250": "Central European (Windows-1250)",
    "cp1251": "Cyrillic (Windows-1251)",
    "cp1253": "Greek (Windows-1253)",
    "cp1254": "Turkish (Windows-1254)",
}


def encoding_words(encoding: str) -> str:
    """A text encoding as people know it: "cp1252" -> "Western European (Windows-1252)"."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding
    return _ENCODING_WORDS.get(name) or name.replace("_", "-").upper()


def _as_words(code: str) -> str:
    """A code nobody gave words yet, readable all the same: "payment_processing" -> "Payment
    processing"."""
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def status_word(status: RowStatus | str) -> str:
    """A row status as people say it: "not_sent" -> "Not sent"."""
    return ROW_STATUS_WORDS.get(status, "") or _as_words(status)


def payment_state_word(state: PaymentState | str) -> str:
    """A journal payment's state as people say it: "sending" -> "Being sent"."""
    return _PAYMENT_STATE_WORDS.get(state, "") or _as_words(state)


def run_outcome_word(outcome: RunOutcome | str) -> str:
    """How a run ended, as people say it."""
    return _RUN_OUTCOME_WORDS.get(outcome, "") or _as_words(outcome)


def invoice_status_word(status: str) -> str:
    """An invoice's status as people say it: "partially_paid" -> "Partly paid"; "" stays ""."""
    return _INVOICE_STATUS_WORDS.get(status, "") or _as_words(status)


def method_word(mode: str) -> str:
    """A payment mode as people say it: "bank_transfer" -> "Bank transfer"."""
    return METHOD_WORDS.get(mode, "") or _as_words(mode)


def problem_word(code: str) -> str:
    """A kind of problem as people say it: "date.too_old" -> "Date: too old"."""
    field, _, what = code.partition(".")
    return f"{_as_words(field)}: {what.replace('_', ' ')}" if what else _as_words(field)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 row", "2 rows", "0 rows"; ``nouns`` for an irregular plural."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def amount_text(amount: Decimal, currency: str = "") -> str:
    """An amount as the summaries write it: thousands marked, the currency's decimals."""
    return f"{amount:,.{decimals(currency)}f}"


def counted(count: int, total: Decimal, currency: str = "", *, noun: str = "") -> str:
    """ "3 for 1,200.00" ("3 payments for 1,200.00" with ``noun``), or "none"."""
    if not count:
        return "none"
    many = plural(count, noun) if noun else str(count)
    return f"{many} for {amount_text(total, currency)}"


@dataclass(frozen=True)
class MoneyHeading:
    """One heading of money in a summary: its key in the JSON and its words for people."""

    key: str
    word: str


# The money of a run, as the terminal, the Summary sheet, the JSON and ``importer runs``
# all name it. "Recorded" is only ever money this very run recorded.
IN_FILE = MoneyHeading("in_file", "in the file")
MONEY_HEADINGS = {
    RowStatus.RECORDED: MoneyHeading("recorded", "recorded by this run"),
    RowStatus.SKIPPED: MoneyHeading("skipped", "already recorded earlier"),
    RowStatus.READY: MoneyHeading("ready", "would be recorded"),
}
# Everything else in the file: shown with each status's own word beside it.
HELD_BACK = MoneyHeading("not_recorded", "held back")


def money_heading(status: RowStatus) -> MoneyHeading:
    """The heading a row's money falls under, by its status."""
    return MONEY_HEADINGS.get(status, HELD_BACK)
