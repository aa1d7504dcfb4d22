"""What stops a run.

Bad rows are not exceptions: they are values (see ``validate.RowProblem``) gathered into a
report. An exception here means the run cannot start or cannot go on, and the command line
turns every one of them into exit code 2 with its message on one line.

    ImporterError
     ├── InputFileError       the payments file is missing, empty or unreadable
     ├── MappingError         the file's columns cannot feed a payment (a required one is missing)
     ├── ConfigurationError   token, location or API address missing or malformed
     │    └── TemplateError     a mapping template cannot be found or read
     ├── JournalError         the journal of sent payments cannot be opened or written
     ├── ResultsFileError     the results file cannot be written where it is to go
     ├── ControlTotalMismatch the file's total or count differs from the one expected
     └── RunStopped           the run had to stop sending: the API said so, or the journal
          │                       could not be written
          ├── AuthenticationError   401/403: the token was refused or lacks access
          │    └── MissingScope       the token lacks the scope one call needs
          ├── DailyLimitReached     the location's daily request budget is spent
          └── JournalFull           the journal could not be written while sending (a full disk)
"""

from __future__ import annotations


class ImporterError(Exception):
    """Root of everything that stops a run; its message is written for an accountant."""


class InputFileError(ImporterError):
    """The payments file cannot be read."""


class MappingError(ImporterError):
    """The payments file's columns cannot be mapped to a payment."""


class ConfigurationError(ImporterError):
    """Settings are missing or malformed."""


class TemplateError(ConfigurationError):
    """A mapping template is unknown, unreadable or says something the importer cannot use."""


class JournalError(ImporterError):
    """The journal cannot be opened or written; nothing is sent without it."""


class ResultsFileError(ImporterError):
    """The results file cannot be written; found before sending, so nothing is sent."""


class ControlTotalMismatch(ImporterError):
    """The file's payments do not add up to the control total; nothing is sent."""


class RunStopped(ImporterError):
    """The run had to stop sending; rows not yet sent stay ``not_sent``."""


class AuthenticationError(RunStopped):
    """The API refused the token (401) or its access to the location (403)."""


class MissingScope(AuthenticationError):
    """The token is good but was not granted the scope a call needs (401 "not authorized for
    this scope"): the other calls still work, so the caller may say what to do instead."""


class DailyLimitReached(RunStopped):
    """The location's daily request budget is spent."""


class JournalFull(RunStopped):
    """The journal could not be written while sending (a full disk): no payment leaves
    without its record, so sending stops; what the journal holds is kept."""
