"""How well the data exchange works, per channel (API, phone, e-mail): counts and times only, no personal data.

Definitions (also in docs/api.md):

- *notices per week*: notices received in the period divided by its length in weeks;
- *accepted*: D1 let the notice through (the case reached priority setting); *incomplete*: D1 asked the supplier
  to complete it (an ``aanvulverzoek`` went out); both as % of the notices;
- *lead time T0 → D*: working days from the day a notice arrived to the planned end of supply it gave (or, for a
  notice without one, the first its supplier's completion gave, or else the case's D once staff completed it);
  median and % under 20 wd (the procedure asks ≥ 20 wd);
- *duplicates*: the same notice sent again (same supplier and notice id, same content), counted by the channel
  and the moment the repeat arrived (a phoned-in repeat of an API notice counts for the phone);
- *acknowledgement time*: from arrival to the first status message reaching the supplier (pushed to its webhook
  or published in its feed: the earliest such moment); median, in minutes;
- *hold-confirmation time*: from the status ``garantie_afgegeven`` to the supplier's ``opschorting_bevestigd``;
  median, in working days.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, fields
from datetime import date, datetime
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .calendar import BusinessCalendar, as_date, local_zone
from .exchange import CHANNELS, GUARANTEE_STATUS, REPEAT_EVENT, STATUS_MESSAGE, SUPPLIER_CHANNEL
from .models import Case, CaseEvent, MessageIn, Outbox
from .suppliers import SupplierNotice

ACCEPTED_ELEMENT = "prioriteit_bepalen"  # processes/vangnet.bpmn: reached only after D1 accepted
COMPLETION_REQUEST = "aanvulverzoek"
HOLD_CONFIRMED = "opschorting_bevestigd"
LEAD_TIME_NORM_WD = 20


@dataclass(frozen=True)
class ChannelMetrics:
    channel: str
    notices: int
    notices_per_week: float
    accepted_pct: float | None
    incomplete_pct: float | None
    lead_time_median_wd: float | None
    lead_time_under_20_pct: float | None
    duplicates: int
    acknowledgement_median_minutes: float | None
    hold_confirmation_median_wd: float | None


@dataclass
class _Notice:
    row: SupplierNotice
    accepted: bool
    current_end: date | None  # the case's D now: for a notice completed by staff, whose row has no D
    acknowledged_at: datetime | None = None
    incomplete: bool = False
    guarantee_at: datetime | None = None
    hold_confirmed_at: datetime | None = None


def exchange_metrics(
    session: Session, calendar: BusinessCalendar, since: datetime, until: datetime
) -> list[ChannelMetrics]:
    """One row per channel (all known channels, also those without notices) for notices received in the period."""
    notices = _load(session, since, until)
    repeats = _repeats(session, since, until)
    weeks = max((until - since).total_seconds() / (7 * 86400), 1 / 7)
    by_channel = {c: [n for n in notices if n.row.channel == c] for c in CHANNELS}
    return [_channel(c, by_channel[c], repeats[c], weeks, calendar) for c in CHANNELS]


def metrics_csv(rows: list[ChannelMetrics], spreadsheet: bool = False) -> str:
    """The metrics as CSV: a header row with the field names and an empty cell where there is no value.

    By default for programs: comma-separated, ``.`` as decimal point. With ``spreadsheet``, as a spreadsheet with
    Dutch settings (Excel, LibreOffice) opens it by a double click: ``;``-separated, ``,`` as decimal point, and a
    byte-order mark so that it is read as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if spreadsheet else ",", lineterminator="\r\n" if spreadsheet else "\n")
    names = [f.name for f in fields(ChannelMetrics)]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(getattr(row, n), spreadsheet) for n in names])
    return ("\ufeff" if spreadsheet else "") + out.getvalue()


def _cell(value: Any, spreadsheet: bool) -> Any:
    if value is None:
        return ""
    if spreadsheet and isinstance(value, float):
        return str(value).replace(".", ",")
    return value


