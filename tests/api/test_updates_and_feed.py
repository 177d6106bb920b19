"""Supplier updates (berichten) and the feed of what was sent back (terugkoppelingen)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.models import Case, MessageIn

from .conftest import app_engine, notice


def start(client: FlaskClient, headers: dict[str, str], **changes: Any) -> str:
    response = client.post("/api/v1/meldingen", json=notice(**changes), headers=headers)
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["id"])


def send(client: FlaskClient, headers: dict[str, str], notice_id: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/meldingen/{notice_id}/berichten", json=body, headers=headers)


def feed(client: FlaskClient, headers: dict[str, str], after: int = 0) -> dict[str, Any]:
    response = client.get(f"/api/v1/terugkoppelingen?na={after}", headers=headers)
    assert response.status_code == 200, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def test_a_withdrawal_closes_the_case_once_even_when_sent_twice(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    notice_id = start(client, essent)
    body = {"berichtId": "B-1", "soort": "intrekking", "gegevens": {"reden": "betaald"}}
    first = send(client, essent, notice_id, body)
    assert (first.status_code, first.get_json()) == (202, {"berichtId": "B-1", "status": "ontvangen"})
    assert send(client, essent, notice_id, body).status_code == 200
    conflict = send(client, essent, notice_id, {**body, "gegevens": {"reden": "verhuisd"}})
    assert conflict.status_code == 409
    with app_engine(app).database.reading() as s:
        case = s.scalars(select(Case)).one()
        assert (case.status, case.outcome) == ("completed", "ingetrokken")
        assert len(s.scalars(select(MessageIn)).all()) == 1
    assert client.get(f"/api/v1/meldingen/{notice_id}", headers=essent).get_json()["status"] == "afgesloten"


def test_a_new_end_date_is_delivered_and_moves_the_case(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    notice_id = start(client, essent)
    body = {"berichtId": "B-2", "soort": "einddatum_gewijzigd", "gegevens": {"geplandeEinddatum": "2027-03-31"}}
    assert send(client, essent, notice_id, body).status_code == 202
    with app_engine(app).database.reading() as s:
        case = s.scalars(select(Case)).one()
        assert case.planned_end_date == date(2027, 3, 31)
        assert s.scalars(select(MessageIn.state)).one() == "delivered"


def test_updates_are_validated_per_kind_and_scoped_to_the_supplier(
    app: Flask, client: FlaskClient, essent: dict[str, str], eneco: dict[str, str]
) -> None:
    notice_id = start(client, essent)
    bad = send(client, essent, notice_id, {"berichtId": "B-3", "soort": "intrekking", "gegevens": {"reden": "x"}})
    assert bad.status_code == 422
    assert [p["name"] for p in bad.get_json()["invalid-params"]] == ["gegevens.reden"]
    kind = send(client, essent, notice_id, {"berichtId": "B-3", "soort": "onzin", "gegevens": {}})
    assert [p["name"] for p in kind.get_json()["invalid-params"]] == ["soort"]
    foreign = send(client, eneco, notice_id, {"berichtId": "B-4", "soort": "opschorting_bevestigd", "gegevens": {}})
    assert foreign.status_code == 404
    with app_engine(app).database.reading() as s:
        assert s.scalars(select(MessageIn)).all() == []


def test_the_feed_holds_what_was_sent_in_order_with_only_d7_fields(
    app: Flask, client: FlaskClient, essent: dict[str, str], eneco: dict[str, str]
) -> None:
    engine = app_engine(app)
    first = start(client, essent)
    start(client, essent, meldingId="ESS-2026-0002", geplandeEinddatum=None)  # D1 asks for completion
    start(client, eneco, meldingId="ENE-1")
    assert feed(client, essent) == {"terugkoppelingen": [], "volgende": 0}  # published by the outbox sweep
    engine.deliver_outbox()
    page = feed(client, essent)
    items = page["terugkoppelingen"]
    assert [(i["positie"], i["meldingId"], i["soort"]) for i in items] == [
        (1, first, "terugkoppeling"),
        (2, "ESS-2026-0002", "terugkoppeling"),
        (3, "ESS-2026-0002", "aanvulverzoek"),
    ]
    assert items[0]["gegevens"] == {"status": "ontvangen"}
    assert items[2]["gegevens"] == {"ontbrekendeVelden": ["geplandeEinddatum"], "uiterlijk": "2026-12-08"}
    assert page["volgende"] == 3
    assert feed(client, essent, after=2)["terugkoppelingen"] == items[2:]
    assert feed(client, essent, after=3) == {"terugkoppelingen": [], "volgende": 3}
    assert [i["meldingId"] for i in feed(client, eneco)["terugkoppelingen"]] == ["ENE-1"]
    send(client, essent, first, {"berichtId": "W-1", "soort": "intrekking", "gegevens": {"reden": "regeling"}})
    engine.deliver_outbox()
    assert [i["gegevens"] for i in feed(client, essent, after=3)["terugkoppelingen"]] == [{"status": "afgesloten"}]
    bad = client.get("/api/v1/terugkoppelingen?na=-1", headers=essent)
    assert (bad.status_code, bad.get_json()["invalid-params"][0]["name"]) == (400, "na")


def test_a_completion_through_the_api_lets_the_notice_go_on(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    notice_id = start(client, essent, geplandeEinddatum=None)
    body = {"berichtId": "A-1", "soort": "aanvulling", "gegevens": {"geplandeEinddatum": "2027-02-26"}}
    assert send(client, essent, notice_id, body).status_code == 202
    with app_engine(app).database.reading() as s:
        assert s.scalars(select(Case.planned_end_date)).one() == date(2027, 2, 26)
