"""Exchange metrics per channel, and their CSV export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import ManualClock
from engine.errors import Conflict, DataInvalid
from engine.exchange import snake, submit_notice
from engine.exchange_metrics import exchange_metrics, metrics_csv
from engine.models import Case, CaseEvent, HumanTask, MessageIn, Outbox
from engine.suppliers import SupplierNotice

from ..conftest import START
from .conftest import app_engine, notice
from .test_updates_and_feed import send, start


def test_metrics_per_channel(app: Flask, client: FlaskClient, clock: ManualClock, essent: dict[str, str]) -> None:
    engine = app_engine(app)
    first = start(client, essent)  # D = 2027-02-26: 57 wd after T0 (Christmas)
    client.post("/api/v1/meldingen", json=notice(), headers=essent)  # a duplicate
    start(client, essent, meldingId="ESS-2", geplandeEinddatum=None)  # incomplete
    start(client, essent, meldingId="ESS-3", adres={"postcode": "6211AB", "huisnummer": 1})  # outside the area
    start(client, essent, meldingId="ESS-4", geplandeEinddatum="2026-12-21")  # 10 wd
    phoned = {k: v for k, v in notice(meldingId="TEL-1").items() if k != "meldingId"}
    payload = {"melding_id": "TEL-1", **{snake(k): v for k, v in phoned.items()}}
    engine.run(lambda s: submit_notice(engine, s, "essent", payload, "telefoon", "coordinator"))
    clock.advance(timedelta(minutes=3))
    engine.deliver_outbox()

    def guarantee_and_hold(session: Session) -> None:  # the last steps of the guarantee path, as rows
        case_id = session.scalar(select(Case.id).where(Case.business_key == first))
        at = START + timedelta(days=14)
        status = {"status": "garantie_afgegeven"}
        session.add(Outbox(case_id=case_id, channel="leverancier", name="terugkoppeling", recipient="essent",
                           payload=status, state="sent", attempts=1, created_at=at))  # fmt: skip
        session.add(MessageIn(sender="essent", message_key="H-1", name="opschorting_bevestigd", case_id=case_id,
                              payload={}, payload_hash="-", state="delivered",
                              received_at=at + timedelta(days=2)))  # fmt: skip

    engine.run(guarantee_and_hold)
    with engine.database.reading() as s:
        api, phone, mail = exchange_metrics(s, engine.calendar, START, START + timedelta(days=7))
    assert (api.channel, api.notices, api.notices_per_week, api.duplicates) == ("api", 4, 4.0, 1)
    assert (api.accepted_pct, api.incomplete_pct) == (50.0, 25.0)
    assert (api.lead_time_median_wd, api.lead_time_under_20_pct) == (57.0, 33.3)
    assert api.acknowledgement_median_minutes == 3.0
    assert api.hold_confirmation_median_wd == 2.0
    assert (phone.channel, phone.notices, phone.accepted_pct) == ("telefoon", 1, 100.0)
    assert (mail.notices, mail.accepted_pct, mail.lead_time_median_wd) == (0, None, None)
    lines = metrics_csv([api, phone, mail]).splitlines()
    assert lines[0].startswith("channel,notices,notices_per_week,accepted_pct")
    assert lines[1].startswith("api,4,4.0,50.0,25.0,57.0,33.3,1,3.0,2.0")
    assert lines[3] == "e-mail,0,0.0,,,,,0,,"


def _payload(notice_id: str, **changes: object) -> dict[str, object]:
    """A notice in the engine's snake_case form (as the API hands it to submit_notice)."""
    return {snake(k): v for k, v in notice(meldingId=notice_id, **changes).items()}


def test_a_repeat_by_another_channel_counts_for_that_channel_and_day(
    app: Flask, client: FlaskClient, clock: ManualClock, essent: dict[str, str]
) -> None:
    engine = app_engine(app)
    notice_id = start(client, essent)  # by the API, in week 1
    clock.advance(timedelta(days=8))  # week 2: the supplier phones about the same notice
    again = engine.run(lambda s: submit_notice(engine, s, "essent", _payload(notice_id), "telefoon", "coordinator"))
    assert not again.created
    with engine.database.reading() as s:
        first_week = exchange_metrics(s, engine.calendar, START, START + timedelta(days=7))
        second_week = exchange_metrics(s, engine.calendar, START + timedelta(days=7), START + timedelta(days=14))
        events = s.scalars(select(CaseEvent.details).where(CaseEvent.action == "notice_repeated")).all()
    assert [(m.channel, m.notices, m.duplicates) for m in first_week] == [
        ("api", 1, 0),
        ("telefoon", 0, 0),
        ("e-mail", 0, 0),
    ]
    assert [(m.channel, m.notices, m.duplicates) for m in second_week] == [
        ("api", 0, 0),
        ("telefoon", 0, 1),
        ("e-mail", 0, 0),
    ]
    assert events == [{"channel": "telefoon"}]


