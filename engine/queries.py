"""Read models for the caseworker pages: the inbox, colleagues to assign to, and the access log.

Inbox queries read ``human_task`` joined with ``case`` only; they never load a workflow, so their cost does not
depend on how large the cases are. Functions take a session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, TypeAlias, cast

from sqlalchemy import ColumnElement, Select, Table, and_, false, func, insert, or_, select
from sqlalchemy.orm import Session

from .models import AccessLog, Case, HumanTask, User

_ACCESS_LOG = cast(Table, AccessLog.__table__)

View = Literal["mijn", "team"]
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
SORTS: dict[str, Any] = {
    "deadline": HumanTask.due_at,
    "zaak": Case.reference,
    "naam": Case.family_name,
    "taak": HumanTask.title,
    "prioriteit": Case.priority,
    "escalatie": HumanTask.escalation_level,
    "einddatum": Case.planned_end_date,
}


@dataclass(frozen=True)
class Scope:
    """Whose inbox: the user, the lanes (role keys) they may pick from, and their team (None: every team)."""

    username: str
    lanes: tuple[str, ...]
    team: str | None


@dataclass(frozen=True)
class InboxFilter:
    view: View = "mijn"
    search: str = ""
    priority: str = ""
    escalated: bool = False
    overdue: bool = False
    winter: bool = False
    medical: bool = False
    sort: str = "deadline"
    descending: bool = False
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class InboxRow:
    task_id: str
    title: str
    lane: str | None
    assignee: str | None
    due_at: datetime | None
    escalation_level: int
    case_reference: str
    family_name: str | None
    postcode: str | None
    priority: str | None
    winter: bool
    medical: bool
    planned_end_date: date | None


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    mine: int
    team: int
    page: int
    per_page: int
    filters: InboxFilter = field(default_factory=InboxFilter)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _scoped(query: AnySelect, scope: Scope) -> AnySelect:
    """Open tasks of the scope's lanes and team, from ``human_task`` alone (an open task's case is open)."""
    query = query.where(HumanTask.state == "open", HumanTask.lane.in_(scope.lanes))
    if scope.team is not None:
        query = query.where(HumanTask.team == scope.team)
    return query


ROW_COLUMNS = (
    HumanTask.id,
    HumanTask.title,
    HumanTask.lane,
    HumanTask.assignee,
    HumanTask.due_at,
    HumanTask.escalation_level,
    Case.reference,
    Case.family_name,
    Case.postcode,
    Case.priority,
    Case.winter,
    Case.medical,
    Case.planned_end_date,
)


def _base(scope: Scope) -> AnySelect:
    """Only the columns a row shows: sorting a page never drags whole rows (or a workflow) along."""
    return _scoped(select(*ROW_COLUMNS).join(Case, Case.id == HumanTask.case_id), scope)


def _filtered(query: AnySelect, scope: Scope, wanted: InboxFilter, now: datetime) -> AnySelect:
    if wanted.view == "mijn":
        query = query.where(HumanTask.assignee == scope.username)
    if wanted.search.strip():
        query = query.where(_search(wanted.search, now))
    if wanted.priority:
        query = query.where(Case.priority == wanted.priority)
    if wanted.escalated:
        query = query.where(HumanTask.escalation_level > 0)
    if wanted.overdue:
        query = query.where(HumanTask.due_at < now)
    if wanted.winter:
        query = query.where(Case.winter.is_(True))
    if wanted.medical:
        query = query.where(Case.medical.is_(True))
    return query


def _search(text: str, now: datetime) -> ColumnElement[bool]:
    """Names, postcodes and case references that start with ``text`` (index ranges, not a scan); a number alone
    also finds the case with that number (``12`` → ``VN-2026-000012``)."""
    term = text.strip()
    conditions = [
        _prefix(Case.search_name, term.lower()),
        _prefix(Case.postcode, term.replace(" ", "").upper()),
        _prefix(Case.reference, term.upper()),
    ]
    if term.isdigit() and len(term) <= 6:
        numbered = [f"VN-{year}-{int(term):06d}" for year in range(FIRST_YEAR, now.year + 1)]
        conditions.append(Case.reference.in_(numbered))
    return or_(*conditions)


FIRST_YEAR = 2026  # the first year case references were given out


def _prefix(column: Any, term: str) -> ColumnElement[bool]:
    """``column`` starts with ``term``: a range the column's index can answer, plus LIKE for the exact rule."""
    if not term:
        return false()
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    upper = term[:-1] + chr(ord(term[-1]) + 1)
    return and_(column >= term, column < upper, column.like(f"{escaped}%", escape="\\"))


def _count(session: Session, query: AnySelect) -> int:
    return int(session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)


def inbox(session: Session, scope: Scope, wanted: InboxFilter, now: datetime) -> InboxPage:
    """One page of open tasks the scope may see, with the counts of "mijn taken" and "teamtaken"."""
    counted = select(HumanTask.id)
    mine = _count(session, _scoped(counted, scope).where(HumanTask.assignee == scope.username))
    team = _count(session, _scoped(counted, scope))
    if _unfiltered(wanted):  # the tab's own count is the total: no third count over the same rows
        total = mine if wanted.view == "mijn" else team
    else:
        joined = counted.join(Case, Case.id == HumanTask.case_id)
        total = _count(session, _filtered(_scoped(joined, scope), scope, wanted, now))
    query = _filtered(_base(scope), scope, wanted, now)
    column = SORTS.get(wanted.sort, HumanTask.due_at)
    order = column.desc() if wanted.descending else column.asc()
    page = max(1, wanted.page)
    rows = session.execute(
        query.order_by(order.nulls_last(), HumanTask.id).offset((page - 1) * wanted.per_page).limit(wanted.per_page)
    ).all()
    return InboxPage([InboxRow(*row) for row in rows], total, mine, team, page, wanted.per_page, wanted)


def _unfiltered(wanted: InboxFilter) -> bool:
    flags = (wanted.escalated, wanted.overdue, wanted.winter, wanted.medical)
    return not wanted.search.strip() and not wanted.priority and not any(flags)


@dataclass(frozen=True)
class Colleague:
    username: str
    display_name: str
    role: str


def colleagues(session: Session, team: str, roles: tuple[str, ...]) -> list[Colleague]:
    """Active users of ``team`` with one of ``roles``: whom a coördinator may assign a task to."""
    query = (
        select(User)
        .where(User.team == team, User.role.in_(roles), User.active.is_(True))
        .order_by(User.display_name, User.username)
    )
    return [Colleague(u.username, u.display_name or u.username, u.role) for u in session.scalars(query)]


def user_in_team(session: Session, username: str, team: str, roles: tuple[str, ...]) -> bool:
    return any(c.username == username for c in colleagues(session, team, roles))


def record_access(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    object_type: str,
    object_id: str,
    allowed: bool,
    origin: str,
    now: datetime,
) -> None:
    """One audit line for a read or change of personal data (PROCEDURE.md, "Audit line"): a plain INSERT."""
    line = {"at": now, "actor": actor, "role": role, "action": action, "object_type": object_type}
    result = "allowed" if allowed else "denied"
    session.execute(
        insert(_ACCESS_LOG), {**line, "object_id": object_id[:100], "result": result, "origin": origin[:200]}
    )
