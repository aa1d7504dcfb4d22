"""The results workbook: the document an accountant keeps with the deposit.

Their own rows as they typed them (numbers as numbers, dates as dates, each in its number
format), then what happened in plain words, the invoice and its client, and the invoice's
new balance; a Summary sheet with the control totals and which run this was. Both sheets
print one page wide, with the file and the run in the page header.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from importer.currencies import decimals, is_currency
from importer.output.spreadsheets import (
    CellValue,
    keep_text,
    new_workbook,
    write_row,
    xlsx_values,
)
from importer.read.layout import PaymentsFile, SourceRow
from importer.status import RowStatus
from importer.words import (
    HELD_BACK,
    IN_FILE,
    MONEY_HEADINGS,
    MoneyHeading,
    invoice_status_word,
    method_word,
    status_word,
)

if TYPE_CHECKING:
    from importer.output.results import RowResult
    from importer.output.summary import Group, Summary

# The columns a results workbook adds after the file's own, for people; CSV results keep the
# machine names (``results.OUTCOME_COLUMNS``) that scripts read.
PEOPLE_COLUMNS = (
    "Row",
    "Status",
    "Message",
    "Invoice",
    "Client",
    "Invoice status",
    "Paid on invoice",
    "Still due",
)
# Put before one of ours that is already a header of the file: "Status" -> "Import status".
PREFIX = "Import "
RESULTS_SHEET, SUMMARY_SHEET = "Results", "Summary"

_GREEN, _GREY, _AMBER, _RED = "C6EFCE", "E7E6E6", "FFEB9C", "FFC7CE"
# A status without a colour here (a new one) is left white.
FILLS = {
    RowStatus.RECORDED: _GREEN,
    RowStatus.SKIPPED: _GREY,
    RowStatus.READY: _GREY,
    RowStatus.NO_PAYMENT: _GREY,
    RowStatus.NOT_A_PAYMENT: _GREY,
    RowStatus.UNKNOWN: _AMBER,
    RowStatus.NOT_SENT: _AMBER,
    RowStatus.DUPLICATE: _AMBER,
    RowStatus.INVALID: _RED,
    RowStatus.REJECTED: _RED,
    RowStatus.FAILED: _RED,
    RowStatus.PARTLY_RECORDED: _AMBER,
}
_DEFAULT_FORMATS: dict[type, str] = {
    date: "yyyy-mm-dd",
    datetime: "yyyy-mm-dd hh:mm:ss",
    time: "hh:mm:ss",
}
# Characters: a longer message wraps, a longer cell of the file is cut short on screen.
_MESSAGE_WIDTH = 50
_MAX_WIDTH = 36
_LINE_HEIGHT = 15  # points, for Calibri 11
_MAX_HEIGHT = 409  # points: the tallest row Excel allows
_TOP = Alignment(vertical="top")
_WRAPPED = Alignment(wrap_text=True, vertical="top")
_CENTRED = Alignment(horizontal="center")
_CENTRED_TOP = Alignment(horizontal="center", vertical="top")
_BOLD = Font(bold=True)


def people_columns(input_columns: Sequence[str]) -> tuple[str, ...]:
    """Our columns' headers beside the file's: one the file already has gets ``PREFIX``."""
    taken = {name.strip().casefold() for name in input_columns}
    named = []
    for name in PEOPLE_COLUMNS:
        while name.casefold() in taken:
            name = PREFIX + name[:1].lower() + name[1:]
        taken.add(name.casefold())
        named.append(name)
    return tuple(named)


def are_people_columns(names: Sequence[str]) -> bool:
    """True for our columns as a results workbook heads them, prefixed or not."""
    if len(names) != len(PEOPLE_COLUMNS):
        return False
    return all(
        _unprefixed(name) == ours.casefold()
        for name, ours in zip(names, PEOPLE_COLUMNS, strict=True)
    )


def _unprefixed(name: str) -> str:
    name = name.strip().casefold()
    while name.startswith(PREFIX.casefold()):
        name = name[len(PREFIX) :]
    return name


def write_workbook(
    path: Path,
    payments_file: PaymentsFile,
    results: Sequence[RowResult],
    summary: Summary | None,
    *,
    number_formats: Mapping[tuple[int, int], str],
) -> None:
    """Write the results workbook to ``path`` (the caller writes it atomically).

    ``number_formats`` is each input cell's format, by (row, column in the sheet).
    """
    workbook, sheet = new_workbook(RESULTS_SHEET)
    header = [*payments_file.columns, *people_columns(payments_file.columns)]
    widths = [len(name) for name in header]
    for cell in write_row(sheet, 1, header):
        cell.font = _BOLD
    width = len(payments_file.columns)
    typed = _TypedCells(payments_file, number_formats)
    status_at = width + PEOPLE_COLUMNS.index("Status")
    message_at = width + PEOPLE_COLUMNS.index("Message")
    for number, result in enumerate(results, start=2):
        lines = _wrapped_lines(result.message)
        if lines > 1:
            # Neither Excel nor LibreOffice makes a row taller for wrapped text on opening.
            sheet.row_dimensions[number].height = min(_LINE_HEIGHT * lines, _MAX_HEIGHT)
        values = [*typed.cells(result.source), *_outcome_cells(result)]
        written = write_row(sheet, number, values)
        for index, (cell, value) in enumerate(zip(written, values, strict=True)):
            if value is None:
                continue
            if index < width:
                fmt = typed.format_of(result.source.number, index, value)
                if fmt is not None:
                    cell.number_format = fmt
            elif isinstance(value, Decimal):
                cell.number_format = currency_format(result.currency)
            if lines > 1:
                # Its message takes several lines: the row's cells start at the top, beside it.
                cell.alignment = _WRAPPED if index == message_at else _TOP
            widths[index] = max(widths[index], _shown_length(value))
        written[width].alignment = _CENTRED_TOP if lines > 1 else _CENTRED
        fill = FILLS.get(result.status)
        if fill:
            written[status_at].fill = PatternFill("solid", start_color=fill)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, longest in enumerate(widths):
        limit = _MESSAGE_WIDTH if index == message_at else _MAX_WIDTH
        sheet.column_dimensions[get_column_letter(index + 1)].width = (
            min(max(longest, 6), limit) + 2
        )
    _print_setup(sheet, title="Import results", file=payments_file.path.name, summary=summary)
    sheet.print_title_rows = "1:1"
    if summary is not None:
        write_summary_sheet(workbook.create_sheet(SUMMARY_SHEET), summary, file=payments_file.path)
    workbook.save(path)


def _wrapped_lines(message: str) -> int:
    """How many lines a message takes in its column (as wide as the longest allowed)."""
    # Text is narrower than the "0"s a column's width is counted in.
    per_line = _MESSAGE_WIDTH * 115 // 100
    return sum(max(1, -(-len(line) // per_line)) for line in message.splitlines() or [""])


def _outcome_cells(result: RowResult) -> list[CellValue]:
    """A result's cells under ``PEOPLE_COLUMNS``; a row paying several invoices lists each in
    every invoice column, in its order, separated by "; "."""
    if len(result.parts) > 1:
        places = decimals(result.currency)

        def each(values: Sequence[object]) -> str | None:
            if all(value is None or value == "" for value in values):
                return None  # an empty cell, not a row of separators
            return "; ".join(
                f"{value:,.{places}f}" if isinstance(value, Decimal) else str(value or "")
                for value in values
            )

        parts = result.parts
        return [
            result.source.number,
            status_word(result.status),
            result.message,
            each([p.invoice_number or p.invoice_id for p in parts]),
            each([p.client for p in parts]),
            each(
                [invoice_status_word(p.invoice_status) if p.invoice_status else "" for p in parts]
            ),
            each([p.amount_paid for p in parts]),
            each([p.amount_due for p in parts]),
        ]
    return [
        result.source.number,
        status_word(result.status),
        result.message,
        result.invoice_number or result.invoice_id,
        result.client,
        invoice_status_word(result.invoice_status),
        result.amount_paid,
        result.amount_due,
    ]


class _TypedCells:
    """The file's own cells as the file typed them: a workbook's numbers and dates as such."""

    def __init__(
        self, payments_file: PaymentsFile, number_formats: Mapping[tuple[int, int], str]
    ) -> None:
        self._width = len(payments_file.columns)
        self._numbers = payments_file.number_cells
        self._dates = payments_file.date_cells
        self._formats = number_formats
        self._sheet_columns = payments_file.sheet_columns or tuple(range(self._width))

    def cells(self, row: SourceRow) -> list[CellValue]:
        texts = list(row.cells[: self._width]) + [""] * (self._width - len(row.cells))
        # An empty cell stays empty: an empty text would count in COUNTA, and reads back as "".
        values: list[CellValue] = [text or None for text in texts]
        for column, found in self._numbers.items():
            if row.number in found and column < self._width:
                values[column] = _number(texts[column])
        for column, found in self._dates.items():
            if row.number in found and column < self._width:
                values[column] = _moment(texts[column])
        return values

    def format_of(self, row: int, column: int, value: CellValue) -> str | None:
        """The cell's number format in the file, else the default of its kind; None for text."""
        if isinstance(value, str):
            return None
        found = self._formats.get((row, self._sheet_columns[column]))
        return found or _DEFAULT_FORMATS.get(type(value))


