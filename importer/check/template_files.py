"""Template files: the built-in templates and a user's own, read from commented TOML.

The built-in ones live as commented TOML files in the repository's ``templates/`` folder,
where an accountant can read and copy them; ``--template PATH`` takes their own copy, which
may be ``based_on`` a built-in one. Every template also knows the headers and method words of
all the built-in ones, after its own. A mistake in a file is a ``TemplateError`` naming it.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from importer.check.notes import pattern_mistake
from importer.check.templates import (
    DEFAULT_METHOD_WORDS,
    FIELDS,
    LINE_FIELDS,
    MODES,
    NOT_IN_WORKBOOKS,
    TEMPLATES_DIR,
    Method,
    Template,
    normalise,
)
from importer.check.values import DATE_FORMATS
from importer.currencies import is_currency
from importer.errors import TemplateError

# The default before its file is read: what a template without based_on starts from.
_BARE_DEFAULT = Template(
    name="default",
    description="English or Spanish column names; a method column says how each row was paid.",
)


@dataclass(frozen=True)
class Vocabulary:
    """Every header and method word the built-in templates know, each template's own first."""

    headers: Mapping[str, tuple[str, ...]]
    methods: Mapping[str, Method]


@functools.cache
def vocabulary() -> Vocabulary:
    """The built-in templates' headers and method words together, the default's first."""
    headers: dict[str, list[str]] = {}
    methods: dict[str, Method] = {}
    names = sorted(builtin_names(), key=lambda name: name != "default")
    for name in names:
        own = _load_file(TEMPLATES_DIR / f"{name}.toml", seen=(), shared=False)
        for field_name, listed in own.own_headers.items():
            known = headers.setdefault(field_name, [])
            forms = {normalise(header) for header in known}
            known.extend(header for header in listed if normalise(header) not in forms)
        for word, method in own.methods.items():
            methods.setdefault(word, method)
    return Vocabulary({name: tuple(listed) for name, listed in headers.items()}, methods)


def _shared(template: Template) -> Template:
    """``template`` knowing every header and method word of the built-in ones, after its own."""
    known = vocabulary()
    headers: dict[str, Sequence[str]] = {}
    for field_name in dict.fromkeys((*template.own_headers, *known.headers)):
        own = tuple(template.own_headers.get(field_name, ()))
        forms = {normalise(name) for name in own}
        shared = known.headers.get(field_name, ())
        headers[field_name] = own + tuple(n for n in shared if normalise(n) not in forms)
    return replace(template, headers=headers, methods={**known.methods, **template.methods})


def builtin_names() -> list[str]:
    """The names of the built-in templates, sorted."""
    return sorted(path.stem for path in TEMPLATES_DIR.glob("*.toml"))


def builtin_templates() -> list[Template]:
    """Every built-in template, sorted by name."""
    return [load_template(name) for name in builtin_names()]


def load_template(name_or_path: str | Path) -> Template:
    """A built-in template by name, or a user's TOML file by path; TemplateError otherwise."""
    text = str(name_or_path)
    looks_like_path = (
        isinstance(name_or_path, Path)
        or text.lower().endswith(".toml")
        or "/" in text
        or "\\" in text
    )
    if looks_like_path:
        return _load_file(Path(text), seen=())
    path = TEMPLATES_DIR / f"{text}.toml"
    if not path.is_file():
        raise TemplateError(
            f"No built-in template named {text!r}. The built-in templates are: "
            f"{', '.join(builtin_names())}. For your own file, give its path (ending in .toml)."
        )
    return _load_file(path, seen=())


def parse_template(text: str, *, name: str, source: Path) -> Template:
    """A template from the text of a TOML file; TemplateError naming ``source`` if it is wrong."""
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"{source}: this is not a readable template ({error}).") from None
    return _shared(_parse(source, data, seen=(), name=name))


_Fail = Callable[[str], TemplateError]
_SETTINGS = (
    "description",
    "kind",
    "based_on",
    "required",
    "prefer_first",
    "recognised_by",
    "statement",
    "notes",
    "format",
    "columns",
    "constants",
    "file_headers",
)
_TOP_KEYS = (*_SETTINGS, "methods")
_FORMAT_KEYS = ("date", "decimal", "max_age_days")
# Ten years: older than that is a wrong year, never a payment to record now.
MAX_AGE_LIMIT = 3650


def _load_file(path: Path, *, seen: tuple[str, ...], shared: bool = True) -> Template:
    """The template of a TOML file; with ``shared``, knowing the built-in ones' vocabulary."""
    if not path.is_file():
        raise TemplateError(f"{path}: no such template file.")
    try:
        # Notepad may save with a byte-order mark, which TOML does not allow: drop it.
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise TemplateError(
            f"{path}: is not saved as UTF-8 text. Open it in a text editor and save it again "
            "choosing the UTF-8 encoding."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"{path}: this is not a readable template ({error}).") from None
    except OSError as error:
        raise TemplateError(f"{path}: cannot be read ({error.strerror}).") from None
    template = _parse(path, data, seen=seen, name=path.stem)
    return _shared(template) if shared else template


