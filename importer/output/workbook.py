"""A blank workbook to fill in for a template: its headers, formats, drop-down and instructions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from importer.api.models import Invoice
from importer.check.templates import Template
from importer.currencies import decimals
from importer.errors import ConfigurationError, ResultsFileError
from importer.output.files import why_not_written, write_atomically
from importer.output.spreadsheets import CellValue, new_workbook, write_row, xlsx_values

PAYMENTS_SHEET, INSTRUCTIONS_SHEET, LISTS_SHEET = "Payments", "Instructions", "Lists"
# How far down the formats and the drop-down reach; a deposit slip is far shorter.
FORMATTED_ROWS = 5000

FIELD_HELP = {
    "invoice": "the invoice number as printed (1042 or INV-1042), or the invoice id",
    "amount": "the amount paid, above zero, without a currency sign",
    "payment_date": "the date the payment was received",
    "method": "how it was paid: choose from the drop-down",
    "cheque_number": "for a cheque, its number (leading zeros are kept)",
    "card_brand": "for a card, its brand (Visa, Mastercard, Amex...)",
    "card_last4": "for a card, the last 4 digits of its number",
    "reference": "the bank's or the terminal's reference, if any",
    "notes": "a note stored with the payment (optional)",
    "currency": "the 3-letter currency code, such as USD (optional)",
}
_TEXT_FIELDS = ("invoice", "cheque_number", "card_last4", "reference")
_EXCEL_DATE = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%b": "mmm"}


def excel_date_format(date_format: str | None) -> str:
    """The Excel number format for a template's date format ("DD/MM/YYYY" -> "dd/mm/yyyy")."""
    if not date_format:
        return "yyyy-mm-dd"
    return re.sub("|".join(_EXCEL_DATE), lambda m: _EXCEL_DATE[m.group(0)], date_format).lower()


# Columns of a pre-filled workbook that describe the invoice; no template maps them, so they
# are read back and ignored. "Balance due" rather than "Amount due": "Amount..." could be
# taken for the amount paid by a template's header list.
INVOICE_COLUMNS = ("Client", "Issue date", "Due date", "Balance due")
_INFO_FILL = PatternFill("solid", start_color="F2F2F2")


def check_blank_workbook_path(path: Path) -> None:
    """ConfigurationError unless a blank workbook can be written to ``path``: an .xlsx name,
    and no file there yet (one the user filled in is never replaced)."""
    if path.suffix.lower() != ".xlsx":
        raise ConfigurationError(f"{path}: the workbook's name must end in .xlsx.")
    if path.exists():
        raise ConfigurationError(f"{path} already exists: choose another name, or delete it first.")


def write_blank_workbook(
    template: Template, path: Path, *, invoices: Sequence[Invoice] = ()
) -> None:
    """Write a payments workbook for ``template`` to ``path`` (an .xlsx file);
    ResultsFileError when it cannot be written.

    With ``invoices``, one row per invoice is pre-filled with its number and, beside it, its
    client, dates and balance, so the accountant only types what was paid.
    """
    workbook, payments = new_workbook(PAYMENTS_SHEET)
    fields = template.workbook_fields
    columns: list[tuple[str, str | None]] = []
    for field_name in fields:
        columns.append((template.headers[field_name][0], field_name))
        if field_name == "invoice" and invoices:
            columns.extend((header, None) for header in INVOICE_COLUMNS)
    payments.append(xlsx_values([header for header, _name in columns]))
    for cell in payments[1]:
        cell.font = Font(bold=True)
    payments.freeze_panes = "A2"
    if invoices:
        _prefill(payments, [name for _header, name in columns], invoices)
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), template, prefilled=bool(invoices))
    last_row = FORMATTED_ROWS + 1
    amount_format = "#,##0" if decimals(template.constants.get("currency")) == 0 else "#,##0.00"
    for index, (header, name) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        column = payments.column_dimensions[letter]
        column.width = max(14, len(header) + 4)
        if name == "amount":
            column.number_format = amount_format
            positive = DataValidation(
                type="decimal",
                operator="greaterThan",
                formula1="0",
                showErrorMessage=True,
                errorTitle="Amount",
                error="The amount must be a number above zero.",
            )
            positive.add(f"{letter}2:{letter}{last_row}")
            payments.add_data_validation(positive)
        elif name == "payment_date":
            column.number_format = excel_date_format(template.date_format)
        elif name in _TEXT_FIELDS:
            column.number_format = "@"
        if name == "method":
            _method_drop_down(workbook, payments, template, f"{letter}2:{letter}{last_row}")
    try:
        write_atomically(path, workbook.save)
    except OSError as error:
        raise ResultsFileError(
            f"{path}: cannot write the workbook ({why_not_written(error, path)})."
        ) from None


