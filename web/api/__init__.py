"""The supplier API (``/api/v1``): bearer tokens, JSON in and out, every error as problem+json (RFC 9457).

``register_api(app)`` adds the blueprint to an app made by ``create_app``; call it after the other blueprints and
error handlers, because it chains the app-wide 404/405 handling so that unknown ``/api/`` URLs also get a problem
answer while every other URL keeps its page. The API never uses the cookie session and is exempt from CSRF (it
has no cookies to protect: a request carries its own token).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from engine import VangnetError

from .. import vangnet
from . import openapi
from .problems import from_engine, from_http, problem
from .security import RateLimiter, identify, parse_limit
from .views import ApiProblem, blueprint

MAX_BODY = 64 * 1024
DEFAULT_RATE_LIMIT = "120/60"
PUBLIC_ENDPOINTS = {"api.openapi_document"}


def register_api(app: Flask) -> None:
    app.config.setdefault("VANGNET_API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    app.config.setdefault("VANGNET_API_MAX_BODY", MAX_BODY)
    limit, window = parse_limit(str(app.config["VANGNET_API_RATE_LIMIT"]))
    app.extensions["vangnet_api"] = RateLimiter(limit, window)
    app.register_blueprint(blueprint)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(blueprint)
    _chain_http_errors(app)


@blueprint.before_request
def guard() -> Response | None:
    max_body = int(current_app.config["VANGNET_API_MAX_BODY"])
    request.max_content_length = max_body
    if (request.content_length or 0) > max_body:
        return problem(413, f"Het verzoek is groter dan {max_body} bytes.")
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    with vangnet().database.reading() as session:
        caller = identify(session)
    allowed = caller.client is not None and caller.problem is None
    limiter: RateLimiter = current_app.extensions["vangnet_api"]
    wait = limiter.hit(caller.client.key if allowed and caller.client else f"ip:{request.remote_addr}")
    if wait is not None:
        return problem(429, "Te veel verzoeken; probeer het later opnieuw.", Retry_After=str(int(wait) + 1))
    if caller.problem is not None:
        status, detail = caller.problem
        extra = {"WWW_Authenticate": 'Bearer realm="vangnet"'} if status == 401 else {}
        return problem(status, detail, **extra)
    g.api_client = caller.client.key if caller.client else ""
    return None


@blueprint.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(openapi.document(int(current_app.config["VANGNET_API_MAX_BODY"])))


@blueprint.errorhandler(ApiProblem)
def _api_problem(error: ApiProblem) -> Response:
    return error.response


@blueprint.errorhandler(VangnetError)
def _engine_error(error: VangnetError) -> Response:
    return from_engine(error)


@blueprint.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    return from_http(error)


def _chain_http_errors(app: Flask) -> None:
    """Unknown URLs and methods under /api/ answer with a problem; elsewhere the app's own handler (if any)."""
    handlers = app.error_handler_spec.setdefault(None, {}).setdefault(None, {})
    previous = handlers.get(HTTPException)

    def handle(error: HTTPException) -> Any:
        if request.path.startswith("/api/"):
            return from_http(error)
        return previous(error) if previous is not None else error

    app.register_error_handler(HTTPException, handle)