def _parse(path: Path, data: Mapping[str, Any], *, seen: tuple[str, ...], name: str) -> Template:
    def fail(message: str) -> TemplateError:
        return TemplateError(f"{path}: {message}")

    unknown = [key for key in data if key not in _TOP_KEYS]
    if unknown:
        raise fail(
            f"unknown setting {unknown[0]!r}. The settings a template can have are: "
            f"{', '.join(_TOP_KEYS)}."
        )
    base = _base(path, data, seen=seen, fail=fail)
    own_columns = _table(data, "columns", fail)
    headers, method_words = _columns_and_methods(data, base, own_columns, fail)
    methods = {normalise(word): method for word, method in method_words.items()}
    # A user's template may use every column and method word the built-in ones know; the
    # built-in ones are read on their own first, to make that vocabulary.
    builtin = path.resolve().parent == TEMPLATES_DIR
    known = headers if builtin else {**vocabulary().headers, **headers}
    constants = _constants(
        data, base, methods if builtin else {**vocabulary().methods, **methods}, fail
    )
    required = _required(data, base, known, constants, fail)
    prefer_first = _prefer_first(data, base, own_columns, known, fail)
    notes = base.notes
    if "notes" in data:
        notes = _text(data["notes"], "notes", fail) or None
    if notes is not None and (mistake := pattern_mistake(notes, {*FIELDS, *known})):
        raise fail(mistake)
    date_format, decimal, max_age_days = _format(data, base, fail)
    # Never inherited: a copy of a template describes itself, and is saved for its own file.
    description = _text(data.get("description", ""), "description", fail)
    kind = _text(data.get("kind", ""), "kind", fail)
    recognised_by = base.recognised_by if "based_on" in data else ()
    if "recognised_by" in data:
        recognised_by = _header_names(data["recognised_by"], "recognised_by", fail)
    statement = base.statement if "based_on" in data else False
    if "statement" in data:
        if not isinstance(data["statement"], bool):
            raise fail("statement must be true or false.")
        statement = data["statement"]
    file_headers = data.get("file_headers", [])
    if not isinstance(file_headers, list) or not all(isinstance(h, str) for h in file_headers):
        raise fail('file_headers must be a list of headers in double quotes, such as ["Invoice"].')
    return Template(
        name=name,
        kind=kind,
        headers=headers,
        own_headers=headers,
        recognised_by=recognised_by,
        statement=statement,
        methods=methods,
        required=required,
        description=description,
        constants=constants,
        notes=notes,
        date_format=date_format,
        decimal=decimal,
        max_age_days=max_age_days,
        method_words=tuple(method_words),
        prefer_first=prefer_first,
        # A blank workbook is for payments: no column for money out, a balance or a status.
        workbook_fields=tuple(
            name
            for name in own_columns
            if name not in constants and name not in NOT_IN_WORKBOOKS and name not in LINE_FIELDS
        ),
        source=path,
        based_on=data.get("based_on"),
        file_headers=tuple(file_headers),
    )


def _base(path: Path, data: Mapping[str, Any], *, seen: tuple[str, ...], fail: _Fail) -> Template:
    """The built-in template ``based_on`` names (its own words only), or the bare default."""
    if "based_on" not in data:
        return _BARE_DEFAULT
    parent = _text(data["based_on"], "based_on", fail)
    if parent in seen or (parent == path.stem and path.parent == TEMPLATES_DIR):
        raise fail(f"based_on {parent!r} leads back to itself.")
    if not (TEMPLATES_DIR / f"{parent}.toml").is_file():
        raise fail(f"based_on {parent!r}: no built-in template has that name.")
    return _load_file(TEMPLATES_DIR / f"{parent}.toml", seen=(*seen, path.stem), shared=False)


def _columns_and_methods(
    data: Mapping[str, Any], base: Template, own_columns: Mapping[str, Any], fail: _Fail
) -> tuple[dict[str, Sequence[str]], dict[str, Method]]:
    """The headers of each field and the method words: the base's, then the file's own."""
    headers: dict[str, Sequence[str]] = {}
    method_words: dict[str, Method] = {}
    if "based_on" in data:
        headers = dict(base.own_headers)
        method_words = {word: base.methods[normalise(word)] for word in base.method_words}
    for field_name, names in own_columns.items():
        headers[field_name] = _header_names(names, field_name, fail)
    for word, meaning in _table(data, "methods", fail).items():
        method_words[word] = _method(word, meaning, fail)
    if not headers:
        raise fail("the [columns] table is missing: it says which columns feed which field.")
    if "based_on" not in data and not method_words:
        method_words = dict(DEFAULT_METHOD_WORDS)
    return headers, method_words


