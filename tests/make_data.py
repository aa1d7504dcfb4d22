"""Write the loader's test files under tests/data/ (their output is committed).

Run it again after changing a case: ``.venv/bin/pip install -e '.[testdata]' &&
.venv/bin/python -m tests.make_data``. Each file is one case the loader must meet, written the
way the program that makes it in real life writes it (Excel's "Unicode text", a Spanish
Windows CSV, a bank export with title lines and a totals row, an old XLS, a LibreOffice ODS).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd

DATA = Path(__file__).resolve().parent / "data"
HEADER = ["Invoice", "Amount", "Payment Date", "Method", "Cheque No.", "Last 4", "Notes"]
# (invoice, amount, date, method, cheque, last 4, notes): the rows every workbook case holds.
ROWS = [
    ["INV-1001", 1234.5, date(2026, 10, 3), "Cheque", "000123", "", "Café Núñez"],
    ["00042", 80, date(2026, 10, 14), "Visa", "", "0042", ""],
    ["INV-1003", 12.25, datetime(2026, 10, 15, 9, 30), "Cash", "", "", "paid at desk"],
]
EXPECTED_CELLS = [
    ("INV-1001", "1234.5", "2026-10-03", "Cheque", "000123", "", "Café Núñez"),
    ("00042", "80", "2026-10-14", "Visa", "", "0042", ""),
    ("INV-1003", "12.25", "2026-10-15 09:30:00", "Cash", "", "", "paid at desk"),
]


def write_text_cases() -> None:
    """The CSV and text cases, each in the encoding and separator it is about."""
    # Excel's "Save as Unicode text": UTF-16 little-endian with a BOM, tabs, CRLF.
    unicode_text = "\r\n".join(
        [
            "Invoice\tAmount\tPayment Date\tMethod\tNotes",
            "INV-1001\t1,234.50\t10/03/2026\tCash\tCafé Núñez",
            "INV-1002\t99.00\t10/25/2026\tCash\tZürich",
        ]
    )
    (DATA / "unicode-text.txt").write_bytes(
        b"\xff\xfe" + (unicode_text + "\r\n").encode("utf-16-le")
    )
    # A Spanish Windows export: cp1252, semicolons, decimal commas, day-first dates.
    spanish = "\r\n".join(
        [
            "Factura;Importe;Fecha de pago;Forma de pago;Notas",
            "INV-1001;1.234,50;03/10/2026;Efectivo;Cobrado en caja",
            "INV-1002;€ 80,00;25/10/2026;Transferencia;Señal año",
            "INV-1003;1 500,75;01/11/2026;Efectivo;Nº 000123",
        ]
    )
    (DATA / "cp1252-semicolon.csv").write_bytes((spanish + "\r\n").encode("cp1252"))
    # Excel's own hint on the first line; the semicolons inside quotes would fool a count.
    (DATA / "excel-sep-hint.csv").write_text(
        "sep=,\nInvoice,Amount,Payment Date,Method,Notes\n"
        'INV-1001,10.00,2026-10-03,Cash,"a;b;c;d"\n',
        encoding="utf-8",
    )
    (DATA / "utf8-bom.csv").write_bytes(
        "\ufeffInvoice,Amount,Payment Date,Method\nINV-1001,10.00,2026-10-03,Cash\n".encode()
    )
    (DATA / "pipe.csv").write_text(
        "Invoice|Amount|Payment Date|Method\nINV-1001|1,234.50|2026-10-03|Cash\n"
        "INV-1002|7.00|2026-10-04|Cash\n",
        encoding="utf-8",
    )
    # A quoted note spanning two lines: Excel shows it as one row, so row numbers count records.
    (DATA / "quoted-newlines.csv").write_text(
        'Invoice,Amount,Payment Date,Method,Notes\nINV-1001,10.00,2026-10-03,Cash,"first line\n'
        'second line, with a comma"\nINV-1002,20.00,2026-10-04,Cash,plain\n',
        encoding="utf-8",
    )
    # A bank export: title lines, a blank row, blank columns, a blank row among the rows, and
    # a totals row that disagrees with the rows by 0.50.
    (DATA / "title-rows-and-total.csv").write_text(
        "ACME Trading Ltd,,,,,\n"
        "Deposit date:,03/10/2026,,,,\n"
        ",,,,,\n"
        ",Invoice,Amount,Payment Date,Method,\n"
        ",INV-1001,100.00,03/10/2026,Cash,\n"
        ",INV-1002,250.50,03/10/2026,Cash,\n"
        ",,,,,\n"
        ",INV-1003,49.50,13/10/2026,Cash,\n"
        ",Total,400.50,,,\n",
        encoding="utf-8",
    )
    # Rows of uneven length (a trailing field dropped): padded with empty cells, never dropped.
    (DATA / "ragged.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Notes\nINV-1001,10.00,2026-10-03,Cash\n"
        "INV-1002,20.00,2026-10-04,Cash,with a note\n",
        encoding="utf-8",
    )
    (DATA / "last-row-says-total.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Notes\nINV-1001,10.00,2026-10-03,Cash,\n"
        "INV-1002,20.00,2026-10-04,Cash,Total due\n",
        encoding="utf-8",
    )
    (DATA / "serial-dates.csv").write_text(
        "Invoice,Amount,Payment Date,Method\nINV-1001,10.00,46298,Cash\n"
        "INV-1002,10.00,46310,Cash\n",
        encoding="utf-8",
    )
    (DATA / "ambiguous-dates.csv").write_text(
        "Invoice,Amount,Payment Date,Method\nINV-1001,10.00,03/10/2026,Cash\n"
        "INV-1002,10.00,04/10/2026,Cash\n",
        encoding="utf-8",
    )
    (DATA / "mixed-dates.csv").write_text(
        "Invoice,Amount,Payment Date,Method\nINV-1001,10.00,25/10/2026,Cash\n"
        "INV-1002,10.00,10/26/2026,Cash\n",
        encoding="utf-8",
    )
    (DATA / "ambiguous-amounts.csv").write_text(
        'Invoice,Amount,Payment Date,Method\nINV-1001,"1,500",2026-10-03,Cash\n'
        "INV-1002,300,2026-10-03,Cash\n",
        encoding="utf-8",
    )
    # An inch mark typed in a note opens a quote that nothing closes: the rows after it would
    # become part of that note.
    (DATA / "unclosed-quote.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Notes\nINV-1,10.00,2026-10-03,Cash,ok\n"
        'INV-2,20.00,2026-10-03,Cash,"12 inch\nINV-3,30.00,2026-10-03,Cash,ok\n'
        "INV-4,40.00,2026-10-03,Cash,ok\n",
        encoding="utf-8",
    )
    # The same, with a quoted word further down that csv would take for the closing quote.
    (DATA / "quote-closed-lines-later.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Notes\nINV-1,10.00,2026-10-03,Cash,ok\n"
        'INV-2,20.00,2026-10-03,Cash,"12 inch\nINV-3,30.00,2026-10-03,Cash,ok\n'
        'INV-4,40.00,2026-10-03,Cash,"ok" said Ana\n',
        encoding="utf-8",
    )
    # An open quote on the very last line, with no line break after it.
    (DATA / "unclosed-quote-at-end.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Notes\nINV-1,10.00,2026-10-03,Cash,ok\n"
        'INV-2,20.00,2026-10-03,Cash,"12 inch',
        encoding="utf-8",
    )
    # Short Windows exports a detector misreads (as mac_iceland, cp775, big5hkscs): an euro
    # sign before the amounts, an umlaut, curly apostrophes.
    (DATA / "cp1252-euro-amounts.csv").write_bytes(
        "Invoice,Amount,Payment Date,Method\r\nINV-1,€10.00,2026-10-03,Cash\r\n"
        'INV-2,"€1,234.50",2026-10-04,Cash\r\n'.encode("cp1252")
    )
    (DATA / "cp1252-umlaut.csv").write_bytes(
        "Invoice,Amount,Payment Date,Method,Notes\r\nINV-1,10.00,2026-10-03,Cash,Müller\r\n".encode(
            "cp1252"
        )
    )
    (DATA / "cp1252-curly-quotes.csv").write_bytes(
        "Invoice,Amount,Payment Date,Method,Notes\r\n"
        "INV-1,10.00,2026-10-03,Cash,O’Brien’s “Bar” – Dublin\r\n".encode("cp1252")
    )
    # Cyrillic in its Windows code page: its cp1252 reading is runs of accented letters.
    (DATA / "cp1251-cyrillic.csv").write_bytes(
        "Счет,Сумма,Дата,Способ\r\nСЧ-1,10.00,2026-10-03,Наличные\r\n"
        "СЧ-2,12.00,2026-10-03,Перевод банковский\r\n".encode("cp1251")
    )
    # UTF-16 without its BOM: every other byte a zero, which cp1252 would read as controls.
    (DATA / "utf16-no-bom.txt").write_bytes(
        "Invoice\tAmount\tPayment Date\tMethod\tNotes\r\n"
        "INV-1\t10.00\t2026-10-03\tCash\tCafé\r\n".encode("utf-16-le")
    )
    # A bank statement of three columns: its totals row fills two of them.
    (DATA / "totals-three-columns.csv").write_text(
        "Invoice No.,Credit,Value Date\nINV-1,10.00,2026-10-03\nINV-2,20.00,2026-10-04\n"
        "Total,30.00,\n",
        encoding="utf-8",
    )
    # A report's footer line under its totals row.
    (DATA / "totals-then-footer.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Cheque No.,Notes\n"
        "INV-1,10.00,2026-10-03,Cash,,\nINV-2,20.00,2026-10-04,Cash,,\nTotal,30.00,,,,\n"
        "Printed 2026-10-05 by ana,,,,,\n",
        encoding="utf-8",
    )
    # "Total:" under Method, its sum under Notes.
    (DATA / "totals-label-elsewhere.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Cheque No.,Notes\n"
        "INV-1,10.00,2026-10-03,Cash,,\nINV-2,20.00,2026-10-04,Cash,,\n,,,Total:,,30.50\n",
        encoding="utf-8",
    )
    # A bank statement's account lines above the header: two cells each, words only.
    (DATA / "bank-account-lines.csv").write_text(
        "Account Name:,ACME Trading\nAccount Number:,****1234\n"
        "Statement period:,01/10/2026 - 31/10/2026\n\n"
        "Invoice,Amount,Payment Date,Method\nINV-1,10.00,2026-10-03,Cash\n",
        encoding="utf-8",
    )
    # Rows of every length among even ones: short, wider, the same short row twice, a blank
    # line, a note across two lines, and a short totals row.
    (DATA / "uneven-rows.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Notes\n"
        "INV-1,10.00,2026-10-03,Cash,a\n"
        "INV-2,20.00,2026-10-03,Cash\n"
        "INV-3,30.00,2026-10-03,Cash,c,extra\n"
        "INV-2,20.00,2026-10-03,Cash\n"
        "\n"
        "INV-4,40.00,2026-10-03,Cash,d\n"
        "Total,100.00\n",
        encoding="utf-8",
    )
    (DATA / "uneven-rows-and-quoted-lines.csv").write_text(
        "Invoice,Amount,Payment Date,Method,Notes\n"
        "INV-1,10.00,2026-10-03,Cash\n"
        'INV-2,20.00,2026-10-03,Cash,"first line\nsecond line"\n'
        "INV-3,30.00,2026-10-03,Cash,c\n"
        "Total,60.00\n",
        encoding="utf-8",
    )
    (DATA / "blank-lines-only.csv").write_text("\n,,,\n\n", encoding="utf-8")
    (DATA / "binary.csv").write_bytes(bytes(range(256)) * 8)


def _sheet_rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for cell in sheet["C"][1:]:
        cell.number_format = "dd/mm/yyyy"


def write_workbook_cases() -> None:
    """XLSX, XLS and ODS cases, and the hostile workbooks."""
    # The 'testdata' extra: imported here so the tests can import this module's expectations
    # without it.
    import msoffcrypto.format.ooxml
    import xlwt

    book = openpyxl.Workbook()
    _sheet_rows(book.active)
    book.active.title = "Payments"
    book.save(DATA / "leading-zeros.xlsx")

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Read me"
    notes["A1"] = "Payments for October; see the next sheet."
    _sheet_rows(book.create_sheet("October"))
    book.create_sheet("Empty")
    book.save(DATA / "two-sheets.xlsx")

    # Title lines over the header on row 4, data from column B, a blank row among the rows,
    # a date serial typed as a number, and a totals row.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deposit"
    layout = {
        1: ["ACME Trading Ltd"],
        2: ["Deposit date:", date(2026, 10, 3)],
        4: HEADER[:4],
        5: ["INV-1001", 100, date(2026, 10, 3), "Cash"],
        6: ["INV-1002", 250.5, 46298, "Cash"],
        8: ["INV-1003", 49.5, date(2026, 10, 13), "Cash"],
        9: ["TOTAL", 400.5],
    }
    for number, values in layout.items():
        for column, value in enumerate(values, start=2):
            sheet.cell(row=number, column=column, value=value)
    book.save(DATA / "title-rows-and-total.xlsx")

    xls = xlwt.Workbook()
    sheet = xls.add_sheet("Payments")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for column, title in enumerate(HEADER):
        sheet.write(0, column, title)
    for number, row in enumerate(ROWS, start=1):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(number, column, value, date_style)
            else:
                sheet.write(number, column, value)
    xls.save(str(DATA / "payments.xls"))

    # An XLS cut short where its sheet should be: python-calamine panics in Rust on it.
    (DATA / "damaged.xls").write_bytes((DATA / "payments.xls").read_bytes()[:4096])

    frame = pd.DataFrame(ROWS, columns=HEADER)
    frame["Payment Date"] = pd.to_datetime(frame["Payment Date"])
    frame.to_excel(DATA / "payments.ods", engine="odf", sheet_name="Payments", index=False)

    plain = io.BytesIO()
    openpyxl.Workbook().save(plain)
    plain.seek(0)
    with (DATA / "protected.xlsx").open("wb") as target:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("s3cret", target)

    (DATA / "garbage.xlsx").write_bytes(b"\x00\x01not a workbook at all" * 40)

    # 40 MB of zeros packed into a few kilobytes, named like a sheet.
    with zipfile.ZipFile(DATA / "zip-bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(40):
                member.write(chunk)


def write_number_format_cases() -> None:
    """Cheque and card digits typed as numbers in zero-padded columns, under title lines."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deposit"
    # Title lines over the header on row 3, column A left blank: cells start at B1.
    layout: dict[int, list[object]] = {
        1: ["ACME Trading Ltd"],
        3: HEADER[:6],
        4: ["INV-1001", 1234.5, date(2026, 10, 3), "Cheque", 123, None],
        5: ["INV-1002", 80, date(2026, 10, 14), "Visa", None, 42],
        6: ["INV-1003", 12, date(2026, 10, 15), "Cheque", 1234567, None],
        7: ["INV-1004", 50, date(2026, 10, 16), "Cheque", "000777", None],
        8: ["INV-1005", 60, date(2026, 10, 17), "Mastercard", None, 0],
    }
    formats = {3: "0.00", 4: "dd/mm/yyyy", 6: "000000", 7: "0000"}
    for number, values in layout.items():
        for column, value in enumerate(values, start=2):
            cell = sheet.cell(row=number, column=column, value=value)
            if number > 3:
                cell.number_format = formats.get(column, "General")
    book.save(DATA / "zero-padded-numbers.xlsx")


