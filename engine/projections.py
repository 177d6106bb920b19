"""What is derived from a workflow after each step: human tasks, the next timer, awaited messages, case fields.

These projections let the inbox, the timer sweep and message routing work without loading any workflow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Row, Table, insert, select, update
from sqlalchemy.orm import Session

from .accounts import ROLES
from .bundle_files import FORM_PROPERTIES
from .models import Case, HumanTask
from .runtime import ready_user_tasks, waiting_message_names

_HUMAN_TASK = cast(Table, HumanTask.__table__)

# Workflow data (Dutch keys, dotted paths into nested data) copied onto the case row for lists, search and reports.
CASE_FIELDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "team": ("team", lambda v: _text(v, 100)),
    "priority": ("prioriteit", lambda v: _text(v, 10)),
    "outcome": ("uitkomst", lambda v: _text(v, 60)),
    "phase": ("fase", lambda v: _text(v, 40)),
    "planned_end_date": ("geplande_einddatum", lambda v: _as_date(v)),
    "family_name": ("melding.klant.achternaam", lambda v: _text(v, 200)),
    "search_name": ("melding.klant.achternaam", lambda v: _text(v, 200).lower()),
    "postcode": ("melding.adres.postcode", lambda v: _postcode(v)),
    "retain_until": ("bewaren_tot", lambda v: _as_date(v)),
    "winter": ("winter", lambda v: bool(v)),
    "medical": ("medisch", lambda v: bool(v)),
}


@dataclass(frozen=True)
class ReadyTask:
    id: str
    element_id: str
    title: str
    lane: str | None
    form: str | None
    ui_form: str | None
    instructions: str | None
    due_at: datetime | None
    escalation_level: int


def ready_tasks(workflow: BpmnWorkflow) -> list[ReadyTask]:
    return [_ready_task(task) for task in ready_user_tasks(workflow)]


def candidate_group(lane: str | None) -> str | None:
    """The role key a lane stands for: 'Coördinator' → 'coordinator', 'Casemanager' → 'casemanager'.

    Lanes carry Dutch labels in the diagrams; people carry role keys. A lane whose first word (without accents,
    lower case) is a role key means that role; any other lane name is kept as it is.
    """
    if not lane:
        return None
    plain = unicodedata.normalize("NFKD", lane).encode("ascii", "ignore").decode().lower()
    first = re.split(r"[^a-z]+", plain.strip())[0]
    return first if first in ROLES else lane


def _ready_task(task: Any) -> ReadyTask:
    spec = task.task_spec
    properties = spec.extensions.get("properties", {})
    due, level = _boundary_timers(task)
    return ReadyTask(
        id=str(task.id),
        element_id=spec.bpmn_id,
        title=spec.bpmn_name or spec.bpmn_id,
        lane=candidate_group(spec.lane),
        form=properties.get(FORM_PROPERTIES[0]),
        ui_form=properties.get(FORM_PROPERTIES[1]),
        instructions=spec.documentation,
        due_at=due,
        escalation_level=level,
    )


def _boundary_timers(task: Any) -> tuple[datetime | None, int]:
    """The earliest waiting boundary timer on the task (its deadline) and how many have fired (escalations)."""
    parent = task.parent
    if parent is None or parent.task_spec.__class__.__name__ != "BoundaryEventSplit":
        return None, 0
    waiting: list[datetime] = []
    fired = 0
    for sibling in parent.children:
        if sibling is task or not isinstance(
            getattr(sibling.task_spec, "event_definition", None), TimerEventDefinition
        ):
            continue
        if sibling.state == TaskState.WAITING and sibling._get_internal_data("event_value"):
            waiting.append(timer_moment(sibling._get_internal_data("event_value")))
        elif sibling.state == TaskState.COMPLETED:
            fired += 1
    return (min(waiting) if waiting else None), fired


def timer_moment(value: Any) -> datetime:
    if isinstance(value, dict):  # cycle timers keep {'cycles', 'next', 'duration'}
        value = value["next"]
    moment: datetime = TimerEventDefinition.get_datetime(str(value))
    return datetime.fromtimestamp(moment.timestamp(), tz=moment.tzinfo)


def next_timer_at(workflow: BpmnWorkflow) -> datetime | None:
    moments = []
    for task in workflow.event_manager.tasks.values():
        event = task.task_spec.event_definition
        if isinstance(event, TimerEventDefinition):
            details = event.details(task)
            if details.value is not None:
                moments.append(timer_moment(details.value))
    return min(moments) if moments else None


def visited_elements(workflow: BpmnWorkflow, known: list[str]) -> list[str]:
    """``known`` plus the BPMN element ids of the finished tasks still in the tree (before pruning)."""
    path = list(known)
    seen = set(path)
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        element = getattr(task.task_spec, "bpmn_id", None)
        if element and element not in seen:
            seen.add(element)
            path.append(element)
    return path


def case_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The case's current data: that of the most recently completed task, in the main process or in any running
    subprocess (a call activity's data reaches its caller only when it ends), else the root's."""
    candidates = [workflow, *workflow.get_active_subprocesses()]
    finished = [w.last_task for w in candidates if w.last_task is not None]
    task = max(finished, key=lambda t: t.last_state_change) if finished else workflow.task_tree
    return dict(task.data) if task is not None else {}


