"""The inbox (``/taken``): my tasks and team tasks, filters, search, sort, pages; claim, release, assign.

Every command is a POST with a CSRF token and ends in a redirect back to the list (post/redirect/get).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from engine import Conflict, NotFound
from engine.queries import SORTS, InboxFilter, colleagues, inbox, user_in_team
from engine.views import task_row

from . import vangnet
from .access import TEAM_ROLES, CurrentUser, audit, deny, inbox_scope, may_claim, may_see_task
from .auth import current_user, login_required

blueprint = Blueprint("inbox", __name__)
PER_PAGE = 25


def read_filter(args: MultiDict[str, str]) -> InboxFilter:
    view = "team" if args.get("weergave") == "team" else "mijn"
    sort = args.get("sorteer", "deadline")
    try:
        page = max(1, int(args.get("pagina", "1")))
    except ValueError:
        page = 1
    return InboxFilter(
        view=view,
        search=args.get("zoek", "")[:100],
        priority=args.get("prioriteit", "") if args.get("prioriteit") in ("P1", "P2", "P3") else "",
        escalated=args.get("escalatie") == "1",
        overdue=args.get("verlopen") == "1",
        winter=args.get("winter") == "1",
        medical=args.get("medisch") == "1",
        sort=sort if sort in SORTS else "deadline",
        descending=args.get("volgorde") == "af",
        page=page,
        per_page=PER_PAGE,
    )


@blueprint.get("/taken", endpoint="inbox")
@login_required
def inbox_page() -> ResponseReturnValue:
    user = current_user()
    scope = inbox_scope(user)
    if scope is None:
        deny(user, "inbox_read", "inbox", user.username)
    assert scope is not None
    wanted = read_filter(request.args)
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        page = inbox(session, scope, wanted, engine.now())
        if "weergave" not in request.args and page.mine == 0 and page.team > 0:
            wanted = replace(wanted, view="team")  # nothing of my own yet: show what waits for the team
            page = inbox(session, scope, wanted, engine.now())
        team = colleagues(session, user.team, TEAM_ROLES) if user.assigns and user.team else []
    audit(user, "inbox_read", "inbox", wanted.view)
    return render_template("inbox.html", page=page, wanted=wanted, colleagues=team, args=request.args)


def _back() -> ResponseReturnValue:
    target = request.form.get("terug", "")
    if target.startswith("/taken") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("inbox.inbox"))


def _checked_task(user: CurrentUser, task_id: str, action: str) -> Any:
    with vangnet().database.reading() as session:
        try:
            task, case = task_row(session, task_id)
        except NotFound:
            abort(404)
    if not may_see_task(user, task, case):
        deny(user, action, "task", task_id)
    return task


@blueprint.post("/taken/<task_id>/oppakken")
@login_required
def claim(task_id: str) -> ResponseReturnValue:
    user = current_user()
    task = _checked_task(user, task_id, "task_claim")
    if not may_claim(user, task):
        deny(user, "task_claim", "task", task_id)
    _try(lambda s: vangnet().engine.claim(s, task_id, user.username), _("Taak opgepakt."))
    if request.form.get("openen") == "1":
        return redirect(url_for("tasks.task", task_id=task_id))
    return _back()


@blueprint.post("/taken/<task_id>/teruggeven")
@login_required
def unclaim(task_id: str) -> ResponseReturnValue:
    user = current_user()
    _checked_task(user, task_id, "task_unclaim")
    _try(lambda s: vangnet().engine.unclaim(s, task_id, user.username), _("Taak teruggelegd in de teamtaken."))
    return _back()


@blueprint.post("/taken/<task_id>/toewijzen")
@login_required
def assign(task_id: str) -> ResponseReturnValue:
    user = current_user()
    if not user.assigns:
        deny(user, "task_assign", "task", task_id)
    _checked_task(user, task_id, "task_assign")
    chosen = request.form.get(f"medewerker_{task_id}") or request.form.get("medewerker", "")
    _assign_one(user, task_id, chosen)
    return _back()


def _assign_one(user: CurrentUser, task_id: str, assignee: str) -> bool:
    assert user.team is not None
    with vangnet().database.reading() as session:
        known = user_in_team(session, assignee, user.team, TEAM_ROLES)
    if not known:
        flash(_("Kies een medewerker uit uw team."), "fout")
        return False
    engine = vangnet().engine
    return _try(
        lambda s: engine.assign(s, task_id, assignee, user.username), _("Taak toegewezen aan %(who)s.", who=assignee)
    )


@blueprint.post("/taken/bulk")
@login_required
def bulk() -> ResponseReturnValue:
    """Claim or assign several tasks at once; every task gets its own result line."""
    user = current_user()
    action = request.form.get("actie")
    ids = request.form.getlist("taak")[:100]
    if action == "toewijzen" and not user.assigns:
        deny(user, "task_assign", "task", ",".join(ids))
    if not ids:
        flash(_("Kies eerst een of meer taken."), "fout")
    for task_id in ids:
        task = _checked_task(user, task_id, "task_bulk")
        if action == "toewijzen":
            _assign_one(user, task_id, request.form.get("medewerker", ""))
        elif may_claim(user, task):
            _try(
                lambda s, t=task_id: vangnet().engine.claim(s, t, user.username),
                _("%(task)s: opgepakt.", task=task.title),
            )
        else:
            flash(_("%(task)s: dit is geen taak voor uw rol.", task=task.title), "fout")
    return _back()


def _try(command: Any, success: str) -> bool:
    try:
        vangnet().engine.run(command, actor=current_user().username)
    except (Conflict, NotFound) as error:
        flash(error.message, "fout")
        return False
    flash(success, "ok")
    return True