# A deposit of cheques typed as numbers in a column formatted 000000, saved as XLSX, XLS and
# ODS: each must read 007001, as the spreadsheet shows it.
SAVED_AGAIN_HEADER = ["Invoice", "Amount", "Payment Date", "Method", "Cheque No."]
SAVED_AGAIN_ROWS = [
    ["INV-1001", 400, date(2026, 11, 3), "Cheque", 7001],
    ["INV-1002", 250.5, date(2026, 11, 3), "Cheque", 7002],
    ["INV-1003", 100, date(2026, 11, 4), "Cheque", 123456],
]


def write_saved_again_cases() -> None:
    """deposit-saved-as.xlsx, .xls and .ods: one deposit, its cheque numbers zero-padded."""
    import xlwt
    from odf.number import Number, NumberStyle
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deposit"
    sheet.append(SAVED_AGAIN_HEADER)
    for row in SAVED_AGAIN_ROWS:
        sheet.append(row)
    for cell in sheet["E"][1:]:
        cell.number_format = "000000"
    for cell in sheet["C"][1:]:
        cell.number_format = "yyyy-mm-dd"
    book.save(DATA / "deposit-saved-as.xlsx")

    xls = xlwt.Workbook()
    sheet = xls.add_sheet("Deposit")
    padded = xlwt.easyxf(num_format_str="000000")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for column, title in enumerate(SAVED_AGAIN_HEADER):
        sheet.write(0, column, title)
    for number, row in enumerate(SAVED_AGAIN_ROWS, start=1):
        for column, value in enumerate(row):
            style = padded if column == 4 else day if isinstance(value, date) else None
            if style is None:
                sheet.write(number, column, value)
            else:
                sheet.write(number, column, value, style)
    xls.save(str(DATA / "deposit-saved-as.xls"))

    ods = OpenDocumentSpreadsheet()
    digits = NumberStyle(name="N6")
    digits.addElement(Number(decimalplaces="0", minintegerdigits="6"))
    ods.automaticstyles.addElement(digits)
    padded_cell = Style(name="ce1", family="table-cell", datastylename="N6")
    ods.automaticstyles.addElement(padded_cell)
    table = Table(name="Deposit")
    header = TableRow()
    for title in SAVED_AGAIN_HEADER:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=title))
        header.addElement(cell)
    table.addElement(header)
    for row in SAVED_AGAIN_ROWS:
        line = TableRow()
        for column, value in enumerate(row):
            if isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, int | float) and column == 4:
                cell = TableCell(valuetype="float", value=value, stylename=padded_cell)
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=f"{value:06d}" if column == 4 else str(value)))
            line.addElement(cell)
        table.addElement(line)
    ods.spreadsheet.addElement(table)
    ods.save(str(DATA / "deposit-saved-as.ods"))


