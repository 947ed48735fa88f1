"""The rules of a live session, through its HTTP API (the app in-process), on SQLite
and on a throw-away PostgreSQL: who may do what, bad input refused with a clear 4xx
and nothing stored, no key before reveal, and exports that ``quizkit grade`` scores
as the students were scored."""

from __future__ import annotations

import contextlib
import functools
import csv
import io
import json
import time

import pytest
from starlette.testclient import TestClient

from quizkit.live import questions
from quizkit.live.server import COOKIE_PREFIX, MAX_BODY
from quizkit.project import load_catalog
from support.cli import run_quizkit
from support.live import ROOT, make_live, postgres_fixture

postgres_url = postgres_fixture()


@functools.cache
def operation_catalog():
    return load_catalog([ROOT / "quizzes" / "operation.yml"])


@pytest.fixture(scope="module")
def catalog():
    return operation_catalog()


@pytest.fixture(scope="module")
def mixed(catalog):
    """One item of each of the six types, from the real bank's self-check pool."""
    chosen = []
    for kind in ("single", "multiple", "numeric", "text", "order", "match"):
        chosen.append(next(i for i in catalog.items.values()
                           if i.type == kind and i.pool == "self-check"))
    return chosen


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'live.sqlite'}"
    return request.getfixturevalue("postgres_url")


class Phone:
    """One student's browser: its own cookie, over the app's one test client (one
    event loop for the whole room, as in the real server)."""

    def __init__(self, client: TestClient, code: str):
        self.client, self.code, self.cookies = client, code, {}
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.client.cookies.clear()
        reply = self.client.request(method, path, headers=headers, **kwargs)
        self.cookies.update(self.client.cookies)
        self.client.cookies.clear()
        return reply

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)

    @contextlib.contextmanager
    def stream(self, method: str, path: str):
        headers = {"cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        self.client.cookies.clear()
        with self.client.stream(method, path, headers=headers) as reply:
            yield reply


@contextlib.contextmanager
def opened(database: str, items, **settings):
    """(client, live) for a new session of ``items`` (from the operation bank)."""
    app, live = make_live(database, items, operation_catalog(), **settings)
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            yield client, live
    finally:
        live.store.dispose()


@pytest.fixture
def room(database, mixed):
    """(student factory, live, presenter) for a new session of ``mixed``."""
    with opened(database, mixed) as (client, live):
        presenter = Phone(client, live.code)
        presenter.headers["Authorization"] = f"Bearer {live.presenter_token}"

        def student(name: str | None = None) -> Phone:
            phone = Phone(client, live.code)
            if name is not None:
                reply = phone.post(f"/api/s/{live.code}/join", json={"name": name})
                assert reply.status_code == 200, reply.text
            return phone

        yield student, live, presenter


@pytest.fixture
def checked_room(tmp_path, mixed):
    """A room on SQLite only: for the checks made before anything reaches storage
    (they are the same whatever the database)."""
    with opened(f"sqlite:///{tmp_path / 'live.sqlite'}", mixed) as (client, live):
        def student(name: str | None = None) -> Phone:
            phone = Phone(client, live.code)
            if name is not None:
                assert phone.post(f"/api/s/{live.code}/join", json={"name": name}).status_code == 200
            return phone

        presenter = Phone(client, live.code)
        presenter.headers["Authorization"] = f"Bearer {live.presenter_token}"
        yield student, live, presenter


def act(presenter, live, action: str, status: int = 200):
    reply = presenter.post(f"/api/p/{live.code}/action", json={"action": action})
    assert reply.status_code == status, reply.text
    return reply.json()


def answer(client, live, number: int, value):
    return client.post(f"/api/s/{live.code}/answer", json={"number": number, "answer": value})


# Right answers in the phone's terms, for each type (see questions.read_answer).
def right_wire(item):
    from quizkit.shuffle import event_display_order, right_display_order

    if item.type == "single":
        return item.correct_indices[0]
    if item.type == "multiple":
        return list(item.correct_indices)
    if item.type == "numeric":
        return questions.format_number(item.answer.value)
    if item.type == "text":
        return item.accept[-1].upper()  # folded like the grader folds it
    if item.type == "order":
        return [index + 1 for index in event_display_order(item)]  # positions of shown rows
    shown = right_display_order(item)
    return [shown.index(i) for i in range(len(item.pairs))]


def wrong_wire(item):
    if item.type == "single":
        return next(i for i in range(len(item.options)) if i not in item.correct_indices)
    if item.type == "multiple":
        return [next(i for i in range(len(item.options)) if i not in item.correct_indices)]
    if item.type == "numeric":
        return "123456"
    if item.type == "text":
        return "=HYPERLINK(\"http://example.invalid\")"
    right = right_wire(item)
    return right[1:] + right[:1]


# -- joining ----------------------------------------------------------------------------


def test_a_reload_or_second_join_is_the_same_student(room):
    student, live, _ = room
    phone = student("Amina")
    again = phone.post(f"/api/s/{live.code}/join", json={"name": "Someone else"})
    assert again.json() == {"name": "Amina", "rejoined": True}
    assert phone.get(f"/api/s/{live.code}/me").json() == {"name": "Amina"}
    assert live.store.counts(live.code)["live_students"] == 1


@pytest.mark.parametrize("body, status, message", [
    ({"name": ""}, 422, "enter your name"),
    ({"name": "   "}, 422, "enter your name"),
    ({"name": "x" * 41}, 422, "at most 40 characters"),
    ({"name": "a\u202eb"}, 422, "control characters"),
    ({"name": 12}, 422, "name must be text"),
    ({}, 422, "name must be text"),
])
def test_bad_names_are_refused_and_nothing_is_stored(checked_room, body, status, message):
    student, live, _ = checked_room
    before = live.store.counts(live.code)
    reply = student().post(f"/api/s/{live.code}/join", json=body)
    assert reply.status_code == status
    assert message in reply.json()["error"]
    assert live.store.counts(live.code) == before


def test_a_taken_name_is_refused(room):
    student, live, _ = room
    student("Bilal")
    reply = student().post(f"/api/s/{live.code}/join", json={"name": "Bilal"})
    assert reply.status_code == 409 and "taken" in reply.json()["error"]
    assert live.store.counts(live.code)["live_students"] == 1


def test_names_are_stored_as_text(room):
    student, live, presenter = room
    student("<img src=x onerror=alert(1)>")
    state = presenter.get(f"/api/p/{live.code}/state").json()
    assert state["names"] == ["<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("path", ["/api/s/NOSUCH/info", "/api/s/NOSUCH/state",
                                  "/s/NOSUCH", "/api/p/NOSUCH/state"])
