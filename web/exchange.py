"""How the data exchange works (``/uitwisseling``) and its CSV export, for coordinators and process owners.

The figures are :func:`engine.exchange_metrics.exchange_metrics`: counts and times per channel (API, telefoon,
e-mail), never a case, a name or a notice id, so the process owner (who sees no case content) may read them. The
period is a range of whole local days, "van" up to and including "tot"; by default the last four weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from engine.calendar import local_zone
from engine.exchange_metrics import ChannelMetrics, exchange_metrics, metrics_csv

from . import vangnet
from .access import CurrentUser, audit, deny
from .auth import current_user, login_required
from .display import local_date

blueprint = Blueprint("exchange", __name__)
ROLES = ("coordinator", "procesbeheerder")
DEFAULT_DAYS = 28
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=local_zone())

    @property
    def until(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=local_zone())

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __str__(self) -> str:
        return f"{self.first.isoformat()}_{self.last.isoformat()}"


@dataclass(frozen=True)
class Line:
    """One figure for every channel, ready to show."""

    label: str
    values: list[str | None]  # None: no data


def read_period(args: MultiDict[str, str], today: date) -> tuple[Period | None, dict[str, str], dict[str, str]]:
    """(the period or None, the values as entered, field → Dutch message)."""
    default = Period(today - timedelta(days=DEFAULT_DAYS - 1), today)
    values = {"van": args.get("van", default.first.isoformat()), "tot": args.get("tot", default.last.isoformat())}
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for name, text in values.items():
        try:
            days[name] = date.fromisoformat(text.strip())
        except ValueError:
            errors[name] = _("Vul een bestaande datum in.")
    if errors:
        return None, values, errors
    period = Period(days["van"], days["tot"])
    if period.last < period.first:
        errors["tot"] = _("Kies een einddatum op of na de begindatum.")
    elif period.days > MAX_DAYS:
        errors["tot"] = _("Kies een periode van hoogstens drie jaar.")
    return (None if errors else period), values, errors


@blueprint.get("/uitwisseling")
@login_required
def report() -> ResponseReturnValue:
    user = _require_role("exchange_read")
    period, values, errors = read_period(request.args, _today())
    if period is None:
        return _page(values, errors, None, []), 400
    rows = _metrics(user, period, "exchange_read")
    return _page(values, errors, period, rows)


@blueprint.get("/uitwisseling.csv")
@login_required
def export() -> ResponseReturnValue:
    user = _require_role("exchange_export")
    period, values, errors = read_period(request.args, _today())
    if period is None:
        return _page(values, errors, None, []), 400
    rows = _metrics(user, period, "exchange_export")
    spreadsheet = request.args.get("opmaak") == "spreadsheet"  # ; and decimal commas, for Excel with Dutch settings
    name = f"uitwisseling_{period}{'_spreadsheet' if spreadsheet else ''}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(metrics_csv(rows, spreadsheet), mimetype="text/csv", headers=headers)


def _require_role(action: str) -> CurrentUser:
    user = current_user()
    if user.role not in ROLES:
        deny(user, action, "rapport", "uitwisseling")
    return user


def _today() -> date:
    return local_date(vangnet().engine.now())


def _metrics(user: CurrentUser, period: Period, action: str) -> list[ChannelMetrics]:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        rows = exchange_metrics(session, engine.calendar, period.since, period.until)
    audit(user, action, "rapport", f"uitwisseling:{period}")
    return rows


def _page(values: dict[str, str], errors: dict[str, str], period: Period | None, rows: list[ChannelMetrics]) -> str:
    summary = [(name, _("Van") if name == "van" else _("Tot en met"), message) for name, message in errors.items()]
    return render_template(
        "exchange/report.html",
        values=values,
        errors=errors,
        summary=summary,
        period=period,
        channels=[channel_label(row.channel) for row in rows],
        lines=lines(rows),
    )


def channel_label(channel: str) -> str:
    return {"api": _("API"), "telefoon": _("Telefoon"), "e-mail": _("E-mail")}.get(channel, channel)


def lines(rows: list[ChannelMetrics]) -> list[Line]:
    def line(label: str, pick: Any, shown: Any) -> Line:
        return Line(label, [None if pick(r) is None else shown(pick(r)) for r in rows])

    return [
        line(_("Meldingen"), lambda r: r.notices, str),
        line(_("Meldingen per week"), lambda r: r.notices_per_week, _decimal),
        line(_("Geaccepteerd (D1)"), lambda r: r.accepted_pct, _percent),
        line(_("Onvolledig (aanvulling gevraagd)"), lambda r: r.incomplete_pct, _percent),
        line(_("Doorlooptijd T0 → D, mediaan (werkdagen)"), lambda r: r.lead_time_median_wd, _decimal),
        line(_("Doorlooptijd T0 → D korter dan 20 werkdagen"), lambda r: r.lead_time_under_20_pct, _percent),
        line(_("Dubbele meldingen"), lambda r: r.duplicates, str),
        line(_("Ontvangstbevestiging, mediaan (minuten)"), lambda r: r.acknowledgement_median_minutes, _decimal),
        line(_("Bevestiging opschorting, mediaan (werkdagen)"), lambda r: r.hold_confirmation_median_wd, _decimal),
    ]


def _decimal(value: float) -> str:
    return str(format_decimal(value, format="#,##0.#"))


def _percent(value: float) -> str:
    return str(format_decimal(value, format="0.0")) + "\u00a0%"
