"""A full disk, simulated: tests may not fill a real one."""

from __future__ import annotations

import errno


def fill_disk_after(monkeypatch, writes: int) -> None:
    """Every file quizkit writes after the first ``writes`` fails with "No space left on
    device", as when a disk fills up in the middle of a command."""
    from quizkit import files

    done = []
    real = files.os.fsync

    def fsync(fd):
        done.append(fd)
        if len(done) > writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(files.os, "fsync", fsync)
