"""Retention (PROCEDURE.md step 12): anonymise a closed case's personal data once its period has ended.

The process sets ``bewaren_tot`` on closing (the periods are cells of ``termijnen.dmn``); it is projected to
``case.retain_until``. A closed case without one keeps its data ``retention_fallback_days`` after closing. What
goes: the workflow state (all case data), the family name and postcode on the case row, task instructions and
drafts, case event details, inbound and outbound message bodies. What stays, for the pilot's counts: the case
row's dates, status, outcome, priority, team, phase and flags, the task rows' names and times, and the event
kinds and times. Access-log lines older than ``access_log_retention_days`` are deleted. The run takes one case
per transaction, so a failure leaves every other case as it was and is retried the next day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from .calendar import local_zone
from .case_work import add_event
from .models import CANCELLED, COMPLETED, AccessLog, Case, CaseEvent, CaseState, HumanTask, MessageIn, Outbox

if TYPE_CHECKING:
    from .service import Engine

CLOSED = (COMPLETED, CANCELLED)


@dataclass
class RetentionResult:
    anonymised: list[str] = field(default_factory=list)  # case references
    access_lines_removed: int = 0


def due_cases(session: Session, today: date, fallback_before: datetime, limit: int) -> list[int]:
    """Closed, not yet anonymised cases whose retention ended (by their own date, or by the fallback)."""
    ended = or_(
        Case.retain_until < today,
        and_(Case.retain_until.is_(None), Case.closed_at < fallback_before),
    )
    query = select(Case.id).where(Case.status.in_(CLOSED), Case.anonymised_at.is_(None), ended)
    return list(session.scalars(query.order_by(Case.id).limit(limit)))


def anonymise(session: Session, case_id: int, now: datetime) -> str | None:
    """Remove the personal data of one case (locked); returns its reference, or None if it no longer qualifies."""
    case = session.get(Case, case_id, with_for_update={"of": Case})
    if case is None or case.anonymised_at is not None or case.status not in CLOSED:
        return None
    session.execute(delete(CaseState).where(CaseState.case_id == case_id))
    case.family_name = case.search_name = case.postcode = None
    case.error = None
    case.anonymised_at = now
    session.execute(update(HumanTask).where(HumanTask.case_id == case_id).values(instructions=None, draft=None))
    session.execute(update(CaseEvent).where(CaseEvent.case_id == case_id).values(details={}))
    session.execute(update(MessageIn).where(MessageIn.case_id == case_id).values(payload={}, detail=""))
    session.execute(update(Outbox).where(Outbox.case_id == case_id).values(payload={}))
    add_event(session, case, "systeem", "case_anonymised", now, {"retain_until": str(case.retain_until or "")})
    return case.reference


def purge_access_log(session: Session, before: datetime) -> int:
    result = session.execute(delete(AccessLog).where(AccessLog.at < before))
    return int(getattr(result, "rowcount", 0) or 0)


def run(engine: Engine, limit: int = 500) -> RetentionResult:
    """One retention run: each due case in its own transaction, then the old access-log lines."""
    now = engine.now()
    settings = engine.settings
    today = now.astimezone(local_zone()).date()
    result = RetentionResult()
    with engine.database.reading() as session:
        due = due_cases(session, today, now - timedelta(days=settings.retention_fallback_days), limit)
    for case_id in due:
        reference = engine.run(partial(anonymise, case_id=case_id, now=now))
        if reference is not None:
            result.anonymised.append(reference)
    cutoff = now - timedelta(days=settings.access_log_retention_days)
    result.access_lines_removed = engine.run(lambda s: purge_access_log(s, cutoff))
    return result
