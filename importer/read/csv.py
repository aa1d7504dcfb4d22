"""Text files (CSV, TSV, Excel's "Unicode text"): their encoding, delimiter and quotes.

Every cell is text already; what can go wrong is reading it. The encoding is the one the
file says (a BOM) or the likeliest for its bytes, the delimiter the one that splits the first
lines into the most rows of one width, and a quote that would swallow the rows after it is
refused by row and column rather than read as fewer payments. Rows are numbered as Excel
numbers them when it opens the file: by CSV record, so a blank line is a row of its own and a
quoted cell across two lines is one.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import charset_normalizer

from importer.errors import ConfigurationError, InputFileError
from importer.read import layout
from importer.read.layout import HeaderCheck, PaymentsFile, SourceRow
from importer.words import encoding_words

DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "|": "|", "pipe": "|"}
# What the delimiter is told from, and the encoding when the file does not say.
_HEAD_CHARS = 256 * 1024
_SAMPLE_BYTES = 256 * 1024
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


def read_text(
    path: Path,
    *,
    encoding: str | None,
    delimiter: str | None,
    header_fits: HeaderCheck | None,
) -> PaymentsFile:
    """The payments of a text file; ``encoding`` and ``delimiter`` are told when not given."""
    text, used = _decoded(path, path.read_bytes(), encoding)
    # A non-breaking space is a space to the reader (cells are trimmed of both), once for all.
    text = text.replace("\u00a0", " ")
    head = text[:_HEAD_CHARS]
    if "\x00" in head:
        raise InputFileError(f"{path}: cannot be read (it is not a text file).")
    # Excel writes and honours a first line "sep=;" naming the delimiter.
    excel_hint = re.match(r"sep=([,;\t|])\r?\n", head)
    chosen = _delimiter(head, delimiter or (excel_hint[1] if excel_hint else None))
    notes: tuple[str, ...] = ()
    if used not in ("utf-8", "utf-8-sig", "utf-16") and encoding is None:
        notes = (
            f"Read as {encoding_words(used)} text: if accents look wrong in the results, run "
            "again with --encoding, such as --encoding utf-8 or --encoding windows-1252.",
        )
    header_number, header, rows = _header_and_rows(
        path, text, delimiter=chosen, header_fits=header_fits
    )
    loaded = layout.payments_file(
        path,
        file_format="csv",
        sheet=path.name,
        header=header,
        header_row=header_number,
        rows=rows,
        notes=notes,
    )
    return replace(loaded, encoding=used, delimiter=chosen)


def _header_and_rows(
    path: Path, text: str, *, delimiter: str, header_fits: HeaderCheck | None
) -> tuple[int, tuple[str, ...], list[SourceRow]]:
    """The header's row number and cells, and the non-blank rows under it.

    Row numbers count CSV records, as Excel does: a blank line is a row of its own, and a
    quoted cell across lines is one row.
    """
    stream = io.StringIO(text, newline="")  # lines end in \n, \r\n or \r only, as csv reads them
    reader = csv.reader(stream, delimiter=delimiter)
    sheet = path.name
    rows: list[SourceRow] = []
    ends: list[tuple[int, int]] = []  # of the rows the header is looked for among: lines, offset
    broken: csv.Error | None = None
    number = 0
    try:
        for number, cells in enumerate(map(_cleaned, reader), start=1):
            if any(cells):
                rows.append(SourceRow(sheet, number, cells))
                if len(ends) < layout.HEADER_SEARCH_ROWS:
                    ends.append((reader.line_num, stream.tell()))
    except csv.Error as error:
        # A quote left open makes one cell of the rest of the file, past csv's field limit;
        # the header is found among the rows above it, and the rows say where the quote is.
        broken = error
    if not rows:
        if broken is not None:
            raise broken
        raise InputFileError(f"{path}: the file has no rows.")
    at = layout.find_header([row.cells for row in rows[: len(ends)]], header_fits)
    header, (header_lines, start) = rows[at], ends[at]
    if broken is not None:
        fault = _quote_fault(text, start, first_row=header.number + 1, delimiter=delimiter)
        if fault is None:
            raise broken
    else:
        spanned = reader.line_num - header_lines > number - header.number
        fault = _quote_fault_among(
            text,
            start,
            first_row=header.number + 1,
            last=number,
            spanned=spanned,
            delimiter=delimiter,
        )
    if fault is not None:
        raise InputFileError(_quote_message(path, header.cells, fault))
    del rows[: at + 1]
    return header.number, header.cells, rows


def _cleaned(record: list[str]) -> tuple[str, ...]:
    return tuple(map(str.strip, record))


def _decoded(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    """The file's text (no BOM), and the encoding it was read with."""
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputFileError(
                f"{encoding!r} is not an encoding this importer knows; try utf-8, "
                "windows-1252, latin-1 or utf-16."
            ) from None
        try:
            return raw.decode(name).lstrip("\ufeff"), name
        except UnicodeDecodeError as error:
            raise InputFileError(
                f"{path}: is not {encoding_words(name)} text (byte {error.start + 1} cannot "
                "be read); "
                "run again without --encoding to let the importer tell."
            ) from None
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _text_in(path, raw, "utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guessed = _likeliest_encoding(raw[:_SAMPLE_BYTES])
    if guessed is None:
        raise InputFileError(
            f"{path}: cannot be read (it is not text in an encoding this importer can tell). "
            "If it is a spreadsheet, export it as CSV; if it is text, run again with "
            "--encoding."
        )
    return _text_in(path, raw, guessed), guessed


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


def _text_in(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        raise InputFileError(
            f"{path}: cannot be read as {encoding_words(encoding)} text; run again with --encoding."
        ) from None


def _delimiter(head: str, wanted: str | None) -> str:
    if wanted is not None:
        # "tab" and "pipe" in any case: --help shows them as TAB and PIPE.
        chosen = DELIMITERS.get(wanted) or DELIMITERS.get(wanted.strip().casefold())
        if chosen is None:
            raise ConfigurationError(f"--delimiter {wanted!r}: use one of , ; tab or |.")
        return chosen
    lines = head.splitlines()[: layout.HEADER_SEARCH_ROWS * 2]
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


@dataclass(frozen=True, slots=True)
class _QuoteFault:
    """A cell whose quotes swallow or may swallow the lines after it."""

    row: int
    field: int
    # "open": never closed; "closed": text follows the closing quote.
    kind: str
    # The quoted part spans lines.
    spans_lines: bool


def _quote_fault_among(
    text: str, start: int, *, first_row: int, last: int, spanned: bool, delimiter: str
) -> _QuoteFault | None:
    """A badly quoted cell among the records after ``start``, read up to row ``last``, or None.

    Only a quoted cell can hold a line break, and only a quote that goes wrong across lines
    loses rows: "12 inch with no closing quote turns every later payment into part of one
    note. So the strict reading runs only when some record ``spanned`` lines; otherwise only
    the last line can hide an open quote (one with no line break after it).
    """
    if text.find('"', start) == -1:
        return None
    if spanned:
        return _quote_fault(text, start, first_row=first_row, delimiter=delimiter)
    line = max(start, text.rfind("\n") + 1, text.rfind("\r") + 1)
    fault = _cell_quote_fault(text, line, delimiter=delimiter)
    if fault is None or fault[1] != "open":
        return None  # "abc"def on one line is read as abcdef, as Excel reads it
    return _QuoteFault(last, fault[0], "open", spans_lines=False)


def _quote_fault(text: str, start: int, *, first_row: int, delimiter: str) -> _QuoteFault | None:
    """The first badly quoted cell after ``start`` (row ``first_row``), by csv's strict reading."""
    stream = io.StringIO(text, newline="")
    stream.seek(start)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    row, at = first_row, start
    try:
        for _record in reader:
            row, at = row + 1, stream.tell()
    except csv.Error:
        fault = _cell_quote_fault(text, at, delimiter=delimiter)
        if fault is None:
            return None
        field, kind, spans_lines = fault
        return _QuoteFault(row, field, kind, spans_lines)
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


def _quote_message(path: Path, header: Sequence[str], fault: _QuoteFault) -> str:
    named = header[fault.field] if fault.field < len(header) else ""
    column = f'"{named}"' if named else layout.column_letters(fault.field)
    where = f"{path}: row {fault.row}, column {column}: "
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
