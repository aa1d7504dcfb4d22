"""Real exports in the workbench, as an accountant drops them with no template chosen: the
pages say what the importer decided, as the command line does, over the test client against
a sandbox of the corpus invoices."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from starlette.testclient import TestClient

from importer.sandbox import RunningSandbox, running_sandbox
from importer.ui import Workbench
from tests.conftest import DATA
from tests.workbench import account, page_client, text_of, upload

EXPORTS = DATA / "exports"
EXPECTED: dict[str, Any] = json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8"))
DAY = date.fromisoformat(EXPECTED["today"])


@contextmanager
def exports_bench() -> Iterator[tuple[TestClient, Workbench, RunningSandbox]]:
    """The workbench on the day the exports hold, over a sandbox of their invoices."""
    seed = json.loads((EXPORTS / EXPECTED["seed"]).read_text(encoding="utf-8"))
    with (
        running_sandbox(seed, rate_limit="off") as sandbox,
        page_client(account(sandbox), today=DAY) as (client, bench),
    ):
        yield client, bench, sandbox


def chosen_columns(page: str) -> dict[str, str]:
    """The Columns page's fields and the column each select shows chosen ("" for none)."""
    chosen = {}
    for name, options in re.findall(
        r'<select id="column-(\w+)"[^>]*>(.*?)</select>', page, flags=re.S
    ):
        selected = re.search(r"<option selected>([^<]*)</option>", options)
        chosen[name] = selected.group(1) if selected else ""
    return chosen


def test_the_columns_page_shows_the_columns_a_real_export_was_read_with() -> None:
    """A bank statement whose invoice column was found by its content: the Columns page
    shows each field fed by the column the reading used, none of them missing; using
    those columns as shown reads the file as before."""
    with exports_bench() as (client, _bench, _sandbox):
        upload_id = upload(client, EXPORTS / "chase-business-checking.csv")
        columns = client.get(f"/files/{upload_id}/columns").text
        assert {k: v for k, v in chosen_columns(columns).items() if v} == {
            "invoice": "Description",
            "amount": "Amount",
            "payment_date": "Posting Date",
            "notes": "Description",
        }
        assert "missing" not in text_of(columns)
        assert (
            "Read as a bank statement (template bank-transfer); to read it otherwise, choose "
            "another Template on the Columns step." in text_of(columns)
        )
        fields = {f"column-{k}": v for k, v in chosen_columns(columns).items()}
        client.post(f"/files/{upload_id}/columns", data={**fields, "action": "apply"})
        rows = text_of(client.get(f"/files/{upload_id}/rows").text)
        assert "5 ready, 0 with problems, 3 not a payment." in rows


def test_lines_that_are_not_a_payment_are_shown_with_their_reason_and_counted() -> None:
    """A statement's debits and fees: counted apart on the Rows page as the command line
    counts them, each marked in the table with the reason it is passed over."""
    with exports_bench() as (client, _bench, _sandbox):
        upload_id = upload(client, EXPORTS / "chase-business-checking.csv")
        rows = client.get(f"/files/{upload_id}/rows").text
        said = text_of(rows)
        assert (
            "8 rows read with the template bank-transfer : 5 ready, 0 with problems, "
            "3 not a payment." in said
        )
        passed = re.findall(
            r'<tr class="not-a-payment">\s*<th scope="row">(\d+)</th>.*?'
            r'<td class="messages"><p>(.*?)</p>',
            rows,
            flags=re.S,
        )
        assert [(row, html.unescape(text_of(why))) for row, why in passed] == [
            ("3", "– Not a payment : Its Type says 'ACH_DEBIT': no money received."),
            ("5", "– Not a payment : Money paid out (-420.00)."),
            ("7", "– Not a payment : Its Type says 'FEE_TRANSACTION': no money received."),
        ]


def test_the_filters_by_problem_name_each_kind_in_words(sandbox: RunningSandbox) -> None:
    """Rows whose amount and method cannot be read: each filter says its kind in words, no
    code word, and still picks out the rows of that kind."""
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, DATA / "cells-with-markup.csv")
        rows = client.get(f"/files/{upload_id}/rows").text
        filters = re.search(r'<nav class="filters".*?</nav>', rows, flags=re.S)
        assert filters is not None
        assert text_of(filters.group(0)) == (
            "All rows Rows with problems (2) Amount: not a number (1) Method: unknown (1)"
        )
        assert 'href="?problem=amount.not_a_number"' in filters.group(0)


def test_markup_in_cells_headers_and_the_file_s_name_is_shown_as_text(
    sandbox: RunningSandbox,
) -> None:
    """Script and HTML in the cells, a header and the file's name reach every page as text:
    escaped, never markup."""
    name = '"><img src=x onerror=alert(7)>.csv'
    markup = [
        "<script>alert(1)</script>",
        "<b onmouseover=alert(2)>",
        "<img src=x onerror=alert(3)>",
        "<svg onload=alert(4)>",
        "<img src=x onerror=alert(7)>",
    ]
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, DATA / "cells-with-markup.csv", name=name)
        client.post(f"/files/{upload_id}/check", data={"skip_invalid": "yes"})
        pages = [
            client.get(f"/files/{upload_id}/{step}").text for step in ("columns", "rows", "check")
        ]
    for page in pages:
        assert [m for m in markup if m in page] == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]
    assert "{{7*7}}" in pages[1]
