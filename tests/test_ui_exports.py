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
