"""Retention (step 12): a closed case's personal data goes once its period ends; the counts stay."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from engine import retention, worker
from engine.clock import ManualClock
from engine.models import AccessLog, Case, CaseEvent, HumanTask, MessageIn, Outbox
from engine.service import Engine

from .helpers import case
from .test_procedure_support import T0, Zaak, deploy

OUTSIDE = {"postcode": "6211AB", "huisnummer": 1, "toevoeging": "", "plaats": "Maastricht"}


def personal_traces(engine: Engine, case_id: int) -> list[str]:
    """Where the family's name still appears for this case: every table retention must clear."""
    found = []
    with engine.database.reading() as s:
        case = s.get(Case, case_id, options=[selectinload(Case.stored)])
        assert case is not None
        if "Jansen" in (case.family_name or "") or "Jansen" in case.state or "jansen" in (case.search_name or ""):
            found.append("case")
        rows = {
            "human_task": [
                str(t.instructions) + str(t.draft) for t in s.scalars(select(HumanTask).filter_by(case_id=case_id))
            ],
            "case_event": [str(e.details) for e in s.scalars(select(CaseEvent).filter_by(case_id=case_id))],
            "message_in": [str(m.payload) for m in s.scalars(select(MessageIn).filter_by(case_id=case_id))],
            "outbox": [str(o.payload) for o in s.scalars(select(Outbox).filter_by(case_id=case_id))],
        }
    found += [table for table, texts in rows.items() if any("Jansen" in t or "5911" in t for t in texts)]
    return found


def test_an_inadmissible_notice_is_anonymised_after_its_short_period(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, adres=OUTSIDE)
    closed = case(engine, zaak.id)
    assert closed.status == "completed" and closed.retain_until is not None
    assert closed.retain_until > T0 + timedelta(days=80)  # three months (termijnen.dmn), counted from closing
    clock.set(datetime.combine(closed.retain_until, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12))
    assert retention.run(engine).anonymised == []  # the last day of the period: still kept
    clock.advance(timedelta(days=1))
    assert retention.run(engine).anonymised == [closed.reference]
    after = case(engine, zaak.id)
    assert (after.state, after.family_name, after.postcode) == ("", None, None)
    assert (after.status, after.outcome, after.created_at, after.closed_at) == (
        closed.status,
        closed.outcome,
        closed.created_at,
        closed.closed_at,
    )
    assert retention.run(engine).anonymised == []  # once


def test_every_table_loses_the_personal_data_and_events_keep_their_kind(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    engine.run(lambda s: engine.cases.cancel(s, zaak.id, "coordinator", "test"))
    assert "case" in personal_traces(engine, zaak.id)
    kinds = events(engine, zaak.id)
    clock.advance(timedelta(days=engine.settings.retention_fallback_days + 1))  # cancelled: no bewaren_tot
    assert case(engine, zaak.id).retain_until is None
    assert retention.run(engine).anonymised == [case(engine, zaak.id).reference]
    assert personal_traces(engine, zaak.id) == []
    assert events(engine, zaak.id) == [*kinds, "case_anonymised"]


def events(engine: Engine, case_id: int) -> list[str]:
    with engine.database.reading() as s:
        return list(s.scalars(select(CaseEvent.action).filter_by(case_id=case_id).order_by(CaseEvent.id)))


def test_open_cases_are_never_anonymised(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock)
    with engine.transaction() as s:  # even with a date in the past, an open case keeps its data
        s.execute(update(Case).where(Case.id == zaak.id).values(retain_until=date(2026, 1, 1)))
    clock.advance(timedelta(days=3000))
    assert retention.run(engine).anonymised == []
    assert case(engine, zaak.id).family_name == "Jansen"


def test_old_access_log_lines_are_removed(engine: Engine, clock: ManualClock) -> None:
    old = clock.now() - timedelta(days=engine.settings.access_log_retention_days + 1)
    with engine.transaction() as s:
        for at in (old, clock.now()):
            s.add(
                AccessLog(
                    at=at,
                    actor="a",
                    role="casemanager",
                    action="case_read",
                    object_type="case",
                    object_id="VN-1",
                    result="allowed",
                    origin="",
                )
            )
    assert retention.run(engine).access_lines_removed == 1
    with engine.database.reading() as s:
        assert [line.at for line in s.scalars(select(AccessLog))] == [clock.now()]


def test_a_started_worker_applies_retention_at_once_not_after_a_day(engine: Engine, clock: ManualClock) -> None:
    deploy(engine)
    zaak = Zaak(engine, clock, adres=OUTSIDE)
    retain_until = case(engine, zaak.id).retain_until
    assert retain_until is not None
    clock.set(datetime.combine(retain_until, datetime.min.time(), tzinfo=UTC) + timedelta(days=2))
    scheduler = worker.start_background(engine, interval=3600)  # no timer tick during the test
    try:
        end = time.monotonic() + 20  # generous for a loaded machine; the job runs as the scheduler starts
        while case(engine, zaak.id).anonymised_at is None and time.monotonic() < end:
            time.sleep(0.02)
    finally:
        scheduler.shutdown(wait=True)
    assert case(engine, zaak.id).anonymised_at is not None
