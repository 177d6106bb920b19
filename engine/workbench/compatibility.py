"""Which running cases on older versions of a process could move to its newest version, and why not.

Two checks, both against the new version's parsed specs, on the case's stored (spec-less) state:

1. **Task specs.** Every task the stored state holds that happened or is live (completed, ready, waiting,
   started, errored, cancelled) must name a task spec the new version has (its main process or one of the
   processes it calls), and every process the case is inside must still exist. Tasks SpiffWorkflow only
   *predicted* from the old diagram (``FUTURE``, ``LIKELY``, ``MAYBE``) are not history: those whose spec is
   gone, or that no longer follow their parent in the new diagram, are dropped and predicted again from the new
   diagram on the move, so a removed or rerouted step the case has not reached yet is no reason to refuse.
   Predictions that still fit are kept as they are.
2. **Data.** For every user task of the new version the case has already passed (its element id is on the
   case's path) and that is not open now, the keys its form marks ``required`` (nested required keys of
   required objects too) must be present in the case's current data: later steps of the new version may rely
   on them. The forms of the tasks open now are not a reason to refuse: their required fields are entered by
   the caseworker and validated when the task is completed.

Not checked, because it cannot be known without running the case: names that scripts, conditions, timers and
DMN cells of the new version read, and forms of user tasks the new version added before the case's position.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..bundle_files import FORM_PROPERTIES
from ..errors import NotFound
from ..models import OPEN_STATUSES, Case, ProcessVersion
from ..projections import case_data
from ..runtime import ready_user_tasks
from ..validation import ParsedBundle

if TYPE_CHECKING:
    from ..service import Engine

PREDICTED = TaskState.FUTURE | TaskState.LIKELY | TaskState.MAYBE


@dataclass(frozen=True)
class CaseFit:
    """One case: may it move to the newest version, and if not, why (Dutch, for the process owner)."""

    case_id: int
    reference: str
    status: str
    version: int
    movable: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class CompatibilityReport:
    process_id: str
    target_id: int
    target: int
    cases: list[CaseFit]

    @property
    def movable(self) -> list[CaseFit]:
        return [c for c in self.cases if c.movable]


@dataclass(frozen=True)
class Assessment:
    """The outcome for one stored state; ``workflow`` is the state restored on the new version when movable."""

    reasons: tuple[str, ...]
    workflow: BpmnWorkflow | None


def newest_version(session: Session, process_id: str) -> ProcessVersion:
    query = select(ProcessVersion).where(ProcessVersion.process_id == process_id)
    newest = session.scalar(query.order_by(ProcessVersion.number.desc()).limit(1))
    if newest is None:
        raise NotFound(f"Proces {process_id} bestaat niet.")
    return newest


def report(engine: Engine, session: Session, process_id: str) -> CompatibilityReport:
    """Every open case (running, suspended, error) of the process on an older version, assessed."""
    target = newest_version(session, process_id)
    parsed = engine.specs.get(target)
    query = (
        select(Case)
        .join(Case.version)
        .where(ProcessVersion.process_id == process_id, ProcessVersion.id != target.id)
        .where(Case.status.in_(OPEN_STATUSES))
        .options(selectinload(Case.stored))
        .order_by(Case.reference)
        .execution_options(yield_per=200)  # states are kilobytes each: not all in memory at once
    )
    fits = [_fit(engine, parsed, target, case) for case in session.scalars(query)]
    return CompatibilityReport(process_id, target.id, target.number, fits)


def _fit(engine: Engine, parsed: ParsedBundle, target: ProcessVersion, case: Case) -> CaseFit:
    reasons = assess(engine, parsed, target.number, case).reasons
    return CaseFit(case.id, case.reference, case.status, case.version.number, not reasons, reasons)


def assess(engine: Engine, parsed: ParsedBundle, number: int, case: Case) -> Assessment:
    trimmed = trim_predictions(case.state, parsed)
    if trimmed.missing_processes:
        names = ", ".join(trimmed.missing_processes)
        return Assessment((f"Versie {number} mist het deelproces waarin deze zaak nu staat: {names}.",), None)
    missing = sorted(engine.runtime.serializer.task_spec_names(trimmed.state) - spec_names(parsed))
    if missing:
        return Assessment((_missing_specs(missing, number),), None)
    try:
        workflow = engine.runtime.restore(parsed, trimmed.state)
        predict(workflow, trimmed.repredict)
    except (KeyError, SpiffWorkflowException) as exc:
        return Assessment((f"De opgeslagen stand past niet op versie {number}: {exc}.",), None)
    reasons = tuple(missing_data(workflow, parsed, case.path or []))
    return Assessment(reasons, None if reasons else workflow)


def _missing_specs(missing: list[str], number: int) -> str:
    names = ", ".join(missing)
    return f"Versie {number} mist onderdelen waar deze zaak al is geweest of nu staat: {names}."


def spec_names(parsed: ParsedBundle) -> set[str]:
    names = set(parsed.spec.task_specs)
    for sub in parsed.subprocess_specs.values():
        if sub is not None:
            names.update(sub.task_specs)
    return names


@dataclass(frozen=True)
class Trimmed:
    """A stored state without the predictions that do not fit the new version, and the tasks to predict again."""

    state: str
    repredict: tuple[str, ...]
    missing_processes: tuple[str, ...]


def trim_predictions(state: str, parsed: ParsedBundle) -> Trimmed:
    """Drop every predicted task whose spec the new version lacks, or that no longer follows its parent there
    (with everything predicted below it); their parents are predicted again after the restore. Predictions
    that still fit stay exactly as SpiffWorkflow made them."""
    dct = json.loads(state)
    repredict: list[str] = []
    missing: list[str] = []
    trees = [
        (dct, parsed.spec),
        *((s, parsed.subprocess_specs.get(s.get("spec"))) for s in dct["subprocesses"].values()),
    ]
    for tree, spec in trees:
        if spec is None:
            missing.append(str(tree.get("spec")))
            continue
        repredict.extend(_trim_tree(tree["tasks"], spec.task_specs))
    return Trimmed(json.dumps(dct, separators=(",", ":")), tuple(repredict), tuple(sorted(missing)))


def _trim_tree(tasks: dict[str, Any], specs: dict[str, Any]) -> list[str]:
    lost: list[str] = []
    for task_id, task in list(tasks.items()):
        if task_id not in tasks:
            continue  # dropped below an earlier parent
        spec = specs.get(task["task_spec"])
        follows = {output.name for output in spec.outputs} if spec is not None else set()
        stale = [c for c in task["children"] if tasks[c]["state"] & PREDICTED and tasks[c]["task_spec"] not in follows]
        if stale:
            for child in stale:
                _drop(tasks, child)
            task["children"] = [c for c in task["children"] if c not in stale]
            lost.append(task_id)
    return lost


def _drop(tasks: dict[str, Any], task_id: str) -> None:
    for child in tasks.pop(task_id)["children"]:
        if child in tasks:
            _drop(tasks, child)


def predict(workflow: BpmnWorkflow, task_ids: tuple[str, ...]) -> None:
    """Predict again, with the new version's specs, below the tasks whose stale predictions were dropped."""
    for task_id in task_ids:
        task = workflow.get_task_from_id(UUID(task_id))
        task.task_spec._predict(task, mask=TaskState.NOT_FINISHED_MASK)


