"""The diff page: what changed between two versions of a process, or between its latest version and the draft."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from engine import NotFound, workbench

from .. import vangnet
from . import blueprint

DRAFT = "concept"


@blueprint.get("/<process_id>/verschil")
def diff(process_id: str) -> ResponseReturnValue:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        info = workbench.process(engine, session, process_id)
        numbers = [v.number for v in workbench.versions(session, process_id)]
        old = request.args.get("van", type=int) or (numbers[1] if len(numbers) > 1 else numbers[0])
        new = request.args.get("naar") or (DRAFT if info.draft else str(numbers[0]))
        try:
            result = workbench.diff_files(
                workbench.version_files(session, process_id, old), _files(session, process_id, new)
            )
        except (NotFound, ValueError):
            abort(404)
    choices = [(str(n), _("versie %(number)s", number=n)) for n in numbers]
    if info.draft:
        choices.insert(0, (DRAFT, _("concept (revisie %(revision)s)", revision=info.draft.revision)))
    return render_template("workbench/diff.html", info=info, result=result, old=str(old), new=new, choices=choices)


def _files(session: Session, process_id: str, which: str) -> dict[str, str]:
    if which == DRAFT:
        return workbench.draft_files(session, process_id)[0]
    return workbench.version_files(session, process_id, int(which))
