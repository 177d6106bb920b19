"""Workbench pages: the process list, one process with its versions and draft, downloads and uploads."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engine import BundleInvalid, Conflict, Problem, workbench

from .. import vangnet
from ..auth import current_user
from . import blueprint


def main_file(files: dict[str, str], process_id: str) -> str | None:
    """The BPMN file that holds the main process (opened first in the modeler)."""
    bpmn = sorted(n for n in files if n.endswith(".bpmn"))
    return next((n for n in bpmn if f'id="{process_id}"' in files[n]), bpmn[0] if bpmn else None)


@blueprint.get("")
def index() -> ResponseReturnValue:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        found = workbench.processes(engine, session)
    return render_template("workbench/index.html", processes=found)


@blueprint.get("/<process_id>")
def process(process_id: str) -> ResponseReturnValue:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        info = workbench.process(engine, session, process_id)
        versions = workbench.versions(session, process_id)
        files = workbench.draft_files(session, process_id)[0] if info.draft else {}
    first = main_file(files, process_id)
    return render_template("workbench/process.html", info=info, versions=versions, main_file=first)


@blueprint.post("/<process_id>/concept")
def open_draft(process_id: str) -> ResponseReturnValue:
    engine, user = vangnet().engine, current_user()
    engine.run(lambda s: workbench.open_draft(s, process_id, user.username, engine.now()), actor=user.username)
    with vangnet().database.reading() as session:
        files = workbench.draft_files(session, process_id)[0]
    name = main_file(files, process_id)
    return redirect(url_for("workbench.edit", process_id=process_id, name=name))


@blueprint.post("/<process_id>/concept/weggooien")
def discard(process_id: str) -> ResponseReturnValue:
    engine = vangnet().engine
    revision = request.form.get("revisie", type=int) or 0
    engine.run(lambda s: workbench.discard(s, process_id, revision), actor=current_user().username)
    flash(_("Het concept is weggegooid."), "ok")
    return redirect(url_for("workbench.process", process_id=process_id))


@blueprint.post("/<process_id>/concept/uploaden")
def upload(process_id: str) -> ResponseReturnValue:
    engine, user = vangnet().engine, current_user()
    revision = request.form.get("revisie", type=int)
    try:
        files = _uploaded_files()
        engine.run(lambda s: workbench.put_files(s, process_id, files, revision, user.username, engine.now()))
    except BundleInvalid as invalid:
        flash(_("Niet geüpload: %(reason)s", reason=describe(invalid.problems)), "fout")
    except Conflict as conflict:
        flash(_("Niet geüpload: %(reason)s", reason=conflict.message), "fout")
    else:
        flash(_("%(count)s bestand(en) in het concept gezet.", count=len(files)), "ok")
    return redirect(url_for("workbench.process", process_id=process_id))


def describe(problems: list[Problem]) -> str:
    return "; ".join(str(p) if p.file else p.message for p in problems)


def _uploaded_files() -> dict[str, str]:
    uploads = [f for f in request.files.getlist("bestanden") if f.filename]
    if not uploads:
        raise BundleInvalid([Problem("", _("Kies een of meer bestanden."))])
    files: dict[str, str] = {}
    for upload in uploads:
        files.update(workbench.from_upload(upload.filename or "", upload.read()))
    return files


@blueprint.get("/<process_id>/versies/<int:number>.zip")
def version_zip(process_id: str, number: int) -> ResponseReturnValue:
    with vangnet().database.reading() as session:
        files = workbench.version_files(session, process_id, number)
    return _zip(files, f"{process_id}-versie-{number}.zip")


@blueprint.get("/<process_id>/concept.zip")
def draft_zip(process_id: str) -> ResponseReturnValue:
    with vangnet().database.reading() as session:
        files, revision = workbench.draft_files(session, process_id)
    return _zip(files, f"{process_id}-concept-revisie-{revision}.zip")


def _zip(files: dict[str, str], filename: str) -> Response:
    disposition = f'attachment; filename="{filename}"'
    return Response(workbench.to_zip(files), mimetype="application/zip", headers={"Content-Disposition": disposition})
