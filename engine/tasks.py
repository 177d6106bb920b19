"""Human task commands that touch only the inbox projection: claim, unclaim, assign, save a draft.

Claims are single atomic UPDATEs guarded by the expected state, so two people claiming at once cannot both win.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from .errors import Conflict, DataInvalid, FieldError, NotFound
from .models import CaseEvent, HumanTask


def _open_task(session: Session, task_id: str) -> HumanTask:
    row = session.get(HumanTask, task_id, populate_existing=True)
    if row is None:
        raise NotFound(f"Taak {task_id} bestaat niet.")
    if row.state != "open":
        raise Conflict("Deze taak is al afgehandeld.", task_id=task_id, state=row.state)
    return row


def claim(session: Session, task_id: str, user: str, now: datetime) -> HumanTask:
    row = _open_task(session, task_id)
    guarded = (HumanTask.id == task_id) & (HumanTask.state == "open") & (HumanTask.assignee.is_(None))
    result = session.execute(update(HumanTask).where(guarded).values(assignee=user))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        if row.assignee == user:
            return row
        raise Conflict(f"Deze taak is al opgepakt door {row.assignee}.", task_id=task_id, assignee=row.assignee)
    session.refresh(row)
    _event(session, row, user, "task_claimed", now, {})
    return row


def unclaim(session: Session, task_id: str, user: str, now: datetime) -> HumanTask:
    row = _open_task(session, task_id)
    result = session.execute(
        update(HumanTask)
        .where(HumanTask.id == task_id, HumanTask.state == "open", HumanTask.assignee == user)
        .values(assignee=None)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("Alleen wie de taak heeft opgepakt kan hem teruggeven.", task_id=task_id)
    session.refresh(row)
    _event(session, row, user, "task_unclaimed", now, {})
    return row


class _Anyone:
    """Sentinel: assign without checking who had the task."""


ANYONE = _Anyone()


def assign(
    session: Session,
    task_id: str,
    assignee: str | None,
    actor: str,
    now: datetime,
    expected: str | _Anyone | None = ANYONE,
) -> HumanTask:
    """Assign (or reassign, or with ``None`` release) a task. ``expected``: the assignee the actor saw."""
    row = _open_task(session, task_id)
    guard = (HumanTask.id == task_id) & (HumanTask.state == "open")
    if not isinstance(expected, _Anyone):
        guard &= HumanTask.assignee.is_(None) if expected is None else HumanTask.assignee == expected
    result = session.execute(update(HumanTask).where(guard).values(assignee=assignee))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(row)
        raise Conflict(f"De taak is intussen toegewezen aan {row.assignee or 'niemand'}.", task_id=task_id)
    previous = row.assignee
    session.refresh(row)
    _event(session, row, actor, "task_assigned", now, {"from": previous, "to": assignee})
    return row


def save_draft(session: Session, task_id: str, data: Any, actor: str, now: datetime) -> HumanTask:
    if not isinstance(data, dict):
        raise DataInvalid([FieldError(path="", message="Een concept moet een groep velden zijn.")])
    row = _open_task(session, task_id)
    row.draft = data
    _event(session, row, actor, "task_draft_saved", now, {})
    return row


def _event(session: Session, row: HumanTask, actor: str, action: str, now: datetime, details: dict[str, Any]) -> None:
    details = {"task": row.element_id, "title": row.title, **details}
    session.add(CaseEvent(case_id=row.case_id, at=now, actor=actor, action=action, origin="", details=details))
