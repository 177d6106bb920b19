"""Alembic environment: the URL comes from the caller (``engine.migrate``) or ``VANGNET_DATABASE_URL``."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from engine import models  # noqa: F401  (registers the tables on Base.metadata)
from engine.db import Base

config = context.config
url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or os.environ["VANGNET_DATABASE_URL"]


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    engine = create_engine(url)
    with engine.connect() as conn:
        _run_with(conn)
    engine.dispose()


def _run_with(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
