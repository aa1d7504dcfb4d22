"""What a run writes: the results file, its summary, the problems report, blank workbooks."""

from importer.output.problems import (
    problem_table,
    write_report,
)
from importer.output.results import (
    FINISHED_STATUSES,
    OUTCOME_COLUMNS,
    ControlCheck,
    RowResult,
    Summary,
    check_results_path,
    default_results_path,
    is_results_name,
    neutralised,
    rebuild_results,
    restored,
    summarise,
    without_outcome_columns,
    write_results,
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
    "Summary",
    "check_blank_workbook_path",
    "check_results_path",
    "default_results_path",
    "excel_date_format",
    "instruction_lines",
    "is_results_name",
    "neutralised",
    "problem_table",
    "rebuild_results",
    "restored",
    "summarise",
    "without_outcome_columns",
    "write_blank_workbook",
    "write_report",
    "write_results",
    "write_summary_json",
]
