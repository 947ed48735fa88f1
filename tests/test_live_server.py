"""``quizkit live`` as users run it: the real command in a subprocess on 127.0.0.1,
its event stream, a SIGKILL in the middle of a question and a restart that resumes
with every acknowledged answer, and the command's bad-input errors."""

from __future__ import annotations

import json
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from support.cli import run_quizkit
from support.live import ROOT, start_server, stop

pytestmark = pytest.mark.server

QUIZZES = str(ROOT / "quizzes" / "operation.yml")  # one bank loads faster than all


def join(base: str, code: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10)
    reply = client.post(f"/api/s/{code}/join", json={"name": name})
    assert reply.status_code == 200, reply.text
    return client


def presenter(served) -> httpx.Client:
    return httpx.Client(base_url=served.base, timeout=10,
                        headers={"Authorization": f"Bearer {served.token}"})


def first_event(client: httpx.Client, path: str) -> dict:
    with client.stream("GET", path) as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                return json.loads(line[6:])
    raise AssertionError("the stream ended without an event")


def test_push_kill_and_resume_loses_no_acknowledged_answer(tmp_path):
    database = f"sqlite:///{tmp_path / 'class.sqlite'}"
    served = start_server(["--bank", "operation", "--quizzes", QUIZZES, "--database", database],
                          cwd=tmp_path)
    names = [f"student{n:02d}" for n in range(12)]
    phones = {name: join(served.base, served.code, name) for name in names}
    boss = presenter(served)

    # A student's stream is woken by the presenter's action.
    got: list[dict] = []
    with phones["student00"].stream("GET", f"/api/s/{served.code}/events") as stream:
        lines = stream.iter_lines()
        got.append(json.loads(next(line for line in lines if line.startswith("data: "))[6:]))
        assert boss.post(f"/api/p/{served.code}/action", json={"action": "next"}).status_code == 200
        got.append(json.loads(next(line for line in lines if line.startswith("data: "))[6:]))
    assert got[0]["phase"] == "lobby" and got[1]["phase"] == "open"
    assert got[1]["question"]["number"] == 1

    # Everyone answers question 1 over and over (changes allowed) while the server
    # is killed; every answer acknowledged before the kill must survive it.
    acknowledged: dict[str, int] = {}
    lock = threading.Lock()
    killed = threading.Event()

    def keep_answering(name: str) -> None:
        for choice in range(40):
            try:
                reply = phones[name].post(f"/api/s/{served.code}/answer",
                                          json={"number": 1, "answer": choice % 4})
            except httpx.HTTPError:
                return
            if reply.status_code == 200:
                with lock:
                    acknowledged[name] = choice % 4
            if killed.is_set():
                return

    with ThreadPoolExecutor(len(names)) as pool:
        futures = [pool.submit(keep_answering, name) for name in names]
        while sum(1 for _ in acknowledged) < len(names):
            threading.Event().wait(0.05)
        threading.Event().wait(0.3)
        served.process.send_signal(signal.SIGKILL)
        killed.set()
        for future in futures:
            future.result()
    stop(served, signal.SIGKILL)
    assert served.process.returncode == -signal.SIGKILL

    again = start_server(["--session", served.code, "--quizzes", QUIZZES, "--database",
                          database], cwd=tmp_path)
    assert "resuming session" in again.output and again.token == served.token
    try:
        boss = presenter(again)
        state = boss.get(f"/api/p/{again.code}/state").json()
        assert state["phase"] == "open" and state["number"] == 1
        assert state["answers"] == len(names) and state["joined"] == len(names)
        for name in names:  # the same cookie is the same student, with the last answer
            phone = phones[name]
            phone.base_url = again.base
            mine = phone.get(f"/api/s/{again.code}/state").json()
            assert mine["you"] == name
            # The last acknowledged answer, or one sent just before the kill whose
            # acknowledgement was lost on the way: never an older one.
            assert mine["your_answer"] in (acknowledged[name], (acknowledged[name] + 1) % 4)
        assert boss.post(f"/api/p/{again.code}/action", json={"action": "reveal"}).json()[
            "phase"] == "revealed"
        reveal = first_event(phones["student03"], f"/api/s/{again.code}/events")["reveal"]
        assert reveal["answer_text"] == "22 June 2024"
        assert reveal["you_were_right"] is (
            phones["student03"].get(f"/api/s/{again.code}/state").json()["your_answer"] == 0)
    finally:
        stop(again)


