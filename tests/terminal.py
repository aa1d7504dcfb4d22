"""Running the importer on a pseudo-terminal, answering its prompts as a person would."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.conftest import TODAY

# The importer command as `python -m importer` runs it, on the day the CLI tests run on.
_COMMAND_ON_TODAY = (
    "import sys; from datetime import date; from importer.cli import cli; "
    f"cli(sys.argv[1:], prog_name='importer', obj=date.fromisoformat('{TODAY.isoformat()}'))"
)
# Seconds a whole terminal session may take before the test fails.
TIME_LIMIT = 60
# What to do at a prompt: text to type (Enter follows), or something to do to the process.
Answer = str | Callable[["subprocess.Popen[bytes]"], None]


def run_on_terminal(
    args: list[str], cwd: Path, script: Sequence[tuple[bytes, Answer]]
) -> tuple[int, str]:
    """Run ``importer ARGS`` with a terminal as stdin and stdout, answering ``script`` in order.

    Each step waits for its prompt to appear, then types its text or does its action. The
    output comes back with the terminal's line ends made plain.
    """
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", _COMMAND_ON_TODAY, *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=cwd,
    )
    os.close(follower)
    steps = list(script)
    seen = b""
    deadline = time.monotonic() + TIME_LIMIT
    while time.monotonic() < deadline:
        # A read with a time limit, so that an importer stuck at a prompt fails the test
        # instead of hanging the suite.
        readable, _, _ = select.select([leader], [], [], max(0.0, deadline - time.monotonic()))
        if not readable:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
        while steps and steps[0][0] in seen:
            _prompt, answer = steps.pop(0)
            if isinstance(answer, str):
                os.write(leader, answer.encode() + b"\n")
            else:
                answer(process)
    try:
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        code = None
    os.close(leader)
    output = seen.decode(errors="replace").replace("\r\n", "\n")
    assert code is not None, f"the importer was still running after {TIME_LIMIT} s:\n{output}"
    assert not steps, f"never saw the prompt {steps[0][0]!r} in:\n{output}"
    return code, output
