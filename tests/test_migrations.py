"""Migrations: the models and the migrated schema agree, and every migration can be undone and redone."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from engine.db import Base, Database
from engine.migrate import downgrade, upgrade


def fresh(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'm.sqlite3'}")


def differences(database: Database) -> list[object]:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return list(compare_metadata(context, Base.metadata))


def test_the_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    database = fresh(tmp_path)
    upgrade(database)
    assert differences(database) == []
    database.dispose()


def test_migrations_go_down_and_up_again(tmp_path: Path) -> None:
    database = fresh(tmp_path)
    upgrade(database)
    downgrade(database, "base")
    with database.engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn)) - {"alembic_version"}
    assert tables == set()
    upgrade(database)
    assert differences(database) == []
    database.dispose()


def test_every_backend_is_migrated_to_the_models(database: Database) -> None:
    assert differences(database) == []
