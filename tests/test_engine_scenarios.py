"""Scenario tests: small BPMN bundles driven through the engine, live and through save/restore, on every backend.

Time moves only through the manual clock. Each test asserts tasks, deadlines, messages and outcomes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine import timers
from engine.clock import ManualClock
from engine.errors import Conflict, DataInvalid, InvalidState, NotFound
from engine.models import Case, ProcessVersion
from engine.service import Engine

from .helpers import (
    advance,
    case,
    count,
    deploy,
    events,
    messages,
    only_task,
    open_tasks,
    outbox,
    start_aanvraag,
)

VALID = {"akkoord": True, "toelichting": "Alles in orde"}


def test_deploy_is_idempotent_by_content(engine: Engine) -> None:
    first = deploy(engine, "aanvraag")
    again = deploy(engine, "aanvraag")
    assert first.created and not again.created
    assert (again.version_id, again.number) == (first.version_id, 1)
    assert count(engine, ProcessVersion) == 1


def test_start_projects_the_user_task_with_its_deadline(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    stored = case(engine, case_id)
    assert stored.reference == f"VN-2026-{case_id:06d}"
    assert (stored.status, stored.team, stored.planned_end_date.isoformat()) == (
        "running",
        "venlo",
        "2027-01-29",
    )
    task = only_task(engine, case_id)
    assert (task.element_id, task.title, task.lane) == ("beoordelen", "Aanvraag beoordelen", "casemanager")
    assert (task.form, task.ui_form) == ("beoordelen.schema.json", "beoordelen.uischema.json")
    assert task.instructions == "Beoordeel de aanvraag van **{{ naam }}**."
    # the earliest boundary timer is the reminder after one working day, 17:00 Amsterdam
    assert task.due_at == datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
    assert stored.next_timer_at == task.due_at
    sent = outbox(engine, case_id)
    assert [(m.name, m.recipient, m.payload) for m in sent] == [
        ("ontvangen", "essent", {"status": "ontvangen", "naam": "Jansen"})
    ]
    assert events(engine, case_id) == ["case_started", "message_sent"]


def test_the_same_notice_twice_is_one_case_and_other_content_conflicts(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    first = start_aanvraag(engine, key="K")
    assert start_aanvraag(engine, key="K") == first
    with pytest.raises(Conflict):
        start_aanvraag(engine, key="K", naam="Pietersen")
    assert count(engine, Case) == 1


def test_start_with_an_unknown_message_is_refused(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    with pytest.raises(NotFound):
        engine.run(lambda s: engine.start_case(s, "onbekend", "essent", "X", {}, actor="essent"))
    assert count(engine, Case) == 0


def test_invalid_task_data_gives_field_errors_and_changes_nothing(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    task = only_task(engine, case_id)
    before = case(engine, case_id)
    with pytest.raises(DataInvalid) as raised:
        engine.run(lambda s: engine.complete_task(s, task.id, {"akkoord": "ja", "bedrag": -1, "x": 1}, "cm1"))
    errors = {(e.path, e.validator) for e in raised.value.errors}
    assert errors == {
        ("akkoord", "type"),
        ("toelichting", "required"),
        ("bedrag", "minimum"),
        ("x", "additionalProperties"),
    }
    assert {e.path: e.message for e in raised.value.errors}["toelichting"] == "Dit veld is verplicht."
    after = case(engine, case_id)
    assert (after.lock_version, after.state) == (before.lock_version, before.state)
    assert only_task(engine, case_id).id == task.id


def test_approve_then_wait_for_confirmation_then_complete(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine, key="B-7")
    task = only_task(engine, case_id)
    engine.run(lambda s: engine.complete_task(s, task.id, VALID, "cm1"))
    assert open_tasks(engine, case_id) == []
    assert case(engine, case_id).next_timer_at is None  # the task's timers went with it
    result = engine.run(
        lambda s: engine.deliver_message(
            s, "bevestiging", "essent", "m-1", {"door": "Essent"}, "essent", business_key="B-7"
        )
    )
    assert (result.state, result.created) == ("delivered", True)
    done = case(engine, case_id)
    assert (done.status, done.outcome) == ("completed", "akkoord")
    assert done.closed_at is not None
    assert events(engine, case_id)[-3:] == [
        "message_delivered",
        "task_completed",
        "case_completed",
    ] or "case_completed" in events(engine, case_id)


def test_rejection_ends_with_the_default_flow(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    task = only_task(engine, case_id)
    engine.run(lambda s: engine.complete_task(s, task.id, {"akkoord": False, "toelichting": "Niet nodig"}, "cm1"))
    assert (case(engine, case_id).status, case(engine, case_id).outcome) == ("completed", "afgewezen")


def test_a_message_nobody_waits_for_is_kept_and_delivered_once_awaited(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine, key="Q")
    early = engine.run(
        lambda s: engine.deliver_message(
            s, "bevestiging", "essent", "m-9", {"door": "Essent"}, "essent", business_key="Q"
        )
    )
    assert early.state == "unmatched"
    assert "wacht nu niet" in early.detail
    again = engine.run(
        lambda s: engine.deliver_message(
            s, "bevestiging", "essent", "m-9", {"door": "Essent"}, "essent", business_key="Q"
        )
    )
    assert (again.message_id, again.created) == (early.message_id, False)
    with pytest.raises(Conflict):
        engine.run(
            lambda s: engine.deliver_message(
                s, "bevestiging", "essent", "m-9", {"door": "X"}, "essent", business_key="Q"
            )
        )
    task = only_task(engine, case_id)
    engine.run(lambda s: engine.complete_task(s, task.id, VALID, "cm1"))
    assert [m.state for m in messages(engine)] == ["delivered"]
    assert (case(engine, case_id).status, case(engine, case_id).outcome) == ("completed", "akkoord")


def test_a_message_for_no_case_is_kept_unmatched(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    result = engine.run(
        lambda s: engine.deliver_message(s, "bevestiging", "essent", "m-1", {}, "essent", business_key="nope")
    )
    assert result.state == "unmatched"
    assert result.detail == "Geen zaak gevonden bij dit bericht."
    assert [m.state for m in messages(engine)] == ["unmatched"]


def test_reminder_escalates_without_stopping_the_task(engine: Engine, clock: ManualClock) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    assert engine.run_due_timers().fired == []
    clock.set(datetime(2026, 12, 8, 16, 0, 1, tzinfo=UTC))
    swept = engine.run_due_timers()
    assert swept.fired == [case(engine, case_id).reference]
    task = only_task(engine, case_id)
    assert task.escalation_level == 1
    assert task.due_at == datetime(2026, 12, 10, 16, 0, tzinfo=UTC)  # now the hard deadline
    assert [m.name for m in outbox(engine, case_id)] == ["ontvangen", "intern_escalatie"]
    assert engine.run_due_timers().fired == []


def test_deadline_cancels_the_task_and_closes_the_case(engine: Engine, clock: ManualClock) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    clock.set(datetime(2026, 12, 8, 17, 0, tzinfo=UTC))
    engine.run_due_timers()
    clock.set(datetime(2026, 12, 10, 16, 0, 1, tzinfo=UTC))
    engine.run_due_timers()
    closed = case(engine, case_id)
    assert (closed.status, closed.outcome, closed.next_timer_at) == ("completed", "verlopen", None)
    assert open_tasks(engine, case_id) == []


def test_missed_timers_after_downtime_fire_once(engine: Engine, clock: ManualClock) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    advance(clock, days=30)
    first = engine.run_due_timers()
    assert len(first.fired) == 1
    assert [m.name for m in outbox(engine, case_id)].count("intern_escalatie") == 1
    assert case(engine, case_id).outcome == "verlopen"
    assert engine.run_due_timers().fired == []


def test_a_timer_that_falls_due_during_a_sweep_is_fired_by_that_sweep(engine: Engine, clock: ManualClock) -> None:
    deploy(engine, "aanvraag")
    first = start_aanvraag(engine, key="S-1")
    advance(clock, days=1)
    second = start_aanvraag(engine, key="S-2")
    due = [case(engine, case_id).next_timer_at for case_id in (first, second)]
    assert due[0] is not None and due[1] is not None and due[0] < due[1]
    clock.set(due[0] + timedelta(seconds=1))

    def now() -> datetime:  # a slow sweep: by the time it looks for the next case, the second timer is due too
        moment = clock.now()
        clock.set(due[1] + timedelta(seconds=1))
        return moment

    swept = timers.sweep(engine.run, engine.cases.fire_timers, now)
    assert swept.fired == [case(engine, first).reference, case(engine, second).reference]


def test_suspended_cases_keep_their_timers_until_resumed(engine: Engine, clock: ManualClock) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    engine.run(lambda s: engine.cases.suspend(s, case_id, "coord", "navraag"))
    task = only_task(engine, case_id)
    with pytest.raises(InvalidState):
        engine.run(lambda s: engine.complete_task(s, task.id, VALID, "cm1"))
    advance(clock, days=2)
    assert engine.run_due_timers().fired == []
    engine.run(lambda s: engine.cases.resume(s, case_id, "coord"))
    assert len(engine.run_due_timers().fired) == 1
    assert only_task(engine, case_id).escalation_level == 1


def test_cancel_closes_tasks_timers_and_waiting(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    engine.run(lambda s: engine.cases.cancel(s, case_id, "coord", "dubbel"))
    cancelled = case(engine, case_id)
    assert (cancelled.status, cancelled.next_timer_at) == ("cancelled", None)
    assert open_tasks(engine, case_id) == []
    with pytest.raises(InvalidState):
        engine.run(lambda s: engine.cases.cancel(s, case_id, "coord"))
    assert events(engine, case_id)[-1] == "case_cancelled"


def test_completing_a_task_twice_gives_a_conflict(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    task = only_task(engine, case_id)
    engine.run(lambda s: engine.complete_task(s, task.id, {"akkoord": False, "toelichting": "Nee dus"}, "cm1"))
    with pytest.raises(Conflict, match="al afgehandeld door cm1"):
        engine.run(lambda s: engine.complete_task(s, task.id, VALID, "cm2"))


def test_running_cases_stay_on_their_version(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    old_case = start_aanvraag(engine, key="old")
    bundle = engine.read_bundle([__import__("tests.conftest").conftest.BUNDLES / "aanvraag"])
    files = dict(bundle.files)
    files["aanvraag.bpmn"] = files["aanvraag.bpmn"].replace('name="Aanvraag beoordelen"', 'name="Aanvraag toetsen"')
    new = engine.run(lambda s: engine.deploy(s, type(bundle)(files), actor="po", note="nieuwe naam"))
    assert (new.created, new.number) == (True, 2)
    new_case = start_aanvraag(engine, key="new")
    assert only_task(engine, new_case).title == "Aanvraag toetsen"
    assert only_task(engine, old_case).title == "Aanvraag beoordelen"
    task = only_task(engine, old_case)
    engine.run(lambda s: engine.complete_task(s, task.id, {"akkoord": False, "toelichting": "Oud pad"}, "cm1"))
    assert case(engine, old_case).process_version_id != case(engine, new_case).process_version_id


def test_claim_unclaim_and_assign(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    task = only_task(engine, start_aanvraag(engine))
    engine.run(lambda s: engine.claim(s, task.id, "anna"))
    with pytest.raises(Conflict, match="opgepakt door anna"):
        engine.run(lambda s: engine.claim(s, task.id, "bram"))
    with pytest.raises(Conflict):
        engine.run(lambda s: engine.unclaim(s, task.id, "bram"))
    engine.run(lambda s: engine.unclaim(s, task.id, "anna"))
    engine.run(lambda s: engine.assign(s, task.id, "bram", "coord", expected=None))
    with pytest.raises(Conflict, match="toegewezen aan bram"):
        engine.run(lambda s: engine.assign(s, task.id, "carla", "coord", expected=None))
    engine.run(lambda s: engine.assign(s, task.id, "carla", "coord", expected="bram"))
    assert only_task(engine, task.case_id).assignee == "carla"
    engine.run(lambda s: engine.save_draft(s, task.id, {"toelichting": "half"}, "carla"))
    assert only_task(engine, task.case_id).draft == {"toelichting": "half"}


def test_dmn_decides_priority(engine: Engine) -> None:
    deploy(engine, "besluit")

    def start(key: str, **payload: object) -> Case:
        result = engine.run(lambda s: engine.start_case(s, "verzoek", "essent", key, payload, "essent"))
        return case(engine, result.case_id)

    assert start("a", einddatum="2026-12-14").priority == "P1"  # 5 wd
    assert start("b", einddatum="2026-12-21").priority == "P2"  # 10 wd
    assert start("c", einddatum="2027-03-01").priority == "P3"
    assert start("d", einddatum="2027-03-01", medisch=True).priority == "P1"


def test_moving_the_end_date_rearms_the_deadline_without_restarting_the_task(
    engine: Engine, clock: ManualClock
) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    task = only_task(engine, case_id)
    engine.run(lambda s: engine.claim(s, task.id, "anna"))
    clock.set(datetime(2026, 12, 8, 17, 0, tzinfo=UTC))
    engine.run_due_timers()  # the reminder fired: the task's deadline is now the hard one, 10 Dec
    assert only_task(engine, case_id).due_at == datetime(2026, 12, 10, 16, 0, tzinfo=UTC)
    # D moves to Friday 11 Dec: D - 2 wd = Wed 9 Dec is now earlier than T0 + 3 wd
    engine.run(
        lambda s: engine.cases.update_data(s, case_id, {"geplande_einddatum": "2026-12-11"}, "essent", "D verschoven")
    )
    moved = only_task(engine, case_id)
    assert (moved.id, moved.assignee) == (task.id, "anna")
    assert moved.due_at == datetime(2026, 12, 9, 16, 0, tzinfo=UTC)
    assert case(engine, case_id).planned_end_date.isoformat() == "2026-12-11"
    clock.set(datetime(2026, 12, 9, 16, 0, 1, tzinfo=UTC))
    engine.run_due_timers()
    assert case(engine, case_id).outcome == "verlopen"


def test_the_path_taken_is_kept_on_the_case(engine: Engine) -> None:
    deploy(engine, "aanvraag")
    case_id = start_aanvraag(engine)
    assert case(engine, case_id).path[:3] == ["start", "registreren", "bevestigen"]
    task = only_task(engine, case_id)
    engine.run(lambda s: engine.complete_task(s, task.id, {"akkoord": False, "toelichting": "Nee dus"}, "cm1"))
    path = case(engine, case_id).path
    assert path[-4:] == ["beoordelen", "besluit", "afwijzen", "einde_afgewezen"]
    assert "wacht_bevestiging" not in path
