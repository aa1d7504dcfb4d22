"""A payments file: what it is by its content, the checks before it is read, and ``load``.

Banks' and ERPs' "Export to Excel" often write text or HTML under an .xls name, and files get
renamed: the first bytes decide the reader, the name only where they cannot. Before any
reader runs, a file is refused in one line when it is missing, empty, over the size limit, a
web page, a zip bomb or a password-protected workbook.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from dataclasses import replace
from pathlib import Path

from python_calamine import CalamineError, PasswordError

from importer.errors import InputFileError
from importer.read.csv import read_text
from importer.read.layout import HeaderCheck, PaymentsFile
from importer.read.workbook import read_workbook
from importer.read.xlsx import PACKAGE_ERRORS

EXCEL_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
# The names a payments file goes by; what it holds still decides how it is read.
PAYMENTS_SUFFIXES = (".csv", ".txt", ".tsv", *EXCEL_SUFFIXES)
DEFAULT_MAX_SIZE_MB = 50
# A workbook is a zip of XML; real sheets compress 5 to 50 times. A member that unpacks to
# more than this many times its packed size, past a few megabytes, is a zip bomb.
MAX_ZIP_RATIO = 200
_ZIP_RATIO_FLOOR = 16 * 1024 * 1024
# All members together may unpack to this many times the file size limit.
_UNPACKED_PER_PACKED_LIMIT = 20
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SNIFF_BYTES = 4096
# A web page or an XML file, by its first tag after any BOM and blank space.
_MARKUP = re.compile(rb"(?:\xef\xbb\xbf)?\s*<(?:\?xml|!doctype|html|table|head|body|meta)\b", re.I)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|table|body)\b", re.I)
# Control characters no text export holds (tab, line ends and form feed aside).
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def load(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_size_mb: float = DEFAULT_MAX_SIZE_MB,
    header_fits: HeaderCheck | None = None,
) -> PaymentsFile:
    """Read a CSV, XLSX, XLSM, XLS or ODS payments file; InputFileError when it cannot be read.

    ``header_fits`` tells the headers the caller's template can use: the header is the first
    row of words that fits, and with several sheets and none named, the sheet read is the
    first whose header fits. Without it, or when nothing fits, the header is the widest row of
    words and the sheet the first with a header and rows.
    """
    _check_size(path, max_size_mb=max_size_mb)
    try:
        file_format, notes = _reader_for(path)
        if file_format == "csv":
            loaded = read_text(
                path, encoding=encoding, delimiter=delimiter, header_fits=header_fits
            )
        else:
            # Everything a workbook holds may be unpacked at most this many bytes.
            limit = int(max_size_mb * 1024 * 1024) * _UNPACKED_PER_PACKED_LIMIT
            _check_workbook(path, file_format, unpacked_limit=limit)
            loaded = read_workbook(path, file_format, sheet=sheet, header_fits=header_fits)
        return replace(loaded, notes=notes + loaded.notes) if notes else loaded
    except InputFileError:
        raise
    except PasswordError:
        raise InputFileError(_password_message(path)) from None
    except (
        OSError,
        ValueError,
        NotImplementedError,
        CalamineError,
        csv.Error,
        zipfile.BadZipFile,
    ) as error:
        raise InputFileError(f"{path}: cannot be read ({_reason(error)}).") from None
    except BaseException as error:
        # python-calamine turns a Rust panic on a damaged workbook into pyo3's PanicException,
        # which derives from BaseException; nothing else of that kind is ours to catch.
        if type(error).__name__ != "PanicException":
            raise
        raise InputFileError(
            f"{path}: cannot be read (the workbook is damaged: open it in Excel and save it again)."
        ) from None


def _reader_for(path: Path) -> tuple[str, tuple[str, ...]]:
    """The reader a file needs by its first bytes ("csv" for text), and a note if not its name's.

    Banks' and ERPs' "Export to Excel" often write text or HTML under an .xls name, and
    files get renamed: the content decides, the name only where the content cannot.
    """
    named = EXCEL_SUFFIXES.get(path.suffix.lower())
    with path.open("rb") as stream:
        head = stream.read(_SNIFF_BYTES)
    if head.startswith(_ZIP_MAGIC):
        found = _package_format(path) or named or "xlsx"
    elif head.startswith(_CFB_MAGIC):
        # An OLE file named .xlsx or .ods is Excel's encrypted package, told apart later.
        found = named if named in ("xlsx", "ods") else "xls"
    elif _MARKUP.match(head):
        kind = "a web page (HTML)" if _HTML.search(head) else "XML"
        raise InputFileError(
            f"{path}: cannot be read: it is {kind}, not a spreadsheet, as some banks' "
            '"Export to Excel" write it. Open it in Excel and save it as .xlsx, or export it '
            "as CSV."
        )
    elif _looks_like_text(head):
        found = "csv"
    else:
        return named or "csv", ()  # neither: the named reader says why it cannot read it
    if found == (named or "csv"):
        return found, ()
    what = "text" if found == "csv" else f"an {found.upper()} workbook"
    return found, (f"{path.name} holds {what}, whatever its name says: read as {what}.",)


def _package_format(path: Path) -> str | None:
    """ "xlsx" or "ods" for a zip that is one, by the parts it holds; None for other zips."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as stream:
                    if stream.read(100).startswith(b"application/vnd.oasis.opendocument"):
                        return "ods"
    except PACKAGE_ERRORS:
        return None
    if "xl/workbook.xml" in names or "[Content_Types].xml" in names:
        return "xlsx"
    return None


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return not _BINARY.search(head)


