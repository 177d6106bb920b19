"""The manual channel (``/meldingen/nieuw``): a coordinator registers a notice that came by phone or e-mail.

The form is drawn from the API's notice schema (``web/api/schemas.py``) and checked with the very validator the
API uses (:func:`~web.api.schemas.notice_errors`), so both channels accept exactly the same notices; only the
presentation lives here: Dutch labels and help, sections, and field messages. Two fields are the form's own: the
channel (telefoon or e-mail) and the supplier the notice came from. A valid notice goes through
:func:`engine.exchange.submit_notice`, the one path every channel takes (same idempotency, same record for the
exchange metrics), in one transaction with its audit line; on success the browser is sent to the new case file
(post/redirect/get). A notice the supplier already sent is no new case: the form says so, with the case number.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from jsonschema import ValidationError

from engine import Conflict
from engine.exchange import NoticeResult, known_suppliers, snake_keys, submit_notice
from engine.queries import record_access
from engine.views import case_summary

from . import vangnet
from .access import CurrentUser, deny, may_see_case
from .api.schemas import NOTICE, notice_errors, validator
from .auth import current_user, login_required
from .display import local_date
from .forms_render import Field, build, labels, parse
from .notice_texts import choice_labels, section_titles, ui_schema

blueprint = Blueprint("notices", __name__)
ROLE = "coordinator"
STAFF_CHANNELS = ["telefoon", "e-mail"]
ORIGIN = ("kanaal", "leverancier")
Schema = dict[str, Any]


# --- the views -----------------------------------------------------------------------------------------------


@blueprint.get("/meldingen/nieuw")
@login_required
def new() -> ResponseReturnValue:
    _require_coordinator("notice_form_read")
    today = local_date(vangnet().engine.now()).isoformat()
    return _page({"meldingsdatum": today}, {}, _suppliers())


@blueprint.post("/meldingen/nieuw")
@login_required
def create() -> ResponseReturnValue:
    user = _require_coordinator("notice_create")
    suppliers = _suppliers()
    values = parse(form_schema(suppliers), ui_schema(), request.form)
    errors = check(values, suppliers)
    if errors:
        return _page(values, errors, suppliers, 422)
    try:
        result = _register(user, values)
    except Conflict as conflict:
        known = conflict.details.get("reference")
        message = _("Deze leverancier heeft onder dit meldingsnummer al een melding met andere gegevens gedaan.")
        return _page(values, {"meldingId": message if known else conflict.message}, suppliers, 409, known)
    if not result.created:
        message = _("Deze melding is al eerder binnengekomen; er is geen nieuwe zaak gemaakt.")
        return _page(values, {"meldingId": message}, suppliers, 409, result.reference)
    flash(_("Melding geregistreerd als zaak %(reference)s.", reference=result.reference), "ok")
    if _may_open(user, result.reference):
        return redirect(url_for("cases.case", reference=result.reference))
    return redirect(url_for("notices.new"))


def _require_coordinator(action: str) -> CurrentUser:
    user = current_user()
    if user.role != ROLE:
        deny(user, action, "melding", "nieuw")
    return user


def _suppliers() -> list[str]:
    with vangnet().database.reading() as session:
        return known_suppliers(session)


def _register(user: CurrentUser, values: dict[str, Any]) -> NoticeResult:
    """Submit the notice and write its audit line in one transaction: both happen, or neither."""
    engine = vangnet().engine
    body = snake_keys({k: v for k, v in values.items() if k not in ORIGIN})
    with engine.transaction(user.username) as session:
        result = submit_notice(engine, session, values["leverancier"], body, values["kanaal"], user.username)
        record_access(
            session,
            actor=user.username,
            role=user.role,
            action="melding_geregistreerd" if result.created else "melding_herhaald",
            object_type="zaak",
            object_id=result.reference,
            allowed=True,
            origin=request.remote_addr or "",
            now=engine.now(),
        )
    return result


def _may_open(user: CurrentUser, reference: str) -> bool:
    """A notice outside the coordinator's team (or outside every pilot area) is registered but not theirs to open."""
    with vangnet().database.reading() as session:
        return may_see_case(user, case_summary(session, reference))


def _page(
    values: dict[str, Any], errors: dict[str, str], suppliers: list[str], status: int = 200, known: Any = None
) -> ResponseReturnValue:
    fields = build(form_schema(suppliers), ui_schema(), values, errors)
    names = labels(fields)
    summary = [(path, names.get(path, _("Formulier")), message) for path, message in errors.items()]
    html = render_template(
        "notices/new.html",
        sections=sections(fields),
        errors=summary,
        known=known,
        can_open=bool(known) and _may_open(current_user(), str(known)),
        has_suppliers=bool(suppliers),
    )
    return html, status


# --- the form: the API's notice schema, drawn ----------------------------------------------------------------


def origin_schema(suppliers: list[str]) -> Schema:
    return {
        "type": "object",
        "required": list(ORIGIN),
        "properties": {"kanaal": {"enum": STAFF_CHANNELS}, "leverancier": {"enum": suppliers}},
    }


def form_schema(suppliers: list[str]) -> Schema:
    """Where the notice came from, then every field of the API's notice; ``null`` types dropped (an empty field
    is simply left out) and choices given Dutch labels. For drawing and reading the form, never for checking."""
    origin = origin_schema(suppliers)
    properties = {**origin["properties"], **NOTICE["properties"]}
    drawn = {name: _drawable(schema) for name, schema in properties.items()}
    return {"type": "object", "required": [*ORIGIN, *NOTICE["required"]], "properties": drawn}


