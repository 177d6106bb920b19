"""The unit of work every case command shares.

Take the case's workflow (live or restored), act, then in one go: prune and save the state, rewrite the
projections (human tasks, next timer, awaited messages, case fields), queue outbound messages, append events and
deliver kept messages the case now waits for. Functions take a session and never commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import Row, Table, insert, select, update
from sqlalchemy.orm import Session, joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from . import projections
from .bundles import SpecCache
from .clock import Clock
from .errors import CaseScriptError, InvalidState, NotFound
from .models import (
    COMPLETED,
    OPEN_STATUSES,
    RUNNING,
    Case,
    CaseEvent,
    CaseState,
    MessageIn,
    Outbox,
)
from .runtime import Runtime
from .validation import ParsedBundle

_EVENTS = cast(Table, CaseEvent.__table__)
_STATE = cast(Table, CaseState.__table__)
_CASES = cast(Table, Case.__table__)
_OUTBOX = cast(Table, Outbox.__table__)


class CaseWork:
    """Holds what commands need (runtime, spec cache, clock) and the shared unit of work."""

    def __init__(self, runtime: Runtime, specs: SpecCache, clock: Clock) -> None:
        self.runtime = runtime
        self.specs = specs
        self.clock = clock

    # --- start -------------------------------------------------------------------------------------------

    # --- the unit of work ----------------------------------------------------------------------------------

    def _run(
        self,
        session: Session,
        case: Case,
        parsed: ParsedBundle,
        action: Callable[[BpmnWorkflow], Any],
        now: datetime,
        open_rows: dict[str, Row[Any]] | None = None,
    ) -> None:
        workflow = self.runtime.load(case.id, case.version.content_hash, parsed, case.state)
        try:
            action(workflow)
        except CaseScriptError as exc:
            exc.details["case_id"] = case.id
            raise
        self._persist(session, case, parsed, workflow, now, open_rows)

    def _persist(
        self,
        session: Session,
        case: Case,
        parsed: ParsedBundle,
        workflow: BpmnWorkflow,
        now: datetime,
        open_rows: dict[str, Row[Any]] | None = None,
        case_values: dict[str, Any] | None = None,
    ) -> None:
        """Store and project. ``open_rows``: the case's open task rows when the command has read them already
        (after locking the case), so they are not read twice; ``case_values``: more columns of the case row to
        write in the same update."""
        outbound = self.runtime.outbound(workflow)  # taken out before saving, so they are sent only once
        with session.no_autoflush:
            path = projections.visited_elements(workflow, case.path or [])  # before saving prunes the history
            store_state(session, case, self.runtime.save(case.id, case.version.content_hash, workflow))
            row: dict[str, Any] = {
                "path": path,
                "updated_at": now,
                **projections.case_field_values(projections.case_data(workflow)),
                "next_timer_at": projections.next_timer_at(workflow),
            }
            completed = workflow.completed and case.status in OPEN_STATUSES
            if completed:
                row.update(status=COMPLETED, closed_at=now, next_timer_at=None)
            still_open = row.get("status", case.status) in OPEN_STATUSES
            row["waiting_messages"] = projections.waiting_messages(workflow if still_open else None)
            write_case_row(session, case, {**row, **(case_values or {})}, always=True)  # now the object holds them
            for message in outbound:
                _enqueue(session, case, message.name, message.payload, now)
            if completed:
                add_event(session, case, "systeem", "case_completed", now, {"outcome": case.outcome})
            tasks = projections.ready_tasks(workflow) if case.status == RUNNING else []
            projections.rewrite_human_tasks(session, case, tasks, now, open_rows)
        self._deliver_queued(session, case, "systeem", now)

    def _try_deliver(self, session: Session, case: Case, message: MessageIn, actor: str, now: datetime) -> bool:
        """Deliver ``message`` if the case waits for it now; else leave it kept, with the reason."""
        if case.status != RUNNING:
            message.detail = f"Zaak {case.reference} is {case.status}: het bericht wacht."
            return False
        parsed = self.specs.get(case.version)
        workflow = self.runtime.load(case.id, case.version.content_hash, parsed, case.state)
        try:
            delivered = self.runtime.deliver(workflow, message.name, message.payload)
        except CaseScriptError as exc:
            exc.details["case_id"] = case.id
            raise
        if not delivered:
            self.runtime.live.keep(case.id, case.version.content_hash, case.state, workflow)
            message.detail = f"Zaak {case.reference} wacht nu niet op '{message.name}': het bericht wacht."
            return False
        message.state, message.handled_at, message.detail = "delivered", now, ""
        add_event(session, case, actor, "message_delivered", now, {"message": message.name, "id": message.id})
        self._persist(session, case, parsed, workflow, now)
        return True

    def _deliver_queued(self, session: Session, case: Case, actor: str, now: datetime) -> None:
        """Deliver earlier messages that the case was not waiting for then but is now (oldest first)."""
        if case.status != RUNNING or not case.queued_messages:
            return
        waiting = set(case.waiting_messages)
        queued = session.scalars(
            select(MessageIn).where(MessageIn.case_id == case.id, MessageIn.state == "unmatched").order_by(MessageIn.id)
        )
        for message in queued:
            if message.name in waiting:
                case.queued_messages -= 1
                self._try_deliver(session, case, message, actor, now)
                return  # _persist recursed: it delivers the rest against the new waiting set


def lock_case(session: Session, case_id: int) -> Case:
    case = session.get(
        Case,
        case_id,
        with_for_update={"of": Case},
        populate_existing=True,
        options=[joinedload(Case.stored)],  # the state comes with the locked row: no second round trip
    )
    if case is None:
        raise NotFound(f"Zaak {case_id} bestaat niet.")
    return case


def write_case_row(session: Session, case: Case, values: dict[str, Any], always: bool = False) -> None:
    """Write ``values`` (columns of the case row) that differ from the object's, with one plain ``UPDATE … WHERE
    lock_version = ?`` (the check the ORM would make), and record them on the object as committed: they never pass
    through the unit of work. Changes made to the object the ordinary way are left to it (its check then starts
    from the raised version).

    A concurrent change (the row's ``lock_version`` moved) raises :class:`StaleDataError`, as the ORM's own flush
    would; :meth:`Engine.transaction` turns it into a ``Conflict``. With ``always``, the row is updated (its
    ``lock_version`` raised) even when no value differs: the workflow state moved."""
    changes = {key: value for key, value in values.items() if getattr(case, key) != value}
    if not changes and not always:
        return
    version = case.lock_version
    query = update(_CASES).where(_CASES.c.id == case.id, _CASES.c.lock_version == version)
    result = session.connection().execute(query.values(**changes, lock_version=version + 1))
    if result.rowcount != 1:
        raise StaleDataError(f"Zaak {case.id}: lock_version {version} is niet meer de laatste.")
    for key, value in changes.items():
        set_committed_value(case, key, value)
    set_committed_value(case, "lock_version", version + 1)


def store_state(session: Session, case: Case, state: str) -> None:
    """Write the case's workflow state with one plain statement and record it on the loaded objects as committed
    (tens of kilobytes that the ORM's unit of work would otherwise track and compare)."""
    if case.stored is None:
        session.connection().execute(insert(_STATE), {"case_id": case.id, "state": state})
        stored = CaseState(case_id=case.id, state=state)
        make_transient_to_detached(stored)
        session.add(stored)  # persistent without a second INSERT
        set_committed_value(case, "stored", stored)
    else:
        session.connection().execute(update(_STATE).where(_STATE.c.case_id == case.id).values(state=state))
        set_committed_value(case.stored, "state", state)


def add_event(
    session: Session,
    case: Case | None,
    actor: str,
    action: str,
    at: datetime,
    details: dict[str, Any],
    origin: str = "",
) -> None:
    """Append a timeline event. A plain INSERT, not an ORM object: events are never read back or changed by the
    command that writes them, and the unit of work's bookkeeping for them cost more than the insert itself."""
    row = {"case_id": case.id if case else None, "at": at, "actor": actor, "action": action}
    session.connection().execute(insert(_EVENTS), {**row, "origin": origin, "details": details})


INTERNAL_PREFIX = "intern_"


def _enqueue(session: Session, case: Case, name: str, payload: Any, now: datetime) -> None:
    """Messages named ``intern_…`` are notifications to staff (``aan``: a role); all others go to the sender."""
    internal = name.startswith(INTERNAL_PREFIX)
    body = _jsonable(payload)
    row = {
        "case_id": case.id,
        "channel": "notificatie" if internal else "leverancier",
        "name": name,
        "recipient": str(body.get("aan", "")) if internal and isinstance(body, dict) else case.sender,
        "payload": body,
        "state": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    session.connection().execute(
        insert(_OUTBOX), row
    )  # plain INSERT, like add_event: nothing reads it back in the command
    add_event(session, case, "systeem", "message_sent", now, {"message": name})


def _jsonable(payload: Any) -> Any:
    return json.loads(json.dumps(payload, default=str)) if payload is not None else {}


def close_case(case: Case, status: str, now: datetime) -> None:
    case.status, case.closed_at, case.next_timer_at = status, now, None


def require_status(case: Case, status: str) -> None:
    if case.status != status:
        raise InvalidState(f"Zaak {case.reference} heeft status '{case.status}'; dit kan alleen bij '{status}'.")
