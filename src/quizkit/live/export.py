"""A live session as the files ``quizkit grade`` reads, and its event log.

* ``responses.csv``: ``student_id,version,1,…,N``, one row per student who joined
  (in joining order), version A, each answer in paper notation (``notation``), blank
  where a student gave none;
* ``key.csv``: the key of those N questions in session order, entries lettered in
  bank order (``grading.key.key_from_items``, as text by ``paper.key.key_csv``);
* ``events.json``: every event of the session with its time (UTC, ISO 8601, and
  seconds since the epoch).

So ``quizkit grade responses.csv --key key.csv`` gives the scores the students saw.
A cell a spreadsheet would take for a formula (a name or a typed answer starting
with = + - @) is written with a leading apostrophe.
"""

from __future__ import annotations

import json
from datetime import datetime, UTC
from pathlib import Path

from ..catalog import Catalog
from ..csvfiles import csv_text
from ..files import new_folder
from ..grading.key import key_from_items
from ..model import Item
from ..paper.key import key_csv
from . import questions
from .storage import Store

FILES = ("responses.csv", "key.csv", "events.json")
def responses_csv(store: Store, code: str, items: list[Item]) -> str:
    snap = store.snapshot(code)
    rows: list[list[object]] = [["student_id", "version", *range(1, len(items) + 1)]]
    for student_id, name in snap.students.items():
        cells = []
        for number, item in enumerate(items):
            given = snap.answers.get(number, {}).get(student_id)
            if given is None:
                cells.append("")
                continue
            written = questions.paper_answer(item, given[0])
            cells.append(written)
        rows.append([name, "A", *cells])
    return csv_text(rows)


def events_json(store: Store, code: str) -> str:
    log = store.event_log(code)
    for entry in log:
        entry["time"] = datetime.fromtimestamp(entry["at"], UTC).isoformat(
            timespec="milliseconds")
    session = store.session(code)
    return json.dumps({"session": code, "title": session.title,
                       "items": [i["id"] for i in session.items], "events": log},
                      ensure_ascii=False, indent=1) + "\n"


def export_files(store: Store, code: str, items: list[Item], catalog: Catalog) -> dict[str, str]:
    """The three files' text (the presenter page's downloads, and ``write_export``)."""
    return {"responses.csv": responses_csv(store, code, items),
            "key.csv": key_csv(key_from_items(items, catalog)),
            "events.json": events_json(store, code)}


def write_export(store: Store, code: str, items: list[Item], catalog: Catalog,
                 folder: Path | None = None) -> Path:
    """Write the three files into a new folder (``folder``, or ``live-<code>-<n>``
    beside it when it exists): complete or not at all, never over earlier files."""
    target = Path(folder or f"live-{code}")
    if target.exists():
        n = 2
        while target.with_name(f"{target.name}-{n}").exists():
            n += 1
        target = target.with_name(f"{target.name}-{n}")
    with new_folder(target) as staging:
        for name, text in export_files(store, code, items, catalog).items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
    return target
