"""The decision-table editor: one DMN file of the draft in dmn-js's modeler.

The page carries URLs in data attributes; ``static/workbench/dmn.js`` loads the file and saves and checks it
through the modeler's JSON endpoints (``editor.file``, ``editor.save``, ``editor.check``), so a DMN save has the
same revision check as a BPMN save.
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from . import blueprint
from .editor import open_draft_file


@blueprint.get("/<process_id>/concept/tabel/<name>")
def edit_table(process_id: str, name: str) -> ResponseReturnValue:
    info, files, revision = open_draft_file(process_id, name, ".dmn")
    tables = sorted(n for n in files if n.endswith(".dmn"))
    return render_template("workbench/dmn.html", info=info, name=name, revision=revision, tables=tables)
