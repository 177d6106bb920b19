"""Case commands: start a case, complete a task, deliver a message, update data, fire timers.

One unit of work each (``engine.case_work``): lock the case row, take the workflow, act, store and project.
Functions take a session and never commit; a failure leaves the session to be rolled back.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import projections
from .bundles import latest_version
from .case_work import add_event, lock_case, require_status
from .errors import Conflict, NotFound
from .forms import validate_data
from .lifecycle import LifecycleCommands
from .models import (
    RUNNING,
    Case,
    HumanTask,
    MessageIn,
)


@dataclass(frozen=True)
class StartResult:
    case_id: int
    reference: str
    created: bool


@dataclass(frozen=True)
class MessageResult:
    message_id: int
    state: str  # delivered | unmatched
    case_reference: str | None
    detail: str
    created: bool


def payload_hash(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CaseCommands(LifecycleCommands):
    def start(
        self, session: Session, message: str, sender: str, business_key: str, payload: Any, actor: str
    ) -> StartResult:
        digest = payload_hash(payload)
        existing = _case_by_key(session, sender, business_key)
        if existing is not None:
            return _same_start(existing, digest)
        version = latest_version(session, message)
        if version is None:
            raise NotFound(f"Geen proces gedeployed dat start met bericht {message!r}.")
        parsed = self.specs.get(version)
        workflow = self.runtime.start(parsed, message, payload)
        now = self.clock.now()
        case = Case(
            reference=f"tmp-{uuid.uuid4()}",
            process_version_id=version.id,
            sender=sender,
            business_key=business_key,
            start_message=message,
            payload_hash=digest,
            status=RUNNING,
            stored=None,  # known to be empty: the first save inserts the state row without looking for one
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(case)
                session.flush()
        except IntegrityError:
            raced = _case_by_key(session, sender, business_key)
            if raced is None:
                raise
            return _same_start(raced, digest)
        case.reference = f"VN-{now.year}-{case.id:06d}"
        add_event(session, case, actor, "case_started", now, {"message": message, "version": version.number})
        self._persist(session, case, parsed, workflow, now, open_rows={})  # a new case has no task rows yet
        return StartResult(case.id, case.reference, created=True)

    # --- commands on a running case -------------------------------------------------------------------------

    def complete_task(self, session: Session, task_id: str, data: dict[str, Any], actor: str) -> Case:
        case_id = session.scalar(select(HumanTask.case_id).where(HumanTask.id == task_id))
        if case_id is None:
            raise NotFound(f"Taak {task_id} bestaat niet.")
        case = lock_case(session, case_id)
        # Read after the lock, so a colleague's completion is seen: the task and the case's other open tasks.
        rows = projections.open_task_rows(session, case.id, also=task_id)
        row = rows.pop(task_id)
        if row.state != "open":
            who = f" door {row.finished_by}" if row.finished_by else ""
            raise Conflict(f"Deze taak is al afgehandeld{who}.", task_id=task_id, state=row.state)
        require_status(case, RUNNING)
        parsed = self.specs.get(case.version)
        if row.form:
            validate_data(parsed.forms[row.form], data)
        now = self.clock.now()
        projections.write_task_row(session, row, state="completed", finished_at=now, finished_by=actor, draft=None)
        add_event(session, case, actor, "task_completed", now, {"task": row.element_id, "title": row.title})
        action = lambda wf: self.runtime.complete(wf, task_id, data)  # noqa: E731
        self._run(session, case, parsed, action, now, open_rows=rows)
        return case

    def deliver_message(
        self,
        session: Session,
        name: str,
        sender: str,
        message_key: str,
        payload: Any,
        actor: str,
        case_reference: str | None = None,
        business_key: str | None = None,
    ) -> MessageResult:
        digest = payload_hash({"name": name, "payload": payload, "case": case_reference, "key": business_key})
        known = session.scalar(
            select(MessageIn).where(MessageIn.sender == sender, MessageIn.message_key == message_key)
        )
        if known is not None:
            if known.payload_hash != digest:
                raise Conflict("Dit berichtnummer is al gebruikt voor een ander bericht.", message_key=message_key)
            return _message_result(known, created=False)
        now = self.clock.now()
        case = _find_case(session, sender, case_reference, business_key)
        message = MessageIn(
            sender=sender,
            message_key=message_key,
            name=name,
            case_id=case.id if case else None,
            business_key=business_key,
            payload=payload,
            payload_hash=digest,
            state="unmatched",
            received_at=now,
            detail="Geen zaak gevonden bij dit bericht." if case is None else "",
        )
        session.add(message)
        session.flush()
        if case is not None:
            lock_case(session, case.id)
            if not self._try_deliver(session, case, message, actor, now):
                case.queued_messages += 1
        return _message_result(message, created=True)

    def update_data(self, session: Session, case_id: int, values: dict[str, Any], actor: str, reason: str = "") -> Case:
        """Change case data everywhere it is live and re-arm every timer (e.g. the supplier moved D)."""
        case = lock_case(session, case_id)
        require_status(case, RUNNING)
        parsed = self.specs.get(case.version)
        now = self.clock.now()
        self._run(session, case, parsed, lambda wf: self.runtime.update_data(wf, values), now)
        add_event(session, case, actor, "data_updated", now, {"keys": sorted(values), "reason": reason})
        return case

    def fire_timers(self, session: Session, case_id: int) -> Case:
        case = lock_case(session, case_id)
        require_status(case, RUNNING)
        parsed = self.specs.get(case.version)
        now = self.clock.now()
        before = case.next_timer_at
        self._run(session, case, parsed, self.runtime.fire_timers, now)
        add_event(session, case, "systeem", "timers_fired", now, {"due": before.isoformat() if before else None})
        return case


def _case_by_key(session: Session, sender: str, business_key: str) -> Case | None:
    return session.scalar(select(Case).where(Case.sender == sender, Case.business_key == business_key))


def _same_start(case: Case, digest: str) -> StartResult:
    if case.payload_hash != digest:
        raise Conflict("Deze melding is al eerder ontvangen met andere inhoud.", reference=case.reference)
    return StartResult(case.id, case.reference, created=False)


def _find_case(session: Session, sender: str, reference: str | None, business_key: str | None) -> Case | None:
    if reference:
        return session.scalar(select(Case).where(Case.reference == reference, Case.sender == sender))
    if business_key:
        return _case_by_key(session, sender, business_key)
    return None


def _message_result(message: MessageIn, created: bool) -> MessageResult:
    reference = message.case.reference if message.case is not None else None
    return MessageResult(message.id, message.state, reference, message.detail, created)