def write_extent_cases() -> None:
    """Tiny workbooks whose one stray value far from the payments makes a sheet enormous."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Payments"
    sheet.append(HEADER[:4])
    sheet.append(["INV-1001", 10, date(2026, 10, 3), "Cash"])
    sheet["XFD1048576"] = "x"
    book.save(DATA / "far-away-cell.xlsx")
    # The same without the <dimension ref> Excel writes: the cells themselves say how far.
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(DATA / "far-away-cell.xlsx") as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    without = re.sub(rb"<dimension [^>]*/>", b"", members[part])
    assert without != members[part]
    members[part] = without
    with zipfile.ZipFile(
        DATA / "far-away-cell-no-dimension.xlsx", "w", zipfile.ZIP_DEFLATED
    ) as target:
        for name, content in members.items():
            target.writestr(name, content)


def write_lying_size_case() -> None:
    """A workbook whose zip says its sheet unpacks to 100 bytes, far less than it does."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Payments"
    sheet.append(HEADER[:4])
    sheet.append(["INV-1001", 10, date(2026, 10, 3), "Cash"])
    book.save(DATA / "lying-size.xlsx")
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(DATA / "lying-size.xlsx") as archive:
        local = archive.getinfo(part).header_offset
    package = bytearray((DATA / "lying-size.xlsx").read_bytes())
    # The uncompressed size sits 22 bytes into the part's local header and 24 into its
    # central directory entry, whose name (the last copy in the file) starts 46 bytes in.
    central = package.rfind(part.encode()) - 46
    for size_at in (local + 22, central + 24):
        package[size_at : size_at + 4] = struct.pack("<I", 100)
    (DATA / "lying-size.xlsx").write_bytes(bytes(package))


