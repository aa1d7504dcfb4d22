"""Results files are never lost: a dry run writes its own, no run writes over another run's,
and results rebuilt from the journal replace only what that same run wrote."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner
from pydantic import SecretStr

from importer.cli import cli
from importer.connection import Connection
from importer.importing import Collaborators, ImportChoices, Plan, run_import
from importer.journal.journal import Journal
from importer.output.results import default_results_path, free_results_path
from importer.sandbox import DEFAULT_TOKEN, RunningSandbox
from tests.conftest import TODAY, copy_sample


def invoke(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(arguments), obj=TODAY)
    return result.exit_code, result.output


def test_a_dry_run_after_a_real_run_leaves_its_results_byte_for_byte(
    sandbox: RunningSandbox, env: Path
) -> None:
    """The dry run's results go to <stem>.dry-run.<ext>; the real run's file is untouched,
    for a workbook as for a CSV, and a second dry run writes beside the first."""
    for name, suffix in (("payments.csv", ".csv"), ("payments.xlsx", ".xlsx")):
        payments = copy_sample(name, env)
        assert invoke("run", name, "--yes")[0] == 0
        real = env / f"payments.results{suffix}"
        before = real.read_bytes()
        code, output = invoke("run", name, "--dry-run")
        assert code == 0, output
        assert real.read_bytes() == before
        assert (env / f"payments.dry-run{suffix}").is_file()
        assert output.splitlines()[-1] == f"Results: payments.dry-run{suffix}"
        code, output = invoke("run", str(payments.name), "--dry-run")
        assert output.splitlines()[0] == (
            f"payments.dry-run{suffix} is already there and is left as it is: this run's "
            f"results go to payments.dry-run-2{suffix}."
        )
        assert real.read_bytes() == before


def test_a_second_run_writes_beside_the_first_and_says_so(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Run twice, the second run's results go to .results-2, and a file named with --results
    that is already there is left alone too: the next free name, said in the output."""
    copy_sample("payments.csv", env)
    assert invoke("run", "payments.csv", "--yes")[0] == 0
    first = (env / "payments.results.csv").read_bytes()
    code, output = invoke("run", "payments.csv", "--yes")
    assert code == 0, output
    assert output.splitlines()[0] == (
        "payments.results.csv is already there and is left as it is: this run's results go "
        "to payments.results-2.csv."
    )
    assert "\nResults: payments.results-2.csv\n" in output
    assert (env / "payments.results.csv").read_bytes() == first
    (env / "mine.csv").write_text("my own notes\n")
    code, output = invoke("run", "payments.csv", "--yes", "--results", "mine.csv")
    assert code == 0, output
    assert "this run's results go to mine-2.csv." in output.splitlines()[0]
    assert (env / "mine.csv").read_text() == "my own notes\n"
    assert (env / "mine-2.csv").is_file()


def test_the_names_results_take(tmp_path: Path) -> None:
    """A dry run's name, and the next free name after each kind of name."""
    assert [default_results_path(Path(name), dry_run=True).name for name in (
        "deposit.csv", "deposit.xls", "deposit.results-3.csv", "deposit.dry-run.xlsx",
    )] == ["deposit.dry-run.csv", "deposit.dry-run.xlsx", "deposit.dry-run.csv",
           "deposit.dry-run.xlsx"]  # fmt: skip
    assert default_results_path(Path("deposit.dry-run.csv")).name == "deposit.results.csv"
    for name in ("x.results.csv", "x.results-2.csv", "out.xlsx", "x.dry-run.csv", "y-2.csv"):
        (tmp_path / name).write_text("")
    assert [free_results_path(tmp_path / name).name for name in (
        "new.csv", "x.results.csv", "x.results-2.csv", "out.xlsx", "x.dry-run.csv", "y-2.csv",
    )] == ["new.csv", "x.results-3.csv", "x.results-3.csv", "out-2.xlsx", "x.dry-run-2.csv",
           "y-2-2.csv"]  # fmt: skip
    assert free_results_path(tmp_path / "out.xlsx", ours=lambda _path: True).name == "out.xlsx"
    # --results naming a folder is refused as before, not turned into "folder-2".
    (tmp_path / "folder").mkdir()
    assert free_results_path(tmp_path / "folder") == tmp_path / "folder"


def test_rebuilt_results_replace_only_what_the_same_run_wrote(
    sandbox: RunningSandbox, env: Path
) -> None:
    """runs show 1 --results writes over run 1's own results file (as run 1 wrote it), but
    not over run 2's, nor over run 1's once someone has edited it: those go beside."""
    copy_sample("payments.csv", env)
    assert invoke("run", "payments.csv", "--yes")[0] == 0
    assert invoke("run", "payments.csv", "--yes")[0] == 0
    own, other = env / "payments.results.csv", env / "payments.results-2.csv"
    code, output = invoke("runs", "show", "1", "--results", str(own))
    assert code == 0, output
    assert output.splitlines()[-1] == f"Results rebuilt from the journal: {own}"
    assert not (env / "payments.results-3.csv").exists()
    second = other.read_bytes()
    code, output = invoke("runs", "show", "1", "--results", str(other))
    assert output.splitlines()[-2:] == [
        "payments.results-2.csv is already there and is left as it is: this run's results go "
        "to payments.results-3.csv.",
        f"Results rebuilt from the journal: {env / 'payments.results-3.csv'}",
    ]
    assert other.read_bytes() == second
    own.write_text(own.read_text(encoding="utf-8-sig") + "my note\n", encoding="utf-8-sig")
    edited = own.read_bytes()
    code, output = invoke("runs", "show", "1", "--results", str(own))
    # Past the edited file and run 2's, to the one run 1's last rebuild wrote.
    assert output.splitlines()[-1] == (
        f"Results rebuilt from the journal: {env / 'payments.results-3.csv'}"
    )
    assert own.read_bytes() == edited
    assert other.read_bytes() == second


def test_a_file_that_appears_while_the_run_sends_is_left_alone(
    sandbox: RunningSandbox, env: Path
) -> None:
    """Someone saves a file where the results were to go while payments are being sent: the
    results go to the next free name, and the report says so."""
    payments = copy_sample("payments.csv", env)
    meanwhile = env / "payments.results.csv"

    def confirm(plan: Plan) -> bool:
        assert plan.results_path == meanwhile
        meanwhile.write_text("saved meanwhile\n")
        return True

    connection = Connection(sandbox.url, SecretStr(DEFAULT_TOKEN), sandbox.location_id, "location")

    async def go() -> Path:
        async with connection.client() as client:
            with Journal.open(":memory:") as journal:
                report = await run_import(
                    payments,
                    ImportChoices(today=TODAY),
                    Collaborators(client=client, journal=journal),
                    confirm=confirm,
                )
        assert report.notes[-1] == (
            "payments.results.csv is already there and is left as it is: this run's results go "
            "to payments.results-2.csv."
        )
        return report.results_path

    assert asyncio.run(go()) == env / "payments.results-2.csv"
    assert meanwhile.read_text() == "saved meanwhile\n"
