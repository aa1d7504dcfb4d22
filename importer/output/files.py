"""Files the importer writes: found writable before anything is sent."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from importer.errors import ResultsFileError


def ensure_writable(path: Path, *, what: str, flag: str) -> None:
    """ResultsFileError unless ``path`` can be written as the results are: a new file beside
    it, then put in its place. ``flag`` is the option that chooses another place."""
    folder = path.parent
    existing = path.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # The same kind of name the writing uses, so a name too long for the disk shows now.
        handle, probe = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        os.close(handle)
        os.unlink(probe)
        if existing:
            # A file open in Excel on Windows refuses this, as it would refuse being replaced.
            # Opened to append and closed at once, it is left unchanged.
            with path.open("ab"):
                pass
    except OSError as error:
        if path.is_dir():
            raise ResultsFileError(
                f"Cannot write {what} {path}: it is a folder; nothing was sent. Run again with "
                f"{flag} PATH naming a file."
            ) from None
        reason = why_not_written(error, path)
        if existing:
            raise ResultsFileError(
                f"Cannot write {what} {path} ({reason}); nothing was sent. Close it if it is "
                f"open in another program such as Excel, or run again with {flag} PATH to "
                "write it elsewhere."
            ) from None
        raise ResultsFileError(
            f"Cannot write {what} in the folder {folder} ({reason}); nothing was sent. Run "
            f"again with {flag} PATH to write it in a folder you can save to."
        ) from None


def why_not_written(error: OSError, path: Path) -> str:
    """Why a file could not be written, in plain words."""
    for part in (path.parent, *path.parent.parents):
        if part.exists():
            if not part.is_dir():
                return f"{part} is a file, not a folder"
            break
    return (error.strerror or type(error).__name__).lower()
