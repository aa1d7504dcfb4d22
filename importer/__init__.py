"""Record a spreadsheet of offline payments against HighLevel invoices, safely.

The pipeline: ``loader`` -> ``validate`` (with ``mapping``) -> ``preflight`` -> ``submit`` ->
``results``, run end to end by ``pipeline.run_import``.
"""

from importer.errors import (
    AuthenticationError,
    ConfigurationError,
    ControlTotalMismatch,
    DailyLimitReached,
    ImporterError,
    InputFileError,
    MappingError,
    RunStopped,
)
from importer.pipeline import ImportReport, RunOptions, run_import

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ControlTotalMismatch",
    "DailyLimitReached",
    "ImportReport",
    "ImporterError",
    "InputFileError",
    "MappingError",
    "RunOptions",
    "RunStopped",
    "run_import",
]
