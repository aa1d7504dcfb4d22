"""The workbench's web application: its pages in the order of the import, behind the guard.

    Start  /                       drop the spreadsheet; the account; doctor's verdict
    Columns /files/ID/columns      the template, the sheet, each field's column
    Rows   /files/ID/rows          every row, its problems on the cell; totals; deposit slip
    Check  /files/ID/check         the dry run against HighLevel, row by row
    Record /files/ID/record        asked once more, then its progress and a Stop button
    Done   /files/ID/done          the summary, every row's outcome, the downloads
    Runs   /runs                   past runs; a payment in doubt settled by hand

Each step is a page of its own (reached again with the browser's back button); forms post
and are answered with a redirect to a page, so that they work without scripts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from importer.ui import history, record, steps
from importer.ui.guard import Guard
from importer.ui.pages import HERE, render
from importer.ui.state import Workbench

__all__ = ["make_app"]

log = logging.getLogger("importer.ui")


def make_app(workbench: Workbench, *, secret: str) -> Starlette:
    """The workbench's pages over ``workbench``, for the browser that holds ``secret``."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        doctor = asyncio.create_task(workbench.run_doctor())
        workbench.serving.set()
        try:
            yield
        finally:
            doctor.cancel()
            await workbench.close()

    def files(path: str, endpoint: object, name: str, methods: list[str]) -> Route:
        return Route(f"/files/{{upload_id}}/{path}", endpoint, name=name, methods=methods)  # type: ignore[arg-type]

    routes = [
        Route("/", steps.start, name="start"),
        Route("/files", steps.upload, name="upload", methods=["POST"]),
        files("columns", steps.columns_page, "columns", ["GET"]),
        files("columns", steps.columns, "choose_columns", ["POST"]),
        files("rows", steps.rows_page, "rows", ["GET"]),
        files("match", steps.match, "match", ["POST"]),
        files("accept", steps.accept, "accept", ["POST"]),
        files("check", steps.check_page, "check", ["GET"]),
        files("check", steps.check, "run_check", ["POST"]),
        files("record", record.confirm_page, "confirm", ["GET"]),
        files("record", record.record, "record", ["POST"]),
        files("progress", record.progress_page, "progress", ["GET"]),
        files("events", record.events, "events", ["GET"]),
        files("stop", record.stop, "stop", ["POST"]),
        files("done", record.done_page, "done", ["GET"]),
        files("results", record.results, "results", ["GET"]),
        files("problems", record.problems, "problems", ["GET"]),
        Route("/runs", history.runs_page, name="runs"),
        Route("/runs/{run_id:int}", history.run_page, name="run"),
        Route("/runs/{run_id:int}/settle", history.settle, name="settle", methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, secret=secret)],
        exception_handlers={HTTPException: _http_problem, Exception: _server_problem},
        lifespan=lifespan,
    )
    app.state.workbench = workbench
    return app


async def _http_problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = error.detail if error.status_code != 405 else "That page does not take this."
    return render(request, "problem.html", status=error.status_code, message=message)


async def _server_problem(request: Request, error: Exception) -> Response:
    # Never a stack trace in the page: it is logged, and the page says what to do.
    log.error("%s %s failed", request.method, request.url.path, exc_info=error)
    return render(
        request,
        "problem.html",
        status=500,
        message="Something went wrong on this page. Go back and try again; nothing was "
        "recorded by this page.",
    )
