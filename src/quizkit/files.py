"""The one way quizkit reads a user's text file and writes a new file.

Reading: UTF-8, a byte-order mark (what a spreadsheet's "CSV UTF-8" writes) accepted
and reported, and every way a read can fail turned into one ``QuizkitError`` naming
the file (and, for bad encoding, the line).

Writing: atomically. The bytes go to a hidden temporary file beside the target, which
is then renamed into place: a full disk or a crash never leaves a truncated file that
an LMS would import or the next run would refuse. An existing file is never replaced
unless the caller passes ``force``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, QuizkitError, display_path

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class UserText:
    text: str
    had_bom: bool = False


def os_reason(exc: OSError) -> str:
    """``No space left on device`` rather than ``[Errno 28] …``."""
    return exc.strerror or str(exc)


def read_user_text(path: str | Path) -> UserText:
    """The file's text, or a ``QuizkitError`` with a one-line reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise QuizkitError.at(path, None, "file not found") from None
    except IsADirectoryError:
        raise QuizkitError.at(path, None, "is a folder, not a file") from None
    except PermissionError:
        raise QuizkitError.at(path, None, "permission denied: cannot read the file") from None
    except OSError as exc:
        raise QuizkitError.at(path, None, f"cannot read the file: {os_reason(exc)}") from None
    had_bom = data.startswith(_BOM)
    if had_bom:
        data = data[len(_BOM):]
    try:
        return UserText(data.decode("utf-8"), had_bom)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise QuizkitError.at(path, line, "the file is not UTF-8 text; save it as UTF-8 "
                                          "(in a spreadsheet: \"CSV UTF-8\")") from None


def existing_file_problem(path: Path) -> Problem | None:
    """The problem of writing a new file at ``path`` if something is there already."""
    if path.exists() or path.is_symlink():
        return Problem(display_path(path), None, "the file already exists; nothing was "
                                                 "written (add --force to overwrite it, or "
                                                 "choose another name with -o)")
    return None


def refuse_existing(path: Path) -> None:
    problem = existing_file_problem(path)
    if problem:
        raise QuizkitError(problem)


def write_new_file(path: str | Path, data: str | bytes, *, force: bool = False) -> Path:
    """Write ``data`` (text as UTF-8 with "\\n" line ends) to ``path`` atomically.

    Without ``force`` an existing file is refused, never replaced, even if it appears
    while the data is being written.
    """
    path = Path(path)
    if not force:
        refuse_existing(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                             dir=folder)
    except FileNotFoundError:
        raise QuizkitError.at(folder, None, "folder not found: cannot write into it") from None
    except OSError as exc:
        raise QuizkitError.at(path, None, f"cannot write the file: {os_reason(exc)}") from None
    try:
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(raw)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o666 & ~_umask())
            if force:
                os.replace(temporary, path)
            else:
                _rename_new(temporary, path)
        except FileExistsError:
            refuse_existing(path)
            raise
        except OSError as exc:
            raise QuizkitError.at(path, None,
                                  f"cannot write the file: {os_reason(exc)}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


@contextlib.contextmanager
def new_folder(path: str | Path) -> Iterator[Path]:
    """A folder that appears at ``path`` complete or not at all.

    Yields a hidden temporary folder beside ``path`` to write into; when the block ends
    without an error it is renamed to ``path`` (which must not exist), otherwise it is
    removed with everything in it.
    """
    path = Path(path)
    refuse_existing_folder(path)
    parent = path.parent
    if not parent.is_dir():
        raise QuizkitError.at(parent, None, "folder not found: cannot create the output "
                                            "folder inside it")
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=parent))
    except OSError as exc:
        raise QuizkitError.at(path, None,
                              f"cannot create the folder: {os_reason(exc)}") from None
    try:
        # mkdtemp makes a private folder; the result gets the usual permissions.
        os.chmod(temporary, 0o777 & ~_umask())
        yield temporary
        refuse_existing_folder(path)
        try:
            os.rename(temporary, path)
        except OSError as exc:
            raise QuizkitError.at(path, None,
                                  f"cannot create the folder: {os_reason(exc)}") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def refuse_existing_folder(path: Path) -> None:
    if path.is_file():
        raise QuizkitError.at(path, None, "is a file; choose a new folder with -o "
                                          "(results are never overwritten)")
    if path.exists() or path.is_symlink():
        raise QuizkitError.at(path, None, "the output folder already exists; choose a new "
                                          "one with -o (results are never overwritten)")


def _rename_new(temporary: str, path: Path) -> None:
    """Give ``temporary`` the name ``path`` unless that name exists."""
    try:
        os.link(temporary, path)  # fails if the name was taken meanwhile
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        refuse_existing(path)  # a file system without hard links: check, then rename
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
