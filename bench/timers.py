"""Timer lateness benchmark (not a test): run ``.venv/bin/python -m bench.timers [--database URL]``.

Measures the budget "timer lateness with the default 1 s sweep: ≤ 2 s" on the wall clock, with the sweep running
exactly as ``vangnet serve`` runs it: ``engine.worker.start_background`` with ``Settings().sweep_interval_seconds``,
an engine on the system clock, a fresh migrated database.

Each scenario starts cases of ``bench/bundles/wekker`` (message start → timer catch event due at the payload's
``wek_om`` → user task), spread over a window of wall-clock time plus a burst due within one second, and waits
until every timer has fired. It prints, per scenario, p50 / p95 / max of

    lateness = (wall-clock moment the firing transaction committed) − (the timer's due moment)

recorded for every case by a SQLAlchemy ``after_commit`` listener (it only observes: it notes the cases whose
``timers_fired`` event a transaction wrote and stamps ``time.time()`` once the COMMIT has returned, i.e. once the
fired timer and its new task are durable and visible to everyone). Two scenarios: with hardly any other open cases,
and among many idle open cases (copies, with far-away timers) — lateness must not grow with open cases.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MAX_INSTANCES, JobEvent, JobExecutionEvent
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Connection, event, func, select
from sqlalchemy import Engine as SAEngine
from sqlalchemy.orm import Session

from bench.common import HERE, ROOT, fresh_database, timed
from bench.engine import add_idle_cases
from bench.web import settle
from engine import worker
from engine.clock import SystemClock, parse_moment
from engine.db import Database
from engine.models import CaseEvent, HumanTask
from engine.service import Engine
from engine.settings import Settings

WEKKER = HERE / "bundles" / "wekker"
BUDGET_SECONDS = 2.0
FAR_AWAY = timedelta(days=365)
WARM_STARTS = 10  # cases started (with far-away timers) to time a start, before the measured ones
SETTLE_SECONDS = 15.0  # after the last due moment: a timer not fired by then counts as lost (the run fails)


@dataclass(frozen=True)
class Plan:
    """When the timers fall due, as offsets in seconds from the first moment of the window."""

    spread: list[float]
    burst: list[float]

    @classmethod
    def make(cls, spread: int, burst: int, window: float, seed: int) -> Plan:
        rng = random.Random(seed)
        burst_at = int(window / 2)
        return cls(
            spread=sorted(rng.uniform(0, window) for _ in range(spread)),
            burst=sorted(rng.uniform(burst_at, burst_at + 1) for _ in range(burst)),
        )


class CommitTimes:
    """Wall-clock moment at which each case's ``timers_fired`` event was committed, observed through SQLAlchemy's
    connection and session events (which the sweep's transactions pass through anyway; nothing is replaced)."""

    def __init__(self) -> None:
        self.at: dict[int, float] = {}
        self._lock = threading.Lock()

    def on_execute(self, conn: Connection, statement: Any, multiparams: Any, params: Any, *_: Any) -> None:
        """The engine appends events with a plain INSERT on the session's connection: note the ``timers_fired``."""
        table = getattr(statement, "table", None)
        if not getattr(statement, "is_insert", False) or table is None or table.name != CaseEvent.__tablename__:
            return
        rows: Sequence[Mapping[str, Any]] = list(multiparams or []) or [params or {}]
        fired = {row["case_id"] for row in rows if isinstance(row, Mapping) and row.get("action") == "timers_fired"}
        if fired:
            conn.info.setdefault("bench_fired", set()).update(fired)

    def on_rollback(self, conn: Connection) -> None:
        conn.info.pop("bench_fired", None)

    def before_commit(self, session: Session) -> None:
        fired = session.connection().info.pop("bench_fired", set())
        session.info.setdefault("bench_fired", set()).update(fired)

    def after_commit(self, session: Session) -> None:
        moment = time.time()
        fired = session.info.pop("bench_fired", set())
        with self._lock:
            for case_id in fired:
                self.at.setdefault(case_id, moment)

    def after_rollback(self, session: Session) -> None:
        session.info.pop("bench_fired", None)

    def count(self, case_ids: set[int]) -> int:
        with self._lock:
            return len(case_ids & self.at.keys())

    @contextmanager
    def listening(self, database: SAEngine) -> Iterator[CommitTimes]:
        hooks: list[tuple[Any, str, Callable[..., None]]] = [
            (database, "after_execute", self.on_execute),
            (database, "rollback", self.on_rollback),
            (Session, "before_commit", self.before_commit),
            (Session, "after_commit", self.after_commit),
            (Session, "after_rollback", self.after_rollback),
        ]
        for target, name, hook in hooks:
            event.listen(target, name, hook)
        try:
            yield self
        finally:
            for target, name, hook in hooks:
                event.remove(target, name, hook)


@dataclass
class Ticks:
    """The sweep job as APScheduler ran it: how long each tick took (end − scheduled moment), and how many ticks
    were skipped because the previous one was still running (``max_instances=1``)."""

    durations: list[float] = field(default_factory=list)
    skipped: int = 0

    def listen(self, scheduler: BaseScheduler) -> None:
        scheduler.add_listener(self._on_event, EVENT_JOB_EXECUTED | EVENT_JOB_MAX_INSTANCES)

    def _on_event(self, job_event: JobEvent) -> None:
        if job_event.job_id != worker.JOB_ID:
            return
        if isinstance(job_event, JobExecutionEvent):
            self.durations.append(time.time() - job_event.scheduled_run_time.timestamp())
        else:
            self.skipped += 1


@dataclass(frozen=True)
class Lateness:
    """Seconds per timer: until its firing committed, until the sweep took it up (the ``timers_fired`` event's
    ``at``, the engine's clock when that case's firing began), and from there to the commit."""

    committed: list[float]
    picked_up: list[float]
    work: list[float]


@dataclass(frozen=True)
class Outcome:
    spread: Lateness
    burst: Lateness
    overall: Lateness
    ticks: Ticks
    lead: float


def start_case(engine: Engine, key: str, due: datetime) -> int:
    payload = {"wek_om": due.isoformat()}
    return engine.run(lambda s: engine.start_case(s, "wekker", "bench", key, payload, "bench")).case_id


def fired_events(engine: Engine, case_ids: set[int]) -> dict[int, CaseEvent]:
    found: dict[int, CaseEvent] = {}
    with engine.database.reading() as s:
        query = select(CaseEvent).where(CaseEvent.action == "timers_fired", CaseEvent.case_id.in_(case_ids))
        for row in s.scalars(query):
            assert row.case_id is not None and row.case_id not in found, f"case {row.case_id} fired twice"
            found[row.case_id] = row
        open_tasks = s.scalar(select(func.count()).where(HumanTask.case_id.in_(case_ids), HumanTask.state == "open"))
    assert open_tasks == len(case_ids), f"{open_tasks} open tasks for {len(case_ids)} fired timers"
    return found


def lateness(engine: Engine, due: dict[int, datetime], commits: CommitTimes) -> Lateness:
    events = fired_events(engine, set(due))
    missing = set(due) - events.keys()
    assert not missing, f"{len(missing)} timers did not fire through the sweep (e.g. case {min(missing)})"
    unseen = set(due) - commits.at.keys()
    assert not unseen, f"{len(unseen)} firings committed unobserved (are events still inserted through the session?)"
    committed, picked_up, work = [], [], []
    for case_id, moment in due.items():
        fired = events[case_id]
        projected = parse_moment(fired.details["due"])  # the engine's own next_timer_at, before firing
        assert abs((projected - moment).total_seconds()) < 0.001, (case_id, projected, moment)
        committed.append(commits.at[case_id] - moment.timestamp())
        picked_up.append((fired.at - moment).total_seconds())
        work.append(commits.at[case_id] - fired.at.timestamp())
    return Lateness(committed, picked_up, work)


def scenario(url: str, work: Path, idle: int, plan: Plan, label: str) -> Outcome:
    settings = Settings(database_url=fresh_database(url, work), forms_dir=ROOT / "forms")
    engine = Engine(settings, Database(settings.database_url))
    assert isinstance(engine.clock, SystemClock), engine.clock  # lateness is wall-clock time
    try:
        engine.run(lambda s: engine.deploy(s, engine.read_bundle([WEKKER]), actor="bench"))
        far = engine.now() + FAR_AWAY
        start_case(engine, f"{label}-template", far)  # the row add_idle_cases copies
        if idle:
            add_idle_cases(engine, idle)
            settle(engine)
        warm = iter(range(WARM_STARTS))
        samples = timed(lambda: start_case(engine, f"{label}-warm-{next(warm)}", far), WARM_STARTS)
        per_start = statistics.median(samples) / 1000
        commits, ticks = CommitTimes(), Ticks()
        with commits.listening(engine.database.engine):
            scheduler = worker.start_background(engine, settings.sweep_interval_seconds)
            try:
                ticks.listen(scheduler)
                return run_plan(engine, plan, label, per_start, commits, ticks)
            finally:
                scheduler.shutdown(wait=True)
    finally:
        engine.database.dispose()


def run_plan(engine: Engine, plan: Plan, label: str, per_start: float, commits: CommitTimes, ticks: Ticks) -> Outcome:
    """Start every case with the sweep already running, all of them well before the first timer is due, then wait
    (the main thread idle) until every timer has fired."""
    count = len(plan.spread) + len(plan.burst)
    lead = 2.0 + 2.0 * count * per_start
    first = datetime.now(UTC) + timedelta(seconds=lead)
    planned: dict[str, dict[int, datetime]] = {"spread": {}, "burst": {}}
    for group, offsets in (("spread", plan.spread), ("burst", plan.burst)):
        for i, offset in enumerate(offsets):
            due = first + timedelta(seconds=offset)
            planned[group][start_case(engine, f"{label}-{group}-{i}", due)] = due
    margin = (first - datetime.now(UTC)).total_seconds()
    assert margin > 0.5, f"starting the cases took too long: only {margin:.2f} s before the first timer"
    spread, burst = planned["spread"], planned["burst"]
    every = spread | burst
    deadline = max(every.values()).timestamp() + SETTLE_SECONDS
    while commits.count(set(every)) < len(every) and time.time() < deadline:
        time.sleep(0.2)
    return Outcome(
        spread=lateness(engine, spread, commits),
        burst=lateness(engine, burst, commits),
        overall=lateness(engine, every, commits),
        ticks=ticks,
        lead=margin,
    )


def seconds(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return f"p50 {statistics.median(samples):6.3f} s  p95 {p95:6.3f} s  max {ordered[-1]:6.3f} s  (n={len(samples)})"


def report(number: int, title: str, outcome: Outcome) -> None:
    ticks = outcome.ticks
    worst = max(outcome.overall.committed)
    print(f"{number}. {title}")
    print(f"   spread timers, committed − due   : {seconds(outcome.spread.committed)}")
    print(f"   burst timers,  committed − due   : {seconds(outcome.burst.committed)}")
    print(f"   all timers,    committed − due   : {seconds(outcome.overall.committed)}")
    print(f"     of which until taken up         : {seconds(outcome.overall.picked_up)}")
    print(f"     of which firing and commit      : {seconds(outcome.overall.work)}")
    print(
        f"   sweep ticks: {len(ticks.durations)} run, {ticks.skipped} skipped (previous still running), "
        f"longest {max(ticks.durations):.3f} s; cases started {outcome.lead:.1f} s before the first due"
    )
    print(f"   max lateness                     : {worst:.3f} s   budget ≤ {BUDGET_SECONDS:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="sqlite", help="'sqlite' (a temporary file) or a PostgreSQL URL")
    parser.add_argument("--spread", type=int, default=200, help="timers spread over the window")
    parser.add_argument("--burst", type=int, default=50, help="timers due within one second, mid-window")
    parser.add_argument("--window", type=float, default=25.0, help="seconds over which the timers fall due")
    parser.add_argument("--idle", type=int, default=10_000, help="idle open cases in the second scenario")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    interval = Settings(database_url="").sweep_interval_seconds
    plan = Plan.make(args.spread, args.burst, args.window, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"database: {args.database}")
        print(f"sweep: engine.worker.start_background, every {interval} s (the Settings default)")
        shape = f"{args.spread} timers spread over {args.window:.0f} s + {args.burst} due within one second"
        for number, idle in enumerate((0, args.idle), start=1):
            others = f"{idle + 1 + WARM_STARTS:,}".replace(",", " ")
            outcome = scenario(args.database, work, idle, plan, f"s{number}")
            report(number, f"{shape}, among {others} other open cases (far-away timers)", outcome)


if __name__ == "__main__":
    main()