def test_other_content_under_a_known_notice_id_changes_nothing(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    engine = app_engine(app)
    notice_id = start(client, essent)
    other = _payload(notice_id, maandbedrag=99.0)
    with pytest.raises(Conflict):
        engine.run(lambda s: submit_notice(engine, s, "essent", other, "e-mail", "coordinator"))
    with pytest.raises(DataInvalid):
        engine.run(lambda s: submit_notice(engine, s, "essent", _payload("NEW-1"), "fax", "coordinator"))
    with engine.database.reading() as s:
        assert s.scalars(select(SupplierNotice.duplicates)).all() == [0]
        assert s.scalars(select(CaseEvent).where(CaseEvent.action == "notice_repeated")).all() == []
        assert s.scalars(select(Case.business_key)).all() == [notice_id]


def test_a_completion_gives_the_lead_time_of_a_notice_without_d(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    engine = app_engine(app)
    notice_id = start(client, essent, geplandeEinddatum=None)
    body = {"berichtId": "A-1", "soort": "aanvulling", "gegevens": {"geplandeEinddatum": "2026-12-21"}}
    assert send(client, essent, notice_id, body).status_code == 202
    later = {"berichtId": "A-2", "soort": "einddatum_gewijzigd", "gegevens": {"geplandeEinddatum": "2027-03-31"}}
    assert send(client, essent, notice_id, later).status_code == 202  # a moved D does not change T0 → D
    with engine.database.reading() as s:
        api = exchange_metrics(s, engine.calendar, START, START + timedelta(days=7))[0]
    assert (api.notices, api.incomplete_pct) == (1, 100.0)
    assert (api.lead_time_median_wd, api.lead_time_under_20_pct) == (10.0, 100.0)


def test_the_acknowledgement_is_the_earliest_status_that_reached_the_supplier(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    engine = app_engine(app)
    notice_id = start(client, essent)

    def statuses(session: Session) -> None:  # a later status row that was delivered before an earlier one
        case_id = session.scalar(select(Case.id).where(Case.business_key == notice_id))
        for minutes in (30, 12):
            sent = START + timedelta(minutes=minutes)
            session.add(Outbox(case_id=case_id, channel="leverancier", name="terugkoppeling", recipient="essent",
                               payload={"status": "in_behandeling"}, state="sent", attempts=1, created_at=START,
                               sent_at=sent))  # fmt: skip

    engine.run(statuses)
    with engine.database.reading() as s:
        api = exchange_metrics(s, engine.calendar, START, START + timedelta(days=7))[0]
    assert api.acknowledgement_median_minutes == 12.0


def test_a_notice_completed_by_staff_gets_the_lead_time_of_the_d_they_entered(
    app: Flask, client: FlaskClient, clock: ManualClock, essent: dict[str, str]
) -> None:
    engine = app_engine(app)
    start(client, essent, geplandeEinddatum=None)
    clock.advance(timedelta(days=2))  # past the completion term (1 wd): the coordinator completes it by hand
    engine.run_due_timers()
    with engine.database.reading() as s:
        task_id = s.scalar(select(HumanTask.id).where(HumanTask.element_id == "onvolledige_melding"))
    data = {"aanvul_besluit": "aangevuld", "aanvulling": {"geplande_einddatum": "2026-12-21"}}
    engine.run(lambda s: engine.complete_task(s, str(task_id), data, "coordinator"))
    with engine.database.reading() as s:
        api = exchange_metrics(s, engine.calendar, START, START + timedelta(days=7))[0]
    assert (api.notices, api.incomplete_pct, api.accepted_pct) == (1, 100.0, 100.0)
    assert (api.lead_time_median_wd, api.lead_time_under_20_pct) == (10.0, 100.0)
