"""What reading zero-padded number formats costs in XLS and ODS (issue #11).

calamine gives no number formats for XLS and ODS, so a workbook holding a 000000 format is
read a second time for it (xlrd for an XLS, the XML for an ODS; see importer/read/padding.py).
This measures read + validate of a big XLS (65,000 rows, near the format's limit) and ODS
(100,000 rows) with a zero-padded cheque column, and of the same workbooks without the
format (no second reading), each in a fresh process, and prints what the second reading
adds. The 5 s bound of the 100k-row XLSX (benchmarks/bench_loader.py) is shown beside each;
calamine's own reading of a 100k-row ODS takes about 4 s of it already.

    .venv/bin/python benchmarks/bench_padding.py [--rows-xls 65000] [--rows-ods 100000]

Writing the XLS needs xlwt (the ``testdata`` extra); without it the XLS is left out.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 5.0
TODAY = date(2026, 11, 24)
HEADER = ["Invoice", "Amount", "Payment Date", "Method", "Cheque No."]

MEASURE = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, {root!r})
from importer.importing import open_file
from importer.choices import ReadingChoices
started, cpu = time.perf_counter(), time.process_time()
opened = open_file(Path({path!r}), ReadingChoices(), today=date(2026, 11, 24))
print(json.dumps({{
    "seconds": time.perf_counter() - started,
    "cpu": time.process_time() - cpu,
    "rows": len(opened.file.rows),
    "padded": sum(1 for row in opened.file.rows if row.cells[4].startswith("00")),
    "invalid": len(opened.validation.invalid_rows),
}}))
"""


def _row(index: int) -> tuple[str, float, date, str, int]:
    return (
        f"INV-{100000 + index}",
        10 + index % 990 + 0.25,
        TODAY - timedelta(days=1 + index % 150),
        "Cheque",
        index % 100000,
    )


def write_ods(path: Path, rows: int, *, padded: bool) -> None:
    """An ODS written as LibreOffice writes one: a number style N6 on the cheque column (or,
    not ``padded``, no such style at all)."""
    style = ' table:style-name="ce1"' if padded else ""
    styles = (
        '<office:automatic-styles><number:number-style style:name="N6">'
        '<number:number number:decimal-places="0" number:min-integer-digits="6"/>'
        '</number:number-style><style:style style:name="ce1" style:family="table-cell" '
        'style:data-style-name="N6"/></office:automatic-styles>'
        if padded
        else ""
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0">',
        styles,
        '<office:body><office:spreadsheet><table:table table:name="Payments"><table:table-row>',
        *(
            f'<table:table-cell office:value-type="string"><text:p>{name}</text:p>'
            "</table:table-cell>"
            for name in HEADER
        ),
        "</table:table-row>",
    ]
    for index in range(rows):
        invoice, amount, day, method, cheque = _row(index)
        parts.append(
            "<table:table-row>"
            f'<table:table-cell office:value-type="string"><text:p>{escape(invoice)}</text:p>'
            "</table:table-cell>"
            f'<table:table-cell office:value-type="float" office:value="{amount}">'
            f"<text:p>{amount}</text:p></table:table-cell>"
            f'<table:table-cell office:value-type="date" office:date-value="{day.isoformat()}">'
            f"<text:p>{day.isoformat()}</text:p></table:table-cell>"
            f'<table:table-cell office:value-type="string"><text:p>{method}</text:p>'
            "</table:table-cell>"
            f'<table:table-cell office:value-type="float" office:value="{cheque}"{style}>'
            f"<text:p>{cheque:06d}</text:p></table:table-cell>"
            "</table:table-row>"
        )
    parts.append("</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", "".join(parts))
        book.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )


def write_xls(path: Path, rows: int, *, padded: bool) -> bool:
    """An XLS with its cheque column formatted 000000; False when xlwt is not installed."""
    try:
        import xlwt  # type: ignore[import-not-found]
    except ImportError:
        return False
    book = xlwt.Workbook()
    sheet = book.add_sheet("Payments")
    cheque_style = xlwt.easyxf(num_format_str="000000" if padded else "General")
    day_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for column, name in enumerate(HEADER):
        sheet.write(0, column, name)
    for index in range(rows):
        invoice, amount, day, method, cheque = _row(index)
        number = index + 1
        sheet.write(number, 0, invoice)
        sheet.write(number, 1, amount)
        sheet.write(number, 2, day, day_style)
        sheet.write(number, 3, method)
        sheet.write(number, 4, cheque, cheque_style)
    book.save(str(path))
    return True


def measure(path: Path) -> dict[str, float]:
    """Read and validate ``path`` in a fresh process."""
    code = MEASURE.format(root=str(ROOT), path=str(path))
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    found: dict[str, float] = json.loads(done.stdout)
    return found


def main() -> None:
    """Write the workbooks, measure them, print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows-xls", type=int, default=65000)
    parser.add_argument("--rows-ods", type=int, default=100000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cases: list[tuple[str, Path]] = []
        for padded in (True, False):
            word = "padded" if padded else "plain"
            ods = Path(folder) / f"{word}.ods"
            write_ods(ods, arguments.rows_ods, padded=padded)
            cases.append((f"ODS {arguments.rows_ods:,} rows, {word}", ods))
            xls = Path(folder) / f"{word}.xls"
            if write_xls(xls, arguments.rows_xls, padded=padded):
                cases.append((f"XLS {arguments.rows_xls:,} rows, {word}", xls))
        seconds: dict[str, float] = {}
        for name, path in sorted(cases):
            found = measure(path)
            seconds[name] = found["cpu"]
            within = "within" if found["seconds"] <= TARGET_SECONDS else "over"
            print(
                f"{name}: read and validated in {found['seconds']:.2f} s "
                f"(CPU {found['cpu']:.2f} s), {int(found['padded']):,} cheques shown with "
                f"zeros, {int(found['invalid'])} invalid rows ({within} {TARGET_SECONDS:g} s)"
            )
        for name in sorted(seconds):
            if name.endswith("padded"):
                plain = name.replace("padded", "plain")
                added = seconds[name] - seconds[plain]
                print(f"{name.rsplit(',', 1)[0]}: the zero-padding format adds {added:.2f} s CPU")


if __name__ == "__main__":
    main()
