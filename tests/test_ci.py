"""`make test` sets up a fresh machine: .ci/install-debian-packages installs what is
missing when it can, and otherwise stops at once with the one command to run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "install-debian-packages"


def fake_tools(folder: Path, *, uid: int, sudo_works: bool, installed: set[str]) -> Path:
    """A PATH folder with stand-ins for dpkg, id, sudo and apt-get that log their calls."""
    folder.mkdir()
    log = folder / "calls.log"
    tools = {
        "dpkg": "case \" ${INSTALLED} \" in *\" $2 \"*) exit 0;; *) exit 1;; esac",
        "id": f"echo {uid}",
        "sudo": ('[ "$1" = "-n" ] && shift; ' + ("exec \"$@\"" if sudo_works else "exit 1")),
        "apt-get": f'echo "apt-get $*" >> {log}',
    }
    for name, body in tools.items():
        path = folder / name
        path.write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
        path.chmod(0o755)
    return log


def run(tmp_path: Path, **kwargs) -> tuple[subprocess.CompletedProcess, str]:
    installed = kwargs.pop("installed", set())
    log = fake_tools(tmp_path / "bin", installed=installed, **kwargs)
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
           "INSTALLED": " ".join(sorted(installed))}
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=env, timeout=60)
    return done, log.read_text(encoding="utf-8") if log.exists() else ""


def wanted() -> list[str]:
    lines = (ROOT / ".ci" / "debian-packages.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_as_root_the_missing_packages_are_installed(tmp_path):
    done, calls = run(tmp_path, uid=0, sudo_works=False, installed={"chromium"})
    assert done.returncode == 0, done.stderr
    install = [line for line in calls.splitlines() if " install " in line][0]
    assert sorted(install.split()[install.split().index("--no-install-recommends") + 1:]) == \
        sorted(p for p in wanted() if p != "chromium")


def test_with_passwordless_sudo_they_are_installed_too(tmp_path):
    done, calls = run(tmp_path, uid=1000, sudo_works=True)
    assert done.returncode == 0, done.stderr
    assert "apt-get update" in calls and "install" in calls


def test_without_root_or_sudo_it_stops_with_the_one_command(tmp_path):
    done, calls = run(tmp_path, uid=1000, sudo_works=False)
    assert done.returncode == 1 and calls == ""
    assert ("sudo apt-get install -y --no-install-recommends " + " ".join(wanted())) in done.stderr


def test_nothing_to_do_when_everything_is_there(tmp_path):
    done, calls = run(tmp_path, uid=1000, sudo_works=False, installed=set(wanted()))
    assert done.returncode == 0 and calls == "" and done.stderr == ""


def test_make_test_and_ci_use_the_script():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "test: debian-packages" in makefile and ".ci/install-debian-packages" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
