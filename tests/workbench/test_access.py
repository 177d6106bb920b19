"""Every workbench route added for the migration, the editors and the heatmap: only ``procesbeheerder`` comes
in, every other role gets 403, anonymous visitors go to the login; every POST needs the CSRF token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ..web.conftest import ROLES, csrf_token

Clients = Callable[[str], FlaskClient]
GETS = [
    "/procesbeheer/vangnet/migratie",
    "/procesbeheer/vangnet/concept/tabel/d2_prioriteit.dmn",
    "/procesbeheer/vangnet/concept/formulier/triage.schema.json",
    "/procesbeheer/vangnet/versies/1/warmtekaart",
    "/procesbeheer/vangnet/versies/1/bestanden/vangnet.bpmn",
]
POSTS = [
    "/procesbeheer/vangnet/migratie",
    "/procesbeheer/vangnet/concept/formulier/triage.schema.json/voorbeeld",
    "/procesbeheer/vangnet/concept/formulier/triage.schema.json",
]


@pytest.fixture
def with_draft(client_for: Clients) -> None:
    owner = client_for("procesbeheerder")
    token = csrf_token(owner.get("/procesbeheer/vangnet").text)
    assert owner.post("/procesbeheer/vangnet/concept", data={"csrf_token": token}).status_code == 302


@pytest.mark.parametrize("username", ROLES)
def test_only_process_owners_reach_the_new_pages(
    app: Flask, client_for: Clients, with_draft: None, username: str
) -> None:
    client = client_for(username)
    expected = 200 if username == "procesbeheerder" else 403
    assert [client.get(url).status_code for url in GETS] == [expected] * len(GETS)
    token = csrf_token(client.get("/inloggen").text)
    if username != "procesbeheerder":
        assert [client.post(url, data={"csrf_token": token}).status_code for url in POSTS] == [403] * len(POSTS)


def test_anonymous_visitors_are_sent_to_login(app: Flask, with_draft: None) -> None:
    client = app.test_client()
    for url in GETS:
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/inloggen"), url


def test_every_new_post_needs_the_csrf_token(app: Flask, client_for: Clients, with_draft: None) -> None:
    client = client_for("procesbeheerder")
    assert [client.post(url, data={"bevestigd": "ja", "naar": "1"}).status_code for url in POSTS] == [400] * len(POSTS)
