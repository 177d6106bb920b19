"""The compatibility report and the migration through Flask's test client, on the real processes/ with the five
demo cases: a version 2 that only renames the triage task; the move needs CSRF and a confirmation, and the
open triage tasks take the new name."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.models import Case, CaseEvent, HumanTask

from ..web.conftest import csrf_token, vangnet_of

Clients = Callable[[str], FlaskClient]
URL = "/procesbeheer/vangnet/migratie"
OLD, NEW = 'name="Triage en toewijzing"', 'name="Triage en toewijzing (nieuw)"'


def deploy_renamed_triage(client: FlaskClient) -> str:
    """Version 2 through the workbench: a draft, one label changed in behandeling.bpmn, deployed; the CSRF token."""
    token = csrf_token(client.get("/procesbeheer/vangnet").text)
    headers = {"X-CSRFToken": token}
    client.post("/procesbeheer/vangnet/concept", data={"csrf_token": token})
    file = client.get("/procesbeheer/vangnet/concept/bestanden/behandeling.bpmn").get_json()
    assert OLD in file["text"]
    body = {"revision": file["revision"], "text": file["text"].replace(OLD, NEW)}
    saved = client.post("/procesbeheer/vangnet/concept/bestanden/behandeling.bpmn", json=body, headers=headers)
    assert saved.status_code == 200
    deploy = {"revision": file["revision"] + 1, "note": "Triage hernoemd"}
    response = client.post("/procesbeheer/vangnet/concept/uitrollen", json=deploy, headers=headers)
    assert response.get_json()["number"] == 2
    return token


def versions_and_titles(app: Flask) -> tuple[set[int], set[str]]:
    with vangnet_of(app).database.reading() as s:
        numbers = {c.version.number for c in s.scalars(select(Case))}
        titles = set(s.scalars(select(HumanTask.title).where(HumanTask.state == "open")))
    return numbers, titles


def test_the_report_lists_the_open_cases_on_older_versions(app: Flask, client_for: Clients) -> None:
    client = client_for("procesbeheerder")
    assert "Er lopen geen zaken op een oudere versie." in client.get(URL).text
    deploy_renamed_triage(client)
    page = client.get(URL).text
    assert page.count('data-movable="ja"') == 5 and 'data-movable="nee"' not in page
    assert "Verplaatsen naar versie 2" in page
    assert "Lopende zaken naar versie 2 verplaatsen" in client.get("/procesbeheer/vangnet").text


def test_moving_needs_csrf_and_a_confirmation(app: Flask, client_for: Clients) -> None:
    client = client_for("procesbeheerder")
    token = deploy_renamed_triage(client)
    assert client.post(URL, data={"bevestigd": "ja", "naar": "2"}).status_code == 400  # no CSRF token
    refused = client.post(URL, data={"csrf_token": token, "naar": "2"})
    assert refused.status_code == 422 and "Vink aan dat u de zaken" in refused.text
    stale = client.post(URL, data={"csrf_token": token, "bevestigd": "ja", "naar": "1"})
    assert stale.status_code == 409 and "intussen versie 2" in stale.text
    assert versions_and_titles(app)[0] == {1}


def test_moving_all_movable_cases(app: Flask, client_for: Clients) -> None:
    client = client_for("procesbeheerder")
    token = deploy_renamed_triage(client)
    response = client.post(URL, data={"csrf_token": token, "bevestigd": "ja", "naar": "2"})
    assert response.status_code == 200
    assert response.text.count('data-moved="ja"') == 5 and "5 van 5 zaken verplaatst." in response.text
    assert "Er lopen geen zaken op een oudere versie." in response.text
    numbers, titles = versions_and_titles(app)
    assert numbers == {2} and "Triage en toewijzing (nieuw)" in titles and "Triage en toewijzing" not in titles
    with vangnet_of(app).database.reading() as s:
        events = s.scalars(select(CaseEvent).where(CaseEvent.action == "case_migrated")).all()
    assert [(e.actor, e.details["from_version"], e.details["to_version"]) for e in events] == [
        ("procesbeheerder", 1, 2)
    ] * 5
