"""Formulas an XLSX holds without their value, worked out: QuickBooks writes "=1200.00".

Excel saves each formula with the value it computed, and python-calamine reads that value.
Some programs that write workbooks (QuickBooks Online's export among them) save the formula
alone, and calamine then reads the cell as empty: every amount of the file would be missing.
Plain arithmetic is worked out here (numbers, cells, + - * /, parentheses, SUM of cells and
ranges); any other formula stays empty, as calamine reads it, and its row says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

# A formula cell saved with no value: its attributes, then its formula, then an empty <v/>
# or none. Cell tags hold no ">" in their attributes and formulas no raw "<".
FORMULA_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?c\s([^>]*?)>\s*<(?:[A-Za-z_][\w.-]*:)?f(?:\s[^>]*)?>([^<]{1,1000})"
    rb"</(?:[A-Za-z_][\w.-]*:)?f>\s*(?:<(?:[A-Za-z_][\w.-]*:)?v\s*/>"
    rb"|<(?:[A-Za-z_][\w.-]*:)?v>\s*</(?:[A-Za-z_][\w.-]*:)?v>)?\s*</(?:[A-Za-z_][\w.-]*:)?c>"
)
_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
    r"|(?P<range>\$?[A-Z]{1,3}\$?\d{1,7}:\$?[A-Z]{1,3}\$?\d{1,7})"
    r"|(?P<cell>\$?[A-Z]{1,3}\$?\d{1,7})"
    r"|(?P<sum>SUM\()|(?P<op>[-+*/(),]))"
)
_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")
# A formula whose cells lead to more formulas than this is not worked out.
_MAX_DEPTH = 50
# Cells read in all, across a sheet's formulas: a crafted sheet of many SUMs over whole
# columns stops being worked out here, its formulas left empty, rather than hold the run.
_MAX_CELLS_READ = 2_000_000
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'"}

Place = tuple[int, int]


class _NotWorkedOut(Exception):
    """A formula beyond plain arithmetic, or one that leads back to itself."""


def place(reference: str) -> Place | None:
    """(row, column) from 0 of a reference such as "H7"."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        return None
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match[2]) - 1, column - 1


def unescaped(formula: bytes) -> str:
    text = formula.decode("utf-8", errors="replace")
    for entity, character in _ENTITIES.items():
        text = text.replace(entity, character)
    return text


def work_out(
    grid: list[list[Any]], formulas: Mapping[Place, str], *, budget: int = _MAX_CELLS_READ
) -> None:
    """Put the value of each formula saved without one into ``grid``, where calamine left "".

    A formula beyond plain arithmetic is left empty, and so is every formula once ``budget``
    cells have been read.
    """
    values: dict[Place, float] = {}
    read = [0]

    def value_of(at: Place, depth: int, in_range: bool = False) -> float:
        read[0] += 1
        if read[0] > budget:
            raise _NotWorkedOut
        if at in values:
            return values[at]
        if at in formulas and _empty(grid, at):
            if depth > _MAX_DEPTH:
                raise _NotWorkedOut
            formula = _Formula(formulas[at], lambda p, r: value_of(p, depth + 1, r))
            values[at] = formula.value()
            return values[at]
        row, column = at
        cell = grid[row][column] if row < len(grid) and column < len(grid[row]) else ""
        if isinstance(cell, bool) or not isinstance(cell, int | float):
            # An empty cell counts 0, as in Excel, and so does text in a range SUM adds up.
            if cell in ("", None) or in_range:
                return 0.0
            raise _NotWorkedOut
        return float(cell)

    for at in formulas:
        row, column = at
        if not _empty(grid, at):
            continue
        try:
            grid[row][column] = value_of(at, 0)
        except (_NotWorkedOut, ZeroDivisionError, RecursionError):
            continue


def _empty(grid: list[list[Any]], at: Place) -> bool:
    row, column = at
    return row < len(grid) and column < len(grid[row]) and grid[row][column] == ""


class _Formula:
    """One formula's arithmetic, read by recursive descent."""

    def __init__(self, text: str, cell: Callable[[Place, bool], float]) -> None:
        self.tokens = self._tokens(text.lstrip("="))
        self.at = 0
        self.cell = cell

    @staticmethod
    def _tokens(text: str) -> list[tuple[str, str]]:
        tokens = []
        at = 0
        text = text.strip()
        while at < len(text):
            match = _TOKEN.match(text, at)
            if match is None or match.end() == at:
                raise _NotWorkedOut
            kind = match.lastgroup or ""
            tokens.append((kind, match[kind].strip()))
            at = match.end()
        return tokens

    def value(self) -> float:
        result = self._sum()
        if self.at != len(self.tokens):
            raise _NotWorkedOut
        return result

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("", "")

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        self.at += 1
        return token

    def _sum(self) -> float:
        result = self._product()
        while self._peek() in (("op", "+"), ("op", "-")):
            sign = self._take()[1]
            result = result + self._product() if sign == "+" else result - self._product()
        return result

    def _product(self) -> float:
        result = self._factor()
        while self._peek() in (("op", "*"), ("op", "/")):
            operator = self._take()[1]
            result = result * self._factor() if operator == "*" else result / self._factor()
        return result

    def _factor(self) -> float:
        kind, text = self._take()
        if kind == "number":
            return float(text)
        if kind == "cell":
            return self._cell(text)
        if (kind, text) == ("op", "-"):
            return -self._factor()
        if (kind, text) == ("op", "+"):
            return self._factor()
        if (kind, text) == ("op", "("):
            result = self._sum()
            if self._take() != ("op", ")"):
                raise _NotWorkedOut
            return result
        if kind == "sum":
            return self._sum_of()
        raise _NotWorkedOut

    def _sum_of(self) -> float:
        total = 0.0
        while True:
            kind, text = self._peek()
            if kind == "range":
                self._take()
                total += self._range(text)
            else:
                total += self._sum()
            closing = self._take()
            if closing == ("op", ")"):
                return total
            if closing != ("op", ","):
                raise _NotWorkedOut

    def _cell(self, reference: str) -> float:
        at = place(reference)
        if at is None:
            raise _NotWorkedOut
        return self.cell(at, False)

    def _range(self, text: str) -> float:
        first, last = (place(part) for part in text.split(":"))
        if first is None or last is None:
            raise _NotWorkedOut
        rows = range(min(first[0], last[0]), max(first[0], last[0]) + 1)
        columns = range(min(first[1], last[1]), max(first[1], last[1]) + 1)
        if len(rows) * len(columns) > 100_000:
            raise _NotWorkedOut
        return sum(self.cell((row, column), True) for row in rows for column in columns)
