"""The user's saved templates: TOML files in a folder of the user's data, beside the journal.

A saved template is tried before the built-in ones when a file is read with no --template,
and ``--template NAME`` finds it by name: saving one is how a user makes the importer read
their bank's export their way every time. The command line and the workbench save them with
``save_template`` and list them with ``saved_templates``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from importer.check.templates import (
    TEMPLATES_DIR,
    Template,
    builtin_names,
    load_template,
    parse_template,
)
from importer.errors import TemplateError

__all__ = ["find_template", "save_template", "saved_templates", "templates_folder"]

# A name that is a file name on every system, and reads as one word on the command line.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def templates_folder(*, environ: Mapping[str, str] = os.environ) -> Path:
    """Where saved templates live: ``IMPORTER_TEMPLATES``, else beside the journal.

    The journal is ``IMPORTER_JOURNAL`` or ``journal.sqlite3`` in the user's data folder;
    the templates are the ``templates`` folder next to it.
    """
    if folder := environ.get("IMPORTER_TEMPLATES"):
        return Path(folder)
    if journal := environ.get("IMPORTER_JOURNAL"):
        return Path(journal).parent / "templates"
    return platformdirs.user_data_path("importer", appauthor=False) / "templates"


def saved_templates(folder: Path | None = None) -> list[Template]:
    """Every saved template, by name; TemplateError naming a file that cannot be read."""
    where = folder if folder is not None else templates_folder()
    if not where.is_dir():
        return []
    return [load_template(path) for path in sorted(where.glob("*.toml"))]


def save_template(name: str, text: str, *, folder: Path | None = None) -> Path:
    """Save the TOML ``text`` as the template ``name``, replacing one of that name.

    The text is read first, and refused with TemplateError (saying what is wrong) rather
    than saved broken; so is a name that is not one word or is a built-in template's.
    Returns the file written.
    """
    if not _NAME.fullmatch(name):
        raise TemplateError(
            f"{name!r} cannot name a template: use letters, digits, - and _ (such as my-bank)."
        )
    if name in builtin_names():
        raise TemplateError(
            f"{name!r} is a built-in template's name: choose another, such as my-{name}."
        )
    where = folder if folder is not None else templates_folder()
    path = where / f"{name}.toml"
    parse_template(text, name=name, source=path)
    try:
        where.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        raise TemplateError(f"{path}: cannot be saved ({error.strerror}).") from None
    return path


def find_template(name_or_path: str, *, folder: Path | None = None) -> Template:
    """A built-in template, a saved one by name, or a TOML file by path."""
    where = folder if folder is not None else templates_folder()
    saved = where / f"{name_or_path}.toml"
    builtin = (TEMPLATES_DIR / f"{name_or_path}.toml").is_file()
    if not builtin and _NAME.fullmatch(name_or_path) and saved.is_file():
        return load_template(saved)
    return load_template(name_or_path)
