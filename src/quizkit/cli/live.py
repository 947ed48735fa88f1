"""``quizkit live``: run a quiz in class; ``quizkit live export SESSION``: its files."""

from __future__ import annotations

import argparse
import csv
import io
import socket
from pathlib import Path
from typing import TextIO

from ..errors import Problem, QuizkitError, display_path
from ..files import read_user_text
from .options import add_quizzes_argument, add_selection_arguments, add_source_arguments
from .status import ExitStatus

HELP = "run a quiz live in class: students answer on their phones"

DEFAULT_DATABASE = "sqlite:///quizkit-live.sqlite"

DESCRIPTION = """\
Start a live session: the class joins on their phones (a URL, a QR code or the
join code), the presenter page on the projector asks one question at a time, shows
who answered and a live histogram, reveals the answer with its explanation and its
source, and ends with the class's scores. Answers are judged on the server; no key
reaches a phone before the reveal.

examples:
  quizkit live --bank operation
  quizkit live --bank operation --tag dates --shuffle --seed 3 --timer 45
  quizkit live --bank critiques --roster students.csv       only ids on the roster
  quizkit live --bank background --anonymous                nicknames, no names
  quizkit live --session K7M2QP                             resume after a restart
  quizkit live export K7M2QP -o week6                       files for quizkit grade
  quizkit grade week6/responses.csv --key week6/key.csv -o week6-graded

Every answer is stored (SQLite file quizkit-live.sqlite in the current folder, or
--database postgresql://user@host/db) before the phone is told it was received:
a server stopped or killed mid-question resumes with `--session CODE`. With
PostgreSQL, several `quizkit live --session CODE` processes (behind one proxy) can
serve the same session; they keep each other's pages current with LISTEN/NOTIFY.

Presenter keys (a clicker sends the first three): right arrow = next question,
left arrow = previous question, space = next step (reveal, then the next question),
R = reveal, P = pause or resume, E twice = end.

exit status: 0 stopped (Ctrl+C), 2 bad input, 1 internal error.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    choose = parser.add_argument_group("which questions (a new session)")
    add_selection_arguments(choose, pool_help="self-check (default), or exam / all: exam "
                                              "questions are shown to the class only when "
                                              "asked for here",
                            count_help="N questions: the first N, or N picked by --seed")
    choose.add_argument("--id", action="append", default=[], metavar="ID", dest="ids",
                        help="only this item (repeat for several)")
    choose.add_argument("--shuffle", action="store_true",
                        help="ask the questions in a shuffled order (fixed by --seed)")
    choose.add_argument("--seed", type=int, default=None, metavar="N",
                        help="with --count: which N; with --shuffle: which order")
    add_quizzes_argument(choose)
    add_source_arguments(choose)

    play = parser.add_argument_group("the session")
    play.add_argument("--session", metavar="CODE",
                      help="resume this session (or serve it from one more process)")
    play.add_argument("--title", metavar="TEXT", help="shown on every page")
    play.add_argument("--roster", metavar="CSV",
                      help="a CSV with a student_id column: only those ids can join")
    play.add_argument("--anonymous", action="store_true",
                      help="students get nicknames instead of typing a name")
    play.add_argument("--timer", type=float, metavar="SECONDS",
                      help="answers close this long after a question opens")
    play.add_argument("--no-change", action="store_true",
                      help="a first answer is final (default: a student may change it "
                           "until the reveal)")
    play.add_argument("--max-students", type=int, default=1000, metavar="N",
                      help="refuse joins beyond N (default: 1000)")

    serve = parser.add_argument_group("the server")
    serve.add_argument("--host", metavar="ADDRESS",
                       help="listen on this address only and use it in the URLs "
                            "(default: all addresses, URLs on the LAN address)")
    serve.add_argument("--port", type=int, default=0, metavar="N",
                       help="port (default: a free one)")
    serve.add_argument("--database", default=DEFAULT_DATABASE, metavar="URL",
                       help="sqlite:///FILE (default: quizkit-live.sqlite) or "
                            "postgresql://user:password@host/db")
    serve.add_argument("--export-dir", metavar="DIR",
                       help="where the presenter's Export button writes "
                            "(default: live-<CODE> in the current folder)")
    serve.add_argument("--no-qr", action="store_true", help="do not print the QR code")

    sub = parser.add_subparsers(dest="live_command", metavar="{export}")
    export = sub.add_parser("export", help="write a session's responses, key and events",
                            description="Write responses.csv and key.csv (for quizkit "
                                        "grade) and events.json into a new folder.")
    export.add_argument("code", metavar="SESSION", help="the session's join code")
    export.add_argument("-o", "--output", metavar="DIR",
                        help="folder to create (default: live-<SESSION>); never overwritten")
    export.add_argument("--database", default=DEFAULT_DATABASE, metavar="URL",
                        dest="export_database", help="as for quizkit live")
    export.add_argument("--quizzes", action="append", metavar="PATH", dest="export_quizzes",
                        help="bank file or folder of banks (default: quizzes)")


def usage(option: str, rule: str) -> QuizkitError:
    """A problem with an option rather than with a file."""
    return QuizkitError.usage(f"quizkit live: {option}: {rule}")


def _store(url: str):
    # SQLAlchemy and the server load only for this command, not at every start-up.
    from ..live.storage import Store

    if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise usage("--database", "use sqlite:///FILE or "
                                  "postgresql://user:password@host/database")
    try:
        return Store(url)
    except Exception as exc:
        raise usage("--database", f"cannot open {safe_url(url)}: "
                                  f"{str(exc).splitlines()[0]}") from None


def safe_url(url: str) -> str:
    """The database URL without its password, for messages."""
    scheme, _, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        return f"{scheme}://{credentials.split(':')[0]}:***@{host}"
    return url


def read_roster(path: str) -> list[str]:
    shown = display_path(path)
    text = read_user_text(path).text
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "student_id" not in [n.strip() for n in reader.fieldnames]:
        raise QuizkitError(Problem(shown, 1, "the roster needs a student_id column"))
    ids, problems = [], []
    for row in reader:
        value = (row.get("student_id") or "").strip()
        line = reader.line_num
        if not value:
            problems.append(Problem(shown, line, "student_id is empty"))
        elif len(value) > 40:
            problems.append(Problem(shown, line, "student_id is longer than 40 characters"))
        elif value in ids:
            problems.append(Problem(shown, line, f"student_id {value} appears twice"))
        else:
            ids.append(value)
    if not ids and not problems:
        problems.append(Problem(shown, 1, "the roster has no students"))
    if problems:
        raise QuizkitError(problems)
    return ids


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if getattr(args, "live_command", None) == "export":
        return run_export(args, out, err)
    return run_server(args, out, err)


def stored_session(store, url: str, code: str, args: argparse.Namespace):
    """A session of the database and its items from the banks (unchanged since)."""
    from ..live import selection
    from ..live.storage import RefusedError

    try:
        session = store.session(code)
    except RefusedError:
        raise QuizkitError(Problem(safe_url(url), None,
                                   f"no session {code} in this database")) from None
    return (session, *selection.items_of_session(args, session.items, code))


def run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..live.export import write_export

    store = _store(args.export_database)
    code = args.code.upper()
    args.quizzes, args.data, args.seeds = args.export_quizzes, None, None
    _, items, catalog = stored_session(store, args.export_database, code, args)
    target = Path(args.output or f"live-{code}")
    if target.exists():
        raise QuizkitError(Problem(display_path(target), None, "the folder already exists; "
                                   "choose another with -o (exports are never overwritten)"))
    written = write_export(store, code, items, catalog, target)
    print(f"wrote {display_path(written)}: responses.csv, key.csv, events.json", file=out)
    print(f"grade it: quizkit grade {display_path(written / 'responses.csv')} --key "
          f"{display_path(written / 'key.csv')}", file=out)
    return ExitStatus.OK


def run_server(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import uvicorn

    from ..live import selection
    from ..live.server import Live, build_app

    store = _store(args.database)
    if args.session:
        if args.bank or args.ids or args.tag or args.pool or args.count or args.shuffle:
            raise usage("--session", "a resumed session keeps its own questions; leave out "
                                     "--bank, --id, --tag, --pool, --count and --shuffle")
        code = args.session.upper()
        session, items, catalog = stored_session(store, args.database, code, args)
        print(f"quizkit live: resuming session {code} ({session.total} questions, "
              f"{session.phase})", file=out)
    else:
        chosen = selection.choose_items(args)
        for warning in chosen.warnings:
            print(f"warning: {warning}", file=err)
        if args.timer is not None and args.timer <= 0:
            raise usage("--timer", "the timer must be a positive number of seconds")
        if args.max_students < 1:
            raise usage("--max-students", "must be at least 1")
        settings = {"anonymous": args.anonymous, "timer": args.timer,
                    "allow_change": not args.no_change, "max_students": args.max_students,
                    "roster": read_roster(args.roster) if args.roster else None}
        used = {chosen.catalog.bank_of(item.id).title for item in chosen.items}
        title = args.title or (used.pop() if len(used) == 1 else "Live quiz")
        items, catalog = chosen.items, chosen.catalog
        session = store.create_session(title, [{"id": i.id, "fingerprint":
                                                selection.fingerprint(i)} for i in items],
                                       settings)
        code = session.code
        print(f"quizkit live: session {code}, {len(items)} questions ({chosen.pool} pool)",
              file=out)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host or "0.0.0.0", args.port))
    except OSError as exc:
        raise usage("--port", f"cannot listen on {args.host or '0.0.0.0'}:{args.port}: "
                              f"{exc.strerror}") from None
    sock.listen(2048)  # connections made as soon as the URL is printed wait in the queue
    port = sock.getsockname()[1]
    base = f"http://{args.host or lan_address()}:{port}"
    student_url = f"{base}/s/{code}"
    presenter_url = f"{base}/p/{code}?token={session.presenter_token}"
    roster = session.settings.get("roster")
    live = Live(store=store, code=code, items=items, catalog=catalog, student_url=student_url,
                export_dir=Path(args.export_dir) if args.export_dir else Path(f"live-{code}"),
                database_url=args.database, settings=session.settings,
                presenter_token=session.presenter_token, title=session.title,
                roster={r: r for r in roster} if roster else None)

    print(f"Students: open {student_url}   join code {code}", file=out)
    if not args.no_qr:
        import segno

        segno.make(student_url, error="m").terminal(out=out, compact=True)
    print(f"Presenter (keep this address to yourself): {presenter_url}", file=out)
    print(f"Database: {safe_url(args.database)}; resume with: quizkit live --session {code}"
          + ("" if args.database == DEFAULT_DATABASE else f" --database {safe_url(args.database)}"),
          file=out)
    print(f"Export: quizkit live export {code}"
          + ("" if args.database == DEFAULT_DATABASE else " --database …"), file=out)
    print("Press Ctrl+C to stop; the session is kept.", file=out, flush=True)

    config = uvicorn.Config(build_app(live), log_level="warning", access_log=False,
                            backlog=2048, timeout_keep_alive=30,
                            timeout_graceful_shutdown=2, lifespan="on")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn has shut down and passes Ctrl+C on: stopping is the normal end
    finally:
        store.dispose()
    print(f"quizkit live: stopped; resume with quizkit live --session {code}", file=out)
    return ExitStatus.OK
