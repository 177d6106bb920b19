"""Moving running cases to the newest version of their process.

One case per transaction: :func:`migrate_case` locks the case, assesses it again on the locked row (the report
the process owner saw may be old), and moves it: the state without the old predictions, predicted again from
the new diagram, saved; the open task rows take the new version's titles, lanes, forms and instructions; the
next timer and the awaited messages are derived again. A ``case_migrated`` event (actor, from, to) and an audit
line record it. :func:`migrate_all` runs it for every movable case, each through the caller's ``run``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import projections
from ..case_work import add_event, lock_case
from ..errors import Conflict, InvalidState
from ..models import OPEN_STATUSES, Case, HumanTask, ProcessVersion
from ..queries import record_access
from .compatibility import assess, newest_version, report

if TYPE_CHECKING:
    from ..service import Engine

T = TypeVar("T")
Run = Callable[[Callable[[Session], T], str], T]
ORIGIN = "procesbeheer"


@dataclass(frozen=True)
class MoveResult:
    reference: str
    moved: bool
    from_version: int
    to_version: int
    reason: str = ""


def migrate_case(engine: Engine, session: Session, case_id: int, target_id: int, actor: str, role: str) -> MoveResult:
    """Move one case to version ``target_id``; :class:`InvalidState` with the Dutch reason when it cannot."""
    case = lock_case(session, case_id)
    target = session.get(ProcessVersion, target_id)
    if target is None or target.process_id != case.version.process_id:
        raise InvalidState("Die versie hoort niet bij het proces van deze zaak.")
    if case.status not in OPEN_STATUSES:
        raise InvalidState(f"Zaak {case.reference} is al gesloten.")
    old = case.version.number
    if case.process_version_id == target.id:
        raise InvalidState(f"Zaak {case.reference} loopt al op versie {target.number}.")
    found = assess(engine, engine.specs.get(target), target.number, case)
    if found.workflow is None:
        raise InvalidState(" ".join(found.reasons))
    case.process_version_id, case.version = target.id, target
    _persist(engine, session, case, found.workflow)
    _record(engine, session, case, (actor, role), {"from_version": old, "to_version": target.number})
    return MoveResult(case.reference, True, old, target.number)


def _record(engine: Engine, session: Session, case: Case, who: tuple[str, str], details: dict[str, int]) -> None:
    """The case event (timeline and audit trail) and the audit line of the access log."""
    now, (actor, role) = engine.now(), who
    add_event(session, case, actor, "case_migrated", now, details)
    record_access(
        session,
        actor=actor,
        role=role,
        action="case_migrated",
        object_type="case",
        object_id=case.reference,
        allowed=True,
        origin=ORIGIN,
        now=now,
    )


def _persist(engine: Engine, session: Session, case: Case, workflow: BpmnWorkflow) -> None:
    now = engine.now()
    case.state = engine.runtime.save(case.id, case.version.content_hash, workflow)
    case.updated_at = now
    case.next_timer_at = projections.next_timer_at(workflow)
    case.waiting_messages = projections.waiting_messages(workflow)
    tasks = projections.ready_tasks(workflow)
    projections.rewrite_human_tasks(session, case, tasks, now)
    _retitle(session, case, tasks)


def _retitle(session: Session, case: Case, tasks: list[projections.ReadyTask]) -> None:
    """Open task rows keep their id, assignee and draft, and take what the new version says about the task."""
    rows = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.state == "open"))
    by_id = {task.id: task for task in tasks}
    for row in rows:
        task = by_id.get(row.id)
        if task is not None:
            row.element_id, row.title, row.lane = task.element_id, task.title, task.lane
            row.form, row.ui_form, row.instructions = task.form, task.ui_form, task.instructions


def migrate_all(
    engine: Engine, run: Run[MoveResult], process_id: str, number: int, actor: str, role: str
) -> list[MoveResult]:
    """Every case the report calls movable, each in its own transaction; refusals come back with their reason.

    ``number`` is the version the process owner confirmed: when a newer one was deployed since, nothing moves.
    """
    with engine.database.reading() as session:
        target = newest_version(session, process_id)
        if target.number != number:
            raise InvalidState(f"Er is intussen versie {target.number} uitgerold; bekijk het overzicht opnieuw.")
        found = report(engine, session, process_id).movable
    results = []
    for fit in found:
        move = _Move(fit.case_id, fit.reference, fit.version, target.id, number)
        results.append(_move_one(engine, run, move, actor, role))
    return results


@dataclass(frozen=True)
class _Move:
    case_id: int
    reference: str
    old: int
    target_id: int
    new: int


def _move_one(engine: Engine, run: Run[MoveResult], move: _Move, actor: str, role: str) -> MoveResult:
    try:
        return run(lambda s: migrate_case(engine, s, move.case_id, move.target_id, actor, role), actor)
    except (InvalidState, Conflict) as refused:
        return MoveResult(move.reference, False, move.old, move.new, refused.message)
