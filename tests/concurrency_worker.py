"""Code that runs inside the worker processes of ``test_concurrency.py`` (started with the 'spawn' context).

Each process builds its own :class:`Engine` on the shared database URL, with its own manual clock set to the same
moment as the test's. Everything slow (imports, engine construction, the first connection) happens before the
barrier, so that after it both processes issue their command at the same moment. Every outcome — success, the
expected :class:`Conflict`, or anything unexpected with its traceback — is reported back on a queue; nothing is
raised out of the process, so the test always learns what happened.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from engine.clock import ManualClock
from engine.db import Database
from engine.errors import Conflict, VangnetError
from engine.service import Engine
from engine.settings import Settings

BARRIER_TIMEOUT = 30.0


def _engine(config: dict[str, Any]) -> Engine:
    settings = Settings(
        database_url=config["url"],
        environment="test",
        instance_path=Path(config["instance_path"]),
        forms_dir=Path(config["forms_dir"]),
        live_cache_size=config.get("live_cache_size", 1000),
    )
    database = Database(config["url"])
    with database.reading() as session:  # open the first connection before the barrier
        session.execute(text("SELECT 1"))
    return Engine(settings, database, ManualClock(datetime.fromisoformat(config["now"])))


def _failure(exc: BaseException) -> dict[str, Any]:
    return {
        "outcome": "error",
        "type": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "message": str(exc),
        "traceback": traceback.format_exc(),
    }


def complete_tasks(config: dict[str, Any], barrier: Any, results: Any) -> None:
    """For each task id in turn: meet the other process(es) at the barrier, then complete the task.

    Reports ``(name, round, outcome)`` per round. ``config``: url, now, forms_dir, instance_path, name, task_ids,
    data.
    """
    name = config["name"]
    try:
        engine = _engine(config)
    except BaseException as exc:
        results.put((name, -1, _failure(exc)))
        return
    try:
        for number, task_id in enumerate(config["task_ids"]):
            try:
                barrier.wait(timeout=BARRIER_TIMEOUT)
            except BaseException as exc:
                results.put((name, number, _failure(exc)))
                return
            try:
                case = engine.run(lambda s, t=task_id: engine.complete_task(s, t, config["data"], name), actor=name)
                outcome: dict[str, Any] = {"outcome": "completed", "lock_version": case.lock_version}
            except Conflict as exc:
                outcome = {"outcome": "conflict", "message": exc.message, "details": exc.details}
            except VangnetError as exc:
                outcome = _failure(exc)
            except Exception as exc:  # e.g. "database is locked", a deadlock, a lost update: report it precisely
                outcome = _failure(exc)
            results.put((name, number, outcome))
    finally:
        engine.database.dispose()


def sweep_timers(config: dict[str, Any], barrier: Any, results: Any) -> None:
    """Meet the other worker(s) at the barrier, then sweep the due timers once; report what this worker fired."""
    name = config["name"]
    try:
        engine = _engine(config)
    except BaseException as exc:
        results.put((name, 0, _failure(exc)))
        return
    try:
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT)
        except BaseException as exc:
            results.put((name, 0, _failure(exc)))
            return
        try:
            swept = engine.run_due_timers()
            outcome: dict[str, Any] = {"outcome": "swept", "fired": swept.fired, "failed": swept.failed}
        except Exception as exc:
            outcome = _failure(exc)
        results.put((name, 0, outcome))
    finally:
        engine.database.dispose()
