"""Fixtures for the workbench's engine tests: an engine (one mode: the workbench never restores workflows
itself) with the ``aanvraag`` test bundle deployed as version 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.clock import ManualClock
from engine.db import Database
from engine.service import Engine
from engine.settings import Settings

from ..conftest import HERE
from ..helpers import deploy
from ..web.conftest import app, client_for, web_settings  # noqa: F401  (the web fixtures, for the page tests)
from ..web.test_browser import base_url, browser, checked  # noqa: F401  (the browser fixtures)


@pytest.fixture
def wb_engine(migrated_url: str, database: Database, clock: ManualClock, tmp_path: Path) -> Engine:
    settings = Settings(
        database_url=migrated_url,
        environment="test",
        instance_path=tmp_path,
        forms_dir=HERE.parent / "forms",
        script_time_limit_seconds=0.5,
    )
    engine = Engine(settings, database, clock)
    deploy(engine, "aanvraag")
    return engine
