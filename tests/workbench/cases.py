"""Starting and working cases of the workbench's test process ``wijziging`` (shared by the engine-side tests)."""

from __future__ import annotations

from engine.service import Engine

from ..helpers import only_task


def start(engine: Engine, key: str) -> int:
    result = engine.run(lambda s: engine.start_case(s, "wijziging", "essent", key, {"naam": "Jansen"}, actor="t"))
    return result.case_id


def complete(engine: Engine, case_id: int, data: dict[str, object]) -> None:
    task = only_task(engine, case_id)
    engine.run(lambda s: engine.complete_task(s, task.id, data, actor="casemanager"))
