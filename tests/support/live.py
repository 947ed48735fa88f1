"""Helpers for the ``quizkit live`` tests and benchmark: the app in-process (for the
API rules), the real command in a subprocess (for push, restarts and browsers),
and a throw-away PostgreSQL server.

Servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUIZKIT = [sys.executable, "-m", "quizkit"]


# -- the app in-process ------------------------------------------------------------------


def make_live(database_url: str, items, catalog, **settings):
    """A Starlette app serving a new session of ``items`` (from ``catalog``); returns
    (app, live)."""
    from quizkit.live.selection import fingerprint
    from quizkit.live.server import Live, build_app
    from quizkit.live.storage import Store

    store = Store(database_url)
    full = {"anonymous": False, "timer": None, "allow_change": True, "max_students": 1000,
            "roster": None}
    full.update(settings)
    session = store.create_session("Test quiz", [{"id": i.id, "fingerprint": fingerprint(i)}
                                                 for i in items], full)
    roster = full.get("roster")
    live = Live(store=store, code=session.code, items=list(items), catalog=catalog,
                student_url=f"http://127.0.0.1/s/{session.code}",
                export_dir=Path(tempfile.mkdtemp(prefix="quizkit-live-export-")),
                database_url=database_url, settings=full,
                presenter_token=session.presenter_token, title=session.title,
                roster={r: r for r in roster} if roster else None)
    return build_app(live), live


# -- the real command ---------------------------------------------------------------------


@dataclass
class Served:
    process: subprocess.Popen
    base: str
    code: str
    token: str
    output: str

    @property
    def student_url(self) -> str:
        return f"{self.base}/s/{self.code}"

    @property
    def presenter_url(self) -> str:
        return f"{self.base}/p/{self.code}?token={self.token}"


def start_server(args: list[str], cwd: Path, timeout: float = 60) -> Served:
    """``quizkit live ARGS --host 127.0.0.1 --no-qr`` in a subprocess; returns once it
    has printed its addresses and answers HTTP."""
    import httpx

    process = subprocess.Popen([*QUIZKIT, "live", *args, "--host", "127.0.0.1", "--no-qr"],
                               cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Presenter"):
            break
    text = "".join(lines)
    student = re.search(r"open (http://\S+)/s/(\w+)", text)
    presenter = re.search(r"token=(\S+)", text)
    if not (student and presenter):
        process.kill()
        raise RuntimeError(f"quizkit live did not start:\n{text}{process.stdout.read()}")
    served = Served(process, student.group(1), student.group(2), presenter.group(1), text)
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{served.base}/api/s/{served.code}/info", timeout=2).status_code == 200:
                return served
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("quizkit live never answered")


def stop(served: Served, sig: int = signal.SIGTERM) -> None:
    if served.process.poll() is None:
        served.process.send_signal(sig)
        try:
            served.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait(timeout=10)
    served.process.stdout.close()


# -- a throw-away PostgreSQL ----------------------------------------------------------------


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    """initdb + pg_ctl in a temporary folder, on 127.0.0.1 at a free port; yields a
    database URL. As root, the server runs as the ``postgres`` (or ``nobody``) user,
    since PostgreSQL refuses to run as root."""
    import pwd

    bindir = postgres_bin()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl)")
    folder = Path(tempfile.mkdtemp(prefix="quizkit-live-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        for user in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                entry = pwd.getpwnam(user)
                os.chown(folder, entry.pw_uid, entry.pw_gid)
                run_as = ["runuser", "-u", user, "--"]
                break
    data, port = folder / "data", free_port()
    try:
        subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-U", "quizkit",
                        "--auth=trust", "-E", "UTF8", "--no-sync"], check=True,
                       capture_output=True, timeout=120)
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-l",
                        str(folder / "log"), "-w", "-t", "60", "-o",
                        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off "
                        "-c max_connections=200", "start"],
                       check=True, capture_output=True, timeout=90)
        yield f"postgresql://quizkit@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def postgres_fixture():
    """A session-wide pytest fixture: a throw-away PostgreSQL URL, or a skip that says
    what is missing."""
    import pytest

    @pytest.fixture(scope="session")
    def postgres_url():
        if postgres_bin() is None:
            pytest.skip("PostgreSQL is not installed (apt-get install postgresql): "
                        "the PostgreSQL tests of quizkit live are skipped")
        with throwaway_postgres() as url:
            yield url

    return postgres_url
