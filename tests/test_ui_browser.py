"""The workbench in a real browser (headless Chromium) against the sandbox: the flows a person
goes through, and the screenshots of each step that the README shows: written to docs/ when
IMPORTER_SCREENSHOTS=docs is set, so that running the tests leaves the checkout as it was."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from importer.sandbox import RunningSandbox, running_sandbox
from importer.ui import Address, running_workbench, workbench_for
from tests.conftest import DATA, REBOUND_HOST, ROOT, TODAY, copy_sample
from tests.workbench import SlowPayments, account

DOCS = ROOT / "docs"
SCREENSHOTS = os.environ.get("IMPORTER_SCREENSHOTS") == "docs"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A screen the size of a laptop's, and downloads kept."""
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 860},
        "accept_downloads": True,
    }


def served(sandbox: RunningSandbox) -> Iterator[Address]:
    with (
        workbench_for(account(sandbox), today=lambda: TODAY) as bench,
        running_workbench(bench) as address,
    ):
        yield address


@pytest.fixture
def address(sandbox: RunningSandbox) -> Iterator[Address]:
    """The workbench over the sandbox (as the settings' account), with the default journal."""
    yield from served(sandbox)


def shoot(page: Page, name: str) -> None:
    """Take the step's picture; kept in docs/ only when asked."""
    picture = page.screenshot()
    if SCREENSHOTS:
        (DOCS / f"workbench-{name}.png").write_bytes(picture)


def read_file(page: Page, path: Path) -> None:
    page.get_by_label("Spreadsheet").set_input_files(path)
    page.get_by_role("button", name="Read file").click()