def case_field_values(data: dict[str, Any]) -> dict[str, Any]:
    """The case-row columns the workflow data sets (a field absent from the data leaves its column as it is)."""
    values = {}
    for attribute, (path, convert) in CASE_FIELDS.items():
        found, value = _lookup(data, path)
        if found:
            values[attribute] = None if value is None else convert(value)
    return values


def _lookup(data: dict[str, Any], path: str) -> tuple[bool, Any]:
    value: Any = data
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return False, None
        value = value[key]
    return True, value


def _text(value: Any, limit: int) -> str:
    return str(value)[:limit]


def _postcode(value: Any) -> str:
    return "".join(str(value).split()).upper()[:10]


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


_ROW_COLUMNS = ("id", "state", "element_id", "title", "form", "finished_by", "due_at", "escalation_level", "team")


def open_task_rows(session: Session, case_id: int, also: str | None = None) -> dict[str, Row[Any]]:
    """The case's open task rows and the row ``also`` (whatever its state), as plain rows read now: a command
    reads them right after locking the case, so it sees a colleague's completion that committed in between."""
    wanted = _HUMAN_TASK.c.state == "open"
    if also is not None:
        wanted = wanted | (_HUMAN_TASK.c.id == also)
    columns = [_HUMAN_TASK.c[name] for name in _ROW_COLUMNS]
    query = select(*columns).where(_HUMAN_TASK.c.case_id == case_id, wanted)
    return {row.id: row for row in session.connection().execute(query)}


def rewrite_human_tasks(
    session: Session,
    case: Case,
    tasks: list[ReadyTask],
    now: datetime,
    existing: dict[str, Row[Any]] | None = None,
) -> list[str]:
    """Make the open ``human_task`` rows of ``case`` match ``tasks``; returns the ids of rows closed here.

    ``existing``: the case's open rows if the caller has just read them (see :func:`open_task_rows`). The rows
    are written with plain statements: projection rows never pass through the ORM's unit of work (its
    bookkeeping cost more than the writes)."""
    if existing is None:
        existing = open_task_rows(session, case.id)
    wanted = {t.id: t for t in tasks}
    closed = []
    for task_id, row in existing.items():
        if row.state == "open" and task_id not in wanted:
            write_task_row(session, task_id, state="cancelled", finished_at=now)
            closed.append(task_id)
    new_rows = []
    for task_id, task in wanted.items():
        current = existing.get(task_id)
        if current is None:
            new_rows.append(_new_row(case, task, now))
        elif current.state == "open":
            changes = {"due_at": task.due_at, "escalation_level": task.escalation_level, "team": case.team}
            write_task_row(session, task_id, **{k: v for k, v in changes.items() if getattr(current, k) != v})
    if new_rows:
        session.connection().execute(insert(_HUMAN_TASK), new_rows)
    return closed


def write_task_row(session: Session, task_id: str, **values: Any) -> None:
    if values:
        session.connection().execute(update(_HUMAN_TASK).where(_HUMAN_TASK.c.id == task_id).values(**values))


def _new_row(case: Case, task: ReadyTask, now: datetime) -> dict[str, Any]:
    return {
        "id": task.id,
        "case_id": case.id,
        "element_id": task.element_id,
        "title": task.title,
        "lane": task.lane,
        "assignee": None,
        "form": task.form,
        "ui_form": task.ui_form,
        "instructions": task.instructions,
        "due_at": task.due_at,
        "escalation_level": task.escalation_level,
        "state": "open",
        "draft": None,
        "created_at": now,
        "finished_at": None,
        "finished_by": None,
        "team": case.team,
    }


def waiting_messages(workflow: BpmnWorkflow | None) -> list[str]:
    return sorted(waiting_message_names(workflow)) if workflow is not None else []
