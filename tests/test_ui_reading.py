"""The Columns step's reading options (dates, decimal mark, encoding, separator) over
Starlette's test client, against the sandbox: a file only an option reads right is shown with
the option to choose, named in words, then read, recorded and read the same way by the
command line."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from importer.check.template_files import load_template
from importer.cli import cli
from importer.sandbox import RunningSandbox
from importer.ui.words import page_words
from tests.conftest import DATA, TODAY, past_where
from tests.workbench import account, page_client, record, text_of, upload

READING = DATA / "reading"
# The cp1252 file's payments as the sandbox holds them: notes with euro signs and accents.
EURO_NOTES_RECORDED = [
    ("1005", "480", "2026-10-07", "Evergreen Yoga – café €480 (row 2 of cp1252-euro-names.csv)"),
    ("1006", "325.4", "2026-10-08", "Fuentes Legal – Müller € (row 3 of cp1252-euro-names.csv)"),
]
DAY_FIRST = {"template": "default", "date_format": "DD/MM/YYYY"}


def columns_text(client: TestClient, upload_id: str) -> str:
    page = client.get(f"/files/{upload_id}/columns").text
    text = html.unescape(text_of(page))
    return text[text.index("Columns of") :]


def selected(client: TestClient, upload_id: str, name: str) -> str:
    """The words of the option chosen in the select box ``name`` of the Columns step."""
    page = client.get(f"/files/{upload_id}/columns").text
    select = re.search(rf'<select id="{name}".*?</select>', page, re.S)
    assert select is not None, name
    chosen = re.search(r"<option[^>]* selected>([^<]*)</option>", select.group(0))
    assert chosen is not None, select.group(0)
    return html.unescape(chosen.group(1))


def recorded(sandbox: RunningSandbox) -> list[tuple[str, str, str, str]]:
    """Each payment the sandbox holds: invoice number, amount, day paid and notes."""
    numbers = {i["_id"]: i["invoiceNumber"] for i in sandbox.sandbox.invoices()}
    return [
        (numbers[t["entityId"]], str(t["amount"]), t["fulfilledAt"][:10], t.get("notes", ""))
        for t in sandbox.sandbox.transactions()
    ]


def record_all(client: TestClient, upload_id: str) -> tuple[object, object]:
    """Check and record the upload; the payments done and recorded once the run finished."""
    last = record(client, upload_id)
    assert last["finished"] is True
    return last["done"], last["recorded"]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), obj=TODAY)
    return result.exit_code, past_where(result.output)


def test_dates_that_could_be_either_way_are_read_by_choosing_day_first(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Every day is 12 or less: the file stops on the Columns step with a message naming the
    Dates control and its choices, never a flag; Day first reads it, 3 October not 10 March,
    and the command line given --date-format DD/MM/YYYY finds the same payments recorded."""
    path = Path(shutil.copy(READING / "day-first-dates.csv", env))
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, path)
        text = columns_text(client, upload_id)
        assert text.startswith(
            "Columns of day-first-dates.csv "
            "Column \"Payment Date\": no date in it has a day above 12, so row 2's '03/10/2026' "
            'could be day/month or month/day. Choose "Day first (31/12/2026)" or "Month first '
            '(12/31/2026)" as the Dates on the Columns step and press Read again. '
            "Choose how the file is written below, then press Read again ."
        )
        assert "--" not in text
        assert (
            selected(client, upload_id, "date_format")
            == "Found from the file: cannot tell; choose one"
        )
        assert client.get(f"/files/{upload_id}/rows").url.path.endswith("/columns")
        answer = client.post(f"/files/{upload_id}/columns", data={**DAY_FIRST, "action": "read"})
        assert answer.status_code == 200
        assert selected(client, upload_id, "date_format") == "Day first (31/12/2026)"
        rows = text_of(client.get(f"/files/{upload_id}/rows").text)
        assert "3 rows read with the template default : 3 ready, 0 with problems." in rows
        assert record_all(client, upload_id) == (3, 3)
    assert recorded(sandbox) == [
        ("1001", "100", "2026-10-03", "Cash payment (row 2 of day-first-dates.csv)"),
        ("1002", "200", "2026-11-05", "Cash payment (row 3 of day-first-dates.csv)"),
        ("1004", "50", "2026-11-09", "Cash payment (row 4 of day-first-dates.csv)"),
    ]
    code, output = invoke("run", str(path), "--date-format", "DD/MM/YYYY", "--yes")
    assert (code, output.splitlines()[0]) == (0, "3 rows: 3 already recorded.")
    assert len(sandbox.sandbox.transactions()) == 3


