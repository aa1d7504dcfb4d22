"""Step 3 of the import: the plan's payments recorded, as one run of the journal.

Each payment is written down in the journal before it is sent and its outcome after, so a
crash, a kill or Ctrl-C never leaves a payment that the next run could send again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from importer.check.payments import Place
from importer.choices import ImportChoices
from importer.collaborators import Collaborators, PaymentDone, SendingStarted, Waiting
from importer.errors import JournalError, RunStopped
from importer.journal.journal import Journal
from importer.preflight import Checked
from importer.send.outcomes import Outcome, Submission
from importer.send.sender import Sender, not_sent_because, submit
from importer.status import RowStatus, RunOutcome

if TYPE_CHECKING:
    from importer.planning import Plan

__all__ = ["AfterCanary", "Recording", "record_payments"]


@dataclass(frozen=True)
class Recording:
    """What sending did: each sent payment's outcome, the run's journal id, what stopped it."""

    run_id: int
    outcomes: Mapping[Place, Outcome]  # by place: row, and part of the row
    stopped: RunStopped | None = None
    interrupted: bool = False


CANARY_DECLINED = "Not sent: the run was stopped after the first payments, as asked."

# Given the canary's outcomes and how many payments are left: True sends them.
AfterCanary = Callable[[list[Outcome], int], bool]


async def record_payments(
    plan: Plan,
    choices: ImportChoices,
    collaborators: Collaborators,
    *,
    after_canary: AfterCanary | None = None,
) -> Recording:
    """Record the plan's cleared payments, as a run of the journal; each exactly once.

    With ``choices.canary``, the first payments go alone and ``after_canary`` decides whether
    the rest follow. Events tell progress; the stop signal ends sending (payments on their
    way are finished). A run cut short by an exception is closed in the journal first.
    """
    journal = collaborators.journal
    client = collaborators.client
    run_id = journal.history.start_run(
        file=plan.opened.file.path,
        location_id=client.location_id,
        api_url=client.base_url,
        reading=plan.opened.as_read(),
        account=client.account,
    )
    cleared = plan.cleared
    collaborators.on_event(SendingStarted(len(cleared)))
    sender = Sender(
        client,
        journal,
        run_id,
        plan.opened.file.path.name,
        attempts=choices.attempts,
        lost_answer_wait=choices.lost_answer_wait,
        clock=collaborators.clock,
    )
    try:
        submission = await _send_with_canary(
            sender, plan, choices, collaborators, after_canary=after_canary
        )
    except BaseException as error:
        # A second Ctrl-C cancels the run where it stands: not a crash. Either way the
        # rows' outcomes are not known; the journal's payments say what was recorded.
        at_once = isinstance(error, (asyncio.CancelledError, KeyboardInterrupt))
        # A journal that cannot be written (a full disk) must not hide the error itself.
        with contextlib.suppress(JournalError):
            _close_cut_short(journal, run_id, error, at_once=at_once)
        raise
    outcomes = {outcome.payment.place: outcome for outcome in submission.outcomes}
    return Recording(run_id, outcomes, submission.stopped, submission.interrupted)


def _close_cut_short(journal: Journal, run_id: int, error: BaseException, *, at_once: bool) -> None:
    journal.history.finish_run(
        run_id,
        outcome=RunOutcome.INTERRUPTED if at_once else RunOutcome.CRASHED,
        message=(
            "Stopped at once by a second Ctrl-C; payments on their way may be "
            "recorded, and the next run checks them first."
            if at_once
            else str(error) or type(error).__name__
        ),
        counts={},
        totals=recorded_by(journal, run_id),
        rows=[],
    )


async def _send_with_canary(
    sender: Sender,
    plan: Plan,
    choices: ImportChoices,
    collaborators: Collaborators,
    *,
    after_canary: AfterCanary | None,
) -> Submission:
    """Send the payments; with a canary, the first few alone, then the rest if the user agrees.

    A canary lets the accountant look at a few real invoices in HighLevel (and at the
    automations they set off) before the whole file goes. It counts payments as the payer made
    them, and takes each whole: a cheque for three invoices goes with all three parts.
    """
    cleared = plan.cleared
    batches = _canary(cleared, choices.canary, plan) if choices.canary else [cleared]
    outcomes: list[Outcome] = []
    stopped: RunStopped | None = None
    interrupted = False
    for number, batch in enumerate(batches):
        if not batch:
            continue
        if number == 1 and (
            stopped
            or interrupted
            or (after_canary is not None and not after_canary(outcomes, len(batch)))
        ):
            why = CANARY_DECLINED if not (stopped or interrupted) else _why_stopped(stopped)
            outcomes += [Outcome(c.payment, RowStatus.NOT_SENT, why, c.invoice) for c in batch]
            break
        submission = await submit(
            sender,
            batch,
            keys=plan.keys,
            taking_over=plan.taking_over,
            concurrency=choices.concurrency,
            stop=collaborators.stop,
            on_outcome=lambda outcome: collaborators.on_event(PaymentDone(outcome)),
            on_wait=lambda words: collaborators.on_event(Waiting(words)),
        )
        outcomes += submission.outcomes
        stopped, interrupted = submission.stopped, submission.interrupted
    return Submission(outcomes, stopped, interrupted)


def _canary(cleared: list[Checked], count: int, plan: Plan) -> list[list[Checked]]:
    """The parts of the first ``count`` payments, and the rest."""
    validation = plan.opened.validation
    first: set[int] = set()
    canary: list[Checked] = []
    rest: list[Checked] = []
    for checked in cleared:
        payment = validation.payment_of(checked.payment.row)
        if payment not in first and len(first) < count:
            first.add(payment)
        (canary if payment in first else rest).append(checked)
    return [canary, rest]


def _why_stopped(stopped: RunStopped | None) -> str:
    if stopped is not None:
        return not_sent_because(stopped)
    return "Not sent: the run was interrupted."


def recorded_by(journal: Journal, run_id: int) -> dict[str, Decimal]:
    """What run ``run_id`` itself recorded, by currency (not what it skipped)."""
    return {currency: money.total for currency, money in journal.run_money(run_id).recorded.items()}
