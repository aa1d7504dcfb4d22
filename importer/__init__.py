"""Record a spreadsheet of offline payments against HighLevel invoices, safely.

The pipeline: ``read`` -> ``check`` -> ``preflight`` -> ``send`` -> ``output``, run end to end
by ``importing.run_import``, with the ``journal`` beside it.
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
from importer.importing import ImportReport, RunOptions, run_import

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
