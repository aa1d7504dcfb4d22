"""Record a spreadsheet of offline payments against HighLevel invoices, safely.

The pipeline: ``read`` -> ``check`` -> ``preflight`` -> ``send`` -> ``output``, with the
``journal`` beside it, driven one step at a time by ``importing``:

    opened = open_file(path, reading, today=day)
    plan = await plan_import(opened, choices, collaborators)
    recording = await record_payments(plan, choices, collaborators)
    report = write_results_files(close_run(plan, recording, choices, collaborators))

or all at once by ``run_import``. The command line (``cli``) and the workbench (``ui``) are
two doors over these steps.
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

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ControlTotalMismatch",
    "DailyLimitReached",
    "ImporterError",
    "InputFileError",
    "MappingError",
    "RunStopped",
]
