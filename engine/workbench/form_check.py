"""Checking a form's JSON Schema and UI schema as typed in the workbench, with precise Dutch messages.

Invalid JSON names the line and column and what is wrong there; an invalid JSON Schema names the place in the
schema (a JSON path) and the rule it breaks. The same rules as deploy: JSON Schema 2020-12, ``"type":
"object"`` at the top, and a UI schema that is an object.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from sqlalchemy.orm import Session

from ..errors import BundleInvalid, Problem
from .drafts import DraftInfo, put_files

JSON_REASONS = {
    "Expecting value": "hier hoort een waarde (tekst tussen dubbele aanhalingstekens, getal, true, false, null, "
    "{ } of [ ])",
    "Expecting ',' delimiter": "hier ontbreekt een komma",
    "Expecting ':' delimiter": "hier ontbreekt een dubbele punt",
    "Expecting property name enclosed in double quotes": "hier hoort een veldnaam tussen dubbele aanhalingstekens "
    "(een komma na het laatste veld mag niet)",
    "Extra data": "na het einde staat nog meer tekst",
    "Unterminated string starting at": "deze tekst tussen aanhalingstekens wordt niet afgesloten",
    "Invalid control character at": "een tab of regeleinde binnen een tekst mag niet",
    "Invalid \\escape": "ongeldige \\-code in een tekst",
}
TYPES = {
    "string": "een tekst",
    "number": "een getal",
    "integer": "een geheel getal",
    "boolean": "true of false",
    "object": "een object { }",
    "array": "een lijst [ ]",
    "null": "null",
}
SCHEMA_TYPES = "string, number, integer, boolean, object, array, null"


@dataclass
class FormCheck:
    """The parsed schema and UI schema (when valid JSON) and every problem, each as one Dutch sentence."""

    schema: dict[str, Any] | None = None
    ui_schema: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_form(schema_text: str, ui_text: str) -> FormCheck:
    result = FormCheck()
    schema = _parse(schema_text, "JSON Schema", result.problems)
    ui = _parse(ui_text, "UI-schema", result.problems) if ui_text.strip() else {}
    if ui is not None and not isinstance(ui, dict):
        result.problems.append("Het UI-schema moet een object { } zijn.")
    elif ui is not None:
        result.ui_schema = ui
    if schema is not None:
        problem = schema_problem(schema)
        if problem:
            result.problems.append(problem)
        else:
            result.schema = schema
    return result


def _parse(text: str, what: str, problems: list[str]) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = JSON_REASONS.get(exc.msg, exc.msg)
        problems.append(f"{what}: geen geldige JSON op regel {exc.lineno}, kolom {exc.colno}: {reason}.")
        return None


def schema_problem(schema: Any) -> str | None:
    """What is wrong with the schema as a form's JSON Schema, or None."""
    if not isinstance(schema, dict):
        return 'JSON Schema: een formulier is een object { } met "type": "object".'
    error = best_match(Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(schema))
    if error is not None:
        return f"JSON Schema: ongeldig bij {error.json_path}: {_reason(error)}."
    if schema.get("type") != "object":
        return 'JSON Schema: een formulier moet "type": "object" hebben (bij $.type).'
    bad = [name for name, prop in schema.get("properties", {}).items() if not isinstance(prop, dict)]
    if bad:
        return f"JSON Schema: veld {bad[0]!r} moet een object {{ }} met zijn eigen schema zijn."
    return None


def _reason(error: ValidationError) -> str:
    shown = json.dumps(error.instance, ensure_ascii=False)
    if error.path and error.path[-1] == "type":
        return f"{shown} is geen type; kies uit {SCHEMA_TYPES}"
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = " of ".join(TYPES.get(str(t), str(t)) for t in expected)
        return f"hier hoort {names}, niet {shown}"
    if error.validator == "minimum":
        return f"{shown} is kleiner dan {error.validator_value}"
    if error.validator == "uniqueItems":
        return f"{shown} bevat een waarde twee keer"
    return f"{shown} voldoet niet aan de regel '{error.validator}' van JSON Schema 2020-12"


def save_form(
    session: Session,
    process_id: str,
    names: tuple[str, str],
    texts: tuple[str, str],
    revision: int,
    actor: str,
    now: datetime,
) -> DraftInfo:
    """Store a form's JSON Schema and UI schema (``names``, ``texts``) in the draft when both pass the checks;
    an empty UI schema is not stored. :class:`BundleInvalid` with the Dutch problems otherwise."""
    checked = check_form(texts[0], texts[1])
    if not checked.ok:
        raise BundleInvalid([Problem(names[0], problem) for problem in checked.problems])
    files = {names[0]: texts[0]}
    if texts[1].strip():
        files[names[1]] = texts[1]
    return put_files(session, process_id, files, revision, actor, now)
