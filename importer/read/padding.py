"""Zero-padding formats of XLS and ODS workbooks, which python-calamine does not report.

A cheque number typed as 7001 in a column formatted 000000 shows 007001 in Excel and in
LibreOffice; calamine gives 7001. The XLSX package is read for its formats in ``xlsx``; here
the same is done for the other two: an XLS through xlrd, which reads BIFF's cell formats,
and an ODS from its own XML. Either way a sheet is read a second time only when the workbook
holds such a format at all, and a failure here costs the zeros, never the load: the payment
keys compare cheque numbers as digits, so a number that lost its zeros is still the same
cheque (see ``check.references``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.sax.saxutils import unescape

from importer.read.xlsx import PACKAGE_ERRORS, pad_cells

__all__ = ["ods_padded_cells", "pad_cells", "xls_padded_cells"]  # pad_cells: see xlsx

# (row, column) from 0 -> how many digits the cell's format shows.
PaddedCells = dict[tuple[int, int], int]

_ZERO_PADDING = re.compile(r"0{2,64}")
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_NUMBER = "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
# Where a DOCTYPE would stand, before the root element.
_HEAD = 4096
# A column or row repeated more than a sheet can hold is a crafted file: stop reading it.
_MAX_REPEAT = 1 << 24


def xls_padded_cells(path: Path, sheet: str) -> PaddedCells:
    """The cells of an XLS sheet whose number format is all zeros ("000000").

    xlrd reads the workbook's formats first, without its sheets: the sheet is read again,
    cell by cell, only when some cell style pads with zeros.
    """
    import xlrd  # only an XLS needs it

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, *PACKAGE_ERRORS, AssertionError, IndexError, TypeError):
        return {}
    try:
        widths = {
            index: len(code)
            for index, xf in enumerate(book.xf_list)
            if (found := book.format_map.get(xf.format_key)) is not None
            and _ZERO_PADDING.fullmatch(code := str(found.format_str))
        }
        if not widths:
            return {}
        cells = book.sheet_by_name(sheet)
        return {
            (row, column): widths[style]
            for row in range(cells.nrows)
            for column in range(cells.row_len(row))
            if (style := cells.cell_xf_index(row, column)) in widths
        }
    except (xlrd.XLRDError, *PACKAGE_ERRORS, AssertionError, IndexError, TypeError):
        return {}
    finally:
        book.release_resources()


def ods_padded_cells(path: Path, sheet: str) -> PaddedCells:
    """The cells of an ODS sheet whose number style shows whole numbers with zeros in front.

    A number style is zero-padding when it shows a whole number of at least two digits and
    nothing else (``<number:number number:min-integer-digits="6"/>``); a cell takes it from
    its own style, else its row's default, else its column's.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            padding = _padding_styles(archive)
            if not padding:
                return {}
            with archive.open("content.xml") as content:
                return _cells(content, sheet, padding)
    except PACKAGE_ERRORS:
        return {}


def _padding_styles(archive: zipfile.ZipFile) -> dict[str, int]:
    """Cell style name -> digits, for the styles (in styles.xml and content.xml's automatic
    styles) whose number style pads with zeros."""
    digits: dict[str, int] = {}
    data_styles: dict[str, str] = {}  # cell style -> its number style
    for part in ("styles.xml", "content.xml"):
        if part not in archive.namelist():
            continue
        with archive.open(part) as stream:
            if b"<!DOCTYPE" in stream.read(_HEAD).upper():
                return {}  # ODF never declares one: a crafted file, its entities left unread
        with archive.open(part) as stream:
            for element in _styles_of(stream):
                tag = element.tag
                name = element.get(f"{{{_STYLE}}}name", "")
                if tag == f"{{{_NUMBER}}}number-style" and (width := _zero_width(element)):
                    digits[name] = width
                elif tag == f"{{{_STYLE}}}style" and (
                    data := element.get(f"{{{_STYLE}}}data-style-name")
                ):
                    data_styles[name] = data
    return {cell: digits[data] for cell, data in data_styles.items() if data in digits}


