"""The decision-table editor: one DMN file of the draft in dmn-js's modeler.

The page carries URLs in data attributes; ``static/workbench/dmn.js`` loads the file and saves and checks it
through the modeler's JSON endpoints (``editor.file``, ``editor.save``, ``editor.check``), so a DMN save has the
same revision check as a BPMN save.
"""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from engine import NotFound, workbench

from .. import vangnet
from . import blueprint


@blueprint.get("/<process_id>/concept/tabel/<name>")
def edit_table(process_id: str, name: str) -> ResponseReturnValue:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        info = workbench.process(engine, session, process_id)
        try:
            files, revision = workbench.draft_files(session, process_id)
        except NotFound:
            abort(404)
    if name not in files or not name.endswith(".dmn"):
        abort(404)
    tables = sorted(n for n in files if n.endswith(".dmn"))
    return render_template("workbench/dmn.html", info=info, name=name, revision=revision, tables=tables)
