"""One journal, one import at a time, however it is named: a journal reached through a
symbolic link took a lock of its own beside the link, so two imports sent from one journal at
once and both ended with rows unknown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.cli import cli
from importer.errors import JournalError
from importer.journal.journal import Journal
from importer.sandbox import RunningSandbox
from tests.conftest import TODAY, copy_sample


def names_of_one_journal(tmp_path: Path) -> list[Path]:
    """The journal at tmp_path/real/journal.sqlite3, and other names that lead to it."""
    real = tmp_path / "real" / "journal.sqlite3"
    real.parent.mkdir()
    (tmp_path / "link.sqlite3").symlink_to(real)
    (tmp_path / "folder-link").symlink_to(real.parent, target_is_directory=True)
    (tmp_path / "chain.sqlite3").symlink_to(tmp_path / "link.sqlite3")
    return [
        real,
        tmp_path / "link.sqlite3",
        tmp_path / "folder-link" / "journal.sqlite3",
        tmp_path / "chain.sqlite3",
        tmp_path / "real" / ".." / "real" / "journal.sqlite3",
        Path(os.path.relpath(real)),
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_every_name_of_a_journal_shares_its_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While an import holds the journal under one name, it cannot be opened for an import
    under any other: a link to it, to its folder, a chain of links, "..", a relative path."""
    monkeypatch.chdir(tmp_path)
    names = names_of_one_journal(tmp_path)
    for holder in names:
        with Journal.open(holder, exclusive=True):
            for other in names:
                with pytest.raises(JournalError, match="Another import is running"):
                    Journal.open(other, exclusive=True)
    Journal.open(names[1], exclusive=True).close()  # free again once closed


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_run_through_a_link_waits_for_the_import_holding_the_journal(
    sandbox: RunningSandbox, env: Path
) -> None:
    """importer run with --journal naming a link to a journal in use stops before sending."""
    real = env / "journal.sqlite3"
    link = env / "other-name.sqlite3"
    link.symlink_to(real)
    payments = copy_sample("payments.csv", env)
    with Journal.open(real, exclusive=True) as journal:
        result = CliRunner().invoke(
            cli, ["run", str(payments), "--yes", "--journal", str(link)], obj=TODAY
        )
        assert journal.import_running()
    assert result.exit_code == 2, result.output
    assert result.output.endswith(
        f"Error: Another import is running with the journal at {link}. Wait for it to finish "
        "(or stop it), then run again.\n"
    )
    assert sandbox.sandbox.transactions() == []
