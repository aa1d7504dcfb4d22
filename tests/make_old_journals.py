"""Write tests/data/journals/*.sqlite3: journals as earlier versions of the importer wrote them.

Run it from a clone with its history: ``.venv/bin/python -m tests.make_old_journals``. For each
commit at which the journal's tables changed before ``PRAGMA user_version`` counted the
steps, it takes that commit's ``importer/journal.py`` out of git, writes one small journal
with it (two runs: one finished, one killed while sending). The files are committed as
written, so that the tests open what the old code itself wrote: see
tests/test_journal_schema.py, which also says all that each holds.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "data" / "journals"
API = "https://services.leadconnectorhq.com"
WHEN = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
# (name, commit): the journal's shapes in the order they were written; the two branches of
# history (rows keeping their invoice, payments settled by hand) met in 09f3d54.
SHAPES = (
    ("first", "824b61a"),  # runs, payments and run_rows
    ("invoices-kept", "dadd404"),  # + requests, decimal mark, each row's mode and invoice
    ("row-warnings", "b63c3d7"),  # + run_rows.warning
    ("settled-by-hand", "dd58d57"),  # the first tables + settled_by_hand (other branch)
    ("currencies", "c6a09d6"),  # + currency, created in the tables rather than added
    ("uncounted", "09f3d54"),  # both branches joined: the last shape before user_version
)


def old_journal(commit: str) -> ModuleType:
    """``importer/journal.py`` as it stood at ``commit``, imported under a name of its own."""
    source = subprocess.run(
        ["git", "show", f"{commit}:importer/journal.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    name = f"journal_{commit}"
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    exec(compile(source, f"{commit}:importer/journal.py", "exec"), module.__dict__)
    return module


def call(method: Any, **options: Any) -> Any:
    """``method`` with those of ``options`` this version takes."""
    taken = inspect.signature(method).parameters
    return method(**{name: value for name, value in options.items() if name in taken})


def make(module: ModuleType, *, kind: str, **options: Any) -> Any:
    """One of this version's dataclasses, from those of ``options`` it has (None: its default)."""
    cls = getattr(module, kind)
    fields = {f.name for f in dataclasses.fields(cls)}
    given = {name: value for name, value in options.items() if value is not None}
    return cls(**{name: value for name, value in given.items() if name in fields})


def write_journal(module: ModuleType, path: Path) -> None:
    """Two runs: run 1 finished (recorded, unknown, rejected; the unknown one then found
    recorded by hand where the version could say so), run 2 killed with a payment sending."""
    deposit = path.with_name("deposit.csv")
    deposit.write_text('Invoice,Amount\nINV-1001,"12,50"\n')
    invoice = getattr(module, "InvoiceState", None)
    after = invoice("INV-1001", "paid", "12.50", "0.00", "USD") if invoice else None
    journal = module.Journal.open(path, now=lambda: WHEN)
    alike = {"api_url": API, "file": "deposit.csv", "paid_on": "2026-09-30", "mode": "cash"}
    alike |= {"paid_before": Decimal(0), "currency": "USD"}
    first = journal.start_run(file=deposit, location_id="loc1", api_url=API)
    payments = (
        ("k1", 2, "a1", "12.50", "recorded", ""),
        ("k2", 3, "a2", "80.00", "unknown", "No answer came before the timeout."),
        ("k3", 4, "a3", "5.00", "rejected", "The invoice is void."),
    )
    for key, row, invoice_id, amount, state, message in payments:
        sent = invoice(number=f"INV-100{row - 1}", currency="USD") if invoice else None
        call(
            journal.claim,
            key=key,
            run_id=first,
            row=row,
            invoice_id=invoice_id,
            amount=Decimal(amount),
            invoice=sent,
            **alike,
        )
        kept = after if state == "recorded" else None
        call(journal.settle, api_url=API, key=key, state=state, message=message, invoice=kept)
    rows = [
        make(
            module,
            kind="RunRow",
            row=row,
            status=state,
            message=message,
            invoice_id=invoice_id,
            amount=amount,
            mode="cash",
            currency="USD",
            invoice=after if state == "recorded" else None,
            warning="",
        )
        for _key, row, invoice_id, amount, state, message in payments
    ]
    call(
        journal.finish_run,
        run_id=first,
        outcome="finished",
        message="",
        counts={"recorded": 1, "unknown": 1, "rejected": 1},
        totals={"USD": Decimal("12.50")},
        rows=rows,
        requests=5,
        lookup_requests=1,
        decimal_mark=",",
    )
    if hasattr(journal, "settle_by_hand"):
        journal.settle_by_hand(first, 3, recorded=True)
    second = journal.start_run(file=deposit, location_id="loc1", api_url=API)
    call(
        journal.claim,
        key="k4",
        run_id=second,
        row=5,
        invoice_id="a4",
        amount=Decimal("7.25"),
        **alike,
    )
    journal.close()


def as_a_test_would_have_it(path: Path, *, user: str) -> None:
    """Put the machine's user and folder as a test's would be, and drop the free pages."""
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE runs SET user = 'ana', file = '/payments/deposit.csv'")
        connection.execute("UPDATE payments SET message = replace(message, ?, 'ana')", (user,))
        if connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'settled_by_hand'"
        ).fetchone():
            connection.execute("UPDATE settled_by_hand SET user = 'ana'")
    connection.execute("VACUUM")
    connection.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, commit in SHAPES:
        module = old_journal(commit)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "journal.sqlite3"
            write_journal(module, path)
            as_a_test_would_have_it(path, user=module._who())
            shutil.copyfile(path, OUT / f"{name}.sqlite3")


if __name__ == "__main__":
    main()
