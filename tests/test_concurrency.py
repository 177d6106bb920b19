"""Concurrency: real OS processes against one real database, no mocks.

* Two processes complete the same human task at the same moment: exactly one wins, the other gets a ``Conflict``;
  the case shows one completion, by the winner, and its stored state is the winner's.
* Two workers sweep the same due timers at the same moment: every timer fires exactly once in total.

Both run on every backend (SQLite always, PostgreSQL when VANGNET_TEST_DATABASE_URL is set). The processes are
started with the 'spawn' context, build their own engine on the same URL (``tests/concurrency_worker.py``) and meet
at a ``multiprocessing.Barrier`` before acting, so they act at the same moment. On PostgreSQL a variant also forces
the worst interleaving: the test holds the case row lock until both processes have read the task as open and are
waiting for that lock (seen in ``pg_stat_activity``), then lets them go. Every wait is bounded.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine as SqlEngine
from sqlalchemy import create_engine, func, select, text

from engine.case_work import lock_case
from engine.clock import ManualClock
from engine.db import Database
from engine.models import Case, CaseEvent, HumanTask, Outbox
from engine.projections import case_data
from engine.runtime import ready_user_tasks
from engine.service import Engine
from engine.settings import Settings

from . import concurrency_worker
from .conftest import HERE, PG_URL
from .helpers import case, deploy, events, only_task, open_tasks, start_aanvraag

SPAWN = multiprocessing.get_context("spawn")
RESULT_TIMEOUT = 60.0  # per expected report; generous for a loaded CI machine, yet nothing can hang
JOIN_TIMEOUT = 15.0
LOCK_WAIT_TIMEOUT = 20.0

REMINDER_DUE = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)  # one working day after START, 17:00 Amsterdam
DEADLINE_DUE = datetime(2026, 12, 10, 16, 0, tzinfo=UTC)  # three working days after START
AFTER_REMINDER = datetime(2026, 12, 8, 16, 0, 1, tzinfo=UTC)
AFTER_DEADLINE = datetime(2026, 12, 10, 16, 0, 1, tzinfo=UTC)

# What each of the two racing processes submits: different outcomes, so the stored state shows whose it is.
DATA = [
    {"akkoord": True, "toelichting": "Akkoord volgens de eerste"},
    {"akkoord": False, "toelichting": "Afgewezen volgens de tweede"},
]

NOT_ON_SQLITE = (
    "PostgreSQL only: it needs row locks (SELECT ... FOR UPDATE) and pg_stat_activity; SQLite has neither, its "
    "writers queue on BEGIN IMMEDIATE before reading anything"
)
NEEDS_POSTGRES = pytest.mark.skipif(not PG_URL, reason=f"{NOT_ON_SQLITE}. Set VANGNET_TEST_DATABASE_URL to run it.")


# --- fixtures and plumbing -------------------------------------------------------------------------------------


@pytest.fixture
def engine(migrated_url: str, database: Database, clock: ManualClock, tmp_path: Path) -> Engine:
    """The test's own engine (for setting up and checking): no live cache, so it always reads what is stored."""
    settings = Settings(
        database_url=migrated_url,
        environment="test",
        instance_path=tmp_path,
        forms_dir=HERE.parent / "forms",
        live_cache_size=0,
    )
    return Engine(settings, database, clock)


@pytest.fixture
def monitor(backend: str) -> Iterator[SqlEngine]:
    """A connection to watch the workers in ``pg_stat_activity`` (PostgreSQL only)."""
    if backend != "postgresql":
        pytest.skip(NOT_ON_SQLITE)
    assert PG_URL
    watcher = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    yield watcher
    watcher.dispose()


