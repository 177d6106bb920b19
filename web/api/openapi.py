"""The OpenAPI 3.1 document, built from the same JSON Schemas the API validates with."""

from __future__ import annotations

from typing import Any

from .schemas import (
    FEED,
    FEED_ITEM,
    MAX_CURSOR,
    NOTICE,
    NOTICE_ID_PATTERN,
    NOTICE_STATUS,
    PROBLEM,
    UPDATE_RECEIPT,
    update_documented,
)

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"


def document(max_body: int) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Vangnet leveranciers-API",
            "version": "1.0.0",
            "description": "Meldingen van dreigende afsluitingen, berichten bij een lopende melding, en de "
            f"terugkoppelingen (alleen D7-statuscodes). Verzoeken hoogstens {max_body} bytes.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Melding": NOTICE,
                "Bericht": update_documented(),
                "Meldingstatus": NOTICE_STATUS,
                "Berichtontvangst": UPDATE_RECEIPT,
                "Terugkoppeling": FEED_ITEM,
                "Terugkoppelingen": FEED,
                "Probleem": PROBLEM,
            },
        },
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(description: str, schema: str, **headers: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {JSON: {"schema": _ref(schema)}}}
    if headers:
        answer["headers"] = headers
    return answer


def _problems(*codes: int) -> dict[str, Any]:
    common = (400, 401, 403, 429)
    return {
        str(code): {"description": "Probleem", "content": {PROBLEM_JSON: {"schema": _ref("Probleem")}}}
        for code in sorted({*common, *codes})
    }


NOTICE_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": NOTICE_ID_PATTERN}}
LOCATION = {"Location": {"schema": {"type": "string"}, "description": "De URL van de melding."}}


def _paths() -> dict[str, Any]:
    return {
        "/meldingen": {
            "post": {
                "operationId": "meldingIndienen",
                "summary": "Een melding indienen (idempotent per meldingId)",
                "requestBody": {"required": True, "content": {JSON: {"schema": _ref("Melding")}}},
                "responses": {
                    "201": _ok("Nieuwe melding", "Meldingstatus", **LOCATION),
                    "200": _ok("Deze melding was al ontvangen (zelfde inhoud)", "Meldingstatus", **LOCATION),
                    **_problems(409, 413, 415, 422),
                },
            }
        },
        "/meldingen/{id}": {
            "get": {
                "operationId": "meldingStatus",
                "summary": "De status (D7) van een eigen melding",
                "parameters": [NOTICE_ID],
                "responses": {"200": _ok("De status", "Meldingstatus"), **_problems(404)},
            }
        },
        "/meldingen/{id}/berichten": {
            "post": {
                "operationId": "berichtSturen",
                "summary": "Een bericht bij een lopende melding (idempotent per berichtId)",
                "parameters": [NOTICE_ID],
                "requestBody": {"required": True, "content": {JSON: {"schema": _ref("Bericht")}}},
                "responses": {
                    "202": _ok("Bericht ontvangen", "Berichtontvangst"),
                    "200": _ok("Dit bericht was al ontvangen", "Berichtontvangst"),
                    **_problems(404, 409, 413, 415, 422),
                },
            }
        },
        "/terugkoppelingen": {
            "get": {
                "operationId": "terugkoppelingenLezen",
                "summary": "Alles wat naar u is verstuurd, op volgorde; hervat met ?na=",
                "parameters": [
                    {"name": "na", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_CURSOR}},
                    {"name": "limiet", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                ],
                "responses": {"200": _ok("Terugkoppelingen na de cursor", "Terugkoppelingen"), **_problems()},
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "Dit document",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {"type": "object"}}}}},
            }
        },
    }
