"""The Flask application factory.

``create_app()`` is, with the CLI, the only place that reads configuration: it builds the settings, the database
and the engine once and keeps them in ``app.extensions["vangnet"]``. For now the app serves a read-only front page
(deployed processes, open cases, open tasks per lane: no personal data) and a health check for monitoring. The
caseworker pages (login, inbox, forms) come with their own blueprints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func, make_url, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine import Clock, Database, Engine, Settings, settings_from_env
from engine.models import OPEN_STATUSES, Case, HumanTask, ProcessVersion


@dataclass(frozen=True)
class Vangnet:
    """What the app was built with: one settings object, one database, one engine per process."""

    settings: Settings
    database: Database
    engine: Engine


@dataclass(frozen=True)
class ProcessSummary:
    process_id: str
    versions: list[int]
    open_cases: int


@dataclass(frozen=True)
class Overview:
    processes: list[ProcessSummary]
    tasks_per_lane: list[tuple[str, int]]
    open_cases: int


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``test_config`` may hold Flask settings plus ``VANGNET_SETTINGS`` (a :class:`Settings`)
    and ``VANGNET_CLOCK`` (a clock); without them the settings come from the environment."""
    config = dict(test_config or {})
    settings: Settings = config.pop("VANGNET_SETTINGS", None) or settings_from_env()
    clock: Clock | None = config.pop("VANGNET_CLOCK", None)
    prepare_database_folder(settings.database_url)
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.from_mapping(SECRET_KEY=settings.secret_key)
    app.config.from_mapping(config)
    database = Database(settings.database_url)
    app.extensions["vangnet"] = Vangnet(settings, database, Engine(settings, database, clock))
    app.add_url_rule("/", "index", index)
    app.add_url_rule("/gezondheid", "health", health)
    return app


def prepare_database_folder(url: str) -> None:
    """Create the folder of a SQLite database file (by default the instance folder); other databases need none."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def vangnet() -> Vangnet:
    extension: Vangnet = current_app.extensions["vangnet"]
    return extension


def index() -> ResponseReturnValue:
    with vangnet().database.reading() as session:
        overview = read_overview(session)
    return render_template("index.html", overview=overview)


def health() -> ResponseReturnValue:
    try:
        with vangnet().database.reading() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="fout", database="fout"), 503
    return jsonify(status="ok", database="ok")


def read_overview(session: Session) -> Overview:
    """Counts only: which processes are deployed, how many cases are open, how many tasks wait in each lane."""
    versions: dict[str, list[int]] = {}
    numbers = select(ProcessVersion.process_id, ProcessVersion.number)
    for process_id, number in session.execute(numbers.order_by(ProcessVersion.process_id, ProcessVersion.number)):
        versions.setdefault(process_id, []).append(number)
    open_per_process = dict(
        session.execute(
            select(ProcessVersion.process_id, func.count(Case.id))
            .join(Case, Case.process_version_id == ProcessVersion.id)
            .where(Case.status.in_(OPEN_STATUSES))
            .group_by(ProcessVersion.process_id)
        ).all()
    )
    lanes = session.execute(
        select(HumanTask.lane, func.count()).where(HumanTask.state == "open").group_by(HumanTask.lane)
    ).all()
    processes = [ProcessSummary(p, v, open_per_process.get(p, 0)) for p, v in versions.items()]
    tasks = sorted(((lane or "(geen lane)", count) for lane, count in lanes), key=lambda item: item[0])
    return Overview(processes, tasks, sum(open_per_process.values()))
