"""The compatibility report and moving running cases to the newest version, on the two-version test bundle
``werkbank`` (v1: intake, assessment, check; v2 drops the check, asks the intake for a phone number, renames the
assessment and records the outcome with a script) and on ``aanvraag`` with only a changed label: a moved case
really runs on."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine import CaseScriptError, DataInvalid, InvalidState
from engine.bundle_files import BundleFiles
from engine.models import AccessLog, Case, CaseEvent
from engine.service import Engine
from engine.workbench import migrate_all, migrate_case, report

from ..conftest import BUNDLES
from ..helpers import case, deploy, only_task, start_aanvraag
from .cases import complete, start

ACTOR, ROLE = "procesbeheerder", "procesbeheerder"


@pytest.fixture
def two(wb_engine: Engine) -> Engine:
    deploy(wb_engine, "werkbank/v1")
    return wb_engine


def cases_at_each_step(engine: Engine) -> dict[str, int]:
    at = {name: start(engine, name) for name in ("intake", "beoordelen", "controleren", "gepauzeerd", "klaar")}
    for name in ("beoordelen", "controleren", "klaar"):
        complete(engine, at[name], {"akkoord": True})
    for name in ("controleren", "klaar"):
        complete(engine, at[name], {"besluit": "toekennen"})
    complete(engine, at["klaar"], {})
    engine.run(lambda s: engine.cases.suspend(s, at["gepauzeerd"], "coordinator", "wacht"))
    return at


def test_the_report_says_per_open_case_whether_it_can_move_and_why_not(two: Engine) -> None:
    at = cases_at_each_step(two)
    deploy(two, "werkbank/v2")
    late = start(two, "op-versie-2")
    with two.database.reading() as s:
        found = report(two, s, "wijziging")
    assert found.target == 2
    by_id = {fit.case_id: fit for fit in found.cases}
    assert set(by_id) == {at["intake"], at["controleren"], at["beoordelen"], at["gepauzeerd"]}  # not closed, not v2
    assert late not in by_id
    assert [by_id[at[n]].movable for n in ("intake", "gepauzeerd", "controleren", "beoordelen")] == [
        True,
        True,
        False,
        False,
    ]
    assert by_id[at["controleren"]].reasons == (
        "Versie 2 mist onderdelen waar deze zaak al is geweest of nu staat: controleren.",
    )
    assert by_id[at["beoordelen"]].reasons == (
        "Het formulier van 'Intake' vraagt in de nieuwe versie om 'telefoon'; dat gegeven heeft de zaak niet.",
    )
    assert (by_id[at["gepauzeerd"]].status, by_id[at["gepauzeerd"]].version) == ("suspended", 1)


def test_a_moved_case_runs_on_the_new_version(two: Engine) -> None:
    moved = start(two, "K-1")
    deploy(two, "werkbank/v2")
    with two.database.reading() as s:
        target = report(two, s, "wijziging").target_id
    result = two.run(lambda s: migrate_case(two, s, moved, target, ACTOR, ROLE))
    assert (result.moved, result.from_version, result.to_version) == (True, 1, 2)
    assert case(two, moved).version.number == 2
    with pytest.raises(DataInvalid) as invalid:  # the intake's form is the new version's now
        complete(two, moved, {"akkoord": True})
    assert [e.path for e in invalid.value.errors] == ["telefoon"]
    complete(two, moved, {"akkoord": True, "telefoon": "0612345678"})
    task = only_task(two, moved)
    assert (task.element_id, task.title) == ("beoordelen", "Grondig beoordelen")
    complete(two, moved, {"besluit": "toekennen"})
    done = case(two, moved)  # v1 would now ask 'Controleren'; v2's script records the outcome and ends
    assert (done.status, done.outcome) == ("completed", "toekennen (0612345678)")


def test_a_migration_is_an_event_and_an_audit_line(two: Engine) -> None:
    moved = start(two, "K-1")
    deploy(two, "werkbank/v2")
    with two.database.reading() as s:
        target = report(two, s, "wijziging").target_id
    two.run(lambda s: migrate_case(two, s, moved, target, ACTOR, ROLE))
    with two.database.reading() as s:
        event = s.scalars(select(CaseEvent).where(CaseEvent.action == "case_migrated")).one()
        audit = s.scalars(select(AccessLog).where(AccessLog.action == "case_migrated")).one()
        reference = s.scalars(select(Case.reference).where(Case.id == moved)).one()
    assert (event.case_id, event.actor, event.details) == (moved, ACTOR, {"from_version": 1, "to_version": 2})
    assert (audit.actor, audit.role, audit.object_id, audit.result) == (ACTOR, ROLE, reference, "allowed")
    with pytest.raises(InvalidState, match="loopt al op versie 2"):  # a second move (another tab) changes nothing
        two.run(lambda s: migrate_case(two, s, moved, target, ACTOR, ROLE))


def test_migrate_all_moves_the_movable_cases_each_on_its_own(two: Engine) -> None:
    at = cases_at_each_step(two)
    deploy(two, "werkbank/v2")
    results = migrate_all(two, two.run, "wijziging", 2, ACTOR, ROLE)
    assert sorted((r.reference, r.moved) for r in results) == sorted(
        (case(two, at[n]).reference, True) for n in ("intake", "gepauzeerd")
    )
    assert [case(two, at[n]).version.number for n in ("intake", "gepauzeerd", "controleren", "beoordelen")] == [
        2,
        2,
        1,
        1,
    ]
    paused = case(two, at["gepauzeerd"])
    assert paused.status == "suspended" and only_task(two, paused.id).element_id == "intake"  # its task stayed open
    with two.database.reading() as s:
        assert report(two, s, "wijziging").movable == []


def test_a_case_that_does_not_fit_is_refused_and_unchanged(two: Engine) -> None:
    at = cases_at_each_step(two)
    deploy(two, "werkbank/v2")
    before = case(two, at["controleren"])
    with two.database.reading() as s:
        target = report(two, s, "wijziging").target_id
    with pytest.raises(InvalidState, match=r"mist onderdelen .*: controleren"):
        two.run(lambda s: migrate_case(two, s, at["controleren"], target, ACTOR, ROLE))
    after = case(two, at["controleren"])
    assert (after.version.number, after.state, after.lock_version) == (1, before.state, before.lock_version)
    with pytest.raises(InvalidState, match="intussen versie 2"):
        migrate_all(two, two.run, "wijziging", 1, ACTOR, ROLE)  # confirmed for an older newest version


def test_a_case_moved_to_a_version_with_only_a_new_label_keeps_its_task_tree(wb_engine: Engine) -> None:
    """aanvraag has boundary timers on its user task: the predicted future comes back the same."""
    running = start_aanvraag(wb_engine, "A-1")
    before = case(wb_engine, running)
    task_before = only_task(wb_engine, running)
    bundle = wb_engine.read_bundle([BUNDLES / "aanvraag"])
    files = dict(bundle.files)
    files["aanvraag.bpmn"] = files["aanvraag.bpmn"].replace('name="Aanvraag beoordelen"', 'name="Nu beoordelen"')
    new = wb_engine.run(lambda s: wb_engine.deploy(s, BundleFiles(files), actor="tester"))
    wb_engine.run(lambda s: migrate_case(wb_engine, s, running, new.version_id, ACTOR, ROLE))
    after = case(wb_engine, running)
    assert tree(after.state) == tree(before.state)
    assert after.next_timer_at == before.next_timer_at and after.waiting_messages == before.waiting_messages
    task = only_task(wb_engine, running)
    assert (task.id, task.title, task.due_at) == (task_before.id, "Nu beoordelen", task_before.due_at)
    wb_engine.run(
        lambda s: wb_engine.complete_task(s, task.id, {"akkoord": False, "toelichting": "Niet nodig"}, actor="cm")
    )
    assert (case(wb_engine, running).status, case(wb_engine, running).outcome) == ("completed", "afgewezen")


def tree(state: str) -> list[tuple[str, int, int]]:
    """(spec, state, number of children) of every task: the shape of the tree, ids aside."""
    tasks = json.loads(state)["tasks"].values()
    return sorted((t["task_spec"], t["state"], len(t["children"])) for t in tasks)


def test_a_failed_case_moves_and_is_retried_on_the_fixed_version(wb_engine: Engine) -> None:
    deploy(wb_engine, "fout")
    failed = wb_engine.run(lambda s: wb_engine.start_case(s, "opdracht", "test", "F-1", {}, "test")).case_id
    task = only_task(wb_engine, failed)
    with pytest.raises(CaseScriptError):
        wb_engine.run(lambda s: wb_engine.complete_task(s, task.id, {"deler": 0}, "cm"), actor="cm")
    assert case(wb_engine, failed).status == "error"
    files = dict(wb_engine.read_bundle([BUNDLES / "fout"]).files)
    files["fout.bpmn"] = files["fout.bpmn"].replace(
        "uitkomst = str(teller / deler)", 'uitkomst = str(teller / deler) if deler else "geen deler"'
    )
    fixed = wb_engine.run(lambda s: wb_engine.deploy(s, BundleFiles(files), actor="tester"))
    with wb_engine.database.reading() as s:
        [fit] = report(wb_engine, s, "fout").cases
    assert (fit.status, fit.movable) == ("error", True)
    [moved] = migrate_all(wb_engine, wb_engine.run, "fout", fixed.number, ACTOR, ROLE)
    assert moved.moved and case(wb_engine, failed).status == "error"  # moving does not clear the error
    wb_engine.run(lambda s: wb_engine.cases.retry(s, failed, "beheerder"))
    wb_engine.run(lambda s: wb_engine.complete_task(s, task.id, {"deler": 0}, "cm"), actor="cm")
    done = case(wb_engine, failed)
    assert (done.status, done.version.number, done.outcome) == ("completed", 2, "geen deler")
