"""Caseworker web benchmark (not a test): ``.venv/bin/python -m bench.web [--database sqlite|postgresql+psycopg://...]``.

Prints, in one run, through real HTTP (a threaded Werkzeug server on 127.0.0.1, one keep-alive client that is
logged in with a session cookie, like a browser):

1. completing a task: the coördinator posts a valid triage form (the real ``processes/`` and ``forms/``), which
   validates it, completes the task, runs the engine to the next user task and redirects — p50/p95 of the POST
   (budget ≤ 10 ms / 25 ms); the client then follows the redirect, untimed, as a browser does (which also takes
   the flash message out of the session cookie: without it the cookie grows with every post);
2. the team inbox (``/taken?weergave=team``, first page, sorted by deadline) with 1 000 and with 100 000 open
   cases, side by side — p50/p95 (budget p95 ≤ 50 ms), and a search by family name at 100 000.

The open cases for 2. are copies of real case and task rows, inserted in bulk: the inbox reads only the
``case`` and ``human_task`` tables, never a workflow.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import re
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload
from werkzeug.serving import make_server

from bench.common import ROOT, START, fresh_database, summary
from engine.clock import ManualClock
from engine.demo import DEMO_PASSWORD, DEMO_PEOPLE, notice_payload, seed
from engine.models import Case, CaseState, HumanTask
from engine.service import Engine
from engine.settings import Settings
from web import create_app

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


def completion(browser: Browser, task_ids: list[str]) -> list[float]:
    token = browser.token("/taken")
    samples = []
    for task_id in task_ids:
        began = time.perf_counter()
        status, _, target = browser.exchange("POST", f"/taken/{task_id}", {"csrf_token": token, **TRIAGE})
        samples.append((time.perf_counter() - began) * 1000)
        assert status == 302, status
        browser.request("GET", target)  # as a browser does (untimed): it shows the flash message and clears it
    return samples


def fill_open_cases(engine: Engine, total: int) -> None:
    """Copy an open case with its open task until ``total`` cases with an open team task exist."""
    with engine.database.reading() as s:
        case = s.scalars(select(Case).options(selectinload(Case.stored)).where(Case.status == "running").limit(1)).one()
        task = s.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "open")).first()
        present = len(list(s.scalars(select(HumanTask.id).where(HumanTask.state == "open"))))
    assert task is not None
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
        task_ids = start_cases(engine, args.tasks + 20)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            report(engine, server.server_port, task_ids, args)
        finally:
            server.shutdown()
            engine.database.dispose()


def report(engine: Engine, port: int, task_ids: list[str], args: argparse.Namespace) -> None:
    browser = Browser(port)
    browser.login("coordinator")
    print(f"database: {engine.database.dialect}")
    completion(browser, task_ids[:20])  # warm up: spec cache, form cache, connections
    done = completion(browser, task_ids[20:])
    print("1. completing a task through HTTP (triage form, POST → 302)")
    print(f"   {summary(done)}   budget p50 ≤ 10 ms, p95 ≤ 25 ms")
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


if __name__ == "__main__":
    main()
