"""Logging in and out, the current user, session expiry and the language switch.

Passwords are checked by ``engine.accounts.authenticate`` (which also counts failures and locks the account).
The session holds only the username and when it was last used; the user is re-read on every request, so a
deactivated account is out at once. A session unused for ``VANGNET_IDLE_TIMEOUT`` ends.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from engine import accounts

from . import LANGUAGES, vangnet
from .access import CurrentUser, home_endpoint

blueprint = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])
SEEN_RESOLUTION = timedelta(seconds=30)  # how precisely "last used" is kept: the idle timeout may run this much late


class LoginForm(FlaskForm):
    username = StringField("Gebruikersnaam", validators=[DataRequired(), Length(max=100)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(), Length(max=200)])


@blueprint.before_app_request
def load_user() -> None:
    g.user = None
    username = session.get("gebruiker")
    if not username:
        return
    now = vangnet().engine.now()
    seen = session.get("gezien")
    idle = current_app.config["VANGNET_IDLE_TIMEOUT"]
    if seen is None or now - datetime.fromisoformat(seen) > idle:
        session.clear()
        flash(_("Uw sessie is verlopen. Log opnieuw in."), "info")
        return
    with vangnet().database.lookup() as db:
        user = accounts.active_user(db, username)
    if user is None:
        session.clear()
        return
    g.user = CurrentUser(user.username, user.display_name, user.role, user.team)
    if now - datetime.fromisoformat(seen) >= SEEN_RESOLUTION:  # else the cookie need not be signed and sent again
        session["gezien"] = now.isoformat()


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", volgende=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def current_user() -> CurrentUser:
    user: CurrentUser = g.user
    return user


@blueprint.route("/inloggen", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        found = _authenticate(str(form.username.data), str(form.password.data))
        if found is not None:
            username, role = found
            _start_session(username)
            return redirect(_safe_next(request.args.get("volgende"), url_for(home_endpoint(role))))
        failed = True
    elif request.method == "POST":
        failed = True
    status = 401 if failed else 200
    return render_template("login.html", form=form, failed=failed), status


def _authenticate(username: str, password: str) -> tuple[str, str] | None:
    """The user name and role of a valid login (None: wrong, locked or inactive)."""
    engine = vangnet().engine

    def check(db: Any) -> tuple[str, str] | None:
        user = accounts.authenticate(db, username.strip().lower(), password, engine.now())
        if user is not None:
            user.last_login_at = engine.now()
        return (user.username, user.role) if user is not None else None

    return engine.run(check, actor=username)


def _start_session(username: str) -> None:
    language = session.get("taal")
    session.clear()  # a fresh session on login: no fixation
    session.permanent = True
    session["gebruiker"] = username
    session["gezien"] = vangnet().engine.now().isoformat()
    if language:
        session["taal"] = language


def _safe_next(target: str | None, default: str | None = None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return default or url_for("index")


@blueprint.post("/uitloggen")
def logout() -> ResponseReturnValue:
    language = session.get("taal")
    session.clear()
    if language:
        session["taal"] = language
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("auth.login"))


@blueprint.post("/taal")
def language() -> ResponseReturnValue:
    chosen = request.form.get("taal", "nl")
    session["taal"] = chosen if chosen in LANGUAGES else "nl"
    return redirect(_safe_next(request.form.get("terug")))
