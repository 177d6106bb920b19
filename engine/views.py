"""Read-only views of one task or one case for the caseworker pages, as plain dataclasses.

A task page needs the task's data (for its instructions) and a case file needs the notice: both restore the
workflow from its stored state, read, and throw it away; nothing is written. ``web`` never sees a SpiffWorkflow
object.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import NotFound
from .models import Case, CaseEvent, HumanTask, MessageIn, Outbox, ProcessVersion
from .projections import case_data
from .service import Engine


@dataclass(frozen=True)
class CaseSummary:
    id: int
    reference: str
    status: str
    team: str | None
    priority: str | None
    phase: str | None
    outcome: str | None
    family_name: str | None
    postcode: str | None
    winter: bool
    medical: bool
    planned_end_date: date | None
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class TaskInfo:
    id: str
    case_id: int
    element_id: str
    title: str
    lane: str | None
    assignee: str | None
    state: str
    form: str | None
    ui_form: str | None
    instructions: str | None
    due_at: datetime | None
    escalation_level: int
    draft: dict[str, Any] | None
    finished_at: datetime | None
    finished_by: str | None


@dataclass(frozen=True)
class TaskView:
    task: TaskInfo
    case: CaseSummary
    schema: dict[str, Any] | None
    ui_schema: dict[str, Any]
    data: dict[str, Any]


@dataclass(frozen=True)
class EventLine:
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]


@dataclass(frozen=True)
class MessageLine:
    at: datetime
    direction: str  # in | uit
    name: str
    party: str
    state: str


@dataclass(frozen=True)
class CaseFile:
    case: CaseSummary
    notice: dict[str, Any]
    open_tasks: list[TaskInfo]
    done_tasks: list[TaskInfo]
    events: list[EventLine]
    messages: list[MessageLine]
    path: list[str]
    diagrams: list[str] = field(default_factory=list)
    diagram: str | None = None


def summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        reference=case.reference,
        status=case.status,
        team=case.team,
        priority=case.priority,
        phase=case.phase,
        outcome=case.outcome,
        family_name=case.family_name,
        postcode=case.postcode,
        winter=case.winter,
        medical=case.medical,
        planned_end_date=case.planned_end_date,
        created_at=case.created_at,
        closed_at=case.closed_at,
    )


def task_info(row: HumanTask) -> TaskInfo:
    return TaskInfo(
        id=row.id,
        case_id=row.case_id,
        element_id=row.element_id,
        title=row.title,
        lane=row.lane,
        assignee=row.assignee,
        state=row.state,
        form=row.form,
        ui_form=row.ui_form,
        instructions=row.instructions,
        due_at=row.due_at,
        escalation_level=row.escalation_level,
        draft=dict(row.draft) if row.draft else None,
        finished_at=row.finished_at,
        finished_by=row.finished_by,
    )


def task_row(session: Session, task_id: str) -> tuple[TaskInfo, CaseSummary]:
    """The task and its case from the projections alone (cheap: for access checks before anything else)."""
    row = session.get(HumanTask, task_id)
    if row is None:
        raise NotFound(f"Taak {task_id} bestaat niet.")
    return task_info(row), summary(row.case)


_TASK_INFO = [HumanTask.__table__.c[f.name] for f in fields(TaskInfo)]
_CASE_SUMMARY = [Case.__table__.c[f.name].label(f"case_{f.name}") for f in fields(CaseSummary)]


def task_view(engine: Engine, session: Session, task_id: str, with_data: bool = True) -> TaskView:
    """The task, its case, its form and (``with_data``) the task's data for its instructions: reading the data
    restores the workflow, which a submitted form does not need unless the page is shown again.

    One plain query for the task row, its case's summary columns and the version's hash (every task page and
    every submit starts here); the form comes from the spec cache."""
    query = (
        select(*_TASK_INFO, *_CASE_SUMMARY, ProcessVersion.id.label("version_id"), ProcessVersion.content_hash)
        .join(Case, Case.id == HumanTask.case_id)
        .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
        .where(HumanTask.id == task_id)
    )
    row = session.execute(query).first()
    if row is None:
        raise NotFound(f"Taak {task_id} bestaat niet.")
    values = row._mapping
    task = TaskInfo(**{f.name: values[f.name] for f in fields(TaskInfo)})
    case = CaseSummary(**{f.name: values[f"case_{f.name}"] for f in fields(CaseSummary)})
    if task.draft is not None:
        task = replace(task, draft=dict(task.draft))
    parsed = engine.specs.cached(values["content_hash"]) or engine.specs.get(_version(session, values["version_id"]))
    schema = parsed.forms.get(task.form) if task.form else None
    ui_schema = parsed.forms.get(task.ui_form) if task.ui_form else None
    data = task_data(engine, session, task.id) if with_data and task.state == "open" else {}
    return TaskView(task, case, schema, dict(ui_schema or {}), data)


def _version(session: Session, version_id: int) -> ProcessVersion:
    version = session.get(ProcessVersion, version_id)
    if version is None:
        raise NotFound("Procesversie bestaat niet.")
    return version


def task_data(engine: Engine, session: Session, task_id: str) -> dict[str, Any]:
    """The data of an open task (empty when it is no longer open)."""
    row = session.get(HumanTask, task_id)
    return _task_data(engine, row) if row is not None and row.state == "open" else {}


def _task_data(engine: Engine, row: HumanTask) -> dict[str, Any]:
    parsed = engine.specs.get(row.case.version)
    workflow = engine.runtime.restore(parsed, row.case.state)
    task = workflow.get_task_from_id(uuid.UUID(row.id))
    return dict(task.data) if task is not None else {}


def find_case(session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        raise NotFound(f"Zaak {reference} bestaat niet.")
    return case


def case_summary(session: Session, reference: str) -> CaseSummary:
    return summary(find_case(session, reference))


def case_file(engine: Engine, session: Session, reference: str, diagram: str | None = None) -> CaseFile:
    case = find_case(session, reference)
    parsed = engine.specs.get(case.version)
    data = case_data(engine.runtime.restore(parsed, case.state)) if case.state else {}
    tasks = [task_info(t) for t in session.scalars(select(HumanTask).where(HumanTask.case_id == case.id))]
    open_tasks = sorted((t for t in tasks if t.state == "open"), key=lambda t: t.due_at or datetime.max)
    done = sorted((t for t in tasks if t.state != "open"), key=lambda t: t.finished_at or t.due_at or datetime.min)
    files = diagram_files(session, case.process_version_id)
    chosen = diagram if diagram in files else _default_diagram(files, [t.element_id for t in open_tasks], parsed)
    return CaseFile(
        case=summary(case),
        notice=dict(data.get("melding") or {}),
        open_tasks=open_tasks,
        done_tasks=done,
        events=_events(session, case.id),
        messages=_messages(session, case.id),
        path=list(case.path or []),
        diagrams=sorted(files),
        diagram=chosen,
    )


def _events(session: Session, case_id: int) -> list[EventLine]:
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id.desc())
    return [EventLine(e.at, e.actor, e.action, dict(e.details or {})) for e in session.scalars(query)]


def _messages(session: Session, case_id: int) -> list[MessageLine]:
    inbound = session.scalars(select(MessageIn).where(MessageIn.case_id == case_id))
    outbound = session.scalars(select(Outbox).where(Outbox.case_id == case_id))
    lines = [MessageLine(m.received_at, "in", m.name, m.sender, m.state) for m in inbound]
    lines += [MessageLine(o.created_at, "uit", o.name, o.recipient or o.channel, o.state) for o in outbound]
    return sorted(lines, key=lambda m: m.at, reverse=True)


def diagram_files(session: Session, version_id: int) -> dict[str, str]:
    version = session.get(ProcessVersion, version_id)
    if version is None:
        raise NotFound("Procesversie bestaat niet.")
    return {name: text for name, text in version.files.items() if name.endswith(".bpmn")}


def _default_diagram(files: dict[str, str], elements: list[str], parsed: Any) -> str | None:
    """The file holding the first open task, else the one defining the main process."""
    for element in elements:
        for name, text in sorted(files.items()):
            if re.search(rf'\bid="{re.escape(element)}"', text):
                return name
    for name, text in sorted(files.items()):
        if re.search(rf'<(?:\w+:)?process\b[^>]*\bid="{re.escape(parsed.process_id)}"', text):
            return name
    return min(files) if files else None


def diagram_xml(session: Session, reference: str, name: str) -> str:
    files = diagram_files(session, find_case(session, reference).process_version_id)
    if name not in files:
        raise NotFound(f"Diagram {name} hoort niet bij zaak {reference}.")
    return files[name]