def _styles_of(stream: IO[bytes]) -> Iterator[ET.Element]:
    """The style elements of a part, up to the body: content.xml's cells are not read here."""
    for event, element in ET.iterparse(stream, events=("start", "end")):  # noqa: S314 (see _cells)
        if event == "start" and element.tag == f"{{{_OFFICE}}}body":
            return
        if event == "end" and element.tag in (
            f"{{{_NUMBER}}}number-style",
            f"{{{_STYLE}}}style",
        ):
            yield element


def _zero_width(style: ET.Element) -> int:
    """The digits a number style pads whole numbers to; 0 when it is not such a style."""
    parts = list(style)
    if len(parts) != 1 or parts[0].tag != f"{{{_NUMBER}}}number" or (style.text or "").strip():
        return 0
    number = parts[0]
    decimals = number.get(f"{{{_NUMBER}}}decimal-places", "0")
    grouping = number.get(f"{{{_NUMBER}}}grouping", "false")
    width = number.get(f"{{{_NUMBER}}}min-integer-digits", "1")
    if decimals != "0" or grouping == "true" or not width.isdigit():
        return 0
    return int(width) if 2 <= int(width) <= 64 else 0


# The tags of a sheet that place its cells, as LibreOffice, Excel and every writer seen spell
# them (with the "table:" prefix): found by a regular expression over the bytes, which takes a
# fraction of the time an XML parser takes to build every cell of a 100k-row sheet.
_PLACING = re.compile(
    rb"<table:(table-column|table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>"
    rb"|</table:(table|table-row)>"
)
_ATTRIBUTE = re.compile(rb'([\w.-]+:[\w.-]+)="([^"]*)"')
# The XML of one sheet stays within what the loader already let through when unpacked.
_MAX_CONTENT = 1 << 31


def _cells(content: IO[bytes], sheet: str, padding: dict[str, int]) -> PaddedCells:
    """Walk the sheet's rows and cells, counting repeats, for the cells of a padding style."""
    text = content.read(_MAX_CONTENT)
    padded: PaddedCells = {}
    inside = False
    columns: list[tuple[int, str]] = []  # (how many, default cell style), in order
    row = column = repeat = 0
    row_style = ""
    for match in _PLACING.finditer(text):
        tag, attributes, closing = match[1], match[2], match[3]
        if closing == b"table" or (tag == b"table" and inside):
            if inside:
                return padded
            continue
        if tag == b"table":
            inside = _attributes(attributes).get("table:name") == sheet
            continue
        if not inside:
            continue
        if closing == b"table-row":
            row += repeat
            continue
        if tag.endswith(b"cell") and b"repeated" not in attributes and b"style-" not in attributes:
            # Most cells: one column, no style of their own; their attributes go unread unless
            # their row's or column's style pads.
            style = row_style or _column(columns, column)
            if style in padding and _attributes(attributes).get("office:value-type") == "float":
                padded[row, column] = padding[style]
            column += 1
            continue
        found = _attributes(attributes)
        if tag == b"table-column":
            columns.append(
                (_repeat(found, "columns"), found.get("table:default-cell-style-name", ""))
            )
        elif tag == b"table-row":
            column, repeat = 0, _repeat(found, "rows")
            row_style = found.get("table:default-cell-style-name", "")
            if attributes.endswith(b"/"):
                row += repeat
        else:
            times = _repeat(found, "columns")
            style = found.get("table:style-name") or row_style or _column(columns, column)
            if style in padding and found.get("office:value-type") == "float":
                for offset in range(min(times, 1024)):
                    padded[row, column + offset] = padding[style]
            column += times
    return padded


def _attributes(text: bytes) -> dict[str, str]:
    return {name.decode(): unescape(value.decode()) for name, value in _ATTRIBUTE.findall(text)}


def _repeat(found: dict[str, str], what: str) -> int:
    text = found.get(f"table:number-{what}-repeated", "1")
    count = int(text) if text.isdigit() else 1
    if count > _MAX_REPEAT:
        raise ValueError("a repeat past what a sheet holds")
    return max(count, 1)


def _column(columns: list[tuple[int, str]], index: int) -> str:
    """The default cell style of column ``index``, from the sheet's column declarations."""
    seen = 0
    for count, style in columns:
        seen += count
        if index < seen:
            return style
    return ""