def worker_config(engine: Engine, url: str, name: str, now: datetime, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    """What a worker process needs to build its own engine; on PostgreSQL its connections carry ``name``."""
    if engine.database.dialect == "postgresql":
        url = f"{url}{'&' if '?' in url else '?'}application_name={name}"
    return {
        "url": url,
        "name": name,
        "now": now.isoformat(),
        "forms_dir": str(HERE.parent / "forms"),
        "instance_path": str(tmp_path),
        **extra,
    }


@contextmanager
def processes(target: Callable[..., None], configs: list[dict[str, Any]], extra_parties: int = 0) -> Iterator[Any]:
    """Start one spawned process per config; yield ``(barrier, results)``; always reap them, within bounds."""
    barrier = SPAWN.Barrier(len(configs) + extra_parties)
    results = SPAWN.Queue()
    started = [
        SPAWN.Process(target=target, args=(config, barrier, results), name=config["name"], daemon=True)
        for config in configs
    ]
    for process in started:
        process.start()
    try:
        yield barrier, results
    finally:
        for process in started:
            process.join(JOIN_TIMEOUT)
            if process.is_alive():  # only after a failure elsewhere: never leave a worker behind
                barrier.abort()
                process.terminate()
                process.join(JOIN_TIMEOUT)
        results.close()
        results.join_thread()
    unclean = {p.name: p.exitcode for p in started if p.exitcode != 0}  # checked only when the test body passed
    assert not unclean, f"worker process(es) did not exit cleanly: {unclean}"


def collect(results: Any, expected: int) -> dict[tuple[str, int], dict[str, Any]]:
    """``expected`` reports ``(name, round, outcome)``; any unexpected error in a worker fails the test with it."""
    reports: dict[tuple[str, int], dict[str, Any]] = {}
    deadline = time.monotonic() + RESULT_TIMEOUT
    while len(reports) < expected:
        remaining = deadline - time.monotonic()
        try:
            name, number, outcome = results.get(timeout=max(remaining, 0.01))
        except queue.Empty:
            pytest.fail(f"only {len(reports)} of {expected} worker reports within {RESULT_TIMEOUT}s: {reports}")
        if outcome["outcome"] == "error":
            pytest.fail(
                f"worker {name} (round {number}) failed: {outcome['type']}: {outcome['message']}\n"
                f"{outcome['traceback']}"
            )
        reports[name, number] = outcome
    return reports


def lock_waiters(monitor: SqlEngine, names: list[str]) -> list[str]:
    """The queries of the named workers' backends that are waiting for a lock now."""
    with monitor.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT application_name, query FROM pg_stat_activity "
                "WHERE application_name = ANY(:names) AND wait_event_type = 'Lock'"
            ),
            {"names": names},
        )
        return [f"{name}: {query}" for name, query in rows]


def wait_for_lock_waiters(monitor: SqlEngine, names: list[str], count: int) -> list[str]:
    """Poll ``pg_stat_activity`` (an observable condition, bounded) until ``count`` workers wait for a lock."""
    deadline = time.monotonic() + LOCK_WAIT_TIMEOUT
    while True:
        waiting = lock_waiters(monitor, names)
        if len(waiting) >= count:
            return waiting
        if time.monotonic() > deadline:
            pytest.fail(f"{count} workers never waited for the lock within {LOCK_WAIT_TIMEOUT}s: {waiting}")
        time.sleep(0.01)


def action_counts(engine: Engine, action: str) -> Counter[int]:
    with engine.database.reading() as s:
        rows = s.execute(select(CaseEvent.case_id, CaseEvent.actor).where(CaseEvent.action == action))
        return Counter(case_id for case_id, _actor in rows)


def outbox_counts(engine: Engine, name: str) -> Counter[int]:
    with engine.database.reading() as s:
        return Counter(s.scalars(select(Outbox.case_id).where(Outbox.name == name)))


def waiting_for(engine: Engine, case_id: int) -> set[str]:
    with engine.database.reading() as s:
        return set(s.scalar(select(Case.waiting_messages).where(Case.id == case_id)) or [])


def names(prefix: str) -> list[str]:
    run = uuid.uuid4().hex[:8]  # unique per test run, so parallel runs never see each other's backends
    return [f"{prefix}-{run}-a", f"{prefix}-{run}-b"]


# --- two processes complete one task ---------------------------------------------------------------------------

ROUNDS = 6  # races per run: each round is a fresh case whose one task both processes complete at once


