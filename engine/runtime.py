"""The only module that changes a workflow: start, complete, deliver a message, fire timers, cancel.

Every function here works on an in-memory workflow. Any error is translated to :class:`CaseScriptError`; the
caller then throws the half-advanced workflow away and rolls back (SpiffWorkflow leaves it half-done).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition as BaseMessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.event import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from . import history
from .clock import Clock, use_clock
from .errors import CaseScriptError, InvalidState, NotFound
from .serialization import StateSerializer
from .spiff_errors import translate
from .validation import ParsedBundle

T = TypeVar("T")


@dataclass(frozen=True)
class Outbound:
    """A message the workflow threw that nothing inside it caught: it goes to the outbox."""

    name: str
    payload: Any


class LiveWorkflows:
    """Workflows kept in memory after a successful command, reused when the stored state is still theirs.

    A hit needs the exact stored text the workflow was saved as, so a rolled-back or foreign change can never be
    mistaken for it. An entry is taken out while a command runs and only put back after a successful save: a
    half-advanced workflow is never reused.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[int, tuple[str, str, BpmnWorkflow]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, case_id: int, version_hash: str, state: str) -> BpmnWorkflow | None:
        with self._lock:
            entry = self._entries.pop(case_id, None)
        if entry is None or entry[0] != version_hash or entry[1] != state:
            return None
        return entry[2]

    def keep(self, case_id: int, version_hash: str, state: str, workflow: BpmnWorkflow) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[case_id] = (version_hash, state, workflow)
            self._entries.move_to_end(case_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


class Runtime:
    def __init__(self, script_engine: Any, serializer: StateSerializer, clock: Clock, live_cache_size: int = 0) -> None:
        self.script_engine = script_engine
        self.serializer = serializer
        self.clock = clock
        self.live = LiveWorkflows(live_cache_size)

    # --- life cycle ------------------------------------------------------------------------------------------

    def restore(self, parsed: ParsedBundle, state: str) -> BpmnWorkflow:
        workflow = self.serializer.loads(state, parsed.spec, parsed.subprocess_specs)
        workflow.script_engine = self.script_engine  # never serialized: re-attach the sandbox every time
        return workflow

    def load(self, case_id: int, version_hash: str, parsed: ParsedBundle, state: str) -> BpmnWorkflow:
        """The case's workflow: the live one when it is exactly the stored state, else restored from it."""
        return self.live.take(case_id, version_hash, state) or self.restore(parsed, state)

    def save(self, case_id: int, version_hash: str, workflow: BpmnWorkflow) -> str:
        history.prune(workflow)
        state = self.serializer.dumps(workflow)
        self.live.keep(case_id, version_hash, state, workflow)
        return state

    def start(self, parsed: ParsedBundle, message: str, payload: Any) -> BpmnWorkflow:
        if message not in parsed.start_messages:
            known = ", ".join(parsed.start_messages)
            raise InvalidState(f"Het proces start niet met bericht {message!r} (wel met: {known}).")
        workflow = BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=self.script_engine)

        def act() -> None:
            run_engine_steps(workflow)
            workflow.send_event(BpmnEvent(MessageEventDefinition(message), payload))
            run_engine_steps(workflow)

        self._guarded(act)
        return workflow

    # --- commands --------------------------------------------------------------------------------------------

    def complete(self, workflow: BpmnWorkflow, task_id: str, data: dict[str, Any]) -> None:
        task = ready_user_task(workflow, task_id)

        def act() -> None:
            task.set_data(**data)
            task.run()
            run_engine_steps(workflow)

        self._guarded(act)

    def deliver(self, workflow: BpmnWorkflow, name: str, payload: Any) -> bool:
        """Deliver a message; False (and nothing changed) when the workflow does not wait for it."""
        if name not in waiting_message_names(workflow):
            return False

        def act() -> None:
            workflow.send_event(BpmnEvent(MessageEventDefinition(name), payload))
            run_engine_steps(workflow)

        self._guarded(act)
        return True

    def fire_timers(self, workflow: BpmnWorkflow) -> None:
        def act() -> None:
            workflow.refresh_timers()
            run_engine_steps(workflow)

        self._guarded(act)

    def update_data(self, workflow: BpmnWorkflow, values: dict[str, Any]) -> None:
        """Set ``values`` in the data of every unfinished task and re-arm the waiting timers with them.

        Timer expressions are evaluated once, when armed; a changed date they depend on (the supplier moved D)
        must re-arm them, without restarting the tasks people are working on.
        """

        def act() -> None:
            for task in workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
                task.data.update(values)
                if task.parent is not None:  # waiting tasks re-inherit their parent's data on every refresh
                    task.parent.data.update(values)
                if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition):
                    task.internal_data.pop("event_value", None)
            workflow.refresh_timers()
            run_engine_steps(workflow)

        self._guarded(act)

    def cancel(self, workflow: BpmnWorkflow) -> None:
        self._guarded(workflow.cancel)

    def outbound(self, workflow: BpmnWorkflow) -> list[Outbound]:
        """Uncaught *message* events leave the process; other uncaught events (terminate, signals) stay inside."""
        return [
            Outbound(e.event_definition.name, e.payload)
            for e in workflow.get_events()
            if isinstance(e.event_definition, BaseMessageEventDefinition)
        ]

    def _guarded(self, action: Callable[[], T]) -> T:
        with self._clocked():
            try:
                return action()
            except CaseScriptError:
                raise
            except Exception as exc:
                # SpiffWorkflow raises its own errors, but also bare ones (an invalid timer duration raises
                # Exception, a missing correlation field NameError): every escape fails the step, with details.
                raise translate(exc) from exc

    @contextmanager
    def _clocked(self) -> Iterator[None]:
        with use_clock(self.clock):
            yield


PRUNE_EVERY = 200


def run_engine_steps(workflow: BpmnWorkflow) -> None:
    """``do_engine_steps``, pruning history every few hundred tasks so long automatic loops stay shallow."""
    completed = 0

    def after(_task: Any) -> None:
        nonlocal completed
        completed += 1
        if completed % PRUNE_EVERY == 0:
            history.prune(workflow)

    workflow.do_engine_steps(did_complete_task=after)


def ready_user_task(workflow: BpmnWorkflow, task_id: str) -> Any:
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except (ValueError, SpiffWorkflowException) as exc:
        raise NotFound(f"Taak {task_id} bestaat niet in deze zaak.") from exc
    if task is None or not task.task_spec.manual:
        raise NotFound(f"Taak {task_id} bestaat niet in deze zaak.")
    if task.state != TaskState.READY:
        raise InvalidState(f"Taak {task_id} staat niet meer open.")
    return task


def ready_user_tasks(workflow: BpmnWorkflow) -> list[Any]:
    return list(workflow.get_tasks(state=TaskState.READY, manual=True))


def waiting_message_names(workflow: BpmnWorkflow) -> set[str]:
    return {e.name for e in workflow.waiting_events() if e.event_type.endswith("MessageEventDefinition")}