def test_an_unknown_session_is_a_404(checked_room, path):
    student, _, _ = checked_room
    reply = student().get(path)
    assert reply.status_code == 404 and "no session" in reply.json()["error"]


# -- the presenter's token ----------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Bearer "}])
def test_presenter_routes_need_the_token(room, headers):
    student, live, _ = room
    phone = student("Chen")
    phone.headers.update(headers)
    before = live.store.session(live.code).revision
    for method, path, body in [("POST", "action", {"action": "next"}), ("GET", "state", None),
                               ("GET", "events", None), ("POST", "export", {}),
                               ("GET", "files/responses.csv", None)]:
        reply = phone.request(method, f"/api/p/{live.code}/{path}", json=body)
        assert reply.status_code == 403, path
        assert "presenter's token" in reply.json()["error"]
    assert live.store.session(live.code).revision == before
    assert not any(live.export_dir.iterdir())


def test_unknown_action_is_refused(room):
    _, live, presenter = room
    reply = presenter.post(f"/api/p/{live.code}/action", json={"action": "delete"})
    assert reply.status_code == 400 and "unknown action" in reply.json()["error"]


# -- answering ----------------------------------------------------------------------------


def test_answers_need_a_joined_student(room):
    student, live, presenter = room
    act(presenter, live, "next")
    stranger = student()
    assert answer(stranger, live, 1, 0).status_code == 401
    stranger.cookies[COOKIE_PREFIX + live.code] = "forged-token"
    reply = answer(stranger, live, 1, 0)
    assert reply.status_code == 401 and "join" in reply.json()["error"]
    assert live.store.counts(live.code)["live_answers"] == 0


