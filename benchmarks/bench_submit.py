"""How close to the API's rate limit a large file is recorded.

1,000 rows against the sandbox started with ``--rate-limit 100/2s``, the importer at its
defaults (it learns the budget from the answers' headers). Target: elapsed within 1.1x of
rows / rate, no row failed, no 429 turned into a failure.

    .venv/bin/python benchmarks/bench_submit.py [--rows 1000] [--rate-limit 100/2s]
        [--faults error=0.1,throttle=0.05,timeout=0.05,drop=0.05 --timeout 1]

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
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from importer.sandbox import (  # noqa: E402
    DEFAULT_TOKEN,
    RandomFaults,
    parse_fault_odds,
    parse_rate_limit,
    running_sandbox,
)
from tests.bulk import payments_by_cheque, write_bulk  # noqa: E402


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rate-limit", default="100/2s")
    parser.add_argument("--faults", default="")
    parser.add_argument("--timeout", default="30")
    arguments = parser.parse_args()
    faults = (
        RandomFaults(parse_fault_odds(arguments.faults), seed=1, delay=2 * float(arguments.timeout))
        if arguments.faults
        else None
    )
    limit = parse_rate_limit(arguments.rate_limit)
    rate = limit.max_requests / limit.interval_seconds
    with tempfile.TemporaryDirectory() as folder:
        payments, seed = write_bulk(Path(folder), rows=arguments.rows)
        with running_sandbox(seed, rate_limit=arguments.rate_limit, faults=faults) as running:
            env = {
                **os.environ,
                "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
                "HIGHLEVEL_LOCATION_ID": running.location_id,
                "HIGHLEVEL_API_URL": running.url,
                "IMPORTER_JOURNAL": str(Path(folder) / "journal.sqlite3"),
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
        results = Path(folder) / f"bulk-{arguments.rows}.results.csv"
        with results.open(encoding="utf-8-sig", newline="") as stream:
            statuses = Counter(row["status"] for row in csv.DictReader(stream))
    sent = int(re.search(r"API requests: (\d+)", finished.stdout).group(1))  # type: ignore[union-attr]
    ideal = arguments.rows / rate
    once = set(payments_by_cheque(transactions).values()) == {1}
    print(f"rows: {arguments.rows}, sandbox rate limit: {arguments.rate_limit} ({rate:g}/s)")
    if faults is not None:
        print(f"faults: {arguments.faults}; struck: {faults.struck}")
    print(f"exit code: {finished.returncode}; statuses: {dict(statuses)}")
    print(f"elapsed: {elapsed:.1f} s (process start to exit); rows / rate: {ideal:.1f} s")
    print(f"ratio: {elapsed / ideal:.3f} (target <= 1.1)")
    print(
        f"requests sent: {sent}; admitted: {admitted}; refused by the rate limit: {sent - admitted}"
    )
    failed = arguments.rows - statuses["recorded"]
    print(f"rows not recorded: {failed}; one payment per row in the sandbox: {once}")


if __name__ == "__main__":
    main()
