"""The HTTP side of a live session: pages, the students' and the presenter's API,
event streams (server-sent events, with a polling route for networks that break
them).

Rules enforced here (each answered with a 4xx and a one-line ``{"error": …}``,
nothing stored): a student acts only through the cookie ``join`` gave them, on the
question being asked, before reveal, once unless changes are allowed; the
presenter's routes need the session's token; bodies are JSON objects of at most
``MAX_BODY`` bytes; names are one line of at most ``MAX_NAME`` characters. What a
student sends is stored as data and every page renders it with ``textContent``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import io
import json
import secrets
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import segno
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse, JSONResponse, RedirectResponse, Response, StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..catalog import Catalog
from ..model import Item
from . import questions
from .push import Hub
from .storage import AnswerRequest, AnswerWriter, RefusedError, Snapshot, Store, Student

STATIC = Path(__file__).parent / "static"
MAX_BODY = 4096  # bytes of a request body
MAX_NAME = 40  # characters of a name or student id
STREAM_RECHECK = 10.0  # seconds between re-reads of an idle stream (missed wake-ups)
PRESENTER_COALESCE = 0.4  # seconds: answers arriving together update the presenter once
COOKIE_PREFIX = "quizkit_live_"

ANONYMOUS_WORDS = (
    "Amber", "Azure", "Brisk", "Calm", "Cedar", "Coral", "Crisp", "Dawn", "Dusky", "Ember",
    "Fern", "Frost", "Gold", "Hazel", "Indigo", "Ivory", "Jade", "Lunar", "Maple", "Mint",
    "Olive", "Pearl", "Quartz", "River", "Sage", "Slate", "Solar", "Swift", "Teal", "Umber",
)
ANONYMOUS_ANIMALS = (
    "Bear", "Crane", "Deer", "Eagle", "Falcon", "Fox", "Heron", "Ibex", "Kite", "Lark",
    "Lynx", "Marten", "Otter", "Owl", "Panda", "Puffin", "Robin", "Seal", "Stork", "Wren",
)

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     b"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    # The presenter's address holds its token: never send it on as a referrer.
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


@dataclass
class Live:
    """What the server serves: one session's items and settings, and where it is."""

    store: Store
    code: str
    items: list[Item]
    catalog: Catalog
    student_url: str
    export_dir: Path
    database_url: str
    settings: dict
    presenter_token: str
    title: str = "Live quiz"
    hub: Hub = field(default_factory=Hub)
    roster: dict[str, str] | None = None  # id → name, from --roster
    _students: dict[str, Student] = field(default_factory=dict)  # token → student
    _cache: dict = field(default_factory=dict)
    _cache_lock: asyncio.Lock | None = None
    writer: AnswerWriter | None = None


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


# -- reading requests -------------------------------------------------------------------


