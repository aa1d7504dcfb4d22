"""The import driven from Python one step at a time, as the command line and workbench do."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.check.payments import Place
from importer.importing import (
    Collaborators,
    Event,
    ImportChoices,
    ImportReport,
    PaymentDone,
    Plan,
    ReadingChoices,
    Recording,
    SendingStarted,
    close_run,
    open_file,
    plan_import,
    record_payments,
    write_results_files,
)
from importer.journal.journal import Journal
from importer.sandbox import DEFAULT_TOKEN, RunningSandbox
from importer.send.stop import StopSignal
from importer.status import RowStatus
from tests.conftest import TODAY, copy_sample

CHOICES = ImportChoices(today=TODAY)


def client_for(sandbox: RunningSandbox) -> HighLevelClient:
    return HighLevelClient(
        base_url=sandbox.url, token=SecretStr(DEFAULT_TOKEN), location_id=sandbox.location_id
    )


def through_plan(
    sandbox: RunningSandbox,
    path: Path,
    choices: ImportChoices,
    *,
    then: Callable[[Plan, Collaborators], object] | None = None,
    on_event: Callable[[Event], None] = lambda _event: None,
    stop: StopSignal | None = None,
) -> tuple[Plan, object]:
    """Open ``path``, plan it against the sandbox, and hand the plan to ``then`` (a coroutine
    function) with the same collaborators."""
    opened = open_file(path, choices.reading, today=TODAY)

    async def go() -> tuple[Plan, object]:
        async with client_for(sandbox) as client:
            collaborators = Collaborators(
                client=client,
                journal=Journal.open(":memory:"),
                on_event=on_event,
                stop=stop or StopSignal(),
            )
            plan = await plan_import(opened, choices, collaborators)
            after = await then(plan, collaborators) if then is not None else None  # type: ignore[misc]
            return plan, after

    return asyncio.run(go())


def test_opening_a_file_reads_and_checks_it_with_no_network(tmp_path: Path) -> None:
    """open_file gives every row, no problems, and the sum of the amounts; nothing is sent."""
    opened = open_file(copy_sample("payments.csv", tmp_path), today=TODAY)
    assert len(opened.file.rows) == 33
    assert opened.validation.problems == []
    assert len(opened.validation.payments) == 33
    assert opened.total is not None
    assert (opened.total.added, opened.total.claimed, opened.mark) == (
        Decimal("18574.00"),
        None,
        ".",
    )
    assert opened.notes == ()


def test_a_plan_says_what_would_be_sent_and_sends_nothing(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """plan_import checks each payment against its invoice: 33 to send, USD 18,574.00, one
    request to find the invoices, and not one payment recorded."""
    plan, _ = through_plan(sandbox, copy_sample("payments.csv", tmp_path), CHOICES)
    assert (plan.payment_count, plan.totals, plan.blocked_rows) == (
        33,
        {"USD": Decimal("18574.00")},
        0,
    )
    assert (plan.ready, plan.lookup_requests, plan.held_back, plan.mismatch) == (True, 1, 0, None)
    assert plan.results_path == tmp_path / "payments.results.csv"
    assert sandbox.sandbox.transactions() == []


def test_recording_tells_each_step_and_closing_writes_every_row(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """record_payments tells the start and each payment as events; close_run gives every
    row's outcome; write_results_files writes them."""
    events: list[Event] = []

    async def record(plan: Plan, collaborators: Collaborators) -> ImportReport:
        recording = await record_payments(plan, CHOICES, collaborators)
        return write_results_files(close_run(plan, recording, CHOICES, collaborators))

    _, report = through_plan(
        sandbox, copy_sample("payments.csv", tmp_path), CHOICES, then=record, on_event=events.append
    )
    assert isinstance(report, ImportReport)
    assert events[0] == SendingStarted(33)
    done = [event.outcome.payment.row for event in events if isinstance(event, PaymentDone)]
    assert sorted(done) == list(range(2, 35))
    assert [r.status for r in report.results] == [RowStatus.RECORDED] * 33
    assert (report.run_id, report.results_written, report.all_done) == (1, True, True)
    assert len(sandbox.sandbox.transactions()) == 33
    assert (tmp_path / "payments.results.csv").is_file()


def test_a_stop_from_another_thread_finishes_what_is_in_flight_and_sends_no_more(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """The stop signal, set from another thread after the first payment, ends sending: what
    was recorded is recorded, every other row is not_sent, and none is lost."""
    stop = StopSignal()
    first = threading.Event()

    def on_event(event: Event) -> None:
        if isinstance(event, PaymentDone):
            first.set()

    def press_stop() -> None:
        first.wait(timeout=30)
        stop.set()

    async def record(plan: Plan, collaborators: Collaborators) -> Recording:
        return await record_payments(plan, ImportChoices(today=TODAY, concurrency=1), collaborators)

    button = threading.Thread(target=press_stop)
    button.start()
    _, recording = through_plan(
        sandbox,
        copy_sample("payments.csv", tmp_path),
        CHOICES,
        then=record,
        on_event=on_event,
        stop=stop,
    )
    button.join()
    assert isinstance(recording, Recording)
    assert recording.interrupted
    statuses = [recording.outcomes[Place(row, 1)].status for row in range(2, 35)]
    recorded = statuses.count(RowStatus.RECORDED)
    assert 1 <= recorded < 33
    assert statuses.count(RowStatus.NOT_SENT) == 33 - recorded
    assert len(sandbox.sandbox.transactions()) == recorded


def test_a_dry_run_plan_closes_with_every_row_ready(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Closed without recording, a dry run's rows are all ready, and no run is kept."""
    dry = ImportChoices(today=TODAY, dry_run=True)

    async def close(plan: Plan, collaborators: Collaborators) -> ImportReport:
        return close_run(plan, None, dry, collaborators)

    _, report = through_plan(sandbox, copy_sample("payments.csv", tmp_path), dry, then=close)
    assert isinstance(report, ImportReport)
    assert {r.status for r in report.results} == {RowStatus.READY}
    assert (report.run_id, report.all_done, report.results_written) == (None, True, False)
    assert report.headline() == ["Dry run: nothing was recorded."]


def test_a_plan_not_confirmed_closes_with_every_payment_not_sent(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Declined, every payment is not_sent, saying the run was not confirmed."""

    async def close(plan: Plan, collaborators: Collaborators) -> ImportReport:
        return close_run(plan, None, CHOICES, collaborators, declined=True)

    _, report = through_plan(sandbox, copy_sample("payments.csv", tmp_path), CHOICES, then=close)
    assert isinstance(report, ImportReport)
    assert {(r.status, r.message) for r in report.results} == {
        (RowStatus.NOT_SENT, "Not sent: the run was not confirmed.")
    }
    assert report.rows_to_show() == []
    assert report.headline() == ["Not confirmed: nothing was recorded."]


def test_a_control_total_that_does_not_match_plans_nothing_against_highlevel(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """With a deposit total that differs, the plan holds the mismatch and reads no invoice."""
    choices = ImportChoices(today=TODAY, expect_total="18000.00", reading=ReadingChoices())
    plan, _ = through_plan(sandbox, copy_sample("payments.csv", tmp_path), choices)
    assert plan.mismatch is not None
    assert str(plan.mismatch) == (
        "Control (--expect-total/--expect-count): total 18,574.00 against 18,000.00: DOES NOT "
        "MATCH (difference +574.00). Nothing was sent; find the difference, then run again."
    )
    assert (plan.ready, plan.verdicts, plan.lookup_requests) == (False, (), 0)
