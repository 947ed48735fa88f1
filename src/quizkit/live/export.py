"""A live session as the files ``quizkit grade`` reads, and its event log.

* ``responses.csv``: ``student_id,version,1,…,N``, one row per student who joined
  (in joining order), version A, each answer in paper notation (``keys``), blank
  where a student gave none;
* ``key.csv``: the key of those N questions in session order, entries lettered in
  bank order (``keys.key_from_items``, written by ``keys.write_key``);
* ``events.json``: every event of the session with its time (UTC, ISO 8601, and
  seconds since the epoch).

So ``quizkit grade responses.csv --key key.csv`` gives the scores the students saw.
A cell a spreadsheet would take for a formula (a name or a typed answer starting
with = + - @) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from ..errors import Problem, QuizkitError, display_path
from ..keys import key_from_items, write_key
from ..model import Item
from . import questions
from .storage import Store

FILES = ("responses.csv", "key.csv", "events.json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def responses_csv(store: Store, code: str, items: list[Item]) -> str:
    snap = store.snapshot(code)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "version", *range(1, len(items) + 1)])
    for student_id, name in snap.students.items():
        cells = []
        for number, item in enumerate(items):
            given = snap.answers.get(number, {}).get(student_id)
            if given is None:
                cells.append("")
                continue
            written = questions.paper_answer(item, given[0])
            cells.append(spreadsheet_safe(written) if item.type == "text" else written)
        writer.writerow([spreadsheet_safe(name), "A", *cells])
    return buffer.getvalue()


def events_json(store: Store, code: str) -> str:
    log = store.event_log(code)
    for entry in log:
        entry["time"] = datetime.fromtimestamp(entry["at"], timezone.utc).isoformat(
            timespec="milliseconds")
    session = store.session(code)
    return json.dumps({"session": code, "title": session.title,
                       "items": [i["id"] for i in session.items], "events": log},
                      ensure_ascii=False, indent=1) + "\n"


def _write_all(store: Store, code: str, items: list[Item], folder: Path) -> None:
    (folder / "responses.csv").write_text(responses_csv(store, code, items), encoding="utf-8")
    write_key(key_from_items(items, "A"), folder / "key.csv")
    (folder / "events.json").write_text(events_json(store, code), encoding="utf-8")


def export_files(store: Store, code: str, items: list[Item]) -> dict[str, bytes]:
    """The three files, in memory (the presenter page's downloads)."""
    with tempfile.TemporaryDirectory(prefix="quizkit-live-") as tmp:
        _write_all(store, code, items, Path(tmp))
        return {name: (Path(tmp) / name).read_bytes() for name in FILES}


def write_export(store: Store, code: str, items: list[Item], folder: Path | None = None) -> Path:
    """Write the three files into a new folder (``folder``, or ``live-<code>-<n>``
    beside it when it exists): complete or not at all, never over earlier files."""
    target = Path(folder or f"live-{code}")
    if target.exists():
        n = 2
        while target.with_name(f"{target.name}-{n}").exists():
            n += 1
        target = target.with_name(f"{target.name}-{n}")
    parent = target.parent
    if not parent.is_dir():
        raise QuizkitError(Problem(display_path(parent), None,
                                   "folder not found: cannot write the export inside it"))
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=parent))
    try:
        _write_all(store, code, items, staging)
        os.chmod(staging, 0o755)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
