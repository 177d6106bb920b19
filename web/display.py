"""Small display helpers shared by the pages: deadlines in working days, local times, Dutch labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask
from flask_babel import get_locale
from flask_babel import gettext as _

from engine.accounts import ROLES
from engine.calendar import local_zone

from . import vangnet
from .access import has_inbox


@dataclass(frozen=True)
class Deadline:
    due: datetime | None
    working_days_left: int | None
    overdue: bool

    @property
    def urgency(self) -> str:
        if self.working_days_left is None:
            return "geen"
        if self.overdue:
            return "verlopen"
        return "kort" if self.working_days_left <= 1 else "normaal"


def deadline(due: datetime | None) -> Deadline:
    if due is None:
        return Deadline(None, None, False)
    engine = vangnet().engine
    now = engine.now()
    days = engine.calendar.working_days_between(local_date(now), local_date(due))
    return Deadline(due, days, due < now)


def days_until(day: date | None) -> int | None:
    if day is None:
        return None
    engine = vangnet().engine
    return engine.calendar.working_days_between(local_date(engine.now()), day)


def local_date(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(local_zone()).strftime("%d-%m-%Y %H:%M")


def short_date(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = local_date(day)
    return day.strftime("%d-%m-%Y")


def status_label(status: str) -> str:
    labels = {
        "running": _("Lopend"),
        "suspended": _("Gepauzeerd"),
        "error": _("Fout"),
        "completed": _("Afgesloten"),
        "cancelled": _("Ingetrokken"),
        "open": _("Open"),
    }
    return labels.get(status, status)


def escalation_label(level: int) -> str:
    if level <= 0:
        return ""
    return _("Geëscaleerd (niveau %(level)s)", level=level)


def event_label(action: str) -> str:
    labels = {
        "case_started": _("Zaak gestart"),
        "task_completed": _("Taak afgerond"),
        "task_claimed": _("Taak opgepakt"),
        "task_unclaimed": _("Taak teruggegeven"),
        "task_assigned": _("Taak toegewezen"),
        "task_draft_saved": _("Concept opgeslagen"),
        "timers_fired": _("Termijn verstreken"),
        "message_delivered": _("Bericht ontvangen"),
        "data_updated": _("Gegevens bijgewerkt"),
        "case_cancelled": _("Zaak ingetrokken"),
        "case_completed": _("Zaak afgesloten"),
        "case_suspended": _("Zaak gepauzeerd"),
        "case_resumed": _("Zaak hervat"),
        "case_failed": _("Fout in het proces"),
        "case_retried": _("Opnieuw geprobeerd"),
        "message_sent": _("Bericht verstuurd"),
        "notice_repeated": _("Melding opnieuw ontvangen"),
        "case_migrated": _("Naar nieuwe versie verplaatst"),
        "case_anonymised": _("Persoonsgegevens verwijderd (bewaartermijn)"),
    }
    return labels.get(action, action.replace("_", " "))


def role_label(role: str) -> str:
    return ROLES.get(role, role)


def _context() -> dict[str, object]:
    return {"lang": str(get_locale() or "nl")}


def register(app: Flask) -> None:
    app.jinja_env.filters.update(local_time=local_time, short_date=short_date, status_label=status_label)
    app.jinja_env.globals.update(
        deadline=deadline,
        days_until=days_until,
        escalation_label=escalation_label,
        role_label=role_label,
        event_label=event_label,
        has_inbox=has_inbox,
    )
    app.context_processor(_context)