def test_the_command_refuses_bad_input_with_one_line(tmp_path):
    cases = [
        (["live", "--id", "operation-q16", "--quizzes", QUIZZES], "exam item"),
        (["live", "--quizzes", QUIZZES, "--quizzes", str(ROOT / "quizzes" / "sources.yml"),
          "--database", f"sqlite:///{tmp_path / 'x.sqlite'}"], "name the bank"),
        (["live", "--bank", "nosuch", "--quizzes", QUIZZES], "no bank named"),
        (["live", "--bank", "operation", "--quizzes", QUIZZES, "--database", "mysql://x"],
         "use sqlite:///FILE"),
        (["live", "--bank", "operation", "--quizzes", QUIZZES, "--roster",
          str(tmp_path / "none.csv"), "--database", f"sqlite:///{tmp_path / 'x.sqlite'}"],
         "file not found"),
        (["live", "--session", "NOPE42", "--database", f"sqlite:///{tmp_path / 'x.sqlite'}",
          "--quizzes", QUIZZES], "no session NOPE42"),
        (["live", "export", "NOPE42", "--database", f"sqlite:///{tmp_path / 'x.sqlite'}"],
         "no session NOPE42"),
    ]
    for argv, message in cases:
        status, _, err = run_quizkit(*argv)
        assert status == 2, argv
        assert message in err and "Traceback" not in err, (argv, err)


def test_exam_items_need_asking_and_come_with_a_warning(tmp_path):
    from argparse import Namespace

    from quizkit.live.selection import choose_items

    args = Namespace(bank=["operation"], pool="exam", tag=[], ids=[], count=2, shuffle=True,
                     seed=4, quizzes=[QUIZZES], data=None, seeds=None)
    chosen = choose_items(args)
    assert {item.pool for item in chosen.items} == {"exam"} and len(chosen.items) == 2
    assert "no longer secret" in chosen.warnings[0]
    assert [i.id for i in choose_items(args).items] == [i.id for i in chosen.items]


def test_export_command_writes_files_grade_reads(tmp_path):
    database = f"sqlite:///{tmp_path / 'class.sqlite'}"
    served = start_server(["--bank", "operation", "--count", "3", "--quizzes", QUIZZES,
                           "--database", database, "--no-change"], cwd=tmp_path)
    try:
        boss = presenter(served)
        amina = join(served.base, served.code, "Amina")
        boss.post(f"/api/p/{served.code}/action", json={"action": "next"})
        assert amina.post(f"/api/s/{served.code}/answer", json={"number": 1, "answer": 0}
                          ).status_code == 200
        assert amina.post(f"/api/s/{served.code}/answer", json={"number": 1, "answer": 1}
                          ).status_code == 409  # --no-change
    finally:
        stop(served)
    out = tmp_path / "week6"
    assert run_quizkit("live", "export", served.code, "--database", database, "-o", str(out),
                 "--quizzes", QUIZZES)[0] == 0
    assert (out / "responses.csv").read_text("utf-8") == "student_id,version,1,2,3\nAmina,A,A,,\n"
    status, _, err = run_quizkit("live", "export", served.code, "--database", database, "-o",
                                 str(out), "--quizzes", QUIZZES)
    assert status == 2 and "already exists" in err
    assert run_quizkit("grade", str(out / "responses.csv"), "--key", str(out / "key.csv"), "--quizzes",
                 QUIZZES, "-o", str(tmp_path / "graded"), "--no-report")[0] == 0
    scores = (tmp_path / "graded" / "scores.csv").read_text("utf-8").splitlines()
    assert scores[1].startswith("Amina,A,1,3,")
