"""A lecture on ``quizkit live``: N students join, answer 10 questions, get every push.

    .venv/bin/python bench/bench_live.py                    # 100, 250 and 500 students
    .venv/bin/python bench/bench_live.py --students 500 750 1000 --database postgresql://…
    .venv/bin/python bench/bench_live.py --students 1000 --processes 2 --database postgresql://…

For each N, starts the real command in a subprocess (``quizkit live --bank operation
--count 10 --host 127.0.0.1``, a fresh SQLite file unless --database; with
--processes K, K processes on one PostgreSQL session, students spread over them and
the presenter on the first, so every push crosses LISTEN/NOTIFY), then, from
this process (one asyncio loop, plain HTTP/1.1 on sockets, so the load generator
stays light on the shared CPUs):

1. N students join (at most 100 joins in flight) and each opens its event stream;
2. for each of the 10 questions the presenter opens it; each student, once the
   question reaches it, waits a random 0–3 s ("within a few seconds") and answers;
   when all have answered (or 15 s passed) the presenter reveals;
3. at the end, the answers the server holds are compared with those it acknowledged.

Printed per N: join time (all N, and per join p50/p95), answer latency p50/p95/p99
(request sent → acknowledgement read), push delay (presenter's action acknowledged →
state read by a student; p50/p95 and the worst of all pushes), errors (failed
requests, pushes never received, answers lost), and the server's CPU time (user +
system, and its share of the run) and peak resident memory (sampled every 0.1 s).

Target on the 2-core machine: p95 answer latency ≤ 200 ms, every push ≤ 1 s, zero
errors or lost answers; the last line names the largest N tried that met it.
Bounded: every wait has a timeout, and the servers listen on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = 10
ANSWER_WINDOW = 3.0  # seconds: each student answers within this of seeing the question
QUESTION_TIMEOUT = 15.0
TARGET_P95_MS, TARGET_PUSH_S = 200.0, 1.0


# -- a small HTTP/1.1 client ---------------------------------------------------------------


class Connection:
    """One keep-alive connection; requests on it go one at a time."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, body: dict | None = None,
                      headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
        if self.writer is None:
            await self.open()
        data = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(data)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
        await self.writer.drain()
        status, head = await read_head(self.reader)
        length = int(head.get("content-length", "0"))
        return status, head, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer:
            self.writer.close()


async def read_head(reader) -> tuple[int, dict]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    head: dict[str, str] = {}
    while True:
        line = (await reader.readline()).decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        head[name.strip().lower()] = value.strip()
        if name.strip().lower() == "set-cookie":
            head["cookie"] = value.strip().split(";")[0]
    return int(status_line.split()[1]), head


