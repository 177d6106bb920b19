"""The modeler page and its JSON endpoints: one draft file in and out, check the draft, deploy it.

The page itself carries no data in scripts (the CSP forbids inline scripts): ``static/workbench/modeler.js``
reads URLs from data attributes and talks JSON. A stale save answers 409 with the engine's conflict message and
the current revision; the browser keeps the process owner's diagram, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engine import BundleInvalid, Conflict, DataInvalid, InvalidState, NotFound, Problem, workbench

from .. import vangnet
from ..auth import current_user
from . import blueprint


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "element_id": problem.element_id, "line": problem.line, "message": problem.message}


def open_draft_file(process_id: str, name: str, suffix: str) -> tuple[Any, dict[str, str], int]:
    """The process, the draft's files and revision for an editor page of ``name`` (404: no draft, no such file)."""
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        info = workbench.process(engine, session, process_id)
        try:
            files, revision = workbench.draft_files(session, process_id)
        except NotFound:
            abort(404)
    if name not in files or not name.endswith(suffix):
        abort(404)
    return info, files, revision


@blueprint.get("/<process_id>/concept/bewerken/<name>")
def edit(process_id: str, name: str) -> ResponseReturnValue:
    info, files, revision = open_draft_file(process_id, name, ".bpmn")
    forms = sorted(n for n in files if n.endswith(".schema.json"))
    ui_forms = sorted(n for n in files if n.endswith(".uischema.json"))
    diagrams = sorted(n for n in files if n.endswith(".bpmn"))
    return render_template(
        "workbench/modeler.html",
        info=info,
        name=name,
        revision=revision,
        diagrams=diagrams,
        forms=forms,
        ui_forms=ui_forms,
    )


@blueprint.get("/<process_id>/concept/bestanden/<name>")
def file(process_id: str, name: str) -> ResponseReturnValue:
    with vangnet().database.reading() as session:
        files, revision = workbench.draft_files(session, process_id)
    if name not in files:
        abort(404)
    return jsonify(name=name, text=files[name], revision=revision)


@blueprint.post("/<process_id>/concept/bestanden/<name>")
def save(process_id: str, name: str) -> ResponseReturnValue:
    engine, user = vangnet().engine, current_user()
    body = request.get_json(silent=True) or {}
    text, revision = body.get("text"), body.get("revision")
    if not isinstance(text, str) or not isinstance(revision, int):
        return jsonify(message=_("Ongeldig verzoek: tekst en revisie ontbreken.")), 400
    try:
        saved = engine.run(
            lambda s: workbench.save_file(s, process_id, name, text, revision, user.username, engine.now()),
            actor=user.username,
        )
    except Conflict as conflict:
        return _conflict(conflict)
    except BundleInvalid as invalid:
        return jsonify(message=_("Niet opgeslagen."), problems=[problem_json(p) for p in invalid.problems]), 422
    return jsonify(revision=saved.revision, message=_("Opgeslagen (revisie %(revision)s).", revision=saved.revision))


def _conflict(conflict: Conflict) -> ResponseReturnValue:
    message = _(
        "Niet opgeslagen: %(reason)s Uw diagram staat nog in dit scherm. Download uw versie en laad daarna het "
        "nieuwste concept.",
        reason=conflict.message,
    )
    return jsonify(message=message, revision=conflict.details.get("revision")), 409


@blueprint.post("/<process_id>/concept/controleren")
def check(process_id: str) -> ResponseReturnValue:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        problems, revision = workbench.check_draft(engine, session, process_id)
    if problems:
        message = _("Het concept bevat %(count)s fout(en).", count=len(problems))
    else:
        message = _("Geen fouten gevonden: het concept kan worden uitgerold.")
    return jsonify(revision=revision, problems=[problem_json(p) for p in problems], message=message)


@blueprint.post("/<process_id>/concept/uitrollen")
def deploy(process_id: str) -> ResponseReturnValue:
    engine, user = vangnet().engine, current_user()
    body = request.get_json(silent=True) or {}
    note, revision = str(body.get("note") or ""), body.get("revision")
    if not isinstance(revision, int):
        return jsonify(message=_("Ongeldig verzoek: de revisie ontbreekt.")), 400
    try:
        result = engine.run(
            lambda s: workbench.deploy_draft(engine, s, process_id, revision, note, user.username),
            actor=user.username,
        )
    except BundleInvalid as invalid:
        message = _("Niet uitgerold: het concept bevat %(count)s fout(en).", count=len(invalid.problems))
        return jsonify(message=message, problems=[problem_json(p) for p in invalid.problems]), 422
    except DataInvalid as invalid:
        return jsonify(message=invalid.errors[0].message, field="note"), 422
    except Conflict as conflict:
        return _conflict(conflict)
    except InvalidState as refused:
        return jsonify(message=refused.message), 409
    flash(_("Versie %(number)s is uitgerold. Nieuwe zaken volgen deze versie.", number=result.number), "ok")
    return jsonify(number=result.number, location=url_for("workbench.process", process_id=process_id))
