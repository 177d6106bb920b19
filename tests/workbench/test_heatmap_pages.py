"""The heatmap page through Flask's test client, on the real processes/ with the five demo cases waiting at
their triage; one triage completed an hour and a half after it became ready gives a median."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.clock import ManualClock
from engine.models import HumanTask

from ..web.conftest import vangnet_of

Clients = Callable[[str], FlaskClient]
URL = "/procesbeheer/vangnet/versies/1/warmtekaart"
TRIAGE = {
    "prioriteit": "P2",
    "bekend_bij_coordinatiepunt": False,
    "lopende_hulp": False,
    "aantal_minderjarigen": 2,
    "casemanager": "casemanager",
}


def cells(page: str, element: str) -> list[str]:
    row = re.search(rf'<tr class="utrecht-table__row" data-element="{element}">(.*?)</tr>', page, re.S)
    assert row, f"no row for {element}"
    return [
        " ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def test_the_heatmap_counts_and_times_on_the_diagram(app: Flask, client_for: Clients, clock: ManualClock) -> None:
    engine = vangnet_of(app).engine
    with engine.database.reading() as s:
        task = s.scalars(select(HumanTask).where(HumanTask.element_id == "triage")).first()
        assert task is not None
    clock.advance(timedelta(minutes=90))
    engine.run(lambda s: engine.assign(s, task.id, "coordinator", "coordinator"))
    engine.run(lambda s: engine.complete_task(s, task.id, TRIAGE, "coordinator"))
    page = client_for("procesbeheerder").get(URL + "?bestand=behandeling.bpmn").text
    assert cells(page, "triage") == ["taak", "1", "4", "1 u 30 min (1 taak)"]
    assert cells(page, "start")[0] == "ander onderdeel" and cells(page, "start")[3] == "geen tijd bekend"
    found = re.search(r"data-heat='([^']*)'", page)
    assert found
    heat = json.loads(found.group(1))
    assert heat["triage"] == {"passed": 1, "open": 4, "median": "1 u 30 min", "level": heat["triage"]["level"]}
    assert 1 <= heat["triage"]["level"] <= 5
    assert "bpmn-navigated-viewer.production.min.js" in page and "bpmn-modeler" not in page


def test_the_heatmap_pages_refuse_what_does_not_exist(app: Flask, client_for: Clients) -> None:
    client = client_for("procesbeheerder")
    assert client.get(URL + "?bestand=bestaat_niet.bpmn").status_code == 404
    assert client.get("/procesbeheer/vangnet/versies/9/warmtekaart").status_code == 404
    file = client.get("/procesbeheer/vangnet/versies/1/bestanden/vangnet.bpmn")
    assert file.status_code == 200 and file.get_json()["text"].startswith("<?xml")
    assert client.get("/procesbeheer/vangnet/versies/1/bestanden/geen.bpmn").status_code == 404
    assert 'href="/procesbeheer/vangnet/versies/1/warmtekaart"' in client.get("/procesbeheer/vangnet").text