def test_a_clean_file_is_recorded_and_its_results_downloaded(
    page: Page, address: Address, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Start to Done with the sample: 33 recorded, the results file downloaded with every row
    recorded; each step is reached again with the back button."""
    page.goto(address.with_key)
    expect(page).to_have_url(f"{address.url}/")
    shoot(page, "1-start")
    read_file(page, copy_sample("payments.csv", tmp_path))
    expect(page.get_by_role("table", name="Columns")).to_be_visible()
    expect(page.get_by_label("amount")).to_have_value("Amount")
    shoot(page, "2-columns")
    page.get_by_role("link", name="Next: the rows").click()
    expect(page.get_by_role("table", name="Rows")).to_be_visible()
    shoot(page, "3-rows")
    page.get_by_label("Deposit total").fill("18574.00")
    page.get_by_role("button", name="Check against HighLevel").click()
    record_link = page.get_by_role("link", name="Record 33 payments for USD 18,574.00")
    expect(record_link).to_be_visible()
    shoot(page, "4-check")
    page.go_back()
    expect(page.get_by_role("table", name="Rows")).to_be_visible()
    page.go_forward()
    record_link.click()
    shoot(page, "5-record")
    page.get_by_role("button", name="Record payments", exact=True).click()
    expect(page.get_by_text("33 rows: 33 recorded.")).to_be_visible()
    shoot(page, "7-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download results").click()
    saved = tmp_path / "downloaded.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig") as stream:
        assert [row["status"] for row in csv.DictReader(stream)] == ["recorded"] * 33
    assert len(sandbox.sandbox.transactions()) == 33
    page.get_by_role("link", name="Runs").click()
    expect(page.get_by_role("table", name="Past runs")).to_contain_text("payments.csv")


def test_a_file_with_problems_is_fixed_by_choosing_another_column(
    page: Page, address: Address, sandbox: RunningSandbox
) -> None:
    """The invoice date taken for the payment date: every row too old; choosing "Paid On"
    on the Columns step makes them ready, and they are recorded."""
    page.goto(address.with_key)
    read_file(page, DATA / "paid-on-beside-invoice-date.csv")
    page.get_by_role("link", name="Next: the rows").click()
    rows = page.get_by_role("table", name="Rows")
    expect(rows.locator("td[aria-invalid=true]")).to_have_count(3)
    expect(page.get_by_role("link", name="Date: too old (3)")).to_be_visible()
    shoot(page, "3-rows-with-problems")
    page.get_by_role("navigation", name="Steps").get_by_role("link", name="Columns").click()
    page.get_by_label("payment date").select_option("Paid On")
    page.get_by_role("button", name="Use these columns").click()
    page.get_by_role("link", name="Next: the rows").click()
    expect(
        page.get_by_text("3 rows read with the template columns: 3 ready, 0 with problems.")
    ).to_be_visible()
    page.get_by_role("button", name="Check against HighLevel").click()
    page.get_by_role("link", name=re.compile(r"Record 3 payments")).click()
    page.get_by_role("button", name="Record payments", exact=True).click()
    expect(page.get_by_text("3 rows: 3 recorded.")).to_be_visible()
    assert len(sandbox.sandbox.transactions()) == 3


def test_a_run_outlives_its_tab_is_stopped_then_resumed(
    page: Page, seed: dict[str, Any], tmp_path: Path
) -> None:
    """Recording goes on when the tab closes and a new tab finds it; Stop finishes what is on
    its way; the same file dropped again records the rest and skips what was recorded."""
    slow = SlowPayments()
    payments = copy_sample("payments.csv", tmp_path)
    with running_sandbox(seed, rate_limit="off", faults=slow) as sandbox:
        for address in served(sandbox):
            page.goto(address.with_key)
            read_file(page, payments)
            page.get_by_role("link", name="Next: the rows").click()
            page.get_by_role("button", name="Check against HighLevel").click()
            page.get_by_role("link", name=re.compile(r"Record 33 payments")).click()
            page.get_by_role("button", name="Record payments", exact=True).click()
            expect(page.get_by_label("Payments done")).to_be_visible()
            other = page.context.new_page()
            other.goto(f"{address.url}/")
            page.close()
            other.get_by_role("link", name="see its progress").click()
            expect(other.get_by_role("status")).to_have_text(
                re.compile(r"[1-9]\d* of 33 payments done")
            )
            shoot(other, "6-progress")
            other.get_by_role("button", name="Stop").click()
            expect(other.get_by_text("33 rows:")).to_be_visible(timeout=20_000)
            summary = other.get_by_role("list").filter(has_text="33 rows:").inner_text()
            recorded = int(re.search(r"(\d+) recorded", summary).group(1))  # type: ignore[union-attr]
            assert 0 < recorded < 33
            assert re.search(rf"{33 - recorded} not sent", summary)
            expect(
                other.get_by_text("Stopped: payments on their way were finished")
            ).to_be_visible()
            assert len(sandbox.sandbox.transactions()) == recorded
            slow.fast.set()
            other.get_by_role("link", name="Import another file").click()
            read_file(other, payments)
            other.get_by_role("link", name="Next: the rows").click()
            other.get_by_role("button", name="Check against HighLevel").click()
            other.get_by_role("link", name=re.compile(rf"Record {33 - recorded} payments")).click()
            other.get_by_role("button", name="Record payments", exact=True).click()
            expect(
                other.get_by_text(
                    f"33 rows: {33 - recorded} recorded, {recorded} already recorded."
                )
            ).to_be_visible(timeout=20_000)
        assert len(sandbox.sandbox.transactions()) == 33


def test_without_the_key_or_from_another_host_the_browser_gets_403(
    page: Page, address: Address
) -> None:
    """No key, a wrong key, and the right key through a name that resolves to 127.0.0.1."""
    port = address.url.rsplit(":", 1)[1]
    refused = [
        page.goto(f"{address.url}/"),
        page.goto(f"{address.url}/?key=not-the-key"),
        page.goto(f"http://{REBOUND_HOST}:{port}/?key={address.secret}"),
    ]
    assert [answer.status for answer in refused if answer is not None] == [403, 403, 403]
    expect(page.get_by_text("answers only to this computer's own address")).to_be_visible()
    assert page.goto(address.with_key).status == 200  # type: ignore[union-attr]
