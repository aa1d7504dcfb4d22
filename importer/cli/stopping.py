"""Ctrl-C, SIGTERM and SIGHUP during a run: payments in flight are finished, results written.

A closed terminal (SIGHUP), a service manager or a logout (SIGTERM) ended a run at once, with
no results file and payments left ``sending``. While payments are being sent, each of these
now asks the run to send nothing new (the StopSignal): those in flight are finished, the rest
are not sent, the results are written, and the command exits with the signal's code (130 for
Ctrl-C, 143 for SIGTERM, 129 for SIGHUP, as a shell reports a process the signal ended). A
second Ctrl-C quits at once; a second SIGTERM or SIGHUP changes nothing (a service manager that
will not wait sends SIGKILL, which the journal is made for). Before sending, any of them stops
the run at once, as Ctrl-C does: nothing has been sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

import click

from importer.cli.options import EXIT_HUNG_UP, EXIT_INTERRUPTED, EXIT_TERMINATED
from importer.send.stop import StopSignal

__all__ = ["EXIT_CODES", "Stopping"]

EXIT_CODES = {signal.SIGINT: EXIT_INTERRUPTED, signal.SIGTERM: EXIT_TERMINATED}
if hasattr(signal, "SIGHUP"):  # not on Windows
    EXIT_CODES[signal.SIGHUP] = EXIT_HUNG_UP
_WORDS = {
    signal.SIGINT: "Stopping",
    signal.SIGTERM: "Asked to end (SIGTERM), stopping",
    getattr(signal, "SIGHUP", -1): "The terminal closed (SIGHUP), stopping",
}
# Beyond the main thread, or where the loop cannot take signal handlers (Windows), a signal
# does what it does by default.
_CANNOT = (NotImplementedError, RuntimeError, ValueError, OSError)


class Stopping:
    """The signals heard during one run, and what each does at that moment."""

    def __init__(self, stop: StopSignal) -> None:
        self.stop = stop
        self.heard: signal.Signals | None = None
        self._started = False  # sending has begun: from then on the results get written
        self._prompting = False
        self._done = False
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def exit_code(self) -> int | None:
        """The exit code of the first signal heard, if one was."""
        return None if self.heard is None else EXIT_CODES[self.heard]

    @contextlib.contextmanager
    def for_the_command(self) -> Iterator[None]:
        """SIGTERM and SIGHUP handled from here on, as the run stands; put back afterwards."""
        saved = {}
        for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if number is not None:
                with contextlib.suppress(*_CANNOT):
                    saved[number] = signal.signal(number, self._outside_the_loop)
        try:
            yield
        finally:
            for number, handler in saved.items():
                with contextlib.suppress(*_CANNOT):
                    signal.signal(number, handler)

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop the run sends from."""
        self._loop = loop

    def done(self) -> None:
        """The run is over (its results written): a signal now only sets the exit code."""
        self._done = True
        for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if number is not None:
                # The loop, closing, put back the default (to end at once).
                with contextlib.suppress(*_CANNOT):
                    signal.signal(number, self._outside_the_loop)

    @contextlib.contextmanager
    def prompting(self) -> Iterator[None]:
        """At a question between payments nothing is in flight: a signal is a no."""
        self.catch(False)
        self._prompting = True
        try:
            yield
        finally:
            self._prompting = False
            self.catch(True)

    def catch(self, catching: bool) -> None:
        """While payments are being sent (``catching``), a signal stops sending instead."""
        self._started = self._started or catching
        if self._loop is None:
            return
        for number in EXIT_CODES:
            with contextlib.suppress(*_CANNOT):
                if catching and not (number == signal.SIGINT and self.stop.is_set()):
                    self._loop.add_signal_handler(number, self._heard, number)
                elif not catching:
                    self._loop.remove_signal_handler(number)
                    if number != signal.SIGINT:
                        signal.signal(number, self._outside_the_loop)

    def _heard(self, number: signal.Signals) -> None:
        """While sending: nothing new is sent; those in flight are finished."""
        if self.heard is None:
            self.heard = signal.Signals(number)
        if not self.stop.is_set():
            again = " (Ctrl-C again to quit at once)" if number == signal.SIGINT else ""
            with contextlib.suppress(OSError):  # a closed terminal takes no words
                click.echo(
                    f"\n{_WORDS[number]}: no new payments are sent; waiting for those in "
                    f"flight{again}.",
                    err=True,
                )
        self.stop.set()
        if number == signal.SIGINT and self._loop is not None:
            # A second Ctrl-C interrupts for real.
            with contextlib.suppress(*_CANNOT):
                self._loop.remove_signal_handler(signal.SIGINT)

    def _outside_the_loop(self, number: int, _frame: FrameType | None) -> None:
        """Before sending (or at a question), as Ctrl-C: the run ends there, nothing being in
        flight. Once sending has begun the results are written: the code is remembered."""
        if self.heard is None:
            self.heard = signal.Signals(number)
        if self._prompting or not (self._started or self._done):
            raise KeyboardInterrupt
