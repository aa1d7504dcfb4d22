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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any, overload

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
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_TOTAL_WORDS = re.compile(r"(grand\s+)?(totals?|totales|total\s+general|suma|summe|sum)\b.*")
_NUMERIC = re.compile(r"[-+(]?[\s$€£¥]*[0-9][0-9\s.,/:'$€£¥()+-]*[A-Za-z]{0,3}")
_ITER_CHUNK = 65_536
_PREFERRED_ENCODINGS = ("cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850")
# Only a format of nothing but zeros ("0000", "000000") is applied: it is how cheque numbers
# and card digits are typed as numbers, and its text is certain; anything richer is left as
# calamine gives it.
_ZERO_PADDING = re.compile(r"0{2,64}")
_REFERENCE_ATTRIBUTE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
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


def load(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_size_mb: float = DEFAULT_MAX_SIZE_MB,
) -> PaymentsFile:
    """Read a CSV, XLSX, XLSM, XLS or ODS payments file; InputFileError when it cannot be read."""
    size = _checked_size(path, max_size_mb=max_size_mb)
    suffix = path.suffix.lower()
    try:
        if suffix in EXCEL_SUFFIXES:
            return _load_workbook(
                path, EXCEL_SUFFIXES[suffix], sheet=sheet, size=size, max_size_mb=max_size_mb
            )
        return _load_text(path, encoding=encoding, delimiter=delimiter)
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
    book: Any, name: str, *, path: Path, padding: _ZeroPadding | None = None
) -> list[list[Any]]:
    with _rust_panics_kept_quiet():
        # Without skip_empty_area the grid starts at A1, so grid[r - 1][c - 1] is cell (r, c).
        grid: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if padding is not None and name in padding.parts:
        _pad_zeros(path, padding, name, grid)
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
    path: Path, file_format: str, *, sheet: str | None, size: int, max_size_mb: float
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
    elif file_format != "xls":
        raise InputFileError(
            f"{path}: cannot be read (not an {file_format.upper()} workbook: "
            "open it in Excel and save it again)."
        )
    with _rust_panics_kept_quiet():
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    padding = _zero_padding(path) if file_format == "xlsx" else None
    try:
        names = [str(name) for name in book.sheet_names]
        if sheet is not None:
            chosen = _sheet_by_name_or_position(path, names, sheet)
            grid = _sheet_grid(book, chosen, path=path, padding=padding)
            return _from_grid(path, file_format, chosen, grid, notes=())
        refusal: InputFileError | None = None
        # Hidden sheets (lookups, old months) are not what the user means when naming none.
        shown = [
            str(sheet_info.name)
            for sheet_info in book.sheets_metadata
            if sheet_info.visible == python_calamine.SheetVisibleEnum.Visible
        ] or names
        for name in shown:
            grid = _sheet_grid(book, name, path=path, padding=padding)
            try:
                loaded = _from_grid(path, file_format, name, grid, notes=())
            except InputFileError as error:
                refusal = refusal or error
                continue
            if len(names) == 1:
                return loaded
            note = f'Read sheet "{name}"' + (
                ", the first with a header and payment rows" if name != names[0] else ""
            )
            note += f" (the workbook has {len(names)} sheets; choose another with --sheet)."
            return _with_notes(loaded, (note,))
        if refusal is not None and len(names) == 1:
            raise refusal
        raise InputFileError(
            f"{path}: no sheet holds a header and payment rows (sheets: {', '.join(names)})."
        )
    finally:
        book.close()


def _with_notes(payments_file: PaymentsFile, notes: tuple[str, ...]) -> PaymentsFile:
    return PaymentsFile(
        payments_file.path,
        payments_file.format,
        payments_file.sheet,
        payments_file.columns,
        payments_file.rows,
        header_row=payments_file.header_row,
        total=payments_file.total,
        encoding=payments_file.encoding,
        delimiter=payments_file.delimiter,
        notes=payments_file.notes + notes,
    )


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
            workbook_rels = _package_part(archive, "xl/_rels/workbook.xml.rels")
            targets = {
                str(rel.get("Id")): (str(rel.get("Type", "")), str(rel.get("Target", "")))
                for rel in workbook_rels.iter()
                if _local(rel.tag) == "Relationship"
            }
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
            parts = {}
            for sheet in _package_part(archive, "xl/workbook.xml").iter():
                if _local(sheet.tag) != "sheet":
                    continue
                relation = next(
                    (value for key, value in sheet.attrib.items() if _local(key) == "id"), None
                )
                if relation in targets:
                    parts[str(sheet.get("name"))] = _part_name(targets[relation][1])
    except _PACKAGE_ERRORS:
        return None
    return _ZeroPadding(widths, parts)


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


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


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
    path: Path, file_format: str, sheet: str, grid: list[list[Any]], *, notes: tuple[str, ...]
) -> PaymentsFile:
    head: list[tuple[int, list[str]]] = []
    for index, record in enumerate(grid):
        cells = [_cell_text(value) for value in record]
        if any(cells):
            head.append((index, cells))
            if len(head) >= _HEADER_SEARCH_ROWS:
                break
    if not head:
        raise InputFileError(f"{path}: the file has no rows.")
    header_index, header = head[_find_header([cells for _index, cells in head])]
    # Column by column, in list comprehensions: a cell-by-cell loop over rows costs twice as
    # much, and Arrow's conversion of Python strings more still.
    body = grid[header_index + 1 :]
    width = max([len(header), *(len(record) for record in body[:1])])
    columns = [_text_list(list(map(itemgetter(index), body))) for index in range(width)]
    keep = [any(cells) for cells in zip(*columns, strict=True)]
    numbers = list(range(header_index + 2, header_index + 2 + len(body)))
    if not all(keep):
        numbers = list(compress(numbers, keep))
        columns = [list(compress(column, keep)) for column in columns]
    sheet_total = None
    if numbers and _is_total(last := [column[-1] for column in columns], header):
        sheet_total = (numbers.pop(), last)
        columns = [column[:-1] for column in columns]
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
    )