def missing_data(workflow: BpmnWorkflow, parsed: ParsedBundle, path: list[str]) -> Iterator[str]:
    data = case_data(workflow)
    open_now = {task.task_spec.bpmn_id for task in ready_user_tasks(workflow)}
    for spec in user_task_specs(parsed):
        if spec.bpmn_id not in path or spec.bpmn_id in open_now:
            continue
        form = parsed.forms.get(spec.extensions.get("properties", {}).get(FORM_PROPERTIES[0], ""))
        for key in required_keys(form or {}, data):
            title = spec.bpmn_name or spec.bpmn_id
            yield f"Het formulier van '{title}' vraagt in de nieuwe versie om '{key}'; dat gegeven heeft de zaak niet."


def user_task_specs(parsed: ParsedBundle) -> Iterator[Any]:
    specs = [parsed.spec, *(s for s in parsed.subprocess_specs.values() if s is not None)]
    for process in specs:
        for spec in process.task_specs.values():
            if getattr(spec, "manual", False) and getattr(spec, "bpmn_id", None):
                yield spec


def required_keys(schema: dict[str, Any], data: Any, prefix: str = "") -> Iterator[str]:
    """The dotted paths of required keys absent from ``data`` (nested only below present objects)."""
    values = data if isinstance(data, dict) else {}
    properties = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in values:
            yield f"{prefix}{key}"
        elif isinstance(properties.get(key), dict) and isinstance(values[key], dict):
            yield from required_keys(properties[key], values[key], f"{prefix}{key}.")
