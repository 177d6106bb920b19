"""The heatmap of a version: per BPMN element how many of its cases passed it, and for user tasks how long
they stayed there.

- **Passed** counts the cases whose path (``case.path``: the element ids of every finished task, in order of
  first visit) holds the element: a case that passed an element twice counts once; a case waiting at a user
  task has not passed it yet and counts under **open now** (its open ``human_task`` rows).
- **Time** exists only for user tasks: the median of ``finished_at - created_at`` of their completed
  ``human_task`` rows (from becoming ready to being completed; tasks cancelled by a timer or a closed case are
  left out). Other elements are passed in one engine step or wait for an event nobody records a start for, so
  they get a count and no time.
- A case counts on the version it is on now: a case moved to a newer version brings its path and its task
  times along.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Case, HumanTask, ProcessVersion

if TYPE_CHECKING:
    from ..service import Engine


@dataclass(frozen=True)
class ElementHeat:
    element_id: str
    name: str
    user_task: bool
    passed: int
    open_now: int
    median_seconds: float | None
    measured: int


@dataclass(frozen=True)
class Heatmap:
    process_id: str
    number: int
    cases: int
    elements: list[ElementHeat]

    @property
    def busiest(self) -> int:
        return max((e.passed + e.open_now for e in self.elements), default=0)


def heatmap(engine: Engine, session: Session, process_id: str, number: int) -> Heatmap:
    version = _version(session, process_id, number)
    passed, cases = _passed(session, version.id)
    open_now = _open_tasks(session, version.id)
    durations = _durations(session, version.id)
    elements = [_heat(spec, passed, open_now, durations) for spec in _element_specs(engine.specs.get(version))]
    elements.sort(key=lambda e: (-(e.passed + e.open_now), e.element_id))
    return Heatmap(process_id, number, cases, elements)


def _version(session: Session, process_id: str, number: int) -> ProcessVersion:
    query = select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.number == number)
    version = session.scalar(query)
    if version is None:
        raise NotFound(f"Proces {process_id} heeft geen versie {number}.")
    return version


def _passed(session: Session, version_id: int) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    cases = 0
    rows = session.scalars(
        select(Case.path).where(Case.process_version_id == version_id).execution_options(yield_per=1000)
    )
    for path in rows:
        cases += 1
        counts.update(set(path or []))
    return counts, cases


def _open_tasks(session: Session, version_id: int) -> Counter[str]:
    query = (
        select(HumanTask.element_id, func.count())
        .join(Case, Case.id == HumanTask.case_id)
        .where(Case.process_version_id == version_id, HumanTask.state == "open")
        .group_by(HumanTask.element_id)
    )
    return Counter({element: int(n) for element, n in session.execute(query).all()})


def _durations(session: Session, version_id: int) -> dict[str, list[float]]:
    query = (
        select(HumanTask.element_id, HumanTask.created_at, HumanTask.finished_at)
        .join(Case, Case.id == HumanTask.case_id)
        .where(Case.process_version_id == version_id, HumanTask.state == "completed")
    )
    found: dict[str, list[float]] = defaultdict(list)
    for element, created, finished in session.execute(query.execution_options(yield_per=1000)):
        if finished is not None:
            found[element].append((finished - created).total_seconds())
    return found


def _element_specs(parsed: Any) -> list[Any]:
    """One task spec per BPMN element of the version (the main process and the processes it calls)."""
    seen: dict[str, Any] = {}
    for process in [parsed.spec, *(s for s in parsed.subprocess_specs.values() if s is not None)]:
        for spec in process.task_specs.values():
            element = getattr(spec, "bpmn_id", None)
            if element and element not in seen:
                seen[element] = spec
    return list(seen.values())


def _heat(spec: Any, passed: Counter[str], open_now: Counter[str], durations: dict[str, list[float]]) -> ElementHeat:
    element = str(spec.bpmn_id)
    times = durations.get(element, [])
    user_task = bool(getattr(spec, "manual", False))
    return ElementHeat(
        element_id=element,
        name=str(spec.bpmn_name or element),
        user_task=user_task,
        passed=passed.get(element, 0),
        open_now=open_now.get(element, 0),
        median_seconds=statistics.median(times) if user_task and times else None,
        measured=len(times) if user_task else 0,
    )