@pytest.mark.parametrize("race", ["barrier", "gated"])
def test_two_processes_completing_one_task_exactly_one_wins(
    backend: str, race: str, engine: Engine, migrated_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    monitor: SqlEngine | None = request.getfixturevalue("monitor") if race == "gated" else None
    deploy(engine, "aanvraag")
    case_ids = [start_aanvraag(engine, key=f"T-{n}") for n in range(ROUNDS)]
    task_ids = [only_task(engine, c).id for c in case_ids]
    before = {c: case(engine, c).lock_version for c in case_ids}
    workers = names("vn-complete")
    data_of = dict(zip(workers, DATA, strict=True))  # each worker acts as the user named like the worker
    configs = [
        worker_config(engine, migrated_url, w, engine.now(), tmp_path, task_ids=task_ids, data=data_of[w])
        for w in workers
    ]

    with processes(concurrency_worker.complete_tasks, configs, extra_parties=1 if monitor else 0) as (
        barrier,
        results,
    ):
        if monitor is not None:
            # Hold each case row lock until both workers have read the task as open and wait for that lock.
            for case_id in case_ids:
                with engine.database.engine.connect() as conn, conn.begin():
                    conn.execute(text('SELECT id FROM "case" WHERE id = :id FOR UPDATE'), {"id": case_id})
                    barrier.wait(timeout=concurrency_worker.BARRIER_TIMEOUT)
                    waiting = wait_for_lock_waiters(monitor, workers, 2)
                assert len(waiting) == 2, waiting
        reports = collect(results, expected=2 * ROUNDS)

    wins: Counter[str] = Counter()
    for number, (case_id, task_id) in enumerate(zip(case_ids, task_ids, strict=True)):
        outcomes = {w: reports[w, number] for w in workers}
        winners = [w for w, o in outcomes.items() if o["outcome"] == "completed"]
        losers = [w for w, o in outcomes.items() if o["outcome"] == "conflict"]
        assert (len(winners), len(losers)) == (1, 1), outcomes
        winner, loser = winners[0], losers[0]
        wins[winner] += 1
        lost = outcomes[loser]
        assert lost["message"] == f"Deze taak is al afgehandeld door {winner}.", lost
        assert lost["details"] == {"task_id": task_id, "state": "completed"}, lost

        # one completion, by the winner, with the winner's data; the lock version moved exactly once
        stored = case(engine, case_id)
        assert events(engine, case_id).count("task_completed") == 1, events(engine, case_id)
        with engine.database.reading() as s:
            row = s.get(HumanTask, task_id)
            assert row is not None
            assert (row.state, row.finished_by) == ("completed", winner)
            completed_by = s.scalars(
                select(CaseEvent.actor).where(CaseEvent.case_id == case_id, CaseEvent.action == "task_completed")
            ).all()
        assert completed_by == [winner]
        assert stored.lock_version == before[case_id] + 1 == outcomes[winner]["lock_version"]
        assert open_tasks(engine, case_id) == []

        # the stored state restores and is the winner's, not a mix
        workflow = engine.runtime.restore(engine.specs.get(stored.version), stored.state)
        assert ready_user_tasks(workflow) == []
        data = case_data(workflow)
        assert {k: data[k] for k in ("akkoord", "toelichting")} == data_of[winner]
        if data_of[winner]["akkoord"]:
            assert (stored.status, stored.outcome, stored.next_timer_at) == ("running", None, None)
            assert waiting_for(engine, case_id) == {"bevestiging"}
        else:
            assert (stored.status, stored.outcome) == ("completed", "afgewezen")
            assert waiting_for(engine, case_id) == set()
    assert sum(wins.values()) == ROUNDS


# --- two workers sweep the same timers -------------------------------------------------------------------------

CASES = 20


def test_two_workers_sweeping_the_same_timers_fire_each_once(
    backend: str, engine: Engine, clock: ManualClock, migrated_url: str, tmp_path: Path
) -> None:
    deploy(engine, "aanvraag")
    case_ids = [start_aanvraag(engine, key=f"S-{n}") for n in range(CASES)]
    references = {case(engine, c).reference for c in case_ids}
    assert {case(engine, c).next_timer_at for c in case_ids} == {REMINDER_DUE}
    clock.set(AFTER_REMINDER)  # every case's reminder is due; the deadline is not
    workers = names("vn-sweep")
    configs = [worker_config(engine, migrated_url, w, AFTER_REMINDER, tmp_path) for w in workers]

    with processes(concurrency_worker.sweep_timers, configs) as (_barrier, results):
        reports = collect(results, expected=2)

    fired = {w: reports[w, 0]["fired"] for w in workers}
    assert [reports[w, 0]["failed"] for w in workers] == [[], []]
    overlap = set(fired[workers[0]]) & set(fired[workers[1]])
    assert not overlap, f"fired by both workers: {sorted(overlap)}"
    assert all(len(f) == len(set(f)) for f in fired.values()), fired
    assert set(fired[workers[0]]) | set(fired[workers[1]]) == references

    escalations = outbox_counts(engine, "intern_escalatie")
    sweeps = action_counts(engine, "timers_fired")
    assert sum(escalations.values()) == CASES and set(escalations.values()) == {1}, escalations
    assert sum(sweeps.values()) == CASES and set(sweeps.values()) == {1}, sweeps
    assert set(escalations) == set(sweeps) == set(case_ids)
    for case_id in case_ids:
        stored = case(engine, case_id)
        assert (stored.status, stored.next_timer_at) == ("running", DEADLINE_DUE)
        task = only_task(engine, case_id)
        assert (task.escalation_level, task.due_at) == (1, DEADLINE_DUE)
    assert engine.run_due_timers().fired == []  # nothing left over, nothing fires twice


# --- PostgreSQL: a command locks its case, not more ------------------------------------------------------------
#
# ARCHITECTURE.md: a command locks *the case row*; the sweep uses SKIP LOCKED "so several workers sweep at once".
# ``Case.version`` is a joined eager load (lazy="joined", innerjoin=True), and neither ``lock_case`` nor
# ``claim_due_case`` says ``FOR UPDATE OF "case"``, so PostgreSQL also locks the joined ``process_version`` row:
# every command serialises with every other command on any case of the same process version, and a sweep skips
# *all* due cases of a version while any one of its cases is being worked on. These tests state the intended
# behaviour; they are expected to fail until the engine locks only the case row.


@NEEDS_POSTGRES
@pytest.mark.postgres_only
def test_a_command_on_one_case_does_not_wait_for_a_command_on_another(
    backend: str, engine: Engine, monitor: SqlEngine, migrated_url: str, tmp_path: Path
) -> None:
    deploy(engine, "aanvraag")
    held, other = start_aanvraag(engine, key="held"), start_aanvraag(engine, key="other")
    task_id = only_task(engine, other).id
    workers = names("vn-other")[:1]
    config = worker_config(engine, migrated_url, workers[0], engine.now(), tmp_path, task_ids=[task_id], data=DATA[1])
    blocked: list[str] = []
    with processes(concurrency_worker.complete_tasks, [config], extra_parties=1) as (barrier, results):
        with engine.transaction() as session:
            lock_case(session, held)  # what any command on case `held` does first
            barrier.wait(timeout=concurrency_worker.BARRIER_TIMEOUT)
            # Either the worker reports (it did not wait), or it shows up waiting for a lock: whichever comes first.
            deadline = time.monotonic() + LOCK_WAIT_TIMEOUT
            report: tuple[str, int, dict[str, Any]] | None = None
            while report is None and not blocked and time.monotonic() < deadline:
                try:
                    report = results.get(timeout=0.05)
                except queue.Empty:
                    blocked = lock_waiters(monitor, workers)
        # the lock is released here; a blocked worker now goes on and reports
        outcome = report[2] if report is not None else collect(results, expected=1)[workers[0], 0]
    assert outcome["outcome"] == "completed", outcome
    assert not blocked, f"completing a task on another case waited for the lock on case {held}: {blocked}"


@NEEDS_POSTGRES
@pytest.mark.postgres_only
def test_a_sweep_skips_only_the_case_another_transaction_holds(
    backend: str, engine: Engine, clock: ManualClock, monitor: SqlEngine, migrated_url: str, tmp_path: Path
) -> None:
    deploy(engine, "aanvraag")
    case_ids = [start_aanvraag(engine, key=f"H-{n}") for n in range(5)]
    clock.set(AFTER_REMINDER)
    held = case_ids[0]
    workers = names("vn-skip")[:1]
    config = worker_config(engine, migrated_url, workers[0], AFTER_REMINDER, tmp_path)
    with (
        processes(concurrency_worker.sweep_timers, [config], extra_parties=1) as (barrier, results),
        engine.transaction() as session,
    ):
        lock_case(session, held)  # a user completing a task on `held` right now
        barrier.wait(timeout=concurrency_worker.BARRIER_TIMEOUT)
        fired = collect(results, expected=1)[workers[0], 0]["fired"]
    assert sorted(fired) == sorted(case(engine, c).reference for c in case_ids[1:])
    with engine.database.reading() as s:
        assert s.scalar(select(func.count()).select_from(Case).where(Case.next_timer_at < AFTER_REMINDER)) == 1
