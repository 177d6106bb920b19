"""Turning workflows into stored state and back, without the process spec.

The default SpiffWorkflow serializer embeds the whole spec in every workflow. We leave it out and take the spec
from the deployed version's cache when restoring: rows are smaller, save/restore faster, and a case's state can
be restored against a newer version of the same process (migration, retry after a fix).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers.registry import DefaultRegistry
from SpiffWorkflow.bpmn.serializer.migration.version_migration import MIGRATIONS
from SpiffWorkflow.bpmn.serializer.workflow import VERSION, BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

FORMAT_KEY = "serializer_version"
# Our own envelope version, next to SpiffWorkflow's: bump it with a migration when the stored shape changes.
STATE_FORMAT = 1


class SpeclessWorkflowConverter(BpmnWorkflowConverter):  # type: ignore[misc]
    """Writes a workflow without its specs; restores it against specs handed in by the caller."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = super(BpmnWorkflowConverter, self).to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: Any = None, subprocess_specs: Any = None) -> BpmnWorkflow:
        if spec is None:
            raise ValueError("restoring a spec-less workflow needs its spec")
        dct["spec"] = None
        return self._restore(dct, spec, subprocess_specs or {})

    def _restore(self, dct: dict[str, Any], spec: Any, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
        from uuid import UUID

        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _registry() -> DefaultRegistry:
    registry = DefaultRegistry()
    registry.register(date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"]))
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = SpeclessWorkflowConverter
    return BpmnWorkflowSerializer.configure(config, registry)


class StateSerializer:
    """Dumps and loads spec-less workflow state as JSON text (text, not JSONB: task order must be kept)."""

    def __init__(self) -> None:
        self._serializer = BpmnWorkflowSerializer(_registry())

    def dumps(self, workflow: BpmnWorkflow) -> str:
        registry = self._serializer.registry
        registry._encoder_mode = True
        try:
            dct = self._serializer.to_dict(workflow)
        finally:
            registry._encoder_mode = False
        dct[FORMAT_KEY] = VERSION
        dct["vangnet_format"] = STATE_FORMAT
        return json.dumps(dct, cls=self._serializer._encoder_cls, separators=(",", ":"))

    def loads(self, text: str, spec: Any, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
        dct = json.loads(text)
        dct.pop("vangnet_format", None)
        version = dct.pop(FORMAT_KEY)
        if version in MIGRATIONS:
            MIGRATIONS[version](dct)
        workflow: BpmnWorkflow = self._serializer.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)
        return workflow

    def task_spec_names(self, text: str) -> set[str]:
        """The task spec names a stored state refers to (to check it fits another version)."""
        dct = json.loads(text)
        names = {task["task_spec"] for task in dct["tasks"].values()}
        for sub in dct.get("subprocesses", {}).values():
            names.update(task["task_spec"] for task in sub["tasks"].values())
        return names
