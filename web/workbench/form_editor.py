"""The form editor: a form's JSON Schema and UI schema as text, a preview drawn server-side with the same Jinja2
macros as the caseworker's task page, and saving both into the draft with the draft's revision check.

Plain HTML forms, no script: "Voorbeeld" posts the texts to the preview endpoint and gets the page back with
the preview (or the precise problems: line and column for JSON, the JSON path for the schema); "Opslaan" stores
them. The texts typed stay on the screen whatever the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from engine import BundleInvalid, Conflict, NotFound, workbench

from .. import vangnet
from ..auth import current_user
from ..forms_render import build
from . import blueprint

SCHEMA, UI = ".schema.json", ".uischema.json"


@dataclass(frozen=True)
class FormTexts:
    name: str
    ui_name: str
    schema: str
    ui: str
    revision: int


def _draft_texts(process_id: str, name: str) -> FormTexts:
    with vangnet().database.reading() as session:
        try:
            files, revision = workbench.draft_files(session, process_id)
        except NotFound:
            abort(404)
    if name not in files or not name.endswith(SCHEMA):
        abort(404)
    ui_name = name.removesuffix(SCHEMA) + UI
    return FormTexts(name, ui_name, files[name], files.get(ui_name, ""), revision)


def _posted(texts: FormTexts) -> FormTexts:
    schema, ui = request.form.get("schema", ""), request.form.get("uischema", "")
    revision = request.form.get("revisie", type=int) or 0
    return FormTexts(texts.name, texts.ui_name, schema, ui, revision)


@blueprint.get("/<process_id>/concept/formulier/<name>")
def edit_form(process_id: str, name: str) -> ResponseReturnValue:
    return _page(process_id, _draft_texts(process_id, name))


@blueprint.post("/<process_id>/concept/formulier/<name>/voorbeeld")
def preview_form(process_id: str, name: str) -> ResponseReturnValue:
    texts = _posted(_draft_texts(process_id, name))
    checked = workbench.check_form(texts.schema, texts.ui)
    return _page(process_id, texts, checked.problems), 200 if checked.ok else 422


@blueprint.post("/<process_id>/concept/formulier/<name>")
def save_form(process_id: str, name: str) -> ResponseReturnValue:
    engine, user = vangnet().engine, current_user()
    texts = _posted(_draft_texts(process_id, name))
    names, contents = (texts.name, texts.ui_name), (texts.schema, texts.ui)

    def store(session: Session) -> workbench.DraftInfo:
        return workbench.save_form(session, process_id, names, contents, texts.revision, user.username, engine.now())

    try:
        saved = engine.run(store, actor=user.username)
    except BundleInvalid as invalid:
        return _page(process_id, texts, [p.message for p in invalid.problems]), 422
    except Conflict as conflict:
        message = _("Niet opgeslagen: %(reason)s Uw tekst staat nog in dit scherm.", reason=conflict.message)
        return _page(process_id, texts, [message]), 409
    flash(_("Formulier opgeslagen in het concept (revisie %(revision)s).", revision=saved.revision), "ok")
    return redirect(url_for("workbench.edit_form", process_id=process_id, name=name))


def _page(process_id: str, texts: FormTexts, problems: list[str] | None = None) -> str:
    engine = vangnet().engine
    with vangnet().database.reading() as session:
        info = workbench.process(engine, session, process_id)
    checked = workbench.check_form(texts.schema, texts.ui)
    fields = build(checked.schema, checked.ui_schema, {}, {}) if checked.schema is not None else []
    return render_template(
        "workbench/form.html", info=info, texts=texts, problems=problems or [], fields=fields, ok=checked.ok
    )
