"""POST/GET /api/v1/meldingen: created, idempotent, conflicting, validated, and scoped to the supplier."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from engine.models import AccessLog, Case
from engine.suppliers import SupplierNotice

from .conftest import app_engine, notice

PROBLEM = "application/problem+json"


def cases(app: Flask) -> int:
    with app_engine(app).database.reading() as s:
        return int(s.scalar(select(func.count()).select_from(Case)) or 0)


def test_a_notice_starts_a_case_and_answers_201_with_its_status(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    response = client.post("/api/v1/meldingen", json=notice(), headers=essent)
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"id": "ESS-2026-0001", "status": "ontvangen"}
    assert response.headers["Location"] == "/api/v1/meldingen/ESS-2026-0001"
    assert "Set-Cookie" not in response.headers
    with app_engine(app).database.reading() as s:
        case = s.scalars(select(Case)).one()
        assert (case.sender, case.business_key, case.team) == ("essent", "ESS-2026-0001", "venlo")
        row = s.scalars(select(SupplierNotice)).one()
        assert (row.channel, row.planned_end_date, row.duplicates) == ("api", "2027-02-26", 0)
        assert s.scalars(select(AccessLog.action)).all() == ["melding_ontvangen"]
    status = client.get(response.headers["Location"], headers=essent)
    assert status.status_code == 200
    assert status.get_json() == {"id": "ESS-2026-0001", "status": "ontvangen"}


def test_the_same_notice_again_is_the_same_notice_and_other_content_conflicts(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    assert client.post("/api/v1/meldingen", json=notice(), headers=essent).status_code == 201
    again = client.post("/api/v1/meldingen", json=notice(), headers=essent)
    assert again.status_code == 200
    assert again.get_json() == {"id": "ESS-2026-0001", "status": "ontvangen"}
    other = client.post("/api/v1/meldingen", json=notice(maandbedrag=99.0), headers=essent)
    assert other.status_code == 409
    assert other.mimetype == PROBLEM
    assert other.get_json()["status"] == 409
    assert cases(app) == 1
    with app_engine(app).database.reading() as s:
        assert s.scalars(select(SupplierNotice.duplicates)).one() == 1


def test_another_suppliers_notice_is_not_found_and_the_same_id_is_its_own(
    app: Flask, client: FlaskClient, essent: dict[str, str], eneco: dict[str, str]
) -> None:
    client.post("/api/v1/meldingen", json=notice(), headers=essent)
    response = client.get("/api/v1/meldingen/ESS-2026-0001", headers=eneco)
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert client.get("/api/v1/meldingen/onbekend", headers=essent).status_code == 404
    assert client.get("/api/v1/meldingen/%20x", headers=essent).status_code == 404
    own = client.post("/api/v1/meldingen", json=notice(), headers=eneco)
    assert own.status_code == 201  # the id belongs to the supplier: eneco's notice is another case
    assert cases(app) == 2


def test_invalid_fields_are_listed_in_dutch_and_nothing_is_stored(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    body = notice(
        geplandeEinddatum="26-02-2027",
        producten=["olie"],
        onbekend=1,
        klant={"achternaam": 7},
        adres={"postcode": "1234", "huisnummer": 0},
    )
    del body["soort"]
    response = client.post("/api/v1/meldingen", json=body, headers=essent)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["title"] == "Ongeldige gegevens"
    reasons = {p["name"]: p["reason"] for p in problem["invalid-params"]}
    assert reasons == {
        "adres.huisnummer": "Moet minstens 1 zijn.",
        "adres.postcode": "Heeft niet de juiste vorm.",
        "geplandeEinddatum": "Verwacht een datum als JJJJ-MM-DD.",
        "klant.achternaam": "Verwacht: tekst.",
        "onbekend": "Dit veld is onbekend.",
        "producten.0": 'Kies uit: "elektriciteit", "gas", "warmte".',
        "soort": "Dit veld is verplicht.",
    }
    assert cases(app) == 0


def test_wrong_content_type_bad_json_and_too_large_bodies(
    app: Flask, client: FlaskClient, essent: dict[str, str]
) -> None:
    as_form = client.post("/api/v1/meldingen", data={"meldingId": "x"}, headers=essent)
    assert (as_form.status_code, as_form.mimetype) == (415, PROBLEM)
    broken = client.post("/api/v1/meldingen", data="{", content_type="application/json", headers=essent)
    assert (broken.status_code, broken.mimetype) == (400, PROBLEM)
    nan = client.post("/api/v1/meldingen", data='{"maandbedrag": NaN}', content_type="application/json", headers=essent)
    assert nan.status_code == 400
    huge = notice(regelingStatus="x" * 100, contractreferentie="y" * 70_000)
    too_large = client.post("/api/v1/meldingen", json=huge, headers=essent)
    assert (too_large.status_code, too_large.mimetype) == (413, PROBLEM)
    assert cases(app) == 0


def test_tokens_missing_wrong_and_revoked(app: Flask, client: FlaskClient, essent: dict[str, str]) -> None:
    from engine.suppliers import revoke

    missing = client.post("/api/v1/meldingen", json=notice())
    assert (missing.status_code, missing.mimetype) == (401, PROBLEM)
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/api/v1/terugkoppelingen", headers={"Authorization": "Bearer vn_nietgeldig"})
    assert wrong.status_code == 401
    engine = app_engine(app)
    engine.run(lambda s: revoke(s, "essent", engine.now()))
    revoked = client.post("/api/v1/meldingen", json=notice(), headers=essent)
    assert (revoked.status_code, revoked.mimetype) == (403, PROBLEM)
    assert cases(app) == 0


def test_too_many_requests_get_429_with_retry_after(app: Flask, client: FlaskClient, essent: dict[str, str]) -> None:
    from web.api.security import RateLimiter

    app.extensions["vangnet_api"] = RateLimiter(limit=2, window=60)
    assert client.get("/api/v1/terugkoppelingen", headers=essent).status_code == 200
    assert client.get("/api/v1/terugkoppelingen", headers=essent).status_code == 200
    limited = client.post("/api/v1/meldingen", json=notice(), headers=essent)
    assert (limited.status_code, limited.mimetype) == (429, PROBLEM)
    assert int(limited.headers["Retry-After"]) >= 1
    assert cases(app) == 0


def test_unknown_urls_and_methods_under_the_api_are_problems(client: FlaskClient, essent: dict[str, str]) -> None:
    unknown = client.get("/api/v1/bestaat-niet", headers=essent)
    assert (unknown.status_code, unknown.mimetype) == (404, PROBLEM)
    method = client.delete("/api/v1/meldingen", headers=essent)
    assert (method.status_code, method.mimetype) == (405, PROBLEM)
    assert "POST" in method.headers["Allow"]


def test_pages_outside_the_api_keep_their_own_error_pages(client: FlaskClient) -> None:
    page = client.get("/bestaat-niet")
    assert page.status_code == 404
    assert page.mimetype == "text/html"
