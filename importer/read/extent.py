"""How far an XLSX sheet reaches, measured in its XML before calamine lays it out.

calamine places each cell by its reference (the ``r`` of its tag: any case, leading zeros,
the last one when a tag holds two) or, without one, just after the cell before it; then it
lays the sheet out as a grid from its first cell to its farthest before handing over any of
it. One cell far away in a 5 KB file asks for hundreds of gigabytes, and the process aborts.
The ``<dimension>`` written ahead of the cells is a claim, not a measure, so every cell is
measured here.

A sheet as Excel, LibreOffice and the usual libraries write it (every cell ``<c r="B7" ...>``)
is measured by a few scans of its bytes, at the speed of unpacking it: the farthest column
and row are found by looking for a reference past the farthest seen so far. Anything else (a
cell placed by position, an ``r`` written otherwise, a prefixed tag) is walked tag by tag,
which is slower but reads the sheet as calamine does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

__all__ = ["ExtentMeter", "walk"]

Far = TypeVar("Far", bytes, int)

# A cell that does not start with r="..." (prefixed or not), or an r attribute written another
# way (r = "..", r='..'): the sheet is walked instead. Several plain patterns, each starting
# with a literal, scan far faster than one that starts with a choice.
_ODD = tuple(
    re.compile(pattern)
    for pattern in (rb'<c(?! r=")', rb':c(?:[/>]|\s(?!r="))', rb'r=(?!")', rb"r\s+=")
)
_SHEET_DATA = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?sheetData\b[^>]*?(/?)>")
# The first cell references, to start from the widest column they show.
_LETTERS = re.compile(rb'r="([A-Za-z]+)[0-9]')
_LAST_CELL = re.compile(rb'<c r="[A-Za-z]+0*([0-9]+)"')
# Every cell reference with its row; a row's own r is left out: a row without cells (one
# given a height, say) is not laid out.
_ROWS = re.compile(rb'r="[A-Za-z]+0*([0-9]+)"')
# Past this many new farthest references in one stretch, its references are all read at once.
_RESTARTS = 32
# The walk: every row and cell tag, and the r attributes among its attributes.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTRIBUTE = re.compile(rb"""(?<![\w:.-])r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"([A-Za-z]*)0*([0-9]*)")


def column_number(letters: bytes) -> int:
    """A column's number from 1, from its letters in any case (A is 1, AA is 27)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


class ExtentMeter:
    """The farthest row and column of a sheet's cells, fed the sheet's XML in order.

    Each piece fed ends after a whole cell. ``walk_needed`` turns True when the sheet is not
    written the usual way; its measure is then the walk's to take.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.walk_needed = False
        self._column = b""  # the farthest column's letters, upper case
        self._inside = False
        self._seen_sheet_data = False

    def feed(self, text: bytes, end: int | None = None) -> None:
        """Measure the cells in ``text`` (up to ``end``), the next piece of the sheet's XML."""
        if self.walk_needed:
            return
        end = len(text) if end is None else end
        start = 0
        # Found by its name, not by a pattern: a pattern starting at every "<" costs a scan.
        at = text.find(b"sheetData", 0, end)
        while at != -1:
            tag = _SHEET_DATA.match(text, text.rfind(b"<", 0, at))
            if tag is None:
                # The name where no tag has it (in a cell's text, say): walked instead.
                self.walk_needed = True
                return
            if self._inside:
                self._measure(text, start, tag.start())
            self._seen_sheet_data = True
            self._inside = not tag[1] and not tag[2]
            start = tag.end()
            at = text.find(b"sheetData", start, end)
        if self._inside:
            self._measure(text, start, end)

    def finish(self) -> tuple[int, int]:
        """The farthest (row, column), each counted from 1."""
        if not self._seen_sheet_data:
            self.walk_needed = True
        return self.rows, self.columns

    def _measure(self, text: bytes, start: int, end: int) -> None:
        if any(pattern.search(text, start, end) for pattern in _ODD):
            self.walk_needed = True
            return
        if not self._column:
            first = _LETTERS.findall(text, start, min(end, start + 64 * 1024))
            self._column = max((letters.upper() for letters in first), key=_by_column, default=b"")
        last = text.rfind(b'<c r="', start, end)
        if last != -1 and (reference := _LAST_CELL.match(text, last)) is not None:
            self.rows = max(self.rows, int(reference[1]))
        self._column = _farthest(
            text, start, end, self._column, _column_past, _LETTERS, bytes.upper, _by_column
        )
        self.rows = _farthest(text, start, end, self.rows, _row_past, _ROWS, int, int)
        self.columns = max(self.columns, column_number(self._column))


