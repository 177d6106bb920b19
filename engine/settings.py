"""Configuration, read once from the environment by the entry points (``create_app()`` and the CLI)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .clock import Clock, ShiftedClock, SystemClock, parse_moment
from .errors import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "test", "production")


@dataclass(frozen=True)
class Settings:
    database_url: str
    environment: str = "development"
    fixed_now: datetime | None = None
    secret_key: str = "dev-only-not-secret"
    instance_path: Path = PROJECT_ROOT / "instance"
    processes_dir: Path = PROJECT_ROOT / "processes"
    forms_dir: Path = PROJECT_ROOT / "forms"
    sweep_interval_seconds: float = 1.0
    script_time_limit_seconds: float = 1.0
    outbox_max_attempts: int = 10
    pilot_areas: str = "5900-5929:venlo"
    # E-mail notifications to staff (outbox channel 'notificatie'); none are sent while smtp_host is empty.
    smtp_host: str = ""
    smtp_port: int = 25
    mail_from: str = "vangnet@localhost"
    # The coordination point's own closing days, on top of the Dutch public holidays (ISO dates).
    extra_closed_days: tuple[date, ...] = ()
    # Workflows kept in memory between commands (0: restore from the stored state every time).
    live_cache_size: int = 1000
    # Retention: a closed case whose process set no ``bewaren_tot`` keeps its personal data this long after
    # closing; the access log is kept this long (PROCEDURE.md, "Retention": 2 and 3 years).
    retention_fallback_days: int = 730
    access_log_retention_days: int = 1095
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    def make_clock(self) -> Clock:
        return ShiftedClock(self.fixed_now) if self.fixed_now else SystemClock()


def settings_from_env(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    env = os.environ if environ is None else environ
    environment = env.get("VANGNET_ENV", "development")
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(f"VANGNET_ENV moet een van {', '.join(ENVIRONMENTS)} zijn, niet {environment!r}")
    instance = Path(env.get("VANGNET_INSTANCE_PATH", str(PROJECT_ROOT / "instance")))
    values: dict[str, object] = {
        "environment": environment,
        "instance_path": instance,
        "database_url": env.get("VANGNET_DATABASE_URL") or f"sqlite:///{instance / 'vangnet.sqlite3'}",
        "fixed_now": _fixed_now(env.get("VANGNET_NOW"), environment),
        "secret_key": _secret_key(env.get("VANGNET_SECRET_KEY"), environment),
    }
    if env.get("VANGNET_SLUITINGSDAGEN"):
        values["extra_closed_days"] = _dates(env["VANGNET_SLUITINGSDAGEN"])
    if env.get("VANGNET_SMTP_HOST"):
        values["smtp_host"] = env["VANGNET_SMTP_HOST"]
        values["smtp_port"] = _port(env.get("VANGNET_SMTP_PORT", "25"))
    if env.get("VANGNET_MAIL_FROM"):
        values["mail_from"] = env["VANGNET_MAIL_FROM"]
    if "VANGNET_PILOTGEBIED" in env:
        values["pilot_areas"] = env["VANGNET_PILOTGEBIED"]
    if "VANGNET_PROCESSES_DIR" in env:
        values["processes_dir"] = Path(env["VANGNET_PROCESSES_DIR"])
    if "VANGNET_FORMS_DIR" in env:
        values["forms_dir"] = Path(env["VANGNET_FORMS_DIR"])
    for variable, key in (
        ("VANGNET_BEWAARTERMIJN_DAGEN", "retention_fallback_days"),
        ("VANGNET_BEWAARTERMIJN_TOEGANG_DAGEN", "access_log_retention_days"),
    ):
        if variable in env:
            values[key] = _days(variable, env[variable])
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _days(variable: str, text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ConfigurationError(f"{variable} moet een aantal dagen zijn (1 of meer), niet {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigurationError(f"VANGNET_SMTP_PORT moet een poortnummer zijn, niet {text!r}")
    return int(text)


def _dates(text: str) -> tuple[date, ...]:
    try:
        return tuple(date.fromisoformat(part.strip()) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise ConfigurationError(f"VANGNET_SLUITINGSDAGEN: verwacht ISO-datums met komma's, kreeg {text!r}") from exc


def _fixed_now(text: str | None, environment: str) -> datetime | None:
    if not text:
        return None
    if environment == "production":
        raise ConfigurationError("VANGNET_NOW is niet toegestaan als VANGNET_ENV=production")
    try:
        return parse_moment(text)
    except ValueError as exc:
        raise ConfigurationError(f"VANGNET_NOW is geen geldig ISO-8601 tijdstip: {text!r}") from exc


def _secret_key(text: str | None, environment: str) -> str:
    if text:
        return text
    if environment == "production":
        raise ConfigurationError("VANGNET_SECRET_KEY is verplicht als VANGNET_ENV=production")
    return "dev-only-not-secret"
