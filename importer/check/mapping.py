"""Which of the file's columns feeds each payment field, and the message when none or two do.

Headers are matched without regard to case, accents, spaces and punctuation, so
"Nº factura", "Invoice #" and "INVOICE NUMBER" all find the invoice field. The headers each
field accepts come from the template (see ``templates``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from importer.check import content, shares
from importer.check.templates import FIELDS, Method, Template, header_form, normalise
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
    "money_out": "money paid out",
    "balance": "balance",
    "payment_total": "total of a payment for several invoices",
    "unused": "money of a payment not applied to any invoice",
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
    # The file's headers, every column's.
    header_row: tuple[str, ...] = ()
    # Columns that say what a line is (Status, Type): a line that says Pending is no payment.
    status_columns: tuple[int, ...] = ()
    # Columns named after a method that hold amounts (Square's "Card" and "Cash"): the one
    # with money in it says how a row with no method word was paid.
    tenders: Mapping[int, Method] = field(default_factory=dict)
    # Fields whose column was found by what its cells hold, no header naming it.
    by_content: frozenset[str] = frozenset()

    def header(self, field_name: str) -> str:
        """The file's header of the column that feeds ``field_name``."""
        return self.columns[field_name][1]


def map_columns(
    columns: Sequence[str], template: Template, sample: content.Sample = content.NO_SAMPLE
) -> ColumnMap:
    """Find each field's column, or raise MappingError naming what is missing and why.

    A field takes the columns its headers name, the template's own names before those only
    other templates know; of several, one whose ``sample`` cells contradict the field
    (amounts under "Card", a header for the last 4 digits) is passed over. Of several left,
    the template's first when it prefers the first for that field, else the one whose name
    holds each other's ("Payment Date" holds "Date"). Otherwise a field in MUST_BE_CLEAR or
    required by the template is refused as ambiguous, and any other field takes the
    template's first choice. A required invoice, amount or payment date that no header
    names is looked for by content, in the sample. Beside a column of each invoice's share
    of a payment, one of what the payment came to in all is its total (see ``shares``).
    """
    forms = [header_form(header) for header in columns]
    found: dict[str, tuple[int, str]] = {}
    notes: list[str] = []
    unclear: dict[str, str] = {}
    status: list[int] = []
    split = shares.split_amounts(columns, sample)
    for field_name, names in template.headers.items():
        hits = _hits(field_name, names, forms, template)
        if split is not None:
            hits = _beside_split(field_name, hits, split, columns, found, notes)
        wrong = [i for i in hits if sample.contradicts(field_name, i)]
        if wrong and len(wrong) < len(hits):
            # Of two columns named for a field, the one whose cells cannot be it is not it;
            # a column alone keeps its name, and its rows say what is wrong with each cell.
            for index in wrong:
                notes.append(_passed_over(columns[index], field_name, sample.cells(index)))
                hits.remove(index)
        if not hits:
            continue
        if field_name == "status":
            status = sorted(hits)
            continue
        if len(hits) == 1:
            found[field_name] = (hits[0], columns[hits[0]])
            continue
        if field_name in template.prefer_first:
            chosen: int | None = hits[0]
            why = f"the template prefers {quoted(columns[hits[0]])}"
        else:
            chosen = _most_specific(hits, forms)
            why = "the more specific name wins"
        if chosen is None and (field_name in MUST_BE_CLEAR or field_name in template.required):
            unclear[field_name] = _unclear_message(
                field_name, [columns[i] for i in sorted(hits)], template
            )
            continue
        if chosen is None:
            chosen = hits[0]
            why = f"the template lists {quoted(columns[chosen])} first"
        others = " or ".join(quoted(columns[index]) for index in hits if index != chosen)
        notes.append(
            f"Column {quoted(columns[chosen])} gives the {_label(field_name)}, not {others} "
            f"({why})."
        )
        found[field_name] = (chosen, columns[chosen])
    # Money a payment left unused makes its total with the parts, never its amount.
    unused = shares.unused_column(columns, sample, {index for index, _h in found.values()})
    if unused is not None and "payment_total" in found:
        found["unused"] = (unused, columns[unused])
    tenders = _tenders(columns, template, sample, found) if "method" not in found else {}
    known = set(found)
    notes.extend(_by_content(columns, template, sample, found, unclear))
    by_content = frozenset(found) - known
    missing = [
        name
        for name in template.required
        if name not in found
        and name not in unclear
        and not template.constants.get(name)
        and not (name == "method" and tenders)
    ]
    if missing or unclear:
        # A header that feeds another field is no candidate for a missing one.
        used = {index for index, _header in found.values()}
        spare = [header if index not in used else "" for index, header in enumerate(columns)]
        lines = [_missing_message(missing, columns, spare, template, sample)] if missing else []
        raise MappingError(" ".join([*lines, *unclear.values(), "Nothing was sent."]))
    if tenders:
        named = " and ".join(quoted(columns[index]) for index in tenders)
        notes.append(
            f"No column gives the payment method: each row's is the one of {named} that holds "
            "its money."
        )
    return ColumnMap(found, tuple(notes), tuple(columns), tuple(status), tenders, by_content)