def walk(pieces: Iterable[bytes]) -> tuple[int, int]:
    """The farthest (row, column) of a sheet's cells, placed tag by tag as calamine places
    them: by their last r, else after the cell (or row) before. Each piece ends after a tag."""
    rows = columns = 0
    row = column = 0
    for piece in pieces:
        for tag in _TAG.finditer(piece):
            name, attributes = tag.groups()
            references = _R_ATTRIBUTE.findall(attributes)
            written = b"".join(references[-1]) if references else None
            reference = _REFERENCE.fullmatch(written) if written is not None else None
            if name == b"row":
                # A row places the cells in it that have no reference; alone it is not laid out.
                row = int(reference[2]) if reference is not None and reference[2] else row + 1
                column = 0
                continue
            if reference is not None and (reference[1] or reference[2]):
                column = column_number(reference[1]) if reference[1] else column + 1
                row = int(reference[2]) if reference[2] else row
            else:
                column += 1
            rows, columns = max(rows, row), max(columns, column)
    return rows, columns


def _farthest(
    text: bytes,
    start: int,
    end: int,
    farthest: Far,
    past: Callable[[Far], re.Pattern[bytes]],
    reading: re.Pattern[bytes],
    value: Callable[[bytes], Far],
    key: Callable[[Far], Any],
) -> Far:
    """The farthest of ``farthest`` and the references in ``text[start:end]``: each one past
    the farthest so far found in turn, a scan at a time (one scan, in a sheet written in
    order), or, past a few, all of the rest read at once."""
    at = start
    for _ in range(_RESTARTS):
        found = past(farthest).search(text, at, end)
        if found is None:
            return farthest
        # The reference found, read whole (past what the pattern needed to see of it).
        whole = reading.match(text, found.start())
        if whole is not None:
            farthest = max(farthest, value(whole[1]), key=key)
        at = found.end()
    for seen in reading.findall(text, at, end):
        farthest = max(farthest, value(seen), key=key)
    return farthest


def _by_column(letters: bytes) -> tuple[int, bytes]:
    return len(letters), letters


def _column_past(letters: bytes) -> re.Pattern[bytes]:
    """A cell reference whose column is past ``letters``', in any case."""
    longer = rb"[A-Za-z]{%d,}" % (len(letters) + 1)
    same_length = []
    for index, letter in enumerate(letters):
        if letter == ord("Z"):
            continue
        after = bytes([letter + 1])
        rest = len(letters) - index - 1
        same_length.append(
            b"".join(b"[%s%s]" % (bytes([c]), bytes([c]).lower()) for c in letters[:index])
            + b"[%s-Z%s-z]" % (after, after.lower())
            + (rb"[A-Za-z]{%d}" % rest if rest else b"")
        )
    return _compiled(rb'r="(' + b"|".join([longer, *same_length]) + rb")[0-9]")


def _row_past(row: int) -> re.Pattern[bytes]:
    """A cell reference whose row is past ``row``: with more digits, or as many and greater,
    the latter written digit by digit so that most references fail at their first digit."""
    digits = str(row).encode()
    longer = rb"[1-9][0-9]{%d}" % len(digits)
    greater = _greater(digits)
    same_length = [greater + b'"'] if greater else []
    return _compiled(rb'r="[A-Za-z]+0*(?:' + b"|".join([*same_length, longer]) + b")")


def _greater(digits: bytes) -> bytes:
    """A pattern for the numbers of as many digits as ``digits``, greater than it."""
    if not digits:
        return b""
    first, rest = digits[:1], digits[1:]
    choices = []
    if first != b"9":
        choices.append(
            b"[%s-9]" % bytes([first[0] + 1]) + (rb"[0-9]{%d}" % len(rest) if rest else b"")
        )
    if inner := _greater(rest):
        choices.append(first + inner)
    return b"(?:" + b"|".join(choices) + b")" if choices else b""


_PATTERNS: dict[bytes, re.Pattern[bytes]] = {}


def _compiled(pattern: bytes) -> re.Pattern[bytes]:
    found = _PATTERNS.get(pattern)
    if found is None:
        if len(_PATTERNS) > 256:
            _PATTERNS.clear()
        found = _PATTERNS[pattern] = re.compile(pattern)
    return found
