"""The workbench pages through Flask's test client: who may come in, the lists, drafts saved with revisions,
checks with element ids, deploys with a note, zip download and upload."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.workbench import from_upload, to_zip

from ..web.conftest import ROLES, csrf_token

MAIN = "vangnet.bpmn"
Clients = Callable[[str], FlaskClient]


def owner(client_for: Clients) -> tuple[FlaskClient, str]:
    client = client_for("procesbeheerder")
    return client, csrf_token(client.get("/procesbeheer/vangnet").text)


def post(client: FlaskClient, token: str, url: str, body: object) -> tuple[int, dict[str, object]]:
    response = client.post(url, json=body, headers={"X-CSRFToken": token})
    return response.status_code, response.get_json()


@pytest.mark.parametrize("username", ROLES)
def test_only_process_owners_come_in(app: Flask, client_for: Clients, username: str) -> None:
    client = client_for(username)
    expected = 200 if username == "procesbeheerder" else 403
    assert client.get("/procesbeheer").status_code == expected
    assert client.get("/procesbeheer/vangnet").status_code == expected
    assert client.get("/procesbeheer/vangnet/versies/1.zip").status_code == expected
    token = csrf_token(client.get("/inloggen").text)
    if username != "procesbeheerder":
        assert client.post("/procesbeheer/vangnet/concept", data={"csrf_token": token}).status_code == 403


def test_anonymous_visitors_are_sent_to_login(app: Flask) -> None:
    response = app.test_client().get("/procesbeheer/vangnet")
    assert response.status_code == 302 and response.location.startswith("/inloggen")


def test_the_process_list_and_versions(app: Flask, client_for: Clients) -> None:
    client = client_for("procesbeheerder")
    listing = client.get("/procesbeheer").text
    assert "Vangnet: van melding tot afsluiting" in listing
    page = client.get("/procesbeheer/vangnet").text
    assert 'data-version="1"' in page and "Concept maken en bewerken" in page
    assert '<td class="utrecht-table__cell vn-wb-open">5</td>' in page  # the five demo cases


def open_draft(client: FlaskClient, token: str) -> tuple[str, int]:
    response = client.post("/procesbeheer/vangnet/concept", data={"csrf_token": token})
    assert response.status_code == 302 and response.location.endswith(f"/concept/bewerken/{MAIN}")
    file = client.get(f"/procesbeheer/vangnet/concept/bestanden/{MAIN}").get_json()
    return file["text"], file["revision"]


def test_edit_save_check_and_deploy(app: Flask, client_for: Clients) -> None:
    client, token = owner(client_for)
    text, revision = open_draft(client, token)
    assert client.get(f"/procesbeheer/vangnet/concept/bewerken/{MAIN}").status_code == 200
    changed = text.replace('name="Melding ontvangen"', 'name="Melding binnengekomen"', 1)
    assert changed != text
    status, body = post(
        client, token, f"/procesbeheer/vangnet/concept/bestanden/{MAIN}", {"revision": revision, "text": changed}
    )
    assert (status, body["revision"]) == (200, revision + 1)
    status, body = post(client, token, "/procesbeheer/vangnet/concept/controleren", {})
    assert (status, body["problems"]) == (200, [])
    status, body = post(
        client, token, "/procesbeheer/vangnet/concept/uitrollen", {"revision": revision + 1, "note": ""}
    )
    assert (status, body["field"]) == (422, "note")
    status, body = post(
        client, token, "/procesbeheer/vangnet/concept/uitrollen", {"revision": revision + 1, "note": "Naam start"}
    )
    assert (status, body["number"]) == (200, 2)
    page = client.get(body["location"]).text
    assert "Versie 2 is uitgerold" in page and "Naam start" in page
    assert '<td class="utrecht-table__cell vn-wb-open">5</td>' in page  # the running cases stayed on version 1
    diff = client.get("/procesbeheer/vangnet/verschil?van=1&naar=2").text
    assert "<del>Melding ontvangen</del> → <ins>Melding binnengekomen</ins>" in diff


def test_the_diff_of_a_draft(app: Flask, client_for: Clients) -> None:
    client, token = owner(client_for)
    text, revision = open_draft(client, token)
    changed = text.replace('ontvankelijkheid == "afwijzen"', 'ontvankelijkheid == "weigeren"', 1)
    post(client, token, f"/procesbeheer/vangnet/concept/bestanden/{MAIN}", {"revision": revision, "text": changed})
    page = client.get("/procesbeheer/vangnet/verschil").text  # by default: the latest version against the draft
    assert 'data-element="f_ontvankelijk__afwijzing_vastleggen"' in page and "gewijzigd" in page
    assert page.count('<tr class="utrecht-table__row vn-wb-change--') == 1
    assert client.get("/procesbeheer/vangnet/verschil?van=1&naar=9").status_code == 404


def test_a_stale_save_is_a_conflict_in_dutch(app: Flask, client_for: Clients) -> None:
    client, token = owner(client_for)
    text, revision = open_draft(client, token)
    url = f"/procesbeheer/vangnet/concept/bestanden/{MAIN}"
    assert post(client, token, url, {"revision": revision, "text": text + "<!-- a -->"})[0] == 200
    status, body = post(client, token, url, {"revision": revision, "text": text + "<!-- b -->"})
    assert status == 409
    assert "heeft het concept intussen opgeslagen" in str(body["message"])
    assert "Uw diagram staat nog in dit scherm" in str(body["message"])
    saved = client.get(url).get_json()
    assert saved["text"].endswith("<!-- a -->") and saved["revision"] == revision + 1


def test_a_broken_condition_is_reported_on_its_flow(app: Flask, client_for: Clients) -> None:
    client, token = owner(client_for)
    text, revision = open_draft(client, token)
    broken = text.replace("</bpmn:conditionExpression>", " ===</bpmn:conditionExpression>", 1)
    post(client, token, f"/procesbeheer/vangnet/concept/bestanden/{MAIN}", {"revision": revision, "text": broken})
    status, body = post(client, token, "/procesbeheer/vangnet/concept/controleren", {})
    problems = body["problems"]
    assert status == 200 and len(problems) == 1
    assert problems[0]["file"] == MAIN and problems[0]["element_id"].startswith("f_") and problems[0]["line"]
    status, body = post(
        client, token, "/procesbeheer/vangnet/concept/uitrollen", {"revision": revision + 1, "note": "x"}
    )
    assert status == 422 and body["problems"][0]["element_id"] == problems[0]["element_id"]
    assert 'data-version="2"' not in client.get("/procesbeheer/vangnet").text


def test_download_and_upload(app: Flask, client_for: Clients) -> None:
    client, token = owner(client_for)
    download = client.get("/procesbeheer/vangnet/versies/1.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    files = from_upload("v1.zip", download.data)
    assert MAIN in files and "triage.schema.json" in files
    files[MAIN] = files[MAIN].replace('name="Melding ontvangen"', 'name="Elders bewerkt"', 1)
    data = {"csrf_token": token, "bestanden": (BytesIO(to_zip(files)), "export.zip")}
    response = client.post("/procesbeheer/vangnet/concept/uploaden", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get("/procesbeheer/vangnet").text
    assert "in het concept gezet" in page and "Revisie 2" in page
    draft = client.get(f"/procesbeheer/vangnet/concept/bestanden/{MAIN}").get_json()
    assert 'name="Elders bewerkt"' in draft["text"]
