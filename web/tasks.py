"""The task page (``/taken/<id>``): instructions, the form, save as draft, complete (post/redirect/get).

Validation is the engine's: the submitted data goes to ``Engine.complete_task``, which checks it against the
form's JSON Schema; a :class:`~engine.DataInvalid` comes back as field messages and an error summary, with the
entered values kept. A colleague who completed the task first gives a :class:`~engine.Conflict`: a clear message.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engine import Conflict, DataInvalid, InvalidState, NotFound
from engine.views import TaskView, task_data, task_view

from . import instructions, vangnet
from .access import CurrentUser, audit, audit_in, deny, may_claim, may_see_task, may_work_on
from .auth import current_user, login_required
from .forms_render import build, edit_rows, error_map, labels, parse

blueprint = Blueprint("tasks", __name__)


def _load(user: CurrentUser, task_id: str, action: str, with_data: bool = True, logged: bool = True) -> TaskView:
    """The task as ``user`` may see it (403 otherwise), with the audit line written unless not ``logged`` (then
    the caller writes it, together with the change it makes)."""
    engine = vangnet().engine
    with vangnet().database.lookup() as session:
        try:
            view = task_view(engine, session, task_id, with_data)
        except NotFound:
            abort(404)
    if not may_see_task(user, view.task, view.case):
        deny(user, action, "task", task_id)
    if logged:
        audit(user, action, "case", view.case.reference)
    return view


@blueprint.get("/taken/<task_id>")
@login_required
def task(task_id: str) -> ResponseReturnValue:
    user = current_user()
    view = _load(user, task_id, "task_read")
    values = view.task.draft or {}
    return _page(user, view, values, [])


def _page(user: CurrentUser, view: TaskView, values: dict[str, Any], errors: list[Any], status: int = 200) -> Any:
    if not view.data and view.task.state == "open":  # a submitted form shown again: now its data is needed
        with vangnet().database.lookup() as session:
            view = replace(view, data=task_data(vangnet().engine, session, view.task.id))
    by_path = error_map(errors)
    fields = build(view.schema, view.ui_schema, values, by_path) if view.schema else []
    names = labels(fields)
    summary = [(path, names.get(path, _("Formulier")), message) for path, message in by_path.items()]
    html = render_template(
        "task.html",
        view=view,
        fields=fields,
        errors=summary,
        instructions=instructions.render(view.task.instructions, view.data),
        can_work=may_work_on(user, view.task),
        can_claim=may_claim(user, view.task) and view.task.assignee is None,
    )
    return html, status


@blueprint.post("/taken/<task_id>")
@login_required
def submit(task_id: str) -> ResponseReturnValue:
    user = current_user()
    view = _load(user, task_id, "task_update", with_data=False, logged=False)
    action = request.form.get("_actie", "afronden")
    completing = action != "opslaan" and not action.startswith(("toevoegen:", "verwijderen:"))
    if completing and may_work_on(user, view.task):
        data = parse(view.schema, view.ui_schema, request.form) if view.schema else {}
        return _complete(user, view, data)  # writes the audit line with the completion
    audit(user, "task_update", "case", view.case.reference)
    if not may_work_on(user, view.task):
        flash(_("Pak de taak eerst op; alleen wie de taak heeft kan hem invullen."), "fout")
        return redirect(url_for("tasks.task", task_id=task_id))
    data = parse(view.schema, view.ui_schema, request.form) if view.schema else {}
    if action == "opslaan":
        return _save_draft(user, task_id, data)
    return _page(user, view, edit_rows(data, action), [])


def _save_draft(user: CurrentUser, task_id: str, data: dict[str, Any]) -> ResponseReturnValue:
    engine = vangnet().engine
    try:
        engine.run(lambda s: engine.save_draft(s, task_id, data, user.username), actor=user.username)
    except Conflict as error:
        flash(error.message, "fout")
        return redirect(url_for("inbox.inbox"))
    flash(_("Concept opgeslagen. U kunt later verder."), "ok")
    return redirect(url_for("tasks.task", task_id=task_id))


def _complete(user: CurrentUser, view: TaskView, data: dict[str, Any]) -> ResponseReturnValue:
    engine = vangnet().engine

    def complete(session: Any) -> None:
        audit_in(session, user, "task_update", "case", view.case.reference)
        engine.complete_task(session, view.task.id, data, user.username)

    try:
        engine.run(complete, actor=user.username)
    except Exception as error:
        audit(user, "task_update", "case", view.case.reference)  # its line went with the rolled-back completion
        if isinstance(error, DataInvalid):
            return _page(user, view, data, error.errors, status=422)
        if isinstance(error, Conflict | InvalidState):
            flash(_("Niet opgeslagen: %(reason)s", reason=error.message), "fout")
            return redirect(url_for("inbox.inbox"))
        raise
    flash(_("Taak \u201c%(title)s\u201d afgerond.", title=view.task.title), "ok")
    if user.role == "garantsteller":
        return redirect(url_for("inbox.inbox"))
    return redirect(url_for("cases.case", reference=view.case.reference))