def _number(text: str) -> CellValue:
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def _moment(text: str) -> CellValue:
    """An ISO date, date and time, or time, as the loader wrote a workbook's date cell."""
    for kind in (date, datetime, time):
        try:
            return kind.fromisoformat(text)
        except ValueError:
            continue
    return text


def _shown_length(value: CellValue) -> int:
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, (float, Decimal)):
        return len(f"{value:,.2f}") + 4
    if isinstance(value, datetime):
        return 19
    return len(str(value))


def currency_format(currency: str) -> str:
    """An amount's number format: the currency's decimals, and its code when it is one."""
    number = "#,##0" if decimals(currency) == 0 else "#,##0.00"
    return f'{number} "{currency}"' if is_currency(currency.upper()) else number


def _print_setup(sheet: Worksheet, *, title: str, file: str, summary: Summary | None) -> None:
    """One page wide, landscape, the file and the run in the header, pages numbered."""
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.gridLines = True
    identity = summary.identity if summary is not None else None
    header, footer = sheet.oddHeader, sheet.oddFooter
    if header is None or footer is None:  # pragma: no cover (openpyxl makes both)
        return
    # "&" starts a code in a page header: a file called "A&B" must print as it is.
    header.left.text = f"{title}: {file}".replace("&", "&&")
    if identity is not None:
        run = f"Run {identity.run_id}, " if identity.run_id is not None else ""
        dry = " (dry run)" if identity.dry_run else ""
        header.right.text = f"{run}{identity.at}{dry}".replace("&", "&&")
    footer.center.text = "Page &P of &N"


