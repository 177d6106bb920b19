"""The DMN and form editors through Flask's test client: the pages, the preview drawn with the task page's
macros, precise Dutch errors (line and column for JSON, the path for the schema), saving into the draft with
the revision check, CSRF."""

from __future__ import annotations

import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from ..web.conftest import csrf_token

Clients = Callable[[str], FlaskClient]
FORM = "/procesbeheer/vangnet/concept/formulier/triage.schema.json"
TABLE = "/procesbeheer/vangnet/concept/tabel/d2_prioriteit.dmn"


def with_draft(client_for: Clients) -> tuple[FlaskClient, str]:
    client = client_for("procesbeheerder")
    token = csrf_token(client.get("/procesbeheer/vangnet").text)
    assert client.post("/procesbeheer/vangnet/concept", data={"csrf_token": token}).status_code == 302
    return client, token


def draft_text(client: FlaskClient, name: str) -> tuple[str, int]:
    file = client.get(f"/procesbeheer/vangnet/concept/bestanden/{name}").get_json()
    return file["text"], file["revision"]


def with_field(text: str) -> str:
    schema = json.loads(text)
    schema["properties"]["telefoon_gezin"] = {"type": "string", "title": "Telefoonnummer van het gezin"}
    return json.dumps(schema, indent=2, ensure_ascii=False)


def test_the_table_page_loads_dmn_js_and_only_dmn_files(app: Flask, client_for: Clients) -> None:
    client, _token = with_draft(client_for)
    page = client.get(TABLE).text
    assert "vendor/dmn-js/dmn-modeler.production.min.js" in page and "bpmn-modeler" not in page
    assert 'data-save="/procesbeheer/vangnet/concept/bestanden/d2_prioriteit.dmn"' in page
    assert client.get("/procesbeheer/vangnet/concept/tabel/vangnet.bpmn").status_code == 404
    assert client.get("/procesbeheer/vangnet/concept/tabel/bestaat_niet.dmn").status_code == 404
    overview = client.get("/procesbeheer/vangnet").text
    assert 'href="/procesbeheer/vangnet/concept/tabel/d4_garantie.dmn"' in overview
    assert f'href="{FORM}"' in overview


def test_a_table_saved_through_the_modeler_endpoint_has_the_revision_check(app: Flask, client_for: Clients) -> None:
    client, token = with_draft(client_for)
    text, revision = draft_text(client, "d2_prioriteit.dmn")
    url, headers = "/procesbeheer/vangnet/concept/bestanden/d2_prioriteit.dmn", {"X-CSRFToken": token}
    changed = text.replace("<text>&lt; 10</text>", "<text>&lt; 12</text>", 1)
    assert changed != text
    assert client.post(url, json={"revision": revision, "text": changed}, headers=headers).status_code == 200
    stale = client.post(url, json={"revision": revision, "text": text}, headers=headers)
    assert stale.status_code == 409
    assert draft_text(client, "d2_prioriteit.dmn") == (changed, revision + 1)


def test_the_form_page_shows_the_texts_and_a_preview(app: Flask, client_for: Clients) -> None:
    client, _token = with_draft(client_for)
    page = client.get(FORM).text
    assert 'id="schema-tekst"' in page and "&#34;bekend_bij_coordinatiepunt&#34;" in page
    assert "Is het gezin bekend bij het coördinatiepunt?" in page  # the preview, drawn by the macros
    assert client.get("/procesbeheer/vangnet/concept/formulier/triage.uischema.json").status_code == 404


def test_a_preview_shows_a_new_field_without_saving(app: Flask, client_for: Clients) -> None:
    client, token = with_draft(client_for)
    text, revision = draft_text(client, "triage.schema.json")
    ui, _ = draft_text(client, "triage.uischema.json")
    data = {"csrf_token": token, "revisie": revision, "schema": with_field(text), "uischema": ui}
    response = client.post(FORM + "/voorbeeld", data=data)
    assert response.status_code == 200
    assert '<label class="utrecht-form-label" for="veld-telefoon_gezin">Telefoonnummer van het gezin' in response.text
    assert draft_text(client, "triage.schema.json") == (text, revision)  # a preview saves nothing


def test_invalid_json_and_an_invalid_schema_are_precise_dutch_errors(app: Flask, client_for: Clients) -> None:
    client, token = with_draft(client_for)
    text, revision = draft_text(client, "triage.schema.json")
    broken = '{\n  "type": "object",\n  "properties": {"a": {"type": "string",}}\n}'
    data = {"csrf_token": token, "revisie": revision, "schema": broken, "uischema": ""}
    response = client.post(FORM + "/voorbeeld", data=data)
    assert response.status_code == 422
    assert "JSON Schema: geen geldige JSON op regel 3, kolom 41: hier hoort een veldnaam" in response.text
    assert broken.replace('"', "&#34;") in response.text  # the text stays on the screen
    wrong_type = '{"type": "object", "properties": {"a": {"type": "tekst"}}}'
    response = client.post(FORM + "/voorbeeld", data={**data, "schema": wrong_type})
    assert response.status_code == 422
    assert "JSON Schema: ongeldig bij $.properties.a.type: &#34;tekst&#34; is geen type" in response.text
    response = client.post(FORM, data={**data, "schema": wrong_type})  # nor saved
    assert response.status_code == 422 and draft_text(client, "triage.schema.json") == (text, revision)


def test_saving_a_form_goes_into_the_draft_with_the_revision_check(app: Flask, client_for: Clients) -> None:
    client, token = with_draft(client_for)
    text, revision = draft_text(client, "triage.schema.json")
    ui, _ = draft_text(client, "triage.uischema.json")
    data = {"csrf_token": token, "revisie": revision, "schema": with_field(text), "uischema": ui}
    assert client.post(FORM, data={k: v for k, v in data.items() if k != "csrf_token"}).status_code == 400
    response = client.post(FORM, data=data)
    assert response.status_code == 302 and response.location.endswith(FORM)
    assert "Formulier opgeslagen in het concept (revisie 2)" in client.get(FORM).text
    assert draft_text(client, "triage.schema.json") == (with_field(text), revision + 1)
    stale = client.post(FORM, data={**data, "schema": text})
    assert stale.status_code == 409 and "heeft het concept intussen opgeslagen" in stale.text
    assert draft_text(client, "triage.schema.json")[0] == with_field(text)
