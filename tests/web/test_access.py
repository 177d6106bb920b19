"""Who may open what: every route × every role, login and lockout, CSRF refusal, session expiry, audit lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from engine.clock import ManualClock
from engine.models import AccessLog, Case, HumanTask, User

from .conftest import OTHER_TEAM_USER, ROLES, csrf_token, login, vangnet_of


def open_task(app: Flask, lane: str = "coordinator") -> tuple[str, str]:
    with vangnet_of(app).database.reading() as s:
        row = s.execute(
            select(HumanTask.id, Case.reference)
            .join(Case, Case.id == HumanTask.case_id)
            .where(HumanTask.state == "open", HumanTask.lane == lane)
            .order_by(Case.reference)
        ).first()
    assert row is not None
    return str(row[0]), str(row[1])


# role → expected status for: inbox, task page (coordinator lane task), case file, diagram XML
EXPECTED = {
    "casemanager": (200, 403, 200, 200),
    "coordinator": (200, 200, 200, 200),
    "garantsteller": (200, 403, 403, 403),
    "schuldhulp": (403, 403, 403, 403),
    "procesbeheerder": (403, 403, 403, 403),
    "beheerder": (403, 403, 403, 403),
    OTHER_TEAM_USER: (200, 403, 403, 403),
}


@pytest.mark.parametrize("username", [*ROLES, OTHER_TEAM_USER])
def test_every_route_for_every_role(app: Flask, client_for: Callable[[str], FlaskClient], username: str) -> None:
    task_id, reference = open_task(app)
    client = client_for(username)
    urls = ["/taken", f"/taken/{task_id}", f"/zaken/{reference}", f"/zaken/{reference}/diagram/behandeling.bpmn"]
    statuses = tuple(client.get(url).status_code for url in urls)
    assert statuses == EXPECTED[username]


def test_anonymous_is_sent_to_login(app: Flask) -> None:
    task_id, reference = open_task(app)
    client = app.test_client()
    for url in ("/taken", f"/taken/{task_id}", f"/zaken/{reference}"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.location.startswith("/inloggen")
    assert client.get("/inloggen").status_code == 200
    assert client.get("/gezondheid").status_code == 200


def test_commands_are_refused_for_the_wrong_role(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    task_id, _ = open_task(app)
    client = client_for("casemanager")
    token = csrf_token(client.get("/taken").text)
    assert client.post(f"/taken/{task_id}/oppakken", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/taken/{task_id}/toewijzen", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/taken/{task_id}", data={"csrf_token": token}).status_code == 403
    other = client_for(OTHER_TEAM_USER)
    token = csrf_token(other.get("/taken").text)
    assert other.post(f"/taken/{task_id}/oppakken", data={"csrf_token": token}).status_code == 403


def test_post_without_csrf_token_is_refused(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    task_id, _ = open_task(app)
    client = client_for("coordinator")
    response = client.post(f"/taken/{task_id}/oppakken", data={})
    assert response.status_code == 400
    assert "Formulier niet geaccepteerd" in response.text
    fresh = app.test_client()
    refused = fresh.post("/inloggen", data={"username": "coordinator", "password": "vangnet-demo-2026"})
    assert refused.status_code == 400


def test_lockout_after_repeated_failures(app: Flask) -> None:
    client = app.test_client()
    for _ in range(5):
        token = csrf_token(client.get("/inloggen").text)
        response = client.post("/inloggen", data={"username": "casemanager", "password": "fout", "csrf_token": token})
        assert response.status_code == 401
        assert "Inloggen mislukt" in response.text
    token = csrf_token(client.get("/inloggen").text)
    good = {"username": "casemanager", "password": "vangnet-demo-2026", "csrf_token": token}
    assert client.post("/inloggen", data=good).status_code == 401  # locked, even with the right password


def test_logout_and_idle_expiry(app: Flask, clock: ManualClock) -> None:
    client = login(app.test_client(), "casemanager")
    assert client.get("/taken").status_code == 200
    clock.advance(timedelta(minutes=31))
    assert client.get("/taken").status_code == 302
    login(client, "casemanager")
    token = csrf_token(client.get("/taken").text)
    assert client.post("/uitloggen", data={"csrf_token": token}).status_code == 302
    assert client.get("/taken").status_code == 302


def test_a_deactivated_account_is_out_at_its_next_request(app: Flask) -> None:
    client = login(app.test_client(), "casemanager")
    assert client.get("/taken").status_code == 200
    engine = vangnet_of(app).engine
    engine.run(lambda s: s.execute(update(User).where(User.username == "casemanager").values(active=False)))
    response = client.get("/taken")
    assert response.status_code == 302 and response.location.startswith("/inloggen")


def test_use_keeps_the_session_alive(app: Flask, clock: ManualClock) -> None:
    client = login(app.test_client(), "casemanager")
    for _ in range(3):  # 60 minutes in all, never 30 without a request
        clock.advance(timedelta(minutes=20))
        assert client.get("/taken").status_code == 200
    clock.advance(timedelta(seconds=10))
    assert client.get("/taken").status_code == 200  # within the resolution: the cookie is not re-signed
    clock.advance(timedelta(minutes=30, seconds=30))
    assert client.get("/taken").status_code == 302


def test_security_headers_and_cookie(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/inloggen")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    token = csrf_token(response.text)
    login_response = client.post(
        "/inloggen", data={"username": "casemanager", "password": "vangnet-demo-2026", "csrf_token": token}
    )
    cookie = login_response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.config["PERMANENT_SESSION_LIFETIME"] <= timedelta(hours=12)


def test_pages_with_personal_data_write_audit_lines(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    _, reference = open_task(app)
    client_for("coordinator").get(f"/zaken/{reference}")
    client_for(OTHER_TEAM_USER).get(f"/zaken/{reference}")
    with vangnet_of(app).database.reading() as s:
        lines = s.scalars(select(AccessLog).where(AccessLog.object_id == reference)).all()
        seen = {(line.actor, line.result) for line in lines}
    assert ("coordinator", "allowed") in seen
    assert (OTHER_TEAM_USER, "denied") in seen


def test_language_switch(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/inloggen").text
    assert '<html lang="nl"' in page
    client.post("/taal", data={"taal": "en", "csrf_token": csrf_token(page), "terug": "/inloggen"})
    english = client.get("/inloggen").text
    assert '<html lang="en"' in english
    assert "Log in" in english


@pytest.mark.parametrize(
    ("username", "home"),
    [
        ("casemanager", "/taken"),
        ("coordinator", "/taken"),
        ("garantsteller", "/taken"),
        ("procesbeheerder", "/procesbeheer"),
        ("schuldhulp", "/"),
        ("beheerder", "/"),
    ],
)
def test_each_role_lands_on_a_page_it_may_open(app: Flask, username: str, home: str) -> None:
    client = app.test_client()
    token = csrf_token(client.get("/inloggen").text)
    form = {"username": username, "password": "vangnet-demo-2026", "csrf_token": token}
    response = client.post("/inloggen", data=form)
    assert (response.status_code, response.location) == (302, home)
    page = client.get(home)
    assert page.status_code == 200
    assert ('href="/taken"' in page.text) == (home == "/taken")  # the menu offers the inbox only to who has one
