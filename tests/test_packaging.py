"""An installed importer carries its built-in templates and sample invoices, as users see them."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from importer.cli import SAMPLE_SEED
from importer.mapping import TEMPLATES_DIR
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
