"""``quizkit live``: run a quiz in class, students answering on their phones.

One server process (Starlette on uvicorn) holds no state of its own: the session
lives in a database (SQLite by default, PostgreSQL for several processes), so a
restart resumes it and several processes can serve one room.

Modules: ``questions`` (what students see of an item, how their answers are read
and judged), ``storage`` (the database), ``push`` (waking the pages that wait for a
change, across processes with PostgreSQL's LISTEN/NOTIFY), ``server`` (the HTTP
routes), ``export`` (the files ``quizkit grade`` reads), ``selection`` (the one
place that asks the project for its items) and ``command`` (the CLI).
"""
