"""Payments file -> rows of text cells, each with its sheet and spreadsheet row number.

Every cell is read as text so that cheque numbers and card digits keep their leading zeros;
parsing amounts and dates is the validator's job (see ``values``). Row numbers are the ones
the user sees: the Excel row, or for a CSV the row Excel shows when it opens the file (the
text editor's line too, unless a quoted cell spans several lines). Title lines above the
header, blank rows and blank columns are skipped, and a totals row under the payments is kept
apart as a control total, never as a payment.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import compress, islice
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, overload

import charset_normalizer
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import python_calamine
from python_calamine import CalamineError, PasswordError

from importer.errors import ConfigurationError, InputFileError

EXCEL_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
DEFAULT_MAX_SIZE_MB = 50
DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "|": "|", "pipe": "|"}
# A workbook is a zip of XML; real sheets compress 5 to 50 times. A member that unpacks to
# more than this many times its packed size, past a few megabytes, is a zip bomb.
MAX_ZIP_RATIO = 200
_ZIP_RATIO_FLOOR = 16 * 1024 * 1024
# All members together may unpack to this many times the file size limit.
_UNPACKED_PER_PACKED_LIMIT = 20
# The header is looked for among the first rows only: title lines are a handful.
_HEADER_SEARCH_ROWS = 50
_HEAD_BYTES = 256 * 1024
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SNIFF_BYTES = 4096
# A web page or an XML file, by its first tag after any BOM and blank space.
_MARKUP = re.compile(rb"(?:\xef\xbb\xbf)?\s*<(?:\?xml|!doctype|html|table|head|body|meta)\b", re.I)
_HTML = re.compile(rb"<(?:!doctype\s+html|html|table|body)\b", re.I)
# Control characters no text export holds (tab, line ends and form feed aside).
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_TOTAL_WORDS = re.compile(r"(grand\s+)?(totals?|totales|total\s+general|suma|summe|sum)\b.*")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T][0-9:. APMapm]*)?")
# Rows of uneven length put back in place by slicing around them; more are put back by
# index, which costs a pass over every cell but no more for ten thousand than for one.
_FEW_UNEVEN_ROWS = 10_000
# A report's lines under its totals row ("Printed by", "Page 1 of 1") that are passed over.
_MAX_FOOTER_ROWS = 3
_NUMERIC = re.compile(r"[-+(]?[\s$€£¥]*[0-9][0-9\s.,/:'$€£¥()+-]*[A-Za-z]{0,3}")
_ITER_CHUNK = 65_536
_PREFERRED_ENCODINGS = ("cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850")
# What cp1252 makes of text that is not Western: control characters (binary, or UTF-16
# without its BOM), three accented letters in a row (Cyrillic "Сумма" reads "Ñóììà"), or
# a sign between two letters (Polish "usługę" reads "us³ugê"). Western words put an accent
# among plain letters (Müller, año).
_NOT_WESTERN = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
    r"|[À-ÖØ-öø-ÿŠšŒœŽžŸ]{3}"
    r"|[^\W\d_][¹²³¼½¾¿¥£¯¤¦¨´¸µ×÷][^\W\d_]"
)
# Mac code pages (no export writes them any more) and East Asian ones: never the reading
# of bytes that cp1252 reads, which is what a short Western file gets from the detector.
_NEVER_FOR_CP1252_BYTES = re.compile(
    r"mac_|big5|cp932|cp949|cp950|euc_|gb|hz|iso2022|johab|shift_jis"
)
# Only a format of nothing but zeros ("0000", "000000") is applied: it is how cheque numbers
# and card digits are typed as numbers, and its text is certain; anything richer is left as
# calamine gives it.
_ZERO_PADDING = re.compile(r"0{2,64}")
_REFERENCE_ATTRIBUTE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
# An error cell: its start tag, then (past any formula) the error it shows as its value.
_ERROR_CELL = re.compile(
    rb'(<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\bt="e"[^>]*>)(?:(?!</(?:[A-Za-z_][\w.-]*:)?c>).){0,4096}?'
    rb"<(?:[A-Za-z_][\w.-]*:)?v>(#[A-Z0-9/_!?]{1,16})</",
    re.DOTALL,
)
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?\bref="([^"]{0,40})"')
_CELL_REFERENCE = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")
# calamine lays a sheet out as a grid from A1 to its farthest cell before handing over any
# of it, at some 40 bytes a cell: a stray value at XFD1048576 in a 5 KB file would ask for
# hundreds of gigabytes. Ten million cells (a million payments of ten columns, some 2 GB to
# lay out) is past any payments sheet and still within reach of an office computer.
_MAX_SHEET_CELLS = 10_000_000
# The dimension element comes before the cells, after a few small elements.
_SHEET_HEAD_BYTES = 64 * 1024
# Big reads: the scan of a sheet ahead of calamine costs little more than unpacking it.
_SCAN_CHUNK = 4 * 1024 * 1024
_ROW_NUMBER = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br="([0-9]{1,7})"')
# styles.xml and workbook.xml are kilobytes; past this they are not read at all.
_MAX_PACKAGE_PART = 8 * 1024 * 1024
_XML_CHUNK = 1024 * 1024
# Anything the package or its XML can throw: a failure here costs the zeros, never the load.
_PACKAGE_ERRORS = (
    OSError,
    KeyError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    ET.ParseError,
    zipfile.BadZipFile,
)


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row as the user sees it: its sheet, its row number and its cells as text."""

    sheet: str
    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ControlTotal:
    """A totals row under the payments: not a payment, but the sum the file says they make."""

    sheet: str
    number: int
    cells: tuple[str, ...]


