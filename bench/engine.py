"""Engine benchmarks (not a test): run ``.venv/bin/python -m bench.engine [--database URL]``.

Prints, in one run:
1. bare SpiffWorkflow in memory vs this engine with storage, start → user task → end (budget ≤ 2×);
2. a timer sweep with 10 due cases among 1 000 vs 100 000 open cases (budget ≤ 2×);
3. the cost of completing a task in a loop after 10 vs 500 iterations (goal ≤ 1.5×).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from bench.common import HERE, ROOT, START, fresh_database, make_engine, summary, timed
from engine.models import Case, CaseState, HumanTask
from engine.serialization import StateSerializer
from engine.service import Engine

KORT = HERE / "bundles" / "kort"
TEST_BUNDLES = ROOT / "tests" / "bundles"


def bare_spiff(repeat: int, script_engine: Any = None, serializer: StateSerializer | None = None) -> list[float]:
    """Start → user task → end in memory; with ``serializer``, a spec-less save and restore after each step (what
    the engine does between two commands, without the database)."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(KORT / "kort.bpmn"))
    spec = parser.get_spec("kort")

    def round_trip(workflow: BpmnWorkflow) -> BpmnWorkflow:
        if serializer is None:
            return workflow
        restored = serializer.loads(serializer.dumps(workflow), spec, {})
        restored.script_engine = script_engine
        return restored

    def one() -> None:
        workflow = BpmnWorkflow(spec, script_engine=script_engine)
        workflow.do_engine_steps()
        workflow.send_event(BpmnEvent(MessageEventDefinition("kort"), {"n": 1}))
        workflow.do_engine_steps()
        workflow = round_trip(workflow)
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.run()
        workflow.do_engine_steps()
        assert round_trip(workflow).completed

    return timed(one, repeat)


def engine_with_storage(engine: Engine, repeat: int) -> list[float]:
    engine.run(lambda s: engine.deploy(s, engine.read_bundle([KORT]), actor="bench"))
    counter = iter(range(10**9))

    def one() -> None:
        key = f"k-{next(counter)}"
        case_id = engine.run(lambda s: engine.start_case(s, "kort", "bench", key, {"n": 1}, "bench")).case_id
        with engine.database.reading() as s:
            task_id = s.scalar(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.state == "open"))
        assert task_id is not None
        engine.run(lambda s: engine.complete_task(s, task_id, {}, "bench"))

    timed(one, 20)  # warm-up: spec cache, connection pool
    return timed(one, repeat)


# The least a durable engine must write for start → user task → end, as plain DBAPI statements on the real
# tables: a floor for "engine with storage", with no ORM, no projections beyond the one task row, no checks.
FLOOR_START = [
    'INSERT INTO "case" (reference, process_version_id, sender, business_key, start_message, payload_hash, status,'
    " lock_version, waiting_messages, path, queued_messages, winter, medical, created_at, updated_at)"
    " VALUES (?, ?, 'bench', ?, 'kort', 'x', 'running', 1, '[]', '[]', 0, false, false, ?, ?) RETURNING id",
    "INSERT INTO case_state (case_id, state) VALUES (?, ?)",
    "INSERT INTO human_task (id, case_id, element_id, title, escalation_level, state, created_at)"
    " VALUES (?, ?, 'taak', 'Taak', 0, 'open', ?)",
    "INSERT INTO case_event (case_id, at, actor, action, origin, details)"
    " VALUES (?, ?, 'bench', 'case_started', '', '{}')",
]
FLOOR_COMPLETE = [
    'SELECT c.lock_version, s.state FROM "case" c JOIN case_state s ON s.case_id = c.id WHERE c.id = ?',
    "UPDATE \"case\" SET status = 'completed', lock_version = lock_version + 1, updated_at = ? WHERE id = ?",
    "UPDATE case_state SET state = ? WHERE case_id = ?",
    "UPDATE human_task SET state = 'completed', finished_at = ? WHERE id = ?",
    "INSERT INTO case_event (case_id, at, actor, action, origin, details)"
    " VALUES (?, ?, 'bench', 'task_completed', '', '{}')",
]


