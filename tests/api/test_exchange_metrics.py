"""Exchange metrics per channel, and their CSV export."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import ManualClock
from engine.exchange import snake, submit_notice
from engine.exchange_metrics import exchange_metrics, metrics_csv
from engine.models import Case, MessageIn, Outbox

from ..conftest import START
from .conftest import app_engine, notice
from .test_updates_and_feed import start


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
