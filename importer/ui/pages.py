"""What every page shares: the templates, the workbench, the file a page is about, and paging."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from importer.review import about_to_record
from importer.ui.state import Upload, Workbench
from importer.ui.words import money, status_mark, status_text, totals_text
from importer.words import invoice_status_word, method_word, plural, problem_word

__all__ = ["PAGE_SIZE", "Paged", "page_of", "redirect", "render", "upload_of", "workbench_of"]

HERE = Path(__file__).resolve().parent
# Rows a table shows at once: a 10,000-row file is paged, never put in one page.
PAGE_SIZE = 100

templates = Jinja2Templates(directory=HERE / "templates")
# What the templates say things with, each by its own name.
for helper in (status_text, status_mark, money, totals_text, method_word, invoice_status_word):
    templates.env.globals[helper.__name__] = helper
templates.env.globals.update(
    plural=plural, about_to_record=about_to_record, problem_word=problem_word
)

T = TypeVar("T")


def workbench_of(request: Request) -> Workbench:
    workbench: Workbench = request.app.state.workbench
    return workbench


def upload_of(request: Request) -> Upload:
    """The file the page is about, by the id in its address; 404 when there is none."""
    upload = workbench_of(request).uploads.get(request.path_params["upload_id"])
    if upload is None:
        raise HTTPException(
            404,
            "No such file here: the workbench was restarted, or the file "
            "was never dropped on it. Start again from the Start page.",
        )
    return upload


def render(request: Request, name: str, *, status: int = 200, **context: Any) -> Response:
    """A page, with what every page shows: the account in use and the run going on."""
    workbench = workbench_of(request)
    return templates.TemplateResponse(
        request,
        name,
        {
            "workbench": workbench,
            "recording": workbench.recording,
            "step": name.removesuffix(".html"),
            **context,
        },
        status_code=status,
    )


def redirect(request: Request, name: str, **params: Any) -> RedirectResponse:
    """303 to another page: after a form is posted, the browser's back button and a reload
    land on a page, never on the form again."""
    return RedirectResponse(str(request.url_for(name, **params)), status_code=303)


@dataclass(frozen=True)
class Paged:
    """One page of a long list, and where it stands among the others."""

    items: Sequence[Any]
    number: int
    pages: int
    first: int  # the position of the page's first item, from 1

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1


def page_of(items: Sequence[T], request: Request) -> Paged:
    """The page the address asks for (``?page=N``), within the list."""
    pages = max(1, math.ceil(len(items) / PAGE_SIZE))
    try:
        number = min(max(int(request.query_params.get("page", "1")), 1), pages)
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    return Paged(items[start : start + PAGE_SIZE], number, pages, start + 1)
