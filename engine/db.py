"""SQLAlchemy base, engines and sessions.

SQLite (the embedded default) runs in WAL mode; write transactions start with ``BEGIN IMMEDIATE`` so that writers
queue instead of failing on lock upgrades, while read-only sessions stay concurrent. PostgreSQL uses one engine for
both; commands lock the case row with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; always returns aware UTC datetimes (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


ANALYSIS_LIMIT = 1000  # rows sampled per index by ANALYZE: quick on any size, precise enough for the planner


class Database:
    """The engines and session factories for one database URL."""

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = _make_engine(url, echo, immediate=self.is_sqlite)
        self.read_engine = _make_engine(url, echo, immediate=False) if self.is_sqlite else self.engine
        self._writer = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)
        lookups = self.read_engine if self.is_sqlite else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._looker = sessionmaker(lookups, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (never committed; closed after, leaving loaded objects readable)."""
        with self._reader() as session:
            yield session

    @contextmanager
    def lookup(self) -> Iterator[Session]:
        """A read session for a few plain queries, on the hot paths (the session's user, a task page): on
        PostgreSQL without a transaction of its own. At READ COMMITTED (the default, and ours) each statement sees
        what was committed when it started, inside a read-only transaction or not, so BEGIN and ROLLBACK were two
        round trips that changed nothing (~0.2 ms each time here). Not for streamed results (``yield_per``):
        server-side cursors need a transaction; use :meth:`reading`. On SQLite the same as :meth:`reading`."""
        with self._looker() as session:
            yield session

    def refresh_statistics(self) -> None:
        """Let SQLite's planner know the tables' sizes (``ANALYZE``, sampled): without statistics it drives a
        search from the wrong table, e.g. scanning every open task instead of the few cases whose name matches.
        PostgreSQL's autovacuum keeps its own statistics, so there is nothing to do there."""
        if not self.is_sqlite:
            return
        with self.engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            conn.exec_driver_sql("ANALYZE")

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()


def _make_engine(url: str, echo: bool, immediate: bool) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, echo=echo, pool_pre_ping=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin_immediate if immediate else _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")
