"""How close to the API's rate limit a large file is recorded, and what checking it costs.

1,000 rows against the sandbox started with ``--rate-limit 100/2s``, the importer at its
defaults (it learns the budget from the answers' headers), twice: on invoices with nothing
paid, and on invoices already partly paid (one payment typed in by hand on each, so the check
against what HighLevel holds has something to read). Targets (issue #11):

- requests per recorded payment at most 1.02 on unpaid invoices (nothing to read) and at
  most 1.15 on partly-paid ones (the location's transactions paged, 100 a request);
- the throttle spends at least 0.95 of the announced rate, from the first request the
  sandbox sees to the last;
- no row failed, and one payment per row in the sandbox.

    .venv/bin/python benchmarks/bench_submit.py [--rows 1000] [--rate-limit 100/2s]
        [--per-invoice 1] [--faults error=0.1,throttle=0.05,timeout=0.05,drop=0.05 --timeout 1]

With --faults the sandbox fails that share of requests (seeded), to see what recovering from
them costs; the importer then runs with the given --timeout.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from importer.sandbox import (  # noqa: E402
    DEFAULT_TOKEN,
    Fault,
    RandomFaults,
    RequestSummary,
    RunningSandbox,
    parse_fault_odds,
    parse_rate_limit,
    running_sandbox,
)
from tests.bulk import payments_by_cheque, write_bulk  # noqa: E402

REQUESTS_PER_PAYMENT = {"unpaid": 1.02, "partly paid": 1.15}
RATE_SPENT = 0.95


class Clocked:
    """A fault plan (or none) that also notes when each request reached the sandbox."""

    def __init__(self, faults: RandomFaults | None) -> None:
        self.faults = faults
        self.times: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request: RequestSummary) -> Fault | None:
        with self._lock:
            self.times.append(time.monotonic())
        return self.faults(request) if self.faults is not None else None


def pay_by_hand(running: RunningSandbox) -> None:
    """One payment of 1.00 typed in by hand on each invoice: every invoice partly paid."""
    for invoice in running.sandbox.invoices():
        running.sandbox.book.record_payment(
            invoice["_id"], amount=Decimal(1), payment_method={"mode": "cash"}, alt_type="location"
        )


def scenario(name: str, arguments: argparse.Namespace, folder: Path) -> bool:
    """Run the file once against a fresh sandbox; print its numbers; True when on target."""
    odds = parse_fault_odds(arguments.faults) if arguments.faults else None
    faults = (
        RandomFaults(odds, seed=1, delay=2 * float(arguments.timeout)) if odds is not None else None
    )
    clocked = Clocked(faults)
    limit = parse_rate_limit(arguments.rate_limit)
    rate = limit.max_requests / limit.interval_seconds
    payments, seed = write_bulk(folder, rows=arguments.rows, per_invoice=arguments.per_invoice)
    journal = folder / f"journal-{name.replace(' ', '-')}.sqlite3"
    with running_sandbox(seed, rate_limit=arguments.rate_limit, faults=clocked) as running:
        if name == "partly paid":
            pay_by_hand(running)
        env = {
            **os.environ,
            "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
            "HIGHLEVEL_LOCATION_ID": running.location_id,
            "HIGHLEVEL_API_URL": running.url,
            "IMPORTER_JOURNAL": str(journal),
        }
        started = time.perf_counter()
        finished = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [
                *(sys.executable, "-m", "importer", "run", str(payments), "--yes"),
                *("--timeout", arguments.timeout),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        admitted = running.sandbox.requests_seen
        transactions = running.sandbox.transactions()
    results = folder / f"bulk-{arguments.rows}.results.csv"
    with results.open(encoding="utf-8-sig", newline="") as stream:
        statuses = Counter(row["status"] for row in csv.DictReader(stream))
    found = re.search(r"API requests: (\d+) \((.*)\)\.", finished.stdout)
    if found is None:
        print(finished.stdout + finished.stderr)
        return False
    sent = int(found.group(1))
    recorded = statuses["recorded"]
    per_payment = sent / max(recorded, 1)
    span = clocked.times[-1] - clocked.times[0] if len(clocked.times) > 1 else 0.0
    spent = (len(clocked.times) - 1) / span / rate if span else 0.0
    by_hand = 1 if name == "partly paid" else 0
    once = set(
        payments_by_cheque([t for t in transactions if "cheque" in t["paymentMethod"]]).values()
    )
    print(f"-- {name}: {arguments.rows} rows, {arguments.per_invoice} per invoice")
    print(f"exit code: {finished.returncode}; statuses: {dict(statuses)}")
    print(f"requests sent: {sent} ({found.group(2)}); admitted: {admitted}")
    target = REQUESTS_PER_PAYMENT[name]
    print(f"requests per recorded payment: {per_payment:.3f} (target <= {target})")
    print(
        f"rate spent: {spent:.3f} of {rate:g}/s from the first request to the last "
        f"(target >= {RATE_SPENT}); elapsed {elapsed:.1f} s from process start to exit"
    )
    one_each = once == {1} and len(transactions) == recorded + by_hand * len(seed["invoices"])
    print(f"rows not recorded: {arguments.rows - recorded}; one payment per row: {one_each}")
    one_each = one_each and recorded == arguments.rows
    return (
        per_payment <= target
        and spent >= RATE_SPENT
        and recorded == arguments.rows
        and one_each
        and faults is None
    ) or faults is not None


def main() -> None:
    """Run both scenarios and print their numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--per-invoice", type=int, default=1)
    parser.add_argument("--rate-limit", default="100/2s")
    parser.add_argument("--faults", default="")
    parser.add_argument("--timeout", default="30")
    arguments = parser.parse_args()
    print(f"sandbox rate limit: {arguments.rate_limit}")
    if arguments.faults:
        print(f"faults: {arguments.faults}")
    on_target = []
    for name in REQUESTS_PER_PAYMENT:
        with tempfile.TemporaryDirectory() as folder:
            on_target.append(scenario(name, arguments, Path(folder)))
    print("on target" if all(on_target) else "NOT on target")


if __name__ == "__main__":
    main()
