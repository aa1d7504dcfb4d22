"""Reading a payments file: CSV and workbooks, cells as typed, with the row numbers Excel shows."""

from importer.read.loader import (
    DEFAULT_MAX_SIZE_MB,
    ControlTotal,
    PaymentsFile,
    SourceRow,
    load,
)

__all__ = [
    "DEFAULT_MAX_SIZE_MB",
    "ControlTotal",
    "PaymentsFile",
    "SourceRow",
    "load",
]
