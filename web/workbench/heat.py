"""The heatmap page of a version: the diagram in bpmn-js's viewer with, on every element, how many cases passed
it and (user tasks) the median time there; the same numbers in a table below, for reading without the diagram.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engine import workbench

from .. import vangnet
from . import blueprint
from .pages import main_file

LEVELS = 5


def duration_text(seconds: float | None) -> str:
    """A median time in words a process owner reads at a glance: '35 min', '4 u 10 min', '2 d 3 u'."""
    if seconds is None:
        return ""
    minutes = round(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s u", days=days, hours=hours)
    if hours:
        return _("%(hours)s u %(minutes)s min", hours=hours, minutes=minutes)
    return _("%(minutes)s min", minutes=minutes)


def level(count: int, busiest: int) -> int:
    """0 (no case) to LEVELS (the busiest element), for the colour; the text always says the number."""
    if count <= 0 or busiest <= 0:
        return 0
    return max(1, round(LEVELS * count / busiest))


def _overlay_data(found: workbench.Heatmap) -> dict[str, dict[str, Any]]:
    return {
        e.element_id: {
            "passed": e.passed,
            "open": e.open_now,
            "median": duration_text(e.median_seconds),
            "level": level(e.passed + e.open_now, found.busiest),
        }
        for e in found.elements
        if e.passed or e.open_now
    }


@blueprint.get("/<process_id>/versies/<int:number>/warmtekaart")
def heatmap(process_id: str, number: int) -> ResponseReturnValue:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        info = workbench.process(engine, session, process_id)
        found = workbench.heatmap(engine, session, process_id, number)
        files = workbench.version_files(session, process_id, number)
    diagrams = sorted(n for n in files if n.endswith(".bpmn"))
    name = request.args.get("bestand") or main_file(files, process_id)
    if name not in diagrams:
        abort(404)
    return render_template(
        "workbench/heatmap.html",
        info=info,
        heat=found,
        name=name,
        diagrams=diagrams,
        overlays=_overlay_data(found),
        duration_text=duration_text,
    )


@blueprint.get("/<process_id>/versies/<int:number>/bestanden/<name>")
def version_file(process_id: str, number: int, name: str) -> ResponseReturnValue:
    with vangnet().database.reading() as session:
        files = workbench.version_files(session, process_id, number)
    if name not in files:
        abort(404)
    return jsonify(name=name, text=files[name])
