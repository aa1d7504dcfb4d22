"""Which of the user's columns feeds which payment field, and what their words mean.

Headers are matched without regard to case, accents, spaces and punctuation, so
"Nº factura", "Invoice #" and "INVOICE NUMBER" all find the invoice field.

A template says all of that for one kind of spreadsheet. The built-in ones live as commented
TOML files in the repository's ``templates/`` folder, where an accountant can read and copy
them; ``--template PATH`` takes their own copy.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from string import Formatter
from typing import Any, get_args

from importer.api.models import PaymentMode
from importer.check.values import DATE_FORMATS
from importer.currencies import is_currency
from importer.errors import MappingError, TemplateError

# The payment fields a row can feed, in the order a report lists them.
FIELDS = (
    "invoice",
    "amount",
    "payment_date",
    "method",
    "cheque_number",
    "card_brand",
    "card_last4",
    "reference",
    "notes",
    "currency",
    "allow_duplicate",
)

FIELD_LABELS = {
    "invoice": "invoice number or id",
    "amount": "amount",
    "payment_date": "payment date",
    "method": "payment method",
    "cheque_number": "cheque number",
    "card_brand": "card brand",
    "card_last4": "card last 4 digits",
    "reference": "reference",
    "notes": "notes",
    "currency": "currency",
    "allow_duplicate": "allow duplicate (yes or no)",
}

MODES: tuple[str, ...] = get_args(PaymentMode)

# Built-in templates sit beside the package: installs are editable (pip install -e .).
# In the package, so that an installed importer carries them; the templates/ folder at the
# top of the repository is the copy users read, held identical by tests/test_packaging.py.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


# "Nº", "N°" (the degree sign many keyboards give) and "Nª" are all written for "number".
_NUMBER_SIGNS = str.maketrans({"º": "o", "°": "o", "ª": "o"})


def normalise(text: str) -> str:
    """Lower case, no accents, letters and digits only: the form headers are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NUMBER_SIGNS))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Method:
    """What a method word in the file means: a mode, and for card words the brand."""

    mode: PaymentMode
    brand: str | None = None


DEFAULT_HEADERS: Mapping[str, Sequence[str]] = {
    "invoice": (
        "Invoice",
        "Invoice #",
        "Invoice No.",
        "Invoice Number",
        "Invoice ID",
        "Factura",
        "Nº factura",
        "Número de factura",
    ),
    "amount": ("Amount", "Amount Paid", "Payment Amount", "Importe", "Monto"),
    "payment_date": ("Date", "Payment Date", "Date Paid", "Fecha", "Fecha de pago"),
    "method": ("Method", "Payment Method", "Mode", "Forma de pago", "Método de pago"),
    "cheque_number": ("Cheque No.", "Cheque Number", "Check Number", "Check No.", "Nº cheque"),
    "card_brand": ("Card Type", "Card Brand", "Brand", "Tarjeta tipo", "Marca"),
    "card_last4": ("Last 4", "Card Last 4", "Last Four", "Últimos 4"),
    "reference": ("Reference", "Ref", "Referencia"),
    "notes": ("Notes", "Memo", "Notas", "Concepto"),
    "currency": ("Currency", "Moneda"),
    "allow_duplicate": (
        "Allow duplicate",
        "Allow duplicates",
        "Duplicate OK",
        "Permitir duplicado",
    ),
}

# In the order a drop-down offers them: the common words first.
DEFAULT_METHOD_WORDS: Mapping[str, Method] = {
    "Cash": Method("cash"),
    "Cheque": Method("cheque"),
    "Bank transfer": Method("bank_transfer"),
    "Card": Method("card"),
    "Visa": Method("card", "Visa"),
    "Mastercard": Method("card", "Mastercard"),
    "Amex": Method("card", "Amex"),
    "Other": Method("other"),
    "Efectivo": Method("cash"),
    "Transferencia": Method("bank_transfer"),
    "Tarjeta": Method("card"),
    "Otro": Method("other"),
    "Check": Method("cheque"),
    "Cheques": Method("cheque"),
    "Credit card": Method("card"),
    "Debit card": Method("card"),
    "American Express": Method("card", "Amex"),
    "Discover": Method("card", "Discover"),
    "Transfer": Method("bank_transfer"),
    "Wire": Method("bank_transfer"),
    "Wire transfer": Method("bank_transfer"),
    "ACH": Method("bank_transfer"),
}

