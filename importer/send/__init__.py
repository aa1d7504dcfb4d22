"""Sending payments: answers sorted, retries, lost answers judged, exactly once."""

from importer.send.submit import (
    LOST_ANSWER_WAIT,
    Evidence,
    Outcome,
    Sender,
    Sleep,
    Submission,
    Verdict,
    invoice_state,
    judge,
    payment_key,
    payment_keys,
    settle_by_hand,
    skipped_message,
    sort_answer,
    submit,
    verify,
)

__all__ = [
    "LOST_ANSWER_WAIT",
    "Evidence",
    "Outcome",
    "Sender",
    "Sleep",
    "Submission",
    "Verdict",
    "invoice_state",
    "judge",
    "payment_key",
    "payment_keys",
    "settle_by_hand",
    "skipped_message",
    "sort_answer",
    "submit",
    "verify",
]
