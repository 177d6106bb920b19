"""Fixtures of the supplier API tests: an app with the API registered, the real processes deployed, two suppliers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.clock import ManualClock
from engine.db import Database
from engine.service import Engine
from engine.settings import Settings
from engine.suppliers import add_client
from web import create_app

PROCESSES = Path(__file__).resolve().parent.parent.parent / "processes"


@pytest.fixture
def mode() -> str:
    """The API tests run once (the engine's live/round-trip duality is covered by the engine tests)."""
    return "live"


@pytest.fixture
def app(settings: Settings, database: Database, clock: ManualClock) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "VANGNET_SETTINGS": settings,
            "VANGNET_CLOCK": clock,
            "VANGNET_API_RATE_LIMIT": "1000/60",
        }
    )
    deploy_processes(app_engine(app))
    yield app
    app.extensions["vangnet"].database.dispose()


def app_engine(app: Flask) -> Engine:
    engine: Engine = app.extensions["vangnet"].engine
    return engine


def deploy_processes(engine: Engine) -> None:
    bundle = engine.read_bundle([PROCESSES])
    engine.run(lambda s: engine.deploy(s, bundle, actor="procesbeheerder"))


def new_token(engine: Engine, key: str, webhook: str | None = None) -> str:
    return engine.run(lambda s: add_client(s, key, engine.now(), webhook)).token


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def essent(app: Flask) -> dict[str, str]:
    return {"Authorization": f"Bearer {new_token(app_engine(app), 'essent')}"}


@pytest.fixture
def eneco(app: Flask) -> dict[str, str]:
    return {"Authorization": f"Bearer {new_token(app_engine(app), 'eneco')}"}


def notice(**changes: Any) -> dict[str, Any]:
    """A complete notice in the API's camelCase form; keyword arguments replace top-level fields."""
    body: dict[str, Any] = {
        "meldingId": "ESS-2026-0001",
        "meldingsdatum": "2026-12-07",
        "soort": "eindelevering",
        "klant": {"voorletters": "J.", "tussenvoegsel": "", "achternaam": "Jansen", "geboortedatum": "1985-04-12"},
        "adres": {"postcode": "5911AB", "huisnummer": 12, "toevoeging": "", "plaats": "Venlo"},
        "telefoon": "0612345678",
        "email": None,
        "contractreferentie": "C-123",
        "producten": ["elektriciteit", "gas"],
        "achterstandBedrag": 742.5,
        "achterstandSinds": "2026-08-01",
        "maandbedrag": 145.0,
        "aantalHerinneringen": 3,
        "laatsteHerinnering": "2026-11-15",
        "contactpogingenAantal": 2,
        "laatsteContactpoging": "2026-11-20",
        "regelingAangeboden": True,
        "regelingStatus": "geweigerd",
        "geplandeEinddatum": "2027-02-26",
        "kinderenInHuishouden": "ja",
        "kwetsbaarheidBekend": False,
        "medisch": False,
        "bezwaarGegevensdeling": False,
    }
    body.update(changes)
    return body
