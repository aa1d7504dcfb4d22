"""How long matching a bank statement takes, and how many requests it spends.

5,000 statement lines (invoice numbers in the text, payers' names cut short by the bank,
amounts owed by two invoices of one client, lines nothing fits, debits and balances) against
20,000 open invoices of 4,000 clients. Target: the importer's own work (reading the statement,
indexing the invoices and matching every line, writing the proposals workbook) within 10 s,
and the invoices paged once: one request per 100 open invoices of each open status.

It measures, in that order:
- the importer's own work, stage by stage, in-process (the invoices read from the pages'
  JSON as the client reads them);
- the 200 pages fetched by bare HTTP GETs from the sandbox (its rate limit off): what the
  sandbox, serving a 20,000-invoice location from this process, takes by itself;
- ``importer match STATEMENT`` as a process against a fresh sandbox: the whole command, and
  the requests the sandbox counted by route.

Against HighLevel the paging waits for the API instead: 200 pages at 100 requests per 10 s
take some 10 to 20 s whatever the importer does.

    .venv/bin/python benchmarks/bench_match.py [--lines 5000] [--invoices 20000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from importer.api.models import InvoicePage  # noqa: E402
from importer.check.matching import OpenInvoices, propose_all  # noqa: E402
from importer.check.statement import looks_like_statement, statement_lines  # noqa: E402
from importer.output.proposals import write_proposals  # noqa: E402
from importer.read.files import load  # noqa: E402
from importer.sandbox import API_VERSION, DEFAULT_TOKEN, running_sandbox  # noqa: E402
from importer.statements import Proposals, open_invoice  # noqa: E402

TARGET_SECONDS = 10.0
_FIRST = [
    "Acme", "Alder", "Birch", "Cedar", "Crest", "Delta", "Elm", "Fern", "Glen", "Harbour",
    "Hazel", "Iris", "Juniper", "Kestrel", "Larch", "Linden", "Maple", "Meridian", "Moss",
    "North", "Oak", "Orchard", "Pine", "Quarry", "Raven", "Rowan", "Sage", "Stone", "Thorn",
    "Willow", "Aspen", "Bramble", "Clover", "Dune", "Ember", "Falcon", "Garnet", "Heath", "Ivy",
    "Jasper",
]  # fmt: skip
_SECOND = [
    "Dental", "Joinery", "Logistics", "Supplies", "Estates", "Print", "Roofing", "Legal",
    "Fitness", "Books", "Cafe", "Nursery", "Interiors", "Optics", "Motors", "Bakery", "Studio",
    "Clinic", "Builders", "Gardens", "Tiles", "Plumbing", "Design", "Media", "Farms",
    "Textiles", "Marine", "Labs", "Travel", "Foods", "Systems", "Works", "Partners", "Trading",
    "Electric", "Glass", "Timber", "Metals", "Paints", "Cleaning",
]  # fmt: skip
_FORMS = ["Ltd", "LLP", "SL", "Limited", "& Co", "S.L.", ""]


def seed(invoices: int, *, rng: random.Random) -> dict[str, Any]:
    """A location with ``invoices`` open invoices (a tenth partly paid) of 4,000 clients."""
    names = [
        f"{first} {second} {rng.choice(_FORMS)}".strip()
        for first in _FIRST
        for second in _SECOND
        for _copy in range(3)
    ]
    clients = [f"{name} {index}" if index > 1599 else name for index, name in enumerate(names)]
    listed = []
    for index in range(invoices):
        total = Decimal(rng.randrange(5000, 500000)) / 100
        paid = total / 2 if index % 10 == 0 else Decimal(0)
        listed.append(
            {
                "invoiceNumber": str(10000 + index),
                "status": "partially_paid" if paid else "sent",
                "currency": "GBP",
                "total": float(total),
                "amountPaid": float(paid),
                "contactDetails": {"name": clients[index % 4000]},
            }
        )
    return {"locationId": "benchMatchLocation01", "invoices": listed}


def write_statement(
    path: Path, listed: list[dict[str, Any]], lines: int, *, rng: random.Random
) -> None:
    """A Nationwide-like statement: a fifth each of named invoices, payers cut short with the
    exact amount, lines nothing fits, and debits; the rest split payments and balances."""
    day = date(2026, 11, 1)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["Date", "Transaction type", "Description", "Paid out", "Paid in", "Balance"]
        )
        for number in range(lines):
            invoice = listed[rng.randrange(len(listed))]
            due = Decimal(str(invoice["total"])) - Decimal(str(invoice["amountPaid"]))
            name = invoice["contactDetails"]["name"].upper()[:18]
            on = (day + timedelta(days=number % 28)).strftime("%d/%m/%Y")
            kind = number % 5
            if kind == 0:
                row = [
                    on,
                    f"Bank credit {name}",
                    f"REF INV-{invoice['invoiceNumber']}",
                    "",
                    f"£{due:.2f}",
                ]
            elif kind == 1:
                row = [on, f"Bank credit {name}", "PAYMENT THANK YOU", "", f"£{due:.2f}"]
            elif kind == 2:
                row = [
                    on,
                    "Transfer from J SMITH",
                    "304050 15558721",
                    "",
                    f"£{rng.randrange(100, 9999)}.01",
                ]
            elif kind == 3:
                row = [on, "Direct debit HMRC", "HMRC VAT 123456789", f"£{due:.2f}", ""]
            else:
                other = listed[rng.randrange(len(listed))]
                both = due + Decimal(str(other["total"])) - Decimal(str(other["amountPaid"]))
                row = [
                    on,
                    f"Bank credit {name}",
                    f"INV {invoice['invoiceNumber']} + {other['invoiceNumber']}",
                    "",
                    f"£{both:.2f}",
                ]
            writer.writerow([*row, "£1000.00"])


def own_work(statement: Path, location: dict[str, Any], folder: Path) -> dict[str, float]:
    """Seconds for each stage of the importer's own work, in-process."""
    pages = [
        json.dumps(
            {
                "invoices": [
                    {
                        **entry,
                        "_id": f"{number:024x}",
                        "invoiceNumberPrefix": "INV-",
                        "amountDue": entry["total"] - entry["amountPaid"],
                    }
                    for number, entry in enumerate(location["invoices"][start : start + 100], start)
                ],
                "total": len(location["invoices"]),
            }
        )
        for start in range(0, len(location["invoices"]), 100)
    ]
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    invoices = [
        invoice
        for page in pages
        for invoice in InvoicePage.model_validate(json.loads(page)).invoices
    ]
    seconds["invoices read from the pages"] = time.perf_counter() - started
    started = time.perf_counter()
    statement_file = load(statement, header_fits=looks_like_statement)
    read = statement_lines(statement_file)
    seconds["statement read"] = time.perf_counter() - started
    started = time.perf_counter()
    proposals = propose_all(read.lines, OpenInvoices(open_invoice(invoice) for invoice in invoices))
    seconds["invoices indexed, every line matched"] = time.perf_counter() - started
    started = time.perf_counter()
    matched = Proposals(statement_file, read, proposals, len(invoices), len(pages))
    write_proposals(folder / "own.matches.xlsx", matched.file())
    seconds["proposals workbook written"] = time.perf_counter() - started
    kinds = Counter(str(proposal.match) for proposal in proposals.values())
    print(f"  lines matched: {', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}")
    return seconds