def write_summary_sheet(sheet: Worksheet, summary: Summary, *, file: Path) -> None:
    """The run's identity, its rows by status, and its money per currency and method."""
    # The file's name, the run's facts and the currencies come from outside: each may hold a
    # character an XLSX cell holds only escaped.
    sheet.append(xlsx_values([f"Import results: {file.name}"]))
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.append([])
    if summary.identity is not None:
        for label, value in summary.identity.facts():
            sheet.append(xlsx_values([label, value]))
            sheet.cell(sheet.max_row, 1).font = _BOLD
        sheet.append([])
    sheet.append(["Rows", summary.rows])
    sheet.cell(sheet.max_row, 1).font = _BOLD
    for status, count in summary.by_status.items():
        sheet.append([f"  {status_word(status)}", count])
        fill = FILLS.get(status)
        if fill:
            sheet.cell(sheet.max_row, 1).fill = PatternFill("solid", start_color=fill)
    if summary.warnings:
        sheet.append(["  With a warning", summary.warnings])
        sheet.cell(sheet.max_row, 1).fill = PatternFill("solid", start_color=_AMBER)
    for currency, group in sorted(summary.by_currency.items()):
        sheet.append([])
        _money_table(sheet, summary, currency, group)
    _parts_rows(sheet, summary)
    if summary.unreadable_amounts:
        sheet.append([])
        sheet.append([summary.unreadable_words])
    sheet.append([])
    paid, partly = summary.invoices_words
    sheet.append([paid, summary.invoices_paid])
    sheet.append([partly, summary.invoices_partially_paid])
    if summary.control is not None:
        sheet.append(xlsx_values(["Control total", summary.control.line()]))
    sheet.append(["API requests", summary.requests])
    sheet.append(["API requests to find the invoices", summary.lookup_requests])
    for row in sheet.iter_rows():
        keep_text(row)
    sheet.column_dimensions["A"].width = 30
    # Payments, then amounts as wide as "999,999.99 USD".
    for letter in "BDFH":
        sheet.column_dimensions[letter].width = 10
    for letter in "CEGI":
        sheet.column_dimensions[letter].width = 16
    _print_setup(sheet, title="Summary", file=file.name, summary=summary)
    sheet.page_setup.orientation = "portrait"
    sheet.print_options.gridLines = False


