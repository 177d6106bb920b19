"""Loop-back diagrams: 2 000 iterations survive, and the stored state stays small (history is pruned)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine.service import Engine

from .helpers import case, deploy, only_task

ITERATIONS = 2000


def start_loop(engine: Engine, rounds: int = 0) -> int:
    payload: dict[str, Any] = {"rondes": rounds}
    return engine.run(lambda s: engine.start_case(s, "lus", "test", "loop", payload, "test")).case_id


def step(engine: Engine, case_id: int, again: bool) -> None:
    task = only_task(engine, case_id)
    assert task.element_id == "stap"
    engine.run(lambda s: engine.complete_task(s, task.id, {"doorgaan": again}, "test"))


@pytest.mark.slow
def test_a_user_task_loop_survives_2000_iterations_with_bounded_state(engine: Engine) -> None:
    deploy(engine, "lus")
    case_id = start_loop(engine)
    sizes = {}
    for iteration in range(1, ITERATIONS + 1):
        step(engine, case_id, again=True)
        if iteration in (10, ITERATIONS):
            sizes[iteration] = len(case(engine, case_id).state)
    step(engine, case_id, again=False)
    assert case(engine, case_id).status == "completed"
    assert sizes[ITERATIONS] <= sizes[10] * 1.2, sizes


def test_an_automatic_loop_of_2000_rounds_runs_in_one_step(engine: Engine) -> None:
    deploy(engine, "lus")
    case_id = start_loop(engine, rounds=ITERATIONS)
    task = only_task(engine, case_id)  # the user task after the loop was found: the tree stayed shallow
    assert task.element_id == "stap"
    assert len(case(engine, case_id).state) < 20_000
    engine.run(lambda s: engine.complete_task(s, task.id, {"doorgaan": False}, "test"))
    assert case(engine, case_id).status == "completed"


def test_finished_subprocesses_leave_the_stored_state(engine: Engine) -> None:
    """Each round of the loop runs the embedded subprocess afresh. SpiffWorkflow keeps every finished one (and
    walks it in every task query); once its data is back with the caller, it goes: the state stays flat."""
    deploy(engine, "lus_deelproces")
    case_id = engine.run(lambda s: engine.start_case(s, "lus_deelproces", "test", "sub", {}, "test")).case_id
    sizes = {}
    for iteration in range(1, 31):
        task = only_task(engine, case_id)
        assert task.element_id == "stap"
        engine.run(lambda s, t=task.id: engine.complete_task(s, t, {"doorgaan": True}, "test"))
        if iteration in (3, 30):
            sizes[iteration] = len(case(engine, case_id).state)
    task = only_task(engine, case_id)
    engine.run(lambda s: engine.complete_task(s, task.id, {"doorgaan": False}, "test"))
    last = only_task(engine, case_id)
    assert last.element_id == "afronden"  # the subprocess's data reached the caller: 'doorgaan' decided
    stored = json.loads(case(engine, case_id).state)
    assert len(stored["subprocesses"]) == 0
    assert sizes[30] <= sizes[3] * 1.1, sizes
    engine.run(lambda s: engine.complete_task(s, last.id, {}, "test"))
    finished = case(engine, case_id)
    assert finished.status == "completed"
    assert {"stap", "tellen", "ronde", "afronden"} <= set(finished.path)  # the path still shows what was walked
