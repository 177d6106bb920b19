"""Errors as ``application/problem+json`` (RFC 9457): one place maps HTTP and engine errors to a problem."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Response, current_app, request
from jsonschema import ValidationError
from werkzeug.exceptions import HTTPException

from engine import Conflict, DataInvalid, InvalidState, NotFound, VangnetError
from engine.errors import PermissionDenied

PROBLEM_TYPE = "https://vangnet.example/problemen/"
TITLES = {
    400: "Ongeldig verzoek",
    401: "Niet geauthenticeerd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Conflict",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Ongeldige gegevens",
    429: "Te veel verzoeken",
    500: "Interne fout",
    503: "Tijdelijk niet beschikbaar",
}
ENGINE_STATUS: dict[type[VangnetError], int] = {
    NotFound: 404,
    Conflict: 409,
    InvalidState: 409,
    DataInvalid: 422,
    PermissionDenied: 403,
}


def problem(status: int, detail: str, invalid: list[dict[str, str]] | None = None, **headers: str) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + str(status),
        "title": TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if invalid:
        body["invalid-params"] = invalid
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json"
    )
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def from_http(error: HTTPException) -> Response:
    status = error.code or 500
    detail = {
        404: "Deze bron bestaat niet.",
        405: "Deze methode is hier niet toegestaan.",
        413: "Het verzoek is te groot.",
    }.get(status, error.description or TITLES.get(status, "Fout"))
    response = problem(status, detail)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def from_engine(error: VangnetError) -> Response:
    status = next((code for kind, code in ENGINE_STATUS.items() if isinstance(error, kind)), 500)
    invalid = [{"name": e.path, "reason": e.message} for e in error.errors] if isinstance(error, DataInvalid) else None
    return problem(status, error.message if status != 500 else "Er ging iets mis; probeer het later opnieuw.", invalid)


def invalid_params(errors: Iterable[ValidationError], prefix: str = "") -> list[dict[str, str]]:
    found = [param for error in errors for param in _params(error, prefix)]
    unique = {(p["name"], p["reason"]): p for p in found}
    return sorted(unique.values(), key=lambda p: p["name"])


def _params(error: ValidationError, prefix: str) -> list[dict[str, str]]:
    path = _path(prefix, error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return [{"name": _path(path, [missing]), "reason": "Dit veld is verplicht."}]
    if error.validator == "additionalProperties":
        extra = [k for k in error.instance if k not in (error.schema.get("properties") or {})]
        return [{"name": _path(path, [k]), "reason": "Dit veld is onbekend."} for k in extra]
    return [{"name": path or "(body)", "reason": _reason(error)}]


def _path(prefix: str, parts: Iterable[Any]) -> str:
    names = [prefix] if prefix else []
    names += [str(p) for p in parts if p != ""]
    return ".".join(names)


def _reason(error: ValidationError) -> str:
    kind, value = error.validator, error.validator_value
    if kind == "type":
        kinds = value if isinstance(value, list) else [value]
        return "Verwacht: " + " of ".join(_TYPE_NAMES.get(k, k) for k in kinds) + "."
    if kind in ("enum", "const"):
        options = value if kind == "enum" else [value]
        return "Kies uit: " + ", ".join(json.dumps(o, ensure_ascii=False) for o in options) + "."
    if (kind == "format" and value == "date") or (kind == "pattern" and "\\d{4}-\\d{2}-\\d{2}" in str(value)):
        return "Verwacht een datum als JJJJ-MM-DD."
    simple = {
        "pattern": "Heeft niet de juiste vorm.",
        "format": "Heeft niet de juiste vorm.",
        "minimum": f"Moet minstens {value} zijn.",
        "maximum": f"Mag hoogstens {value} zijn.",
        "maxLength": f"Mag hoogstens {value} tekens lang zijn.",
        "maxItems": f"Mag hoogstens {value} waarden bevatten.",
        "uniqueItems": "Elke waarde mag maar één keer voorkomen.",
        "minProperties": "Geef minstens één veld.",
    }
    return simple.get(str(kind), "Ongeldige waarde.")


_TYPE_NAMES = {
    "string": "tekst",
    "integer": "geheel getal",
    "number": "getal",
    "boolean": "true of false",
    "object": "object",
    "array": "lijst",
    "null": "null",
}
