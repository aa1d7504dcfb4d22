"""Sending payments: answers sorted, retries, lost answers judged, exactly once.

``answers`` sorts every answer by what the run must do next; ``keys`` makes a payment's key
and request; ``sender`` sends them, each invoice's one at a time; ``recovery`` judges a
payment whose answer was lost, and those an earlier run left in doubt; ``outcomes`` holds what
became of each payment.
"""

from importer.send.answers import Answer, Verdict, sort_answer, sort_failure, sort_response
from importer.send.keys import payment_key, payment_keys, payment_request, sent_method
from importer.send.outcomes import (
    Outcome,
    Submission,
    invoice_state,
    settle_by_hand,
    skipped_message,
)
from importer.send.recovery import (
    LOST_ANSWER_WAIT,
    Evidence,
    Verification,
    check_left_over,
    from_journal,
    in_doubt_note,
    judge,
    recover_left_over,
    verify,
)
from importer.send.sender import Sender, submit
from importer.send.stop import StopSignal

__all__ = [
    "LOST_ANSWER_WAIT",
    "Answer",
    "Evidence",
    "Outcome",
    "Sender",
    "StopSignal",
    "Submission",
    "Verdict",
    "Verification",
    "check_left_over",
    "from_journal",
    "in_doubt_note",
    "invoice_state",
    "judge",
    "payment_key",
    "payment_keys",
    "payment_request",
    "recover_left_over",
    "sent_method",
    "settle_by_hand",
    "skipped_message",
    "sort_answer",
    "sort_failure",
    "sort_response",
    "submit",
    "verify",
]
