"""The steps before anything is recorded: Start, Columns, Rows and Check."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response

from importer.check.accepted import ProposalLine, proposal_lines
from importer.check.problems import problems_by_row
from importer.check.saved import saved_templates
from importer.check.statement import statement_hint
from importer.check.template_files import builtin_names, load_template
from importer.check.totals import read_expected_total
from importer.errors import ConfigurationError, ImporterError
from importer.importing import OpenedFile
from importer.output.problems import problems_by_kind
from importer.read.files import PAYMENTS_SUFFIXES
from importer.read.layout import SourceRow
from importer.reading import chosen_reading, reading_options
from importer.review import ColumnChoice, column_choices, file_summary
from importer.ui.pages import page_of, redirect, render, upload_of, workbench_of
from importer.ui.state import Upload
from importer.ui.uploads import UploadRefused, kinds, receive_upload

__all__ = [
    "accept",
    "check",
    "check_page",
    "columns",
    "columns_page",
    "match",
    "rows_page",
    "start",
    "upload",
]


async def start(request: Request) -> Response:
    """Start: drop the spreadsheet; the account in use; what doctor found wrong."""
    return _start(request)


def _start(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    return render(
        request,
        "start.html",
        status=status,
        error=error,
        accept=",".join(PAYMENTS_SUFFIXES),
        kinds=kinds(),
    )


async def upload(request: Request) -> Response:
    """The spreadsheet received and read; refused on the Start page with the reason."""
    try:
        received = await receive_upload(request, workbench_of(request))
    except UploadRefused as refused:
        return _start(request, error=str(refused), status=refused.status)
    return redirect(request, "columns", upload_id=received.id)


async def columns_page(request: Request) -> Response:
    """Columns: the template, the sheet, and the column that feeds each field."""
    return _columns(request, upload_of(request))


def _columns(request: Request, upload: Upload, *, error: str | None = None) -> Response:
    workbench = workbench_of(request)
    review = upload.review
    saved = [t.name for t in saved_templates(workbench.templates_folder)]
    return render(
        request,
        "columns.html",
        status=400 if error else 200,
        upload=upload,
        error=error,
        problem=None if upload.opened is not None else upload.words(review.problem),  # type: ignore[union-attr]
        headers=[h for h in review.file.columns if h],
        fields=_column_choices(upload),
        templates=builtin_names(),
        saved=saved,
        template=upload.template,
        sheets=review.file.sheets,
        sheet=review.file.sheet,
        reading=reading_options(review),
        statement=upload.opened is None
        and statement_hint(upload.path, review.file.columns, upload.template) is not None,
    )


def _column_choices(upload: Upload) -> list[ColumnChoice]:
    """Each field and its column: as the file was read, once it could be."""
    opened = upload.opened
    return column_choices(
        upload.review.file.columns,
        upload.template,
        column_map=opened.validation.column_map if opened is not None else None,
    )


async def columns(request: Request) -> Response:
    """Read the file again with another template, sheet, date order, decimal mark, encoding
    or separator, or with the columns chosen (and save those as a template when asked)."""
    upload = upload_of(request)
    workbench = workbench_of(request)
    form = await request.form()
    action = str(form.get("action", ""))
    try:
        if action == "read":
            name = str(form.get("template", "default"))
            saved = {t.name: t for t in saved_templates(workbench.templates_folder)}
            template = saved.get(name) or load_template(
                name if name in builtin_names() else "default"
            )
            sheet = str(form.get("sheet", "")) or None
            # The dates, decimal mark, encoding and separator as chosen: the values the
            # command line's flags take, so that both read the file alike.
            reading = chosen_reading(upload.reading, form)
            workbench.read_again(
                upload, dataclasses.replace(reading, template=template, sheet=sheet)
            )
        else:
            chosen = {
                choice.field: str(form.get(f"column-{choice.field}", ""))
                for choice in _column_choices(upload)
            }
            headers = set(upload.review.file.columns)
            picked = {
                name: header for name, header in chosen.items() if header in headers and header
            }
            save_as = str(form.get("name", "")) if action == "save" else None
            workbench.choose_columns(upload, picked, save_as=save_as)
    except ImporterError as error:
        return _columns(request, upload, error=upload.words(str(error)))
    return redirect(request, "columns", upload_id=upload.id)


async def rows_page(request: Request) -> Response:
    """Rows: every row, its problems marked on the cell, filters by problem, totals, and the
    deposit slip's total and count."""
    upload = upload_of(request)
    opened = upload.opened
    if opened is None:
        return redirect(request, "columns", upload_id=upload.id)
    problems = opened.validation.problems
    by_row = problems_by_row(problems)
    kind = request.query_params.get("problem", "")
    rows = opened.file.rows
    if kind == "any":
        rows = [row for row in rows if row.number in by_row]
    elif kind:
        rows = [row for row in rows if any(p.code == kind for p in by_row.get(row.number, []))]
    page = page_of(rows, request)
    position = {header: index for index, header in reversed(list(enumerate(opened.file.columns)))}
    passed_over = opened.validation.passed_over
    marked = []
    for row in page.items:
        found = by_row.get(row.number, [])
        cells = {position.get(p.column, -1): p for p in found if p.column in position}
        whole = [p for p in found if p.column not in position]
        marked.append((row, cells, found, whole, passed_over.get(row.number)))
    # Lines with nothing to send (a statement's debits and fees, lines not accepted), counted
    # by status as the summary counts them: "3 not a payment".
    aside = Counter(str(passed.status) for passed in passed_over.values())
    return render(
        request,
        "rows.html",
        upload=upload,
        opened=opened,
        page=page,
        rows=marked,
        width=len(opened.file.columns),
        kind=kind,
        kinds=problems_by_kind(problems),
        invalid=len(opened.validation.invalid_rows),
        passed_over=sorted(aside.items()),
        summary=file_summary(opened),
        total_note=opened.total_note,
        statement_matches=statement_matches(opened, [row for row, *_ in marked]),
    )


