"""The workbench's speed targets (issue 18): a 10,000-row file shows its Rows step within 2 s,
a page at a time; progress reaches the page within a second of each payment.

    .venv/bin/python benchmarks/bench_workbench.py [--rows 10000] [--payments 300]

Everything over real HTTP on 127.0.0.1: the workbench served as ``importer ui`` serves it, the
sandbox as the account. "Rows step" is the time from the upload's first byte to the Rows
page received (the upload, the file read and checked, the Columns page it lands on, then the
Rows page). "Progress" is, for each payment, the time from the sandbox answering it to the
page's event stream saying it is done.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# tests.workbench brings Starlette's test client, which asks for httpx2; not used here.
warnings.filterwarnings("ignore", message="Using .httpx. with .starlette.testclient.")

from importer.sandbox import Fault, RequestSummary, running_sandbox  # noqa: E402
from importer.ui import running_workbench, workbench_for  # noqa: E402
from tests.bulk import write_bulk  # noqa: E402
from tests.workbench import account  # noqa: E402


class Answered:
    """A fault plan that faults nothing and notes when each payment reached the sandbox."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request: RequestSummary) -> Fault | None:
        if request.method == "POST":
            with self._lock:
                self.times.append(time.monotonic())
        return None


def rows_step(rows: int, folder: Path) -> None:
    payments, seed = write_bulk(folder, rows=rows)
    with (
        running_sandbox(seed, rate_limit="off") as sandbox,
        workbench_for(account(sandbox)) as bench,
        running_workbench(bench) as address,
        httpx.Client(follow_redirects=True, headers={"origin": address.url}) as client,
    ):
        client.get(address.with_key)
        timings = []
        for _round in range(3):
            started = time.perf_counter()
            columns = client.post(
                f"{address.url}/files",
                files={"spreadsheet": (payments.name, payments.read_bytes(), "text/csv")},
            )
            page = client.get(str(columns.url).removesuffix("/columns") + "/rows")
            timings.append(time.perf_counter() - started)
        shown = len(re.findall(r'<th scope="row">\d+</th>', page.text))
    print(f"Rows step of a {rows:,}-row CSV ({payments.stat().st_size / 1e6:.1f} MB):")
    print(f"  {', '.join(f'{t:.2f} s' for t in timings)} (target: within 2 s)")
    print(f"  rows in the page: {shown} of {rows:,}; page size {len(page.content) / 1e3:.0f} kB")


def progress(payments_count: int, folder: Path) -> None:
    payments, seed = write_bulk(folder, rows=payments_count)
    answered = Answered()
    with (
        running_sandbox(seed, rate_limit="off", faults=answered) as sandbox,
        workbench_for(account(sandbox)) as bench,
        running_workbench(bench) as address,
        httpx.Client(follow_redirects=True, headers={"origin": address.url}) as client,
    ):
        client.get(address.with_key)
        columns = client.post(
            f"{address.url}/files",
            files={"spreadsheet": (payments.name, payments.read_bytes(), "text/csv")},
        )
        files = str(columns.url).removesuffix("/columns")
        client.post(f"{files}/check")
        client.post(f"{files}/record")
        seen: list[tuple[int, float]] = []
        with client.stream("GET", f"{files}/events") as events:
            for line in events.iter_lines():
                if line.startswith("data: "):
                    state = json.loads(line[6:])
                    seen.append((state["done"], time.monotonic()))
                    if state["finished"]:
                        break
    # The n-th payment answered is told by the first event that counts n done.
    delays = []
    for number, at in enumerate(sorted(answered.times), start=1):
        told = next(when for done, when in seen if done >= number)
        delays.append(told - at)
    delays.sort()
    print(f"Progress over {payments_count} payments ({len(seen)} events):")
    print(
        f"  from the payment reaching the sandbox to the page: median "
        f"{delays[len(delays) // 2] * 1000:.0f} ms, worst {delays[-1] * 1000:.0f} ms "
        "(target: within 1 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--payments", type=int, default=300)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["IMPORTER_JOURNAL"] = str(Path(folder) / "journal" / "journal.sqlite3")
        os.environ["IMPORTER_TEMPLATES"] = str(Path(folder) / "templates")
        (Path(folder) / "rows").mkdir()
        (Path(folder) / "progress").mkdir()
        rows_step(arguments.rows, Path(folder) / "rows")
        progress(arguments.payments, Path(folder) / "progress")


if __name__ == "__main__":
    main()
