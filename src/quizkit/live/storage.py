"""The live session in a database: one data layer (SQLAlchemy Core) for SQLite and
PostgreSQL.

Every change is one transaction that also appends its event to ``events``, so the
event log and the state never disagree, and a change is acknowledged to its sender
only after the commit: an acknowledged answer survives a killed server.

SQLite runs in WAL mode with ``synchronous=NORMAL`` and ``BEGIN IMMEDIATE`` (a write
transaction takes the write lock at once, so two answers never dead-lock on a lock
upgrade). In WAL mode NORMAL makes a commit survive the server process being killed
(the log is in the operating system's hands once written); only a power cut or an
operating-system crash can lose the last commits, and it spares one disk flush per
answer (the benchmark's answer latency halves). On PostgreSQL an answer reads the session row ``FOR SHARE`` and a
presenter action takes it ``FOR UPDATE``: an answer and a reveal are ordered, never
interleaved. Each commit there also sends ``NOTIFY quizkit_live`` so the other
server processes wake their pages (see ``push``).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import queue
import secrets
import threading
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import event as sa_event

PHASES = ("lobby", "open", "paused", "revealed", "ended")
ACTIONS = ("next", "previous", "pause", "resume", "reveal", "end")
NOTIFY_CHANNEL = "quizkit_live"
# A join code is read aloud and typed on a phone: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

metadata = sa.MetaData()

sessions = sa.Table(
    "live_sessions", metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("presenter_token", sa.String(64), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("items", sa.JSON, nullable=False),  # [{"id", "fingerprint"}] in order
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("phase", sa.String(16), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),  # 0-based question, -1 in the lobby
    sa.Column("opened_at", sa.Float),
    sa.Column("paused_at", sa.Float),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

reveals = sa.Table(
    "live_reveals", metadata,
    sa.Column("code", sa.String(16), sa.ForeignKey("live_sessions.code"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False),
)

students = sa.Table(
    "live_students", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(16), sa.ForeignKey("live_sessions.code"), nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("joined_at", sa.Float, nullable=False),
    sa.UniqueConstraint("code", "name", name="live_students_one_name"),
)

answers = sa.Table(
    "live_answers", metadata,
    sa.Column("code", sa.String(16), sa.ForeignKey("live_sessions.code"), primary_key=True),
    sa.Column("student", sa.Integer, sa.ForeignKey("live_students.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("response", sa.JSON, nullable=False),
    sa.Column("correct", sa.Boolean, nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("changes", sa.Integer, nullable=False, default=0),
)

events = sa.Table(
    "live_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(16), sa.ForeignKey("live_sessions.code"), nullable=False,
              index=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("student", sa.String(80)),
    sa.Column("number", sa.Integer),
    sa.Column("data", sa.JSON),
)


class RefusedError(Exception):
    """A request the rules forbid; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class SessionRow:
    code: str
    presenter_token: str
    title: str
    items: list
    settings: dict
    phase: str
    number: int
    opened_at: float | None
    paused_at: float | None
    revision: int

    @property
    def total(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Student:
    id: int
    name: str


@dataclass(frozen=True)
class AnswerRequest:
    """An answer already read and judged (``questions``), waiting to be stored."""

    student: Student
    number: int  # 0-based
    stored: object
    correct: bool
    at: float  # when it arrived: the timer is judged on this, not on the commit
    allow_change: bool
    timer: float | None


def _check_answer(row: SessionRow, b: AnswerRequest, changes: dict[int, int]) -> None:
    """The rules of answering, against the session as the transaction sees it."""
    if row.phase == "ended":
        raise RefusedError(409, "the session has ended")
    if b.number != row.number or row.phase not in ("open", "paused", "revealed"):
        raise RefusedError(409, f"question {b.number + 1} is not the question being asked")
    if row.phase == "revealed":
        raise RefusedError(409, "the answer has been revealed; answers are closed")
    if row.phase == "paused":
        raise RefusedError(409, "the question is paused; wait for it to resume")
    if b.timer and row.opened_at is not None and b.at > row.opened_at + b.timer + 1.0:
        raise RefusedError(409, "time is up for this question")
    if b.student.id in changes and not b.allow_change:
        raise RefusedError(409, "you have already answered this question")


@dataclass
class Snapshot:
    """One revision of a session as the pages need it, read in one go."""

    session: SessionRow
    revealed: set[int]
    students: dict[int, str]  # id → name, in joining order
    answers: dict[int, dict[int, tuple[object, bool]]] = field(default_factory=dict)
    # number → student id → (stored answer, correct)


class AnswerWriter(threading.Thread):
    """One thread that stores answers in batches: whatever arrived while the previous
    batch was being committed goes into the next transaction. Each caller waits on
    its own future, so an answer is acknowledged only after its commit."""

    MAX_BATCH = 500

    def __init__(self, store: Store, code: str):
        super().__init__(name="quizkit-live-answers", daemon=True)
        self.store, self.code = store, code
        self.pending: queue.Queue = queue.Queue()

    def submit(self, request: AnswerRequest) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self.pending.put((request, future))
        return future

    def stop(self) -> None:
        self.pending.put(None)
        self.join(timeout=5)

    def run(self) -> None:
        while True:
            first = self.pending.get()
            if first is None:
                return
            waiting = [first]
            while len(waiting) < self.MAX_BATCH:
                try:
                    more = self.pending.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self.pending.put(None)
                    break
                waiting.append(more)
            try:
                results = self.store.answer_many(self.code, [r for r, _ in waiting])
            except Exception as exc:
                for _, future in waiting:
                    future.set_exception(exc)
                continue
            for (_, future), result in zip(waiting, results):
                if isinstance(result, RefusedError):
                    future.set_exception(result)
                else:
                    future.set_result(result)


def engine_for(url: str) -> sa.Engine:
    """An engine for ``url`` (``sqlite:///file`` or ``postgresql://…``), tables made."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = sa.create_engine(url, pool_size=8, max_overflow=24, pool_timeout=30,
                              pool_pre_ping=url.startswith("postgresql"))
    if engine.dialect.name == "sqlite":
        @sa_event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @sa_event.listens_for(engine, "begin")
        def _begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    metadata.create_all(engine)
    return engine


class Store:
    def __init__(self, url: str):
        self.url = url
        self.engine = engine_for(url)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        # SQLite has one writer at a time, and a writer that finds the file locked
        # sleeps in SQLite's busy handler (up to 100 ms a try): the threads of this
        # process queue on a lock instead, and wait only as long as the writer before.
        self._write_lock = contextlib.nullcontext() if self.is_postgres else threading.Lock()

    @contextlib.contextmanager
    def _writing(self):
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()

    # -- writing --------------------------------------------------------------

    def _log(self, conn, code: str, kind: str, *, student: str | None = None,
             number: int | None = None, data: dict | None = None, at: float | None = None):
        conn.execute(events.insert().values(code=code, at=at or time.time(), kind=kind,
                                            student=student, number=number, data=data))

    def _notify(self, conn, code: str, kind: str) -> None:
        if self.is_postgres:
            conn.execute(sa.text("SELECT pg_notify(:channel, :payload)"),
                         {"channel": NOTIFY_CHANNEL, "payload": f"{code} {kind}"})

    def create_session(self, title: str, items: list[dict], settings: dict) -> SessionRow:
        token = secrets.token_urlsafe(24)
        now = time.time()
        for _ in range(20):
            code = new_code()
            with self._writing() as conn:
                if conn.execute(sa.select(sessions.c.code).where(sessions.c.code == code)).first():
                    continue
                conn.execute(sessions.insert().values(
                    code=code, presenter_token=token, title=title, items=items,
                    settings=settings, phase="lobby", number=-1, revision=1, created_at=now))
                self._log(conn, code, "session-created", data={
                    "title": title, "items": [i["id"] for i in items], "settings": settings},
                    at=now)
            return self.session(code)
        raise RuntimeError("no free session code after 20 tries")

    def join(self, code: str, name: str, max_students: int) -> tuple[Student, str]:
        token = secrets.token_urlsafe(24)
        now = time.time()
        with self._writing() as conn:
            row = self._session_row(conn, code, lock="share")
            if row.phase == "ended":
                raise RefusedError(409, "the session has ended")
            count = conn.execute(sa.select(sa.func.count()).select_from(students)
                                 .where(students.c.code == code)).scalar_one()
            if count >= max_students:
                raise RefusedError(409, f"the session is full ({max_students} students)")
            taken = conn.execute(sa.select(students.c.id).where(
                students.c.code == code, students.c.name == name)).first()
            if taken:
                raise RefusedError(409, f"the name {name!r} is taken in this session; "
                                   "add an initial or a number")
            student_id = conn.execute(students.insert().values(
                code=code, name=name, token_hash=token_hash(token), joined_at=now)
            ).inserted_primary_key[0]
            self._log(conn, code, "join", student=name, at=now)
            self._notify(conn, code, "join")
        return Student(student_id, name), token

    def answer_many(self, code: str, batch: list[AnswerRequest]) -> list[dict | RefusedError]:
        """Store a batch of answers in one transaction (a group commit: one commit for
        the answers that arrived together). Each gets its acknowledgement, or the
        ``RefusedError`` that says which rule it broke; a refused answer stores nothing."""
        results: list[dict | RefusedError] = []
        with self._writing() as conn:
            row = self._session_row(conn, code, lock="share")
            current = [b.student.id for b in batch if b.number == row.number]
            key = (answers.c.code == code) & (answers.c.number == row.number)
            changes = {r.student: r.changes for r in conn.execute(
                sa.select(answers.c.student, answers.c.changes)
                .where(key, answers.c.student.in_(current)))} if current else {}
            inserts, updates, logs = [], [], []
            for b in batch:
                try:
                    _check_answer(row, b, changes)
                except RefusedError as exc:
                    results.append(exc)
                    continue
                values = {"response": b.stored, "correct": b.correct, "at": b.at}
                before = changes.get(b.student.id)
                if before is None:
                    inserts.append({"code": code, "student": b.student.id, "number": b.number,
                                    "changes": 0, **values})
                    changes[b.student.id] = 0
                else:
                    updates.append((b.student.id, {**values, "changes": before + 1}))
                    changes[b.student.id] = before + 1
                logs.append({"code": code, "at": b.at, "student": b.student.name,
                             "number": b.number, "kind": "answer" if before is None
                             else "answer-changed",
                             "data": {"response": b.stored, "correct": b.correct}})
                results.append({"number": b.number, "received": True,
                                "changed": before is not None})
            if inserts:
                conn.execute(answers.insert(), inserts)
            for student, values in updates:
                conn.execute(answers.update().where(key, answers.c.student == student)
                             .values(**values))
            if logs:
                conn.execute(events.insert(), logs)
                self._notify(conn, code, "answer")
        return results

    def act(self, code: str, action: str) -> SessionRow:
        """A presenter action; a ``RefusedError`` when the session is not in a state for it."""
        now = time.time()
        with self._writing() as conn:
            row = self._session_row(conn, code, lock="update")
            revealed = self._revealed(conn, code)
            phase, number = row.phase, row.number
            opened_at, paused_at = row.opened_at, row.paused_at
            if phase == "ended":
                raise RefusedError(409, "the session has ended")
            if action in ("next", "previous"):
                target = number + (1 if action == "next" else -1)
                if target >= row.total:
                    raise RefusedError(409, "this is the last question; end the session instead")
                if target < 0:
                    raise RefusedError(409, "this is the first question")
                number = target
                phase = "revealed" if number in revealed else "open"
                opened_at, paused_at = now, None
            elif action == "pause":
                if phase != "open":
                    raise RefusedError(409, "only an open question can be paused")
                phase, paused_at = "paused", now
            elif action == "resume":
                if phase != "paused":
                    raise RefusedError(409, "the question is not paused")
                phase = "open"
                opened_at = (opened_at or now) + (now - (paused_at or now))
                paused_at = None
            elif action == "reveal":
                if phase not in ("open", "paused"):
                    raise RefusedError(409, "there is no open question to reveal")
                phase = "revealed"
                conn.execute(reveals.insert().values(code=code, number=number, at=now))
            elif action == "end":
                phase = "ended"
            else:
                raise RefusedError(400, f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
            conn.execute(sessions.update().where(sessions.c.code == code).values(
                phase=phase, number=number, opened_at=opened_at, paused_at=paused_at,
                revision=row.revision + 1))
            self._log(conn, code, action, number=number if number >= 0 else None, at=now)
            self._notify(conn, code, "state")
        return self.session(code)

    # -- reading --------------------------------------------------------------

    def _session_row(self, conn, code: str, lock: str | None = None) -> SessionRow:
        query = sa.select(sessions).where(sessions.c.code == code)
        if lock and self.is_postgres:
            query = query.with_for_update(read=(lock == "share"))
        row = conn.execute(query).mappings().first()
        if row is None:
            raise RefusedError(404, f"no session {code!r}")
        return SessionRow(**{k: row[k] for k in SessionRow.__dataclass_fields__})

    def _revealed(self, conn, code: str) -> set[int]:
        return {n for (n,) in conn.execute(sa.select(reveals.c.number)
                                           .where(reveals.c.code == code))}

    def session(self, code: str) -> SessionRow:
        with self.engine.connect() as conn:
            return self._session_row(conn, code)

    def revision(self, code: str) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(sessions.c.revision)
                                 .where(sessions.c.code == code)).scalar()
        if value is None:
            raise RefusedError(404, f"no session {code!r}")
        return value

    def student_by_token(self, code: str, token: str) -> Student | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(students.c.id, students.c.name).where(
                students.c.code == code, students.c.token_hash == token_hash(token))).first()
        return Student(row.id, row.name) if row else None

    def snapshot(self, code: str, current_only: bool = False,
                 numbers: set[int] | None = None) -> Snapshot:
        """The session, who joined, what was revealed, and the answers to ``numbers``
        (all questions when ``None``; with ``current_only``, those of the question
        being asked, or all once the session has ended: what the pages need)."""
        with self.engine.connect() as conn:
            row = self._session_row(conn, code)
            if current_only and row.phase != "ended":
                numbers = {row.number}
            revealed = self._revealed(conn, code)
            joined = {r.id: r.name for r in conn.execute(
                sa.select(students.c.id, students.c.name).where(students.c.code == code)
                .order_by(students.c.id))}
            query = sa.select(answers.c.number, answers.c.student, answers.c.response,
                              answers.c.correct).where(answers.c.code == code)
            if numbers is not None:
                query = query.where(answers.c.number.in_(sorted(numbers)))
            given: dict[int, dict[int, tuple[object, bool]]] = {}
            for r in conn.execute(query):
                given.setdefault(r.number, {})[r.student] = (r.response, bool(r.correct))
        return Snapshot(row, revealed, joined, given)

    def own_answers(self, code: str, student: int) -> dict[int, tuple[object, bool]]:
        """One student's answers: number → (stored answer, correct)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(answers.c.number, answers.c.response, answers.c.correct)
                                .where(answers.c.code == code, answers.c.student == student))
            return {r.number: (r.response, bool(r.correct)) for r in rows}

    def event_log(self, code: str) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(events).where(events.c.code == code)
                                .order_by(events.c.id)).mappings().all()
        return [{"at": r["at"], "kind": r["kind"], "student": r["student"],
                 "question": None if r["number"] is None else r["number"] + 1,
                 "data": r["data"]} for r in rows]

    def counts(self, code: str) -> dict[str, int]:
        """Rows per table for one session (what the tests check nothing was stored in)."""
        with self.engine.connect() as conn:
            return {table.name: conn.execute(sa.select(sa.func.count()).select_from(table)
                                             .where(table.c.code == code)).scalar_one()
                    for table in (students, answers, events, reveals)}


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
