"""Read sessions: ``reading()`` holds one transaction; ``lookup()`` (the hot paths' reads) has none of its own on
PostgreSQL, so each of its statements sees what was committed when it started. On SQLite both are one read
transaction (WAL: one snapshot from the first read on)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from engine.db import Database
from engine.service import Engine

from .helpers import deploy


def _clock_twice(session: Session) -> tuple[datetime, datetime]:
    first = session.scalar(text("SELECT now()"))
    session.execute(text("SELECT pg_sleep(0.02)"))
    return first, session.scalar(text("SELECT now()"))


def test_on_postgresql_a_lookup_runs_each_statement_in_its_own_transaction(backend: str, database: Database) -> None:
    if backend != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's lookup() is its reading()")
    with database.reading() as session:  # one transaction: now() is its start, the same for every statement
        first, second = _clock_twice(session)
        assert first == second
    with database.lookup() as session:  # none of its own: every statement is a transaction
        first, second = _clock_twice(session)
        assert first != second


def test_what_a_lookup_sees_of_a_commit_made_meanwhile(engine: Engine, database: Database) -> None:
    with database.lookup() as session:
        before = session.scalar(text("SELECT count(*) FROM process_version"))
        deploy(engine, "aanvraag")  # another transaction commits a version
        after = session.scalar(text("SELECT count(*) FROM process_version"))
    assert (before, after) == ((0, 0) if database.is_sqlite else (0, 1))
