"""Configuration: read once from the environment by the entry points, with safe refusals in production."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from engine.clock import ShiftedClock, SystemClock
from engine.errors import ConfigurationError
from engine.settings import PROJECT_ROOT, settings_from_env
from web import create_app

from .conftest import HERE


def test_defaults_are_a_development_sqlite_file_in_the_instance_folder() -> None:
    settings = settings_from_env({})
    assert settings.environment == "development"
    assert settings.instance_path == PROJECT_ROOT / "instance"
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'instance' / 'vangnet.sqlite3'}"
    assert settings.fixed_now is None and isinstance(settings.make_clock(), SystemClock)
    assert settings.sweep_interval_seconds == 1.0
    assert settings.processes_dir == PROJECT_ROOT / "processes"
    assert settings.forms_dir == PROJECT_ROOT / "forms"


def test_the_environment_sets_each_value(tmp_path: Path) -> None:
    settings = settings_from_env(
        {
            "VANGNET_DATABASE_URL": "postgresql+psycopg://vangnet@db/vangnet",
            "VANGNET_ENV": "test",
            "VANGNET_SECRET_KEY": "s3cret",
            "VANGNET_INSTANCE_PATH": str(tmp_path),
            "VANGNET_PROCESSES_DIR": str(tmp_path / "p"),
            "VANGNET_FORMS_DIR": str(tmp_path / "f"),
            "VANGNET_PILOTGEBIED": "5900-5929:venlo,6000-6099:weert",
        }
    )
    assert settings.database_url == "postgresql+psycopg://vangnet@db/vangnet"
    assert (settings.environment, settings.secret_key) == ("test", "s3cret")
    assert (settings.processes_dir, settings.forms_dir) == (tmp_path / "p", tmp_path / "f")
    assert settings.pilot_areas == "5900-5929:venlo,6000-6099:weert"


def test_the_instance_folder_holds_the_default_database(tmp_path: Path) -> None:
    settings = settings_from_env({"VANGNET_INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'vangnet.sqlite3'}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-07T08:00:00+00:00", datetime(2026, 12, 7, 8, 0, tzinfo=UTC)),
        ("2026-12-07T09:00:00+01:00", datetime(2026, 12, 7, 8, 0, tzinfo=UTC)),
        ("2026-12-07T08:00:00", datetime(2026, 12, 7, 8, 0, tzinfo=UTC)),  # no offset: UTC
        ("2026-12-07", datetime(2026, 12, 7, 0, 0, tzinfo=UTC)),
    ],
)
def test_vangnet_now_sets_a_clock_that_starts_there_and_runs_on(text: str, expected: datetime) -> None:
    settings = settings_from_env({"VANGNET_NOW": text})
    assert settings.fixed_now == expected
    clock = settings.make_clock()
    assert isinstance(clock, ShiftedClock)
    assert expected <= clock.now() < expected + timedelta(minutes=1)


def test_vangnet_now_is_refused_in_production() -> None:
    env = {"VANGNET_ENV": "production", "VANGNET_SECRET_KEY": "s3cret", "VANGNET_NOW": "2026-12-07T08:00:00Z"}
    with pytest.raises(ConfigurationError, match="VANGNET_NOW is niet toegestaan"):
        settings_from_env(env)


def test_an_invalid_vangnet_now_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="geen geldig ISO-8601"):
        settings_from_env({"VANGNET_NOW": "morgen"})


def test_production_needs_a_secret_key() -> None:
    with pytest.raises(ConfigurationError, match="VANGNET_SECRET_KEY is verplicht"):
        settings_from_env({"VANGNET_ENV": "production"})
    settings = settings_from_env({"VANGNET_ENV": "production", "VANGNET_SECRET_KEY": "s3cret"})
    assert settings.production and settings.secret_key == "s3cret"


def test_an_unknown_environment_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="VANGNET_ENV moet een van"):
        settings_from_env({"VANGNET_ENV": "prod"})


def test_create_app_reads_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VANGNET_ENV", "test")
    monkeypatch.setenv("VANGNET_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("VANGNET_SECRET_KEY", "app-secret")
    monkeypatch.delenv("VANGNET_DATABASE_URL", raising=False)
    monkeypatch.delenv("VANGNET_NOW", raising=False)
    app = create_app()
    try:
        state = app.extensions["vangnet"]
        assert state.settings.database_url == f"sqlite:///{tmp_path / 'inst' / 'vangnet.sqlite3'}"
        assert state.engine.database is state.database
        assert app.config["SECRET_KEY"] == "app-secret"
        assert (tmp_path / "inst").is_dir()  # the folder of the SQLite file is made ready
    finally:
        state.database.dispose()


def test_create_app_refuses_production_without_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANGNET_ENV", "production")
    monkeypatch.delenv("VANGNET_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app()


def test_importing_the_entry_points_reads_no_configuration(tmp_path: Path) -> None:
    """No work at import time: a broken environment only matters once a command or create_app() runs."""
    code = "import web, web.cli, engine.worker, engine.demo, engine.accounts, engine.service"
    env = {**os.environ, "VANGNET_ENV": "onzin", "VANGNET_INSTANCE_PATH": str(tmp_path / "inst")}
    done = subprocess.run([sys.executable, "-c", code], cwd=HERE.parent, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "inst").exists()