def _text_list(values: list[Any]) -> list[str]:
    try:
        return list(map(str.strip, values))  # a column of text: the common case, and fast
    except TypeError:
        pass
    others = set(map(type, values)) - {str}
    # One kind of value besides text (a column of amounts, a column of dates) is converted by
    # its own function, without _cell_text's chain of checks for every cell.
    convert = _TEXT_OF.get(others.pop(), _cell_text) if len(others) == 1 else _cell_text
    return [value.strip() if type(value) is str else convert(value) for value in values]


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


def _find_header(head: Sequence[Sequence[str]]) -> int:
    """Index of the header among the first non-blank rows: the first wide row of words.

    Title lines ("ACME Ltd", "Deposit date: | 03/10/2026") are narrower than the table, or
    hold numbers and dates; a header holds only words.
    """
    filled = [[cell for cell in cells if cell] for cells in head]
    widest = max(len(cells) for cells in filled)
    for index, cells in enumerate(filled):
        if len(cells) >= max(2, (widest + 1) // 2) and not any(
            _NUMERIC.fullmatch(cell) for cell in cells
        ):
            return index
    return 0


def _is_total(cells: Sequence[str], header: Sequence[str]) -> bool:
    """A last row that says Total (Totales, Suma…), or holds one number and nothing else.

    Only a row much narrower than a payment qualifies: a last payment whose note says
    "Total due" still has its invoice, amount, date and method, and must stay a payment.
    """
    filled = [cell for cell in cells if cell]
    if len(filled) > max(1, sum(1 for cell in header if cell) // 2):
        return False
    if any(_TOTAL_WORDS.fullmatch(cell.casefold().rstrip(":. ")) for cell in filled):
        return True
    return len(filled) == 1 and bool(_NUMERIC.fullmatch(filled[0]))


# --- text files ----------------------------------------------------------------------------


def _load_text(path: Path, *, encoding: str | None, delimiter: str | None) -> PaymentsFile:
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
    for number, record in enumerate(reader, start=1):
        offset += sum(line_bytes[consumed_lines : reader.line_num])
        consumed_lines = reader.line_num
        records.append((number, offset, [cell.replace("\u00a0", " ").strip() for cell in record]))
        if sum(1 for r in records if any(r[2])) > _HEADER_SEARCH_ROWS:
            break
    head_records = [r for r in records if any(r[2])]
    if not head_records:
        raise InputFileError(f"{path}: the file has no rows.")
    header_at = _find_header([cells for _n, _o, cells in head_records])
    header_number, data_offset, header = head_records[header_at]
    try:
        columns = _read_columns(utf8, data_offset, delimiter=chosen, width=len(header))
    except pa.ArrowInvalid:
        # Rows of uneven length: the exact but slower reader takes over.
        columns = _read_columns_slowly(utf8, data_offset, delimiter=chosen, width=len(header))
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
    """charset-normalizer's pick, with ties settled for the Western code pages exports use.

    A short Spanish file reads equally well as cp1252, cp1250 and cp1257 by the detector's
    measures, but only cp1252 gives "año": among equals, the code page Excel and banks in
    the Americas and Western Europe write wins.
    """
    matches = list(charset_normalizer.from_bytes(sample))
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
        if wanted not in DELIMITERS:
            raise ConfigurationError(f"--delimiter {wanted!r}: use one of , ; tab or |.")
        return DELIMITERS[wanted]
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


def _read_columns(utf8: bytes, offset: int, *, delimiter: str, width: int) -> list[pa.Array]:
    names = [str(index) for index in range(width)]
    table = pa_csv.read_csv(
        pa.BufferReader(pa.py_buffer(utf8)[offset:]),
        read_options=pa_csv.ReadOptions(column_names=names),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return [table.column(index).combine_chunks() for index in range(width)]


def _read_columns_slowly(utf8: bytes, offset: int, *, delimiter: str, width: int) -> list[pa.Array]:
    text = utf8[offset:].decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max(width, *(len(record) for record in records)) if records else width
    return [
        pa.array([record[index] if index < len(record) else "" for record in records], pa.string())
        for index in range(width)
    ]


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
    if len(numbers):
        last = [str(column[-1].as_py()) for column in columns]
        if _is_total(last, header):
            total = ControlTotal(sheet, int(numbers[-1].as_py()), tuple(last))
            numbers = numbers.slice(0, len(numbers) - 1)
            columns = [column.slice(0, len(column) - 1) for column in columns]
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
