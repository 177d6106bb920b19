"""Shared set-up for the benchmarks: a fresh migrated database and an engine on a manual clock."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from engine.clock import ManualClock
from engine.db import Database
from engine.migrate import upgrade
from engine.service import Engine
from engine.settings import Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def fresh_database(url: str, work: Path) -> str:
    """A new, migrated database: a SQLite file under ``work``, or a new schema in PostgreSQL."""
    if url == "sqlite":
        path = work / "bench.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        schema = f"bench_{int(time.time() * 1000)}"
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    database = Database(url)
    upgrade(database)
    database.dispose()
    return url


def make_engine(url: str, live_cache_size: int = 1000) -> tuple[Engine, ManualClock]:
    clock = ManualClock(START)
    settings = Settings(database_url=url, environment="test", live_cache_size=live_cache_size, forms_dir=ROOT / "forms")
    return Engine(settings, Database(url), clock), clock


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` runs of ``action``."""
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(samples):7.3f} ms  p95 {p95:7.3f} ms  (n={len(samples)})"