class Rows(Sequence[SourceRow]):
    """The data rows of a sheet, kept as columns of text and handed out as ``SourceRow``s.

    Why columns: a million-row CSV as a million tuples of Python strings costs seconds and
    gigabytes before any row is checked; as Arrow columns it costs a copy of the file.
    """

    def __init__(
        self,
        sheet: str,
        numbers: pa.Array | list[int],
        columns: Sequence[pa.Array] | Sequence[list[str]],
    ) -> None:
        self._sheet = sheet
        self._numbers = numbers
        self._columns = list(columns)

    def __len__(self) -> int:
        return len(self._numbers)

    @overload
    def __getitem__(self, index: int) -> SourceRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[SourceRow]: ...
    def __getitem__(self, index: int | slice) -> SourceRow | list[SourceRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        (number,) = _chunk(self._numbers, index, 1)
        cells = tuple(_chunk(column, index, 1)[0] for column in self._columns)
        return SourceRow(self._sheet, number, cells)

    def __iter__(self) -> Iterator[SourceRow]:
        sheet = self._sheet
        for start in range(0, len(self), _ITER_CHUNK):
            numbers = _chunk(self._numbers, start, _ITER_CHUNK)
            columns = [_chunk(column, start, _ITER_CHUNK) for column in self._columns]
            for number, cells in zip(numbers, zip(*columns, strict=True), strict=True):
                yield SourceRow(sheet, number, cells)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Rows: {len(self)} rows of sheet {self._sheet!r}>"


def _chunk(values: pa.Array | list[Any], start: int, size: int) -> list[Any]:
    if isinstance(values, list):
        return values[start : start + size]
    chunk: list[Any] = values.slice(start, size).to_pylist()
    return chunk


@dataclass(frozen=True)
class PaymentsFile:
    """A loaded payments file: its header and its data rows, blanks already dropped."""

    path: Path
    format: str
    sheet: str
    columns: tuple[str, ...]
    rows: Sequence[SourceRow]
    header_row: int = 1
    total: ControlTotal | None = None
    encoding: str | None = None
    delimiter: str | None = None
    # Things the user should know about how the file was read (which sheet, which encoding).
    notes: tuple[str, ...] = ()
    # Column index -> the rows whose cell there is a workbook number, not text. Its text is
    # the number written with "." and no thousands mark, whatever the column's text says:
    # 12.345 is twelve and a bit even beside "1.234,50", so it is read with ".", and it does
    # not vote on how the column's text is written.
    number_cells: Mapping[int, frozenset[int]] = field(default_factory=dict)
    # Every sheet of a workbook, the one read among them.
    sheets: tuple[str, ...] = ()


# Whether a row of headers is one the caller can use: it holds the template's columns.
HeaderCheck = Callable[[Sequence[str]], bool]


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
    size = _checked_size(path, max_size_mb=max_size_mb)
    try:
        file_format, notes = _reader_for(path)
        if file_format == "csv":
            loaded = _load_text(
                path, encoding=encoding, delimiter=delimiter, header_fits=header_fits
            )
        else:
            loaded = _load_workbook(
                path,
                file_format,
                sheet=sheet,
                size=size,
                max_size_mb=max_size_mb,
                header_fits=header_fits,
            )
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
        pa.ArrowException,
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
    except _PACKAGE_ERRORS:
        return None
    if "xl/workbook.xml" in names or "[Content_Types].xml" in names:
        return "xlsx"
    return None


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return not _BINARY.search(head)


@contextmanager
def _rust_panics_kept_quiet() -> Iterator[None]:
    """Keep a Rust panic's backtrace off the user's screen; the exception still reaches load.

    A panic prints straight to file descriptor 2, past Python's sys.stderr, so only pointing
    that descriptor at /dev/null for the duration of the call keeps the one-line promise.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _sheet_grid(
    book: Any,
    name: str,
    *,
    path: Path,
    padding: _ZeroPadding | None = None,
    parts: dict[str, str] | None = None,
) -> list[list[Any]]:
    scan = _scanned(path, parts[name]) if parts and name in parts else None
    if scan is not None and scan.rows * scan.columns > _MAX_SHEET_CELLS:
        corner = f"{_column_letters(scan.columns - 1)}{scan.rows}"
        raise InputFileError(
            f'{path}: sheet "{name}" reaches cell {corner}, {scan.rows:,} rows by '
            f"{scan.columns:,} columns from A1: far more than a payments sheet holds. Something "
            "typed far below or to the right of the payments makes it this big: delete those "
            "rows and columns (or copy the payments into a new workbook), save, and try again."
        )
    with _rust_panics_kept_quiet():
        # Without skip_empty_area the grid starts at A1, so grid[r - 1][c - 1] is cell (r, c).
        grid: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if padding is not None and name in padding.parts:
        _pad_zeros(path, padding, name, grid)
    # A lookup that failed is not an empty cell, as calamine reads it: the accountant sees
    # #N/A in Excel and should read it in the message too.
    for (row, column), error in scan.errors.items() if scan is not None else ():
        if row < len(grid) and column < len(grid[row]) and grid[row][column] == "":
            grid[row][column] = error
    return grid


def _checked_size(path: Path, *, max_size_mb: float) -> int:
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
    return size


# --- workbooks -----------------------------------------------------------------------------


def _load_workbook(
    path: Path,
    file_format: str,
    *,
    sheet: str | None,
    size: int,
    max_size_mb: float,
    header_fits: HeaderCheck | None,
) -> PaymentsFile:
    with path.open("rb") as stream:
        start = stream.read(len(_CFB_MAGIC))
    if file_format != "xls" and start == _CFB_MAGIC:
        # An .xlsx that is an OLE container is Excel's encrypted package.
        if _ENCRYPTED_PACKAGE in path.read_bytes():
            raise InputFileError(_password_message(path))
        raise InputFileError(f"{path}: cannot be read (not an {file_format.upper()} workbook).")
    if zipfile.is_zipfile(path):
        _refuse_zip_bomb(path, limit=int(max_size_mb * 1024 * 1024) * _UNPACKED_PER_PACKED_LIMIT)
    elif file_format != "xls" or start != _CFB_MAGIC:
        raise InputFileError(
            f"{path}: cannot be read (not an {file_format.upper()} workbook: "
            "open it in Excel and save it again)."
        )
    with _rust_panics_kept_quiet():
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    padding = _zero_padding(path) if file_format == "xlsx" else None
    parts = _sheet_parts(path) if file_format == "xlsx" else None
    try:
        names = [str(name) for name in book.sheet_names]
        if sheet is not None:
            chosen = _sheet_by_name_or_position(path, names, sheet)
            grid = _sheet_grid(book, chosen, path=path, padding=padding, parts=parts)
            return replace(
                _from_grid(path, file_format, chosen, grid, header_fits=header_fits),
                sheets=tuple(names),
            )
        refusal: InputFileError | None = None
        # A cover sheet ("Prepared by | Ana") has a header and rows too, but not the template's.
        unfit: PaymentsFile | None = None
        # Hidden sheets (lookups, old months) are not what the user means when naming none.
        shown = [
            str(sheet_info.name)
            for sheet_info in book.sheets_metadata
            if sheet_info.visible == python_calamine.SheetVisibleEnum.Visible
        ] or names
        for name in shown:
            try:
                grid = _sheet_grid(book, name, path=path, padding=padding, parts=parts)
                loaded = _from_grid(path, file_format, name, grid, header_fits=header_fits)
            except InputFileError as error:
                refusal = refusal or error
                continue
            if header_fits is None or header_fits(loaded.columns):
                return _read_among(loaded, names)
            unfit = unfit or loaded
        if unfit is not None:
            return _read_among(unfit, names)
        if refusal is not None and len(names) == 1:
            raise refusal
        raise InputFileError(
            f"{path}: no sheet holds a header and payment rows (sheets: {', '.join(names)})."
        )
    finally:
        book.close()


def _read_among(loaded: PaymentsFile, names: list[str]) -> PaymentsFile:
    """The sheet read, with a note saying which when the workbook has several."""
    if len(names) == 1:
        return replace(loaded, sheets=tuple(names))
    note = f'Read sheet "{loaded.sheet}"' + (
        ", the first with a header and payment rows" if loaded.sheet != names[0] else ""
    )
    note += f" (the workbook has {len(names)} sheets; choose another with --sheet)."
    return replace(loaded, notes=(*loaded.notes, note), sheets=tuple(names))


def _sheet_by_name_or_position(path: Path, names: list[str], wanted: str) -> str:
    if wanted in names:
        return wanted
    folded = [name for name in names if name.casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    listed = ", ".join(f'{i}: "{name}"' for i, name in enumerate(names, start=1))
    raise InputFileError(
        f"{path}: no sheet named {wanted!r}. Its sheets are {listed}; "
        "give --sheet a name or a number."
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


@dataclass(frozen=True, slots=True)
class _ZeroPadding:
    """Where an XLSX pads whole numbers with zeros: style index -> digits, sheet -> its part."""

    widths: dict[int, int]
    parts: dict[str, str]


def _zero_padding(path: Path) -> _ZeroPadding | None:
    """The zero-padding styles of an XLSX, or None when it has none (the usual case).

    calamine reports values but not number formats, so a cheque number typed as 123 in a
    column formatted 000000 would lose the zeros Excel shows. No sheet is read a second time
    unless styles.xml holds such a format, which keeps the common load close to calamine's.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            targets = _workbook_targets(archive)
            styles_at = next(
                (
                    _part_name(target)
                    for kind, target in targets.values()
                    if kind.endswith("/styles")
                ),
                "xl/styles.xml",
            )
            widths = _padding_widths(_package_part(archive, styles_at))
            if not widths:
                return None
            parts = _sheet_part_names(archive, targets)
    except _PACKAGE_ERRORS:
        return None
    return _ZeroPadding(widths, parts)


def _sheet_parts(path: Path) -> dict[str, str]:
    """Each sheet's name -> its part in the XLSX package; empty when the package cannot say."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _sheet_part_names(archive, _workbook_targets(archive))
    except _PACKAGE_ERRORS:
        return {}


def _workbook_targets(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """The workbook's relationships: id -> (type, target)."""
    return {
        str(rel.get("Id")): (str(rel.get("Type", "")), str(rel.get("Target", "")))
        for rel in _package_part(archive, "xl/_rels/workbook.xml.rels").iter()
        if _local(rel.tag) == "Relationship"
    }


def _sheet_part_names(
    archive: zipfile.ZipFile, targets: dict[str, tuple[str, str]]
) -> dict[str, str]:
    parts = {}
    for sheet in _package_part(archive, "xl/workbook.xml").iter():
        if _local(sheet.tag) != "sheet":
            continue
        relation = next((value for key, value in sheet.attrib.items() if _local(key) == "id"), None)
        if relation in targets:
            parts[str(sheet.get("name"))] = _part_name(targets[relation][1])
    return parts


@dataclass(frozen=True, slots=True)
class _SheetScan:
    """What an XLSX sheet's XML says before calamine reads it."""

    # From A1 to its farthest cell: calamine lays out that whole grid.
    rows: int
    columns: int
    # (row, column) from 0 -> the error the cell shows (#N/A), which calamine reads as "".
    errors: dict[tuple[int, int], str]


def _scanned(path: Path, part: str) -> _SheetScan | None:
    """One pass over a sheet's part: its extent and its error cells; None if unreadable.

    The extent is the used range that Excel, LibreOffice and openpyxl record ahead of the
    cells in <dimension ref>. A sheet written without one (openpyxl's write-only mode) is
    measured as it goes by: its last row, by the widest of its first rows and its last row,
    where a stray value far below and to the right of the payments (the corner Ctrl+End
    goes to) would be. Either costs little more than unpacking the part, which the search
    for error cells needs anyway.
    """
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
            return _scan(stream)
    except _PACKAGE_ERRORS:
        return None  # calamine reads the part, or says why it cannot


def _scan(stream: IO[bytes]) -> _SheetScan:
    chunk = stream.read(_SHEET_HEAD_BYTES)
    dimension = _DIMENSION.search(chunk)
    corners = _CELL_REFERENCE.findall(dimension[1]) if dimension is not None else []
    measure = not corners
    if measure:
        corners = [reference.groups() for reference in _REFERENCE_ATTRIBUTE.finditer(chunk)]
    rows = max((int(row) for _letters, row in corners), default=0)
    columns = max((_column_index(letters.decode()) + 1 for letters, _row in corners), default=0)
    errors: dict[tuple[int, int], str] = {}
    pending = read = b""
    while True:
        text = pending + chunk
        # The text after the last cell's end waits for the next chunk.
        cut = _after_last_cell(text) if chunk else len(text)
        if len(text) - cut > 8 * _XML_CHUNK:
            break  # no cell ends in megabytes of text: not a sheet Excel writes
        if text.find(b't="e"', 0, cut) != -1:
            for cell in _ERROR_CELL.finditer(text, 0, cut):
                reference = _REFERENCE_ATTRIBUTE.search(cell[1])
                if reference is not None:
                    place = (int(reference[2]) - 1, _column_index(reference[1].decode()))
                    errors[place] = cell[2].decode("ascii", errors="replace")
        if not chunk:
            break
        pending, read = text[cut:], text
        chunk = stream.read(_SCAN_CHUNK)
    if measure:
        # Rows come in order: the last row tag, and the cells after it, reach the farthest.
        start = read.rfind(b"<row ")
        last = deque(_ROW_NUMBER.finditer(read, max(start, 0)), 1)
        if last:
            rows = max(rows, int(last[0][1]))
            for reference in _REFERENCE_ATTRIBUTE.finditer(read, last[0].start()):
                rows = max(rows, int(reference[2]))
                columns = max(columns, _column_index(reference[1].decode()) + 1)
    return _SheetScan(rows, columns, errors)


def _padding_widths(styles: ET.Element) -> dict[int, int]:
    """Index of each cell style whose number format is all zeros -> how many digits it shows."""
    digits: dict[str, int] = {}
    for element in styles.iter():
        if _local(element.tag) == "numFmt":
            code = element.get("formatCode", "")
            if _ZERO_PADDING.fullmatch(code):
                digits[element.get("numFmtId", "")] = len(code)
    if not digits:
        return {}
    cell_styles = next((e for e in styles.iter() if _local(e.tag) == "cellXfs"), None)
    if cell_styles is None:
        return {}
    return {
        index: digits[style.get("numFmtId", "")]
        for index, style in enumerate(e for e in cell_styles if _local(e.tag) == "xf")
        if style.get("numFmtId", "") in digits
    }


def _pad_zeros(path: Path, padding: _ZeroPadding, sheet: str, grid: list[list[Any]]) -> None:
    """Turn whole numbers in zero-padded cells into the text Excel shows (123 -> "000123")."""
    try:
        padded = _padded_cells(path, padding.parts[sheet], padding.widths)
    except _PACKAGE_ERRORS:
        return
    for (row, column), width in padded.items():
        if row >= len(grid) or column >= len(grid[row]):
            continue
        value = grid[row][column]
        # A negative number shows its sign before the zeros, which zfill would count.
        if type(value) in (float, int) and value == value and value >= 0 and value % 1 == 0:
            grid[row][column] = str(int(value)).zfill(width)


def _padded_cells(path: Path, part: str, widths: dict[int, int]) -> dict[tuple[int, int], int]:
    """(row, column) from 0 of every cell in the sheet's part whose style pads with zeros.

    A regular expression finds those cells' tags: an XML parser building every cell of a
    100k-row sheet takes ten seconds, the expression a fraction of one. A cell's attributes
    never hold ">", and its text cannot hold a raw "<", so the tags are found exactly.
    """
    styles = b"|".join(str(index).encode() for index in sorted(widths))
    cells = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\bs="(' + styles + rb')"[^>]*>')
    padded: dict[tuple[int, int], int] = {}
    pending = b""
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        while chunk := stream.read(_XML_CHUNK):
            text = pending + chunk
            # OOXML never declares a DOCTYPE: one is a crafted file, and its entities stay unread.
            if b"<!DOCTYPE" in text.upper():
                return {}
            # A tag cut by the chunk's end waits for the next chunk.
            cut = text.rfind(b"<")
            cut = len(text) if cut == -1 else cut
            if len(text) - cut > _XML_CHUNK:
                return {}
            pending = text[cut:]
            for match in cells.finditer(text, 0, cut):
                reference = _REFERENCE_ATTRIBUTE.search(match[0])
                if reference is None:
                    # Placed only by the cells before it: no telling which cell it is.
                    return {}
                padded[int(reference[2]) - 1, _column_index(reference[1].decode())] = widths[
                    int(match[1])
                ]
    return padded


def _after_last_cell(text: bytes) -> int:
    """Where the last complete cell of some sheet XML ends (0 when none does)."""
    end = text.rfind(b"</c>")
    if end != -1:
        return end + len(b"</c>")
    # A prefixed sheet (<x:c>) is rare, so it may cost a scan.
    last = deque(_CELL_END.finditer(text), maxlen=1)
    return last[0].end() if last else 0


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _column_letters(index: int) -> str:
    """Excel's name of the column at ``index`` from 0: A, B, … Z, AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _package_part(archive: zipfile.ZipFile, name: str) -> ET.Element:
    with archive.open(name) as stream:
        content = stream.read(_MAX_PACKAGE_PART + 1)
    if len(content) > _MAX_PACKAGE_PART or b"<!DOCTYPE" in content.upper():
        raise ValueError(f"{name} is not a part Excel writes")
    return ET.fromstring(content)  # noqa: S314 (size-capped, no DOCTYPE, so no entities)


def _part_name(target: str) -> str:
    """A relationship's target as a name in the zip: absolute from the root, else from xl/."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join("xl", target))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _password_message(path: Path) -> str:
    return (
        f"{path}: the workbook is protected by a password. Open it in Excel, remove the "
        "password (File > Info > Protect Workbook > Encrypt with Password) and save a copy."
    )


def _from_grid(
    path: Path,
    file_format: str,
    sheet: str,
    grid: list[list[Any]],
    *,
    header_fits: HeaderCheck | None = None,
) -> PaymentsFile:
    notes: tuple[str, ...] = ()
    head: list[tuple[int, list[str]]] = []
    for index, record in enumerate(grid):
        cells = [_cell_text(value) for value in record]
        if any(cells):
            head.append((index, cells))
            if len(head) >= _HEADER_SEARCH_ROWS:
                break
    if not head:
        raise InputFileError(f"{path}: the file has no rows.")
    header_index, header = head[_find_header([cells for _index, cells in head], header_fits)]
    # Column by column, in list comprehensions: a cell-by-cell loop over rows costs twice as
    # much, and Arrow's conversion of Python strings more still.
    body = grid[header_index + 1 :]
    width = max([len(header), *(len(record) for record in body[:1])])
    columns: list[list[str]] = []
    numbers_at: list[Sequence[int]] = []  # per column, the body positions holding a number
    for index in range(width):
        text, positions = _column_text(list(map(itemgetter(index), body)))
        columns.append(text)
        numbers_at.append(positions)
    keep = [any(cells) for cells in zip(*columns, strict=True)]
    numbers = list(range(header_index + 2, header_index + 2 + len(body)))
    if not all(keep):
        numbers = list(compress(numbers, keep))
        columns = [list(compress(column, keep)) for column in columns]
    sheet_total = None
    start = max(0, len(numbers) - _MAX_FOOTER_ROWS - 1)
    tail = [
        (numbers[at], tuple(column[at] for column in columns)) for at in range(start, len(numbers))
    ]
    below = _rows_under_total(tail, header)
    if below is not None:
        sheet_total = tail[-1 - below]
        notes += _footer_notes(tail[len(tail) - below :])
        del numbers[len(numbers) - 1 - below :]
        columns = [column[: len(numbers)] for column in columns]
    if not numbers:
        raise InputFileError(
            f"{path}: the file has a header but no payment rows (header on row {header_index + 1})."
        )
    header = header + [""] * (width - len(header))
    kept = [index for index in range(width) if header[index] or any(columns[index])]
    return PaymentsFile(
        path,
        file_format,
        sheet,
        tuple(header[index] for index in kept),
        Rows(sheet, numbers, [columns[index] for index in kept]),
        header_row=header_index + 1,
        total=None
        if sheet_total is None
        else ControlTotal(sheet, sheet_total[0], tuple(sheet_total[1][i] for i in kept)),
        notes=notes,
        number_cells={
            at: frozenset(_shifted(numbers_at[index], header_index + 2))
            for at, index in enumerate(kept)
            if numbers_at[index]
        },
    )


def _shifted(positions: Sequence[int], by: int) -> Iterable[int]:
    if isinstance(positions, range):
        return range(positions.start + by, positions.stop + by)
    return (position + by for position in positions)


def _column_text(values: list[Any]) -> tuple[list[str], Sequence[int]]:
    """A column's cells as text, and the positions of those that are numbers."""
    try:
        return list(map(str.strip, values)), []  # a column of text: the common case, and fast
    except TypeError:
        pass
    kinds = set(map(type, values))
    others = kinds - {str}
    # One kind of value besides text (a column of amounts, a column of dates) is converted by
    # its own function, without _cell_text's chain of checks for every cell.
    convert = _TEXT_OF.get(next(iter(others)), _cell_text) if len(others) == 1 else _cell_text
    text = [value.strip() if type(value) is str else convert(value) for value in values]
    if kinds <= {float, int}:
        return text, range(len(values))  # numbers only: no need to look at each
    if not kinds & {float, int}:
        return text, []  # a column of dates, say
    return text, [at for at, value in enumerate(values) if type(value) in (float, int)]


def _float_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    shortest = repr(value)
    if len(shortest) <= 16 and "e" not in shortest and "n" not in shortest:
        return shortest
    return _cell_text(value)


def _datetime_text(value: datetime) -> str:
    if value.hour == value.minute == value.second == value.microsecond == 0:
        return value.date().isoformat()
    return value.isoformat(sep=" ")


_TEXT_OF: dict[type, Any] = {
    float: _float_text,
    int: str,
    date: date.isoformat,
    datetime: _datetime_text,
    time: time.isoformat,
}


def _at(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _cell_text(value: object) -> str:
    """A cell as the user sees it, give or take number formats calamine does not report."""
    if type(value) is str:
        return value.replace("\u00a0", " ").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
        shortest = repr(value)
        if len(shortest) <= 16 and "e" not in shortest:
            return shortest
        # 15 significant digits is what Excel shows; past them lies binary noise (12.4999…).
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).replace("\u00a0", " ").strip()


# --- header, totals ------------------------------------------------------------------------


def _find_header(head: Sequence[Sequence[str]], fits: HeaderCheck | None = None) -> int:
    """Index of the header among the first non-blank rows: a row of words, the widest.

    Title lines hold numbers and dates ("Deposit date: | 03/10/2026") or are narrower than
    the table ("Account Name: | ACME Trading" above six columns); a header holds only words.
    A row that ``fits`` the caller's template wins over a wider one.
    """
    filled = [[cell for cell in cells if cell] for cells in head]
    words = [
        index
        for index, cells in enumerate(filled)
        if len(cells) >= 2 and not any(_NUMERIC.fullmatch(cell) for cell in cells)
    ]
    if fits is not None:
        for index in words:
            if fits(head[index]):
                return index
    # The first of the widest: max keeps the first of equals.
    return max(words, key=lambda index: len(filled[index]), default=0)


def _rows_under_total(
    tail: Sequence[tuple[int, Sequence[str]]], header: Sequence[str]
) -> int | None:
    """How many footer lines stand under the totals row among the last rows, or None.

    A report often ends with a line or two under its total ("Printed 2026-10-05 by ana",
    "Page 1 of 1"): words only, as narrow as a title line. They are passed over only to
    reach a totals row; without one above them, they stay rows like any other.
    """
    for below in range(len(tail)):
        cells = tail[-1 - below][1]
        if _is_total(cells, header):
            return below
        filled = [cell for cell in cells if cell]
        if len(filled) > max(1, _width(header) // 2) or any(
            _NUMERIC.fullmatch(cell) for cell in filled
        ):
            return None
    return None


def _is_total(cells: Sequence[str], header: Sequence[str]) -> bool:
    """A row that says Total (Totales, Suma…) by its sum, or a narrow row of one number.

    "Total" with its amount, and perhaps a date, is a totals row in any column and at any
    width. Otherwise only a row much narrower than a payment qualifies: a last payment whose
    note says "Total due" still has its invoice, amount, date and method, and must stay a
    payment.
    """
    filled = [cell for cell in cells if cell]
    labels = [cell for cell in filled if _TOTAL_WORDS.fullmatch(cell.casefold().rstrip(":. "))]
    others = [cell for cell in filled if cell not in labels]
    if (
        labels
        and all(_NUMERIC.fullmatch(cell) for cell in others)
        and sum(1 for cell in others if not _DATE_LIKE.fullmatch(cell)) <= 1
    ):
        return True
    if len(filled) > max(1, _width(header) // 2):
        return False
    if labels:
        return True
    return len(filled) == 1 and bool(_NUMERIC.fullmatch(filled[0]))


def _width(header: Sequence[str]) -> int:
    return sum(1 for cell in header if cell)


def _footer_notes(footer: Sequence[tuple[int, Sequence[str]]]) -> tuple[str, ...]:
    return tuple(
        f'Row {number}, under the totals row, is not a payment: "{" ".join(filter(None, cells))}".'
        for number, cells in footer
    )


# --- text files ----------------------------------------------------------------------------


def _load_text(
    path: Path, *, encoding: str | None, delimiter: str | None, header_fits: HeaderCheck | None
) -> PaymentsFile:
    raw = path.read_bytes()
    utf8, used = _as_utf8(path, raw, encoding)
    head = utf8[:_HEAD_BYTES].decode("utf-8", errors="ignore")
    if "\x00" in head:
        raise InputFileError(f"{path}: cannot be read (it is not a text file).")
    # Excel writes and honours a first line "sep=;" naming the delimiter.
    excel_hint = re.match(r"sep=([,;\t|])\r?\n", head)
    chosen = _delimiter(path, head, delimiter or (excel_hint[1] if excel_hint else None))
    notes: tuple[str, ...] = ()
    if used not in ("utf-8", "utf-8-sig", "utf-16") and encoding is None:
        notes = (
            f"Read as {used} text: if accents look wrong in the results, run again with "
            "--encoding, such as --encoding utf-8 or --encoding cp1252.",
        )
    lines = list(io.StringIO(head, newline=""))  # \n, \r\n or \r only, as csv reads them
    if len(utf8) > _HEAD_BYTES and lines:
        lines.pop()  # may be cut in the middle
    # Row numbers count CSV records, as Excel does; a blank line is a row of its own.
    records: list[tuple[int, int, list[str]]] = []  # (row number, bytes consumed, cells)
    reader = csv.reader(iter(lines), delimiter=chosen)
    consumed_lines = 0
    offset = 0
    line_bytes = [len(line.encode("utf-8")) for line in lines]
    try:
        for number, record in enumerate(reader, start=1):
            offset += sum(line_bytes[consumed_lines : reader.line_num])
            consumed_lines = reader.line_num
            records.append(
                (number, offset, [cell.replace("\u00a0", " ").strip() for cell in record])
            )
            if sum(1 for r in records if any(r[2])) > _HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        # A quote left open below the header runs past csv's field limit; the header is
        # found among the records above it, and reading the rows says where the quote is.
        if not records:
            raise
    head_records = [r for r in records if any(r[2])]
    if not head_records:
        raise InputFileError(f"{path}: the file has no rows.")
    header_at = _find_header([cells for _n, _o, cells in head_records], header_fits)
    header_number, data_offset, header = head_records[header_at]
    try:
        try:
            read = _read_columns(utf8, data_offset, delimiter=chosen, width=len(header))
        except pa.ArrowInvalid:
            read = None  # a record Arrow cannot take, such as one bigger than its blocks
        # Rows of uneven length that cannot be put back in place (a cell spans lines): the
        # exact but slower reader takes over.
        if read is None:
            read = _read_columns_slowly(utf8, data_offset, delimiter=chosen, width=len(header))
        columns = read
    except csv.Error:
        # A quote left open makes one cell of the rest of the file, past csv's field limit.
        fault = _quote_fault(utf8, data_offset, delimiter=chosen)
        if fault is None:
            raise
    else:
        count = len(columns[0]) if columns else 0
        fault = _quote_fault_among(utf8, data_offset, count, delimiter=chosen)
    if fault is not None:
        raise InputFileError(_quote_message(path, header, header_number, fault))
    return _from_columns(
        path,
        header,
        header_number,
        columns,
        encoding=used,
        delimiter=chosen,
        notes=notes,
    )


def _as_utf8(path: Path, raw: bytes, encoding: str | None) -> tuple[bytes, str]:
    """The file's bytes as UTF-8 (no BOM), and the encoding they were read with."""
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputFileError(
                f"{encoding!r} is not an encoding this importer knows; try utf-8, cp1252, "
                "latin-1 or utf-16."
            ) from None
        try:
            return raw.decode(name).lstrip("\ufeff").encode("utf-8"), name
        except UnicodeDecodeError as error:
            raise InputFileError(
                f"{path}: is not {name} text (byte {error.start + 1} cannot be read); "
                "run again without --encoding to let the importer tell."
            ) from None
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :], "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _reencoded(path, raw, "utf-16"), "utf-16"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return raw, "utf-8"
    guessed = _likeliest_encoding(raw[:_HEAD_BYTES])
    if guessed is None:
        raise InputFileError(
            f"{path}: cannot be read (it is not text in an encoding this importer can tell). "
            "If it is a spreadsheet, export it as CSV; if it is text, run again with "
            "--encoding."
        )
    return _reencoded(path, raw, guessed), guessed


def _likeliest_encoding(sample: bytes) -> str | None:
    """cp1252 for bytes that read as Western text in it, else charset-normalizer's pick.

    cp1252 is what Excel and banks in the Americas and Western Europe write, and a short
    export gives a detector little to go on: "€10.00" came out as mac_iceland, "Müller" as
    cp775, O'Brien's with a curly apostrophe as big5hkscs. So bytes that read cleanly as
    cp1252 and look like Western text there are taken as cp1252. Other text (Cyrillic or
    Greek, whose cp1252 reading is runs of accented letters) goes to the detector, with the
    Mac and East Asian code pages set aside for bytes that cp1252 reads. A short Spanish
    file reads equally well as cp1252, cp1250 and cp1257 by the detector's measures, but only
    cp1252 gives "año": among equals, the Western code pages win.
    """
    try:
        western = sample.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and not _NOT_WESTERN.search(western):
        return "cp1252"
    matches = [
        match
        for match in charset_normalizer.from_bytes(sample)
        if western is None or not _NEVER_FOR_CP1252_BYTES.match(match.encoding)
    ]
    if not matches:
        return None
    best = matches[0]
    tied = [
        match.encoding
        for match in matches
        if match.chaos <= best.chaos + 0.005 and match.coherence >= best.coherence - 0.005
    ]
    for preferred in _PREFERRED_ENCODINGS:
        if preferred in tied:
            return preferred
    return str(best.encoding)


def _reencoded(path: Path, raw: bytes, encoding: str) -> bytes:
    try:
        return raw.decode(encoding).lstrip("\ufeff").encode("utf-8")
    except UnicodeDecodeError:
        raise InputFileError(
            f"{path}: cannot be read as {encoding} text; run again with --encoding."
        ) from None


def _delimiter(path: Path, head: str, wanted: str | None) -> str:
    if wanted is not None:
        # "tab" and "pipe" in any case: --help shows them as TAB and PIPE.
        chosen = DELIMITERS.get(wanted) or DELIMITERS.get(wanted.strip().casefold())
        if chosen is None:
            raise ConfigurationError(f"--delimiter {wanted!r}: use one of , ; tab or |.")
        return chosen
    lines = head.splitlines()[: _HEADER_SEARCH_ROWS * 2]
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t", "|"):
        counts: dict[int, int] = {}
        for record in csv.reader(lines, delimiter=candidate):
            if len(record) > 1 and any(cell.strip() for cell in record):
                counts[len(record)] = counts.get(len(record), 0) + 1
        if not counts:
            continue
        width, rows = max(counts.items(), key=lambda item: (item[1], item[0]))
        if (rows, width) > best_score:
            best, best_score = candidate, (rows, width)
    return best


def _read_columns(utf8: bytes, offset: int, *, delimiter: str, width: int) -> list[pa.Array] | None:
    """The records after ``offset`` as columns of text, read by Arrow.

    Arrow wants every row as wide as the header; the rows that are not (a short totals row,
    a row that lost its trailing empty fields) are set aside and put back in their place.
    None when they cannot be placed for sure.
    """
    names = [str(index) for index in range(width)]
    uneven: list[str] = []

    def set_aside(row: Any) -> str:
        uneven.append(row.text)
        return "skip"

    table = pa_csv.read_csv(
        pa.BufferReader(pa.py_buffer(utf8)[offset:]),
        # One thread calls set_aside in file order, which placing the rows relies on.
        read_options=pa_csv.ReadOptions(column_names=names, use_threads=False),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=set_aside,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if not uneven:
        return [table.column(index).combine_chunks() for index in range(width)]
    # Put back in place from the chunks as read, so that the text is copied only once.
    return _with_uneven_rows(
        utf8, offset, [table.column(index) for index in range(width)], uneven, delimiter=delimiter
    )


def _with_uneven_rows(
    utf8: bytes,
    offset: int,
    columns: list[pa.ChunkedArray],
    uneven: list[str],
    *,
    delimiter: str,
) -> list[pa.Array] | None:
    """``columns`` with the rows Arrow set aside put back where they stand in the file.

    When every record is one line, a row's place is its line: each set-aside text is found
    at the start of a line after the one before it (an identical line in between would
    have been set aside too). A cell spanning lines breaks that, and gives None.
    """
    even = len(columns[0]) if columns else 0
    # Only a quoted cell can span lines; then there are fewer records than lines.
    if utf8.find(b'"', offset) != -1:
        lines = _line_breaks(utf8, offset, len(utf8))
        if len(utf8) > offset and utf8[-1:] not in (b"\n", b"\r"):
            lines += 1
        if even + len(uneven) != lines:
            return None
    places: list[int] = []
    line, counted, search = 0, offset, offset
    for text in uneven:
        row = text.encode("utf-8")
        while True:
            at = utf8.find(row, search)
            if at == -1:
                return None
            end = at + len(row)
            if (at == offset or utf8[at - 1 : at] in (b"\n", b"\r")) and (
                end == len(utf8) or utf8[end : end + 1] in (b"\n", b"\r")
            ):
                break
            search = at + 1
        line += _line_breaks(utf8, counted, at)
        counted, search = at, end
        places.append(line)
    cells = [next(csv.reader([text], delimiter=delimiter), []) for text in uneven]
    width = max(len(columns), *map(len, cells))
    read = [
        (
            columns[column].chunks if column < len(columns) else [pa.repeat("", even)],
            pa.array([row[column] if column < len(row) else "" for row in cells], pa.string()),
        )
        for column in range(width)
    ]
    if len(places) <= _FEW_UNEVEN_ROWS:
        # The usual case (a totals row, a footer, a few rows short of their last fields):
        # slices of the rows as read with the set-aside ones between, copied once.
        return [
            pa.concat_arrays(_interleaved(chunks, set_aside, places)) for chunks, set_aside in read
        ]
    # Where each record comes from: an even row's index, or past them, a set-aside row's.
    order: list[int] = []
    taken = 0
    for index, place in enumerate(places):
        order.extend(range(taken, place - index))
        order.append(even + index)
        taken = place - index
    order.extend(range(taken, even))
    positions = pa.array(order, pa.int64())
    return [
        pa.chunked_array([*chunks, set_aside], pa.string()).take(positions).combine_chunks()
        for chunks, set_aside in read
    ]


def _interleaved(chunks: list[pa.Array], set_aside: pa.Array, places: list[int]) -> list[pa.Array]:
    """The even rows' ``chunks`` with each set-aside row slipped in at its place."""
    even = pa.chunked_array(chunks, pa.string())
    pieces: list[pa.Array] = []
    taken = 0
    for index, place in enumerate(places):
        pieces.extend(even.slice(taken, place - index - taken).chunks)
        pieces.append(set_aside.slice(index, 1))
        taken = place - index
    pieces.extend(even.slice(taken).chunks)
    return pieces


def _read_columns_slowly(utf8: bytes, offset: int, *, delimiter: str, width: int) -> list[pa.Array]:
    text = utf8[offset:].decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max(width, *(len(record) for record in records)) if records else width
    return [
        pa.array([record[index] if index < len(record) else "" for record in records], pa.string())
        for index in range(width)
    ]


@dataclass(frozen=True, slots=True)
class _QuoteFault:
    """A cell whose quotes swallow or may swallow the lines after it."""

    record: int  # counted from the first record after the header, blank ones included
    field: int
    # "open": never closed; "closed": text follows the closing quote.
    kind: str
    # The quoted part spans lines.
    spans_lines: bool


def _quote_fault_among(
    utf8: bytes, offset: int, records: int, *, delimiter: str
) -> _QuoteFault | None:
    """A badly quoted cell among the ``records`` just read after ``offset``, or None.

    Only a quoted cell can hold a line break, and only a quote that goes wrong across lines
    loses rows: "12 inch with no closing quote turns every later payment into part of one
    note. So the strict reading runs only when fewer records than lines were read; otherwise
    only the last line can hide an open quote (one with no line break after it).
    """
    if utf8.find(b'"', offset) == -1:
        return None
    lines = _line_breaks(utf8, offset, len(utf8))
    if len(utf8) > offset and utf8[-1:] not in (b"\n", b"\r"):
        lines += 1
    if records < lines:
        return _quote_fault(utf8, offset, delimiter=delimiter)
    start = max(offset, utf8.rfind(b"\n") + 1, utf8.rfind(b"\r") + 1)
    fault = _cell_quote_fault(utf8[start:].decode("utf-8"), 0, delimiter=delimiter)
    if fault is None or fault[1] != "open":
        return None  # "abc"def on one line is read as abcdef, as Excel reads it
    return _QuoteFault(records - 1, fault[0], "open", spans_lines=False)


def _quote_fault(utf8: bytes, offset: int, *, delimiter: str) -> _QuoteFault | None:
    """The first badly quoted cell after ``offset``, by csv's strict reading, or None."""
    text = utf8[offset:].decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = lines = 0
    try:
        for _record in reader:
            records, lines = records + 1, reader.line_num
    except csv.Error:
        start = sum(map(len, islice(io.StringIO(text, newline=""), lines)))
        fault = _cell_quote_fault(text, start, delimiter=delimiter)
        if fault is None:
            return None
        field, kind, spans_lines = fault
        return _QuoteFault(records, field, kind, spans_lines)
    return None


_LINE_BREAK = re.compile(r"[\r\n]")


def _cell_quote_fault(text: str, start: int, *, delimiter: str) -> tuple[int, str, bool] | None:
    """(field, "open" or "closed", spans lines) of the record at ``start``'s bad quote, or None.

    The reading is csv's: a quote opens a cell only as its first character, "" inside is
    one quote, and the closing quote must end the cell.
    """
    cell_end = re.compile(f"[{re.escape(delimiter)}\r\n]")
    field, at = 0, start
    while True:
        if text.startswith('"', at):
            opened = at
            at += 1
            while True:
                close = text.find('"', at)
                if close == -1:
                    return field, "open", True
                if not text.startswith('"', close + 1):
                    break
                at = close + 2
            at = close + 1
            if at < len(text) and text[at] not in (delimiter, "\r", "\n"):
                return field, "closed", bool(_LINE_BREAK.search(text, opened, close))
        else:
            found = cell_end.search(text, at)
            at = len(text) if found is None else found.start()
        if at >= len(text) or text[at] != delimiter:
            return None
        at += 1
        field += 1


def _line_breaks(utf8: bytes, start: int, end: int) -> int:
    """How many lines end between two offsets, counting \\r\\n as one as csv does."""
    feeds = utf8.count(b"\n", start, end)
    returns = utf8.count(b"\r", start, end)
    if not feeds or not returns:
        return feeds + returns  # one kind of line end: no \r\n pair to count, the slow count
    return feeds + returns - utf8.count(b"\r\n", start, end)


def _quote_message(
    path: Path, header: Sequence[str], header_number: int, fault: _QuoteFault
) -> str:
    named = header[fault.field] if fault.field < len(header) else ""
    column = f'"{named}"' if named else _column_letters(fault.field)
    where = f"{path}: row {header_number + 1 + fault.record}, column {column}: "
    if fault.kind == "open":
        return where + (
            'a quote (") opens this cell and is never closed, so the rest of the file would be '
            "read into this one cell. Add the closing quote, or remove this one, and try again."
        )
    if fault.spans_lines:
        return where + (
            'a quote (") opens this cell and the next one is in the middle of a later line, so '
            "the lines between would be read into this one cell. Add the closing quote where "
            "the cell ends, or remove this one, and try again."
        )
    return where + (
        'text follows the quote (") that closes this cell. Put the whole cell in quotes with '
        'each quote inside it doubled (""), or remove the quotes, and try again.'
    )


def _from_columns(
    path: Path,
    header: list[str],
    header_number: int,
    columns: list[pa.Array],
    *,
    file_format: str = "csv",
    sheet: str | None = None,
    encoding: str | None,
    delimiter: str | None,
    notes: tuple[str, ...],
) -> PaymentsFile:
    columns = [
        pc.utf8_trim_whitespace(pc.replace_substring(column, "\u00a0", " ")) for column in columns
    ]
    count = len(columns[0]) if columns else 0
    if count:
        lengths = [pc.utf8_length(column) for column in columns]
        filled = lengths[0]
        for length in lengths[1:]:
            filled = pc.max_element_wise(filled, length)
        keep = pc.greater(filled, 0)
        numbers = pc.add(pc.indices_nonzero(keep), header_number + 1)
        columns = [column.filter(keep) for column in columns]
    else:
        numbers = pa.array([], pa.uint64())
    sheet = sheet or path.name
    total = None
    start = max(0, len(numbers) - _MAX_FOOTER_ROWS - 1)
    tail = [
        (int(number), tuple(str(cell) for cell in cells))
        for number, *cells in zip(
            numbers[start:].to_pylist(),
            *(column[start:].to_pylist() for column in columns),
            strict=True,
        )
    ]
    below = _rows_under_total(tail, header)
    if below is not None:
        number, cells = tail[-1 - below]
        total = ControlTotal(sheet, number, cells)
        notes += _footer_notes(tail[len(tail) - below :])
        numbers = numbers.slice(0, len(numbers) - 1 - below)
        columns = [column.slice(0, len(column) - 1 - below) for column in columns]
    if not len(numbers):
        raise InputFileError(
            f"{path}: the file has a header but no payment rows (header on row {header_number})."
        )
    header = header + [""] * (len(columns) - len(header))
    kept = [
        index
        for index, column in enumerate(columns)
        if header[index] or (pc.max(pc.utf8_length(column)).as_py() or 0) > 0
    ]
    if total is not None:
        total = ControlTotal(total.sheet, total.number, tuple(total.cells[i] for i in kept))
    return PaymentsFile(
        path,
        file_format,
        sheet,
        tuple(header[index] for index in kept),
        Rows(sheet, numbers, [columns[index] for index in kept]),
        header_row=header_number,
        total=total,
        encoding=encoding,
        delimiter=delimiter,
        notes=notes,
    )


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()  # the message names the file already
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]
