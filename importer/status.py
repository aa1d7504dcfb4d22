"""The words a run uses for where things stand, as StrEnums so that a typo is a type error.

Their values are the words written to the results (CSV), the summary JSON and the journal;
they are a contract with users' scripts and with journals already on disk, so a value never
changes. ``RowStatus`` is what happened to a row of the file; ``PaymentState`` is where a
payment stands in the journal; ``RunOutcome`` is how a run ended; ``Match`` is how sure the
importer is of the invoice it proposes for a bank statement's line (the proposals file's
``Match`` column). What people read instead of these codes is in ``importer.words``: a new
status gets its line there too (a test checks).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Match", "PaymentState", "RowStatus", "RunOutcome"]


class RowStatus(StrEnum):
    """What happened to one row of the file (the results' ``status`` column)."""

    RECORDED = "recorded"  # the payment is on the invoice
    SKIPPED = "skipped"  # an earlier run already recorded it
    READY = "ready"  # dry run only: it would be recorded
    NO_PAYMENT = "no_payment"  # the row names an invoice but no payment
    INVALID = "invalid"  # the row failed a check of the file itself
    REJECTED = "rejected"  # the invoice or the API refused it
    FAILED = "failed"  # could not be sent after several tries
    UNKNOWN = "unknown"  # sent, and the outcome could not be confirmed
    NOT_SENT = "not_sent"  # the run stopped, or was held back, before this row
    NOT_A_PAYMENT = "not_a_payment"  # a statement's line that is no money received
    DUPLICATE = "duplicate"  # HighLevel already holds a payment just like it: not sent
    # A payment for several invoices some of whose parts are recorded and others not.
    PARTLY_RECORDED = "partly_recorded"


class PaymentState(StrEnum):
    """Where one payment stands in the journal."""

    SENDING = "sending"  # written down before it is sent; the answer not yet read
    RECORDED = "recorded"
    UNKNOWN = "unknown"  # sent, the answer lost, and the check could not tell
    REJECTED = "rejected"  # the invoice or the API refused it; a later run may send it again
    FAILED = "failed"  # not recorded after several tries; a later run may send it again
    NOT_SENT = "not_sent"  # the run stopped before it left, or it was found not recorded


class RunOutcome(StrEnum):
    """How a run ended, as the journal's run history keeps it."""

    RUNNING = "running"  # written when it starts, until it ends (a killed run keeps it)
    FINISHED = "finished"
    STOPPED = "stopped"  # something stopped sending (token refused, daily limit, full disk)
    INTERRUPTED = "interrupted"  # Ctrl-C or a signal
    CRASHED = "crashed"
    # Never written: how a run still marked running that no import holds any more is shown.
    DID_NOT_FINISH = "did not finish"


class Match(StrEnum):
    """How a statement's line was matched to an open invoice, most certain first."""

    SURE = "sure"  # the line names the invoice (or invoices, to the cent) and the amount fits
    LIKELY = "likely"  # one invoice owes exactly the amount and its client is the payer
    SEVERAL = "several"  # more than one invoice fits equally: a person chooses
    NONE = "none"  # nothing fits
