"""Vangnet's engine: hosts SpiffWorkflow and owns storage, time, timers, messages, the sandbox and deploys.

The public face for ``web`` and the CLI: build an :class:`Engine` from settings, a database and (optionally) a
clock, then call its use cases inside :meth:`Engine.transaction`. Errors come from one tree, ``engine.errors``.
"""

from . import suppliers as suppliers  # registers the supplier tables on the metadata
from . import workbench as workbench  # registers the workbench's draft tables on the metadata
from .bundles import DeployResult
from .cases import MessageResult, StartResult
from .clock import Clock, ManualClock, ShiftedClock, SystemClock
from .db import Database
from .errors import (
    BundleInvalid,
    CaseScriptError,
    Conflict,
    DataInvalid,
    FieldError,
    InvalidState,
    NotFound,
    Problem,
    VangnetError,
)
from .service import Engine
from .settings import Settings, settings_from_env

__all__ = [
    "BundleInvalid",
    "CaseScriptError",
    "Clock",
    "Conflict",
    "DataInvalid",
    "Database",
    "DeployResult",
    "Engine",
    "FieldError",
    "InvalidState",
    "ManualClock",
    "MessageResult",
    "NotFound",
    "Problem",
    "Settings",
    "ShiftedClock",
    "StartResult",
    "SystemClock",
    "VangnetError",
    "settings_from_env",
]
