"""A spreadsheet dropped on the Start page: received within the size limit, of a kind the
importer reads, into a private folder of its own, then read by the library."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request
from starlette.types import Message

from importer.errors import ImporterError
from importer.read.files import PAYMENTS_SUFFIXES
from importer.ui.state import Upload, Workbench
from importer.ui.words import page_words

__all__ = ["UploadRefused", "receive_upload"]

FIELD = "spreadsheet"
# The form's other parts (the field names, the boundaries) on top of the file itself.
_FORM_ALLOWANCE = 64 * 1024
_CHUNK = 1024 * 1024


class UploadRefused(Exception):
    """The upload is not kept: ``message`` says why, ``status`` is the HTTP answer."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class _TooLarge(Exception):
    pass


def kinds() -> str:
    """The kinds of file the Start page takes, for its words."""
    return "CSV, XLSX, XLSM, XLS or ODS (or a text export)"


async def receive_upload(request: Request, workbench: Workbench) -> Upload:
    """Receive the form's spreadsheet and read it; UploadRefused when it is not kept."""
    limit = int(workbench.max_upload_mb * 1024 * 1024)
    too_large = UploadRefused(
        f"The file is over the {workbench.max_upload_mb:g} MB limit: split it into smaller "
        "files, or export only the payments.",
        status=413,
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _FORM_ALLOWANCE:
        raise too_large
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit + _FORM_ALLOWANCE:
            raise _TooLarge
        return message

    limited = Request(request.scope, counted)
    try:
        async with limited.form(max_files=1, max_fields=10) as form:
            part = form.get(FIELD)
            if not isinstance(part, UploadFile) or not part.filename:
                raise UploadRefused("Choose a spreadsheet first, then press Read file.")
            name = _safe_name(part.filename)
            if Path(name).suffix.lower() not in PAYMENTS_SUFFIXES:
                raise UploadRefused(
                    f"{name} is not a spreadsheet the importer reads: choose a {kinds()} file.",
                    status=415,
                )
            upload_id, folder = workbench.new_folder()
            try:
                path = folder / name
                with path.open("xb") as target:
                    path.chmod(0o600)
                    while chunk := await part.read(_CHUNK):
                        target.write(chunk)
                if path.stat().st_size > limit:
                    raise too_large
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
    except _TooLarge:
        raise too_large from None
    except ClientDisconnect:
        raise UploadRefused("The upload was cut off before the whole file arrived.") from None
    except MultiPartException as error:
        raise UploadRefused(f"The upload could not be read ({error}). Try again.") from None
    try:
        return workbench.add(upload_id, name, folder, path)
    except ImporterError as error:
        message = page_words(str(error).replace(str(path), name))
        raise UploadRefused(message) from None


def _safe_name(filename: str) -> str:
    """The file's own name, without any folder, made safe to be a file name here."""
    name = re.split(r"[\\/]", filename)[-1].strip()
    name = re.sub(r"[^\w .()+,-]", "_", name).lstrip(". ")
    return name[-120:] or "payments.csv"
