"""The process owners' workbench (``/procesbeheer``): processes and versions, drafts edited in bpmn-js, checked
with the engine's deploy checks and deployed as new versions.

Only the ``procesbeheerder`` role comes in: anyone else gets 403 (logged), anonymous visitors go to the login.
The views are split by concern: ``pages`` (lists, downloads, uploads), ``editor`` (the modeler and its JSON
endpoints), ``tables`` (DMN in dmn-js), ``form_editor`` (forms with a preview), ``compare`` (the diff between
versions), ``migrate`` (running cases to the newest version) and ``heat`` (the heatmap of a version).
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import deny

ROLE = "procesbeheerder"
blueprint = Blueprint("workbench", __name__, url_prefix="/procesbeheer")


@blueprint.before_request
def _only_process_owners() -> ResponseReturnValue | None:
    if g.user is None:
        return redirect(url_for("auth.login", volgende=request.full_path.rstrip("?")))
    if g.user.role != ROLE:
        deny(g.user, "workbench", "workbench", request.path)
    return None


from . import compare, editor, form_editor, heat, migrate, pages, tables  # noqa: E402  (registers the views)

__all__ = ["blueprint", "compare", "editor", "form_editor", "heat", "migrate", "pages", "tables"]