DEFAULT_METHODS: Mapping[str, Method] = {
    normalise(word): method for word, method in DEFAULT_METHOD_WORDS.items()
}


@dataclass(frozen=True)
class Template:
    """How one kind of spreadsheet maps onto a payment.

    ``date_format`` and ``decimal`` are carried as the accountant wrote them (such as
    "DD/MM/YYYY" and ","), for the amount and date readers to use.
    """

    name: str
    headers: Mapping[str, Sequence[str]] = field(default_factory=lambda: DEFAULT_HEADERS)
    methods: Mapping[str, Method] = field(default_factory=lambda: DEFAULT_METHODS)
    required: tuple[str, ...] = ("invoice", "amount", "payment_date", "method")
    description: str = ""
    constants: Mapping[str, str] = field(default_factory=dict)
    notes: str | None = None
    date_format: str | None = None
    decimal: str | None = None
    max_age_days: int = 400
    method_words: tuple[str, ...] = tuple(DEFAULT_METHOD_WORDS)
    # The columns a blank workbook for this template gets, in order.
    workbook_fields: tuple[str, ...] = tuple(f for f in FIELDS if f != "allow_duplicate")
    # Fields whose header list is in order of preference: of several in a file, the first wins.
    prefer_first: tuple[str, ...] = ()
    source: Path | None = field(default=None, compare=False)
    # The built-in template this one is based on (``based_on``), if any.
    based_on: str | None = None
    # A saved template's file headers: a file with the same headers is read with it by itself
    # (see ``check.saved``).
    file_headers: tuple[str, ...] = ()

    def method(self, word: str) -> Method | None:
        """The method a word in the file stands for, or None when it is not known."""
        return self.methods.get(normalise(word))

    @property
    def is_builtin(self) -> bool:
        """True for a template of the templates folder (or the default itself), not a user's."""
        return self.source is None or self.source.resolve().parent == TEMPLATES_DIR

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """Columns the template names beyond the payment fields (used only in notes)."""
        return tuple(name for name in self.headers if name not in FIELDS)


DEFAULT_TEMPLATE = Template(
    name="default",
    description="English or Spanish column names; a method column says how each row was paid.",
)


# A wrong column for these records the wrong money, date or invoice: when two columns could
# feed one of them (or a field the template requires), the file is refused rather than guess.
MUST_BE_CLEAR = ("invoice", "amount", "payment_date")


@dataclass(frozen=True)
class ColumnMap:
    """For each payment field found, the index and header of the column that feeds it."""

    columns: Mapping[str, tuple[int, str]]
    # For the user: which column was used where several matched one field, and why.
    notes: tuple[str, ...] = ()

    def header(self, field_name: str) -> str:
        """The file's header of the column that feeds ``field_name``."""
        return self.columns[field_name][1]


def map_columns(columns: Sequence[str], template: Template) -> ColumnMap:
    """Find each field's column, or raise MappingError naming what is missing and why.

    When several columns match one field, the one whose name holds each other's ("Payment
    Date" holds "Date") is used, or else the first in the template's list when the template
    prefers the first for that field. Otherwise a field in MUST_BE_CLEAR or required by the
    template is refused as ambiguous, and any other field takes the template's first choice.
    """
    forms = [normalise(header) for header in columns]
    found: dict[str, tuple[int, str]] = {}
    notes: list[str] = []
    unclear: dict[str, str] = {}
    for field_name, names in template.headers.items():
        rank: dict[str, int] = {}
        for position, name in enumerate(names):
            rank.setdefault(normalise(name), position)
        # In the template's order of preference, then left to right.
        ranked = sorted((rank[form], index) for index, form in enumerate(forms) if form in rank)
        hits = [index for _rank, index in ranked]
        if not hits:
            continue
        if len(hits) == 1:
            found[field_name] = (hits[0], columns[hits[0]])
            continue
        chosen = _most_specific(hits, forms)
        if chosen is not None:
            why = "the more specific name wins"
        elif field_name in template.prefer_first:
            chosen = hits[0]
            why = f"the template prefers {columns[chosen]!r}"
        elif field_name in MUST_BE_CLEAR or field_name in template.required:
            unclear[field_name] = _unclear_message(
                field_name, [columns[i] for i in sorted(hits)], template
            )
            continue
        else:
            chosen = hits[0]
            why = f"the template lists {columns[chosen]!r} first"
        others = " or ".join(repr(columns[index]) for index in hits if index != chosen)
        notes.append(
            f"Column {columns[chosen]!r} gives the {_label(field_name)}, not {others} ({why})."
        )
        found[field_name] = (chosen, columns[chosen])
    missing = [
        name
        for name in template.required
        if name not in found and name not in unclear and not template.constants.get(name)
    ]
    if missing or unclear:
        # A header that feeds another field is no candidate for a missing one.
        used = {index for index, _header in found.values()}
        spare = [header if index not in used else "" for index, header in enumerate(columns)]
        lines = [_missing_message(missing, columns, spare, template)] if missing else []
        raise MappingError(" ".join([*lines, *unclear.values(), "Nothing was sent."]))
    return ColumnMap(found, tuple(notes))


