"""Waking the pages that wait for a change, in this process and in the others.

A page's event stream waits on a ``Signal`` (a counter it can wait to change) per
session and kind: ``state`` (a presenter action: every page), ``join`` and
``answer`` (the presenter's counts). The database is the truth; a signal only
says "read it again", so a missed or doubled wake-up costs one read, never an
answer.

With PostgreSQL every commit also sends ``NOTIFY quizkit_live, '<code> <kind>'``
(see ``storage``), and each server process runs one ``Listener`` thread that turns
those notifications into local wake-ups: a reveal clicked on one process reaches
the students connected to another.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict

import psycopg

from .storage import NOTIFY_CHANNEL

KINDS = ("state", "join", "answer")


class Signal:
    """A counter; ``wait`` returns once it differs from the value a waiter saw."""

    def __init__(self) -> None:
        self.value = 0
        self._changed = asyncio.Event()

    def fire(self) -> None:
        self.value += 1
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait(self, seen: int, timeout: float) -> int:
        if self.value == seen:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)
        return self.value


class Hub:
    """The signals of one process; ``fire`` may be called from any thread."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.signals: dict[tuple[str, str], Signal] = defaultdict(Signal)
        self.listener: Listener | None = None

    def start(self, database_url: str | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        if self.listener is None and database_url and database_url.startswith(
                ("postgresql://", "postgres://")):
            self.listener = Listener(database_url, self)
            self.listener.start()

    def stop(self) -> None:
        if self.listener:
            self.listener.stop()
            self.listener = None

    def signal(self, code: str, kind: str) -> Signal:
        return self.signals[(code, kind)]

    def fire(self, code: str, kind: str) -> None:
        if self.loop is None:
            return
        with contextlib.suppress(RuntimeError):  # a closed loop: the server is stopping
            self.loop.call_soon_threadsafe(self._fire, code, kind)

    def _fire(self, code: str, kind: str) -> None:
        if kind in KINDS:
            self.signals[(code, kind)].fire()


class Listener(threading.Thread):
    """``LISTEN quizkit_live`` on its own connection; reconnects if the database
    restarts (wake-ups missed meanwhile are made up by the pages' periodic re-read)."""

    def __init__(self, database_url: str, hub: Hub):
        super().__init__(name="quizkit-live-listen", daemon=True)
        self.url = database_url.replace("postgresql+psycopg://", "postgresql://")
        self.hub = hub
        self.stopping = threading.Event()
        self.ready = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.ready.set()
                    while not self.stopping.is_set():
                        for note in conn.notifies(timeout=0.5):
                            code, _, kind = note.payload.partition(" ")
                            self.hub.fire(code, kind)
            except psycopg.Error:
                self.stopping.wait(1.0)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=3)