def test_day_first_is_kept_in_a_template_saved_from_the_page(
    sandbox: RunningSandbox, env: Path
) -> None:
    """A template saved after choosing Day first says so in its [format]; the next file with
    these columns is read with it by itself, in the page and by the command line."""
    path = READING / "day-first-dates.csv"
    fields = {
        "column-invoice": "Invoice",
        "column-amount": "Amount",
        "column-payment_date": "Payment Date",
        "column-method": "Method",
    }
    with page_client(account(sandbox)) as (client, bench):
        upload_id = upload(client, path)
        client.post(f"/files/{upload_id}/columns", data={**DAY_FIRST, "action": "read"})
        saved = client.post(
            f"/files/{upload_id}/columns", data={**fields, "action": "save", "name": "my bank"}
        )
        assert saved.status_code == 200
        template = load_template(bench.templates_folder / "my bank.toml")
        assert (template.date_format, template.decimal) == ("DD/MM/YYYY", None)
        again = upload(client, path, name="next-month.csv")
        opened = bench.uploads[again].opened
        assert opened is not None
        assert [p.paid_on.isoformat() for p in opened.validation.payments] == [
            "2026-10-03",
            "2026-11-05",
            "2026-11-09",
        ]
        assert selected(client, again, "date_format") == (
            "As the template says: Day first (31/12/2026)"
        )
    code, output = invoke("validate", str(path))
    assert output.splitlines()[0].startswith('Read with the template "my bank", saved for files')
    assert (code, output.splitlines()[-1]) == (0, "3 rows checked: 3 ready, 0 with problems.")


def test_amounts_whose_decimal_mark_nothing_settles_are_read_by_choosing_the_comma(
    sandbox: RunningSandbox,
) -> None:
    """'1.200' and '1.000' could be cents or thousands: the message names the Decimal mark
    control; the comma reads them as 1,200.00 and 1,000.00, recorded so."""
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, READING / "decimal-comma.csv")
        text = columns_text(client, upload_id)
        assert (
            'Column "Amount": nothing in it says whether row 2\'s \'1.200\' has "," or "." as '
            'the decimal mark. Choose "1,234.56 (point)" or "1.234,56 (comma)" as the Decimal '
            "mark on the Columns step and press Read again."
        ) in text
        assert selected(client, upload_id, "delimiter") == "Found from the file: Semicolon (;)"
        client.post(
            f"/files/{upload_id}/columns",
            data={"template": "default", "decimal": ",", "action": "read"},
        )
        assert selected(client, upload_id, "decimal") == "1.234,56 (comma)"
        assert record_all(client, upload_id) == (2, 2)
    assert recorded(sandbox) == [
        ("1001", "1200", "2026-10-03", "Cash payment (row 2 of decimal-comma.csv)"),
        ("1008", "1000", "2026-10-04", "Cash payment (row 3 of decimal-comma.csv)"),
    ]


def test_windows_text_with_euro_signs_is_found_and_recorded_as_written(
    sandbox: RunningSandbox,
) -> None:
    """A cp1252 file: its encoding found and named in words; the euro sign, a dash and accents reach
    HighLevel as written. Choosing Unicode for it is refused naming the Encoding control."""
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, READING / "cp1252-euro-names.csv")
        assert selected(client, upload_id, "encoding") == (
            "Found from the file: Windows (Western European)"
        )
        wrong = client.post(
            f"/files/{upload_id}/columns",
            data={"template": "default", "encoding": "utf-8", "action": "read"},
        )
        assert wrong.status_code == 400
        assert (
            "cp1252-euro-names.csv: is not Unicode (UTF-8) text (byte 86 cannot be read); "
            'choose "Found from the file" as the Encoding on the Columns step and press Read '
            "again."
        ) in html.unescape(text_of(wrong.text))
        assert record_all(client, upload_id) == (2, 2)
    assert recorded(sandbox) == EURO_NOTES_RECORDED


