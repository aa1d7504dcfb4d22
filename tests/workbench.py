"""The workbench served to a test: over Starlette's test client, or for a real browser."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from pydantic import SecretStr
from starlette.testclient import TestClient

from importer.connection import Connection
from importer.sandbox import DEFAULT_TOKEN, Fault, RequestSummary, RunningSandbox
from importer.ui import Workbench, workbench_for
from importer.ui.app import make_app
from tests.conftest import TODAY

KEY = "test-key-0123456789abcdef"
ORIGIN = "http://127.0.0.1"


def account(sandbox: RunningSandbox, *, token: str = DEFAULT_TOKEN) -> Connection:
    """The sandbox as the settings' account would be: the default journal, not a rehearsal's."""
    return Connection(sandbox.url, SecretStr(token), sandbox.location_id, "location")


@contextmanager
def page_client(
    connection: Connection,
    *,
    max_upload_mb: float = 50,
    today: date = TODAY,
    journal: Path | None = None,
) -> Iterator[tuple[TestClient, Workbench]]:
    """A browser stand-in that holds the key's cookie and posts from the workbench's origin."""
    with workbench_for(
        connection, journal=journal, today=lambda: today, max_upload_mb=max_upload_mb
    ) as bench:
        app = make_app(bench, secret=KEY)
        with TestClient(app, base_url=ORIGIN, headers={"origin": ORIGIN}) as client:
            assert client.get(f"/?key={KEY}").status_code == 200
            yield client, bench


def upload(client: TestClient, path: Path, *, name: str | None = None) -> str:
    """Drop ``path`` on the Start page; the new upload's id."""
    answer = client.post(
        "/files", files={"spreadsheet": (name or path.name, path.read_bytes(), "text/csv")}
    )
    found = re.search(r"/files/([^/]+)/columns$", str(answer.url))
    assert found is not None, answer.text
    return found.group(1)


def record(client: TestClient, upload_id: str, **slip: str) -> dict[str, object]:
    """Check, confirm, record, and follow the progress stream to its end; the last state."""
    client.post(f"/files/{upload_id}/check", data=slip)
    assert client.post(f"/files/{upload_id}/record").status_code == 200
    return follow(client, upload_id)


def follow(client: TestClient, upload_id: str) -> dict[str, object]:
    """The progress events until the run has finished; the last one."""
    last: dict[str, object] = {}
    with client.stream("GET", f"/files/{upload_id}/events") as events:
        for line in events.iter_lines():
            if line.startswith("data: "):
                last = json.loads(line.removeprefix("data: "))
                if last["finished"]:
                    break
    return last


def text_of(html: str) -> str:
    """A page's words, tags and runs of white space taken out."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class SlowPayments:
    """A fault plan: each payment is held a second until ``fast`` is set, so that a run can be
    watched and stopped; other requests are answered at once."""

    def __init__(self) -> None:
        self.fast = threading.Event()

    def __call__(self, request: RequestSummary) -> Fault | None:
        if request.method == "POST" and not self.fast.is_set():
            return Fault.delay(1.0, after_applying=False)
        return None
