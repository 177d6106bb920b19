"""The inbox, the task page and the case file through the Flask test client, on the real procedure."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.models import AccessLog

from .conftest import csrf_token, vangnet_of
from .test_access import open_task

TRIAGE_OK = {
    "prioriteit": "P1",
    "bekend_bij_coordinatiepunt": "nee",
    "lopende_hulp": "nee",
    "aantal_minderjarigen": "2",
    "casemanager": "casemanager",
}


def claimed_task(app: Flask, client_for: Callable[[str], FlaskClient]) -> tuple[FlaskClient, str, str, str]:
    """A coördinator's client, its CSRF token, and an open triage task it has claimed (with the case reference)."""
    task_id, reference = open_task(app)
    client = client_for("coordinator")
    token = csrf_token(client.get("/taken").text)
    assert client.post(f"/taken/{task_id}/oppakken", data={"csrf_token": token}).status_code == 302
    return client, token, task_id, reference


def test_inbox_counts_filters_search_and_sort(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    client = client_for("coordinator")
    team = client.get("/taken?weergave=team").text
    assert team.count('name="taak"') == 5
    assert re.search(r"Teamtaken <span class=\"vn-count\">5</span>", team)
    assert 'Mijn taken <span class="vn-count">0</span>' in team
    assert client.get("/taken?weergave=team&zoek=Bakker").text.count('name="taak"') == 1
    assert client.get("/taken?weergave=team&zoek=5913").text.count('name="taak"') == 1
    assert client.get("/taken?weergave=team&zoek=VN-2026-000002").text.count('name="taak"') == 1
    assert client.get("/taken?weergave=team&medisch=1").text.count('name="taak"') == 1
    assert client.get("/taken?weergave=team&prioriteit=P1").text.count('name="taak"') == 2
    by_name = client.get("/taken?weergave=team&sorteer=naam&volgorde=op").text
    names = re.findall(r"<td class=\"utrecht-table__cell\">(\w+)<br>", by_name)
    assert names == sorted(names)
    assert "Winter" in team and "Medisch" in team  # markers as text, not only colour


def test_claim_validate_complete_and_next_task(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    task_id, reference = open_task(app)
    client = client_for("coordinator")
    token = csrf_token(client.get("/taken").text)
    assert client.post(f"/taken/{task_id}/oppakken", data={"csrf_token": token}).status_code == 302
    assert 'Mijn taken <span class="vn-count">1</span>' in client.get("/taken").text
    page = client.get(f"/taken/{task_id}").text
    assert "Werkinstructie" in page and 'name="prioriteit"' in page
    bad = client.post(f"/taken/{task_id}", data={"csrf_token": token, "prioriteit": "P2", "aantal_minderjarigen": "x"})
    assert bad.status_code == 422
    assert "foutoverzicht" in bad.text and "Dit veld is verplicht." in bad.text
    assert 'value="P2" checked' in bad.text and 'value="x"' in bad.text  # entered values are kept
    draft = client.post(f"/taken/{task_id}", data={"csrf_token": token, "_actie": "opslaan", "prioriteit": "P3"})
    assert draft.status_code == 302
    assert 'value="P3" checked' in client.get(f"/taken/{task_id}").text
    done = client.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK})
    assert done.status_code == 302 and done.location == f"/zaken/{reference}"
    case_page = client.get(done.location).text
    assert "afgerond" in case_page
    casemanager = client_for("casemanager").get("/taken?weergave=team").text
    assert reference in casemanager  # the next task waits for the casemanagers


def test_every_submit_writes_one_audit_line_also_when_it_fails(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client, token, task_id, reference = claimed_task(app, client_for)

    def lines() -> list[str]:
        with vangnet_of(app).database.reading() as s:
            query = select(AccessLog.result).where(AccessLog.object_id == reference, AccessLog.action == "task_update")
            return list(s.scalars(query))

    assert client.post(f"/taken/{task_id}", data={"csrf_token": token, "prioriteit": "P2"}).status_code == 422
    assert lines() == ["allowed"]  # the completion rolled back, its audit line did not go with it
    assert client.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK}).status_code == 302
    assert lines() == ["allowed", "allowed"]  # written in the completion's own transaction
    assert client.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK}).status_code == 302
    assert lines() == ["allowed"] * 3  # too late: not completed, still logged


def test_completion_by_a_colleague_first_gives_a_clear_message(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    first, token, task_id, _ = claimed_task(app, client_for)
    first.get(f"/taken/{task_id}")
    assert first.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK}).status_code == 302
    again = first.post(f"/taken/{task_id}", data={"csrf_token": token, **TRIAGE_OK}, follow_redirects=True)
    assert again.status_code in (200, 409)
    assert "al afgehandeld" in again.text


def test_coordinator_assigns_and_reassigns(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    task_id, _ = open_task(app)
    client = client_for("coordinator")
    token = csrf_token(client.get("/taken").text)
    client.post(f"/taken/{task_id}/toewijzen", data={"csrf_token": token, "medewerker": "casemanager"})
    assert "Carla" not in client.get("/taken?weergave=mijn").text
    team = client.get("/taken?weergave=team").text
    assert ">casemanager</td>" in team
    client.post(f"/taken/{task_id}/toewijzen", data={"csrf_token": token, f"medewerker_{task_id}": "coordinator"})
    assert client.get("/taken").text.count('name="taak"') == 1
    refused = client.post(
        f"/taken/{task_id}/toewijzen",
        data={"csrf_token": token, "medewerker": "casemanager-maas"},
        follow_redirects=True,
    )
    assert "Kies een medewerker uit uw team." in refused.text


def test_bulk_claim_reports_per_task(app: Flask, client_for: Callable[[str], FlaskClient]) -> None:
    client = client_for("coordinator")
    page = client.get("/taken?weergave=team").text
    ids = re.findall(r'name="taak" value="([^"]+)"', page)[:2]
    result = client.post(
        "/taken/bulk", data={"csrf_token": csrf_token(page), "actie": "oppakken", "taak": ids}, follow_redirects=True
    )
    assert result.text.count(": opgepakt.") == 2


def test_case_file_shows_summary_tasks_timeline_and_diagram(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    _, reference = open_task(app)
    client = client_for("casemanager")
    page = client.get(f"/zaken/{reference}").text
    for text in ("Samenvatting", "Open taken en deadlines", "Tijdlijn", "Berichten", 'id="diagram"', "Zaak gestart"):
        assert text in page
    diagram = re.search(r'data-src="([^"]+)"', page)
    assert diagram
    xml = client.get(diagram.group(1))
    assert xml.status_code == 200 and b'id="triage"' in xml.data


def test_the_inbox_opens_on_the_team_tasks_while_i_have_none(
    app: Flask, client_for: Callable[[str], FlaskClient]
) -> None:
    client = client_for("coordinator")
    first = client.get("/taken").text
    assert first.count('name="taak"') == 5
    assert re.search(r'weergave=team" aria-current="page"', first)
    task_id, _ = open_task(app)
    client.post(f"/taken/{task_id}/oppakken", data={"csrf_token": csrf_token(first)})
    mine = client.get("/taken").text
    assert mine.count('name="taak"') == 1  # once I have a task of my own, "Mijn taken" comes first
    assert client.get("/taken?weergave=mijn").text.count('name="taak"') == 1
