"""How the workbench shows a status: one function, so that people's words for the statuses
(and any other wording of them) are put in one place.

A status is never shown by colour alone: each has a mark and its word beside the colour.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from importer.status import RowStatus
from importer.words import status_word

__all__ = ["money", "page_words", "status_mark", "status_text", "totals_text"]

_MARKS: dict[str, str] = {
    RowStatus.RECORDED: "✓",
    RowStatus.SKIPPED: "✓",
    RowStatus.READY: "→",
    RowStatus.NO_PAYMENT: "–",
    RowStatus.NOT_A_PAYMENT: "–",
    RowStatus.INVALID: "✗",
    RowStatus.REJECTED: "✗",
    RowStatus.FAILED: "✗",
    RowStatus.UNKNOWN: "?",
    RowStatus.NOT_SENT: "–",
    RowStatus.DUPLICATE: "=",  # the same as a payment already there
    RowStatus.PARTLY_RECORDED: "◐",  # some of its invoices done, some not
}


# The page's own controls, named as the page labels them.
_SKIP_INVALID = '"Record the valid rows even when some rows have problems"'
_ALLOW_DUPLICATES = (
    '"Rows that repeat an earlier row, or a payment HighLevel already holds, are real payments"'
)

# What the library tells a command-line user to type, and what the page offers instead: a
# person at the workbench has its controls, not the command's flags.
_FLAGS_IN_THE_PAGE = (
    ("use --template.", "choose another Template on the Columns step."),
    ("choose another with --sheet)", "choose another Sheet on the Columns step)"),
    ("choose one with --sheet.", "choose one as the Sheet on the Columns step."),
    (
        "put yes in its Allow duplicate cell or run with --allow-duplicates.",
        f"put yes in its Allow duplicate cell, or tick {_ALLOW_DUPLICATES} on the Rows step "
        "and check again.",
    ),
    (
        "a second real payment, run with --allow-duplicates.",
        f"a second real payment, tick {_ALLOW_DUPLICATES} on the Rows step and check again.",
    ),
    (
        "put yes in an allow_duplicate column or run again with --allow-duplicates;",
        f"put yes in an allow_duplicate column, or tick {_ALLOW_DUPLICATES} on the Rows step;",
    ),
    (
        "Wait for it to finish (or stop it), then run again.",
        "Wait for it to finish (or stop it), then check the file against HighLevel again.",
    ),
    (
        "run again with --skip-invalid",
        f"tick {_SKIP_INVALID} on the Rows step and check again",
    ),
    # The deposit slip's total and count, typed on the Rows step.
    ("Control (--expect-total/--expect-count)", "Control (the deposit slip)"),
    ("find the difference, then run again.", "find the difference, then check again."),
)


# The reading options, as the Columns step labels them and their choices.
_READ_AGAIN = "on the Columns step and press Read again"
_DATES = f'choose "Day first (31/12/2026)" or "Month first (12/31/2026)" as the Dates {_READ_AGAIN}'
_DECIMAL = f'choose "1,234.56 (point)" or "1.234,56 (comma)" as the Decimal mark {_READ_AGAIN}'
_SAVE_AS_UTF8 = (
    'save it again as "CSV UTF-8" (in Excel: File, Save As) and drop it on this page again.'
)
# The same, where the flag and its values change from message to message; a capital R stays
# a capital (a sentence's first word).
_FLAG_PATTERNS = (
    (
        re.compile(r"([Rr])un again with --date-format DD/MM/YYYY or --date-format MM/DD/YYYY"),
        _DATES,
    ),
    (
        re.compile(
            r'([Rr])un again with --decimal "\." (?:\(1,234\.50\) )?or --decimal ","'
            r"(?: \(1\.234,50\))?"
        ),
        _DECIMAL,
    ),
    (
        re.compile(
            r"([Rr])un again with --encoding, such as --encoding utf-8 or --encoding "
            r"windows-1252"
        ),
        f"choose another Encoding {_READ_AGAIN}",
    ),
    (
        re.compile(r"([Rr])un again without --encoding to let the importer tell"),
        f'choose "Found from the file" as the Encoding {_READ_AGAIN}',
    ),
    # Only a file whose encoding cannot be told at all, refused on the Start page.
    (
        re.compile(r"if it is text, ([r])un again with --encoding\."),
        f"if it is text, {_SAVE_AS_UTF8}",
    ),
    (re.compile(r"; ([r])un again with --encoding\."), f": {_SAVE_AS_UTF8}"),
    (
        re.compile(r"Split it, or ([r])un again with a larger --max-size\."),
        "Split it into smaller files, or export only the payments.",
    ),
    (
        re.compile(r"^(-)-expect-total "),
        "The Deposit total on the Rows step, ",
    ),
    (
        re.compile(r"([Rr])un again with --template ([\w-]+) \(or --template ([\w-]+)\)"),
        "choose \\2 or \\3 as the Template on the Columns step and press Read again",
    ),
)


def page_words(message: str) -> str:
    """A library message as the page says it: the page's controls where it names a flag."""
    for flag, control in _FLAGS_IN_THE_PAGE:
        message = message.replace(flag, control)
    for pattern, words in _FLAG_PATTERNS:
        message = pattern.sub(functools.partial(_as_written, words=words), message)
    return message


def _as_written(found: re.Match[str], *, words: str) -> str:
    """``words`` for what ``found`` matched, starting with a capital where it did."""
    said = found.expand(words)
    return said[:1].upper() + said[1:] if found.group(1) == "R" else said


def status_text(status: str) -> str:
    """A row's status as a page shows it: people's word for it (``importer.words``)."""
    return status_word(status)


def status_mark(status: str) -> str:
    """A sign that tells the status apart without its colour."""
    return _MARKS.get(status, "")


def money(amount: Decimal | None) -> str:
    """An amount as the summary writes it: 18,574.00."""
    return "" if amount is None else f"{amount:,.2f}"


def totals_text(totals: dict[str, Decimal]) -> str:
    """Money by currency in one line: USD 18,574.00, EUR 10.00."""
    return ", ".join(f"{currency} {money(amount)}" for currency, amount in sorted(totals.items()))