def write_renamed_cases() -> None:
    """Files whose name says one thing and whose bytes another, as "Export to Excel" makes them."""
    (DATA / "text-named-xls.xls").write_text(
        "Invoice\tAmount\tPayment Date\tMethod\nINV-1\t10.00\t2026-10-03\tCash\n",
        encoding="utf-8",
    )
    (DATA / "web-page-named-xls.xls").write_text(
        "<html><body><table><tr><td>Invoice</td><td>Amount</td></tr>"
        "<tr><td>INV-1</td><td>10.00</td></tr></table></body></html>\n",
        encoding="utf-8",
    )
    (DATA / "workbook-named-csv.csv").write_bytes((DATA / "leading-zeros.xlsx").read_bytes())
    (DATA / "garbage.xls").write_bytes(b"\x00\x01not a workbook at all" * 40)


def write_error_cells_case() -> None:
    """A workbook whose lookups failed: #N/A in an amount, #VALUE! in a date."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Payments"
    sheet.append(HEADER[:4])
    sheet.append(["INV-1", "#N/A", date(2026, 10, 3), "Cash"])  # openpyxl writes it as an error
    sheet.append(["INV-2", 20, "#VALUE!", "Cash"])
    book.save(DATA / "error-cells.xlsx")
    # As Excel writes a failed lookup: the formula, then the error it shows.
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(DATA / "error-cells.xlsx") as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    lookup = members[part].replace(
        b'<c r="B2" t="e"><v>', b'<c r="B2" t="e"><f>VLOOKUP(A2,Due!A:B,2,FALSE)</f><v>', 1
    )
    assert lookup != members[part]
    members[part] = lookup
    with zipfile.ZipFile(DATA / "error-cells.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)


def write_number_cell_cases() -> None:
    """Amounts typed as numbers beside amounts typed as text in a decimal-comma locale."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pagos"
    sheet.append(["Factura", "Importe", "Fecha de pago", "Forma de pago"])
    sheet.append(["F-1", "1.234,50", date(2026, 10, 3), "Efectivo"])
    # Twelve and a bit, with three decimals: never twelve thousand.
    sheet.append(["F-2", 12.345, date(2026, 10, 3), "Efectivo"])
    sheet.append(["F-3", 80, date(2026, 10, 3), "Efectivo"])
    sheet.append(["F-4", 1234.5, date(2026, 10, 3), "Efectivo"])
    sheet.append(["Total", 2561.345])
    book.save(DATA / "number-cells-in-decimal-comma-column.xlsx")

    # "1.500" as text could be 1.5 or 1500; the number 80.5 says nothing about how text is
    # written, so the column is still undecided.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Payments"
    sheet.append(HEADER[:4])
    sheet.append(["INV-1", "1.500", date(2026, 10, 3), "Cash"])
    sheet.append(["INV-2", 80.5, date(2026, 10, 3), "Cash"])
    book.save(DATA / "number-cell-beside-ambiguous-text.xlsx")


