"""Runs: past runs from the journal, one run row by row, and a payment in doubt settled."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from importer.errors import ImporterError
from importer.journal.journal import Journal
from importer.journal.ledger import IN_DOUBT
from importer.journal.settle import settle_payment, settled_words
from importer.status import RowStatus
from importer.ui.pages import page_of, render, workbench_of

__all__ = ["run_page", "runs_page", "settle"]


async def runs_page(request: Request) -> Response:
    """Every past run: when, who, which file, how it ended, and what it recorded."""
    where = workbench_of(request).journal_path
    found = []
    if where.is_file():
        with Journal.open(where) as journal:
            found = [
                (record, journal.outcome_of(record), journal.run_money(record.id))
                for record in journal.history.runs()
            ]
    return render(request, "runs.html", runs=found)


async def run_page(
    request: Request, *, said: str | None = None, error: str | None = None
) -> Response:
    """One run, row by row; a payment in doubt has two buttons to say what HighLevel shows."""
    run_id = int(request.path_params["run_id"])
    where = workbench_of(request).journal_path
    record = None
    if where.is_file():
        with Journal.open(where) as journal:
            record = journal.history.run(run_id)
            if record is not None:
                outcome = journal.outcome_of(record)
                money = journal.run_money(run_id)
                rows = journal.history.run_rows(run_id)
                sent = journal.ledger.run_payments(run_id)
                by_hand = journal.ledger.hand_settlements(run_id)
    if record is None:
        return render(
            request, "problem.html", status=404, message=f"No run {run_id} in the journal."
        )
    doubt = {entry.row for entry in sent if entry.state in IN_DOUBT}
    doubt |= {row.row for row in rows if row.status == RowStatus.UNKNOWN}
    return render(
        request,
        "run.html",
        status=400 if error else 200,
        record=record,
        outcome=outcome,
        run_money=money,
        page=page_of(rows, request),
        sent=sent if not rows else [],
        by_hand=by_hand,
        doubt=doubt,
        said=said,
        error=error,
    )


async def settle(request: Request) -> Response:
    """What the accountant found in HighLevel for a payment left unknown."""
    run_id = int(request.path_params["run_id"])
    form = await request.form()
    try:
        row = int(str(form.get("row", "")))
        settled = settle_payment(
            workbench_of(request).journal_path,
            run_id,
            row,
            recorded=form.get("found") == "recorded",
        )
    except ValueError:
        return await run_page(request, error="Which row? Use the buttons beside the row.")
    except ImporterError as error:
        return await run_page(request, error=str(error))
    return await run_page(request, said=settled_words(settled))
