"""Small helpers shared by the engine tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from engine.bundles import DeployResult
from engine.clock import ManualClock
from engine.models import Case, CaseEvent, HumanTask, MessageIn, Outbox
from engine.service import Engine

from .conftest import BUNDLES


def deploy(engine: Engine, name: str) -> DeployResult:
    bundle = engine.read_bundle([BUNDLES / name])
    return engine.run(lambda s: engine.deploy(s, bundle, actor="tester"))


def start_aanvraag(engine: Engine, key: str = "A-1", **payload: Any) -> int:
    body = {"naam": "Jansen", "einddatum": "2027-01-29", **payload}
    result = engine.run(lambda s: engine.start_case(s, "aanvraag", "essent", key, body, actor="essent"))
    return result.case_id


def case(engine: Engine, case_id: int) -> Case:
    with engine.database.reading() as s:
        row = s.get(Case, case_id, options=[selectinload(Case.stored)])
        assert row is not None
        s.expunge_all()
        return row


def open_tasks(engine: Engine, case_id: int) -> list[HumanTask]:
    with engine.database.reading() as s:
        rows = list(s.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.state == "open")))
        s.expunge_all()
        return rows


def only_task(engine: Engine, case_id: int) -> HumanTask:
    tasks = open_tasks(engine, case_id)
    assert len(tasks) == 1, [t.element_id for t in tasks]
    return tasks[0]


def outbox(engine: Engine, case_id: int | None = None) -> list[Outbox]:
    with engine.database.reading() as s:
        query = select(Outbox).order_by(Outbox.id)
        if case_id is not None:
            query = query.where(Outbox.case_id == case_id)
        rows = list(s.scalars(query))
        s.expunge_all()
        return rows


def events(engine: Engine, case_id: int) -> list[str]:
    with engine.database.reading() as s:
        query = select(CaseEvent.action).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        return list(s.scalars(query))


def messages(engine: Engine) -> list[MessageIn]:
    with engine.database.reading() as s:
        rows = list(s.scalars(select(MessageIn).order_by(MessageIn.id)))
        s.expunge_all()
        return rows


def count(engine: Engine, model: type) -> int:
    with engine.database.reading() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def advance(clock: ManualClock, **delta: float) -> None:
    clock.advance(timedelta(**delta))


def record_completions(engine: Engine, monkeypatch: Any) -> list[dict[str, Any]]:
    """The data every task completion hands to the engine, in order; the real ``complete_task`` still runs."""
    completed: list[dict[str, Any]] = []
    complete_task = engine.complete_task

    def recording(session: Any, task_id: str, data: dict[str, Any], actor: str) -> Any:
        completed.append(data)
        return complete_task(session, task_id, data, actor)

    monkeypatch.setattr(engine, "complete_task", recording)
    return completed