def write_totals_cases() -> None:
    """A workbook report whose totals row has a footer line under it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Report"
    sheet.append(HEADER[:4])
    sheet.append(["INV-1", 10, date(2026, 10, 3), "Cash"])
    sheet.append(["INV-2", 20, date(2026, 10, 4), "Cash"])
    sheet.append(["Total", 30])
    sheet.append([])
    sheet.append(["Printed 2026-10-05 by ana"])
    book.save(DATA / "totals-then-footer.xlsx")


def write_cover_sheet_cases() -> None:
    """Workbooks whose first sheet is a cover of two-cell lines, not the payments."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["October deposits"])
    cover.append(["Prepared by", "Ana"])
    cover.append(["Approved by", "Bob"])
    payments = book.create_sheet("Payments")
    payments.append(HEADER[:4])
    payments.append(["INV-1", 10, date(2026, 10, 3), "Cash"])
    book.save(DATA / "cover-sheet.xlsx")

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Prepared by", "Ana"])
    cover.append(["Approved by", "Bob"])
    notes = book.create_sheet("Notes")
    notes.append(["Who", "What"])
    notes.append(["Ana", "checks the cheques"])
    book.save(DATA / "no-sheet-of-payments.xlsx")


def main() -> None:
    """Write every case."""
    DATA.mkdir(exist_ok=True)
    write_text_cases()
    write_workbook_cases()
    write_number_format_cases()
    write_saved_again_cases()
    write_extent_cases()
    write_lying_size_case()
    write_renamed_cases()
    write_error_cells_case()
    write_number_cell_cases()
    write_totals_cases()
    write_cover_sheet_cases()


if __name__ == "__main__":
    main()
