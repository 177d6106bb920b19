"""The compatibility report of a process's running cases and moving the movable ones to its newest version.

The report (``GET``) says per open case on an older version whether it can move and, if not, why. The move
(``POST``, CSRF, a confirmation box and the version number the process owner saw) moves every movable case in a
transaction of its own and shows the result per case.
"""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engine import InvalidState, workbench

from .. import vangnet
from ..auth import current_user
from . import blueprint


@blueprint.get("/<process_id>/migratie")
def migration(process_id: str) -> ResponseReturnValue:
    return _page(process_id)


@blueprint.post("/<process_id>/migratie")
def migrate(process_id: str) -> ResponseReturnValue:
    engine, user = vangnet().engine, current_user()
    if request.form.get("bevestigd") != "ja":
        return _page(process_id, error=_("Vink aan dat u de zaken naar de nieuwe versie wilt verplaatsen.")), 422
    number = request.form.get("naar", type=int) or 0
    try:
        results = workbench.migrate_all(engine, engine.run, process_id, number, user.username, user.role)
    except InvalidState as refused:
        return _page(process_id, error=refused.message), 409
    return _page(process_id, results=results)


def _page(process_id: str, error: str | None = None, results: list[workbench.MoveResult] | None = None) -> str:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        info = workbench.process(engine, session, process_id)
        found = workbench.report(engine, session, process_id)
    return render_template("workbench/migration.html", info=info, report=found, error=error, results=results)
