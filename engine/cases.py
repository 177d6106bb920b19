"""Case commands: start a case, complete a task, deliver a message, update data, fire timers.

One unit of work each (``engine.case_work``): lock the case row, take the workflow, act, store and project.
Functions take a session and never commit; a failure leaves the session to be rolled back.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

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
    ProcessVersion,
)

_CASES = cast(Table, Case.__table__)


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
        existing = _start_of(session, sender, business_key)
        if existing is not None:
            return _same_start(existing, digest)
        version = latest_version(session, message)
        if version is None:
            raise NotFound(f"Geen proces gedeployed dat start met bericht {message!r}.")
        parsed = self.specs.get(version)
        workflow = self.runtime.start(parsed, message, payload)
        now = self.clock.now()
        values = _new_case_row(version.id, sender, business_key, message, digest, now)
        try:
            with session.begin_nested():  # a concurrent start of the same notice wins the unique key; we return it
                case_id = session.connection().execute(insert(_CASES).returning(_CASES.c.id), values).scalar_one()
        except IntegrityError:
            raced = _start_of(session, sender, business_key)
            if raced is None:
                raise
            return _same_start(raced, digest)
        case = _as_loaded(session, Case(id=case_id, **values), version)
        reference = f"VN-{now.year}-{case.id:06d}"
        add_event(session, case, actor, "case_started", now, {"message": message, "version": version.number})
        # a new case has no task rows yet; its reference follows its id and is written with its projections
        self._persist(session, case, parsed, workflow, now, open_rows={}, case_values={"reference": reference})
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
        projections.write_task_row(session, task_id, state="completed", finished_at=now, finished_by=actor, draft=None)
        add_event(session, case, actor, "task_completed", now, {"task": row.element_id, "title": row.title})
        complete = partial(self.runtime.complete, task_id=task_id, data=data)
        self._run(session, case, parsed, complete, now, open_rows=rows)
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


def _start_of(session: Session, sender: str, business_key: str) -> tuple[int, str, str] | None:
    """The case a notice started (id, reference, payload hash), if any: the idempotency check of every start."""
    query = select(Case.id, Case.reference, Case.payload_hash)
    row = session.execute(query.where(Case.sender == sender, Case.business_key == business_key)).first()
    return (row[0], row[1], row[2]) if row is not None else None


def _same_start(found: tuple[int, str, str], digest: str) -> StartResult:
    case_id, reference, stored_digest = found
    if stored_digest != digest:
        raise Conflict("Deze melding is al eerder ontvangen met andere inhoud.", reference=reference)
    return StartResult(case_id, reference, created=False)


def _new_case_row(
    version_id: int, sender: str, business_key: str, message: str, digest: str, now: datetime
) -> dict[str, Any]:
    """Every column of a new case row (so the loaded object needs no refresh); the reference follows its id."""
    row: dict[str, Any] = {column.name: None for column in _CASES.columns if column.name != "id"}
    row.update(
        reference=f"tmp-{uuid.uuid4()}",
        process_version_id=version_id,
        sender=sender,
        business_key=business_key,
        start_message=message,
        payload_hash=digest,
        status=RUNNING,
        lock_version=1,
        waiting_messages=[],
        path=[],
        queued_messages=0,
        winter=False,
        medical=False,
        created_at=now,
        updated_at=now,
    )
    return row


def _as_loaded(session: Session, case: Case, version: ProcessVersion) -> Case:
    """``case``, just inserted with a plain INSERT, as a persistent object of ``session`` (as if loaded), so
    that the command's changes to it are one UPDATE at commit and nothing is inserted twice."""
    make_transient_to_detached(case)
    session.add(case)
    set_committed_value(case, "version", version)
    set_committed_value(case, "stored", None)  # no state row yet: the first save inserts it without looking
    return case


def _find_case(session: Session, sender: str, reference: str | None, business_key: str | None) -> Case | None:
    if reference:
        return session.scalar(select(Case).where(Case.reference == reference, Case.sender == sender))
    if business_key:
        return _case_by_key(session, sender, business_key)
    return None


def _message_result(message: MessageIn, created: bool) -> MessageResult:
    reference = message.case.reference if message.case is not None else None
    return MessageResult(message.id, message.state, reference, message.detail, created)
