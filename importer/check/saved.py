"""Templates a person saved for their own files, and finding the one saved for a file.

A saved template is an ordinary template file: based on a built-in template, its
``[columns]`` the column chosen for each field, and ``file_headers`` the headers of the file it
was saved for. The next file with the same headers is read with it without being asked, by
the workbench and by ``importer run`` and ``validate`` alike (when no ``--template`` is
given), so both doors read one file the same way and find its payments in the journal.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import platformdirs

from importer.check.template_files import (
    DEFAULT_TEMPLATE,
    builtin_names,
    load_template,
    parse_template,
)
from importer.check.templates import FIELDS, Template, normalise
from importer.errors import TemplateError

__all__ = [
    "TEMPLATES_ENV",
    "keep_template",
    "same_headers",
    "save_template",
    "saved_template_for",
    "saved_templates",
    "saved_templates_dir",
    "template_named",
    "write_template",
]

TEMPLATES_ENV = "IMPORTER_TEMPLATES"
# A name that is a file name on every system, and reads as a name in a list.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,59}")


def saved_templates_dir(*, environ: Mapping[str, str] = os.environ) -> Path:
    """Where saved templates live: ``IMPORTER_TEMPLATES``, else the user's data folder."""
    chosen = environ.get(TEMPLATES_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    return platformdirs.user_data_path("importer", appauthor=False) / "templates"


def saved_templates(folder: Path) -> list[Template]:
    """Every saved template in ``folder``, the most recently saved first.

    A file there that cannot be read as a template is passed over: it is never chosen by
    itself, and ``--template PATH`` says what is wrong with it.
    """
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.toml"), key=lambda p: (-p.stat().st_mtime, p.name))
    found = []
    for path in paths:
        try:
            found.append(load_template(path))
        except TemplateError:
            continue
    return found


def same_headers(first: Sequence[str], second: Sequence[str]) -> bool:
    """True when two files' headers are the same, read as headers are matched (case, accents
    and punctuation aside, empty headers left out)."""

    def forms(headers: Sequence[str]) -> list[str]:
        return [form for form in map(normalise, headers) if form]

    return bool(forms(first)) and forms(first) == forms(second)


def saved_template_for(headers: Sequence[str], folder: Path) -> Template | None:
    """The saved template saved for a file with these headers, the newest if several."""
    return next((t for t in saved_templates(folder) if same_headers(t.file_headers, headers)), None)


def write_template(
    path: Path,
    *,
    base: Template,
    columns: Mapping[str, str],
    file_headers: Sequence[str],
    description: str = "",
    date_format: str | None = None,
    decimal: str | None = None,
) -> Template:
    """Write a template to ``path``: ``base``'s built-in template with ``columns`` (field ->
    the header that feeds it), saved for a file with ``file_headers``, and its ``[format]``:
    ``date_format`` and ``decimal`` when given (as the command line's options take them);
    the template as read back. TemplateError when it cannot be written or read."""
    unknown = [name for name in columns if name not in FIELDS]
    if unknown:
        raise TemplateError(f"{unknown[0]!r} is not a payment field ({', '.join(FIELDS)}).")
    root = base.name if base.is_builtin else (base.based_on or DEFAULT_TEMPLATE.name)
    lines = [
        f"description = {_toml(description)}",
        f"based_on = {_toml(root)}",
        "file_headers = [" + ", ".join(_toml(h) for h in file_headers if normalise(h)) + "]",
        "",
        "[columns]",
        *(f"{name} = [{_toml(columns[name])}]" for name in FIELDS if name in columns),
        "",
    ]
    formats = [
        (key, value) for key, value in (("date", date_format), ("decimal", decimal)) if value
    ]
    if formats:
        lines += ["[format]", *(f"{key} = {_toml(value)}" for key, value in formats), ""]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
    except OSError as error:
        raise TemplateError(f"{path}: the template cannot be written ({error.strerror}).") from None
    return load_template(path)


def save_template(
    name: str,
    folder: Path,
    *,
    base: Template,
    columns: Mapping[str, str],
    file_headers: Sequence[str],
    date_format: str | None = None,
    decimal: str | None = None,
) -> Template:
    """Save the columns chosen for a file (and how its dates and amounts are written, when
    given) as the template ``name`` in ``folder``; the next file with the same headers is
    read with it. TemplateError for a name that cannot be one."""
    name = _checked_name(name)
    return write_template(
        folder / f"{name}.toml",
        base=base,
        columns=columns,
        file_headers=file_headers,
        description=f"Saved for files with the columns {', '.join(file_headers)}.",
        date_format=date_format,
        decimal=decimal,
    )


def _checked_name(name: str) -> str:
    """``name`` without spaces around it; TemplateError when it cannot be a template's."""
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise TemplateError(
            f"{name!r} cannot be a template's name: use letters, digits, spaces, - or _, "
            "starting with a letter or digit (at most 60)."
        )
    if name.casefold() in (builtin.casefold() for builtin in builtin_names()):
        raise TemplateError(f"{name!r} is a built-in template's name: choose another name.")
    return name


def _toml(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but for DEL, which TOML escapes too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def keep_template(name: str, text: str, folder: Path) -> Path:
    """Save a template written by hand (the TOML ``text``) as ``name`` in ``folder``.

    With no ``file_headers`` of its own it is tried on every file read without --template,
    before the built-in templates. The text is read first, and refused with TemplateError
    (saying what is wrong) rather than saved broken; so is a name that cannot be one.
    """
    name = _checked_name(name)
    path = folder / f"{name}.toml"
    parse_template(text, name=name, source=path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        raise TemplateError(f"{path}: the template cannot be written ({error.strerror}).") from None
    return path


def template_named(name: str, folder: Path) -> Template | None:
    """The saved template ``name`` in ``folder``, or None when there is none of that name."""
    path = folder / f"{name.strip()}.toml"
    if not _NAME.fullmatch(name.strip()) or not path.is_file():
        return None
    return load_template(path)
