"""What the workbench holds between requests: the files dropped on it, each one's choices and
check, and the one run that may be recording at a time.

Every step calls the library (``review``, ``importing``); nothing here decides a rule. The run
is a task in the server's event loop, so it goes on when the tab that started it closes, and
every tab finds it again here.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from importer.check.accepted import with_confirmations
from importer.check.saved import save_template, write_template
from importer.check.template_files import DEFAULT_TEMPLATE
from importer.check.templates import Template
from importer.connection import Connection
from importer.doctor import Check, all_checks
from importer.errors import ImporterError
from importer.importing import (
    Collaborators,
    Event,
    ImportChoices,
    ImportReport,
    OpenedFile,
    Plan,
    ReadingChoices,
    close_run,
    plan_import,
    record_payments,
    write_results_files,
)
from importer.journal.journal import Journal
from importer.output.proposals import default_proposals_path, write_proposals
from importer.output.results import default_results_path
from importer.progress import Tally
from importer.review import (
    UnmappedFile,
    check_preview,
    chosen_template,
    review_file,
)
from importer.send.stop import StopSignal
from importer.statements import write_matched
from importer.ui.words import page_words

__all__ = ["Run", "Upload", "Workbench"]

log = logging.getLogger("importer.ui")


@dataclass
class Upload:
    """One file dropped on the Start page, and what was chosen and found for it since."""

    id: str
    name: str  # the file's name on the user's computer
    folder: Path  # private; removed once the run's results are written
    path: Path
    review: OpenedFile | UnmappedFile
    choices: ImportChoices
    plan: Plan | None = None
    preview: ImportReport | None = None
    check_error: str | None = None
    run: Run | None = None

    @property
    def reading(self) -> ReadingChoices:
        return self.review.reading

    @property
    def template(self) -> Template:
        """The template the file is read with: the one chosen for it, else the default."""
        return self.review.reading.template or DEFAULT_TEMPLATE

    @property
    def opened(self) -> OpenedFile | None:
        return self.review if isinstance(self.review, OpenedFile) else None

    def words(self, message: str) -> str:
        """A library message as the page says it: the private folder's path replaced by the
        file's name, and the page's controls where it names a command's flag."""
        return page_words(message.replace(str(self.path), self.name).replace(str(self.folder), ""))


@dataclass(eq=False)
class Run:
    """The recording of one upload: its progress, and its report once it has ended."""

    upload: Upload
    # What the person confirmed: this many payments for these totals.
    confirmed: tuple[int, dict[str, Decimal]]
    stop: StopSignal = field(default_factory=StopSignal)
    tally: Tally = field(default_factory=Tally)
    report: ImportReport | None = None
    error: str | None = None
    finished: bool = False
    version: int = 0
    task: asyncio.Task[None] | None = None
    _bumped: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def can_start_again(self) -> bool:
        """Ended with no results (another import held the journal, or an error stopped it):
        the file may be checked and recorded again, the journal deciding what is left."""
        return self.finished and self.report is None

    def touch(self) -> None:
        """Tell whoever watches the progress that something changed."""
        self.version += 1
        bumped, self._bumped = self._bumped, asyncio.Event()
        bumped.set()

    async def changed_since(self, version: int, *, timeout: float) -> bool:
        """Wait until the run changes after ``version``; False when ``timeout`` passed first."""
        if self.version != version:
            return True
        try:
            await asyncio.wait_for(self._bumped.wait(), timeout)
        except TimeoutError:
            return False
        return True


