"""An installed importer carries its built-in templates and sample invoices, as users see them."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from fnmatch import fnmatch

from importer.check.templates import TEMPLATES_DIR
from importer.connection import SAMPLE_SEED
from tests.conftest import ROOT, SAMPLES

PACKAGE = ROOT / "importer"


def test_the_templates_users_read_are_the_ones_the_package_carries() -> None:
    """templates/*.toml and importer/templates/*.toml are the same files, byte for byte."""
    shown = {path.name: path.read_bytes() for path in (ROOT / "templates").glob("*.toml")}
    carried = {path.name: path.read_bytes() for path in TEMPLATES_DIR.glob("*.toml")}
    assert sorted(shown) == sorted(carried)
    differing = sorted(name for name in shown if shown[name] != carried[name])
    assert differing == [], (
        f"templates/ and importer/templates/ differ in {differing}: copy the one you changed "
        "over the other."
    )


def test_the_sample_invoices_users_read_are_the_ones_the_sandbox_serves() -> None:
    """samples/sandbox-invoices.json is, byte for byte, the seed --sandbox serves by default."""
    assert (SAMPLES / "sandbox-invoices.json").read_bytes() == SAMPLE_SEED.read_bytes(), (
        f"samples/sandbox-invoices.json and {SAMPLE_SEED.relative_to(ROOT)} differ: copy the "
        "one you changed over the other."
    )


def test_the_package_data_holds_the_templates_and_the_seed() -> None:
    """Each built-in template and the seed lie in the package and match its package-data."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["importer"]
    needed = [*TEMPLATES_DIR.glob("*.toml"), SAMPLE_SEED]
    assert len(needed) == 5
    unshipped = [
        path
        for path in needed
        if not path.is_relative_to(PACKAGE)
        or not any(fnmatch(path.relative_to(PACKAGE).as_posix(), p) for p in patterns)
    ]
    assert unshipped == []


def test_the_importer_reads_files_without_pandas() -> None:
    """With pandas as if not installed, validate reads the sample CSV and XLSX: it is dev only."""
    # A finder that answers for pandas as an environment without it does.
    script = (
        "import importlib.abc, sys\n"
        "class NoPandas(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.partition('.')[0] == 'pandas':\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, NoPandas())\n"
        "from importer.cli import main\n"
        "sys.argv = ['importer', 'validate', sys.argv[1]]\n"
        "main()\n"
    )
    for sample in ("payments.csv", "payments.xlsx"):
        done = subprocess.run(
            [sys.executable, "-c", script, str(SAMPLES / sample)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (done.returncode, done.stdout.splitlines()[-1:], done.stderr) == (
            0,
            ["33 rows checked: 33 ready, 0 with problems."],
            "",
        ), sample


def test_help_loads_no_heavy_library() -> None:
    """`importer --help` starts without the HTTP client, the workbook libraries, pydantic or
    rich: they are loaded by the commands that use them, so help answers at once."""
    heavy = (
        "httpx", "openpyxl", "python_calamine", "pydantic", "rich", "starlette", "stamina",
        "rapidfuzz",
    )  # fmt: skip
    script = (
        "import sys; from importer.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert shown.stdout.splitlines()[-1] == "[]"


def test_the_package_data_holds_the_workbench_pages_and_assets() -> None:
    """Every template and asset of the workbench (htmx among them: no CDN) is package data."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["importer"]
    ui = PACKAGE / "ui"
    needed = [path for path in ui.rglob("*") if path.is_file() and path.suffix != ".py"]
    needed = [path for path in needed if "__pycache__" not in path.parts]
    names = sorted(path.relative_to(ui).as_posix() for path in needed)
    assert "static/htmx.min.js" in names
    assert "templates/base.html" in names
    unshipped = [
        path.relative_to(PACKAGE).as_posix()
        for path in needed
        if not any(fnmatch(path.relative_to(PACKAGE).as_posix(), p) for p in patterns)
    ]
    assert unshipped == []
