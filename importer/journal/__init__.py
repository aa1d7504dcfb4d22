"""The journal: every payment sent and every run, in one SQLite file."""

from importer.journal.ledger import (
    IN_DOUBT,
    Entry,
    InvoiceState,
    Journal,
    Money,
    RunRow,
    default_journal_path,
    file_sha256,
    sent_by,
)

__all__ = [
    "IN_DOUBT",
    "Entry",
    "InvoiceState",
    "Journal",
    "Money",
    "RunRow",
    "default_journal_path",
    "file_sha256",
    "sent_by",
]