def test_malformed_requests_are_refused_and_nothing_is_stored(checked_room, mixed):
    student, live, presenter = checked_room
    phone = student("Dana")
    act(presenter, live, "next")
    url = f"/api/s/{live.code}/answer"
    cases = [
        (phone.post(url, content=b"{not json", headers={"content-type": "application/json"}),
         400, "not valid JSON"),
        (phone.post(url, content=b'{"number": 1, "answer": 0}',
                    headers={"content-type": "text/plain"}), 415, "application/json"),
        (phone.post(url, json=[1, 0]), 400, "JSON object"),
        (phone.post(url, json={"number": 1, "answer": "x" * MAX_BODY}), 413, "larger than"),
        (phone.post(url, json={"number": 1}), 422, "needs an answer"),
        (phone.post(url, json={"number": "1", "answer": 0}), 422, "question number"),
        (phone.post(url, json={"number": 99, "answer": 0}), 422, "question number"),
        (phone.post(url, json={"number": True, "answer": 0}), 422, "question number"),
    ]
    for reply, status, message in cases:
        assert reply.status_code == status, reply.text
        assert message in reply.json()["error"]
    assert live.store.counts(live.code)["live_answers"] == 0


BAD_ANSWERS = {
    "single": [4, -1, True, "0", [0], None, 0.5],
    "multiple": [[], [0, 0], [9], 0, "0,1", [True]],
    "numeric": ["", "abc", "nan", "inf", "1" * 41, True, [9], "9\n"],
    "text": ["", "   ", "x" * 201, 5, ["a"], "line\nbreak"],
    "order": [[1, 2], [1, 1, 2, 3], [0, 1, 2, 3], "1234", [1.0, 2, 3, 4], None],
    "match": [[0, 1], [0, 1, 9], {"0": 1}, "012", [0, 1, True]],
}


@pytest.mark.parametrize("kind", list(BAD_ANSWERS))
def test_malformed_answers_of_each_type_are_422(checked_room, mixed, kind):
    student, live, presenter = checked_room
    phone = student("Esra")
    number = [i.type for i in mixed].index(kind) + 1
    for _ in range(number):
        act(presenter, live, "next")
    bad = list(BAD_ANSWERS[kind])
    if kind in ("order", "match"):
        size = len(mixed[number - 1].events or mixed[number - 1].pairs)
        bad = [b for b in bad if not (isinstance(b, list) and len(b) == size
                                      and kind == "match" and all(
                                          isinstance(v, int) and not isinstance(v, bool)
                                          and 0 <= v < size for v in b))]
    for value in bad:
        reply = answer(phone, live, number, value)
        assert reply.status_code == 422, (value, reply.text)
        assert reply.json()["error"]
    assert live.store.counts(live.code)["live_answers"] == 0


def test_answers_only_to_the_open_question_before_reveal(room):
    student, live, presenter = room
    phone = student("Farid")
    reply = answer(phone, live, 1, 0)  # lobby
    assert reply.status_code == 409 and "not the question being asked" in reply.json()["error"]
    act(presenter, live, "next")
    assert answer(phone, live, 2, [0]).status_code == 409  # not the current question
    act(presenter, live, "pause")
    reply = answer(phone, live, 1, 0)
    assert reply.status_code == 409 and "paused" in reply.json()["error"]
    act(presenter, live, "resume")
    assert answer(phone, live, 1, 0).status_code == 200
    act(presenter, live, "reveal")
    reply = answer(phone, live, 1, 1)
    assert reply.status_code == 409 and "revealed" in reply.json()["error"]
    act(presenter, live, "next")
    act(presenter, live, "previous")  # back to a revealed question: still closed
    assert answer(phone, live, 1, 1).status_code == 409
    act(presenter, live, "end")
    reply = answer(phone, live, 1, 1)
    assert reply.status_code == 409 and "ended" in reply.json()["error"]
    snap = live.store.snapshot(live.code)
    assert snap.answers == {0: {1: (0, True)}} or list(snap.answers[0].values()) == [(0, True)]


