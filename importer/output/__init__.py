"""What a run writes: the results file, its summary, the problems report, blank workbooks.

Every file goes to disk through one atomic writer (``files``); CSV and XLSX cells are made
safe for a spreadsheet in one place (``spreadsheets``).
"""

from importer.output.files import write_atomically
from importer.output.problems import (
    problem_table,
    write_report,
)
from importer.output.rebuild import rebuild_results
from importer.output.results import (
    OUTCOME_COLUMNS,
    RowResult,
    check_results_path,
    default_results_path,
    free_results_path,
    input_number_formats,
    is_results_name,
    moved_note,
    without_outcome_columns,
    write_results,
)
from importer.output.spreadsheets import neutralised, restored
from importer.output.summary import (
    FINISHED_STATUSES,
    ControlCheck,
    RunIdentity,
    Summary,
    summarise,
    write_summary_json,
)
from importer.output.workbook import (
    check_blank_workbook_path,
    excel_date_format,
    instruction_lines,
    write_blank_workbook,
)

__all__ = [
    "FINISHED_STATUSES",
    "OUTCOME_COLUMNS",
    "ControlCheck",
    "RowResult",
    "RunIdentity",
    "Summary",
    "check_blank_workbook_path",
    "check_results_path",
    "default_results_path",
    "excel_date_format",
    "free_results_path",
    "input_number_formats",
    "instruction_lines",
    "is_results_name",
    "moved_note",
    "neutralised",
    "problem_table",
    "rebuild_results",
    "restored",
    "summarise",
    "without_outcome_columns",
    "write_atomically",
    "write_blank_workbook",
    "write_report",
    "write_results",
    "write_summary_json",
]