def _beside_split(
    field_name: str,
    hits: list[int],
    split: shares.Split,
    columns: Sequence[str],
    found: dict[str, tuple[int, str]],
    notes: list[str],
) -> list[int]:
    """The columns left to map ``field_name`` from, in a file with a share and a whole.

    Each invoice's share is the amount; the payment's whole is its total, unless another
    column is named for the total itself.
    """
    if field_name == "amount":
        found["amount"] = (split.share, columns[split.share])
        return []
    if field_name != "payment_total":
        return hits
    others = [index for index in hits if index not in (split.share, split.whole)]
    if others:
        return others
    found["payment_total"] = (split.whole, columns[split.whole])
    notes.append(split.note)
    return []


def _hits(
    field_name: str, names: Sequence[str], forms: Sequence[str], template: Template
) -> list[int]:
    """The columns ``names`` name, in the template's order of preference, then left to right.

    When the template's own list for the field names some, those only.
    """
    rank: dict[str, int] = {}
    for position, name in enumerate(names):
        rank.setdefault(header_form(name), position)
    ranked = sorted((rank[form], index) for index, form in enumerate(forms) if form in rank)
    own = {header_form(name) for name in template.own_headers.get(field_name, ())}
    first = [index for _rank, index in ranked if forms[index] in own]
    return first or [index for _rank, index in ranked]


def _passed_over(header: str, field_name: str, cells: Sequence[str]) -> str:
    return (
        f"Column {quoted(header)} is not the {_label(field_name)}: its cells (such as "
        f"{quoted(cells[0])}) are not {_WHAT_FITS.get(field_name, 'that')}."
    )


_WHAT_FITS = {
    "invoice": "invoice numbers",
    "amount": "amounts",
    "money_out": "amounts",
    "balance": "amounts",
    "payment_date": "dates",
    "card_last4": "the last 4 digits of a card",
}


def _tenders(
    columns: Sequence[str],
    template: Template,
    sample: content.Sample,
    found: Mapping[str, tuple[int, str]],
) -> dict[int, Method]:
    """Columns named after a method word whose cells are amounts: "Card", "Cash" in a report."""
    used = {index for index, _header in found.values()}
    tenders: dict[int, Method] = {}
    for index, header in enumerate(columns):
        method = template.method(header) if header else None
        if method is not None and index not in used and sample.holds("amount", index):
            tenders[index] = method
    return tenders if len({m.mode for m in tenders.values()}) > 1 else {}


