"""The steps that record and after: Record (asked once more), its progress, Stop, Done, and
the downloads."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from importer.errors import ImporterError
from importer.output.problems import write_report
from importer.ui.pages import page_of, redirect, render, upload_of, workbench_of
from importer.ui.state import Run, Workbench

__all__ = [
    "confirm_page",
    "done_page",
    "events",
    "problems",
    "progress_page",
    "progress_stream",
    "record",
    "results",
    "stop",
]

# How often an idle progress stream says it is still there.
_KEEP_ALIVE_SECONDS = 15.0


async def confirm_page(request: Request) -> Response:
    """Record: "Record N payments for TOTAL?", asked once more before anything is sent."""
    upload = upload_of(request)
    if upload.run is not None and not upload.run.can_start_again:
        return redirect(request, "progress", upload_id=upload.id)
    if upload.plan is None or not upload.plan.ready:
        return redirect(request, "check", upload_id=upload.id)
    return render(request, "confirm.html", upload=upload, plan=upload.plan, error=None)


async def record(request: Request) -> Response:
    """Start the run (or find the one going on: a double click, a second tab, never two)."""
    upload = upload_of(request)
    workbench = workbench_of(request)
    try:
        run = await workbench.start(upload)
    except ImporterError as error:
        return render(
            request, "confirm.html", status=409, upload=upload, plan=upload.plan, error=str(error)
        )
    return redirect(request, "progress", upload_id=run.upload.id)


def _state(workbench: Workbench, run: Run, request: Request) -> dict[str, object]:
    """The progress as the page shows it and the stream sends it."""
    tally = run.tally
    now = workbench.clock()
    rate = tally.rate(now) if tally.done else 0.0
    return {
        "done": tally.done,
        "total": tally.total,
        "recorded": tally.recorded,
        "held_back": tally.held_back,
        "rate": f"{rate:.1f} a second" if tally.done else "",
        "left": f"about {tally.seconds_left(now):.0f} s left" if tally.done else "",
        "waiting": tally.waiting,
        "stopping": run.stop.is_set() and not run.finished,
        "finished": run.finished,
        "next": str(request.url_for("done", upload_id=run.upload.id)),
    }


async def progress_page(request: Request) -> Response:
    """The run's progress: pushed by the server to the page, or a refresh without scripts."""
    upload = upload_of(request)
    run = upload.run
    if run is None:
        return redirect(request, "confirm", upload_id=upload.id)
    if run.finished:
        return redirect(request, "done", upload_id=upload.id)
    return render(
        request,
        "progress.html",
        upload=upload,
        run=run,
        state=_state(workbench_of(request), run, request),
    )


async def events(request: Request) -> Response:
    """Server-sent events: the progress each time a payment's outcome is known."""
    upload = upload_of(request)
    workbench = workbench_of(request)
    run = upload.run
    if run is None:
        return Response(status_code=204)

    return StreamingResponse(
        progress_stream(run, lambda: _state(workbench, run, request), lambda: workbench.closing),
        media_type="text/event-stream",
        headers={"X-Accel-Buffering": "no"},
    )


async def progress_stream(
    run: Run,
    state_of: Callable[[], dict[str, object]],
    closing: Callable[[], bool],
    *,
    keep_alive: float = _KEEP_ALIVE_SECONDS,
) -> AsyncIterator[str]:
    """The run's state as server-sent events, each time it changes, until its last state (the
    run finished) has been sent or the workbench is closing."""
    version = -1
    while True:
        if await run.changed_since(version, timeout=keep_alive):
            version = run.version
            state = state_of()
            yield f"data: {json.dumps(state)}\n\n"
            # The state sent, not the run as it is now: a run that ended while this event was
            # on its way still has its last state to send.
            if state["finished"] or closing():
                return
        else:
            yield ": still here\n\n"


async def stop(request: Request) -> Response:
    """Stop, as Ctrl-C does: payments on their way are finished, no new one is sent."""
    upload = upload_of(request)
    run = upload.run
    if run is not None and not run.finished:
        run.stop.set()
        run.touch()
    return redirect(request, "progress", upload_id=upload.id)


async def done_page(request: Request) -> Response:
    """Done: the summary, every row's outcome, and the downloads."""
    upload = upload_of(request)
    run = upload.run
    if run is None:
        return redirect(request, "check", upload_id=upload.id)
    if not run.finished:
        return redirect(request, "progress", upload_id=upload.id)
    report = run.report
    page = page_of(report.results if report is not None else [], request)
    opened = upload.opened
    has_problems = opened is not None and bool(opened.validation.problems)
    return render(
        request,
        "done.html",
        upload=upload,
        run=run,
        report=report,
        page=page,
        has_problems=has_problems,
    )


async def results(request: Request) -> Response:
    """The results file, as written by the run."""
    upload = upload_of(request)
    report = upload.run.report if upload.run is not None else None
    if report is None or not report.results_written:
        return render(request, "problem.html", status=404, message="No results file was written.")
    path = report.results_path
    return FileResponse(path, filename=path.name)


async def problems(request: Request) -> Response:
    """Every problem of the file, with its row, column, value and message, as a workbook."""
    upload = upload_of(request)
    workbench = workbench_of(request)
    opened = upload.opened
    if opened is None:
        return redirect(request, "columns", upload_id=upload.id)
    path = workbench.results_folder / upload.id / f"{upload.path.stem}.problems.xlsx"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_report(path, opened.validation.problems)
    except (ImporterError, OSError) as error:
        return render(request, "problem.html", status=500, message=upload.words(str(error)))
    return FileResponse(path, filename=path.name)
