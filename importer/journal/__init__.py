"""The journal: every payment sent and every run, in one SQLite file.

``Journal.open`` opens the file (taking the schema steps it lacks, see ``schema``) and owns the
connection; ``journal.ledger`` holds the payments, ``journal.history`` the runs."""
