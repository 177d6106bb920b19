"""Caseworker web benchmark (not a test): ``.venv/bin/python -m bench.web [--database sqlite|postgresql+psycopg://...]``.

Prints, in one run, through real HTTP (a threaded Werkzeug server on 127.0.0.1, one keep-alive client that is
logged in with a session cookie, like a browser):

1. completing a task: the coördinator posts a valid triage form (the real ``processes/`` and ``forms/``), which
   validates it, completes the task, runs the engine to the next user task and redirects — p50/p95 of the POST
   (budget ≤ 10 ms / 25 ms); the client then follows the redirect, untimed, as a browser does (which also takes
   the flash message out of the session cookie: without it the cookie grows with every post). Side by side, in
   alternating blocks: the floor (below) and Vangnet;
2. the team inbox (``/taken?weergave=team``, first page, sorted by deadline) with 1 000 and with 100 000 open
   cases, side by side — p50/p95 (budget p95 ≤ 50 ms), and a search by family name at 100 000;
3. on PostgreSQL, a read session with one query: ``Database.lookup()`` (no transaction of its own; the session's
   user and the task page) against ``Database.reading()`` (BEGIN … ROLLBACK), in alternating blocks.

The floor is the least a durable task completion through HTTP costs on this machine: the same server and client,
a bare Flask route (no session, CSRF, access check, validation, audit or projections; the fields read with the task
page's own parser) that takes the case's live workflow from a dict, completes the same triage task with
SpiffWorkflow and our sandbox, saves the state with our serializer and writes it with the fewest statements
straight through the database driver (lock the case, state, the finished and the new task row, one event), then
redirects.

The open cases for 2. are copies of real case and task rows, inserted in bulk: the inbox reads only the
``case`` and ``human_task`` tables, never a workflow.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import re
import statistics
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, request
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload
from werkzeug.serving import make_server

from bench.common import ROOT, START, fresh_database, summary
from engine.clock import ManualClock, use_clock
from engine.demo import DEMO_PASSWORD, DEMO_PEOPLE, notice_payload, seed
from engine.models import Case, CaseState, HumanTask
from engine.runtime import ready_user_task, ready_user_tasks, run_engine_steps
from engine.service import Engine
from engine.settings import Settings
from web import create_app
from web.forms_render import parse

TRIAGE = {
    "prioriteit": "P2",
    "bekend_bij_coordinatiepunt": "nee",
    "lopende_hulp": "nee",
    "aantal_minderjarigen": "2",
    "casemanager": "casemanager",
}


class Browser:
    """One keep-alive HTTP connection with a session cookie: enough to log in and post forms."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        status, text, _ = self.exchange(method, path, form)
        return status, text

    def exchange(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """One request: status, body and the redirect target (empty when there is none)."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text, response.getheader("Location") or ""

    def token(self, path: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.request("GET", path)[1])
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def login(self, username: str) -> None:
        form = {"username": username, "password": DEMO_PASSWORD, "csrf_token": self.token("/inloggen")}
        status, _ = self.request("POST", "/inloggen", form)
        assert status == 302, status


def start_cases(engine: Engine, count: int) -> list[str]:
    """Start ``count`` notices and let the coördinator claim their triage tasks; returns the task ids."""
    today = START.date()
    for number in range(count):
        person = DEMO_PEOPLE[number % len(DEMO_PEOPLE)]
        payload = notice_payload(engine, f"BENCH-{number:06d}", person, today)
        key = f"BENCH-{number:06d}"
        engine.run(
            partial(
                engine.start_case, message="melding", sender="essent", business_key=key, payload=payload, actor="essent"
            )
        )
    with engine.database.reading() as s:
        ids = list(s.scalars(select(HumanTask.id).where(HumanTask.state == "open", HumanTask.lane == "coordinator")))
    for task_id in ids:
        engine.run(lambda s, t=task_id: engine.claim(s, t, "coordinator"))
    return ids


def completion(browser: Browser, task_ids: list[str], path: str = "/taken/") -> list[float]:
    token = browser.token("/taken") if path == "/taken/" else ""
    samples = []
    for task_id in task_ids:
        began = time.perf_counter()
        status, _, target = browser.exchange("POST", f"{path}{task_id}", {"csrf_token": token, **TRIAGE})
        samples.append((time.perf_counter() - began) * 1000)
        assert status == 302, status
        browser.request("GET", target)  # as a browser does (untimed): it shows the flash message and clears it
    return samples


FLOOR_SQL = [
    'SELECT lock_version FROM "case" WHERE id = ?',
    'UPDATE "case" SET lock_version = lock_version + 1, updated_at = ? WHERE id = ?',
    "UPDATE case_state SET state = ? WHERE case_id = ?",
    "UPDATE human_task SET state = 'completed', finished_at = ?, finished_by = 'coordinator' WHERE id = ?",
    "INSERT INTO human_task (id, case_id, element_id, title, lane, escalation_level, state, created_at)"
    " VALUES (?, ?, ?, ?, ?, 0, 'open', ?)",
    "INSERT INTO case_event (case_id, at, actor, action, origin, details)"
    " VALUES (?, ?, 'coordinator', 'task_completed', '', '{}')",
]


def floor_app(engine: Engine, task_ids: list[str]) -> Flask:
    """The floor described in the module text, for the triage tasks ``task_ids``; ``app.config["SECTIONS"]`` holds
    the milliseconds of its two in-memory parts per request: SpiffWorkflow's step and the save."""
    workflows, cases = {}, {}
    with engine.database.reading() as s:
        for task_id in task_ids:
            task = s.get(HumanTask, task_id)
            assert task is not None
            case = s.get(Case, task.case_id, options=[selectinload(Case.stored)])
            assert case is not None
            parsed = engine.specs.get(case.version)
            workflows[task_id], cases[task_id] = engine.runtime.restore(parsed, case.state), case.id
    schema, ui = (json.loads((ROOT / "forms" / f"triage.{kind}.json").read_text()) for kind in ("schema", "uischema"))
    sqlite = engine.database.is_sqlite
    sql = FLOOR_SQL if sqlite else [q.replace("?", "%s") for q in FLOOR_SQL]
    if not sqlite:
        sql[0] += " FOR UPDATE"
    connection = threading.local()
    app = Flask(__name__)
    sections: dict[str, list[float]] = app.config.setdefault("SECTIONS", {"step": [], "save": []})

    @app.post("/vloer/<task_id>")
    def complete(task_id: str) -> tuple[str, int, dict[str, str]]:
        if not hasattr(connection, "dbapi"):
            connection.dbapi = engine.database.engine.raw_connection()
        data, workflow, case_id, now = parse(schema, ui, request.form), workflows.pop(task_id), cases[task_id], START
        cursor = connection.dbapi.cursor()
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(sql[0], (case_id,))
        cursor.fetchone()
        began = time.perf_counter()
        with use_clock(engine.clock):
            task = ready_user_task(workflow, task_id)
            task.set_data(**data)
            task.run()
            run_engine_steps(workflow)
        stepped = time.perf_counter()
        state = engine.runtime.serializer.dumps(workflow)
        sections["step"].append((stepped - began) * 1000)
        sections["save"].append((time.perf_counter() - stepped) * 1000)
        cursor.execute(sql[1], (now, case_id))
        cursor.execute(sql[2], (state, case_id))
        cursor.execute(sql[3], (now, task_id))
        for ready in ready_user_tasks(workflow):
            spec = ready.task_spec
            cursor.execute(sql[4], (str(ready.id), case_id, spec.bpmn_id, spec.bpmn_name, spec.lane, now))
        cursor.execute(sql[5], (case_id, now))
        connection.dbapi.commit()
        cursor.close()
        return "", 302, {"Location": "/vloer"}

    @app.get("/vloer")
    def done() -> str:
        return "ok"

    return app


def fill_open_cases(engine: Engine, total: int) -> None:
    """Copy an open case with its open task (the casemanager's, after triage) until ``total`` cases with an open
    team task exist."""
    with engine.database.reading() as s:
        open_tasks = select(HumanTask).where(HumanTask.state == "open", HumanTask.lane == "casemanager")
        task = s.scalars(open_tasks.where(HumanTask.due_at.is_not(None)).limit(1)).one()
        case = s.scalars(select(Case).options(selectinload(Case.stored)).where(Case.id == task.case_id)).one()
        present = len(list(s.scalars(select(HumanTask.id).where(HumanTask.state == "open"))))
    case_row = {c.key: getattr(case, c.key) for c in Case.__table__.columns if c.key != "id"}
    task_row = {c.key: getattr(task, c.key) for c in HumanTask.__table__.columns}
    with engine.transaction() as s:
        for first in range(present, total, 5000):
            _insert_batch(s, case_row, task_row, case.state, range(first, min(total, first + 5000)))


def _insert_batch(s: Any, case_row: dict[str, Any], task_row: dict[str, Any], state: str, numbers: range) -> None:
    """Copies that differ where the inbox looks: family name, postcode, priority, deadline (spread over 20 days)."""
    later = timedelta(days=365)
    cases = [
        {
            **case_row,
            "reference": f"VN-BENCH-{n:07d}",
            "business_key": f"fill-{n}",
            "family_name": f"Gezin{n:07d}",
            "search_name": f"gezin{n:07d}",
            "postcode": f"{5900 + n % 30}{'ABCDEFGH'[n % 8]}{'JKLMNPRS'[n // 8 % 8]}",
            "priority": ("P1", "P2", "P3")[n % 3],
            "next_timer_at": case_row["next_timer_at"] + later if case_row["next_timer_at"] else None,
        }
        for n in numbers
    ]
    ids = s.scalars(insert(Case).returning(Case.id), cases).all()
    s.execute(insert(CaseState), [{"case_id": i, "state": state} for i in ids])
    due = task_row["due_at"]
    tasks = [
        {
            **task_row,
            "id": str(uuid.uuid4()),
            "case_id": i,
            "assignee": None,
            "due_at": due + timedelta(minutes=n % 28_800),
        }
        for n, i in zip(numbers, ids, strict=True)
    ]
    s.execute(insert(HumanTask), tasks)


def settle(engine: Engine) -> None:
    """What a running system has done by itself after a bulk of new rows: SQLite's statistics (the worker's hourly
    job), PostgreSQL's autovacuum (statistics and the visibility map that lets counts use index-only scans)."""
    database = engine.database
    if database.is_sqlite:
        database.refresh_statistics()
        return
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql('VACUUM ANALYZE human_task, "case"')


def inbox(browser: Browser, path: str, repeat: int) -> list[float]:
    browser.request("GET", path)  # warm up
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        status, _ = browser.request("GET", path)
        samples.append((time.perf_counter() - began) * 1000)
        assert status == 200, status
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--tasks", type=int, default=200, help="task completions to time")
    parser.add_argument("--repeat", type=int, default=100, help="inbox requests per size")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as work:
        url = fresh_database(args.database, Path(work))
        settings = Settings(
            database_url=url,
            environment="test",
            instance_path=Path(work),
            processes_dir=ROOT / "processes",
            forms_dir=ROOT / "forms",
        )
        app = create_app({"VANGNET_SETTINGS": settings, "VANGNET_CLOCK": ManualClock(START)})
        engine: Engine = app.extensions["vangnet"].engine
        seed(engine)
        task_ids = start_cases(engine, 2 * (args.tasks + 20))
        floor = floor_app(engine, task_ids[1::2])
        servers = [make_server("127.0.0.1", 0, a, threaded=True) for a in (app, floor)]
        for server in servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            report(engine, [server.server_port for server in servers], task_ids, args, floor.config["SECTIONS"])
        finally:
            for server in servers:
                server.shutdown()
            engine.database.dispose()


def report(
    engine: Engine, ports: list[int], task_ids: list[str], args: argparse.Namespace, sections: dict[str, list[float]]
) -> None:
    browser, bare = Browser(ports[0]), Browser(ports[1])
    browser.login("coordinator")
    print(f"database: {engine.database.dialect}")
    app_ids, floor_ids = task_ids[0::2], task_ids[1::2]
    completion(browser, app_ids[:20])  # warm up: spec cache, form cache, connections
    completion(bare, floor_ids[:20], "/vloer/")
    done: list[float] = []
    least: list[float] = []
    block = max(1, args.tasks // 4)
    for number, first in enumerate(range(20, len(app_ids), block)):
        # in alternating blocks, each first in turn: the machine's drift (and whatever a block leaves behind for
        # the next, such as SQLite's page cache after the other's writes) falls on both
        runs = [(browser, app_ids, "/taken/", done), (bare, floor_ids, "/vloer/", least)]
        for client, ids, path, samples in runs[number % 2 :] + runs[: number % 2]:
            samples.extend(completion(client, ids[first : first + block], path))
    print("1. completing a task through HTTP (triage form, POST → 302)")
    print(f"   floor (see above)    : {summary(least)}")
    step, save = (statistics.median(sections[part][20:]) for part in ("step", "save"))
    print(f"     of which in memory : SpiffWorkflow's step {step:.2f} ms, saving the state {save:.2f} ms (medians)")
    print(f"   Vangnet              : {summary(done)}   budget p50 ≤ 10 ms, p95 ≤ 25 ms")
    print(f"   ratio (medians)      : {statistics.median(done) / statistics.median(least):.2f}× the floor")
    print("2. team inbox, first page, by deadline")
    team = "/taken?weergave=team"
    for total in (1_000, 100_000):
        fill_open_cases(engine, total)
        settle(engine)
        print(f"   {total:>7,} open cases : {summary(inbox(browser, team, args.repeat))}   budget p95 ≤ 50 ms")
    for label, query in (
        ("search a name", "&zoek=Gezin0099"),
        ("priority P1", "&prioriteit=P1"),
        ("by name", "&sorteer=naam"),
    ):
        print(f"   100,000, {label:13}: {summary(inbox(browser, team + query, args.repeat))}")
    read_sessions(engine)


def read_sessions(engine: Engine, rounds: int = 10, per_round: int = 200) -> None:
    database = engine.database
    if database.is_sqlite:
        return  # there lookup() is reading()
    samples: dict[str, list[float]] = {"lookup()": [], "reading()": []}
    for _ in range(rounds):
        for label, factory in (("lookup()", database.lookup), ("reading()", database.reading)):
            for _ in range(per_round):
                began = time.perf_counter()
                with factory() as session:
                    session.execute(select(HumanTask.id).limit(1)).all()
                samples[label].append((time.perf_counter() - began) * 1000)
    print("3. a read session with one query (PostgreSQL)")
    for label, values in samples.items():
        print(f"   {label:10}: {summary(values)}")


if __name__ == "__main__":
    main()
