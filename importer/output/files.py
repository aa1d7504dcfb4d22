"""The one way the importer puts a file on disk: whole, or not at all.

Every file a run or a command writes (results, summary, problems report, blank workbook)
goes through ``write_atomically``, so that a crash, a full disk or Ctrl-C leaves the old file
or the new one, never half of one, and every one of them gets the permissions of any file
the accountant saves.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from importer.errors import ResultsFileError

__all__ = ["ensure_writable", "why_not_written", "write_atomically"]


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Have ``write`` fill a new file beside ``path``, flush it to disk, then put it in place.

    The file replaced keeps its permissions; a new one gets those of any new file under the
    umask. On any failure the new file is removed and ``path`` is left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # Beside the target, so that the replace is a rename within one file system.
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        # mkstemp makes the file readable by its owner alone; results, reports and workbooks
        # are for the accountant's colleagues too, like any file they save.
        temporary.chmod(_mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, else those of a new file under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        # The umask can only be read by setting it; it is put back at once.
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


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
