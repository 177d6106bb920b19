"""Case commands: start, complete a task, deliver a message, fire timers, cancel, suspend, resume, retry.

One unit of work each: lock the case row, restore the workflow, act, rewrite the projections, append events,
store the state. Functions take a session and never commit; a failure leaves the session to be rolled back.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import projections
from .bundles import SpecCache, latest_version
from .clock import Clock
from .errors import CaseScriptError, Conflict, InvalidState, NotFound
from .forms import validate_data
from .models import (
    COMPLETED,
    ERROR,
    OPEN_STATUSES,
    RUNNING,
    SUSPENDED,
    Case,
    CaseEvent,
    HumanTask,
    MessageIn,
    Outbox,
)
from .runtime import Runtime
from .validation import ParsedBundle


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


class CaseCommands:
    def __init__(self, runtime: Runtime, specs: SpecCache, clock: Clock) -> None:
        self.runtime = runtime
        self.specs = specs
        self.clock = clock

    # --- start -------------------------------------------------------------------------------------------

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
            state="",
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
        self._persist(session, case, parsed, workflow, now)
        return StartResult(case.id, case.reference, created=True)

    # --- commands on a running case -------------------------------------------------------------------------

    def complete_task(self, session: Session, task_id: str, data: dict[str, Any], actor: str) -> Case:
        row = session.get(HumanTask, task_id)
        if row is None:
            raise NotFound(f"Taak {task_id} bestaat niet.")
        case = lock_case(session, row.case_id)
        session.refresh(row)
        if row.state != "open":
            who = f" door {row.finished_by}" if row.finished_by else ""
            raise Conflict(f"Deze taak is al afgehandeld{who}.", task_id=task_id, state=row.state)
        _require_status(case, RUNNING)
        parsed = self.specs.get(case.version)
        if row.form:
            validate_data(parsed.forms[row.form], data)
        now = self.clock.now()
        row.state, row.finished_at, row.finished_by, row.draft = "completed", now, actor, None
        self._run(session, case, parsed, lambda wf: self.runtime.complete(wf, task_id, data), now)
        add_event(session, case, actor, "task_completed", now, {"task": row.element_id, "title": row.title})
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
        _require_status(case, RUNNING)
        parsed = self.specs.get(case.version)
        now = self.clock.now()
        self._run(session, case, parsed, lambda wf: self.runtime.update_data(wf, values), now)
        add_event(session, case, actor, "data_updated", now, {"keys": sorted(values), "reason": reason})
        return case

    def fire_timers(self, session: Session, case_id: int) -> Case:
        case = lock_case(session, case_id)
        _require_status(case, RUNNING)
        parsed = self.specs.get(case.version)
        now = self.clock.now()
        before = case.next_timer_at
        self._run(session, case, parsed, self.runtime.fire_timers, now)
        add_event(session, case, "systeem", "timers_fired", now, {"due": before.isoformat() if before else None})
        return case

    def cancel(self, session: Session, case_id: int, actor: str, reason: str = "") -> Case:
        case = lock_case(session, case_id)
        if case.status not in OPEN_STATUSES:
            raise InvalidState(f"Zaak {case.reference} is al gesloten.")
        parsed = self.specs.get(case.version)
        now = self.clock.now()
        self._run(session, case, parsed, self.runtime.cancel, now)
        _close(case, "cancelled", now)
        add_event(session, case, actor, "case_cancelled", now, {"reason": reason})
        return case

    def suspend(self, session: Session, case_id: int, actor: str, reason: str = "") -> Case:
        case = lock_case(session, case_id)
        _require_status(case, RUNNING)
        case.status, case.updated_at = SUSPENDED, self.clock.now()
        add_event(session, case, actor, "case_suspended", case.updated_at, {"reason": reason})
        return case

    def resume(self, session: Session, case_id: int, actor: str) -> Case:
        case = lock_case(session, case_id)
        _require_status(case, SUSPENDED)
        now = self.clock.now()
        case.status, case.updated_at = RUNNING, now
        add_event(session, case, actor, "case_resumed", now, {})
        self._deliver_queued(session, case, actor, now)
        return case

    def retry(self, session: Session, case_id: int, actor: str, version_id: int | None = None) -> Case:
        """Clear an error and run the case on (after a fixed definition was deployed: on the given version)."""
        case = lock_case(session, case_id)
        _require_status(case, ERROR)
        if version_id is not None and version_id != case.process_version_id:
            self._switch_version(session, case, version_id)
        parsed = self.specs.get(case.version)
        now = self.clock.now()
        previous = case.error
        case.status, case.error = RUNNING, None
        self._run(session, case, parsed, self.runtime.fire_timers, now)
        add_event(
            session,
            case,
            actor,
            "case_retried",
            now,
            {"previous_error": previous, "version": case.version.number},
        )
        return case

    def record_failure(self, session: Session, case_id: int, error: CaseScriptError, actor: str) -> None:
        """After a rollback: mark the case as failed (state untouched) so an operator can fix and retry."""
        case = lock_case(session, case_id)
        now = self.clock.now()
        failure = error.failure
        case.status, case.updated_at = ERROR, now
        case.error = {
            "element_id": failure.element_id,
            "element_name": failure.element_name,
            "message": failure.message,
            "line": failure.line,
            "error_line": failure.error_line,
            "trace": failure.trace,
            "at": now.isoformat(),
        }
        add_event(session, case, actor, "case_failed", now, case.error)

    # --- the unit of work ----------------------------------------------------------------------------------

    def _run(
        self,
        session: Session,
        case: Case,
        parsed: ParsedBundle,
        action: Callable[[BpmnWorkflow], Any],
        now: datetime,
    ) -> None:
        workflow = self.runtime.load(case.id, case.version.content_hash, parsed, case.state)
        try:
            action(workflow)
        except CaseScriptError as exc:
            exc.details["case_id"] = case.id
            raise
        self._persist(session, case, parsed, workflow, now)

    def _persist(
        self, session: Session, case: Case, parsed: ParsedBundle, workflow: BpmnWorkflow, now: datetime
    ) -> None:
        outbound = self.runtime.outbound(workflow)  # taken out before saving, so they are sent only once
        with session.no_autoflush:  # one flush at commit: SQLAlchemy's flushes dominate a command's cost
            case.path = projections.visited_elements(workflow, case.path or [])
            case.state = self.runtime.save(case.id, case.version.content_hash, workflow)
            case.updated_at = now
            projections.project_case_fields(case, projections.case_data(workflow))
            case.next_timer_at = projections.next_timer_at(workflow)
            for message in outbound:
                _enqueue(session, case, message.name, message.payload, now)
            if workflow.completed and case.status in OPEN_STATUSES:
                _close(case, COMPLETED, now)
                add_event(session, case, "systeem", "case_completed", now, {"outcome": case.outcome})
            tasks = projections.ready_tasks(workflow) if case.status == RUNNING else []
            projections.rewrite_human_tasks(session, case, tasks, now)
            case.waiting_messages = projections.waiting_messages(workflow if case.status in OPEN_STATUSES else None)
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

    def _switch_version(self, session: Session, case: Case, version_id: int) -> None:
        from .models import ProcessVersion

        target = session.get(ProcessVersion, version_id)
        if target is None or target.process_id != case.version.process_id:
            raise InvalidState("Die versie hoort niet bij het proces van deze zaak.")
        parsed = self.specs.get(target)
        names = self.runtime.serializer.task_spec_names(case.state)
        known = set(parsed.spec.task_specs) | {n for s in parsed.subprocess_specs.values() if s for n in s.task_specs}
        missing = sorted(names - known)
        if missing:
            raise InvalidState(
                f"De zaak kan niet naar versie {target.number}: onderdelen ontbreken ({', '.join(missing)})."
            )
        case.process_version_id, case.version = target.id, target


def lock_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id, with_for_update={"of": Case}, populate_existing=True)
    if case is None:
        raise NotFound(f"Zaak {case_id} bestaat niet.")
    return case


def add_event(
    session: Session,
    case: Case | None,
    actor: str,
    action: str,
    at: datetime,
    details: dict[str, Any],
    origin: str = "",
) -> None:
    session.add(
        CaseEvent(
            case_id=case.id if case else None,
            at=at,
            actor=actor,
            action=action,
            origin=origin,
            details=details,
        )
    )


INTERNAL_PREFIX = "intern_"


def _enqueue(session: Session, case: Case, name: str, payload: Any, now: datetime) -> None:
    """Messages named ``intern_…`` are notifications to staff (``aan``: a role); all others go to the sender."""
    internal = name.startswith(INTERNAL_PREFIX)
    body = _jsonable(payload)
    session.add(
        Outbox(
            case_id=case.id,
            channel="notificatie" if internal else "leverancier",
            name=name,
            recipient=str(body.get("aan", "")) if internal and isinstance(body, dict) else case.sender,
            payload=body,
            state="pending",
            next_attempt_at=now,
            created_at=now,
        )
    )
    add_event(session, case, "systeem", "message_sent", now, {"message": name})


def _jsonable(payload: Any) -> Any:
    return json.loads(json.dumps(payload, default=str)) if payload is not None else {}


def _close(case: Case, status: str, now: datetime) -> None:
    case.status, case.closed_at, case.next_timer_at = status, now, None


def _require_status(case: Case, status: str) -> None:
    if case.status != status:
        raise InvalidState(f"Zaak {case.reference} heeft status '{case.status}'; dit kan alleen bij '{status}'.")


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
