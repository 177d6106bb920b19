"""Validating submitted data against a form's JSON Schema, with field errors in Dutch."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .errors import DataInvalid, FieldError

_FORMATS = {
    "date": "datum (jjjj-mm-dd)",
    "date-time": "datum en tijd",
    "email": "e-mailadres",
    "time": "tijd",
}
_TYPES = {
    "string": "tekst",
    "integer": "geheel getal",
    "number": "getal",
    "boolean": "ja of nee",
    "array": "lijst",
    "object": "groep velden",
    "null": "leeg",
}


def validate_data(schema: dict[str, Any], data: Any) -> None:
    """Raise :class:`DataInvalid` with one :class:`FieldError` per problem when ``data`` does not fit ``schema``."""
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.validator))
    if errors:
        raise DataInvalid([_field_error(error) for error in errors])


def _field_error(error: ValidationError) -> FieldError:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        path = [*path, missing]
    elif error.validator == "additionalProperties":
        extra = error.message.split("'")[1] if "'" in error.message else ""
        path = [*path, extra]
    explain = _MESSAGES.get(str(error.validator))
    message = explain(error) if explain else f"Ongeldige waarde ({error.message})."
    return FieldError(path=".".join(path), message=message, validator=str(error.validator))


# One dot before three digits, no comma: "1.234" is a thousand and more to a Dutch reader, one and a bit to an
# English one.
_AMBIGUOUS_NUMBER = re.compile(r"-?[1-9]\d{0,2}\.\d{3}")


def ambiguous_number(text: str) -> tuple[str, str] | None:
    """The two readings of a number that could mean a thousand times more or less, as typed in a form field
    (``1.234``, ``€ 12.345``): the whole number without the dot (``1234``) and the fraction with a decimal comma
    (``1,234``); None for any other text. The task forms refuse such a number rather than guess and keep the
    text (``web/forms_render.py`` asks this function); the type message below then names both readings instead
    of the "Vul een getal in." that text such as ``abc`` gets. An amount's euro sign and spaces are ignored, as
    the forms ignore them."""
    plain = text.replace("€", "").replace(" ", "")
    if not _AMBIGUOUS_NUMBER.fullmatch(plain):
        return None
    return plain.replace(".", ""), plain.replace(".", ",")


def _type(error: ValidationError) -> str:
    wanted = error.validator_value
    kinds = [str(t) for t in (wanted if isinstance(wanted, list) else [wanted])]
    kinds = [t for t in kinds if t != "null"] or kinds  # "or empty" says nothing: an empty field is left out
    readings = ambiguous_number(error.instance) if isinstance(error.instance, str) else None
    if kinds == ["number"] and readings:
        whole, fraction = readings
        return f"Bedoelt u {whole} of {fraction}? Typ het getal zonder punt ({whole}) of met komma ({fraction})."
    return f"Vul een {' of '.join(_TYPES.get(t, t) for t in kinds)} in."


def _is_null_branch(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or ("const" in schema and schema["const"] is None) or schema.get("enum") == [None]
    )


def _alternatives(error: ValidationError, fallback: Callable[[ValidationError], str]) -> str:
    """``anyOf``/``oneOf`` of one schema and null (a nullable field): the message of that schema's own failure
    ("at least 0"), not a vague "does not fit"; other alternatives keep ``fallback``."""
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    real = [i for i, branch in enumerate(branches) if not _is_null_branch(branch)]
    if len(real) == 1 and len(branches) == 2:
        own = [e for e in error.context or [] if e.schema_path and e.schema_path[0] == real[0]]
        if own:
            return _field_error(own[0]).message
    return fallback(error)


def _choice_titles(options: Any) -> list[str]:
    titles = []
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict) and "const" in option:
            titles.append(str(option["title"]) if "title" in option else _choice_text(option["const"]))
    return titles or ["een geldige keuze"]


def _choice_text(value: Any) -> str:
    """A choice's value as a caseworker reads it: null is "Onbekend", booleans ja/nee, decimals with a comma."""
    if value is None:
        return "Onbekend"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


_MESSAGES: dict[str, Callable[[ValidationError], str]] = {
    "required": lambda e: "Dit veld is verplicht.",
    "type": _type,
    "enum": lambda e: "Kies een van: " + ", ".join(_choice_text(v) for v in e.validator_value) + ".",
    "const": lambda e: f"De waarde moet {_choice_text(e.validator_value)} zijn.",
    "minimum": lambda e: f"De waarde moet minstens {e.validator_value} zijn.",
    "maximum": lambda e: f"De waarde mag hoogstens {e.validator_value} zijn.",
    "exclusiveMinimum": lambda e: f"De waarde moet groter zijn dan {e.validator_value}.",
    "exclusiveMaximum": lambda e: f"De waarde moet kleiner zijn dan {e.validator_value}.",
    "minLength": lambda e: f"Vul minstens {e.validator_value} teken(s) in.",
    "maxLength": lambda e: f"Gebruik hoogstens {e.validator_value} tekens.",
    "pattern": lambda e: "De waarde heeft niet de juiste vorm.",
    "format": lambda e: f"Vul een geldige {_FORMATS.get(str(e.validator_value), str(e.validator_value))} in.",
    "minItems": lambda e: f"Voeg er minstens {e.validator_value} toe.",
    "maxItems": lambda e: f"Voeg er hoogstens {e.validator_value} toe.",
    "additionalProperties": lambda e: "Dit veld hoort niet bij het formulier.",
    "multipleOf": lambda e: f"De waarde moet een veelvoud van {e.validator_value} zijn.",
    "oneOf": lambda e: _alternatives(
        e, lambda e: "Kies een van de mogelijkheden: " + ", ".join(_choice_titles(e.validator_value)) + "."
    ),
    "anyOf": lambda e: _alternatives(e, lambda e: "De waarde past niet bij de mogelijkheden van dit veld."),
}