def _most_specific(hits: Sequence[int], forms: Sequence[str]) -> int | None:
    """The column whose name holds every other matching name, or None when none does."""
    for index in hits:
        form = forms[index]
        if all(other == index or (forms[other] != form and forms[other] in form) for other in hits):
            return index
    return None


def _unclear_message(field_name: str, headers: Sequence[str], template: Template) -> str:
    label = _label(field_name)
    if len(headers) == 2:
        rename = "the one that is not (or delete it)"
    else:
        rename = "the ones that are not (or delete them)"
    if len({normalise(header) for header in headers}) < len(headers):
        # Columns with the same name: only the file can tell them apart.
        return (
            f"{len(headers)} columns named alike ({', '.join(map(repr, headers))}) could each "
            f"be the {label}, and the importer does not guess which. Rename {rename}."
        )
    shown = [repr(header) for header in headers]
    listed = " and ".join([", ".join(shown[:-1]), shown[-1]])
    example = f"{field_name} = [{_toml_string(headers[0])}]"
    if not template.is_builtin:
        settle = (
            f"or in {template.source}, under [columns], keep only the right one, such as {example}"
        )
    else:
        settle = (
            f'or make your own template with based_on = "{template.name}" and, under [columns], '
            f"only the right one, such as {example}, and run with --template your-template.toml"
        )
    return (
        f"Columns {listed} could each be the {label}, and the importer does not guess which. "
        f"Rename {rename}, {settle}."
    )


def _toml_string(text: str) -> str:
    # A line the user can copy into a template as it is.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def closest_headers(
    field_name: str, columns: Sequence[str], template: Template
) -> list[tuple[str, str]]:
    """Up to 3 of the file's headers most like a name the field accepts, each with that name."""
    wanted = template.headers.get(field_name, ())
    scored = []
    for header in columns:
        form = normalise(header)
        if not form:
            continue
        score, name = 0.0, ""
        for candidate in wanted:  # the earliest of equally close names, the template's usual one
            ratio = SequenceMatcher(None, form, normalise(candidate)).ratio()
            if ratio > score:
                score, name = ratio, candidate
        if score >= 0.6:
            scored.append((-score, header, name))
    return [(header, name) for _score, header, name in sorted(scored)[:3]]


def _label(field_name: str) -> str:
    return FIELD_LABELS.get(field_name, field_name.replace("_", " "))


def _missing_message(
    missing: list[str], columns: Sequence[str], spare: Sequence[str], template: Template
) -> str:
    lines = [f"The file's columns are: {', '.join(repr(c) for c in columns if c)}."]
    for field_name in missing:
        names = template.headers.get(field_name, ())
        wanted = ", ".join(repr(name) for name in names[:4])
        close = closest_headers(field_name, spare, template)
        hint = ""
        if close:
            header, name = close[0]
            hint = f" The closest header is {header!r}: rename it to {name!r}."
            if len(close) > 1:
                others = " or ".join(repr(h) for h, _n in close[1:])
                hint = hint[:-1] + f" (or rename {others})."
        lines.append(
            f"No column gives the {_label(field_name)} (expected a header such as {wanted}).{hint}"
        )
    return " ".join(lines)


# Which rows need a field that only some rows need, in the words of a message.
_ROWS_THAT_NEED = {
    "cheque_number": "the cheque rows need it",
    "card_brand": "the card rows whose method names no brand (such as Visa) need it",
    "card_last4": "the card rows need it",
}