def _drawable(schema: Schema) -> Schema:
    drawn = dict(schema)
    kinds = drawn.get("type")
    if isinstance(kinds, list):
        drawn["type"] = next(kind for kind in kinds if kind != "null")
    if "enum" in drawn:
        names = choice_labels()
        drawn["oneOf"] = [{"const": value, "title": names.get(value, value)} for value in drawn.pop("enum")]
    if "properties" in drawn:
        drawn["properties"] = {name: _drawable(child) for name, child in drawn["properties"].items()}
    if "items" in drawn:
        drawn["items"] = _drawable(drawn["items"])
    return drawn


def check(values: dict[str, Any], suppliers: list[str]) -> dict[str, str]:
    """Field path → Dutch message: the origin fields by their own schema, the notice by the API's validator."""
    origin = {k: v for k, v in values.items() if k in ORIGIN}
    notice = {k: v for k, v in values.items() if k not in ORIGIN}
    found: dict[str, str] = {}
    for error in [*validator(origin_schema(suppliers)).iter_errors(origin), *notice_errors(notice)]:
        for path, message in explain(error):
            found.setdefault(path, message)
    return found


def explain(error: ValidationError) -> list[tuple[str, str]]:
    parts = list(error.absolute_path)
    while parts and isinstance(parts[-1], int):  # a wrong choice in a list of checkboxes belongs to the list
        parts.pop()
    path = ".".join(str(part) for part in parts)
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return [(_join(path, name), required_message(_join(path, name))) for name in missing]
    return [(path, invalid_message(path, error))]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def required_message(path: str) -> str:
    specific = {
        "kanaal": _("Kies hoe de melding binnenkwam."),
        "leverancier": _("Kies de leverancier die de melding deed."),
        "meldingId": _("Vul het meldingsnummer van de leverancier in."),
        "soort": _("Kies de soort melding."),
    }
    return specific.get(path, _("Vul dit veld in."))


def invalid_message(path: str, error: ValidationError) -> str:
    kind, value, schema = error.validator, error.validator_value, error.schema
    specific = {
        "meldingId": _("Gebruik alleen letters, cijfers, punten en streepjes, en begin met een letter of cijfer."),
        "adres.postcode": _("Vul een postcode in als 1234 AB."),
        "email": _("Vul een e-mailadres in als naam@voorbeeld.nl."),
    }
    if schema.get("format") == "date":
        return _("Vul een bestaande datum in.")
    if kind in ("pattern", "format") and path in specific:
        return specific[path]
    if kind == "type":
        return _type_message(value)
    return _limit_message(str(kind), value)


def _limit_message(kind: str, value: Any) -> str:
    if kind == "minimum":
        return _("Vul %(limit)s of meer in.", limit=_number(value))
    if kind == "maximum":
        return _("Vul hoogstens %(limit)s in.", limit=_number(value))
    if kind == "maxLength":
        return _("Gebruik hoogstens %(limit)s tekens.", limit=value)
    if kind == "pattern":  # the patterns left: free text without control characters
        return _("Gebruik geen tabs of andere stuurtekens.")
    if kind == "enum":
        return _("Kies een van de mogelijkheden.")
    return _("Deze waarde is niet geldig.")


def _type_message(kinds: Any) -> str:
    wanted = [kind for kind in (kinds if isinstance(kinds, list) else [kinds]) if kind != "null"]
    messages = {
        "integer": _("Vul een heel getal in, zonder punt of komma."),
        "number": _("Vul een bedrag in, bijvoorbeeld 742,50."),
        "boolean": _("Kies ja of nee."),
    }
    return messages.get(wanted[0] if wanted else "", _("Deze waarde is niet geldig."))


def _number(value: Any) -> str:
    return str(format_decimal(value))


# --- presentation --------------------------------------------------------------------------------------------

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("melding", ("kanaal", "leverancier", "meldingId", "meldingsdatum", "soort")),
    ("klant", ("klant",)),
    ("adres", ("adres",)),
    ("contact", ("telefoon", "email", "contractreferentie", "producten")),
    (
        "achterstand",
        (
            "achterstandBedrag",
            "achterstandSinds",
            "maandbedrag",
            "aantalHerinneringen",
            "laatsteHerinnering",
            "contactpogingenAantal",
            "laatsteContactpoging",
            "regelingAangeboden",
            "regelingStatus",
            "geplandeEinddatum",
        ),
    ),
    ("huishouden", ("kinderenInHuishouden", "kwetsbaarheidBekend", "medisch", "bezwaarGegevensdeling", "klantsoort")),
)


def sections(fields: list[Field]) -> list[tuple[str, str, list[Field]]]:
    """(key, heading, fields) per section; a group's own fields come straight under the heading, and a field the
    schema gains later lands in the last section, so the form never silently lacks a notice field."""
    titles = section_titles()
    by_name = {f.name: f for f in fields}
    result: dict[str, list[Field]] = {}
    for key, names in SECTIONS:
        result.setdefault(key, []).extend(by_name.pop(name) for name in names if name in by_name)
    result[SECTIONS[-1][0]].extend(by_name.values())
    return [(key, titles[key], [c for f in group for c in _own(f)]) for key, group in result.items()]


def _own(field: Field) -> list[Field]:
    return field.children if field.kind == "group" else [field]
