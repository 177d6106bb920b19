"""Engine errors and HTTP errors mapped to pages, in one place."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from engine import Conflict, InvalidState, NotFound


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(Conflict, _conflict)
    app.register_error_handler(InvalidState, _conflict)
    app.register_error_handler(HTTPException, _http)


def _page(status: int, title: str, message: str) -> ResponseReturnValue:
    return render_template("error.html", title=title, message=message, status=status), status


def _csrf(error: CSRFError) -> ResponseReturnValue:
    message = _(
        "Het formulier is verlopen of niet door Vangnet verstuurd. Laad de pagina opnieuw en probeer het nog eens."
    )
    return _page(400, _("Formulier niet geaccepteerd"), message)


def _not_found(error: NotFound) -> ResponseReturnValue:
    return _page(404, _("Niet gevonden"), error.message)


def _conflict(error: Conflict | InvalidState) -> ResponseReturnValue:
    return _page(409, _("Niet gelukt"), error.message)


def _http(error: HTTPException) -> ResponseReturnValue:
    titles = {
        403: _("Geen toegang"),
        404: _("Niet gevonden"),
        405: _("Niet toegestaan"),
    }
    messages = {
        403: _("U hebt geen toegang tot deze pagina. Uw rol of team staat dit niet toe."),
        404: _("Deze pagina bestaat niet."),
    }
    status = error.code or 500
    return _page(status, titles.get(status, error.name), messages.get(status, error.description or ""))