def bare_paging(location: dict[str, Any]) -> float:
    """Seconds to fetch every open invoice's page from the sandbox with bare GETs."""
    with running_sandbox(location, rate_limit="off") as running, httpx.Client() as client:
        started = time.perf_counter()
        for status in ("sent", "partially_paid"):
            offset, total = 0, 1
            while offset < total:
                answer = client.get(
                    f"{running.url}/invoices/",
                    params={
                        "altId": running.location_id, "altType": "location", "limit": "100",
                        "offset": str(offset), "status": status,
                    },
                    headers={"Authorization": f"Bearer {DEFAULT_TOKEN}", "Version": API_VERSION},
                )  # fmt: skip
                answer.raise_for_status()
                total = answer.json()["total"]
                offset += 100
        return time.perf_counter() - started


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--invoices", type=int, default=20000)
    arguments = parser.parse_args()
    rng = random.Random(17)
    location = seed(arguments.invoices, rng=rng)
    partly = sum(1 for entry in location["invoices"] if entry["status"] == "partially_paid")
    pages = -(-(arguments.invoices - partly) // 100) + -(-partly // 100)
    print(f"{arguments.lines:,} lines against {arguments.invoices:,} open invoices")
    with tempfile.TemporaryDirectory() as folder:
        statement = Path(folder) / "statement.csv"
        write_statement(statement, location["invoices"], arguments.lines, rng=rng)
        stages = own_work(statement, location, Path(folder))
        for stage, seconds in stages.items():
            print(f"  {stage}: {seconds:.2f} s")
        own = sum(stages.values())
        print(f"  the importer's own work: {own:.2f} s")
        print(f"  the {pages} pages by bare GETs from the sandbox: {bare_paging(location):.2f} s")
        with running_sandbox(location, rate_limit="off") as running:
            env = {
                **os.environ,
                "HIGHLEVEL_TOKEN": DEFAULT_TOKEN,
                "HIGHLEVEL_LOCATION_ID": running.location_id,
                "HIGHLEVEL_API_URL": running.url,
            }
            started = time.perf_counter()
            finished = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
                [sys.executable, "-m", "importer", "match", str(statement)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            whole = time.perf_counter() - started
            requests = running.sandbox.requests_by_route
    print(f"  importer match, as a process, against the sandbox: {whole:.2f} s, "
          f"exit {finished.returncode}")  # fmt: skip
    print(f"  requests the sandbox counted: {dict(requests)} (one paging: {pages} pages)")
    if finished.returncode != 0:
        print(finished.stdout, finished.stderr)
    met = own <= TARGET_SECONDS and sum(requests.values()) == pages and finished.returncode == 0
    print(
        f"  target ({TARGET_SECONDS:.0f} s of own work, one paging): {'met' if met else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