def test_a_changed_answer_replaces_the_first(room, mixed):
    student, live, presenter = room
    phone = student("Gul")
    act(presenter, live, "next")
    first = answer(phone, live, 1, wrong_wire(mixed[0]))
    assert first.json() == {"number": 1, "received": True, "changed": False}
    second = answer(phone, live, 1, right_wire(mixed[0]))
    assert second.json()["changed"] is True
    snap = live.store.snapshot(live.code)
    assert [correct for _, correct in snap.answers[0].values()] == [True]
    kinds = [e["kind"] for e in live.store.event_log(live.code)]
    assert kinds.count("answer") == 1 and kinds.count("answer-changed") == 1


def test_no_change_keeps_the_first_answer(database, mixed):
    with opened(database, mixed, allow_change=False) as (client, live):
        phone = Phone(client, live.code)
        phone.post(f"/api/s/{live.code}/join", json={"name": "Hana"})
        live.store.act(live.code, "next")
        assert answer(phone, live, 1, 0).status_code == 200
        reply = answer(phone, live, 1, 1)
        assert reply.status_code == 409 and "already answered" in reply.json()["error"]
        assert list(live.store.snapshot(live.code).answers[0].values())[0][0] == 0


def test_a_late_answer_after_the_timer_is_refused(tmp_path, mixed):
    with opened(f"sqlite:///{tmp_path / 't.sqlite'}", mixed, timer=0.1) as (client, live):
        phone = Phone(client, live.code)
        phone.post(f"/api/s/{live.code}/join", json={"name": "Idris"})
        live.store.act(live.code, "next")
        time.sleep(1.3)  # the timer and its one-second grace for slow networks
        reply = answer(phone, live, 1, 0)
        assert reply.status_code == 409 and "time is up" in reply.json()["error"]
        assert live.store.counts(live.code)["live_answers"] == 0


def test_roster_and_anonymous_sessions(tmp_path, mixed):
    with opened(f"sqlite:///{tmp_path / 'r.sqlite'}", mixed, roster=["s100", "s101"]) as (
            client, live):
        phone = Phone(client, live.code)
        reply = phone.post(f"/api/s/{live.code}/join", json={"name": "s999"})
        assert reply.status_code == 403 and "roster" in reply.json()["error"]
        assert phone.post(f"/api/s/{live.code}/join", json={"name": "s100"}).status_code == 200
    with opened(f"sqlite:///{tmp_path / 'a.sqlite'}", mixed, anonymous=True) as (client, live):
        phone = Phone(client, live.code)
        assert phone.post(f"/api/s/{live.code}/join", json={"name": "Me"}).status_code == 422
        reply = phone.post(f"/api/s/{live.code}/join", json={})
        assert reply.status_code == 200 and len(reply.json()["name"].split()) == 3


# -- the key stays on the server ---------------------------------------------------------


def key_material(item) -> list[str]:
    """Strings that would give the answer away if a phone saw them before reveal."""
    secrets = [item.explanation]
    if item.type in ("numeric", "text"):  # for the others the choices are on screen anyway
        secrets.append(item.answer_text())
    if item.source.quote:
        secrets.append(item.source.quote)
    secrets += [option.feedback for option in item.options if option.feedback]
    secrets += [f for f in (item.feedback.correct, item.feedback.incorrect) if f]
    secrets += list(item.accept)
    return secrets


def test_no_student_payload_holds_a_key_before_reveal(room, mixed):
    student, live, presenter = room
    phones = [student("Jamal"), student("Kiran")]
    seen: list[tuple[int, str, bool]] = []  # (question, payload, revealed)

    def collect(number: int, revealed: bool):
        for phone in phones:
            seen.append((number, phone.get(f"/api/s/{live.code}/state").text, revealed))
            seen.append((number, phone.get(f"/api/s/{live.code}/info").text, revealed))
            with phone.stream("GET", f"/api/s/{live.code}/events") as stream:
                seen.append((number, next(stream.iter_lines()), revealed))

    for number, item in enumerate(mixed, start=1):
        act(presenter, live, "next")
        collect(number, False)
        for phone in phones:  # the acknowledgement says "received", not "right"
            reply = answer(phone, live, number, right_wire(item))
            seen.append((number, reply.text, False))
            assert set(reply.json()) == {"number", "received", "changed"}
        collect(number, False)
        act(presenter, live, "reveal")
        collect(number, True)

    for number, payload, revealed in seen:
        item = mixed[number - 1]
        if revealed:
            data = json.loads(payload.removeprefix("data: "))
            if "phase" in data:  # a state (not the session's info): the reveal is there
                assert data["reveal"]["explanation"] == item.explanation
            continue
        for secret in key_material(item):
            assert secret not in payload and json.dumps(secret)[1:-1] not in payload, (
                item.id, secret)
        for word in ('"correct"', '"reveal"', '"accept"', '"tolerance"', '"you_were_right"'):
            assert word not in payload
        data = json.loads(payload.removeprefix("data: "))
        view = data.get("question") or {}
        if item.type == "order" and view:
            assert view["events"] != list(item.events)  # bank order is the answer
        if item.type == "match" and view:
            assert view["rights"] != [p.right for p in item.pairs]


