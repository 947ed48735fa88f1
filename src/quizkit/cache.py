"""A cache of validated banks, so that every command does not parse and check the same
YAML again (the fixed cost of each command).

An entry is found by a SHA-256 of everything the result depends on: quizkit's version,
each bank file's path and bytes, the data files (``references.bib``, ``sources.yml``)
and every file in the seeds folder. Any change to any of them is a new key, so an entry
is never stale; old entries are simply left behind. Entries live in
``$QUIZKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/quizkit``, else ``~/.cache/quizkit``;
``QUIZKIT_CACHE_DIR=off`` turns the cache off. A cache that cannot be read or written is
ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .sources import DATA_FILES, find_seeds_dir

CACHE_ENV = "QUIZKIT_CACHE_DIR"


def cache_dir() -> Path | None:
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "quizkit"


def _key(files: Sequence[Path], data_dir: Path | str | None,
         seeds_dir: Path | str | None) -> str | None:
    # Messages show paths relative to the working folder: it is part of the key.
    digest = hashlib.sha256(f"quizkit {__version__}\n{Path.cwd()}\n".encode())

    def add(path: Path) -> None:
        digest.update(str(path.resolve()).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable\0")
        digest.update(b"\0")

    for path in files:
        add(Path(path))
    if data_dir is not None:
        digest.update(b"data\0")
        for name in DATA_FILES:
            add(Path(data_dir) / name)
        folder, asked = find_seeds_dir(Path(data_dir), seeds_dir)
        digest.update(f"seeds {folder} {asked}\0".encode())
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    add(path)
    return digest.hexdigest()


def load(files: Sequence[Path], data_dir, seeds_dir) -> object | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{_key(files, data_dir, seeds_dir)}.pickle", "rb") as handle:
            return pickle.load(handle)  # our own files, written below
    except Exception:  # a missing or unreadable entry is a cache miss
        return None


def store(files: Sequence[Path], data_dir, seeds_dir, value: object) -> None:
    folder = cache_dir()
    if folder is None:
        return
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{_key(files, data_dir, seeds_dir)}.pickle")
    except Exception:  # the cache only saves time; it never fails a command
        if temporary:
            Path(temporary).unlink(missing_ok=True)
