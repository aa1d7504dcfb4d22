"""--lost-answer-wait has a floor against HighLevel: shorter, a late payment is sent twice."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from importer.api.client import HighLevelClient
from importer.errors import ConfigurationError
from importer.importing import Collaborators, ImportChoices, open_file, plan_import
from importer.journal.journal import Journal
from importer.sandbox import DEFAULT_TOKEN, running_sandbox
from tests.conftest import SAMPLES

TODAY = date(2026, 11, 24)


def highlevel(request: httpx.Request) -> httpx.Response:
    """An API that answers like HighLevel (no sandbox's name): one sent invoice, INV-1001."""
    invoice = {"_id": "a" * 24, "invoiceNumber": "1001", "status": "sent", "total": 1200}
    return httpx.Response(200, json={"invoices": [invoice], "total": 1})


def plan(tmp_path: Path, wait: float, **client: object) -> None:
    payments = tmp_path / "deposit.csv"
    payments.write_text("Invoice,Amount,Payment Date,Method\nINV-1001,10.00,2026-11-03,Cash\n")

    async def go() -> None:
        async with HighLevelClient(token=SecretStr(DEFAULT_TOKEN), **client) as api:  # type: ignore[arg-type]
            collaborators = Collaborators(client=api, journal=Journal.open(":memory:"))
            choices = ImportChoices(lost_answer_wait=wait, today=TODAY)
            await plan_import(open_file(payments, today=TODAY), choices, collaborators)

    asyncio.run(go())


@pytest.mark.parametrize("wait", [0, 30, 99.5])
def test_a_wait_below_the_floor_is_refused_against_highlevel(tmp_path: Path, wait: float) -> None:
    """Below 100 s a gateway may still hold the payment: refused, before anything is sent."""
    with pytest.raises(ConfigurationError) as refused:
        plan(
            tmp_path,
            wait,
            base_url="https://services.leadconnectorhq.com",
            location_id="loc1",
            transport=httpx.MockTransport(highlevel),
        )
    assert str(refused.value) == (
        f"--lost-answer-wait {wait:g} is too short: a gateway in front of HighLevel can hold a "
        "payment up to 100 s before passing it on, and a payment taken for lost before then "
        "could be recorded twice. Give at least 100 (the default is 120). Nothing was sent."
    )


def test_the_floor_itself_is_accepted(tmp_path: Path) -> None:
    """100 s is enough."""
    plan(
        tmp_path,
        100,
        base_url="https://services.leadconnectorhq.com",
        location_id="loc1",
        transport=httpx.MockTransport(highlevel),
    )


def test_a_rehearsal_may_wait_less(tmp_path: Path) -> None:
    """A sandbox names itself, and its delays are its own: a short wait is allowed there."""
    seed = json.loads((SAMPLES / "sandbox-invoices.json").read_text())
    with running_sandbox(seed, rate_limit="off") as running:
        plan(tmp_path, 0, base_url=running.url, location_id=running.location_id)