async def events(host: str, port: int, path: str, cookie: str):
    """Yield (arrival time, state) for each server-sent event of ``path``."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\n"
                 "Accept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    await read_head(reader)
    buffer = b""
    try:
        while True:
            size_line = await reader.readline()
            if not size_line:
                return
            size = int(size_line.strip() or b"0", 16)
            if size == 0:
                return
            buffer += await reader.readexactly(size)
            await reader.readexactly(2)
            while b"\n\n" in buffer:
                message, buffer = buffer.split(b"\n\n", 1)
                if message.startswith(b"data: "):
                    yield time.monotonic(), json.loads(message[6:])
    finally:
        writer.close()


# -- the lecture ----------------------------------------------------------------------------


def random_answer(question: dict):
    kind = question["type"]
    if kind == "single":
        return random.randrange(len(question["options"]))
    if kind == "multiple":
        return [random.randrange(len(question["options"]))]
    if kind == "numeric":
        return str(random.choice([9, 10, 2.58, 100]))
    if kind == "text":
        return random.choice(["Rah-e-Nijat", "Zarb-e-Azb", "campaign"])
    if kind == "order":
        positions = list(range(1, len(question["events"]) + 1))
        random.shuffle(positions)
        return positions
    return [random.randrange(len(question["rights"])) for _ in question["lefts"]]


class Student:
    def __init__(self, lecture: Lecture, n: int, host: str, port: int):
        self.lecture, self.name = lecture, f"student{n:04d}"
        self.host, self.port = host, port  # the server process this student uses
        self.conn = Connection(host, port)
        self.cookie = ""
        self.seen: dict[tuple[int, str], float] = {}  # (question, phase) → arrival
        self.answered: set[int] = set()

    async def join(self) -> float:
        start = time.monotonic()
        status, head, _ = await self.conn.request("POST", f"/api/s/{self.lecture.code}/join",
                                                  {"name": self.name})
        if status != 200:
            raise RuntimeError(f"join {status}")
        self.cookie = head["cookie"]
        return time.monotonic() - start

    async def follow(self) -> None:
        path = f"/api/s/{self.lecture.code}/events"
        async for arrived, state in events(self.host, self.port, path,
                                           self.cookie):
            question = state.get("question")
            number = question["number"] if question else 0
            self.seen.setdefault((number, state["phase"]), arrived)
            self.lecture.arrived.set()
            if state["phase"] == "open" and number not in self.answered:
                self.answered.add(number)
                asyncio.get_running_loop().create_task(self.answer(question))
            if state["phase"] == "ended":
                return

    async def answer(self, question: dict) -> None:
        await asyncio.sleep(random.uniform(0, ANSWER_WINDOW))
        start = time.monotonic()
        try:
            status, _, _ = await self.conn.request(
                "POST", f"/api/s/{self.lecture.code}/answer",
                {"number": question["number"], "answer": random_answer(question)},
                {"Cookie": self.cookie})
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            status = 0
        self.lecture.latencies.append(time.monotonic() - start)
        if status == 200:
            self.lecture.acknowledged[question["number"]] += 1
        else:
            self.lecture.errors.append(f"answer {status}")


class Lecture:
    def __init__(self, servers: list[tuple[str, int]], code: str, token: str, students: int):
        self.code, self.token = code, token
        self.students = [Student(self, n, *servers[n % len(servers)]) for n in range(students)]
        self.presenter = Connection(*servers[0])
        self.latencies: list[float] = []
        self.pushes: list[float] = []
        self.push_kinds: dict[str, list[float]] = {}  # "open" / "revealed" → delays
        self.errors: list[str] = []
        self.acknowledged = {n: 0 for n in range(1, QUESTIONS + 1)}
        self.arrived = asyncio.Event()

    async def act(self, action: str) -> float:
        status, _, body = await self.presenter.request(
            "POST", f"/api/p/{self.code}/action", {"action": action},
            {"Authorization": f"Bearer {self.token}"})
        if status != 200:
            raise RuntimeError(f"{action}: {status} {body[:200]!r}")
        return time.monotonic()

    async def wait_for(self, key: tuple[int, str], since: float) -> None:
        deadline = since + QUESTION_TIMEOUT
        while time.monotonic() < deadline:
            if all(key in s.seen for s in self.students):
                break
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), 0.5)
        for s in self.students:
            if key in s.seen:
                self.pushes.append(max(0.0, s.seen[key] - since))
                self.push_kinds.setdefault(key[1], []).append(max(0.0, s.seen[key] - since))
            else:
                self.errors.append(f"push of question {key[0]} ({key[1]}) never arrived")

    async def run(self) -> dict:
        gate = asyncio.Semaphore(100)

        async def join(student: Student) -> float:
            async with gate:
                return await student.join()

        start = time.monotonic()
        join_times = await asyncio.gather(*(join(s) for s in self.students))
        joined = time.monotonic() - start
        followers = [asyncio.create_task(s.follow()) for s in self.students]
        await self.wait_for((0, "lobby"), time.monotonic())
        self.pushes.clear()  # the lobby state is the stream's first message, not a push
        self.push_kinds.clear()
        for number in range(1, QUESTIONS + 1):
            opened = await self.act("next")
            await self.wait_for((number, "open"), opened)
            deadline = time.monotonic() + QUESTION_TIMEOUT
            while (self.acknowledged[number] + sum(1 for e in self.errors if e.startswith("answer"))
                   < len(self.students)) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            revealed = await self.act("reveal")
            await self.wait_for((number, "revealed"), revealed)
        await self.act("end")
        await asyncio.wait(followers, timeout=QUESTION_TIMEOUT)
        status, _, body = await self.presenter.request(
            "GET", f"/api/p/{self.code}/state", headers={"Authorization": f"Bearer {self.token}"})
        results = json.loads(body)["results"]["questions"]
        for question in results:
            if question["answered"] != self.acknowledged[question["number"]]:
                self.errors.append(f"question {question['number']}: {question['answered']} "
                                   f"stored, {self.acknowledged[question['number']]} acknowledged")
        for s in self.students:
            s.conn.close()
        self.presenter.close()
        return {"joined": joined, "join_times": join_times}


# -- the server ------------------------------------------------------------------------------


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            self.stopping.wait(0.1)


def start_server(database: str, folder: Path, session: str | None = None
                 ) -> tuple[subprocess.Popen, str, int, str, str]:
    """A new session (or one more process serving ``session``)."""
    choose = (["--session", session] if session else
              ["--bank", "operation", "--count", str(QUESTIONS), "--max-students", "100000"])
    command = [sys.executable, "-c", "import sys; from quizkit.cli import main; sys.exit(main())",
               "live", *choose, "--quizzes", str(ROOT / "quizzes"), "--host", "127.0.0.1",
               "--no-qr", "--database", database]
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    text = ""
    deadline = time.monotonic() + 120
    while "Presenter" not in text and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        text += line
    found = re.search(r"open http://([\d.]+):(\d+)/s/(\w+)", text)
    token = re.search(r"token=(\S+)", text)
    if not (found and token):
        process.kill()
        raise SystemExit(f"quizkit live did not start:\n{text}")
    return process, found.group(1), int(found.group(2)), found.group(3), token.group(1)


def run_loop(coroutine):
    """uvloop when installed (it is, with quizkit): the load generator shares the CPUs
    with the server, so it should spend as little of them as it can."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def one_run(students: int, database: str | None, processes: int) -> bool:
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
        url = database or f"sqlite:///{Path(tmp) / 'live.sqlite'}"
        first = start_server(url, Path(tmp))
        started_servers = [first]
        for _ in range(processes - 1):
            started_servers.append(start_server(url, Path(tmp), session=first[3]))
        samplers = [Sampler(p[0].pid) for p in started_servers]
        for sampler in samplers:
            sampler.start()
        servers = [psutil.Process(p[0].pid) for p in started_servers]
        cpu_before = sum(sum(p.cpu_times()[:2]) for p in servers)
        started = time.monotonic()
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        try:
            lecture = Lecture([(p[1], p[2]) for p in started_servers], first[3], first[4],
                              students)
            outcome = run_loop(lecture.run())
        finally:
            wall = time.monotonic() - started
            cpu = sum(sum(p.cpu_times()[:2]) for p in servers) - cpu_before
            client_after = resource.getrusage(resource.RUSAGE_SELF)
            client_cpu = (client_after.ru_utime + client_after.ru_stime
                          - client_before.ru_utime - client_before.ru_stime)
            for sampler in samplers:
                sampler.stopping.set()
            for process, *_ in started_servers:
                process.send_signal(signal.SIGINT)
            for process, *_ in started_servers:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                process.stdout.close()
    lat = [x * 1000 for x in lecture.latencies]
    p95 = percentile(lat, 95)
    worst_push = max(lecture.pushes) if lecture.pushes else float("inf")
    ok = p95 <= TARGET_P95_MS and worst_push <= TARGET_PUSH_S and not lecture.errors
    joins = [x * 1000 for x in outcome["join_times"]]
    kind = url.split(":")[0]
    print(f"\n{students} students, {QUESTIONS} questions ({kind}, {processes} server "
          f"process{'es' if processes > 1 else ''})")
    print(f"  join:            all {students} in {outcome['joined']:.2f} s; per join p50 "
          f"{percentile(joins, 50):.0f} ms, p95 {percentile(joins, 95):.0f} ms")
    print(f"  answer latency:  p50 {percentile(lat, 50):.0f} ms, p95 {p95:.0f} ms, "
          f"p99 {percentile(lat, 99):.0f} ms ({len(lat)} answers)")
    print(f"  push delay:      p50 {percentile(lecture.pushes, 50) * 1000:.0f} ms, p95 "
          f"{percentile(lecture.pushes, 95) * 1000:.0f} ms, worst {worst_push * 1000:.0f} ms "
          f"({len(lecture.pushes)} pushes)")
    for kind, delays in lecture.push_kinds.items():
        print(f"    {kind + ' pushes:':16} p50 {percentile(delays, 50) * 1000:.0f} ms, p95 "
              f"{percentile(delays, 95) * 1000:.0f} ms, worst {max(delays) * 1000:.0f} ms")
    print(f"  errors:          {len(lecture.errors)}"
          + (f" (first: {lecture.errors[0]})" if lecture.errors else ""))
    print(f"  server:          CPU {cpu:.1f} s in {wall:.1f} s ({100 * cpu / wall:.0f} % of one "
          f"core), peak RSS {' + '.join(f'{s.peak / 2**20:.0f}' for s in samplers)} MiB")
    print(f"  load generator:  CPU {client_cpu:.1f} s; machine load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  target (p95 <= {TARGET_P95_MS:.0f} ms, push <= {TARGET_PUSH_S:.0f} s, no errors): "
          f"{'met' if ok else 'NOT met'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[100, 250, 500])
    parser.add_argument("--database", help="postgresql://… (default: a new SQLite file per run)")
    parser.add_argument("--processes", type=int, default=1,
                        help="server processes on the one session (needs PostgreSQL when >1); "
                             "students are spread over them, the presenter uses the first")
    args = parser.parse_args()
    if args.processes > 1 and not (args.database or "").startswith("postgresql"):
        parser.error("--processes above 1 needs --database postgresql://…")
    met = [n for n in args.students if one_run(n, args.database, args.processes)]
    print(f"\nlargest N tried that met the target: {max(met) if met else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
