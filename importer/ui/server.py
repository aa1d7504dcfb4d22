"""Serving the workbench on 127.0.0.1 only: blocking for ``importer ui``, or in a background
thread for tests. Stopping (Ctrl-C) finishes the payments in flight before the server ends.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import uvicorn

from importer.check.saved import saved_templates_dir
from importer.connection import Connection
from importer.journal.journal import default_journal_path
from importer.sandbox.server import listen_on
from importer.ui.app import make_app
from importer.ui.state import Workbench

__all__ = ["Address", "running_workbench", "serve", "workbench_for"]

HOST = "127.0.0.1"
_START_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Address:
    """Where the workbench listens, and the secret a browser needs the first time."""

    url: str
    secret: str

    @property
    def with_key(self) -> str:
        """The address to open: it hands the browser the secret once."""
        return f"{self.url}/?key={self.secret}"


@contextlib.contextmanager
def workbench_for(
    connection: Connection,
    *,
    journal: Path | None = None,
    today: Callable[[], date] = date.today,
    max_upload_mb: float = 50,
) -> Iterator[Workbench]:
    """A workbench over ``connection``, with the same journal as the command line (the one
    given, else ``IMPORTER_JOURNAL`` or the user's data folder); its private folder (uploads,
    and a sandbox's journal) is removed when the block ends."""
    uploads = Path(tempfile.mkdtemp(prefix="importer-ui-"))  # readable by this user alone
    try:
        (uploads / "files").mkdir(mode=0o700)
        where = connection.journal_path(journal, default_journal_path())
        # A rehearsal's journal lives as long as its sandbox (see Connection.journal_path):
        # a file in the private folder, which every page and the run can open.
        journal_path = uploads / "sandbox-journal.sqlite3" if where == ":memory:" else Path(where)
        yield Workbench(
            connection,
            journal_path=journal_path,
            results_folder=journal_path.parent / "results",
            templates_folder=saved_templates_dir(),
            uploads_folder=uploads / "files",
            today=today,
            max_upload_mb=max_upload_mb,
        )
    finally:
        shutil.rmtree(uploads, ignore_errors=True)


class _Server(uvicorn.Server):
    """uvicorn's server, which first tells the run going on to send nothing new."""

    def __init__(
        self, config: uvicorn.Config, workbench: Workbench, on_stopping: Callable[[], None]
    ) -> None:
        super().__init__(config)
        self.workbench = workbench
        self.on_stopping = on_stopping

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.workbench.stop_sending():
            self.on_stopping()
        await super().shutdown(sockets=sockets)


def _config(workbench: Workbench, secret: str) -> uvicorn.Config:
    # No access log: the first request's address holds the secret.
    return uvicorn.Config(
        make_app(workbench, secret=secret),
        log_level="warning",
        access_log=False,
        http="h11",
        ws="none",
        timeout_graceful_shutdown=3,
    )


def serve(
    workbench: Workbench,
    *,
    port: int = 0,
    on_listening: Callable[[Address], None] = lambda _address: None,
    on_stopping: Callable[[], None] = lambda: None,
) -> None:
    """Serve until interrupted (Ctrl-C); port 0 takes a free one. OSError when the port is
    taken."""
    secret = secrets.token_urlsafe(24)
    listener = listen_on(HOST, port)
    try:
        on_listening(Address(f"http://{HOST}:{listener.getsockname()[1]}", secret))
        # uvicorn raises the Ctrl-C it caught again once it has stopped, cleanly by then.
        with contextlib.suppress(KeyboardInterrupt):
            _Server(_config(workbench, secret), workbench, on_stopping).run(sockets=[listener])
    finally:
        listener.close()


@contextlib.contextmanager
def running_workbench(workbench: Workbench) -> Iterator[Address]:
    """Serve the workbench in a background thread until the block ends (for tests)."""
    secret = secrets.token_urlsafe(24)
    listener = listen_on(HOST, 0)
    server = _Server(_config(workbench, secret), workbench, lambda: None)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="workbench", daemon=True
    )
    thread.start()
    try:
        if not workbench.serving.wait(_START_TIMEOUT_SECONDS):
            raise RuntimeError("The workbench did not start.")
        yield Address(f"http://{HOST}:{listener.getsockname()[1]}", secret)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()