def _prefill(payments: Worksheet, names: list[str | None], invoices: Sequence[Invoice]) -> None:
    for number, invoice in enumerate(invoices, start=2):
        row: list[CellValue] = []
        for name in names:
            if name == "invoice":
                row.extend(
                    [
                        invoice.shown_number,
                        invoice.client_name,
                        _as_date(invoice.issue_date),
                        _as_date(invoice.due_date),
                        invoice.amount_due,
                    ]
                )
            elif name is not None:
                row.append(None)
        written = write_row(payments, number, row)  # a client called "=..." stays text
        for cell, name in zip(written, names, strict=True):
            if name is None:
                cell.fill = _INFO_FILL
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
        balance = written[names.index("invoice") + len(INVOICE_COLUMNS)]
        balance.number_format = f'#,##0.00 "{invoice.currency}"'


def _as_date(text: str | None) -> date | str:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return text or ""


def _method_drop_down(
    workbook: openpyxl.Workbook, payments: Worksheet, template: Template, cells: str
) -> None:
    # The words sit on a hidden sheet: an inline list is limited to 255 characters.
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for word in template.method_words:
        lists.append(xlsx_values([word]))
    drop_down = DataValidation(
        type="list",
        formula1=f"={LISTS_SHEET}!$A$1:$A${len(template.method_words)}",
        showErrorMessage=True,
        errorTitle="Payment method",
        error="Choose a payment method from the list.",
    )
    drop_down.add(cells)
    payments.add_data_validation(drop_down)


def instruction_lines(template: Template, *, prefilled: bool = False) -> list[str]:
    """What the instructions sheet says, one line per row."""
    first = (
        f"1. The {PAYMENTS_SHEET} sheet lists the invoices still open. Fill in the payment "
        "columns of the invoices that were paid; leave the others empty (they are not sent). "
        "For an invoice paid twice, copy its row. The grey columns are for reference."
        if prefilled
        else f"1. One row per payment on the {PAYMENTS_SHEET} sheet. Keep the headers as they are."
    )
    lines = [
        f"How to fill in this workbook (template: {template.name})",
        template.description,
        "",
        first,
        "2. The columns:",
    ]
    for name in template.workbook_fields:
        header = template.headers[name][0]
        what = FIELD_HELP.get(name, "only goes into the payment's notes")
        needed = " (required)" if name in template.required else ""
        lines.append(f"   {header}: {what}{needed}.")
    for name, value in template.constants.items():
        lines.append(f"   Every row's {name.replace('_', ' ')} is {value}: no column is needed.")
    shown_format = template.date_format or "YYYY-MM-DD"
    # A built-in is found by its name; a user's own template only by the path it was read from.
    chosen = template.name if template.is_builtin else str(template.source)
    if " " in chosen:
        chosen = f'"{chosen}"'
    lines += [
        f"3. Type dates as dates; they show as {shown_format}. A date in the future, or more "
        f"than {template.max_age_days} days ago, is refused.",
        "4. Amounts: above zero, at most 2 decimals, no currency sign.",
        "5. Check the file first, nothing is sent:",
        f"     importer validate FILE.xlsx --template {chosen}",
        "   then record the payments:",
        f"     importer run FILE.xlsx --template {chosen}",
        "6. A row that repeats an earlier one (same invoice, amount, date, method and reference) "
        "is held back as a possible duplicate. If both payments are real, add a column "
        '"Allow duplicate" and put yes in it for the second row.',
    ]
    return lines


def _instructions(sheet: Worksheet, template: Template, *, prefilled: bool) -> None:
    for line in instruction_lines(template, prefilled=prefilled):
        sheet.append(xlsx_values([line]))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 110
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
