"""Which of the file's columns feeds each payment field, and the message when none or two do.

Headers are matched without regard to case, accents, spaces and punctuation, so
"Nº factura", "Invoice #" and "INVOICE NUMBER" all find the invoice field. The headers each
field accepts come from the template (see ``templates``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from importer.check.templates import Template, normalise
from importer.check.values import quoted
from importer.errors import MappingError

# How a message names each field.
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
    "payment_total": "total of a payment for several invoices",
}

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
            why = f"the template prefers {quoted(columns[chosen])}"
        elif field_name in MUST_BE_CLEAR or field_name in template.required:
            unclear[field_name] = _unclear_message(
                field_name, [columns[i] for i in sorted(hits)], template
            )
            continue
        else:
            chosen = hits[0]
            why = f"the template lists {quoted(columns[chosen])} first"
        others = " or ".join(quoted(columns[index]) for index in hits if index != chosen)
        notes.append(
            f"Column {quoted(columns[chosen])} gives the {_label(field_name)}, not {others} "
            f"({why})."
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
    shown = [quoted(header) for header in headers]
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
    lines = [f"The file's columns are: {', '.join(quoted(c) for c in columns if c)}."]
    for field_name in missing:
        names = template.headers.get(field_name, ())
        wanted = ", ".join(repr(name) for name in names[:4])
        close = closest_headers(field_name, spare, template)
        hint = ""
        if close:
            header, name = close[0]
            hint = f" The closest header is {quoted(header)}: rename it to {name!r}."
            if len(close) > 1:
                others = " or ".join(quoted(h) for h, _n in close[1:])
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
                f"header is {quoted(header)}: rename it to {name!r}."
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
