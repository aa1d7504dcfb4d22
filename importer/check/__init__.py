"""Checking a file's rows: templates, column mapping, values, and each row into a payment.

templates   what a kind of spreadsheet calls each field; built-in and users' TOML files
mapping     which column feeds each field, or why none (or two) can
values      amounts and dates as accountants write them
fields      one cell read into its field, or the problem why not
notes       the notes each payment carries
rows        each row into a payment or its problems; validate_file
duplicates  rows that repeat an earlier payment of the same file
problems    a row problem, and how it is described
"""

from importer.check.fields import InvoiceRef
from importer.check.mapping import map_columns
from importer.check.notes import compose_notes
from importer.check.problems import RowProblem, describe_cell, problems_by_row, shown
from importer.check.rows import Payment, Validation, validate_file
from importer.check.templates import (
    DEFAULT_TEMPLATE,
    TEMPLATES_DIR,
    Method,
    Template,
    builtin_names,
    builtin_templates,
    load_template,
    normalise,
)
from importer.check.values import (
    DATE_FORMATS,
    DecimalMark,
    UnreadableValue,
    date_order_option,
    decimal_option,
    format_amount,
    infer_date_order,
    infer_decimal,
    parse_amount,
    parse_date,
)

__all__ = [
    "DATE_FORMATS",
    "DEFAULT_TEMPLATE",
    "TEMPLATES_DIR",
    "DecimalMark",
    "InvoiceRef",
    "Method",
    "Payment",
    "RowProblem",
    "Template",
    "UnreadableValue",
    "Validation",
    "builtin_names",
    "builtin_templates",
    "compose_notes",
    "date_order_option",
    "decimal_option",
    "describe_cell",
    "format_amount",
    "infer_date_order",
    "infer_decimal",
    "load_template",
    "map_columns",
    "normalise",
    "parse_amount",
    "parse_date",
    "problems_by_row",
    "shown",
    "validate_file",
]
