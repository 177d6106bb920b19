"""The one error tree of the engine.

Every error the engine raises derives from :class:`VangnetError`. Errors carry machine-readable fields (a code,
element ids, lines, field paths) next to a message in words a process owner or caseworker understands. ``web``
maps these to HTTP responses and pages in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class VangnetError(Exception):
    """Base class of every error the engine raises on purpose."""

    code = "error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class ConfigurationError(VangnetError):
    code = "configuration"


class NotFound(VangnetError):
    code = "not_found"


class Conflict(VangnetError):
    """Someone else changed the object first, or an idempotency key was reused with other content."""

    code = "conflict"


class InvalidState(VangnetError):
    """The command does not fit the object's current state (e.g. completing a cancelled case's task)."""

    code = "invalid_state"


class PermissionDenied(VangnetError):
    code = "permission_denied"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a bundle: where it is and what is wrong, for a process owner."""

    file: str
    message: str
    element_id: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.element_id:
            where += f" [{self.element_id}]"
        return f"{where}: {self.message}"


class BundleInvalid(VangnetError):
    """A bundle of BPMN/DMN/forms failed validation; nothing was deployed."""

    code = "bundle_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"De procesdefinitie bevat {len(problems)} fout(en):\n{lines}")
        self.problems = problems


@dataclass(frozen=True)
class FieldError:
    """One invalid field of submitted data; ``path`` is a JSON pointer-like dotted path ('' = the whole)."""

    path: str
    message: str
    validator: str = ""


class DataInvalid(VangnetError):
    """Submitted data does not match its form or message schema; field errors are structured."""

    code = "data_invalid"

    def __init__(self, errors: list[FieldError], message: str = "De ingevulde gegevens zijn niet geldig.") -> None:
        super().__init__(message)
        self.errors = errors


class SandboxViolation(VangnetError):
    """Process-owner code tried something the sandbox does not allow, or ran out of time."""

    code = "sandbox"

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message, line=line)
        self.line = line


@dataclass
class ScriptFailure:
    """Where a script or expression failed inside a running case."""

    element_id: str
    element_name: str | None
    message: str
    line: int | None = None
    error_line: str | None = None
    trace: list[str] = field(default_factory=list)


class CaseScriptError(VangnetError):
    """A script, condition, timer expression or DMN cell failed while a case ran; the case was left unchanged."""

    code = "script_error"

    def __init__(self, failure: ScriptFailure) -> None:
        where = failure.element_id + (f", regel {failure.line}" if failure.line else "")
        super().__init__(f"Fout in {where}: {failure.message}")
        self.failure = failure
