"""Shared fixtures: the sample files and a sandbox serving on a free loopback port."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import stamina

from importer.sandbox import DEFAULT_TOKEN, RunningSandbox, running_sandbox

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"
# The day command-line tests run on, given to the command as its context's obj: the sample
# files' payments (October and November 2026) pass the date checks whatever the real date.
TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _no_real_journal_and_no_backoff(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every test gets its own journal and saved templates (never the user's) and retries
    that do not sleep."""
    journal = tmp_path_factory.mktemp("journal") / "journal.sqlite3"
    monkeypatch.setenv("IMPORTER_JOURNAL", str(journal))
    monkeypatch.setenv("IMPORTER_TEMPLATES", str(journal.parent / "templates"))
    # cap=True keeps each call's own number of attempts; only the waiting goes.
    with stamina.set_testing(True, attempts=100, cap=True):
        yield


@pytest.fixture
def seed() -> dict[str, Any]:
    """The sample invoices, fresh for each test."""
    loaded: dict[str, Any] = json.loads((SAMPLES / "sandbox-invoices.json").read_text())
    return loaded


@pytest.fixture
def sandbox(seed: dict[str, Any]) -> Iterator[RunningSandbox]:
    """The sandbox API seeded with the sample invoices, on 127.0.0.1."""
    with running_sandbox(seed, rate_limit="off") as running:
        yield running


@pytest.fixture
def env(sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Settings that point at the sandbox, from the environment, in an empty folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HIGHLEVEL_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("HIGHLEVEL_LOCATION_ID", sandbox.location_id)
    monkeypatch.setenv("HIGHLEVEL_API_URL", sandbox.url)
    monkeypatch.delenv("HIGHLEVEL_ALT_TYPE", raising=False)
    return tmp_path


def copy_sample(name: str, folder: Path) -> Path:
    """A copy of a sample in ``folder``, so its results file lands there too."""
    target = folder / name
    shutil.copy(SAMPLES / name, target)
    return target


def write_template(folder: Path, text: str, name: str = "mine.toml") -> Path:
    """A user's template file in ``folder``."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# Debian's Chromium, as .ci/run installs it: Playwright downloads no browser of its own. The
# flags keep it off the network (this machine has none) and map a foreign name to 127.0.0.1,
# as DNS rebinding would.
CHROMIUM = "/usr/bin/chromium"
REBOUND_HOST = "rebound.example"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Headless Chromium from /usr/bin/chromium, sandbox off (tests run as root)."""
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: apt-get install chromium"
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--host-resolver-rules=MAP {REBOUND_HOST} 127.0.0.1",
        ],
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps an event loop running in the main
    thread until the session ends, and asyncio.run() refuses to start beside it."""
    items.sort(key=lambda item: "page" in getattr(item, "fixturenames", ()))
