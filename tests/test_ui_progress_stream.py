"""The progress stream of a run: its last state is always sent, however the run's end and
the stream's events interleave."""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

from importer.ui.record import progress_stream
from importer.ui.state import Run


def events_of(run_ends_after: int) -> list[dict[str, object]]:
    """The states a watcher receives when the run ends, and is touched, right after the
    watcher has received ``run_ends_after`` events (while the last of them was on its way)."""

    async def watch() -> list[dict[str, object]]:
        run = Run(cast(Any, None), (2, {}))
        received: list[dict[str, object]] = []

        def state() -> dict[str, object]:
            return {"finished": run.finished, "version": run.version}

        async for event in progress_stream(run, state, lambda: False, keep_alive=60.0):
            received.append(json.loads(event.removeprefix("data: ")))
            if len(received) < run_ends_after:
                run.touch()
            elif len(received) == run_ends_after:
                run.finished = True
                run.touch()
        return received

    return asyncio.run(asyncio.wait_for(watch(), 5.0))


def test_a_run_that_ends_while_an_event_is_on_its_way_still_sends_its_last_state() -> None:
    """The stream ends only once it has sent a state that says finished: a run that ended
    between one state and the check after it is followed by its finished state."""
    assert events_of(1) == [
        {"finished": False, "version": 0},
        {"finished": True, "version": 1},
    ]
    assert events_of(3) == [
        {"finished": False, "version": 0},
        {"finished": False, "version": 1},
        {"finished": False, "version": 2},
        {"finished": True, "version": 3},
    ]


def test_the_stream_of_a_run_already_ended_sends_its_last_state_and_ends() -> None:
    async def watch() -> list[str]:
        run = Run(cast(Any, None), (2, {}))
        run.finished = True
        run.touch()
        state = {"finished": True}
        return [event async for event in progress_stream(run, lambda: state, lambda: False)]

    assert asyncio.run(watch()) == ['data: {"finished": true}\n\n']