def _constants(
    data: Mapping[str, Any], base: Template, methods: Mapping[str, Method], fail: _Fail
) -> dict[str, str]:
    # A template based on another keeps its constants (a bank-transfer copy its method).
    constants: dict[str, str] = dict(base.constants) if "based_on" in data else {}
    own: dict[str, str] = {}
    for key, value in _table(data, "constants", fail).items():
        # The API calls the method "mode"; an accountant reading its documentation may too.
        name = "method" if key == "mode" else key
        if name in own:
            raise fail("[constants] has both method and mode, which are the same: keep one.")
        own[name] = _text(value, f"constants.{key}", fail)
    constants.update(own)
    for key in constants:
        if key not in FIELDS:
            raise fail(f"[constants] {key!r} is not a payment field ({', '.join(FIELDS)}).")
    if "method" in constants and normalise(constants["method"]) not in methods:
        raise fail(
            f"[constants] method = {constants['method']!r} is not a method word the template "
            "knows: use cash, card, cheque, bank transfer or other."
        )
    if "currency" in constants and not is_currency(constants["currency"].upper()):
        raise fail(f"[constants] currency = {constants['currency']!r} is not a currency code.")
    return constants


def _required(
    data: Mapping[str, Any],
    base: Template,
    headers: Mapping[str, Sequence[str]],
    constants: Mapping[str, str],
    fail: _Fail,
) -> tuple[str, ...]:
    required = base.required
    if "required" in data:
        required = tuple(_header_names(data["required"], "required", fail))
    for name in required:
        if name not in headers and name not in constants:
            raise fail(
                f"required {name!r} has no entry in [columns]: add a line such as "
                f'{name} = ["Header in the file"].'
            )
    return required


def _prefer_first(
    data: Mapping[str, Any],
    base: Template,
    own_columns: Mapping[str, Any],
    headers: Mapping[str, Sequence[str]],
    fail: _Fail,
) -> tuple[str, ...]:
    # A preference belongs to the list it was written for: a field given its own list here
    # keeps no preference from the template it is based on.
    prefer_first = [name for name in base.prefer_first if name not in own_columns]
    if "prefer_first" in data:
        prefer_first += _header_names(data["prefer_first"], "prefer_first", fail)
    for name in prefer_first:
        if name not in headers:
            raise fail(f"prefer_first {name!r} has no entry in [columns].")
    return tuple(dict.fromkeys(prefer_first))


def _format(
    data: Mapping[str, Any], base: Template, fail: _Fail
) -> tuple[str | None, str | None, int]:
    """The [format] table: the date order, the decimal mark and the oldest date accepted."""
    form = _table(data, "format", fail)
    unknown = [key for key in form if key not in _FORMAT_KEYS]
    if unknown:
        raise fail(f"[format] {unknown[0]!r} is unknown; use {', '.join(_FORMAT_KEYS)}.")
    date_format = _text(form["date"], "format.date", fail) if "date" in form else base.date_format
    if date_format is not None and date_format.strip().upper() not in DATE_FORMATS:
        known = ", ".join(f'"{order}"' for order in DATE_FORMATS)
        raise fail(
            f"[format] date = {date_format!r}: use one of {known}. It says whether the day or "
            "the month comes first; dates written with dots or dashes (03.10.2026) are read too."
        )
    decimal = _text(form["decimal"], "format.decimal", fail) if "decimal" in form else base.decimal
    if decimal not in (None, ".", ","):
        raise fail(f'[format] decimal = {decimal!r}: use "." or ",".')
    max_age_days = form.get("max_age_days", base.max_age_days)
    if (
        not isinstance(max_age_days, int)
        or isinstance(max_age_days, bool)
        or not 1 <= max_age_days <= MAX_AGE_LIMIT
    ):
        raise fail(
            f"[format] max_age_days must be a whole number of days from 1 to {MAX_AGE_LIMIT}, "
            "such as 400."
        )
    return date_format, decimal, max_age_days


def _text(value: object, key: str, fail: _Fail) -> str:
    if not isinstance(value, str):
        raise fail(f'{key} must be text in double quotes, such as "cheque".')
    return value


def _table(data: Mapping[str, Any], key: str, fail: _Fail) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise fail(f"{key} must be a table: a line [{key}] followed by name = value lines.")
    return value


def _header_names(value: object, key: str, fail: _Fail) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(name, str) and normalise(name) for name in value)
    ):
        raise fail(
            f'{key} must be a list of names in double quotes, such as ["Invoice", "Factura"].'
        )
    return tuple(value)


def _method(word: str, meaning: object, fail: _Fail) -> Method:
    if not normalise(word):
        raise fail(f"[methods] {word!r} has no letters or digits.")
    if isinstance(meaning, dict):
        mode, brand = meaning.get("mode"), meaning.get("brand")
        extra = [key for key in meaning if key not in ("mode", "brand")]
        if extra or (brand is not None and not isinstance(brand, str)):
            raise fail(f'[methods] {word!r}: use {{ mode = "card", brand = "Visa" }}.')
    else:
        mode, brand = meaning, None
    if mode not in MODES:
        raise fail(f"[methods] {word!r} = {mode!r}: the method must be one of {', '.join(MODES)}.")
    return Method(mode, brand)


DEFAULT_TEMPLATE = load_template("default")
