"""The case file (``/zaken/<reference>``) and the BPMN XML of the case's process version for the viewer."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from engine import NotFound
from engine.views import case_file, case_summary, diagram_xml

from . import vangnet
from .access import CurrentUser, audit, deny, may_see_case
from .auth import current_user, login_required

blueprint = Blueprint("cases", __name__)


def _check(user: CurrentUser, reference: str, action: str) -> None:
    with vangnet().database.reading() as session:
        try:
            summary = case_summary(session, reference)
        except NotFound:
            abort(404)
    if not may_see_case(user, summary):
        deny(user, action, "case", reference)


@blueprint.get("/zaken/<reference>")
@login_required
def case(reference: str) -> ResponseReturnValue:
    user = current_user()
    _check(user, reference, "case_read")
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        file = case_file(engine, session, reference, request.args.get("diagram"))
    audit(user, "case_read", "case", reference)
    current = json.dumps([t.element_id for t in file.open_tasks])
    return render_template("case.html", file=file, current=current, path=json.dumps(file.path))


@blueprint.get("/zaken/<reference>/diagram/<name>")
@login_required
def diagram(reference: str, name: str) -> ResponseReturnValue:
    user = current_user()
    _check(user, reference, "diagram_read")
    with vangnet().database.reading() as session:
        try:
            xml = diagram_xml(session, reference, name)
        except NotFound:
            abort(404)
    return Response(xml, mimetype="application/xml", headers={"Cache-Control": "private, max-age=300"})