def statement_matches(opened: OpenedFile, rows: Sequence[SourceRow]) -> list[ProposalLine]:
    """A bank statement's proposed invoice for each of ``rows`` that is money received, which
    the Rows step shows with an accept box and an editable invoice; none for other files."""
    return proposal_lines(opened.file, rows)


async def match(request: Request) -> Response:
    """Match a bank statement with the open invoices; its proposals are its rows from now on."""
    upload = upload_of(request)
    try:
        await workbench_of(request).match_statement(upload)
    except ImporterError as error:
        return _columns(request, upload, error=upload.words(str(error)))
    return redirect(request, "rows", upload_id=upload.id)


async def accept(request: Request) -> Response:
    """The invoices and Accept boxes of a statement's lines, as the person set them."""
    upload = upload_of(request)
    form = await request.form()
    lines = [int(row) for row in str(form.get("lines", "")).split() if row.isdigit()]
    confirmed = {
        row: (str(form.get(f"invoice-{row}", "")), form.get(f"accept-{row}") == "yes")
        for row in lines
    }
    try:
        workbench_of(request).confirm_lines(upload, confirmed)
    except ImporterError as error:
        return _columns(request, upload, error=upload.words(str(error)))
    back = redirect(request, "rows", upload_id=upload.id)
    page = str(form.get("page", ""))
    if page.isdigit():
        back.headers["location"] += f"?page={page}"
    return back


async def check(request: Request) -> Response:
    """Check against HighLevel with the deposit slip's total and count; records nothing."""
    upload = upload_of(request)
    workbench = workbench_of(request)
    form = await request.form()
    total = str(form.get("expect_total", "")).strip()
    count = str(form.get("expect_count", "")).strip()
    allow = form.get("allow_duplicates") == "yes"
    try:
        expect_total = read_expected_total(total) if total else None
        if count and not count.isdigit():
            raise ConfigurationError(
                f"The number of payments {count!r} is not a whole number: write it like 33."
            )
    except ConfigurationError as error:
        upload.check_error = upload.words(str(error))
        upload.plan = upload.preview = None
        return redirect(request, "check", upload_id=upload.id)
    choices = dataclasses.replace(
        upload.choices,
        expect_total=expect_total,
        expect_count=int(count) if count else None,
        skip_invalid=form.get("skip_invalid") == "yes",
        allow_duplicates=allow,
        today=workbench.today(),
    )
    if allow != upload.choices.allow_duplicates:
        upload.choices = choices
        workbench.read_again(upload, upload.reading)
    await workbench.check(upload, choices)
    return redirect(request, "check", upload_id=upload.id)


async def check_page(request: Request) -> Response:
    """Check: each row's invoice, client, status and balance before and after; refused rows
    and duplicates with their reason; what recording would do."""
    upload = upload_of(request)
    preview, plan = upload.preview, upload.plan
    before = {}
    if plan is not None:
        # A row that pays several invoices shows its first one's state before.
        for verdict in reversed(plan.verdicts):
            before[verdict.payment.row] = verdict.invoice
    page = page_of(preview.results if preview is not None else [], request)
    return render(
        request,
        "check.html",
        upload=upload,
        plan=plan,
        preview=preview,
        page=page,
        before=before,
        error=upload.check_error,
    )
