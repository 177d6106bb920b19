"""The supplier API's routes: notices, their status, updates and the feed. Short views; the engine does the work."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, current_app, g, request, url_for
from jsonschema import Draft202012Validator

from engine.exchange import (
    NoticeStatus,
    camel_keys,
    deliver_update,
    feed_item_json,
    find_notice,
    notice_status,
    read_feed,
    snake_keys,
    submit_notice,
)
from engine.queries import record_access

from .. import vangnet
from .problems import invalid_params, problem
from .schemas import DATA_VALIDATORS, MAX_CURSOR, NOTICE_ID_PATTERN, VALIDATORS

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
ROLE = "leverancier"
FEED_LIMIT = 100
FEED_MAX = 500


class ApiProblem(Exception):
    """Raised by a view to answer with a problem; nothing has been changed."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


@blueprint.post("/meldingen")
def post_notice() -> Response:
    body = _checked_json("notice")
    payload = snake_keys(body)
    engine, key = vangnet().engine, g.api_client
    with engine.transaction(key) as session:
        result = submit_notice(engine, session, key, payload, "api", key)
        _audit(session, "melding_ontvangen" if result.created else "melding_herhaald", result.reference)
    response = _json(_status_json(result.notice_key, result.status), 201 if result.created else 200)
    response.headers["Location"] = url_for("api.get_notice", notice_id=result.notice_key)
    return response


@blueprint.get("/meldingen/<notice_id>")
def get_notice(notice_id: str) -> Response:
    _require_notice_id(notice_id)
    with vangnet().database.reading() as session:
        case = find_notice(session, g.api_client, notice_id)
        status = notice_status(session, case.id)
    return _json(_status_json(notice_id, status))


@blueprint.post("/meldingen/<notice_id>/berichten")
def post_update(notice_id: str) -> Response:
    _require_notice_id(notice_id)
    body = _checked_json("update")
    _check(DATA_VALIDATORS[body["soort"]], body["gegevens"], "gegevens")
    engine, key = vangnet().engine, g.api_client
    with engine.transaction(key) as session:
        data = snake_keys(body["gegevens"])
        result = deliver_update(engine, session, key, notice_id, body["berichtId"], body["soort"], data)
        if result.created:
            _audit(session, f"bericht_{body['soort']}", result.case_reference or notice_id)
    return _json({"berichtId": body["berichtId"], "status": "ontvangen"}, 202 if result.created else 200)


@blueprint.get("/terugkoppelingen")
def get_feed() -> Response:
    after = _query_int("na", 0, 0, MAX_CURSOR)
    limit = _query_int("limiet", FEED_LIMIT, 1, FEED_MAX)
    with vangnet().database.reading() as session:
        items = read_feed(session, g.api_client, after, limit)
    body = {"terugkoppelingen": [feed_item_json(i) for i in items], "volgende": items[-1].position if items else after}
    return _json(body)


# --- helpers -------------------------------------------------------------------------------------------------


def _checked_json(schema: str) -> Any:
    if request.mimetype != "application/json":
        raise ApiProblem(problem(415, "Stuur de gegevens als JSON (Content-Type: application/json)."))
    raw = request.get_data(cache=False)
    try:
        body = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiProblem(problem(400, f"De inhoud is geen geldige JSON: {exc}")) from exc
    _check(VALIDATORS[schema], body)
    return body


def _check(validator: Draft202012Validator, value: Any, prefix: str = "") -> None:
    errors = list(validator.iter_errors(value))
    if errors:
        detail = "Een of meer velden zijn ongeldig; zie invalid-params."
        raise ApiProblem(problem(422, detail, invalid_params(errors, prefix)))


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is geen geldig JSON-getal")


def _require_notice_id(notice_id: str) -> None:
    if not re.match(NOTICE_ID_PATTERN, notice_id):
        raise ApiProblem(problem(404, "Deze melding is niet bekend."))


def _query_int(name: str, default: int, low: int, high: int) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not re.fullmatch(r"[0-9]{1,12}", text) or not low <= int(text) <= high:
        reason = f"Verwacht een geheel getal van {low} tot en met {high}."
        raise ApiProblem(problem(400, "Ongeldige queryparameter.", [{"name": name, "reason": reason}]))
    return int(text)


def _status_json(notice_id: str, status: NoticeStatus) -> dict[str, Any]:
    return {"id": notice_id, "status": status.status, **camel_keys(status.details)}


def _json(body: Any, status: int = 200) -> Response:
    return current_app.response_class(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def _audit(session: Any, action: str, object_id: str) -> None:
    engine = vangnet().engine
    record_access(
        session,
        actor=g.api_client,
        role=ROLE,
        action=action,
        object_type="zaak",
        object_id=object_id,
        allowed=True,
        origin=f"api:{request.remote_addr or ''}",
        now=engine.now(),
    )