class Workbench:
    """The workbench's files and its run, over one connection and one journal."""

    def __init__(
        self,
        connection: Connection,
        *,
        journal_path: Path,
        results_folder: Path,
        templates_folder: Path,
        uploads_folder: Path,
        today: Callable[[], date] = date.today,
        max_upload_mb: float = 50,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.connection = connection
        self.journal_path = journal_path
        self.results_folder = results_folder
        self.templates_folder = templates_folder
        self.uploads_folder = uploads_folder
        self.today = today
        self.max_upload_mb = max_upload_mb
        self.clock = clock
        self.uploads: dict[str, Upload] = {}
        # The run recording now, or the last one.
        self.run: Run | None = None
        self._starting = asyncio.Lock()
        self.closing = False
        # doctor's checks of the account, once they have run (None before, or for a sandbox).
        self.doctor: list[Check] | None = None
        # Set once the server serves the workbench's pages.
        self.serving = threading.Event()

    async def run_doctor(self) -> None:
        """doctor's checks of the settings, the account and the journal, for the Start page."""
        if self.connection.sandbox:
            return
        flags: dict[str, str | None] = {"api_url": None, "location_id": None, "alt_type": None}
        try:
            self.doctor = await all_checks(flags=flags, journal_path=self.journal_path)
        except Exception:  # a check that breaks must not take the workbench with it
            log.exception("doctor's checks could not run")

    @property
    def doctor_failures(self) -> list[Check]:
        """The checks that failed: what to fix before importing."""
        return [check for check in self.doctor or [] if check.ok is False]

    # --- The file ---------------------------------------------------------------------

    def new_folder(self) -> tuple[str, Path]:
        """A new upload's id and its own private folder."""
        upload_id = secrets.token_urlsafe(9)
        folder = self.uploads_folder / upload_id
        folder.mkdir(mode=0o700, parents=True)
        return upload_id, folder

    def add(self, upload_id: str, name: str, folder: Path, path: Path) -> Upload:
        """Read a file just received, with the template saved for its headers, if any.
        ImporterError when it cannot be read (its folder is removed)."""
        try:
            reading = ReadingChoices()
            reading = dataclasses.replace(
                reading,
                template=chosen_template(path, reading, saved_in=self.templates_folder),
            )
            review = review_file(path, reading, today=self.today())
        except ImporterError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload = Upload(upload_id, name, folder, path, review, ImportChoices(today=self.today()))
        self.uploads[upload_id] = upload
        return upload

    def read_again(self, upload: Upload, reading: ReadingChoices) -> None:
        """Read the upload again another way (another template, sheet or columns)."""
        upload.review = review_file(
            upload.path,
            reading,
            today=self.today(),
            allow_duplicates=upload.choices.allow_duplicates,
        )
        upload.plan = upload.preview = upload.check_error = None

    def choose_columns(
        self, upload: Upload, columns: dict[str, str], *, save_as: str | None = None
    ) -> Template:
        """Read the upload with these columns (field -> header); ``save_as`` also saves
        them as a template chosen by itself for the next file with these headers."""
        headers = upload.review.file.columns
        base = upload.template
        # How the dates and amounts are written goes with the columns, as chosen or as the
        # template had it; the encoding and separator are the file's, not a template's.
        date_format = upload.reading.date_format or base.date_format
        decimal = upload.reading.decimal or base.decimal
        if save_as is not None:
            template = save_template(
                save_as,
                self.templates_folder,
                base=base,
                columns=columns,
                file_headers=headers,
                date_format=date_format,
                decimal=decimal,
            )
        else:
            template = write_template(
                upload.folder / "columns.toml",
                base=base,
                columns=columns,
                file_headers=(),
                date_format=date_format,
                decimal=decimal,
            )
        self.read_again(upload, dataclasses.replace(upload.reading, template=template))
        return template

    # --- A bank statement ---------------------------------------------------------------

    async def match_statement(self, upload: Upload) -> None:
        """Match the upload, a bank statement, with the open invoices: its proposals file is
        written in the upload's folder, and read from now on instead of the statement."""
        async with self.connection.client() as client:
            upload.path, _matched = await write_matched(
                upload.path, upload.reading, client, folder=upload.folder
            )
        self.read_again(upload, upload.reading)

    def confirm_lines(self, upload: Upload, confirmed: dict[int, tuple[str, bool]]) -> None:
        """Set the Invoice and Accept of a proposals file's lines as the person chose."""
        opened = upload.opened
        if opened is None:
            return
        edited = with_confirmations(opened.file, confirmed)
        path = upload.path
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = default_proposals_path(path, folder=upload.folder)
        write_proposals(path, edited)
        upload.path = path
        self.read_again(upload, upload.reading)

    # --- The check ----------------------------------------------------------------------

    async def check(self, upload: Upload, choices: ImportChoices) -> None:
        """Check the upload against HighLevel and the journal, recording nothing."""
        opened = upload.opened
        if opened is None:
            return
        results = self.results_folder / upload.id / default_results_path(upload.path).name
        upload.choices = dataclasses.replace(choices, results_path=results)
        upload.plan = upload.preview = upload.check_error = None
        try:
            with Journal.open(self.journal_path) as journal:
                async with self.connection.client() as client:
                    collaborators = Collaborators(client=client, journal=journal)
                    plan = await plan_import(opened, upload.choices, collaborators)
                    upload.preview = check_preview(plan, upload.choices, collaborators)
                    upload.plan = plan
        except ImporterError as error:
            upload.check_error = upload.words(str(error))

    # --- The run --------------------------------------------------------------------------

    @property
    def recording(self) -> Run | None:
        """The run going on now, if any."""
        return self.run if self.run is not None and not self.run.finished else None

    async def start(self, upload: Upload) -> Run:
        """Start recording the upload's plan, unless a run is going on (that run is given
        back) or this upload was recorded already (its run is given back). Never two."""
        async with self._starting:
            if self.recording is not None:
                return self.recording
            if upload.run is not None and not upload.run.can_start_again:
                return upload.run
            plan = upload.plan
            if plan is None or not plan.ready or self.closing:
                raise ImporterError(
                    "Nothing can be recorded from this file now: check it against HighLevel "
                    "first, and fix what the check shows."
                )
            run = Run(upload, (plan.payment_count, plan.totals))
            upload.run = self.run = run
            run.task = asyncio.create_task(self._record(run), name=f"record {upload.name}")
            return run

    def _on_event(self, run: Run) -> Callable[[Event], None]:
        def tell(event: Event) -> None:
            run.tally.tell(event, at=self.clock())
            run.touch()

        return tell

    async def _record(self, run: Run) -> None:
        upload = run.upload
        opened = upload.opened
        assert opened is not None  # a plan exists only for an opened file
        try:
            # Exclusive: the command line (or another workbench) cannot send from this
            # journal while the page does, and the other way round.
            with Journal.open(self.journal_path, exclusive=True) as journal:
                async with self.connection.client() as client:
                    collaborators = Collaborators(
                        client=client, journal=journal, stop=run.stop, on_event=self._on_event(run)
                    )
                    plan = await plan_import(opened, upload.choices, collaborators)
                    if (plan.payment_count, plan.totals) != run.confirmed:
                        run.error = (
                            "Nothing was recorded: what the file would record changed since it "
                            "was checked (another run may have recorded some of it). Check it "
                            "against HighLevel again."
                        )
                        upload.plan = upload.preview = None
                        return
                    recording = await record_payments(plan, upload.choices, collaborators)
                    report = close_run(plan, recording, upload.choices, collaborators)
            run.report = write_results_files(report)
            if run.report.results_written:
                shutil.rmtree(upload.folder, ignore_errors=True)
        except ImporterError as error:
            run.error = upload.words(str(error))
        except Exception:
            log.exception("The run of %s stopped", upload.name)
            run.error = (
                "The run stopped on an unexpected error. Payments sent before it may be "
                "recorded; the next run of this file checks them before sending anything."
            )
        finally:
            run.finished = True
            run.touch()

    def stop_sending(self) -> bool:
        """The server is stopping: the run going on sends no new payment (those on their way
        are finished); True when a run was recording."""
        self.closing = True
        run = self.recording
        if run is None:
            return False
        run.stop.set()
        run.touch()
        return True

    async def close(self) -> None:
        """Stop: the run going on finishes the payments in flight and writes its results;
        every private folder is removed."""
        self.closing = True
        run = self.recording
        if run is not None and run.task is not None:
            run.stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await run.task
        if self.run is not None:
            self.run.touch()
        shutil.rmtree(self.uploads_folder, ignore_errors=True)
