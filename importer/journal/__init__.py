"""The journal: every payment sent and every run, in one SQLite file.

``Journal.open`` opens the file (taking the schema steps it lacks, see ``schema``) and owns the
connection; ``journal.ledger`` holds the payments, ``journal.history`` the runs.
"""

from importer.journal.journal import (
    Journal,
    JournalHealth,
    RunMoney,
    default_journal_path,
)
from importer.journal.ledger import (
    IN_DOUBT,
    Entry,
    HandSettlement,
    InvoiceState,
    Ledger,
    Money,
    sent_by,
)
from importer.journal.runs import ReadingChoices, RunHistory, RunRecord, RunRow, file_sha256

__all__ = [
    "IN_DOUBT",
    "Entry",
    "HandSettlement",
    "InvoiceState",
    "Journal",
    "JournalHealth",
    "Ledger",
    "Money",
    "ReadingChoices",
    "RunHistory",
    "RunMoney",
    "RunRecord",
    "RunRow",
    "default_journal_path",
    "file_sha256",
    "sent_by",
]
