"""A user's saved templates: kept beside the journal, tried first, found by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from importer.check.saved import find_template, save_template, saved_templates, templates_folder
from importer.check.templates import load_template
from importer.errors import TemplateError
from tests.test_templates_cli import invoke

BASED_ON_BANK = 'based_on = "bank-transfer"\n[columns]\ninvoice = ["Folio"]\n'


def test_saved_templates_live_beside_the_journal(tmp_path: Path) -> None:
    """IMPORTER_TEMPLATES names the folder; else it is 'templates' beside the journal."""
    assert templates_folder(environ={"IMPORTER_TEMPLATES": str(tmp_path / "t")}) == tmp_path / "t"
    journal = tmp_path / "data" / "journal.sqlite3"
    assert templates_folder(environ={"IMPORTER_JOURNAL": str(journal)}) == (
        tmp_path / "data" / "templates"
    )
    assert templates_folder() == Path(os.environ["IMPORTER_JOURNAL"]).parent / "templates"


def test_a_saved_template_is_listed_and_found_by_name() -> None:
    """save_template writes NAME.toml; saved_templates and find_template read it back."""
    path = save_template("my-bank", BASED_ON_BANK)
    assert path == templates_folder() / "my-bank.toml"
    assert path.read_text(encoding="utf-8") == BASED_ON_BANK
    assert [t.name for t in saved_templates()] == ["my-bank"]
    found = find_template("my-bank")
    assert (found.name, found.own_headers["invoice"], found.is_builtin) == (
        "my-bank",
        ("Folio",),
        False,
    )
    # A built-in name still means the built-in template.
    assert find_template("bank-transfer") == load_template("bank-transfer")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("my bank", BASED_ON_BANK, "'my bank' cannot name a template: use letters, digits"),
        ("default", BASED_ON_BANK, "'default' is a built-in template's name: choose another"),
        ("mine", 'based_on = "nope"\n', "based_on 'nope': no built-in template has that name"),
        ("mine", "invoice = [\n", "this is not a readable template"),
    ],
)
def test_a_template_that_cannot_be_saved_is_refused_and_not_written(
    name: str, text: str, message: str
) -> None:
    """A bad name or a broken template is refused saying why; nothing is saved."""
    with pytest.raises(TemplateError, match=message):
        save_template(name, text)
    assert saved_templates() == []


def test_based_on_keeps_the_base_s_fixed_method(tmp_path: Path) -> None:
    """A copy of bank-transfer keeps its method: its rows are bank transfers, not refused."""
    template = load_template(save_template("folio-bank", BASED_ON_BANK))
    assert template.constants == {"method": "bank_transfer"}
    assert template.required == ("invoice", "amount", "payment_date")


def test_the_command_line_saves_and_lists_a_template(tmp_path: Path) -> None:
    """importer template save NAME FILE keeps it; importer templates lists it as saved."""
    mine = tmp_path / "mine.toml"
    mine.write_text('description = "My bank."\n' + BASED_ON_BANK, encoding="utf-8")
    assert invoke("template", "save", "folio-bank", str(mine)) == (
        0,
        f"Saved the template folio-bank in {templates_folder() / 'folio-bank.toml'}.\n",
    )
    code, output = invoke("templates")
    assert code == 0
    assert output.splitlines()[7:9] == [
        f"Saved, in {templates_folder()} (tried first):",
        "folio-bank      My bank.",
    ]
    broken = tmp_path / "broken.toml"
    broken.write_text('based_on = "nope"\n', encoding="utf-8")
    code, output = invoke("template", "save", "broken", str(broken))
    assert (code, output.startswith("Error: ")) == (2, True)
    assert "based_on 'nope'" in output
