"""How long `importer --help` takes to answer: the target is 0.3 s.

    .venv/bin/python benchmarks/bench_startup.py [--repeat 10]

Prints the best and the median of the repeats, each a fresh process, as a user would start it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

TARGET_SECONDS = 0.3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    repeat = parser.parse_args().repeat
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "importer", "--help"], check=True, capture_output=True
        )
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    verdict = "met" if median <= TARGET_SECONDS else "MISSED"
    print(f"importer --help: best {best:.3f} s, median {median:.3f} s over {repeat} runs")
    print(f"target {TARGET_SECONDS} s: {verdict}")


if __name__ == "__main__":
    main()
