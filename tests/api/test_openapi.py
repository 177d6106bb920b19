"""The OpenAPI document: built from the validation schemas, covers every route, and holds against a real server
(Schemathesis: generated requests, no 5xx, every response as documented)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from werkzeug.serving import make_server

from engine.exchange import SUPPLIER_UPDATES
from web.api.schemas import NOTICE, UPDATE_DATA

from .conftest import app_engine, new_token


def documented(app: Flask) -> dict[str, Any]:
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


def test_every_api_route_and_method_is_documented(app: Flask) -> None:
    paths = documented(app)["paths"]
    routes = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")]
    assert routes
    for rule in routes:
        path = re.sub(r"<(?:\w+:)?\w+>", "{id}", rule.rule.removeprefix("/api/v1"))
        methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
        assert path in paths, f"{rule.rule} is not documented"
        assert methods <= set(paths[path]), f"{rule.rule}: {methods - set(paths[path])} not documented"


def test_the_document_uses_the_schemas_the_api_validates_with(app: Flask) -> None:
    schemas = documented(app)["components"]["schemas"]
    assert schemas["Melding"] == NOTICE
    kinds = {alt["properties"]["soort"]["const"]: alt["properties"]["gegevens"] for alt in schemas["Bericht"]["oneOf"]}
    assert kinds == UPDATE_DATA
    assert set(UPDATE_DATA) == set(SUPPLIER_UPDATES)


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    running = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{running.server_port}"
    running.shutdown()
    thread.join(timeout=10)


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors_and_no_undocumented_answers(app: Flask, server: str) -> None:
    headers = {"Authorization": f"Bearer {new_token(app_engine(app), 'essent')}"}
    schema = schemathesis.openapi.from_url(f"{server}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(base_url=f"{server}/api/v1", headers=headers)

        check()