def floor_with_dbapi(engine: Engine, repeat: int) -> list[float]:
    """Bare SpiffWorkflow plus a spec-less save after each step, written with the statements above straight
    through the database driver (sqlite3 / psycopg), one transaction per step: the least a durable engine does."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(KORT / "kort.bpmn"))
    spec = parser.get_spec("kort")
    serializer = StateSerializer()
    version_id = engine.run(lambda s: engine.deploy(s, engine.read_bundle([KORT]), actor="bench")).version_id
    sqlite = engine.database.is_sqlite
    lock = "" if sqlite else " FOR UPDATE OF c"
    start, complete = FLOOR_START, list(FLOOR_COMPLETE)
    complete[0] += lock
    find_task = "SELECT id FROM human_task WHERE case_id = ? AND state = 'open'"
    if not sqlite:
        start, complete = [q.replace("?", "%s") for q in start], [q.replace("?", "%s") for q in complete]
        find_task = find_task.replace("?", "%s")
    connection = engine.database.engine.raw_connection()
    counter = iter(range(10**9))

    def one() -> None:
        now = START
        n = next(counter)
        workflow = BpmnWorkflow(spec, script_engine=engine.script_engine)
        workflow.do_engine_steps()
        workflow.send_event(BpmnEvent(MessageEventDefinition("kort"), {"n": 1}))
        workflow.do_engine_steps()
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        cursor = connection.cursor()
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(start[0], (f"F-{n}", version_id, f"f-{n}", now, now))
        case_id = cursor.fetchone()[0]
        cursor.execute(start[1], (case_id, serializer.dumps(workflow)))
        cursor.execute(start[2], (str(task.id), case_id, now))
        cursor.execute(start[3], (case_id, now))
        connection.commit()
        cursor.execute(find_task, (case_id,))  # the inbox read in between, as in engine_with_storage
        assert cursor.fetchone()[0] == str(task.id)
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(complete[0], (case_id,))
        cursor.fetchone()
        task.run()
        workflow.do_engine_steps()
        cursor.execute(complete[1], (now, case_id))
        cursor.execute(complete[2], (serializer.dumps(workflow), case_id))
        cursor.execute(complete[3], (now, str(task.id)))
        cursor.execute(complete[4], (case_id, now))
        connection.commit()
        cursor.close()
        assert workflow.completed

    try:
        timed(one, 20)
        return timed(one, repeat)
    finally:
        connection.close()


def section_round_trip(url: str, work: Path, repeat: int) -> None:
    engine, _ = make_engine(fresh_database(url, work))
    bare = bare_spiff(repeat)
    sandboxed = bare_spiff(repeat, engine.script_engine)
    serialized = bare_spiff(repeat, engine.script_engine, StateSerializer())
    floor = floor_with_dbapi(engine, repeat)
    stored = engine_with_storage(engine, repeat)
    ratio = statistics.median(stored) / statistics.median(bare)
    print("1. start → user task → end")
    print(f"   bare SpiffWorkflow, in memory : {summary(bare)}")
    print(f"     + our sandbox               : {summary(sandboxed)}")
    print(f"     + save/restore each step    : {summary(serialized)}")
    print(f"   floor: + save, plain DBAPI SQL: {summary(floor)}")
    print(f"   Vangnet engine with storage   : {summary(stored)}")
    print(f"   ratio (medians)               : {ratio:.2f}×   budget ≤ 2×")
    print(f"   floor ratio (medians)         : {statistics.median(floor) / statistics.median(bare):.2f}×")


def start_due_cases(engine: Engine, count: int, prefix: str) -> None:
    payload = {"naam": "Bench", "einddatum": "2027-06-30"}
    for i in range(count):
        engine.run(lambda s, i=i: engine.start_case(s, "aanvraag", "bench", f"{prefix}-{i}", payload, "bench"))


def add_idle_cases(engine: Engine, count: int) -> None:
    """Open cases whose timers are far away: copies of a real case row (no tasks needed for the sweep)."""
    with engine.database.reading() as s:
        template = s.scalars(select(Case).options(selectinload(Case.stored)).limit(1)).one()
    far = template.created_at + timedelta(days=365)
    rows = [
        {
            "reference": f"IDLE-{i:07d}",
            "process_version_id": template.process_version_id,
            "sender": "idle",
            "business_key": f"idle-{i}",
            "start_message": template.start_message,
            "payload_hash": "x",
            "status": "running",
            "lock_version": 1,
            "next_timer_at": far,
            "created_at": template.created_at,
            "updated_at": template.created_at,
        }
        for i in range(count)
    ]
    with engine.transaction() as s:
        for start in range(0, len(rows), 5000):
            ids = s.scalars(insert(Case).returning(Case.id), rows[start : start + 5000]).all()
            s.execute(insert(CaseState), [{"case_id": i, "state": template.state} for i in ids])


def sweep_cost(url: str, work: Path, open_cases: int, rounds: int) -> list[float]:
    engine, clock = make_engine(fresh_database(url, work))
    engine.run(lambda s: engine.deploy(s, engine.read_bundle([TEST_BUNDLES / "aanvraag"]), actor="bench"))
    start_due_cases(engine, 1, "template")
    add_idle_cases(engine, open_cases)
    samples = []
    for r in range(rounds):
        start_due_cases(engine, 10, f"due-{r}")
        clock.advance(timedelta(days=2))
        began = time.perf_counter()
        swept = engine.run_due_timers()
        samples.append((time.perf_counter() - began) * 1000)
        assert len(swept.fired) >= 10, swept
        clock.advance(timedelta(days=-2))
    return samples


def section_sweep(url: str, work: Path, rounds: int) -> None:
    small = sweep_cost(url, work, 1_000, rounds)
    large = sweep_cost(url, work, 100_000, rounds)
    ratio = statistics.median(large) / statistics.median(small)
    print("2. timer sweep, 10 due cases per sweep")
    print(f"   among   1 000 open cases : {summary(small)}")
    print(f"   among 100 000 open cases : {summary(large)}")
    print(f"   ratio (medians)          : {ratio:.2f}×   budget ≤ 2×")


def deploy(engine: Engine, folder: Path) -> None:
    engine.run(lambda s: engine.deploy(s, engine.read_bundle([folder]), actor="bench"))


def loop_cost(engine: Engine, iterations: int, samples: int) -> list[float]:
    case_id = engine.run(lambda s: engine.start_case(s, "lus", "bench", f"lus-{iterations}", {}, "bench")).case_id

    def step() -> None:
        with engine.database.reading() as s:
            task_id = s.scalar(select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.state == "open"))
        assert task_id is not None
        engine.run(lambda s: engine.complete_task(s, task_id, {"doorgaan": True}, "bench"))

    for _ in range(iterations):
        step()
    return timed(step, samples)


def section_loop(url: str, work: Path, samples: int) -> None:
    for live in (1000, 0):
        engine, _ = make_engine(fresh_database(url, work), live_cache_size=live)
        deploy(engine, TEST_BUNDLES / "lus")
        after_10 = loop_cost(engine, 10, samples)
        after_500 = loop_cost(engine, 500, samples)
        ratio = statistics.median(after_500) / statistics.median(after_10)
        mode = "live workflows" if live else "restore every step"
        print(f"3. completing a loop's user task ({mode})")
        print(f"   after  10 iterations : {summary(after_10)}")
        print(f"   after 500 iterations : {summary(after_500)}")
        print(f"   ratio (medians)      : {ratio:.2f}×   goal ≤ 1.5×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="'sqlite' (a temporary file) or a PostgreSQL URL")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--sweep-rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"database: {args.database}")
        section_round_trip(args.database, work, args.repeat)
        section_sweep(args.database, work, args.sweep_rounds)
        section_loop(args.database, work, 100)


if __name__ == "__main__":
    main()