async def read_json(request: Request) -> dict:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise RefusedError(415, "send the body as application/json")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise RefusedError(413, f"the request is larger than {MAX_BODY} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise RefusedError(413, f"the request is larger than {MAX_BODY} bytes")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise RefusedError(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise RefusedError(400, "the body must be a JSON object")
    return data


def clean_name(value: object) -> str:
    if not isinstance(value, str):
        raise RefusedError(422, "name must be text")
    name = " ".join(unicodedata.normalize("NFC", value).split())
    if not name:
        raise RefusedError(422, "enter your name or student id")
    if len(name) > MAX_NAME:
        raise RefusedError(422, f"a name has at most {MAX_NAME} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise RefusedError(422, "a name must not contain control characters")
    return name


def session_code(request: Request, live: Live) -> str:
    code = request.path_params["code"].upper()
    if code != live.code:
        raise RefusedError(404, f"no session {request.path_params['code'][:16]!r} on this server")
    return code


def require_presenter(request: Request, live: Live) -> str:
    code = session_code(request, live)
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    given = given or request.query_params.get("token", "")
    expected = live.presenter_token
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise RefusedError(403, "this needs the presenter's token")
    return code


async def require_student(request: Request, live: Live) -> Student:
    code = session_code(request, live)
    token = request.cookies.get(COOKIE_PREFIX + code, "")
    if not token:
        raise RefusedError(401, "join the session first")
    student = live._students.get(token)
    if student is None:
        student = await run_in_threadpool(live.store.student_by_token, code, token)
        if student is None:
            raise RefusedError(401, "join the session first")
        live._students[token] = student
    return student


# -- what the pages see ---------------------------------------------------------------


def remaining_time(snap: Snapshot, timer: float | None, now: float) -> float | None:
    s = snap.session
    if not timer or s.opened_at is None or s.phase not in ("open", "paused"):
        return None
    until = (s.paused_at if s.phase == "paused" else now) or now
    return max(0.0, s.opened_at + timer - until)


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _shared_parts(live: Live, snap: Snapshot) -> dict[str, str]:
    """The JSON every student's page shares for one snapshot (the question, the
    reveal), encoded once per snapshot rather than once per student."""
    cached = live._cache.get("parts")
    if cached and cached[0] is snap:
        return cached[1]
    s = snap.session
    parts = {"head": dumps({"revision": s.revision, "code": s.code, "title": s.title,
                            "phase": s.phase, "total": s.total})[:-1]}
    if s.phase != "ended" and s.number >= 0:
        item = live.items[s.number]
        parts["question"] = dumps(questions.student_view(item, s.number + 1, s.total))
        if s.number in snap.revealed:
            parts["reveal"] = dumps(questions.reveal_view(item))[:-1]
    live._cache["parts"] = (snap, parts)
    return parts


def student_json(live: Live, snap: Snapshot, student: Student, now: float,
                 own: dict[int, tuple[object, bool]] | None = None) -> str:
    """The page of one student, as JSON: never a key before reveal. ``own``: the
    student's answers read just now (the shared snapshot is refreshed on state
    changes only, so a page that (re)connects mid-question reads its own afresh)."""
    s = snap.session
    parts = _shared_parts(live, snap)
    text = [parts["head"], ',"you":', dumps(student.name)]
    if s.phase == "ended":
        right = [bool(snap.answers.get(n, {}).get(student.id, (None, False))[1])
                 for n in range(s.total)]
        text += [',"timer":null,"result":',
                 dumps({"score": sum(right), "total": s.total, "right": right})]
    elif "question" in parts:
        item = live.items[s.number]
        mine = (own.get(s.number) if own is not None
                else snap.answers.get(s.number, {}).get(student.id))
        text += [',"timer":', dumps(remaining_time(snap, s.settings.get("timer"), now)),
                 ',"question":', parts["question"], ',"your_answer":',
                 dumps(questions.wire_answer(item, mine[0]) if mine else None)]
        if "reveal" in parts:
            text += [',"reveal":', parts["reveal"], ',"you_were_right":',
                     dumps(None if mine is None else mine[1]), "}"]
    else:
        text.append(',"timer":null')
    text.append("}")
    return "".join(text)


def presenter_state(live: Live, snap: Snapshot, now: float) -> dict:
    s = snap.session
    state: dict = {
        "revision": s.revision, "code": s.code, "title": s.title, "phase": s.phase,
        "number": s.number + 1, "total": s.total, "joined": len(snap.students),
        "names": list(snap.students.values()), "student_url": live.student_url,
        "anonymous": bool(s.settings.get("anonymous")),
        "timer": remaining_time(snap, s.settings.get("timer"), now),
        "timer_total": s.settings.get("timer"),
    }
    if s.phase == "ended":
        state["results"] = results(live, snap)
        return state
    if s.number < 0:
        return state
    item = live.items[s.number]
    given = snap.answers.get(s.number, {})
    state["question"] = questions.student_view(item, s.number + 1, s.total)
    state["answers"] = len(given)
    bars = questions.histogram(item, [a for a, _ in given.values()])
    revealed = s.number in snap.revealed
    if not revealed:  # the projector shows no key before reveal either
        for bar in bars:
            bar.pop("correct", None)
    state["histogram"] = bars
    if revealed:
        state["reveal"] = questions.reveal_view(item)
        state["reveal"]["right"] = sum(1 for _, ok in given.values() if ok)
    return state


def results(live: Live, snap: Snapshot) -> dict:
    """Scores of the class (best first, then by name) and each question's results."""
    total = snap.session.total
    scores = [{"name": name,
               "score": sum(1 for n in range(total) if snap.answers.get(n, {}).get(sid, (0, False))[1])}
              for sid, name in snap.students.items()]
    scores.sort(key=lambda row: (-row["score"], row["name"].casefold()))
    per_question = []
    for n, item in enumerate(live.items):
        given = snap.answers.get(n, {})
        per_question.append({"number": n + 1, "stem": item.stem, "answered": len(given),
                             "right": sum(1 for _, ok in given.values() if ok),
                             "answer": item.answer_text()})
    return {"total": total, "students": len(scores), "scores": scores,
            "questions": per_question}


async def current_snapshot(live: Live, max_age: float = STREAM_RECHECK) -> Snapshot:
    """One database read shared by every page of this process: fresh after each
    state signal, and at least every ``max_age`` seconds."""
    signal = live.hub.signal(live.code, "state")
    if live._cache_lock is None:
        live._cache_lock = asyncio.Lock()

    def fresh() -> Snapshot | None:
        cached = live._cache.get("student")
        if cached and cached[0] == signal.value and time.monotonic() - cached[1] < max_age:
            return cached[2]
        return None

    snap = fresh()
    if snap is not None:
        return snap
    async with live._cache_lock:
        snap = fresh()
        if snap is None:
            seen = signal.value
            snap = await run_in_threadpool(live.store.snapshot, live.code, True)
            live._cache["student"] = (seen, time.monotonic(), snap)
    return snap


def sse(data: dict) -> bytes:
    return f"data: {dumps(data)}\n\n".encode()


# -- routes ---------------------------------------------------------------------------


def build_app(live: Live) -> Starlette:
    async def guarded(handler, request: Request) -> Response:
        try:
            return await handler(request)
        except RefusedError as exc:
            return error(exc.status, exc.message)

    def route(path, handler, methods=("GET",)):
        async def endpoint(request: Request) -> Response:
            return await guarded(handler, request)
        return Route(path, endpoint, methods=list(methods))

    async def home(request: Request) -> Response:
        return RedirectResponse(f"/s/{live.code}", status_code=303)

    async def student_page(request: Request) -> Response:
        session_code(request, live)
        return FileResponse(STATIC / "student.html", media_type="text/html")

    async def presenter_page(request: Request) -> Response:
        session_code(request, live)
        return FileResponse(STATIC / "presenter.html", media_type="text/html")

    async def qr_code(request: Request) -> Response:
        session_code(request, live)
        svg = io.BytesIO()
        segno.make(live.student_url, error="m").save(svg, kind="svg", scale=6, dark="#000",
                                                      light="#fff", border=2)
        return Response(svg.getvalue(), media_type="image/svg+xml")

    async def info(request: Request) -> Response:
        session_code(request, live)
        return JSONResponse({"title": live.title, "anonymous": bool(live.settings.get("anonymous")),
                             "roster": live.roster is not None})

    async def join(request: Request) -> Response:
        code = session_code(request, live)
        data = await read_json(request)
        token = request.cookies.get(COOKIE_PREFIX + code, "")
        if token:
            known = await run_in_threadpool(live.store.student_by_token, code, token)
            if known:  # a reload or a second tap: the same student, never a second one
                return JSONResponse({"name": known.name, "rejoined": True})
        settings = live.settings
        limit = int(settings.get("max_students", 1000))
        if settings.get("anonymous"):
            if "name" in data:
                raise RefusedError(422, "this session is anonymous: names are given, not chosen")
            for attempt in range(5):  # two phones may draw the same nickname at once
                try:
                    name = await run_in_threadpool(anonymous_name, live)
                    student, token = await run_in_threadpool(live.store.join, code, name, limit)
                    break
                except RefusedError as exc:
                    if exc.status != 409 or "taken" not in exc.message or attempt == 4:
                        raise
        else:
            name = clean_name(data.get("name"))
            if live.roster is not None and name not in live.roster:
                raise RefusedError(403, "that student id is not on the class roster")
            student, token = await run_in_threadpool(live.store.join, code, name, limit)
        live._students[token] = student
        live.hub.fire(code, "join")
        response = JSONResponse({"name": student.name, "rejoined": False})
        response.set_cookie(COOKIE_PREFIX + code, token, max_age=12 * 3600, httponly=True,
                            samesite="strict", path="/")
        return response

    async def me(request: Request) -> Response:
        student = await require_student(request, live)
        return JSONResponse({"name": student.name})

    async def answer(request: Request) -> Response:
        student = await require_student(request, live)
        data = await read_json(request)
        number = data.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= len(live.items):
            raise RefusedError(422, f"number must be a question number, 1 to {len(live.items)}")
        if "answer" not in data:
            raise RefusedError(422, "the body needs an answer")
        item = live.items[number - 1]
        try:
            stored = questions.read_answer(item, data["answer"])
        except questions.AnswerError as exc:
            raise RefusedError(422, str(exc)) from None
        correct = questions.judge(item, stored)
        settings = live.settings
        request_ = AnswerRequest(student, number - 1, stored, correct, time.time(),
                                 bool(settings.get("allow_change", True)), settings.get("timer"))
        ack = await asyncio.wrap_future(live.writer.submit(request_))
        live.hub.fire(live.code, "answer")
        ack["number"] = number
        return JSONResponse(ack)

    async def student_poll(request: Request) -> Response:
        student = await require_student(request, live)
        snap = await current_snapshot(live, max_age=1.0)
        own = await run_in_threadpool(live.store.own_answers, live.code, student.id)
        return Response(student_json(live, snap, student, time.time(), own),
                        media_type="application/json")

    async def student_events(request: Request) -> Response:
        student = await require_student(request, live)
        signal = live.hub.signal(live.code, "state")

        async def stream():
            seen = -1
            own = await run_in_threadpool(live.store.own_answers, live.code, student.id)
            while True:
                value = signal.value
                snap = await current_snapshot(live)
                if snap.session.revision != seen:
                    seen = snap.session.revision
                    yield f"data: {student_json(live, snap, student, time.time(), own)}\n\n".encode()
                    own = None
                else:
                    yield b": still here\n\n"
                if snap.session.phase == "ended":
                    return
                await signal.wait(value, STREAM_RECHECK)
                if await request.is_disconnected():
                    return

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"x-accel-buffering": "no"})

    async def presenter_poll(request: Request) -> Response:
        code = require_presenter(request, live)
        snap = await run_in_threadpool(live.store.snapshot, code)
        return JSONResponse(presenter_state(live, snap, time.time()))

    async def presenter_events(request: Request) -> Response:
        code = require_presenter(request, live)
        signals = [live.hub.signal(code, kind) for kind in ("state", "join", "answer")]

        async def stream():
            while True:
                seen = [s.value for s in signals]
                snap = await run_in_threadpool(live.store.snapshot, code, True)
                yield sse(presenter_state(live, snap, time.time()))
                waits = [asyncio.ensure_future(s.wait(v, STREAM_RECHECK))
                         for s, v in zip(signals, seen)]
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for w in waits:
                    w.cancel()
                if await request.is_disconnected():
                    return
                await asyncio.sleep(PRESENTER_COALESCE)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"x-accel-buffering": "no"})

    async def act(request: Request) -> Response:
        code = require_presenter(request, live)
        data = await read_json(request)
        action = data.get("action")
        if not isinstance(action, str):
            raise RefusedError(422, "action must be text")
        row = await run_in_threadpool(live.store.act, code, action)
        live.hub.fire(code, "state")
        return JSONResponse({"phase": row.phase, "number": row.number + 1,
                             "revision": row.revision})

    async def export_now(request: Request) -> Response:
        from .export import write_export

        code = require_presenter(request, live)
        written = await run_in_threadpool(write_export, live.store, code, live.items,
                                          live.catalog, live.export_dir)
        return JSONResponse({"folder": str(written),
                             "files": sorted(p.name for p in written.iterdir())})

    async def download(request: Request) -> Response:
        from .export import export_files

        code = require_presenter(request, live)
        name = request.path_params["name"]
        files = await run_in_threadpool(export_files, live.store, code, live.items, live.catalog)
        if name not in files:
            raise RefusedError(404, f"no export file {name[:40]!r} (one of {', '.join(files)})")
        kind = "application/json" if name.endswith(".json") else "text/csv"
        return Response(files[name].encode("utf-8"), media_type=f"{kind}; charset=utf-8", headers={
            "content-disposition": f'attachment; filename="live-{code}-{name}"'})

    routes = [
        route("/", home),
        route("/s/{code}", student_page),
        route("/p/{code}", presenter_page),
        route("/qr/{code}.svg", qr_code),
        route("/api/s/{code}/info", info),
        route("/api/s/{code}/join", join, ("POST",)),
        route("/api/s/{code}/me", me),
        route("/api/s/{code}/answer", answer, ("POST",)),
        route("/api/s/{code}/state", student_poll),
        route("/api/s/{code}/events", student_events),
        route("/api/p/{code}/state", presenter_poll),
        route("/api/p/{code}/events", presenter_events),
        route("/api/p/{code}/action", act, ("POST",)),
        route("/api/p/{code}/export", export_now, ("POST",)),
        route("/api/p/{code}/files/{name}", download),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        live.hub.start(live.database_url)
        live.writer = AnswerWriter(live.store, live.code)
        live.writer.start()
        yield
        live.writer.stop()
        live.hub.stop()

    app = Starlette(routes=routes, lifespan=lifespan)
    return SecurityHeaders(app)


def anonymous_name(live: Live) -> str:
    """A nickname not yet taken in the session ("Teal Heron 12")."""
    taken = set(live.store.snapshot(live.code, numbers=set()).students.values())
    while True:
        name = (f"{secrets.choice(ANONYMOUS_WORDS)} {secrets.choice(ANONYMOUS_ANIMALS)} "
                f"{secrets.randbelow(90) + 10}")
        if name not in taken:
            return name


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response (a plain ASGI wrapper, so event
    streams are passed through unbuffered)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        return await self.app(scope, receive, with_headers)
