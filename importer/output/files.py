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

__all__ = ["write_atomically"]


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