def _by_content(
    columns: Sequence[str],
    template: Template,
    sample: content.Sample,
    found: dict[str, tuple[int, str]],
    unclear: Mapping[str, str],
) -> list[str]:
    """The required invoice, amount or date that no header names, found by its cells.

    Only a column that feeds no other payment field is a candidate (a description feeding the
    notes is one: the invoice hides there), and only when it is the one column whose cells
    fit. A column that fits two missing fields is refused, naming both.
    """
    wanted = [
        name
        for name in content.BY_CONTENT
        if name in template.required and name not in found and name not in unclear
    ]
    if not wanted:
        return []
    # A description feeding the notes, or the reference the payer gave, may hold the invoice;
    # a column named for any other use (a balance, money paid out, a date of deposit) is no
    # candidate for the amount or the date.
    words = ("notes", "reference")
    fed = {index for name, (index, _h) in found.items() if name in FIELDS and name not in words}
    named = {index for index, _h in found.values()}
    fits: dict[str, list[int]] = {}
    for name in wanted:
        taken = fed if name == "invoice" else named
        judged = _invoices_judged_on(sample, template, found) if name == "invoice" else sample
        fits[name] = [
            i
            for i in range(len(columns))
            if i not in taken
            and judged.holds(name, i)
            and not (name == "amount" and shares.is_other_money(columns[i]))
        ]
    if len(fits.get("invoice", ())) > 1:
        judged = _invoices_judged_on(sample, template, found)
        # Invoices written in words ("INV-1031", "Invoice 1021") before bare numbers, which an
        # account or a cheque column has too; of several such, the one naming the most (a
        # note naming one now and then is where the invoice is looked for when it is missing).
        in_words = [i for i in fits["invoice"] if judged.holds("invoice_in_words", i)]
        counts = {i: judged.count_invoices(i) for i in in_words}
        most = [i for i in in_words if counts[i] == max(counts.values())]
        if len(most) > 1 and found.get("reference", (None,))[0] in most:
            # The reference the payer typed ("INV-1251") before the bank's sentence around it
            # ("Received money from ACME GMBH with reference INV-1251").
            most = [found["reference"][0]]
        fits["invoice"] = most if len(most) == 1 else in_words or fits["invoice"]
    claimed: dict[int, list[str]] = {}
    for name, indexes in fits.items():
        if len(indexes) == 1:
            claimed.setdefault(indexes[0], []).append(name)
    for index, names in claimed.items():
        if len(names) > 1:
            labels = " or the ".join(_label(name) for name in names)
            raise MappingError(
                f"Column {quoted(columns[index])} could be the {labels}, by what its cells hold "
                f"(such as {quoted(sample.cells(index)[0])}), and the importer does "
                f"not guess which. Give it a header such as {_example_headers(names, template)}"
                ". Nothing was sent."
            )
    notes = []
    for index, (name,) in claimed.items():
        found[name] = (index, columns[index])
        shown = content.example(name, sample.cells(index))
        notes.append(
            f"Column {quoted(columns[index] or _letters(index))} gives the {_label(name)}: no "
            f"header names it, and its cells read so (such as {quoted(shown)})."
        )
    return notes


def _invoices_judged_on(
    sample: content.Sample, template: Template, found: Mapping[str, tuple[int, str]]
) -> content.Sample:
    """The rows a statement's invoices are looked for on: those of money received."""
    if "amount" not in found or not (template.statement or "money_out" in found):
        return sample
    money_out = found["money_out"][0] if "money_out" in found else None
    received = sample.money_in(found["amount"][0], money_out)
    return received if received.rows else sample


def _example_headers(names: Sequence[str], template: Template) -> str:
    firsts = [repr(template.headers[name][0]) for name in names if template.headers.get(name)]
    return " or ".join(firsts)


def _letters(index: int) -> str:
    from importer.read.layout import column_letters

    return f"column {column_letters(index)}"


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
    missing: list[str],
    columns: Sequence[str],
    spare: Sequence[str],
    template: Template,
    sample: content.Sample = content.NO_SAMPLE,
) -> str:
    values = [c for c in columns if c and (content.is_date(c) or content.is_amount(c))]
    if len(values) >= 2:
        # A bank's export without headings (Wells Fargo's, HSBC's): its first payment would be
        # taken for names, and no name can say which column is the money.
        return (
            f"The first row holds values ({quoted(values[0])}, {quoted(values[1])}), not "
            "column names: the file has no header row, and the importer does not guess which "
            "column is which. Export it again with column headings, or add a first row naming "
            "each column (such as Date, Amount, Description)."
        )
    lines = [f"The file's columns are: {', '.join(quoted(c) for c in columns if c)}."]
    for field_name in missing:
        names = template.headers.get(field_name, ())
        wanted = ", ".join(repr(name) for name in names[:4])
        # Never a column whose cells say it is something else (text where dates should be).
        fitting = [
            "" if _not_for(field_name, header, index, sample) else header
            for index, header in enumerate(spare)
        ]
        close = closest_headers(field_name, fitting, template)
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


def _not_for(field_name: str, header: str, index: int, sample: content.Sample) -> bool:
    """True when the column cannot feed the field: its cells say it is something else, or,
    for the amount, its name says it is other money (what is due, what was left unused)."""
    if field_name == "amount" and shares.is_other_money(header):
        return True
    return sample.contradicts(field_name, index)


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
    sample: content.Sample = content.NO_SAMPLE,
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
        # Never a column whose cells say it is something else (amounts for a cheque's number).
        fitting = [
            "" if sample.contradicts(field_name, index) else header
            for index, header in enumerate(spare)
        ]
        close = closest_headers(field_name, fitting, template)
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
