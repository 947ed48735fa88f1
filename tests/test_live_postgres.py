"""Several ``quizkit live`` processes on one PostgreSQL database: students on one
process are woken by a presenter acting on the other (LISTEN/NOTIFY), answers sent
to either are counted once, and the export sees them all."""

from __future__ import annotations

import json

import httpx
import pytest

from support.cli import run_quizkit
from support.live import ROOT, postgres_fixture, start_server, stop

postgres_url = postgres_fixture()
pytestmark = pytest.mark.server

QUIZZES = str(ROOT / "quizzes" / "operation.yml")


def next_state(lines) -> dict:
    return json.loads(next(line for line in lines if line.startswith("data: "))[6:])


def test_two_processes_serve_one_session(postgres_url, tmp_path):
    first = start_server(["--bank", "operation", "--count", "4", "--quizzes", QUIZZES,
                          "--database", postgres_url], cwd=tmp_path)
    second = None
    try:
        second = start_server(["--session", first.code, "--quizzes", QUIZZES,
                               "--database", postgres_url], cwd=tmp_path)
        assert second.token == first.token and second.base != first.base
        on_first = [httpx.Client(base_url=first.base, timeout=10) for _ in range(3)]
        on_second = [httpx.Client(base_url=second.base, timeout=10) for _ in range(3)]
        for n, phone in enumerate(on_first + on_second):
            assert phone.post(f"/api/s/{first.code}/join", json={"name": f"s{n}"}).status_code == 200
        # A name taken through one process is taken on the other.
        clash = httpx.post(f"{second.base}/api/s/{first.code}/join", json={"name": "s0"})
        assert clash.status_code == 409

        boss = httpx.Client(base_url=first.base, timeout=10,
                            headers={"Authorization": f"Bearer {first.token}"})
        # Students on the second process follow the presenter on the first.
        with on_second[0].stream("GET", f"/api/s/{first.code}/events") as stream:
            lines = stream.iter_lines()
            assert next_state(lines)["phase"] == "lobby"
            boss.post(f"/api/p/{first.code}/action", json={"action": "next"})
            assert next_state(lines)["phase"] == "open"
            for n, phone in enumerate(on_first + on_second):
                reply = phone.post(f"/api/s/{first.code}/answer",
                                   json={"number": 1, "answer": n % 2})
                assert reply.status_code == 200, reply.text
            boss.post(f"/api/p/{first.code}/action", json={"action": "reveal"})
            revealed = next_state(lines)
        assert revealed["phase"] == "revealed" and revealed["reveal"]["you_were_right"] is False

        # The presenter's stream on the second process counts answers sent to the first.
        watcher = httpx.Client(base_url=second.base, timeout=10)
        with watcher.stream("GET", f"/api/p/{first.code}/events?token={first.token}") as stream:
            state = next_state(stream.iter_lines())
        assert state["answers"] == 6 and state["joined"] == 6
        assert state["reveal"]["right"] == 3
        boss.post(f"/api/p/{first.code}/action", json={"action": "end"})
    finally:
        stop(first)
        if second:
            stop(second)
    out = tmp_path / "export"
    assert run_quizkit("live", "export", first.code, "--database", postgres_url, "-o", str(out),
                 "--quizzes", QUIZZES)[0] == 0
    rows = (out / "responses.csv").read_text("utf-8").splitlines()
    assert rows[1:] == [f"s{n},A,{'AB'[n % 2]},,," for n in range(6)]
