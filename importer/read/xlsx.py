"""What an XLSX package says that python-calamine does not: zero-padding formats, a sheet's
extent and its error cells.

calamine hands over values, not how Excel shows them: a cheque number typed as 123 in a
column formatted 000000, and a failed lookup showing #N/A, would reach the user as 123 and an
empty cell. And it lays a sheet out from A1 to its farthest cell before handing over any of
it, so the extent is measured first. All of this is read from the package's XML with
regular expressions over its bytes, size-capped: an XML parser building every cell of a
100k-row sheet takes ten seconds, and a failure here costs the zeros, never the load.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

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
# The dimension element comes before the cells, after a few small elements.
_SHEET_HEAD_BYTES = 64 * 1024
# Big reads: the scan of a sheet ahead of calamine costs little more than unpacking it.
_SCAN_CHUNK = 4 * 1024 * 1024
_ROW_NUMBER = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br="([0-9]{1,7})"')
# styles.xml and workbook.xml are kilobytes; past this they are not read at all.
_MAX_PACKAGE_PART = 8 * 1024 * 1024
_XML_CHUNK = 1024 * 1024
# Anything the package or its XML can throw: a failure here costs the zeros, never the load.
PACKAGE_ERRORS = (
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
class ZeroPadding:
    """Where an XLSX pads whole numbers with zeros: style index -> digits, sheet -> its part."""

    widths: dict[int, int]
    parts: dict[str, str]


def zero_padding(path: Path) -> ZeroPadding | None:
    """The zero-padding styles of an XLSX, or None when it has none (the usual case).

    calamine reports values but not number formats, so a cheque number typed as 123 in a
    column formatted 000000 would lose the zeros Excel shows. No sheet is read a second time
    unless styles.xml holds such a format, which keeps the common load close to calamine's.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            targets = _workbook_targets(archive)
            widths = _padding_widths(_package_part(archive, _styles_part(targets)))
            if not widths:
                return None
            parts = _sheet_part_names(archive, targets)
    except PACKAGE_ERRORS:
        return None
    return ZeroPadding(widths, parts)


def _styles_part(targets: dict[str, tuple[str, str]]) -> str:
    return next(
        (_part_name(target) for kind, target in targets.values() if kind.endswith("/styles")),
        "xl/styles.xml",
    )


def sheet_parts(path: Path) -> dict[str, str]:
    """Each sheet's name -> its part in the XLSX package; empty when the package cannot say."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _sheet_part_names(archive, _workbook_targets(archive))
    except PACKAGE_ERRORS:
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
class SheetScan:
    """What an XLSX sheet's XML says before calamine reads it."""

    # From A1 to its farthest cell: calamine lays out that whole grid.
    rows: int
    columns: int
    # (row, column) from 0 -> the error the cell shows (#N/A), which calamine reads as "".
    errors: dict[tuple[int, int], str]


def scanned(path: Path, part: str) -> SheetScan | None:
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
    except PACKAGE_ERRORS:
        return None  # calamine reads the part, or says why it cannot


def _scan(stream: IO[bytes]) -> SheetScan:
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
    return SheetScan(rows, columns, errors)


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


def pad_zeros(path: Path, padding: ZeroPadding, sheet: str, grid: list[list[Any]]) -> None:
    """Turn whole numbers in zero-padded cells into the text Excel shows (123 -> "000123")."""
    try:
        padded = _padded_cells(path, padding.parts[sheet], padding.widths)
    except PACKAGE_ERRORS:
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
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        for text, cut in _tag_chunks(stream, _XML_CHUNK):
            for match in cells.finditer(text, 0, cut):
                reference = _REFERENCE_ATTRIBUTE.search(match[0])
                if reference is None:
                    # Placed only by the cells before it: no telling which cell it is.
                    return {}
                padded[int(reference[2]) - 1, _column_index(reference[1].decode())] = widths[
                    int(match[1])
                ]
    return padded


# A styled cell's start tag as Excel, LibreOffice and openpyxl write it: r, then s. A cell
# written otherwise keeps its value and type, and gets the default format of its kind.
_STYLED_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c r="([A-Z]{1,3})([0-9]{1,7})" s="([0-9]{1,6})"'
)


def number_formats(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """(row as Excel numbers it, column from 0) -> the number format of each cell of ``sheet``
    that has one ("#,##0.00", "dd/mm/yyyy"); empty when the package cannot say.

    Read when the results are written, not when the file is: only a results workbook needs
    them, and a 100k-row sheet costs a second pass over its XML.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            targets = _workbook_targets(archive)
            codes = _style_formats(_package_part(archive, _styles_part(targets)))
            part = _sheet_part_names(archive, targets).get(sheet)
            if not codes or part is None:
                return {}
            found: dict[tuple[int, int], str] = {}
            with archive.open(part) as stream:
                for text, cut in _tag_chunks(stream, _SCAN_CHUNK):
                    for cell in _STYLED_CELL.finditer(text, 0, cut):
                        code = codes.get(int(cell[3]))
                        if code is not None:
                            found[int(cell[2]), _column_index(cell[1].decode())] = code
            return found
    except PACKAGE_ERRORS:
        return {}


def _style_formats(styles: ET.Element) -> dict[int, str]:
    """Index of each cell style with a number format other than General -> its format code."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    custom = {
        element.get("numFmtId", ""): element.get("formatCode", "")
        for element in styles.iter()
        if _local(element.tag) == "numFmt"
    }
    cell_styles = next((e for e in styles.iter() if _local(e.tag) == "cellXfs"), None)
    if cell_styles is None:
        return {}
    codes = {}
    for index, style in enumerate(e for e in cell_styles if _local(e.tag) == "xf"):
        number = style.get("numFmtId", "0")
        code = custom.get(number) or (
            BUILTIN_FORMATS.get(int(number)) if number.isdigit() else None
        )
        if code and code not in ("General", "@"):
            codes[index] = code
    return codes


def _tag_chunks(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, int]]:
    """A sheet's XML a chunk at a time, each with where its last whole tag ends; ValueError
    for XML Excel never writes (a DOCTYPE, or a megabyte without a tag)."""
    pending = b""
    while chunk := stream.read(size):
        text = pending + chunk
        # OOXML never declares a DOCTYPE: one is a crafted file, and its entities stay unread.
        if b"<!DOCTYPE" in text.upper():
            raise ValueError("a sheet declares a DOCTYPE")
        # A tag cut by the chunk's end waits for the next chunk.
        cut = text.rfind(b"<")
        cut = len(text) if cut == -1 else cut
        if len(text) - cut > _XML_CHUNK:
            raise ValueError("a sheet holds a megabyte without a tag")
        pending = text[cut:]
        yield text, cut


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
