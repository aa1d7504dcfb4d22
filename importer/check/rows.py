"""Rows of text -> payments ready to send, or a list of plain-words problems.

Every row goes through the same rules (``row_rules``), then the rows that repeat an earlier
one are found (``duplicates``), and the rows gathered into the payments the payer made
(``payments``). Every problem of every row is gathered so the user fixes the file once. What
comes out (payments, rows passed over, problems) is ``validation``'s.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from importer.check.content import Sample
from importer.check.duplicates import find_duplicates
from importer.check.mapping import ColumnMap, map_columns, missing_column_message
from importer.check.payments import Place, group_payments
from importer.check.problems import RowProblem
from importer.check.repeated import repeated_amount_message
from importer.check.row_rules import RowChecker
from importer.check.templates import Template
from importer.check.validation import InFull, PassedOver, Payment, Validation
from importer.check.values import (
    date_order_option,
    decimal_option,
    infer_date_order,
    infer_decimal,
)
from importer.errors import MappingError
from importer.read.layout import PaymentsFile


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a file is checked.

    Every payment made here lives to the end of the run and holds no reference cycle, yet the
    collector would scan all of them again and again as they pile up: the 100k-row workbook
    of benchmarks/bench_validate.py took 4.7 to 6.5 s to read and check with it running, and
    3.3 to 4.5 s with it paused, against a target of 5 s. Afterwards the survivors go straight
    to the oldest generation (freeze, unfreeze), so the next young collection skips them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


@_collector_paused()
def validate_file(
    payments_file: PaymentsFile,
    template: Template,
    *,
    today: date,
    max_age_days: int | None = None,
    allow_duplicates: bool = False,
    decimal: str | None = None,
    date_format: str | None = None,
    column_map: ColumnMap | None = None,
) -> Validation:
    """Check every row of the file; MappingError when its columns cannot feed a payment.

    ``max_age_days`` defaults to the template's. A row that repeats an earlier one is a
    problem unless ``allow_duplicates`` or its allow_duplicate cell says yes. The decimal mark
    and the date order are settled once per column from all of its values (``decimal`` and
    ``date_format``, or else the template's, override); InputFileError when a column cannot
    settle it. ``column_map`` is the file's, when already found (see ``map_file``).
    """
    if column_map is None:
        column_map = map_file(payments_file, template)
    # Workbook number cells are numbers, written with "." whatever the column's text says.
    numbers = (
        payments_file.number_cells.get(column_map.columns["amount"][0], frozenset())
        if "amount" in column_map.columns
        else frozenset()
    )
    decimal_mark = decimal_option(decimal or template.decimal) or infer_decimal(
        (
            cell
            for cell in _column_cells(payments_file, column_map, "amount")
            if cell[0] not in numbers
        ),
        column=_header(column_map, "amount"),
    )
    date_order = date_order_option(date_format or template.date_format) or infer_date_order(
        _column_cells(payments_file, column_map, "payment_date"),
        column=_header(column_map, "payment_date"),
    )
    checker = RowChecker(
        column_map,
        template,
        file_name=payments_file.path.name,
        today=today,
        max_age_days=template.max_age_days if max_age_days is None else max_age_days,
        decimal=decimal_mark,
        date_order=date_order,
        number_rows=numbers,
        total_number_rows=(
            payments_file.number_cells.get(column_map.columns["payment_total"][0], frozenset())
            if "payment_total" in column_map.columns
            else frozenset()
        ),
        unused_number_rows=(
            payments_file.number_cells.get(column_map.columns["unused"][0], frozenset())
            if "unused" in column_map.columns
            else frozenset()
        ),
    )
    payments: list[Payment] = []
    in_full: list[InFull] = []
    problems: list[RowProblem] = []
    empty: list[int] = []
    passed: dict[int, PassedOver] = {}
    for source in payments_file.rows:
        outcome = checker.check(source)
        if outcome is None:
            empty.append(source.number)
        elif isinstance(outcome, PassedOver):
            passed[source.number] = outcome
        elif isinstance(outcome, tuple):
            payments.extend(outcome)
        elif isinstance(outcome, InFull):
            in_full.append(outcome)
        else:
            problems.extend(outcome)
    if checker.needs_column:
        raise MappingError(
            missing_column_message(
                checker.needs_column,
                payments_file.columns,
                column_map,
                template,
                Sample([row.cells for row in payments_file.rows]),
            )
        )
    duplicates = (
        {}
        if allow_duplicates
        else find_duplicates(checker.keyed_rows, allowed=checker.duplicate_allowed)
    )
    problems.extend(duplicates.values())
    grouping = group_payments(
        checker.written,
        file_name=payments_file.path.name,
        mark=decimal_mark or ".",
        invoice_header=_header(column_map, "invoice"),
        total_header=_header(column_map, "payment_total"),
        amount_header=_header(column_map, "amount"),
        unused_header=_header(column_map, "unused"),
    )
    if grouping.remittances:
        refused = repeated_amount_message(
            grouping.remittances,
            checker.written,
            {source.number: source for source in payments_file.rows},
            column_map,
            template,
            mark=decimal_mark or ".",
        )
        if refused is not None:
            raise MappingError(refused)
    problems.extend(grouping.problems)
    invalid = frozenset(p.row for p in problems)
    if duplicates or grouping.problems:
        # Keep the report in file order, each row's problems in the order they were found.
        problems.sort(key=lambda item: item.row)
    if invalid:
        payments = [p for p in payments if p.row not in invalid]
    notes = grouping.notes
    if notes:
        payments = [
            dataclasses.replace(p, notes=notes[p.place]) if p.place in notes else p
            for p in payments
        ]
    return Validation(
        payments,
        problems,
        invalid,
        frozenset(empty),
        column_map.notes + checker.decisions() + grouping.unused,
        in_full=tuple(
            dataclasses.replace(
                row,
                notes=tuple(
                    notes[Place(row.payment.row, n)] for n in range(1, len(row.invoices) + 1)
                ),
            )
            for row in in_full
            if row.payment.row not in invalid
        ),
        remittances=grouping.remittances,
        passed_over=passed,
        column_map=column_map,
    )


def map_file(payments_file: PaymentsFile, template: Template) -> ColumnMap:
    """Which column feeds each field, from the headers and a sample of the rows' cells."""
    sample = Sample([row.cells for row in payments_file.rows])
    return map_columns(payments_file.columns, template, sample)


def _column_cells(
    payments_file: PaymentsFile, column_map: ColumnMap, field_name: str
) -> list[tuple[int, str]]:
    if field_name not in column_map.columns:
        return []
    index = column_map.columns[field_name][0]
    return [
        (source.number, source.cells[index].strip())
        for source in payments_file.rows
        if index < len(source.cells)
    ]


def _header(column_map: ColumnMap, field_name: str) -> str:
    return column_map.header(field_name) if field_name in column_map.columns else field_name
