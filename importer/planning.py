"""Step 2 of the import: what a run would record, and why each other row would not, before
anything is sent.

Every payment is checked against its live invoice, the payments HighLevel already holds and
the journal (what earlier runs recorded or left in doubt), and the file against its control
total. What comes out is a ``Plan``, for the user to confirm.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from importer.check.payments import Place
from importer.check.totals import (
    expected_total,
)
from importer.check.values import decimal_option
from importer.choices import ImportChoices
from importer.collaborators import (
    Collaborators,
    Waiting,
)
from importer.errors import (
    ConfigurationError,
    ControlTotalMismatch,
)
from importer.holdings import NOT_CHECKED_NOTE, compare_with_highlevel
from importer.opening import OpenedFile
from importer.output.files import ensure_writable
from importer.output.results import (
    check_results_path,
    default_results_path,
    free_results_path,
    is_results_name,
    moved_note,
)
from importer.output.summary import ControlCheck
from importer.parts import check_whole, preflight_parts
from importer.preflight import Checked
from importer.send.keys import row_keys
from importer.send.outcomes import Outcome
from importer.send.recovery import (
    from_journal,
    in_doubt_note,
    journal_entries,
    recover_left_over,
)
from importer.send.waits import check_lost_answer_wait


@dataclass(frozen=True)
class Plan:
    """What a run would record, and why each other row would not, before anything is sent."""

    opened: OpenedFile
    location_id: str
    results_path: Path
    notes: tuple[str, ...]
    control: ControlCheck | None
    # The file and the deposit slip disagree: nothing is checked against HighLevel or sent.
    mismatch: ControlTotalMismatch | None
    # Invalid rows that hold the whole file back (0 with --skip-invalid or none invalid).
    held_back: int
    verdicts: tuple[Checked, ...]
    # Payments (parts) settled before anything is sent: recorded by an earlier run (skipped),
    # or left in doubt by one and checked now; by place (row, and part of the row).
    settled: Mapping[Place, Outcome]
    keys: Mapping[Place, str]
    # Payments an earlier run left in doubt and this run takes over once they proved absent.
    taking_over: frozenset[Place]
    lookup_requests: int
    # Requests spent reading the payments HighLevel holds, and which way they were read.
    check_requests: int = 0
    check_how: str = ""

    @property
    def cleared(self) -> list[Checked]:
        """The payments to send (one per invoice part), in file order."""
        return [
            v for v in self.verdicts if v.refusal is None and v.payment.place not in self.settled
        ]

    @property
    def payment_count(self) -> int:
        """The payments to record in HighLevel: one per invoice part."""
        return len(self.cleared)

    @property
    def payer_payments(self) -> int:
        """The payments to send as the payer made them: a cheque for three invoices is one."""
        return len({self.opened.validation.payment_of(v.payment.row) for v in self.cleared})

    @property
    def totals(self) -> dict[str, Decimal]:
        """The money to send, by currency."""
        totals: dict[str, Decimal] = {}
        for checked in self.cleared:
            currency = checked.invoice.currency if checked.invoice else "?"
            totals[currency] = totals.get(currency, Decimal(0)) + checked.payment.amount
        return totals

    @property
    def blocked_rows(self) -> int:
        """Rows of the file that will not be sent."""
        return len(self.opened.file.rows) - len({v.payment.row for v in self.cleared})

    @property
    def ready(self) -> bool:
        """True when there is something to send and nothing holds the file back."""
        return bool(self.cleared) and not self.held_back and self.mismatch is None


async def plan_import(
    opened: OpenedFile, choices: ImportChoices, collaborators: Collaborators
) -> Plan:
    """Check every payment against its live invoice and the journal; send nothing.

    Payments an earlier run left in doubt are looked up in HighLevel now (not in a dry run),
    so the plan knows which of them are already there. ImporterError when the run cannot
    start (the results file cannot be written, a control total cannot be read).
    """
    path = opened.path
    wanted = results_path_for(path, choices)
    # The results of another run are never written over: this run's go to the next free name.
    results_path = free_results_path(wanted)
    notes = opened.notes
    if choices.results_path is None and is_results_name(path):
        notes += (
            f"{path.name} is a results file given back: its old outcome columns are ignored, "
            f"and this run's results go to {results_path.name}, leaving {path.name} as it was.",
        )
    elif results_path != wanted:
        notes += (moved_note(wanted, results_path),)
    # Found out now, not after the payments are recorded with nowhere to report them.
    ensure_writable(results_path, what="the results file", flag="--results")
    if choices.summary_json is not None:
        ensure_writable(choices.summary_json, what="the summary", flag="--summary-json")
    validation = opened.validation
    # One invalid row holds back the whole file unless asked otherwise: an accountant fixes the
    # file and imports it once, rather than chasing which half went in. The valid rows are
    # still checked against their invoices, so one run shows every problem.
    held_back = 0 if choices.skip_invalid else len(validation.invalid_rows)
    control = _control_check(opened, choices)
    client = collaborators.client
    plan = Plan(
        opened, client.location_id, results_path, notes, control, None, held_back,
        verdicts=(), settled={}, keys={}, taking_over=frozenset(), lookup_requests=0,
    )  # fmt: skip
    if control is not None and not control.matches:
        # The deposit slip and the file disagree: nothing is sent until the accountant knows why.
        mismatch = ControlTotalMismatch(
            control.line() + " Nothing was sent; find the difference, then run again."
        )
        return dataclasses.replace(plan, mismatch=mismatch)
    journal = collaborators.journal
    checked = await preflight_parts(
        client,
        validation,
        journal=journal,
        mark=opened.mark or ".",
        skip_invalid=choices.skip_invalid,
    )
    # Only now is it known whether this is a sandbox (it names itself in its answers).
    check_lost_answer_wait(choices.lost_answer_wait, rehearsal=client.sandbox is not None)
    verdicts = checked.verdicts
    every_key = row_keys(client.location_id, verdicts)
    keys = every_key.keys
    entries = journal_entries(journal, client.account, every_key)
    settled, in_doubt = from_journal(verdicts, entries, file_name=path.name)
    if in_doubt and not choices.dry_run:
        settled.update(
            await recover_left_over(
                client,
                journal,
                in_doubt,
                entries,
                lost_answer_wait=choices.lost_answer_wait,
                clock=collaborators.clock,
                on_wait=lambda words: collaborators.on_event(Waiting(words)),
            )
        )
    elif in_doubt:
        # A dry run records nothing, so it leaves the check to the real run, and says so.
        verdicts = [
            in_doubt_note(v, entries[v.payment.place]) if v.payment.place in in_doubt else v
            for v in verdicts
        ]
    if choices.highlevel_check:
        # Not the rows an earlier run left in doubt: they were judged by their key just now
        # (or, in a dry run, will be by the real run).
        held = await compare_with_highlevel(
            client,
            [v for v in verdicts if v.payment.place not in in_doubt],
            every_key,
            settled=settled,
            absent=journal.ledger.found_absent_by_hand(client.account, keys.values()),
            allow_all=choices.allow_duplicates,
            today=collaborators.clock.now().date(),
        )
        settled.update(held.outcomes)
        plan = dataclasses.replace(plan, check_requests=held.requests, check_how=held.how)
    else:
        notes += (NOT_CHECKED_NOTE,)
    if settled and checked.index is not None:
        # The invoices' balances include what earlier runs recorded: check the rest again
        # without the rows already settled, so those do not count twice. The invoices were
        # paged moments ago, and nothing has been sent since: the same index serves, with
        # the copies that checking payments in doubt read afterwards (they may show one that
        # landed in between). The list is read once per run.
        index = checked.index.refreshed(
            [o.invoice for o in settled.values() if o.invoice is not None]
        )
        verdicts = check_whole(
            index, verdicts, validation, settled=settled, skip_invalid=choices.skip_invalid
        )
    return dataclasses.replace(
        plan,
        notes=notes,
        verdicts=tuple(verdicts),
        settled=settled,
        keys=keys,
        taking_over=frozenset(in_doubt),
        lookup_requests=checked.lookup_requests,
    )


def results_path_for(path: Path, choices: ImportChoices) -> Path:
    if choices.results_path is not None:
        check_results_path(choices.results_path)
    results_path = choices.results_path or default_results_path(path, dry_run=choices.dry_run)
    if results_path.resolve() == path.resolve():
        raise ConfigurationError(
            f"--results {results_path} is the file being imported; writing the results there "
            "would replace it. Choose another name, or leave --results out."
        )
    return results_path


def _control_check(opened: OpenedFile, choices: ImportChoices) -> ControlCheck | None:
    """The file's rows against the control total: the one given, else the file's totals row.

    Rows with no payment (a pre-filled workbook's invoices nobody paid) are not payments, so
    they are not counted against ``--expect-count``; nor are the rows that continue a payment
    an earlier row began (one cheque for three invoices, on three rows, is one payment).
    """
    found = opened.total
    added = found.added if found is not None else Decimal(0)
    validation = opened.validation
    payments = (
        len(opened.file.rows)
        - len(validation.empty_rows)
        - len(validation.passed_over)
        - validation.continuing_rows
    )
    mark = (
        found.mark
        if found is not None
        else decimal_option(opened.reading.decimal or opened.template.decimal)
    )
    if choices.expect_total is not None or choices.expect_count is not None:
        return ControlCheck(
            "--expect-total/--expect-count",
            added,
            payments,
            expected_total(choices.expect_total, mark),
            choices.expect_count,
            decimal=mark or ".",
        )
    totals_row = opened.file.total
    if totals_row is not None and found is not None and found.claimed is not None:
        return ControlCheck(
            f"totals row {totals_row.number}",
            added,
            payments,
            found.claimed,
            None,
            decimal=found.mark,
        )
    return None
