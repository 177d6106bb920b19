"""Failing scripts: the case goes to an error state with element id and line, stored data stays as it was, and an
operator can retry after deploying a fixed definition. Restored workflows are still sandboxed."""

from __future__ import annotations

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

from engine.bundle_files import BundleFiles
from engine.errors import CaseScriptError, InvalidState
from engine.sandbox import SandboxedScriptEngine
from engine.service import Engine
from engine.spiff_errors import translate

from .conftest import BUNDLES
from .helpers import case, deploy, events, only_task


def start(engine: Engine, key: str = "F-1") -> int:
    return engine.run(lambda s: engine.start_case(s, "opdracht", "test", key, {}, "test")).case_id


def complete(engine: Engine, task_id: str, deler: int) -> None:
    engine.run(lambda s: engine.complete_task(s, task_id, {"deler": deler}, "cm1"), actor="cm1")


def test_a_failing_script_leaves_the_case_as_it_was_in_an_error_state(engine: Engine) -> None:
    deploy(engine, "fout")
    case_id = start(engine)
    task = only_task(engine, case_id)
    before = case(engine, case_id)
    with pytest.raises(CaseScriptError) as raised:
        complete(engine, task.id, 0)
    failure = raised.value.failure
    assert (failure.element_id, failure.element_name, failure.line) == ("delen", "Delen", 4)
    assert "ZeroDivisionError" in failure.message
    failed = case(engine, case_id)
    assert failed.status == "error"
    assert failed.state == before.state
    assert failed.error is not None
    assert (failed.error["element_id"], failed.error["line"]) == ("delen", 4)
    assert only_task(engine, case_id).id == task.id  # the task is still open, its completion rolled back
    assert events(engine, case_id)[-1] == "case_failed"
    assert "task_completed" not in events(engine, case_id)


def test_retry_after_deploying_a_fixed_definition(engine: Engine) -> None:
    deploy(engine, "fout")
    case_id = start(engine)
    task = only_task(engine, case_id)
    with pytest.raises(CaseScriptError):
        complete(engine, task.id, 0)
    with pytest.raises(InvalidState):  # an errored case takes no work until an operator retries
        complete(engine, task.id, 5)
    files = dict(engine.read_bundle([BUNDLES / "fout"]).files)
    files["fout.bpmn"] = files["fout.bpmn"].replace("str(teller / deler)", 'str(teller / deler) if deler else "geen"')
    fixed = engine.run(lambda s: engine.deploy(s, BundleFiles(files), actor="po", note="delen door nul"))
    engine.run(lambda s: engine.cases.retry(s, case_id, "beheer", version_id=fixed.version_id))
    retried = case(engine, case_id)
    assert (retried.status, retried.error, retried.process_version_id) == ("running", None, fixed.version_id)
    complete(engine, only_task(engine, case_id).id, 0)
    assert (case(engine, case_id).status, case(engine, case_id).outcome) == ("completed", "geen")
    assert "case_retried" in events(engine, case_id)


def test_an_endless_loop_is_stopped_by_the_time_limit(engine: Engine) -> None:
    deploy(engine, "fout")
    case_id = start(engine)
    task = only_task(engine, case_id)
    with pytest.raises(CaseScriptError) as raised:
        complete(engine, task.id, -1)
    assert raised.value.failure.element_id == "delen"
    assert f"langer dan {engine.settings.script_time_limit_seconds:g} seconden" in raised.value.failure.message
    assert case(engine, case_id).status == "error"


def test_restored_workflows_run_in_the_sandbox(engine: Engine) -> None:
    deploy(engine, "fout")
    case_id = start(engine)
    stored = case(engine, case_id)
    with engine.database.reading() as s:
        from engine.models import Case

        row = s.get(Case, case_id)
        assert row is not None
        workflow = engine.runtime.restore(engine.specs.get(row.version), stored.state)
    assert isinstance(workflow.script_engine, SandboxedScriptEngine)
    assert workflow.script_engine is engine.script_engine
    with pytest.raises(WorkflowTaskException) as raised:
        workflow.script_engine.evaluate(workflow.task_tree, "().__class__.__base__.__subclasses__()")
    failure = translate(raised.value).failure
    assert "afgeschermd" in failure.message, failure.message
