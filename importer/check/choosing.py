"""The template a file is read with, when the user names none: the one that fits it best.

Every template is tried on the file's header and a sample of its rows (never the whole
file). A template fits when it finds a column for each field it requires; one that fixes the
method (cheque-deposit, bank-transfer...) fits only a file with no method column of its own,
and one that names the headers its kind of file has (a statement's balance, Stripe's
"Customer Facing Amount") only a file with one of them. Of those that fit, the one whose own
names cover the most of the file's columns is the most specific. The user's saved templates
are tried before the built-in ones: saving a template is how a user overrides the choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from importer.check.content import Sample
from importer.check.mapping import ColumnMap, map_columns
from importer.check.templates import Template, header_form
from importer.check.values import UnreadableValue, parse_amount
from importer.errors import MappingError


@dataclass(frozen=True)
class Choice:
    """The template chosen for a file, its columns, and the line that says so."""

    template: Template
    column_map: ColumnMap
    note: str


@dataclass(frozen=True)
class _Tried:
    template: Template
    column_map: ColumnMap | None
    refusal: str
    score: int


def choose_template(
    columns: Sequence[str],
    sample: Sample,
    *,
    saved: Sequence[Template] = (),
    builtin: Sequence[Template],
) -> Choice:
    """The most specific template that fits; MappingError when none does, or two tie.

    ``saved`` (the user's) are chosen among first, then ``builtin``.
    """
    tried_all: list[_Tried] = []
    for group in (saved, builtin):
        tried = [_try(template, columns, sample) for template in group]
        tried_all.extend(tried)
        fitting = sorted((t for t in tried if t.column_map is not None), key=lambda t: -t.score)
        if not fitting:
            continue
        best = fitting[0]
        if len(fitting) > 1 and fitting[1].score == best.score:
            first, second = sorted((best.template.name, fitting[1].template.name))
            raise MappingError(
                f"This file fits two templates equally, {first} and {second}, and the "
                f"importer does not guess which. Run again with --template {first} (or "
                f"--template {second}). Nothing was sent."
            )
        assert best.column_map is not None  # sorted from those that fit
        return Choice(best.template, best.column_map, _read_as(best.template))
    raise MappingError(_none_fits(tried_all))


def _try(template: Template, columns: Sequence[str], sample: Sample) -> _Tried:
    forms = {header_form(header) for header in columns if header}
    score = len(forms & template.own_forms)
    recognised = {header_form(name) for name in template.recognised_by}
    if recognised and not forms & recognised and not _signed(columns, template, sample):
        listed = ", ".join(repr(name) for name in template.recognised_by[:4])
        return _Tried(template, None, f"it reads files with a column such as {listed}", -1)
    try:
        column_map = map_columns(columns, template, sample)
    except MappingError as error:
        return _Tried(template, None, str(error), _missing_count(template, str(error)))
    if "method" in template.constants and "method" in column_map.columns:
        # The file says how each row was paid: a template that fixes the method is not it.
        return _Tried(template, None, "the file has a method column of its own", -1)
    return _Tried(template, column_map, "", score)


def _signed(columns: Sequence[str], template: Template, sample: Sample) -> bool:
    """True when a column named for the amount holds amounts below zero beside amounts above:
    money in and money out, as a statement writes them (Barclays', Xero's, Revolut's)."""
    names = {header_form(name) for name in template.headers.get("amount", ())}
    for index, header in enumerate(columns):
        if header and header_form(header) in names:
            signs = {_sign(cell) for cell in sample.cells(index)}
            if {-1, 1} <= signs:
                return True
    return False


def _sign(text: str) -> int:
    try:
        value = parse_amount(text)
    except UnreadableValue:
        return 0
    return (value > 0) - (value < 0)


def _missing_count(template: Template, refusal: str) -> int:
    """How near a template that does not fit came: minus the fields it found no column for."""
    return -1 - refusal.count("No column gives") - refusal.count("could each be")


def _read_as(template: Template) -> str:
    """The line that says which template was chosen; none for the default, as ever before."""
    if template.is_builtin and template.name == "default":
        return ""
    kind = template.kind or f"your template {template.name}"
    return f"Read as {kind} (template {template.name}); to read it otherwise, use --template."


def _none_fits(tried: Sequence[_Tried]) -> str:
    """Why no template fits: the one that came closest, and what it misses."""
    named = [t for t in tried if t.score != -1] or list(tried)
    # Of templates that come as close, the default: it reads the most kinds of file.
    closest = max(named, key=lambda t: (t.score, t.template.name == "default"))
    if closest.template.is_builtin and closest.template.name == "default":
        return closest.refusal  # as it always read: what the usual template misses
    refusal = closest.refusal.removesuffix(" Nothing was sent.")
    return (
        f"No template fits this file; the closest is {closest.template.name}. {refusal} "
        "Nothing was sent."
    )
