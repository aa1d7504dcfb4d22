"""A bank statement in the workbench: matched on the Columns step, confirmed on the Rows step,
recorded as any file, over the test client against a sandbox of the corpus invoices."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.testclient import TestClient

from importer.sandbox import RunningSandbox, running_sandbox
from importer.ui import Workbench
from tests.conftest import DATA
from tests.test_statements import (
    DAY,
    FILES,
    NATIONWIDE,
    expected_payments,
    pages_listing_open_invoices,
    recorded,
)
from tests.workbench import account, follow, page_client, text_of, upload


@contextmanager
def statement_bench() -> Iterator[tuple[TestClient, Workbench, RunningSandbox]]:
    """The workbench on the day the corpus statements hold, over a sandbox of its invoices."""
    seed = json.loads((DATA / "corpus-sandbox-invoices.json").read_text())
    with (
        running_sandbox(seed, rate_limit="off") as sandbox,
        page_client(account(sandbox), today=DAY) as (client, bench),
    ):
        yield client, bench, sandbox


def proposed(page: str) -> list[tuple[str, str, str, bool]]:
    """The Rows page's proposals: each line's row, Match, Invoice, and whether it is ticked."""
    found = re.findall(
        r'<th scope="row">(\d+)</th>\s*<td>(\w+)</td>.*?name="invoice-\d+" value="([^"]*)".*?'
        r'name="accept-\d+" value="yes"( checked)?',
        page,
        flags=re.S,
    )
    return [(row, match, invoice, bool(ticked)) for row, match, invoice, ticked in found]


def test_a_statement_is_matched_confirmed_and_recorded_in_the_workbench() -> None:
    """The Columns step offers to match a statement; the Rows step lists each payment's
    proposal, sure ones ticked; ticking the likely ones and choosing one of several records
    one payment per line so accepted, after the check."""
    with statement_bench() as (client, bench, sandbox):
        upload_id = upload(client, DATA / "statements" / NATIONWIDE)
        columns = client.get(f"/files/{upload_id}/columns").text
        assert "This looks like a bank statement" in columns
        assert "Match with the open invoices" in columns
        rows = client.post(f"/files/{upload_id}/match")
        assert str(rows.url).endswith(f"/files/{upload_id}/rows")
        assert sandbox.sandbox.requests_by_route == Counter(
            {("GET", "/invoices/"): pages_listing_open_invoices()}
        )
        entry = FILES[NATIONWIDE]
        # The proposals file's rows follow the statement's lines, from its row 2.
        lines = [
            (str(number), row["match"], "; ".join(row["invoice"]), row["accept"] == "yes")
            for number, row in enumerate(entry["rows"], start=2)
            if row["match"] != "not a payment"
        ]
        assert proposed(rows.text) == lines
        several = next(line for line in lines if line[1] == "several")
        chosen = {
            "lines": " ".join(line[0] for line in lines),
            **{f"invoice-{line[0]}": line[2] for line in lines},
            **{f"accept-{line[0]}": "yes" for line in lines if line[1] in ("sure", "likely")},
            f"invoice-{several[0]}": "2006",
            f"accept-{several[0]}": "yes",
        }
        saved = client.post(f"/files/{upload_id}/accept", data=chosen)
        assert proposed(saved.text) == [
            (
                row,
                match,
                "2006" if row == several[0] else invoice,
                match in ("sure", "likely") or row == several[0],
            )
            for row, match, invoice, _ticked in lines
        ]
        client.post(f"/files/{upload_id}/check", data={})
        check = text_of(client.get(f"/files/{upload_id}/check").text)
        assert "Record 10 payments for GBP 11,405.80" in check  # the split: two
        assert client.post(f"/files/{upload_id}/record").status_code == 200
        last = follow(client, upload_id)
        assert (last["done"], last["recorded"]) == (10, 10)
        assert not bench.uploads[upload_id].folder.exists()
    chosen_payment = ("2006", "500.00", "2026-11-13", "bank_transfer")
    assert recorded(sandbox) == sorted(
        [*expected_payments(entry, kinds={"sure", "likely"}), chosen_payment]
    )
