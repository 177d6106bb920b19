"""The background sweep: fire due timers, then deliver due outbox messages, every few seconds.

This is the only module that imports APScheduler. ``vangnet serve`` runs the sweep in a background thread next to
the web app (:func:`start_background`); ``vangnet worker`` runs it in the foreground until SIGINT or SIGTERM
(:func:`run_forever`). Several workers may sweep one PostgreSQL database: the engine claims cases and outbox rows
with ``FOR UPDATE SKIP LOCKED``, so nothing fires or is sent twice.
"""

from __future__ import annotations

import logging
import signal
from types import FrameType
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

if TYPE_CHECKING:
    from .service import Engine

log = logging.getLogger(__name__)
JOB_ID = "vangnet-sweep"
STATISTICS_JOB_ID = "vangnet-statistics"
STATISTICS_INTERVAL_SECONDS = 3600
RETENTION_JOB_ID = "vangnet-retention"
RETENTION_INTERVAL_SECONDS = 24 * 3600


def tick(engine: Engine) -> None:
    """One sweep. A failure is logged and the next tick tries again: the scheduler must outlive any one error."""
    try:
        timers = engine.run_due_timers()
    except Exception:  # the boundary of a background job: log it, keep the schedule alive
        log.exception("Timer sweep failed")
    else:
        _log_timers(timers.fired, timers.failed)
    try:
        sent = engine.deliver_outbox()
    except Exception:  # likewise: one broken delivery run must not stop the next one
        log.exception("Outbox delivery failed")
    else:
        _log_delivery(sent.sent, sent.retried, sent.failed)


def refresh_statistics(engine: Engine) -> None:
    """Hourly (and at start): the query planner's statistics, so that inbox searches stay index lookups."""
    try:
        engine.database.refresh_statistics()
    except Exception:  # a background job: log it, keep the schedule alive
        log.exception("Refreshing the database statistics failed")


def apply_retention(engine: Engine) -> None:
    """Daily (and at start): anonymise the cases whose retention period ended. A failure is logged as an error,
    for the privacy officer's log review, and the next run tries again."""
    from . import retention

    try:
        done = retention.run(engine)
    except Exception:  # a background job: log it, keep the schedule alive
        log.exception("Retention run failed: personal data past its retention period may still be stored")
    else:
        if done.anonymised or done.access_lines_removed:
            log.info(
                "Retention: anonymised %s; access-log lines removed: %s", done.anonymised, done.access_lines_removed
            )


def start_background(engine: Engine, interval: float) -> BackgroundScheduler:
    """Start the sweep in a daemon thread; the caller shuts the returned scheduler down."""
    scheduler = BackgroundScheduler(timezone="UTC", daemon=True)
    _add_sweep(scheduler, engine, interval)
    scheduler.start()
    log.info("Background sweep started, every %s s", interval)
    return scheduler


def run_forever(engine: Engine, interval: float) -> None:
    """Sweep in the foreground until SIGINT or SIGTERM; a running tick is finished before returning."""
    scheduler = BlockingScheduler(timezone="UTC")
    _add_sweep(scheduler, engine, interval)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("Signal %s received: stopping after the current sweep", signal.Signals(signum).name)
        if scheduler.running:
            scheduler.shutdown(wait=True)

    for sig in previous:
        signal.signal(sig, stop)
    try:
        log.info("Worker started, sweeping every %s s", interval)
        scheduler.start()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("Worker stopped")


def _add_sweep(scheduler: BaseScheduler, engine: Engine, interval: float) -> None:
    options: dict[str, Any] = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler.add_job(tick, "interval", seconds=interval, args=[engine], id=JOB_ID, **options)
    every_hour = {"seconds": STATISTICS_INTERVAL_SECONDS, "args": [engine], "id": STATISTICS_JOB_ID}
    scheduler.add_job(refresh_statistics, "interval", **every_hour, **options)
    every_day = {"seconds": RETENTION_INTERVAL_SECONDS, "args": [engine], "id": RETENTION_JOB_ID}
    scheduler.add_job(apply_retention, "interval", **every_day, **options)
    # Once at start as well (a server restarted every night still runs retention), as jobs of their own: on a
    # large database they take a while, and the first timer tick must not wait for them.
    scheduler.add_job(refresh_statistics, "date", args=[engine], id=f"{STATISTICS_JOB_ID}-start")
    scheduler.add_job(apply_retention, "date", args=[engine], id=f"{RETENTION_JOB_ID}-start")


def _log_timers(fired: list[str], failed: list[str]) -> None:
    if fired:
        log.info("Timers fired: %s", ", ".join(fired))
    if failed:
        log.warning("Timers failed (case ids): %s", ", ".join(failed))


def _log_delivery(sent: list[int], retried: list[int], failed: list[int]) -> None:
    if sent:
        log.info("Outbox messages sent: %s", ", ".join(map(str, sent)))
    if retried:
        log.warning("Outbox messages to retry: %s", ", ".join(map(str, retried)))
    if failed:
        log.error("Outbox messages given up: %s", ", ".join(map(str, failed)))
