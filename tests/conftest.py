"""Fixtures: one real database per backend (SQLite always; PostgreSQL when VANGNET_TEST_DATABASE_URL is set),
a manual clock, and an engine with the test bundles deployed."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine.clock import ManualClock
from engine.db import Base, Database
from engine.migrate import upgrade
from engine.service import Engine
from engine.settings import Settings

HERE = Path(__file__).resolve().parent
BUNDLES = HERE / "bundles"
START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday morning
PG_URL = os.environ.get("VANGNET_TEST_DATABASE_URL")


def selected_backends() -> list[str]:
    """SQLite always, PostgreSQL when VANGNET_TEST_DATABASE_URL is set; VANGNET_TEST_BACKENDS narrows the choice
    (``make test`` runs the suite once per backend)."""
    available = ["sqlite", *(["postgresql"] if PG_URL else [])]
    wanted = os.environ.get("VANGNET_TEST_BACKENDS")
    if not wanted:
        return available
    chosen = [b.strip() for b in wanted.split(",") if b.strip()]
    unknown = [b for b in chosen if b not in available]
    if unknown:
        raise pytest.UsageError(f"VANGNET_TEST_BACKENDS names {unknown}, available here: {available}")
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", selected_backends(), scope="session")


@pytest.fixture(scope="session")
def migrated_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated database per backend for the whole run (PostgreSQL: a new schema, dropped after)."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "vangnet.sqlite3"
        url = f"sqlite:///{path}"
        database = Database(url)
        upgrade(database)
        database.dispose()
        yield url
        return
    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _with_search_path(PG_URL, schema)
    database = Database(url)
    upgrade(database)
    database.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture
def database(migrated_url: str) -> Iterator[Database]:
    database = Database(migrated_url)
    _empty(database)
    yield database
    database.dispose()


def _empty(database: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as conn:
        if database.is_sqlite:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in tables) + " RESTART IDENTITY CASCADE"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(params=["live", "roundtrip"])
def mode(request: pytest.FixtureRequest) -> str:
    """Every scenario runs twice: with the workflow kept live in memory, and restored from storage each step."""
    return str(request.param)


@pytest.fixture
def settings(migrated_url: str, tmp_path: Path, mode: str) -> Settings:
    return Settings(
        database_url=migrated_url,
        environment="test",
        instance_path=tmp_path,
        forms_dir=HERE.parent / "forms",
        script_time_limit_seconds=2.0,  # generous: a busy CI machine must not fail a normal script
        live_cache_size=100 if mode == "live" else 0,
    )


@pytest.fixture
def engine(settings: Settings, database: Database, clock: ManualClock) -> Engine:
    return Engine(settings, database, clock)