def missing_column_message(
    needs: Mapping[str, Sequence[int]],
    columns: Sequence[str],
    column_map: ColumnMap,
    template: Template,
) -> str:
    """Why a file is refused whose rows need a column it does not have (a cheque's number)."""
    used = {index for index, _header in column_map.columns.values()}
    spare = [header if index not in used else "" for index, header in enumerate(columns)]
    lines = []
    for field_name in sorted(needs, key=list(_ROWS_THAT_NEED).index):
        rows = needs[field_name]
        shown = ", ".join(str(row) for row in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        names = template.headers.get(field_name, ())
        close = closest_headers(field_name, spare, template)
        if not names:
            what_next = (
                f"The template has no [columns] entry for it: add a line such as "
                f'{field_name} = ["Its header"] and a column of that name.'
            )
        elif close:
            header, name = close[0]
            what_next = (
                f"Expected a header such as {', '.join(map(repr, names[:4]))}. The closest "
                f"header is {header!r}: rename it to {name!r}."
            )
        else:
            what_next = (
                f"Expected a header such as {', '.join(map(repr, names[:4]))}: add a column "
                f"named {names[0]!r}."
            )
        lines.append(
            f"No column gives the {_label(field_name)}, and {_ROWS_THAT_NEED[field_name]} "
            f"(row{'s' if len(rows) > 1 else ''} {shown}{more}). {what_next}"
        )
    lines.append("Nothing was sent.")
    return " ".join(lines)


_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")
_NAME = re.compile(r"[A-Za-z0-9_]+")


class NotesPattern:
    """A notes pattern such as "Cheque {cheque_number}[ from {payer}]", read once per file."""

    def __init__(self, pattern: str) -> None:
        # Cut into (names that must all be filled, or () for a part always kept; format text).
        self.parts: list[tuple[tuple[str, ...], str]] = []
        at = 0
        for match in _OPTIONAL.finditer(pattern):
            self.parts.append(((), pattern[at : match.start()]))
            segment = match.group(1)
            self.parts.append((tuple(_PLACEHOLDER.findall(segment)), segment))
            at = match.end()
        self.parts.append(((), pattern[at:]))
        self.parts = [(needed, part) for needed, part in self.parts if part]
        self.names = tuple(dict.fromkeys(_PLACEHOLDER.findall(pattern)))
        # Each part also taken apart into its texts and names, so that a row's notes are
        # joined rather than formatted: str.format, once per part, was a tenth of a row's time.
        self._pieces = [(needed, part, _pieces(part)) for needed, part in self.parts]

    def fill(self, values: Mapping[str, str]) -> str:
        """The notes for one row, ``values`` holding every name; a [part] with an empty one goes."""
        kept: list[str] = []
        for needed, part, pieces in self._pieces:
            for name in needed:
                if not values[name]:
                    break
            else:
                if pieces is None:
                    kept.append(part.format_map(values))
                    continue
                for text, name in pieces:
                    kept.append(text)
                    if name:
                        kept.append(values[name])
        return _single_spaced("".join(kept))


def _single_spaced(text: str) -> str:
    """``text`` with every run of white space made one space, and none at either end."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Most notes are already so; splitting them into words to join them again was a
        # twentieth of a row's time. Every white space but " " is unprintable.
        return text
    return " ".join(text.split())


def _pieces(part: str) -> tuple[tuple[str, str], ...] | None:
    """(text, name) pairs that joined give ``part.format_map``, or None if it needs str.format.

    Only plain {name} placeholders qualify; a format spec, a conversion, an index or a broken
    brace leaves the part to str.format, which reads (or refuses) it exactly as before.
    """
    try:
        parsed = list(Formatter().parse(part))
    except ValueError:
        return None
    pieces = []
    for text, name, spec, conversion in parsed:
        if name is not None and (not _NAME.fullmatch(name) or name.isdigit() or spec or conversion):
            return None
        pieces.append((text, name or ""))
    return tuple(pieces)


def compose_notes(pattern: str, values: Mapping[str, str]) -> str:
    """Fill a notes pattern; a [bracketed part] is left out when one of its columns is empty."""
    compiled = NotesPattern(pattern)
    return compiled.fill({name: values.get(name, "") for name in compiled.names})


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


_Fail = Callable[[str], TemplateError]
_SETTINGS = (
    "description",
    "based_on",
    "required",
    "prefer_first",
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


def _load_file(path: Path, *, seen: tuple[str, ...]) -> Template:
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
    return _parse(path, data, seen=seen)


def _parse(path: Path, data: Mapping[str, Any], *, seen: tuple[str, ...]) -> Template:
    def fail(message: str) -> TemplateError:
        return TemplateError(f"{path}: {message}")

    unknown = [key for key in data if key not in _TOP_KEYS]
    if unknown:
        raise fail(
            f"unknown setting {unknown[0]!r}. The settings a template can have are: "
            f"{', '.join(_TOP_KEYS)}."
        )
    base = DEFAULT_TEMPLATE
    if "based_on" in data:
        parent = _text(data["based_on"], "based_on", fail)
        if parent in seen or (parent == path.stem and path.parent == TEMPLATES_DIR):
            raise fail(f"based_on {parent!r} leads back to itself.")
        if not (TEMPLATES_DIR / f"{parent}.toml").is_file():
            raise fail(f"based_on {parent!r}: no built-in template has that name.")
        base = _load_file(TEMPLATES_DIR / f"{parent}.toml", seen=(*seen, path.stem))
        headers: dict[str, Sequence[str]] = dict(base.headers)
        method_words: dict[str, Method] = {
            word: base.methods[normalise(word)] for word in base.method_words
        }
    else:
        headers, method_words = {}, {}
    own_columns = _table(data, "columns", fail)
    for field_name, names in own_columns.items():
        headers[field_name] = _header_names(names, field_name, fail)
    for word, meaning in _table(data, "methods", fail).items():
        method_words[word] = _method(word, meaning, fail)
    if not headers:
        raise fail("the [columns] table is missing: it says which columns feed which field.")
    if "based_on" not in data and not method_words:
        method_words = dict(DEFAULT_METHOD_WORDS)
    methods = {normalise(word): method for word, method in method_words.items()}

    constants: dict[str, str] = {}
    for key, value in _table(data, "constants", fail).items():
        # The API calls the method "mode"; an accountant reading its documentation may too.
        name = "method" if key == "mode" else key
        if name in constants:
            raise fail("[constants] has both method and mode, which are the same: keep one.")
        constants[name] = _text(value, f"constants.{key}", fail)
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

    required = base.required
    if "required" in data:
        required = tuple(_header_names(data["required"], "required", fail))
    for name in required:
        if name not in headers and name not in constants:
            raise fail(
                f"required {name!r} has no entry in [columns]: add a line such as "
                f'{name} = ["Header in the file"].'
            )

    # A preference belongs to the list it was written for: a field given its own list here
    # keeps no preference from the template it is based on.
    prefer_first = [name for name in base.prefer_first if name not in own_columns]
    if "prefer_first" in data:
        prefer_first += _header_names(data["prefer_first"], "prefer_first", fail)
    for name in prefer_first:
        if name not in headers:
            raise fail(f"prefer_first {name!r} has no entry in [columns].")

    notes = base.notes
    if "notes" in data:
        notes = _text(data["notes"], "notes", fail) or None
    if notes is not None:
        _check_notes(notes, headers, fail)

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

    # Never inherited: a copy of a template describes itself, and is saved for its own file.
    description = _text(data.get("description", ""), "description", fail)
    file_headers = data.get("file_headers", [])
    if not isinstance(file_headers, list) or not all(isinstance(h, str) for h in file_headers):
        raise fail('file_headers must be a list of headers in double quotes, such as ["Invoice"].')
    return Template(
        name=path.stem,
        headers=headers,
        methods=methods,
        required=required,
        description=description,
        constants=constants,
        notes=notes,
        date_format=date_format,
        decimal=decimal,
        max_age_days=max_age_days,
        method_words=tuple(method_words),
        prefer_first=tuple(dict.fromkeys(prefer_first)),
        workbook_fields=tuple(
            name for name in own_columns if name not in constants and name != "allow_duplicate"
        ),
        source=path,
        based_on=data.get("based_on"),
        file_headers=tuple(file_headers),
    )


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


def _check_notes(pattern: str, headers: Mapping[str, Sequence[str]], fail: _Fail) -> None:
    known = set(FIELDS) | set(headers)
    for name in _PLACEHOLDER.findall(pattern):
        if name not in known:
            raise fail(
                f"notes: {{{name}}} is not a field or a column in [columns]. Add "
                f'{name} = ["Its header"] under [columns], or use one of: '
                f"{', '.join(sorted(known))}."
            )
    if re.search(r"[{}]", _PLACEHOLDER.sub("", pattern)):
        raise fail("notes: curly brackets are only for names such as {cheque_number}.")
    if re.search(r"[\[\]]", _OPTIONAL.sub("", pattern)):
        raise fail("notes: a square bracket is not closed (or one sits inside another).")
