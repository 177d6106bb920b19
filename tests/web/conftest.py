"""Fixtures for the web tests: the app on a real migrated database with the real processes/ and the demo data
(one user per role in team venlo, five cases), a user of another team, and logged-in test clients."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import accounts
from engine.clock import ManualClock
from engine.db import Database
from engine.demo import DEMO_PASSWORD, seed
from engine.settings import Settings
from web import create_app, vangnet

ROOT = Path(__file__).resolve().parents[2]
OTHER_TEAM_USER = "casemanager-maas"
ROLES = ("casemanager", "coordinator", "garantsteller", "schuldhulp", "procesbeheerder", "beheerder")


@pytest.fixture
def web_settings(migrated_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=migrated_url,
        environment="test",
        instance_path=tmp_path,
        processes_dir=ROOT / "processes",
        forms_dir=ROOT / "forms",
        script_time_limit_seconds=2.0,
    )


@pytest.fixture
def app(web_settings: Settings, database: Database, clock: ManualClock) -> Flask:
    app = create_app({"VANGNET_SETTINGS": web_settings, "VANGNET_CLOCK": clock, "TESTING": True})
    engine = vangnet_of(app).engine
    seed(engine)
    engine.run(
        lambda s: accounts.create_user(s, OTHER_TEAM_USER, DEMO_PASSWORD, "casemanager", engine.now(), team="maas")
    )
    yield app
    vangnet_of(app).database.dispose()


def vangnet_of(app: Flask):  # type: ignore[no-untyped-def]
    with app.app_context():
        return vangnet()


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: FlaskClient, username: str, password: str = DEMO_PASSWORD) -> FlaskClient:
    token = csrf_token(client.get("/inloggen").text)
    response = client.post("/inloggen", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.text
    return client


@pytest.fixture
def client_for(app: Flask) -> Callable[[str], FlaskClient]:
    def make(username: str) -> FlaskClient:
        return login(app.test_client(), username)

    return make