def _check_size(path: Path, *, max_size_mb: float) -> None:
    try:
        if not path.exists():
            raise InputFileError(f"{path}: no such file.")
        if not path.is_file():
            raise InputFileError(f"{path}: is not a file.")
        size = path.stat().st_size
    except OSError as error:
        raise InputFileError(f"{path}: cannot be read ({_reason(error)}).") from None
    if size == 0:
        raise InputFileError(f"{path}: the file is empty.")
    if size > max_size_mb * 1024 * 1024:
        raise InputFileError(
            f"{path}: the file is {size / 1024 / 1024:.1f} MB, over the {max_size_mb:g} MB "
            "limit. Split it, or run again with a larger --max-size."
        )


def _check_workbook(path: Path, file_format: str, *, unpacked_limit: int) -> None:
    """Refuse an encrypted package, a file that is no workbook, and a zip bomb, in one line."""
    with path.open("rb") as stream:
        start = stream.read(len(_CFB_MAGIC))
    if file_format != "xls" and start == _CFB_MAGIC:
        # An .xlsx that is an OLE container is Excel's encrypted package.
        if _ENCRYPTED_PACKAGE in path.read_bytes():
            raise InputFileError(_password_message(path))
        raise InputFileError(f"{path}: cannot be read (not an {file_format.upper()} workbook).")
    if zipfile.is_zipfile(path):
        _refuse_zip_bomb(path, limit=unpacked_limit)
    elif file_format != "xls" or start != _CFB_MAGIC:
        raise InputFileError(
            f"{path}: cannot be read (not an {file_format.upper()} workbook: "
            "open it in Excel and save it again)."
        )


def _refuse_zip_bomb(path: Path, *, limit: int) -> None:
    """Refuse a workbook that would unpack to far more than it weighs, before unpacking it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, NotImplementedError) as error:
        raise InputFileError(f"{path}: cannot be read ({_reason(error)}).") from None
    unpacked = sum(member.file_size for member in members)
    swollen = [
        member
        for member in members
        if member.file_size > _ZIP_RATIO_FLOOR
        and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1)
    ]
    if unpacked > limit or swollen:
        raise InputFileError(
            f"{path}: refused: it would unpack to {unpacked / 1024 / 1024:,.0f} MB, far more "
            "than a payments workbook holds (a damaged or malicious file). Open it in Excel "
            "and save it again, or export it as CSV."
        )


def _password_message(path: Path) -> str:
    return (
        f"{path}: the workbook is protected by a password. Open it in Excel, remove the "
        "password (File > Info > Protect Workbook > Encrypt with Password) and save a copy."
    )


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()  # the message names the file already
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]
