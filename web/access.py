"""Who may see and do what (PROCEDURE.md, "Roles"), and the audit line for every look at personal data.

One place decides: views ask ``may_*`` and call :func:`deny` (403, logged) when the answer is no.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from sqlalchemy.orm import Session

from engine.queries import Scope, record_access
from engine.views import CaseSummary, TaskInfo

TEAM_ROLES = ("casemanager", "coordinator")
# Lanes (role keys) whose tasks each role sees in its inbox. A coördinator oversees the casemanagers' tasks too.
INBOX_LANES: dict[str, tuple[str, ...]] = {
    "casemanager": ("casemanager",),
    "coordinator": ("coordinator", "casemanager"),
    "garantsteller": ("garantsteller",),
}
CASE_FILE_ROLES = frozenset(TEAM_ROLES)
# Where each role starts after logging in: its own work, never a page it may not open.
HOME_ENDPOINTS = {"procesbeheerder": "workbench.index"}


def home_endpoint(role: str) -> str:
    if role in INBOX_LANES:
        return "inbox.inbox"
    return HOME_ENDPOINTS.get(role, "index")


def has_inbox(role: str) -> bool:
    return role in INBOX_LANES


@dataclass(frozen=True)
class CurrentUser:
    username: str
    display_name: str
    role: str
    team: str | None

    @property
    def assigns(self) -> bool:
        return self.role == "coordinator"


def inbox_scope(user: CurrentUser) -> Scope | None:
    lanes = INBOX_LANES.get(user.role)
    if lanes is None:
        return None
    team = user.team if user.role in TEAM_ROLES else None
    if user.role in TEAM_ROLES and not team:
        return None
    return Scope(user.username, lanes, team)


def may_see_case(user: CurrentUser, case: CaseSummary) -> bool:
    return user.role in CASE_FILE_ROLES and user.team is not None and case.team == user.team


def may_see_task(user: CurrentUser, task: TaskInfo, case: CaseSummary) -> bool:
    lanes = INBOX_LANES.get(user.role, ())
    if task.lane not in lanes:
        return False
    return user.role == "garantsteller" or may_see_case(user, case)


def may_work_on(user: CurrentUser, task: TaskInfo) -> bool:
    """Fill in and complete: only who has the task (claimed or assigned)."""
    return task.state == "open" and task.assignee == user.username


def may_claim(user: CurrentUser, task: TaskInfo) -> bool:
    return task.state == "open" and task.lane == user.role


def audit(user: CurrentUser, action: str, object_type: str, object_id: str, allowed: bool = True) -> None:
    """Write the audit line in its own short transaction, so a refused request is logged too."""
    from . import vangnet  # the app's engine; imported here to keep this module free of app set-up

    engine = vangnet().engine
    with engine.transaction(user.username) as session:
        audit_in(session, user, action, object_type, object_id, allowed)


def audit_in(
    session: Session, user: CurrentUser, action: str, object_type: str, object_id: str, allowed: bool = True
) -> None:
    """Write the audit line in the caller's transaction: a change and the line saying who made it commit together
    (if the change fails, the caller writes the line with :func:`audit` instead)."""
    from . import vangnet

    record_access(
        session,
        actor=user.username,
        role=user.role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        allowed=allowed,
        origin=request.remote_addr or "",
        now=vangnet().engine.now(),
    )


def deny(user: CurrentUser, action: str, object_type: str, object_id: str) -> None:
    audit(user, action, object_type, object_id, allowed=False)
    abort(403)
