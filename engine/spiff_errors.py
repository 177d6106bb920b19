"""The one place where SpiffWorkflow's exceptions become ours, keeping element id, line and task trace."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException

from .errors import CaseScriptError, SandboxViolation, ScriptFailure


def translate(exc: Exception) -> CaseScriptError:
    """Turn an exception raised while a workflow ran into a :class:`CaseScriptError`."""
    if isinstance(exc, WorkflowTaskException):
        return CaseScriptError(_from_task_exception(exc))
    if isinstance(exc, WorkflowException):
        spec = getattr(exc, "task_spec", None)
        return CaseScriptError(_failure(spec, _message(exc)))
    if isinstance(exc, SpiffWorkflowException):
        return CaseScriptError(ScriptFailure(element_id="?", element_name=None, message=_message(exc)))
    return CaseScriptError(ScriptFailure(element_id="?", element_name=None, message=f"{type(exc).__name__}: {exc}"))


def _from_task_exception(exc: WorkflowTaskException) -> ScriptFailure:
    task = exc.task
    spec = task.task_spec if task is not None else None
    inner = exc.__cause__ or exc.__context__
    failure = _failure(spec, _with_cause(_message(exc), inner))
    line = exc.line_number if isinstance(exc.line_number, int) and exc.line_number > 0 else None
    if isinstance(inner, SandboxViolation) and inner.line and line is None:
        line = inner.line
    failure.line = line
    failure.error_line = exc.error_line or None
    failure.trace = list(getattr(exc, "task_trace", []) or [])
    return failure


def _with_cause(message: str, inner: BaseException | None) -> str:
    """SpiffWorkflow wraps evaluation errors as 'Error evaluating expression …': keep the reason too."""
    message = message.replace("Error evaluating expression", "Fout in de expressie")
    if inner is None or isinstance(inner, WorkflowTaskException):
        return message
    reason = getattr(inner, "message", None) or str(inner)
    described = f"{type(inner).__name__}: {reason}" if not isinstance(inner, SandboxViolation) else reason
    return message if described in message else f"{message.rstrip('. ')}: {described}"


def _failure(spec: Any, message: str) -> ScriptFailure:
    element_id = getattr(spec, "bpmn_id", None) or getattr(spec, "name", None) or "?"
    return ScriptFailure(element_id=str(element_id), element_name=getattr(spec, "bpmn_name", None), message=message)


def _message(exc: BaseException) -> str:
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    notes = [n for n in getattr(exc, "notes", []) if n]
    return " ".join([text, *notes])
