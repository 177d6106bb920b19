"""The Flask application factory.

``create_app()`` is, with the CLI, the only place that reads configuration: it builds the settings, the database
and the engine once and keeps them in ``app.extensions["vangnet"]``. It wires the caseworker pages (one
blueprint per concern: ``auth``, ``inbox``, ``tasks``, ``cases``), CSRF protection on every form, Dutch/English
(Flask-Babel), secure session cookies with an idle timeout, and security headers with a strict CSP (no inline
scripts). The front page shows counts only; ``/gezondheid`` is the health check for monitoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, jsonify, render_template, request, session
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect
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
    app.config.from_mapping(SECRET_KEY=settings.secret_key, **_web_defaults(settings))
    app.config.from_mapping(config)
    database = Database(settings.database_url)
    app.extensions["vangnet"] = Vangnet(settings, database, Engine(settings, database, clock))
    CSRFProtect(app)
    Babel(app, locale_selector=_locale, default_locale="nl", default_timezone="Europe/Amsterdam")
    app.after_request(_security_headers)
    app.add_url_rule("/", "index", index)
    app.add_url_rule("/gezondheid", "health", health)
    _register_pages(app)
    return app


def _web_defaults(settings: Settings) -> dict[str, Any]:
    return {
        "SESSION_COOKIE_NAME": "vangnet_sessie",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.environment not in ("development", "test"),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=9),  # absolute limit: one working day
        "VANGNET_IDLE_TIMEOUT": timedelta(minutes=30),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session, which expires on its own
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
    }


def _register_pages(app: Flask) -> None:
    from . import auth, cases, display, errors, exchange, inbox, notices, tasks, workbench
    from .api import register_api

    for module in (auth, inbox, tasks, cases, workbench, notices, exchange):
        app.register_blueprint(module.blueprint)
    errors.register(app)
    display.register(app)
    register_api(app)  # last: it chains the app-wide HTTP error handling for /api/ URLs


LANGUAGES = ("nl", "en")
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",  # bpmn-js positions its overlays and colours with style attributes
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _locale() -> str:
    chosen = session.get("taal")
    return chosen if chosen in LANGUAGES else "nl"


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.mimetype == "text/html" and request.endpoint != "index":
        headers["Cache-Control"] = "no-store"  # pages with personal data stay out of shared caches
    return response


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