def _headings(summary: Summary) -> list[tuple[str, MoneyHeading]]:
    """The money columns of a table: in the file, then this run's, earlier, held back."""
    main = MONEY_HEADINGS[RowStatus.READY if summary.dry_run else RowStatus.RECORDED]
    earlier = MONEY_HEADINGS[RowStatus.SKIPPED]
    return [(IN_FILE.word, IN_FILE), (main.word, main), (earlier.word, earlier),
            (HELD_BACK.word, HELD_BACK)]  # fmt: skip


def _money_table(sheet: Worksheet, summary: Summary, currency: str, group: Group) -> None:
    """One currency's money: a line per heading, then a table by method."""
    amount = currency_format(currency)
    # With payments for several invoices, the headings after "in the file" count their parts.
    counted = "Payments, then parts" if summary.parts.of_several else "Payments"
    sheet.append(xlsx_values([f"Money in {currency}", counted, "Amount"]))
    _bold_row(sheet)
    lines: list[tuple[str, int, Decimal]] = [
        (IN_FILE.word, group.in_file.count, group.in_file.total)
    ]
    for word, heading in _headings(summary)[1:]:
        totals = group.in_file if heading is IN_FILE else group.under(heading)
        lines.append((word, totals.count, totals.total))
        if heading is HELD_BACK:
            lines += [
                (f"  {status_word(status)}", t.count, t.total)
                for status, t in group.held_back.items()
            ]
    for word, count, total in lines:
        sheet.append([word[:1].upper() + word[1:], count, total])
        sheet.cell(sheet.max_row, 3).number_format = amount
    sheet.append([])
    headings = _headings(summary)
    # Each heading over its two columns, payments and amount, as on a deposit slip.
    row: list[CellValue] = xlsx_values([f"By method ({currency})"])
    for word, _heading in headings:
        row += [word[:1].upper() + word[1:], None]
    sheet.append(row)
    top = sheet.max_row
    sheet.append(["", *["Payments", "Amount"] * len(headings)])
    for column in range(2, 2 * len(headings) + 2, 2):
        sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + 1)
    for number in (top, top + 1):
        for cell in sheet[number][1:]:
            cell.font = _BOLD
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.cell(top, 1).font = _BOLD
    for mode, by_mode in sorted(summary.by_mode.get(currency, {}).items()):
        row = [method_word(mode)]
        for _word, heading in headings:
            totals = by_mode.in_file if heading is IN_FILE else by_mode.under(heading)
            row += [totals.count, totals.total]
        sheet.append(row)
        for column in range(3, 2 * len(headings) + 2, 2):
            sheet.cell(sheet.max_row, column).number_format = amount


def _parts_rows(sheet: Worksheet, summary: Summary) -> None:
    """Payments for several invoices: their parts apart, and those only partly recorded."""
    parts = summary.parts
    if not parts.of_several:
        return
    main = MONEY_HEADINGS[RowStatus.READY if summary.dry_run else RowStatus.RECORDED]
    sheet.append([])
    sheet.append(["Payments for several invoices", parts.of_several])
    sheet.append(["Invoice parts in the file", parts.in_file])
    sheet.append([f"Invoice parts {main.word}", parts.recorded])
    for currency, group in sorted(summary.by_currency.items()):
        if group.partly.count:
            sheet.append([f"Partly recorded ({currency})", group.partly.count, group.partly.total])
            sheet.cell(sheet.max_row, 1).fill = PatternFill("solid", start_color=_AMBER)
            sheet.cell(sheet.max_row, 3).number_format = currency_format(currency)
            sheet.append(["  of it recorded", None, group.partly_recorded])
            sheet.cell(sheet.max_row, 3).number_format = currency_format(currency)


def _bold_row(sheet: Worksheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
