"""Reading facts out of parsed SpiffWorkflow specs: expressions, start messages, user tasks.

Kept apart so that deploy checks and the runtime projections agree on what a diagram contains.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent


@dataclass(frozen=True)
class Expression:
    element_id: str
    file: str | None
    kind: str  # in Dutch: shown to process owners
    source: str
    mode: Literal["eval", "exec"]
    flow_target: str | None = None  # for a gateway condition: the element its sequence flow leads to


@dataclass(frozen=True)
class UserTaskInfo:
    element_id: str
    file: str | None
    name: str
    lane: str | None
    properties: dict[str, str] = field(default_factory=dict)
    documentation: str | None = None


def _visible(spec: Any) -> Iterator[Any]:
    for task_spec in spec.task_specs.values():
        if getattr(task_spec, "bpmn_id", None):
            yield task_spec


def start_messages(spec: Any) -> list[str]:
    names = []
    for task_spec in _visible(spec):
        event = getattr(task_spec, "event_definition", None)
        if isinstance(task_spec, StartEvent) and isinstance(event, MessageEventDefinition):
            names.append(event.name)
    return sorted(names)


def user_tasks(spec: Any, subprocess_specs: dict[str, Any]) -> Iterator[UserTaskInfo]:
    for one in [spec, *[s for s in subprocess_specs.values() if s is not None]]:
        for task_spec in _visible(one):
            if task_spec.manual:
                yield UserTaskInfo(
                    element_id=task_spec.bpmn_id,
                    file=getattr(one, "file", None),
                    name=task_spec.bpmn_name or task_spec.bpmn_id,
                    lane=task_spec.lane,
                    properties=dict(task_spec.extensions.get("properties", {})),
                    documentation=task_spec.documentation,
                )


def expressions_of(spec: Any) -> Iterator[Expression]:
    """Every piece of process-owner code in one process spec, with where it lives."""
    file = getattr(spec, "file", None)
    for task_spec in _visible(spec):
        for kind, source, mode in _task_code(task_spec):
            if isinstance(source, str) and source.strip():
                yield Expression(task_spec.bpmn_id, file, kind, source, mode)
        for source, target in _conditions(spec, task_spec):
            yield Expression(task_spec.bpmn_id, file, "voorwaarde op een uitgaande pijl", source, "eval", target)
        engine = getattr(task_spec, "dmnEngine", None)
        if engine is not None:
            yield from _dmn_code(engine.decision_table, file)


def _task_code(task_spec: Any) -> Iterator[tuple[str, str | None, Literal["eval", "exec"]]]:
    yield "script", getattr(task_spec, "script", None), "exec"
    yield "prescript", getattr(task_spec, "prescript", None), "exec"
    yield "postscript", getattr(task_spec, "postscript", None), "exec"
    for attr, kind in (("condition", "lusvoorwaarde"), ("cardinality", "aantal herhalingen")):
        value = getattr(task_spec, attr, None)
        if isinstance(value, str):
            yield kind, value, "eval"
    for name, param in (getattr(task_spec, "operation_params", None) or {}).items():
        if isinstance(param, dict):
            yield f"parameter '{name}' van de servicetaak", param.get("value"), "eval"
    yield from _event_code(getattr(task_spec, "event_definition", None))


def _conditions(spec: Any, task_spec: Any) -> Iterator[tuple[str, str]]:
    for condition, target in getattr(task_spec, "cond_task_specs", []):
        source = condition.args[0] if condition is not None and getattr(condition, "args", None) else None
        if isinstance(source, str) and source.strip():
            target_spec = spec.task_specs.get(target)
            yield source, getattr(target_spec, "bpmn_id", None) or target


def _event_code(event: Any) -> Iterator[tuple[str, str | None, Literal["eval", "exec"]]]:
    if isinstance(event, MultipleEventDefinition):
        for inner in event.event_definitions:
            yield from _event_code(inner)
    elif isinstance(event, TimerEventDefinition):
        yield "timer-expressie", event.expression, "eval"
    elif isinstance(event, MessageEventDefinition):
        yield "berichtinhoud", getattr(event, "expression", None), "eval"


def _dmn_code(table: Any, file: str | None) -> Iterator[Expression]:
    for column in table.inputs:
        if column.expression:
            yield Expression(column.id, None, "DMN-invoerexpressie", column.expression, "eval")
    for rule in table.rules:
        for entry in rule.inputEntries:
            for cell in entry.lhs:
                if cell is not None and cell.strip():
                    yield Expression(rule.id, None, "DMN-invoercel", cell, "eval")
        for out in rule.outputEntries:
            if getattr(out, "text", None):
                yield Expression(rule.id, None, "DMN-uitvoercel", out.text, "eval")


def decision_tables(spec: Any, subprocess_specs: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(calling element id, decision table) for every business rule task."""
    for one in [spec, *[s for s in subprocess_specs.values() if s is not None]]:
        for task_spec in _visible(one):
            engine = getattr(task_spec, "dmnEngine", None)
            if engine is not None:
                yield task_spec.bpmn_id, engine.decision_table