# -- scores, export and grading --------------------------------------------------------------


def play_class(student, live, presenter, mixed, plan):
    """``plan``: name → list of "right" / "wrong" / None per question."""
    phones = {name: student(name) for name in plan}
    for number, item in enumerate(mixed, start=1):
        act(presenter, live, "next")
        for name, phone in phones.items():
            choice = plan[name][number - 1]
            if choice:
                wire = right_wire(item) if choice == "right" else wrong_wire(item)
                assert answer(phone, live, number, wire).status_code == 200
        act(presenter, live, "reveal")
        for name, phone in phones.items():
            verdict = phone.get(f"/api/s/{live.code}/state").json()["reveal"]["you_were_right"]
            choice = plan[name][number - 1]
            assert verdict == (None if choice is None else choice == "right")
    act(presenter, live, "end")
    return phones


def test_export_is_graded_as_the_students_were_scored(room, mixed, tmp_path):
    student, live, presenter = room
    plan = {
        "Laila": ["right"] * 6,
        "=SUM(A1)": ["right", "wrong", "right", "wrong", "right", "wrong"],
        "Musa, Jr.": ["wrong", None, "wrong", "right", None, "right"],
        "Noor": [None] * 6,
    }
    phones = play_class(student, live, presenter, mixed, plan)
    seen = {name: phone.get(f"/api/s/{live.code}/state").json()["result"]["score"]
            for name, phone in phones.items()}
    assert seen == {name: sum(c == "right" for c in choices) for name, choices in plan.items()}
    on_screen = {row["name"]: row["score"]
                 for row in presenter.get(f"/api/p/{live.code}/state").json()["results"]["scores"]}
    assert on_screen == seen

    reply = presenter.post(f"/api/p/{live.code}/export", json={})
    folder = tmp_path / "exported"
    (tmp_path / "exported").mkdir()
    for name in ("responses.csv", "key.csv", "events.json"):
        download = presenter.get(f"/api/p/{live.code}/files/{name}")
        assert download.status_code == 200
        (folder / name).write_bytes(download.content)
    written = sorted(p.name for p in live.export_dir.parent.glob(f"{live.export_dir.name}*/*"))
    assert reply.status_code == 200 and written == ["events.json", "key.csv", "responses.csv"]

    rows = list(csv.DictReader(io.StringIO((folder / "responses.csv").read_text("utf-8"))))
    assert [r["student_id"] for r in rows] == ["Laila", "'=SUM(A1)", "Musa, Jr.", "Noor"]
    assert rows[1]["4"].startswith("'=")  # a typed formula stays text in a spreadsheet

    status, _, err = run_quizkit("grade", str(folder / "responses.csv"), "--key",
                                 str(folder / "key.csv"), "--quizzes",
                                 str(ROOT / "quizzes" / "operation.yml"),
                                 "-o", str(tmp_path / "graded"), "--no-report")
    assert status == 0, err
    graded = {r["student_id"]: float(r["score"]) for r in
              csv.DictReader((tmp_path / "graded" / "scores.csv").open(encoding="utf-8"))}
    assert graded == {("'=SUM(A1)" if n == "=SUM(A1)" else n): s for n, s in seen.items()}

    log = json.loads((folder / "events.json").read_text("utf-8"))
    kinds = [e["kind"] for e in log["events"]]
    assert kinds[0] == "session-created" and kinds[-1] == "end"
    assert kinds.count("join") == 4 and kinds.count("answer") == sum(
        c is not None for choices in plan.values() for c in choices)
    assert all(e["time"].endswith("+00:00") for e in log["events"])