def test_mac_text_read_as_windows_text_is_read_right_by_choosing_mac_roman(
    sandbox: RunningSandbox,
) -> None:
    """Mac Roman bytes read as Windows text too ('CafŽ MŸller'): choosing Mac Roman reads
    'Café Müller', and the note on the Columns step names the control, not --encoding."""
    with page_client(account(sandbox)) as (client, bench):
        upload_id = upload(client, READING / "mac-roman-names.csv")
        assert (
            "Read as Western European (Windows-1252) text: if accents look wrong in the results, "
            "choose another Encoding on the Columns step and press Read again."
        ) in columns_text(client, upload_id)

        def notes() -> list[str]:
            opened = bench.uploads[upload_id].opened
            assert opened is not None
            return [p.notes for p in opened.validation.payments]

        assert notes() == ["CafŽ MŸller (row 2 of mac-roman-names.csv)"]
        client.post(
            f"/files/{upload_id}/columns",
            data={"template": "default", "encoding": "mac_roman", "action": "read"},
        )
        assert notes() == ["Café Müller (row 2 of mac-roman-names.csv)"]
        assert selected(client, upload_id, "encoding") == "Mac Roman"


def test_a_choice_not_offered_is_refused_in_words(sandbox: RunningSandbox) -> None:
    """A form posted with a value no select box offers reads nothing and says so."""
    with page_client(account(sandbox)) as (client, _bench):
        upload_id = upload(client, READING / "day-first-dates.csv")
        answer = client.post(
            f"/files/{upload_id}/columns",
            data={"template": "default", "date_format": "%d.%m", "action": "read"},
        )
        assert answer.status_code == 400
        assert (
            "Dates: '%d.%m' is not one of the choices. Choose one from the list, or \"Found "
            'from the file".'
        ) in html.unescape(text_of(answer.text))


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (
            "Column \"Date\" mixes day-first dates (row 2: '13/01/2026') and month-first dates "
            "(row 3: '01/13/2026'). Correct the rows that are wrong, or run again with "
            "--date-format DD/MM/YYYY or --date-format MM/DD/YYYY to say which is meant.",
            "Column \"Date\" mixes day-first dates (row 2: '13/01/2026') and month-first dates "
            "(row 3: '01/13/2026'). Correct the rows that are wrong, or choose \"Day first "
            '(31/12/2026)" or "Month first (12/31/2026)" as the Dates on the Columns step and '
            "press Read again to say which is meant.",
        ),
        (
            "'03/04/2026' could be day/month or month/day; run again with --date-format "
            "DD/MM/YYYY or --date-format MM/DD/YYYY.",
            "'03/04/2026' could be day/month or month/day; choose \"Day first (31/12/2026)\" or "
            '"Month first (12/31/2026)" as the Dates on the Columns step and press Read again.',
        ),
        (
            '\'1,234\' could be read with "." or "," as the decimal mark; run again with '
            '--decimal "." or --decimal ",".',
            '\'1,234\' could be read with "." or "," as the decimal mark; choose "1,234.56 '
            '(point)" or "1.234,56 (comma)" as the Decimal mark on the Columns step and press '
            "Read again.",
        ),
        (
            "pay.csv: cannot be read (it is not text in an encoding this importer can tell). "
            "If it is a spreadsheet, export it as CSV; if it is text, run again with --encoding.",
            "pay.csv: cannot be read (it is not text in an encoding this importer can tell). "
            'If it is a spreadsheet, export it as CSV; if it is text, save it again as "CSV '
            'UTF-8" (in Excel: File, Save As) and drop it on this page again.',
        ),
        (
            "pay.csv: cannot be read as Western European (Windows-1252) text; run again with "
            "--encoding.",
            "pay.csv: cannot be read as Western European (Windows-1252) text: save it again as "
            '"CSV UTF-8" (in Excel: File, Save As) and drop it on this page again.',
        ),
        (
            "pay.csv: the file is 60.0 MB, over the 50 MB limit. Split it, or run again with a "
            "larger --max-size.",
            "pay.csv: the file is 60.0 MB, over the 50 MB limit. Split it into smaller files, or "
            "export only the payments.",
        ),
        (
            "This file fits two templates equally, card-terminal and stripe, and the importer "
            "does not guess which. Run again with --template card-terminal (or --template "
            "stripe). Nothing was sent.",
            "This file fits two templates equally, card-terminal and stripe, and the importer "
            "does not guess which. Choose card-terminal or stripe as the Template on the "
            "Columns step and press Read again. Nothing was sent.",
        ),
    ],
)
def test_messages_name_the_page_controls_not_the_flags(message: str, words: str) -> None:
    """Each reading flag a library message names becomes the Columns step's control."""
    assert page_words(message) == words
