"""The coordination point's own closing days (VANGNET_SLUITINGSDAGEN) move working-day deadlines."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from engine.clock import ManualClock
from engine.db import Database
from engine.errors import ConfigurationError
from engine.service import Engine
from engine.settings import Settings, settings_from_env

from .helpers import deploy, only_task, start_aanvraag


def test_a_closing_day_moves_the_reminder(settings: Settings, database: Database, clock: ManualClock) -> None:
    engine = Engine(replace(settings, extra_closed_days=(date(2026, 12, 8),)), database, clock)
    deploy(engine, "aanvraag")
    task = only_task(engine, start_aanvraag(engine))
    assert task.due_at == datetime(2026, 12, 9, 16, 0, tzinfo=UTC)  # Tue 8 Dec closed: one working day is Wed 9


def test_closing_days_are_read_from_the_environment() -> None:
    env = {"VANGNET_SLUITINGSDAGEN": "2026-12-24, 2026-12-31", "VANGNET_DATABASE_URL": "sqlite://"}
    assert settings_from_env(env).extra_closed_days == (date(2026, 12, 24), date(2026, 12, 31))
    with pytest.raises(ConfigurationError, match="VANGNET_SLUITINGSDAGEN"):
        settings_from_env({**env, "VANGNET_SLUITINGSDAGEN": "24-12-2026"})
