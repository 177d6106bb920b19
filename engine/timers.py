"""The timer sweep: fire the due timers of due cases, one case per transaction.

Cost follows the number of due cases (an index on ``(status, next_timer_at)``), never the number of open ones.
On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` lets several workers sweep at once without firing one timer twice; on
SQLite the write lock serialises them. A case whose timer script fails goes to the error state and is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import CaseScriptError, InvalidState
from .models import RUNNING, Case


@dataclass
class SweepResult:
    fired: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def claim_due_case(session: Session, now: datetime, skip: set[int]) -> Case | None:
    """Lock and return one case with a due timer (strictly before ``now``, as SpiffWorkflow compares)."""
    query = (
        select(Case)
        .where(Case.status == RUNNING, Case.next_timer_at < now)
        .order_by(Case.next_timer_at)
        .limit(1)
        .with_for_update(skip_locked=True, of=Case)
    )
    if skip:
        query = query.where(Case.id.not_in(skip))
    return session.scalars(query).first()


def sweep(
    run_in_transaction: Callable[[Callable[[Session], str | None]], str | None],
    fire: Callable[[Session, int], object],
    now: Callable[[], datetime],
    limit: int = 1000,
) -> SweepResult:
    """Fire due timers until none are due (or ``limit`` cases); each case in its own transaction.

    "Due" is judged anew for every case, so a timer that falls due while a long sweep runs is fired by that sweep,
    not one tick after it. A case is fired at most once per sweep (a timer re-armed into the past waits for the
    next tick), so a sweep always ends."""
    result = SweepResult()
    seen: set[int] = set()
    while len(seen) < limit:
        picked: list[int] = []
        try:
            reference = run_in_transaction(partial(_fire_next, moment=now(), seen=seen, picked=picked, fire=fire))
        except (CaseScriptError, InvalidState):
            result.failed.append(str(picked[0]) if picked else "?")
            continue
        if reference is None:
            break
        result.fired.append(reference)
    return result


def _fire_next(
    session: Session, moment: datetime, seen: set[int], picked: list[int], fire: Callable[[Session, int], object]
) -> str | None:
    case = claim_due_case(session, moment, seen)
    if case is None:
        return None
    picked.append(case.id)
    seen.add(case.id)
    fire(session, case.id)
    return case.reference