def _load(session: Session, since: datetime, until: datetime) -> list[_Notice]:
    query = (
        select(SupplierNotice, Case.path, Case.planned_end_date)
        .join(Case, Case.id == SupplierNotice.case_id)
        .where(SupplierNotice.received_at >= since, SupplierNotice.received_at < until)
    )
    notices = {
        row.case_id: _Notice(row, ACCEPTED_ELEMENT in (path or []), end) for row, path, end in session.execute(query)
    }
    if notices:
        _add_outbox_facts(session, notices)
        _add_hold_confirmations(session, notices)
    return list(notices.values())


def _add_outbox_facts(session: Session, notices: dict[int, _Notice]) -> None:
    query = (
        select(Outbox.case_id, Outbox.name, Outbox.payload, Outbox.created_at, Outbox.sent_at)
        .where(Outbox.case_id.in_(notices), Outbox.channel == SUPPLIER_CHANNEL)
        .order_by(Outbox.id)
    )
    for case_id, name, payload, created_at, sent_at in session.execute(query):
        notice = notices[case_id]  # type: ignore[index]  # filtered on case_id IN (...): never NULL
        if name == COMPLETION_REQUEST:
            notice.incomplete = True
        if name == STATUS_MESSAGE and sent_at is not None:
            notice.acknowledged_at = min(sent_at, notice.acknowledged_at or sent_at)
        if name == STATUS_MESSAGE and payload.get("status") == GUARANTEE_STATUS and notice.guarantee_at is None:
            notice.guarantee_at = created_at


def _add_hold_confirmations(session: Session, notices: dict[int, _Notice]) -> None:
    query = (
        select(MessageIn.case_id, MessageIn.received_at)
        .where(MessageIn.case_id.in_(notices), MessageIn.name == HOLD_CONFIRMED)
        .order_by(MessageIn.id)
    )
    for case_id, received_at in session.execute(query):
        if case_id is not None and notices[case_id].hold_confirmed_at is None:
            notices[case_id].hold_confirmed_at = received_at


def _repeats(session: Session, since: datetime, until: datetime) -> Counter[str]:
    """Repeats that arrived in the period, per channel; only notices repeated at all are looked at."""
    repeated = select(SupplierNotice.case_id).where(SupplierNotice.duplicates > 0)
    query = select(CaseEvent.details).where(
        CaseEvent.case_id.in_(repeated),
        CaseEvent.action == REPEAT_EVENT,
        CaseEvent.at >= since,
        CaseEvent.at < until,
    )
    return Counter(str((details or {}).get("channel", "")) for details in session.scalars(query))


def _channel(
    channel: str, notices: list[_Notice], repeats: int, weeks: float, calendar: BusinessCalendar
) -> ChannelMetrics:
    lead = [lt for n in notices if (lt := _lead_time(n, calendar)) is not None]
    acks = [(n.acknowledged_at - n.row.received_at).total_seconds() / 60 for n in notices if n.acknowledged_at]
    holds = [
        calendar.working_days_between(_day(n.guarantee_at), _day(n.hold_confirmed_at))
        for n in notices
        if n.guarantee_at and n.hold_confirmed_at
    ]
    return ChannelMetrics(
        channel=channel,
        notices=len(notices),
        notices_per_week=round(len(notices) / weeks, 2),
        accepted_pct=_pct(sum(n.accepted for n in notices), len(notices)),
        incomplete_pct=_pct(sum(n.incomplete for n in notices), len(notices)),
        lead_time_median_wd=_median(lead),
        lead_time_under_20_pct=_pct(sum(wd < LEAD_TIME_NORM_WD for wd in lead), len(lead)),
        duplicates=repeats,
        acknowledgement_median_minutes=_median(acks),
        hold_confirmation_median_wd=_median(holds),
    )


def _lead_time(notice: _Notice, calendar: BusinessCalendar) -> int | None:
    """T0 → D with D as the notice (or the supplier's completion) gave it; else the case's D, if it has one."""
    try:
        end = as_date(notice.row.planned_end_date) if notice.row.planned_end_date else notice.current_end
    except ValueError:
        end = notice.current_end
    return None if end is None else calendar.working_days_between(_day(notice.row.received_at), end)


def _day(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _median(values: list[Any]) -> float | None:
    return round(float(median(values)), 2) if values else None
